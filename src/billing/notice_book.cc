#include "billing/notice_book.h"

#include <boost/json.hpp>

#include "billing/bill_notice_rules.h"
#include "billing/utility_book_internal.h"
#include "core/assert.h"
#include "core/crash_point.h"

namespace civicdesk::billing {
namespace json = boost::json;

namespace {

std::vector<CivilDate> holiday_dates(const CityConfig& city) {
  std::vector<CivilDate> out;
  for (const auto& h : city.holidays) out.push_back(h.date);
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::string line;
  for (char ch : s) {
    if (ch == '\n') {
      out.push_back(line);
      line.clear();
    } else {
      line += ch;
    }
  }
  if (!line.empty()) out.push_back(line);
  return out;
}

std::string account_ref(std::int64_t number) {
  return "utility:" + std::to_string(number);
}

constexpr const char* kBatchColumns =
    "id, mailed_on, status, accounts, late_count, shutoff_count, held_no_shutoff, "
    "held_in_dispute, held_payment_arrangement, held_below_minimum, brought_current, "
    "created_by_name, created_us, finished_us, last_account_number, held_account_closed";

Result<NoticeBatchView> batch_from(const store::Row& r) {
  NoticeBatchView v;
  v.id = r.integer(0);
  CD_ASSIGN(v.mailed_on, parse_date(r.text(1), "mailed_on"));
  v.status = r.text(2);
  v.accounts = r.integer(3);
  v.late = r.integer(4);
  v.shutoff = r.integer(5);
  v.held_no_shutoff = r.integer(6);
  v.held_in_dispute = r.integer(7);
  v.held_payment_arrangement = r.integer(8);
  v.held_below_minimum = r.integer(9);
  v.brought_current = r.integer(10);
  v.created_by = r.text(11);
  v.created_us = r.integer(12);
  v.finished_us = r.opt_integer(13);
  v.held_account_closed = r.integer(15);
  return v;
}

constexpr const char* kNoticeColumns =
    "id, batch_id, kind, account_number, bill_id, addressee, address, service_address, "
    "past_due_cents, delinquent_since, mailed_on, shutoff_on, status, closed_on, closed_reason, "
    "created_by_name";

Result<BillNotice> notice_from(store::Connection& c, const store::Row& r) {
  BillNotice n;
  n.id = r.integer(0);
  n.batch_id = r.integer(1);
  n.kind = r.text(2);
  n.account_number = r.integer(3);
  n.bill_id = r.opt_integer(4);
  n.addressee = r.text(5);
  n.address_lines = split_lines(r.text(6));
  n.service_address = r.text(7);
  n.past_due = Money::from_cents(r.integer(8));
  CD_ASSIGN(n.delinquent_since, parse_date(r.text(9), "delinquent_since"));
  CD_ASSIGN(n.mailed_on, parse_date(r.text(10), "mailed_on"));
  if (!r.is_null(11)) {
    CD_ASSIGN(n.shutoff_on, parse_date(r.text(11), "shutoff_on"));
  }
  n.status = r.text(12);
  n.closed_on = r.text(13);
  n.closed_reason = r.text(14);
  n.created_by = r.text(15);
  CD_ASSIGN(auto lines, c.query("SELECT bill_id, description, due_date, amount_cents FROM "
                                "bill_notice_lines WHERE notice_id = ? ORDER BY line_no",
                                {n.id}));
  for (const auto& l : lines) {
    NoticeItem item;
    item.bill_id = l.opt_integer(0);
    item.description = l.text(1);
    CD_ASSIGN(item.due_date, parse_date(l.text(2), "due_date"));
    item.amount = Money::from_cents(l.integer(3));
    n.items.push_back(std::move(item));
  }
  return n;
}

// One account as the run sees it.
struct Candidate {
  std::int64_t id = 0;
  NoticeAccount account;
  std::string addressee, address, service_address;
  std::vector<OpenItem> past_due_items;  // for the letters, oldest first
  std::optional<std::int64_t> open_shutoff_id;
};

// Accounts with something past due on `day` or an open shut-off notice, after `cursor`.
Result<store::Rows> candidates(store::Connection& c, CivilDate day, std::int64_t cursor,
                               int limit) {
  return c.query(
      "SELECT a.id, a.number, a.no_shutoff, a.in_dispute, a.payment_arrangement, p.display_name, "
      "a.mail_line1, a.mail_line2, a.mail_city, a.mail_state, a.mail_postal_code, pr.line1, "
      "pr.line2, pr.city, pr.state, pr.postal_code, a.status FROM utility_accounts a "
      "JOIN parties p ON p.id = a.party_id JOIN premises pr ON pr.id = a.premise_id "
      "WHERE a.number > ? AND (EXISTS (SELECT 1 FROM obligations o WHERE o.account_ref = "
      "'utility:' || CAST(a.number AS TEXT) AND o.status = 'open' AND o.balance_cents > 0 AND "
      "o.due_date < ?) OR EXISTS (SELECT 1 FROM bill_notices n WHERE n.account_id = a.id AND "
      "n.kind = 'shutoff' AND n.status = 'open')) ORDER BY a.number LIMIT ?",
      {cursor, day.iso(), std::int64_t{limit}});
}

Result<Candidate> load_candidate(store::Connection& c, const store::Row& r, CivilDate day) {
  Candidate k;
  k.id = r.integer(0);
  k.account.account_number = r.integer(1);
  k.account.no_shutoff = r.integer(2) != 0;
  k.account.in_dispute = r.integer(3) != 0;
  k.account.payment_arrangement = r.integer(4) != 0;
  k.account.closed = r.text(16) == "closed";
  k.addressee = r.text(5);
  const std::string line2 = r.text(12).empty() ? "" : " " + r.text(12);
  k.service_address = r.text(11) + line2 + ", " + r.text(13) + ", " + r.text(14) + " " + r.text(15);
  // The mailing address, or the service address when the account has none.
  k.address = r.text(6).empty()
                  ? r.text(11) + line2 + "\n" + r.text(13) + ", " + r.text(14) + " " + r.text(15)
                  : r.text(6) + (r.text(7).empty() ? "" : "\n" + r.text(7)) + "\n" + r.text(8) +
                        ", " + r.text(9) + " " + r.text(10);
  CD_ASSIGN(auto items,
            c.query("SELECT o.id, o.description, o.due_date, o.balance_cents, b.id, "
                    "(SELECT COUNT(*) FROM bill_notices n WHERE n.bill_id = b.id AND n.kind = "
                    "'late') FROM obligations o LEFT JOIN bills b ON b.obligation_id = o.id AND "
                    "b.status = 'issued' WHERE o.account_ref = ? AND o.status = 'open' AND "
                    "o.balance_cents > 0 ORDER BY o.due_date, o.id",
                    {account_ref(k.account.account_number)}));
  for (const auto& i : items) {
    OpenItem item;
    item.bill_id = i.is_null(4) ? 0 : i.integer(4);
    item.description = item.bill_id > 0 ? "Bill " + std::to_string(item.bill_id) : i.text(1);
    CD_ASSIGN(item.due_date, parse_date(i.text(2), "due_date"));
    item.balance = Money::from_cents(i.integer(3));
    item.late_notice_sent = i.integer(5) > 0;
    item.obligation_id = i.integer(0);
    if (item.due_date < day) k.past_due_items.push_back(item);
    k.account.items.push_back(std::move(item));
  }
  CD_ASSIGN(auto open, c.query("SELECT id FROM bill_notices WHERE account_id = ? AND kind = "
                               "'shutoff' AND status = 'open'",
                               {k.id}));
  if (!open.empty()) {
    k.open_shutoff_id = open.front().integer(0);
    CD_ASSIGN(auto listed, c.query("SELECT obligation_id FROM bill_notice_lines WHERE notice_id "
                                   "= ? ORDER BY line_no",
                                   {*k.open_shutoff_id}));
    for (const auto& l : listed) k.account.noticed_items.push_back(l.integer(0));
  }
  k.account.open_shutoff_notice = k.open_shutoff_id.has_value();
  return k;
}

struct NewNotice {
  std::string kind;
  std::optional<std::int64_t> bill_id;
  std::optional<CivilDate> shutoff_on;
};

Result<void> insert_notice(store::Connection& c, const Actor& actor, Timestamp now,
                           std::int64_t batch_id, CivilDate day, const Candidate& k,
                           const NoticeDecision& d, const NewNotice& n) {
  const store::Value bill = n.bill_id ? store::Value{*n.bill_id} : store::Value{};
  const store::Value shutoff = n.shutoff_on ? store::Value{n.shutoff_on->iso()} : store::Value{};
  CD_ASSIGN(
      const std::int64_t id,
      c.query_int("INSERT INTO bill_notices (batch_id, kind, account_id, account_number, "
                  "bill_id, addressee, address, service_address, past_due_cents, "
                  "delinquent_since, mailed_on, shutoff_on, status, created_by_name, "
                  "created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "RETURNING id",
                  {batch_id, n.kind, k.id, k.account.account_number, bill, k.addressee, k.address,
                   k.service_address, d.past_due.cents(), d.delinquent_since.iso(), day.iso(),
                   shutoff, std::string(n.kind == "late" ? "sent" : "open"), actor.username, now}));
  std::int64_t line_no = 0;
  for (const OpenItem& item : k.past_due_items) {
    const store::Value item_bill = item.bill_id > 0 ? store::Value{item.bill_id} : store::Value{};
    CD_TRY(
        c.exec("INSERT INTO bill_notice_lines (notice_id, line_no, obligation_id, bill_id, "
               "description, due_date, amount_cents) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {id, ++line_no, item.obligation_id, item_bill, item.description, item.due_date.iso(),
                item.balance.cents()}));
  }
  return {};
}

struct Tally {
  std::int64_t accounts = 0, late = 0, shutoff = 0, medical = 0, dispute = 0, arrangement = 0,
               below = 0, closed = 0, current = 0;
  std::int64_t last = -1;
};

void count_held(Tally& t, const std::string& reason) {
  if (reason == kHeldMedical) ++t.medical;
  if (reason == kHeldDispute) ++t.dispute;
  if (reason == kHeldArrangement) ++t.arrangement;
  if (reason == kHeldBelowMinimum) ++t.below;
  if (reason == kHeldClosed) ++t.closed;
}

// One account of a run, inside the batch's transaction: decide, then write what was decided.
Result<void> notice_account(store::Connection& c, const Actor& actor, Timestamp now,
                            std::int64_t batch_id, CivilDate day, const NoticeRules& rules,
                            const BusinessCalendar& calendar, const store::Row& row, Tally& t) {
  CD_ASSIGN(const Candidate k, load_candidate(c, row, day));
  t.last = k.account.account_number;
  ++t.accounts;
  const NoticeDecision d = decide_notices(rules, calendar, k.account, day);
  // Closed first: the account's next delinquency may be noticed in this same run.
  if (d.brought_current && k.open_shutoff_id) {
    CD_TRY(
        c.exec("UPDATE bill_notices SET status = 'closed', closed_on = ?, closed_reason = "
               "'brought current' WHERE id = ? AND status = 'open'",
               {day.iso(), *k.open_shutoff_id}));
    ++t.current;
  }
  for (std::int64_t bill : d.late_notice_bills) {
    CD_TRY(insert_notice(c, actor, now, batch_id, day, k, d, {"late", bill, std::nullopt}));
    ++t.late;
  }
  if (d.shutoff_notice) {
    CD_TRY(
        insert_notice(c, actor, now, batch_id, day, k, d, {"shutoff", std::nullopt, d.shutoff_on}));
    ++t.shutoff;
  }
  count_held(t, d.held_reason);
  return {};
}

}  // namespace

