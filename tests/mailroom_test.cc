// The mail room end to end on both databases: the mail log and department queues, remittance
// batches with their exception queue, lockbox imports (twice, resumed after failures, killed at
// the crash point), and the API. Every money test ends with `ledger check`.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ledger/ledger_check.h"
#include "remittance/lockbox_gen.h"
#include "remittance/mailroom.h"
#include "remittance/scanline.h"
#include "store/faulty_database.h"
#include "store/migrations.h"
#include "tests/app_fixture.h"
#include "tests/crash_harness.h"

namespace civicdesk::testing {
namespace {

using remittance::make_scanline;
namespace json = boost::json;

Money usd(std::int64_t cents) {
  return Money::from_cents(cents);
}

std::string lockbox_sample(const std::string& name) {
  std::ifstream in(source_dir() + "/tests/data/lockbox/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class MailRoomTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    for (auto role : {"csr1", "csr2", "csr3", "supervisor"}) users_[role] = make_user(role);
    // Accounts 1001..1003 each have a $100.00 utility bill.
    for (std::int64_t account : {1001, 1002, 1003}) {
      parties_[account] = new_party("Owner", std::to_string(account));
      bill(parties_[account], account, 10000);
    }
  }
  void bill(std::int64_t party, std::int64_t account, std::int64_t cents) {
    ledger::ChargeRequest r{party,
                            remittance::account_ref_for(account),
                            "utility_bill",
                            "Water bill",
                            CivilDate{2026, 11, 1},
                            {{"Water", "4000-WATER", usd(cents), false}},
                            "",
                            ""};
    auto o = app_->ledger().charge(Actor::system(), r);
    ASSERT_TRUE(o) << o.error().message;
  }
  Actor as(const std::string& role) {
    const auto& u = users_.at(role);
    return Actor{u.id, u.username, u.role, "req", "127.0.0.1"};
  }
  void set_department(const std::string& role, const std::string& department) {
    // Until security/users reads and writes it (see the report), set it in the table.
    auto ok = app_->db().write<std::int64_t>([&](store::Connection& c) {
      return c.exec("UPDATE users SET department = ? WHERE id = ?",
                    {department, users_.at(role).id.value});
    });
    ASSERT_TRUE(ok) << ok.error().message;
  }
  remittance::MailRoom& room() { return app_->mailroom(); }
  std::int64_t count(const std::string& sql) {
    auto n = app_->db().read<std::int64_t>([&](store::Connection& c) { return c.query_int(sql); });
    EXPECT_TRUE(n) << n.error().message;
    return n ? *n : -1;
  }
  std::int64_t balance(std::int64_t account) {
    return count("SELECT COALESCE(SUM(balance_cents), 0) FROM obligations WHERE account_ref = '" +
                 remittance::account_ref_for(account) + "'");
  }
  void expect_books_agree() {
    auto rep = ledger::check(app_->db());
    ASSERT_TRUE(rep) << rep.error().message;
    for (const auto& p : rep->problems) ADD_FAILURE() << p;
  }
  remittance::Batch open_batch(std::int64_t count, std::int64_t cents) {
    auto b = room().open_batch(as("csr2"), {"", count, usd(cents), ""});
    EXPECT_TRUE(b) << b.error().message;
    return b ? *b : remittance::Batch{};
  }
  remittance::BatchItem scan(std::int64_t batch, const std::string& scanline, std::int64_t cents,
                             const std::string& check = "100") {
    remittance::ItemInput in;
    in.scanline = scanline;
    in.check_amount = usd(cents);
    in.check_number = check;
    in.payer = "Payer";
    auto i = room().add_item(as("csr2"), batch, in);
    EXPECT_TRUE(i) << i.error().message;
    return i ? *i : remittance::BatchItem{};
  }
  // The same scanline as a keyboard-wedge scanner types it: groups separated by spaces.
  static std::string spaced(const std::string& s) {
    return s.substr(0, 10) + " " + s.substr(10, 10) + " " + s.substr(20);
  }
  std::map<std::string, security::User> users_;
  std::map<std::int64_t, std::int64_t> parties_;
};

// --- mail log and queues ---------------------------------------------------------------------

TEST_P(MailRoomTest, MailLogRoutesPaymentsToABatchAndCorrespondenceToAQueueInBusinessDays) {
  auto batch = open_batch(1, 10000);
  remittance::MailInput pay{"2026-11-25", "payment", "Owner 1001", parties_[1001],
                            "",           "",        batch.id,     ""};
  auto p = room().log_mail(as("csr1"), pay);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->routed_to, "batch");
  EXPECT_EQ(p->batch_id, batch.id);
  // Received Wednesday 2026-11-25; Thanksgiving and the day after are City holidays, so ten
  // business days end 2026-12-11 (not 12-09) and five end 2026-12-04.
  auto letter = room().log_mail(as("csr1"), {"2026-11-25", "correspondence", "Ann Writer", 0,
                                             "Meter question", "", 0, "UTIL"});
  ASSERT_TRUE(letter) << letter.error().message;
  EXPECT_EQ(letter->routed_to, "queue");
  EXPECT_EQ(letter->due_date, "2026-12-11");
  auto dispute =
      room().log_mail(as("csr1"), {"2026-11-25", "dispute", "Dee Sputer", 0, "", "", 0, "PARK"});
  ASSERT_TRUE(dispute);
  EXPECT_EQ(dispute->due_date, "2026-12-04");
  auto returned =
      room().log_mail(as("csr1"), {"", "returned_mail", "USPS", parties_[1002], "", "", 0, ""});
  ASSERT_TRUE(returned) << returned.error().message;
  EXPECT_EQ(returned->department, "CS");
  EXPECT_EQ(returned->received_date, "2026-11-26");