NoticeBook::NoticeBook(store::Database& db, const CityConfig& city, const Clock& clock,
                       const TimeZone& tz)
    : db_(db), city_(city), clock_(clock), tz_(tz), calendar_(holiday_dates(city)) {}

CivilDate NoticeBook::today() const {
  return tz_.local_date(clock_.now_us() / kMicrosPerSecond);
}

Result<NoticeBatchView> NoticeBook::run(const Actor& actor, const std::string& date,
                                        const Progress& progress) {
  CD_ASSIGN(const CivilDate day, parse_date(date, "date"));
  if (today().plus_days(kMaxNoticeDaysAhead) < day)
    return fail(Error::invalid("date", "a notice batch is prepared at most " +
                                           std::to_string(kMaxNoticeDaysAhead) +
                                           " days ahead of its mailing date"));
  // The batch of the date: found, or started.
  CD_ASSIGN(
      auto found, db_.write<NoticeBatchView>([&](store::Connection& c) -> Result<NoticeBatchView> {
        CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kBatchColumns +
                                         " FROM bill_notice_batches WHERE mailed_on = ?",
                                     {day.iso()}));
        if (!rows.empty()) {
          CD_ASSIGN(auto v, batch_from(rows.front()));
          v.already_run = v.status == "finished";
          return v;
        }
        const Timestamp now = clock_.now_us();
        CD_ASSIGN(
            const std::int64_t id,
            c.query_int("INSERT INTO bill_notice_batches (mailed_on, status, created_by_name, "
                        "created_us) VALUES (?, 'running', ?, ?) RETURNING id",
                        {day.iso(), actor.username, now}));
        CD_TRY(detail::audit(c, actor, now, "bill_notice_batch.start", "bill_notice_batches", id,
                             json::object{{"mailed_on", day.iso()}}));
        CD_ASSIGN(auto row, c.query_one(std::string("SELECT ") + kBatchColumns +
                                            " FROM bill_notice_batches WHERE id = ?",
                                        {id}));
        return batch_from(row);
      }));
  if (found.already_run) return found;
  const NoticeRules rules = notice_rules(city_.billing);
  const int batch_size = city_.billing.notices.batch_size;
  const std::int64_t batch_id = found.id;
  for (;;) {
    CD_ASSIGN(auto view, db_.write<NoticeBatchView>([&](store::Connection& c)
                                                        -> Result<NoticeBatchView> {
      const Timestamp now = clock_.now_us();
      CD_ASSIGN(const std::int64_t cursor,
                c.query_int("SELECT last_account_number FROM bill_notice_batches WHERE id = ?",
                            {batch_id}));
      CD_ASSIGN(auto rows, candidates(c, day, cursor, batch_size));
      Tally t;
      for (const auto& r : rows) {
        CD_TRY(notice_account(c, actor, now, batch_id, day, rules, calendar_, r, t));
        CRASH_POINT("billing.notices.after_account");
      }
      const bool done = static_cast<int>(rows.size()) < batch_size;
      CD_TRY(c.exec(
          "UPDATE bill_notice_batches SET last_account_number = ?, accounts = accounts + ?, "
          "late_count = late_count + ?, shutoff_count = shutoff_count + ?, held_no_shutoff = "
          "held_no_shutoff + ?, held_in_dispute = held_in_dispute + ?, held_payment_arrangement "
          "= held_payment_arrangement + ?, held_below_minimum = held_below_minimum + ?, "
          "held_account_closed = held_account_closed + ?, brought_current = brought_current + "
          "? WHERE id = ?",
          {t.last < 0 ? cursor : t.last, t.accounts, t.late, t.shutoff, t.medical, t.dispute,
           t.arrangement, t.below, t.closed, t.current, batch_id}));
      if (t.late + t.shutoff + t.current > 0)
        CD_TRY(detail::audit(c, actor, now, "bill_notice.issue", "bill_notice_batches", batch_id,
                             json::object{{"mailed_on", day.iso()},
                                          {"late", t.late},
                                          {"shutoff", t.shutoff},
                                          {"brought_current", t.current},
                                          {"through_account", t.last}}));
      if (done) {
        CD_TRY(
            c.exec("UPDATE bill_notice_batches SET status = 'finished', finished_us = ? "
                   "WHERE id = ?",
                   {now, batch_id}));
      }
      CD_ASSIGN(auto row, c.query_one(std::string("SELECT ") + kBatchColumns +
                                          " FROM bill_notice_batches WHERE id = ?",
                                      {batch_id}));
      CD_ASSIGN(auto v, batch_from(row));
      if (done)
        CD_TRY(detail::audit(c, actor, now, "bill_notice_batch.finish", "bill_notice_batches",
                             batch_id,
                             json::object{{"mailed_on", day.iso()},
                                          {"accounts", v.accounts},
                                          {"late", v.late},
                                          {"shutoff", v.shutoff},
                                          {"held_no_shutoff", v.held_no_shutoff},
                                          {"held_in_dispute", v.held_in_dispute},
                                          {"held_payment_arrangement", v.held_payment_arrangement},
                                          {"held_below_minimum", v.held_below_minimum},
                                          {"held_account_closed", v.held_account_closed},
                                          {"brought_current", v.brought_current}}));
      return v;
    }));
    if (progress) progress(view);
    if (view.status == "finished") return view;
  }
}