  auto today = room().mail_on(CivilDate{2026, 11, 25});
  ASSERT_TRUE(today);
  EXPECT_EQ(today->size(), 3u);

  // Refusals name the field.
  EXPECT_EQ(room().log_mail(as("csr1"), {"", "payment", "X", 0, "", "", 0, ""}).error().field,
            "batch_id");
  EXPECT_EQ(room().log_mail(as("csr1"), {"", "letter", "X", 0, "", "", 0, "UTIL"}).error().field,
            "kind");
  EXPECT_EQ(room().log_mail(as("csr1"), {"", "dispute", "X", 0, "", "", 0, "NOPE"}).error().field,
            "department");
  EXPECT_EQ(room()
                .log_mail(as("csr1"), {"2026-11-27", "dispute", "X", 0, "", "", 0, "UTIL"})
                .error()
                .field,
            "received_date");
  EXPECT_EQ(room().log_mail(as("csr1"), {"", "dispute", "", 0, "", "", 0, "UTIL"}).error().field,
            "from_name");
}

TEST_P(MailRoomTest, QueuesAreVisibleToTheirDepartmentAndToSupervisors) {
  set_department("csr1", "UTIL");
  set_department("csr2", "PW");
  auto util = room().log_mail(as("csr3"), {"", "correspondence", "A", 0, "", "", 0, "UTIL"});
  auto pw = room().log_mail(as("csr3"), {"", "application", "B", 0, "", "", 0, "PW"});
  ASSERT_TRUE(util && pw);

  auto mine = room().queue(as("csr1"), "", "open");
  ASSERT_TRUE(mine);
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ((*mine)[0].department, "UTIL");
  EXPECT_EQ(room().queue(as("csr1"), "PW", "open").error().code, ErrorCode::kForbidden);
  EXPECT_TRUE(room().queue(as("csr3"), "", "open")->empty());  // csr3 has no department
  EXPECT_EQ(room().queue(as("supervisor"), "", "open")->size(), 2u);
  EXPECT_EQ(room().queue(as("supervisor"), "PW", "open")->size(), 1u);

  // Another department's item cannot be completed; one's own can, once.
  std::int64_t util_item = util->queue_item_id;
  EXPECT_EQ(room().complete_queue_item(as("csr2"), util_item, "done").error().code,
            ErrorCode::kForbidden);
  auto done = room().complete_queue_item(as("csr1"), util_item, "Called the customer back");
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(done->status, "done");
  EXPECT_EQ(room().complete_queue_item(as("csr1"), util_item, "again").error().code,
            ErrorCode::kUnprocessable);
  EXPECT_TRUE(room().queue(as("csr1"), "", "open")->empty());
  EXPECT_EQ(room().queue(as("csr1"), "", "done")->size(), 1u);
  // Overdue: move the clock past the due date.
  clock_->advance_us(30LL * 24 * 3600 * kMicrosPerSecond);
  auto later = room().queue(as("csr2"), "", "open");
  ASSERT_EQ(later->size(), 1u);
  EXPECT_TRUE((*later)[0].overdue);
}

// --- batches and exceptions ------------------------------------------------------------------

TEST_P(MailRoomTest, BatchPostsOnlyWhenBalancedThenOnceAndQueuesEveryExceptionKind) {
  // Five envelopes, $260.00 on the tape.
  auto b = open_batch(5, 26000);
  auto paid = scan(b.id, spaced(make_scanline(1001, 10000)), 10000);
  EXPECT_EQ(paid.status, "ready");
  EXPECT_EQ(paid.entry_method, "scanned");
  EXPECT_EQ(paid.account_ref, "utility:1001");
  auto mismatch = scan(b.id, make_scanline(1002, 10000), 4000);
  EXPECT_EQ(mismatch.exception_reason, "amount_mismatch");
  auto unknown = scan(b.id, make_scanline(4444, 3000), 3000);
  EXPECT_EQ(unknown.exception_reason, "unknown_account");
  std::string wrong = make_scanline(1003, 2000);
  wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + 1) % 10);
  auto bad_digit = scan(b.id, wrong, 2000);
  EXPECT_EQ(bad_digit.exception_reason, "bad_check_digit");
  // A malformed scan is refused at once: the clerk scans again.
  remittance::ItemInput garbled;
  garbled.scanline = "0000001001 00000";
  garbled.check_amount = usd(100);
  EXPECT_EQ(room().add_item(as("csr2"), b.id, garbled).error().field, "scanline");

  auto running = room().batch(b.id, false);
  EXPECT_EQ(running->count_difference, 1);
  EXPECT_EQ(running->total_difference.cents(), 26000 - 19000);
  EXPECT_FALSE(running->balanced);
  auto refused = room().post_batch(as("csr2"), b.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().field, "control_count");

  remittance::ItemInput no_stub;
  no_stub.check_amount = usd(7000);
  auto none = room().add_item(as("csr2"), b.id, no_stub);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->exception_reason, "no_stub");
  EXPECT_TRUE(room().batch(b.id, false)->balanced);

  auto posted = room().post_batch(as("csr2"), b.id);
  ASSERT_TRUE(posted) << posted.error().message;
  EXPECT_EQ(posted->posted_now, 1);
  EXPECT_EQ(posted->posted_now_total.cents(), 10000);
  EXPECT_EQ(posted->batch.status, "posted");
  EXPECT_EQ(posted->batch.exception_count, 4);
  EXPECT_EQ(balance(1001), 0);
  EXPECT_EQ(balance(1002), 10000);
  // Posting again posts nothing.
  auto again = room().post_batch(as("csr2"), b.id);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->posted_now, 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE channel = 'mail'"), 1);
  // No more items once posting started.
  EXPECT_EQ(room().add_item(as("csr2"), b.id, no_stub).error().code, ErrorCode::kUnprocessable);

  auto open = room().exceptions("open");
  ASSERT_TRUE(open);
  EXPECT_EQ(open->size(), 4u);
  expect_books_agree();
}

TEST_P(MailRoomTest, CsrIIIResolvesExceptionsByAcceptingAssigningOrRejecting) {
  auto b = open_batch(4, 4000 + 3000 + 2500 + 1500);
  auto mismatch = scan(b.id, make_scanline(1002, 10000), 4000);
  auto unknown = scan(b.id, make_scanline(4444, 3000), 3000);
  remittance::ItemInput no_stub;
  no_stub.check_amount = usd(2500);
  auto none = *room().add_item(as("csr2"), b.id, no_stub);
  no_stub.check_amount = usd(1500);
  auto reject_me = *room().add_item(as("csr2"), b.id, no_stub);

  // Resolved before the batch posts: it posts with the batch.
  auto early = room().resolve_exception(as("csr3"), none.exception_id,
                                        {"assign", "", parties_[1003], "name on the check"});
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(early->status, "assigned");
  EXPECT_EQ(early->item.status, "ready");
  auto posted = room().post_batch(as("csr2"), b.id);
  ASSERT_TRUE(posted) << posted.error().message;
  EXPECT_EQ(posted->posted_now, 1);
  EXPECT_EQ(balance(1003), 10000 - 2500);

  // After it posts: each resolution posts at once.
  auto accepted =
      room().resolve_exception(as("csr3"), mismatch.exception_id, {"accept", "", 0, ""});
  ASSERT_TRUE(accepted) << accepted.error().message;
  EXPECT_EQ(accepted->item.status, "posted");
  EXPECT_EQ(balance(1002), 10000 - 4000);
  // Assigning an account that does not exist is refused; an existing one posts.
  EXPECT_EQ(room()
                .resolve_exception(as("csr3"), unknown.exception_id, {"assign", "5555", 0, ""})
                .error()
                .field,
            "account_number");
  EXPECT_EQ(room()
                .resolve_exception(as("csr3"), unknown.exception_id, {"accept", "", 0, ""})
                .error()
                .code,
            ErrorCode::kUnprocessable);
  auto assigned = room().resolve_exception(as("csr3"), unknown.exception_id,
                                           {"assign", "1001", 0, "typo on the stub"});
  ASSERT_TRUE(assigned) << assigned.error().message;
  EXPECT_EQ(balance(1001), 10000 - 3000);
  // Reject: returned to the sender, nothing posts; a note is required.
  EXPECT_EQ(room()
                .resolve_exception(as("csr3"), reject_me.exception_id, {"reject", "", 0, ""})
                .error()
                .field,
            "note");
  auto rejected = room().resolve_exception(as("csr3"), reject_me.exception_id,
                                           {"reject", "", 0, "not a City bill"});
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->item.status, "returned");
  // Nothing resolves twice.
  EXPECT_EQ(room()
                .resolve_exception(as("csr3"), mismatch.exception_id, {"accept", "", 0, ""})
                .error()
                .code,
            ErrorCode::kUnprocessable);
  EXPECT_TRUE(room().exceptions("open")->empty());
  EXPECT_EQ(room().exceptions("resolved")->size(), 4u);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE channel = 'mail'"), 3);
  EXPECT_EQ(room().batch(b.id, false)->posted_total.cents(), 2500 + 4000 + 3000);
  expect_books_agree();
}