Result<NoticeBatchView> NoticeBook::batch(std::int64_t id) {
  return db_.read<NoticeBatchView>([&](store::Connection& c) -> Result<NoticeBatchView> {
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kBatchColumns +
                                     " FROM bill_notice_batches WHERE id = ?",
                                 {id}));
    if (rows.empty()) return fail(ErrorCode::kNotFound, "no notice batch " + std::to_string(id));
    return batch_from(rows.front());
  });
}

Result<std::vector<NoticeBatchView>> NoticeBook::batches() {
  using Out = std::vector<NoticeBatchView>;
  return db_.read<Out>([&](store::Connection& c) -> Result<Out> {
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kBatchColumns +
                                     " FROM bill_notice_batches ORDER BY mailed_on DESC LIMIT ?",
                                 {std::int64_t{kMaxNoticeBatchesListed}}));
    Out out;
    for (const auto& r : rows) {
      CD_ASSIGN(auto v, batch_from(r));
      out.push_back(std::move(v));
    }
    return out;
  });
}

Result<std::vector<BillNotice>> NoticeBook::notices_in(std::int64_t batch_id) {
  using Out = std::vector<BillNotice>;
  return db_.read<Out>([&](store::Connection& c) -> Result<Out> {
    CD_ASSIGN(auto exists,
              c.query_int("SELECT COUNT(*) FROM bill_notice_batches WHERE id = ?", {batch_id}));
    if (exists == 0)
      return fail(ErrorCode::kNotFound, "no notice batch " + std::to_string(batch_id));
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kNoticeColumns +
                                     " FROM bill_notices WHERE batch_id = ? ORDER BY "
                                     "account_number, kind, id",
                                 {batch_id}));
    Out out;
    for (const auto& r : rows) {
      CD_ASSIGN(auto n, notice_from(c, r));
      out.push_back(std::move(n));
    }
    return out;
  });
}