TEST_P(MailRoomTest, KeyedItemsAndRemovedItems) {
  auto b = open_batch(2, 15000);
  remittance::ItemInput keyed;
  keyed.account_number = "0001001";
  keyed.check_amount = usd(5000);
  auto k = room().add_item(as("csr2"), b.id, keyed);
  ASSERT_TRUE(k) << k.error().message;
  EXPECT_EQ(k->entry_method, "keyed");
  EXPECT_EQ(k->status, "ready");
  auto typo = scan(b.id, make_scanline(1002, 99900), 99900);
  EXPECT_FALSE(room().batch(b.id, false)->balanced);
  auto after = room().remove_item(as("csr2"), b.id, typo.id);
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->item_count, 1);
  scan(b.id, make_scanline(1002, 10000), 10000);
  auto posted = room().post_batch(as("csr2"), b.id);
  ASSERT_TRUE(posted) << posted.error().message;
  EXPECT_EQ(posted->posted_now, 2);
  EXPECT_EQ(balance(1001), 5000);
  EXPECT_EQ(balance(1002), 0);
  expect_books_agree();
}

// --- lockbox ---------------------------------------------------------------------------------

TEST_P(MailRoomTest, LockboxPostsWhatMatchesQueuesTheRestAndTwiceIsOnce) {
  std::string file = lockbox_sample("good.txt");
  auto first = room().import_lockbox(as("csr2"), file);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->status, "complete");
  EXPECT_EQ(first->item_count, 7);
  EXPECT_EQ(first->posted_count, 3);
  EXPECT_EQ(first->posted_total.cents(), 15484);
  EXPECT_EQ(first->exception_count, 4);
  EXPECT_EQ(first->exception_total.cents(), 18000);
  EXPECT_EQ(first->posted_now, 3);
  EXPECT_EQ(balance(1001), 10000 - 4250);
  EXPECT_EQ(balance(1002), 0);  // $100.00 + $12.34 (the rest is credit)
  auto reasons = room().exceptions("open");
  ASSERT_EQ(reasons->size(), 4u);
  std::set<std::string> seen;
  for (const auto& e : *reasons) seen.insert(e.reason);
  EXPECT_EQ(seen, (std::set<std::string>{"amount_mismatch", "no_stub", "unknown_account",
                                         "bad_check_digit"}));

  // The same file again — by another user, and by the CLI's system user — posts nothing.
  auto second = room().import_lockbox(as("supervisor"), file);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->already_imported);
  EXPECT_EQ(second->posted_now, 0);
  EXPECT_EQ(second->id, first->id);
  EXPECT_TRUE(room().import_lockbox(Actor::system(), file)->already_imported);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE channel = 'lockbox'"), 3);
  EXPECT_EQ(count("SELECT COUNT(*) FROM remittance_exceptions"), 4);
  // The bank's file id again with other content is refused.
  std::string altered = file;
  altered.replace(altered.find("ANA APPLE"), 9, "ANA APPLF");
  EXPECT_EQ(room().import_lockbox(as("csr2"), altered).error().code, ErrorCode::kConflict);
  // A lockbox exception resolves into a posted payment at once.
  for (const auto& e : *reasons)
    if (e.reason == "amount_mismatch") {
      auto r = room().resolve_exception(as("csr3"), e.id, {"accept", "", 0, ""});
      ASSERT_TRUE(r) << r.error().message;
    }
  EXPECT_EQ(room().lockbox_import(first->id)->posted_count, 4);
  EXPECT_EQ(balance(1003), 10000 - 3000);
  expect_books_agree();
}