Result<std::string> NoticeBook::batch_pdf(std::int64_t batch_id,
                                          const BillNoticePdfOptions& options) {
  CD_ASSIGN(auto notices, notices_in(batch_id));
  if (notices.empty())
    return fail(ErrorCode::kUnprocessable,
                "notice batch " + std::to_string(batch_id) + " has no notices to print");
  std::vector<BillNoticeLetter> letters;
  letters.reserve(notices.size());
  for (const BillNotice& n : notices) {
    BillNoticeLetter l;
    l.kind = n.kind;
    l.city_name = city_.name;
    l.contact = city_.contact;
    l.reference = "Notice " + std::to_string(n.id) + ", batch " + n.mailed_on.iso();
    l.mailed_on = n.mailed_on;
    l.addressee_name = n.addressee;
    l.address_lines = n.address_lines;
    l.account_number = n.account_number;
    l.service_address = n.service_address;
    l.items = n.items;
    l.past_due = n.past_due;
    l.shutoff_on = n.shutoff_on;
    letters.push_back(std::move(l));
  }
  return render_bill_notices_pdf(letters, options);
}

Result<std::vector<BillNotice>> NoticeBook::notices_of(std::int64_t account_number) {
  using Out = std::vector<BillNotice>;
  return db_.read<Out>([&](store::Connection& c) -> Result<Out> {
    CD_ASSIGN(auto exists, c.query_int("SELECT COUNT(*) FROM utility_accounts WHERE number = ?",
                                       {account_number}));
    if (exists == 0)
      return fail(ErrorCode::kNotFound, "no utility account " + std::to_string(account_number));
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kNoticeColumns +
                                     " FROM bill_notices WHERE account_number = ? ORDER BY "
                                     "mailed_on DESC, id DESC LIMIT ?",
                                 {account_number, std::int64_t{kMaxAccountNoticesListed}}));
    Out out;
    for (const auto& r : rows) {
      CD_ASSIGN(auto n, notice_from(c, r));
      out.push_back(std::move(n));
    }
    return out;
  });
}