TEST_P(MailRoomTest, InvalidLockboxFilePostsNothingAndNamesTheLine) {
  auto r = room().import_lockbox(as("csr2"), lockbox_sample("bad_batch_total.txt"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "line 6: batch_total");
  EXPECT_EQ(count("SELECT COUNT(*) FROM lockbox_imports"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments"), 0);
}

// Many accounts, a generated file, and a store that fails the n-th call: every failed import is
// resumed by importing the same file again, and in the end each import posted each matching item
// exactly once (the totals are exact), whether the fault hit before a call or lost the answer
// of a commit that happened.
TEST_P(MailRoomTest, LockboxImportResumesAfterAFailureWithoutPostingTwice) {
  constexpr std::int64_t kAccounts = 30;
  for (std::int64_t a = 1; a <= kAccounts; ++a) bill(new_party("Gen", std::to_string(a)), a, 50000);
  auto faulty = std::make_shared<store::FaultyDatabase>(
      std::shared_ptr<store::Database>(&app_->db(), [](store::Database*) {}));
  ledger::Ledger ledger(*faulty, app_->city(), app_->time_zone(), app_->clock());
  remittance::MailRoom room(*faulty, ledger, app_->city(), app_->clock());
  room.set_items_per_transaction(4);
  std::int64_t expected_posted = 0, expected_cents = 0;
  int failures = 0;
  for (std::int64_t n = 1; n <= 400; n += 37) {
    SCOPED_TRACE("store call " + std::to_string(n) + " fails");
    auto gen = remittance::generate_lockbox(static_cast<std::uint64_t>(n), 10, kAccounts);
    std::string file = remittance::format_lockbox(gen);
    faulty->fail_call(n, n % 2 ? store::FaultTiming::kBeforeCall : store::FaultTiming::kAfterCall);
    auto crashed = room.import_lockbox(as("csr2"), file);
    faulty->clear_fault();
    if (!crashed) ++failures;
    auto resumed = room.import_lockbox(as("csr2"), file);
    ASSERT_TRUE(resumed) << resumed.error().message;
    EXPECT_EQ(resumed->status, "complete");
    EXPECT_EQ(resumed->processed_count, 10);
    EXPECT_EQ(resumed->posted_count, 10);
    EXPECT_EQ(resumed->posted_total.cents(), gen.total_cents);
    expected_posted += 10;
    expected_cents += gen.total_cents;
  }
  EXPECT_GT(failures, 5);
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE channel = 'lockbox'"), expected_posted);
  EXPECT_EQ(count("SELECT COALESCE(SUM(amount_cents), 0) FROM payments WHERE channel = 'lockbox'"),
            expected_cents);
  EXPECT_EQ(count("SELECT COUNT(*) FROM remittance_items"), expected_posted);
  expect_books_agree();
}

// The same for a mail batch: a post that fails midway is simply posted again.
TEST_P(MailRoomTest, BatchPostResumesAfterAFailureWithoutPostingTwice) {
  auto faulty = std::make_shared<store::FaultyDatabase>(
      std::shared_ptr<store::Database>(&app_->db(), [](store::Database*) {}));
  ledger::Ledger ledger(*faulty, app_->city(), app_->time_zone(), app_->clock());
  remittance::MailRoom room(*faulty, ledger, app_->city(), app_->clock());
  room.set_items_per_transaction(2);
  std::int64_t posted_batches = 0;
  for (std::int64_t n = 5; n <= 200; n += 23) {
    SCOPED_TRACE("store call " + std::to_string(n) + " fails");
    auto b = room.open_batch(as("csr2"), {"", 5, usd(5 * 100), ""});
    ASSERT_TRUE(b) << b.error().message;
    for (int i = 0; i < 5; ++i) {
      remittance::ItemInput in;
      in.scanline = make_scanline(1001 + i % 3, 100);
      in.check_amount = usd(100);
      ASSERT_TRUE(room.add_item(as("csr2"), b->id, in));
    }
    faulty->fail_call(n, n % 2 ? store::FaultTiming::kBeforeCall : store::FaultTiming::kAfterCall);
    (void)room.post_batch(as("csr2"), b->id);
    faulty->clear_fault();
    auto again = room.post_batch(as("csr2"), b->id);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(again->batch.status, "posted");
    EXPECT_EQ(again->batch.posted_count, 5);
    EXPECT_EQ(again->batch.posted_total.cents(), 500);
    ++posted_batches;
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM payments WHERE channel = 'mail'"), posted_batches * 5);
  expect_books_agree();
}

// --- API -------------------------------------------------------------------------------------

class MailRoomApiTest : public MailRoomTest {
 protected:
  ApiResult send(const std::string& method, const std::string& path, const std::string& body,
                 const Client& who, const std::string& key = "",
                 const std::string& type = "application/json") {
    http::Request req;
    req.method = method;
    req.target = path;
    http::parse_target(path, req.path, req.query);
    req.body = body;
    req.client = "127.0.0.1";
    req.request_id = "t";
    if (!body.empty()) req.headers["Content-Type"] = type;
    req.headers["Cookie"] = who.cookie;
    req.headers["X-CSRF-Token"] = who.csrf;
    if (!key.empty()) req.headers["Idempotency-Key"] = key;
    http::Response resp = api_->handle(req);
    ApiResult out;
    out.status = resp.status;
    out.raw = resp.body;
    boost::system::error_code ec;
    out.body = json::parse(resp.body, ec);
    return out;
  }
};

TEST_P(MailRoomApiTest, BatchEntryExceptionsAndLockboxThroughTheApi) {
  Client csr2 = sign_in("csr2"), csr3 = sign_in("csr3"), csr1 = sign_in("csr1");
  auto b = send("POST", "/api/v1/batches", R"({"control_count":2,"control_total":"150.00"})", csr2);
  ASSERT_EQ(b.status, 201) << b.raw;
  std::string id = std::to_string(b.body.at("id").as_int64());
  // csr1 may log mail but not run batches.
  EXPECT_EQ(
      send("POST", "/api/v1/batches", R"({"control_count":1,"control_total":"1.00"})", csr1).status,
      403);
  auto mail = send("POST", "/api/v1/mail",
                   R"({"kind":"payment","from_name":"Owner","batch_id":)" + id + "}", csr1);
  ASSERT_EQ(mail.status, 201) << mail.raw;
  auto item = send("POST", "/api/v1/batches/" + id + "/items",
                   R"({"scanline":")" + spaced(make_scanline(1001, 10000)) +
                       R"(","check_amount":"100.00","check_number":"2041","mail_id":)" +
                       std::to_string(mail.body.at("id").as_int64()) + "}",
                   csr2, "item-1");
  ASSERT_EQ(item.status, 201) << item.raw;
  EXPECT_EQ(item.body.at("batch").at("total_difference").as_string(), "50.00");
  EXPECT_EQ(item.body.at("batch").at("count_difference").as_int64(), 1);
  const std::string no_stub = R"({"check_amount":"50.00","payer":"No Stub"})";
  // Without an Idempotency-Key a check is not added (a retry could add it twice).
  EXPECT_EQ(send("POST", "/api/v1/batches/" + id + "/items", no_stub, csr2).status, 400);
  auto second = send("POST", "/api/v1/batches/" + id + "/items", no_stub, csr2, "item-2");
  ASSERT_EQ(second.status, 201) << second.raw;
  // The retry of a lost answer replays it: still one item, the same id.
  auto retry = send("POST", "/api/v1/batches/" + id + "/items", no_stub, csr2, "item-2");
  ASSERT_EQ(retry.status, 201) << retry.raw;
  EXPECT_EQ(retry.body.at("item").at("id"), second.body.at("item").at("id"));
  EXPECT_EQ(retry.body.at("batch").at("item_count"), second.body.at("batch").at("item_count"));
  EXPECT_EQ(second.body.at("item").at("exception_reason").as_string(), "no_stub");
  EXPECT_EQ(send("POST", "/api/v1/batches/" + id + "/items", R"({"check_amount":"5.00","x":1})",
                 csr2, "item-3")
                .error_code(),
            "invalid_input");

  // Posting needs an Idempotency-Key; a retry replays the first answer.
  EXPECT_EQ(send("POST", "/api/v1/batches/" + id + "/post", "", csr2).status, 400);
  auto posted = send("POST", "/api/v1/batches/" + id + "/post", "", csr2, "post-1");
  ASSERT_EQ(posted.status, 200) << posted.raw;
  EXPECT_EQ(posted.body.at("posted_now").as_int64(), 1);
  auto replay = send("POST", "/api/v1/batches/" + id + "/post", "", csr2, "post-1");
  EXPECT_EQ(replay.raw, posted.raw);
  auto other_key = send("POST", "/api/v1/batches/" + id + "/post", "", csr2, "post-2");
  EXPECT_EQ(other_key.body.at("posted_now").as_int64(), 0);

  auto got = send("GET", "/api/v1/batches/" + id, "", csr2);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.body.at("items").as_array().size(), 2u);
  EXPECT_EQ(got.body.at("status").as_string(), "posted");

  // The exception queue is for CSR III.
  EXPECT_EQ(send("GET", "/api/v1/remittance/exceptions", "", csr2).status, 403);
  auto queue = send("GET", "/api/v1/remittance/exceptions", "", csr3);
  ASSERT_EQ(queue.status, 200);
  ASSERT_EQ(queue.body.at("items").as_array().size(), 1u);
  std::string ex = std::to_string(queue.body.at("items").at(0).at("id").as_int64());
  auto resolved = send("POST", "/api/v1/remittance/exceptions/" + ex + "/resolve",
                       R"({"action":"assign","account_number":"1002"})", csr3, "res-1");
  ASSERT_EQ(resolved.status, 200) << resolved.raw;
  EXPECT_EQ(resolved.body.at("item").at("status").as_string(), "posted");
  EXPECT_EQ(balance(1002), 5000);

  // Lockbox as JSON {"content"}; the second upload posts nothing.
  json::object upload{{"content", lockbox_sample("good.txt")}};
  auto imp = send("POST", "/api/v1/lockbox/imports", json::serialize(upload), csr2, "lb-1");
  ASSERT_EQ(imp.status, 201) << imp.raw;
  EXPECT_EQ(imp.body.at("posted_count").as_int64(), 3);
  auto again = send("POST", "/api/v1/lockbox/imports", json::serialize(upload), csr2, "lb-2");
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_TRUE(again.body.at("already_imported").as_bool());
  auto shown = send(
      "GET", "/api/v1/lockbox/imports/" + std::to_string(imp.body.at("id").as_int64()), "", csr2);
  EXPECT_EQ(shown.body.at("processed_count").as_int64(), 7);
  json::object broken{{"content", lockbox_sample("bad_amount.txt")}};
  auto bad = send("POST", "/api/v1/lockbox/imports", json::serialize(broken), csr2, "lb-3");
  EXPECT_EQ(bad.error_code(), "invalid_input");
  EXPECT_EQ(bad.error_field(), "line 4: amount");

  // The file as the bank sent it (text/plain) is the same file: already imported. Other routes
  // still take JSON only.
  Client keyed = csr2;
  keyed.idempotency_key = "lb-4";
  auto plain = call("POST", "/api/v1/lockbox/imports", lockbox_sample("good.txt"), &keyed, true,
                    "text/plain; charset=us-ascii");
  ASSERT_EQ(plain.status, 200) << plain.raw;
  EXPECT_TRUE(plain.body.at("already_imported").as_bool());
  keyed.idempotency_key = "lb-5";
  auto plain_bad = call("POST", "/api/v1/lockbox/imports", lockbox_sample("bad_amount.txt"), &keyed,
                        true, "text/plain");
  EXPECT_EQ(plain_bad.error_field(), "line 4: amount");
  keyed.idempotency_key = "";
  auto not_json = call("POST", "/api/v1/mail", "payment", &keyed, true, "text/plain");
  EXPECT_EQ(not_json.status, 400);
  EXPECT_EQ(not_json.error_field(), "Content-Type");
  // The imports, newest first (the refused file left none).
  auto imports = send("GET", "/api/v1/lockbox/imports?limit=10", "", csr2);
  ASSERT_EQ(imports.status, 200) << imports.raw;
  ASSERT_EQ(imports.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(imports.body.at("items").at(0).at("posted_count").as_int64(), 3);
  EXPECT_EQ(send("GET", "/api/v1/lockbox/imports?limit=0", "", csr2).error_field(), "limit");
  // The City's departments, for routing correspondence.
  auto city = call("GET", "/api/v1/city");
  ASSERT_EQ(city.status, 200);
  EXPECT_FALSE(city.body.at("departments").as_array().empty());
  EXPECT_TRUE(city.body.at("departments").at(0).as_object().contains("name"));
  expect_books_agree();
}

TEST_P(MailRoomApiTest, QueuesThroughTheApi) {
  set_department("csr1", "UTIL");
  Client csr1 = sign_in("csr1"), sup = sign_in("supervisor");
  auto m = send(
      "POST", "/api/v1/mail",
      R"({"kind":"correspondence","from_name":"Ann","department":"UTIL","subject":"Leak"})", csr1);
  ASSERT_EQ(m.status, 201) << m.raw;
  EXPECT_EQ(m.body.at("due_date").as_string(), "2026-12-11");  // 10 business days from 11-26
  auto q = send("GET", "/api/v1/queues", "", csr1);
  ASSERT_EQ(q.status, 200);
  ASSERT_EQ(q.body.at("items").as_array().size(), 1u);
  EXPECT_EQ(send("GET", "/api/v1/queues?department=PW", "", csr1).status, 403);
  EXPECT_EQ(send("GET", "/api/v1/queues?department=PW", "", sup).status, 200);
  std::string item = std::to_string(q.body.at("items").at(0).at("id").as_int64());
  auto done = send("POST", "/api/v1/queues/items/" + item + "/complete",
                   R"({"resolution":"Sent a plumber"})", csr1);
  ASSERT_EQ(done.status, 200) << done.raw;
  auto log = send("GET", "/api/v1/mail?date=2026-11-26", "", csr1);
  EXPECT_EQ(log.body.at("items").as_array().size(), 1u);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(MailRoomTest);
CIVICDESK_INSTANTIATE_FOR_BACKENDS(MailRoomApiTest);

// --- crash: kill the real binary at lockbox.import.after_item, then import again ------------
// The 1,300th item is in the second transaction (1,000 per transaction): the first thousand are
// committed, the next 300 die with the process; the second run resumes at item 1,001.

class LockboxCrashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LockboxCrashTest, KilledMidImportThenReimportedPostsEachItemOnce) {
  std::string url = fresh_database_url(GetParam());
  ASSERT_FALSE(url.empty());
  // Accounts 1..40 with a bill each, through the store (the CLI has no charge command).
  {
    auto db = store::open_database(url);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(store::migrate(**db));
    auto city = load_city_config(source_dir() + "/config/demo-city.yaml");
    ASSERT_TRUE(city);
    auto tz = TimeZone::load(city->time_zone);
    ASSERT_TRUE(tz);
    ManualClock clock(kTestStartUs);
    customers::PartyBook parties(**db, clock);
    ledger::Ledger ledger(**db, *city, *tz, clock);
    for (int a = 1; a <= 40; ++a) {
      customers::PartyInput p;
      p.first_name = "Crash";
      p.last_name = std::to_string(a);
      std::vector<customers::DuplicateCandidate> dups;
      auto party = parties.create(Actor::system(), p, true, dups);
      ASSERT_TRUE(party);
      ledger::ChargeRequest r{party->id.value,
                              remittance::account_ref_for(a),
                              "utility_bill",
                              "Bill",
                              CivilDate{2026, 11, 1},
                              {{"Water", "4000-WATER", usd(90000), false}},
                              "",
                              ""};
      ASSERT_TRUE(ledger.charge(Actor::system(), r));
    }
  }
  auto gen = remittance::generate_lockbox(99, 1500, 40);
  std::string path = std::filesystem::temp_directory_path() /
                     ("cd_lockbox_crash_" + std::to_string(::getpid()) + "_" + GetParam() + ".txt");
  {
    std::ofstream out(path, std::ios::binary);
    out << remittance::format_lockbox(gen);
  }
  ChildResult crashed = run_civicdesk(url, {"lockbox", "import", path},
                                      {{"CIVICDESK_CRASH_AT", "lockbox.import.after_item:1300"}});
  // Until src/cli/main.cc has the subcommand, CLI11 refuses the arguments.
  bool unknown_command = crashed.output.find("subcommand") != std::string::npos ||
                         crashed.output.find("not expected") != std::string::npos;
  if (!crashed.killed_by_crash_point() && crashed.exit_code != 0 && unknown_command)
    GTEST_SKIP() << "civicdesk has no `lockbox import` command yet: " << crashed.describe();
  ASSERT_TRUE(crashed.killed_by_crash_point()) << crashed.describe();
  ASSERT_TRUE(restarts(url));
  EXPECT_TRUE(store_intact(url));
  EXPECT_TRUE(audit_verifies(url));
  ChildResult again = run_civicdesk(url, {"lockbox", "import", path});
  ASSERT_TRUE(again.exited_ok()) << again.describe();
  EXPECT_NE(again.output.find("posted 1500 payments"), std::string::npos) << again.output;
  ChildResult third = run_civicdesk(url, {"lockbox", "import", path});
  ASSERT_TRUE(third.exited_ok()) << third.describe();
  EXPECT_NE(third.output.find("already imported"), std::string::npos) << third.output;
  auto db = store::open_database(url);
  ASSERT_TRUE(db);
  auto sums = (*db)->read<std::pair<std::int64_t, std::int64_t>>(
      [](store::Connection& c) -> Result<std::pair<std::int64_t, std::int64_t>> {
        CD_ASSIGN(auto row, c.query_one("SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM "
                                        "payments WHERE channel = 'lockbox'"));
        return std::pair{row.integer(0), row.integer(1)};
      });
  ASSERT_TRUE(sums);
  EXPECT_EQ(sums->first, 1500);
  EXPECT_EQ(sums->second, gen.total_cents);
  auto rep = ledger::check(**db);
  ASSERT_TRUE(rep);
  EXPECT_TRUE(rep->ok());
  std::filesystem::remove(path);
}

INSTANTIATE_TEST_SUITE_P(Backends, LockboxCrashTest, ::testing::ValuesIn(test_backends()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace civicdesk::testing