Result<std::vector<ShutoffListRow>> NoticeBook::shutoff_list(const std::string& date) {
  CD_ASSIGN(const CivilDate day,
            date.empty() ? Result<CivilDate>(today()) : parse_date(date, "date"));
  using Out = std::vector<ShutoffListRow>;
  return db_.read<Out>([&](store::Connection& c) -> Result<Out> {
    CD_ASSIGN(
        auto rows,
        c.query("SELECT n.id, n.account_number, p.display_name, n.service_address, "
                "n.delinquent_since, n.mailed_on, n.shutoff_on, a.id, (SELECT "
                "CAST(COALESCE(SUM(o.balance_cents), 0) AS BIGINT) FROM obligations o WHERE "
                "o.account_ref = 'utility:' || CAST(a.number AS TEXT) AND o.status = 'open' AND "
                "o.due_date < ?) "
                "FROM bill_notices n JOIN utility_accounts a ON a.id = n.account_id JOIN parties "
                "p ON p.id = a.party_id WHERE n.kind = 'shutoff' AND n.status = 'open' AND "
                "n.shutoff_on <= ? AND a.status = 'active' AND a.no_shutoff = 0 AND "
                "a.in_dispute = 0 AND a.payment_arrangement = 0 AND EXISTS (SELECT 1 FROM "
                "bill_notice_lines l JOIN obligations lo ON lo.id = l.obligation_id WHERE "
                "l.notice_id = n.id AND lo.status = 'open' AND lo.balance_cents > 0) "
                "ORDER BY n.shutoff_on, n.account_number LIMIT ?",
                {day.iso(), day.iso(), std::int64_t{kMaxShutoffListRows}}));
    Out out;
    for (const auto& r : rows) {
      ShutoffListRow row;
      row.notice_id = r.integer(0);
      row.account_number = r.integer(1);
      row.customer_name = r.text(2);
      row.service_address = r.text(3);
      CD_ASSIGN(row.delinquent_since, parse_date(r.text(4), "delinquent_since"));
      CD_ASSIGN(row.mailed_on, parse_date(r.text(5), "mailed_on"));
      CD_ASSIGN(row.shutoff_on, parse_date(r.text(6), "shutoff_on"));
      row.past_due = Money::from_cents(r.integer(8));
      CD_ASSIGN(auto meters, c.query("SELECT m.serial FROM meter_installs i JOIN meters m ON "
                                     "m.id = i.meter_id WHERE i.account_id = ? AND "
                                     "i.removed_on IS NULL ORDER BY m.serial",
                                     {r.integer(7)}));
      for (const auto& m : meters) row.meters += (row.meters.empty() ? "" : " ") + m.text(0);
      out.push_back(std::move(row));
    }
    return out;
  });
}

namespace {

// Quoted; a leading = + - @ is prefixed with ' so a spreadsheet shows it as text, never runs it.
std::string csv_text(const std::string& s) {
  std::string out = "\"";
  if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) out += '\'';
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string shutoff_list_csv(const std::vector<ShutoffListRow>& rows) {
  std::string out =
      "account_number,customer_name,service_address,meters,past_due,delinquent_since,"
      "notice_mailed_on,shutoff_on,notice_id\n";
  for (const auto& r : rows) {
    out += std::to_string(r.account_number) + "," + csv_text(r.customer_name) + "," +
           csv_text(r.service_address) + "," + csv_text(r.meters) + "," + format_plain(r.past_due) +
           "," + r.delinquent_since.iso() + "," + r.mailed_on.iso() + "," + r.shutoff_on.iso() +
           "," + std::to_string(r.notice_id) + "\n";
  }
  return out;
}

}  // namespace civicdesk::billing
