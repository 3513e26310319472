// Remittance batches (control count and total first, then items, then an idempotent post) and
// the exception queue a CSR III works.
#include <boost/json.hpp>

#include "core/limits.h"
#include "remittance/mailroom.h"
#include "remittance/mailroom_internal.h"
#include "remittance/matching.h"
#include "remittance/scanline.h"

namespace civicdesk::remittance {
namespace json = boost::json;
using namespace detail;

namespace {

std::string batch_key(std::int64_t batch_id, std::int64_t seq) {
  return "batch:" + std::to_string(batch_id) + ":" + std::to_string(seq);
}

Result<void> validate_batch(const BatchInput& in) {
  CD_TRY(check_range(in.control_count, 1, kMaxBatchItems, "control_count"));
  if (!in.control_total.is_positive())
    return fail(Error::invalid("control_total", "control_total must be more than $0.00"));
  if (in.control_total.cents() > kMaxPaymentCents)
    return fail(Error::invalid("control_total",
                               "control_total is over the largest amount "
                               "civicdesk accepts"));
  return check_length(in.note, kMaxNoteLength, "note");
}

Result<void> validate_item(const ItemInput& in) {
  if (!in.check_amount.is_positive())
    return fail(Error::invalid("check_amount", "check_amount must be more than $0.00"));
  if (in.check_amount.cents() > kMaxPaymentCents)
    return fail(Error::invalid("check_amount",
                               "check_amount is over the largest amount "
                               "civicdesk accepts"));
  CD_TRY(check_length(in.scanline, kMaxScanlineInputLength, "scanline"));
  CD_TRY(check_length(in.account_number, kMaxScanlineInputLength, "account_number"));
  CD_TRY(check_length(in.check_number, kMaxReferenceLength - 6, "check_number"));
  return check_length(in.payer, kMaxNameLength, "payer");
}

json::object item_audit(const BatchItem& i) {
  return json::object{{"batch_id", i.batch_id},
                      {"seq", i.seq},
                      {"check_amount", format_plain(i.check_amount)},
                      {"status", i.status},
                      {"exception_reason", i.exception_reason}};
}

constexpr const char* kExceptionSelect =
    "SELECT e.id, e.reason, e.message, e.status, e.created_us, e.resolved_by_name, "
    "e.resolution_note, e.resolved_us, b.source, e.item_id FROM remittance_exceptions e "
    "JOIN remittance_items i ON i.id = e.item_id JOIN remittance_batches b ON b.id = i.batch_id ";

Result<RemittanceException> load_exception(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query(std::string(kExceptionSelect) + "WHERE e.id = ?", {id}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no remittance exception " + std::to_string(id));
  const auto& r = rows[0];
  RemittanceException e;
  e.id = r.integer(0);
  e.reason = r.text(1);
  e.message = r.text(2);
  e.status = r.text(3);
  e.created_us = r.integer(4);
  e.resolved_by_name = r.text(5);
  e.resolution_note = r.text(6);
  e.resolved_us = r.opt_integer(7).value_or(0);
  e.source = r.text(8);
  CD_ASSIGN(e.item, load_item(c, r.integer(9)));
  return e;
}

}  // namespace

Result<Batch> MailRoom::open_batch(const Actor& actor, const BatchInput& input) {
  CD_TRY(validate_batch(input));
  CivilDate date = ledger_.today();
  if (!input.batch_date.empty()) {
    CD_ASSIGN(date, parse_date(input.batch_date, "batch_date"));
  }
  Timestamp now = clock_.now_us();
  return db_.write<Batch>([&](store::Connection& c) -> Result<Batch> {
    CD_ASSIGN(auto id,
              c.query_int("INSERT INTO remittance_batches (source, batch_date, control_count, "
                          "control_total_cents, status, note, created_by, created_by_name, "
                          "created_us) VALUES ('mail', ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
                          {date.iso(), input.control_count, input.control_total.cents(), input.note,
                           id_or_null(actor.user_id.value), actor.username, now}));
    CD_TRY(
        audit(c, actor, now, "batch.open", "remittance_batch", id,
              json::serialize(json::object{{"control_count", input.control_count},
                                           {"control_total", format_plain(input.control_total)}})));
    return load_batch(c, id, false);
  });
}

Result<BatchItem> MailRoom::add_item(const Actor& actor, std::int64_t batch_id,
                                     const ItemInput& input) {
  CD_TRY(validate_item(input));
  std::optional<std::int64_t> due;
  if (input.amount_due) due = input.amount_due->cents();
  CD_ASSIGN(StubReading reading, read_mail_stub(input.scanline, input.account_number, due));
  Timestamp now = clock_.now_us();
  return db_.write<BatchItem>([&](store::Connection& c) -> Result<BatchItem> {
    CD_ASSIGN(Batch b, load_batch(c, batch_id, false));
    if (b.source != "mail")
      return fail(ErrorCode::kUnprocessable, "lockbox batches come only from the bank's file");
    if (b.status != "open")
      return fail(ErrorCode::kUnprocessable, "batch " + std::to_string(b.id) + " is " + b.status +
                                                 "; no more items can be added");
    if (b.item_count >= kMaxBatchItems)
      return fail(ErrorCode::kTooLarge, "a batch holds at most " + std::to_string(kMaxBatchItems) +
                                            " items; open another batch");
    if (input.mail_id) {
      auto m = c.query("SELECT kind, batch_id FROM mail_log WHERE id = ?", {input.mail_id});
      if (!m) return std::unexpected(m.error());
      if (m->empty() || (*m)[0].text(0) != "payment" ||
          (*m)[0].opt_integer(1).value_or(0) != batch_id)
        return fail(Error::invalid("mail_id", "mail " + std::to_string(input.mail_id) +
                                                  " is not a payment logged to this batch"));
    }
    std::optional<std::int64_t> party;
    if (reading.account_number) {
      CD_ASSIGN(party, party_for_account(c, reading.account_number));
    }
    Decision d = decide(reading, party.has_value(), input.check_amount.cents());
    CD_ASSIGN(auto seq, c.query_int("SELECT COALESCE(MAX(seq), 0) + 1 FROM remittance_items "
                                    "WHERE batch_id = ?",
                                    {batch_id}));
    CD_ASSIGN(
        auto id,
        c.query_int(
            "INSERT INTO remittance_items (batch_id, seq, entry_method, scanline, "
            "account_number, account_ref, party_id, stub_amount_cents, "
            "check_amount_cents, check_number, payer, mail_id, status, "
            "posting_key, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "'ready', ?, ?) RETURNING id",
            {batch_id, seq, reading.entry_method, reading.scanline,
             reading.account_number ? std::to_string(reading.account_number) : "",
             party ? account_ref_for(reading.account_number) : "", id_or_null(party.value_or(0)),
             reading.amount_due_cents ? store::Value{*reading.amount_due_cents} : store::null(),
             input.check_amount.cents(), input.check_number, input.payer, id_or_null(input.mail_id),
             batch_key(batch_id, seq), now}));
    if (!d.reason.empty()) CD_TRY(queue_exception(c, id, d.reason, d.message, now));
    CD_ASSIGN(BatchItem item, load_item(c, id));
    CD_TRY(audit(c, actor, now, "batch.item", "remittance_item", id,
                 json::serialize(item_audit(item))));
    return item;
  });
}

Result<Batch> MailRoom::remove_item(const Actor& actor, std::int64_t batch_id,
                                    std::int64_t item_id) {
  Timestamp now = clock_.now_us();
  return db_.write<Batch>([&](store::Connection& c) -> Result<Batch> {
    CD_ASSIGN(BatchItem item, load_item(c, item_id));
    if (item.batch_id != batch_id)
      return fail(ErrorCode::kNotFound,
                  "batch " + std::to_string(batch_id) + " has no item " + std::to_string(item_id));
    CD_ASSIGN(Batch b, load_batch(c, batch_id, false));
    if (b.status != "open" || b.source != "mail")
      return fail(ErrorCode::kUnprocessable, "items can be removed only from an open mail batch");
    if (item.status != "ready" && item.status != "exception")
      return fail(ErrorCode::kUnprocessable, "this item is " + item.status);
    CD_TRY(c.exec("UPDATE remittance_items SET status = 'removed' WHERE id = ?", {item_id}));
    CD_TRY(
        c.exec("UPDATE remittance_exceptions SET status = 'rejected', resolved_by = ?, "
               "resolved_by_name = ?, resolved_us = ?, resolution_note = 'item removed from "
               "its batch' WHERE item_id = ? AND status = 'open'",
               {id_or_null(actor.user_id.value), actor.username, now, item_id}));
    CD_TRY(audit(c, actor, now, "batch.item_removed", "remittance_item", item_id,
                 json::serialize(item_audit(item))));
    return load_batch(c, batch_id, true);
  });
}

Result<Batch> MailRoom::batch(std::int64_t id, bool with_items) {
  return db_.read<Batch>([&](store::Connection& c) { return load_batch(c, id, with_items); });
}

Result<std::vector<Batch>> MailRoom::batches(const std::string& status) {
  if (status != "open" && status != "posting" && status != "posted" && status != "all")
    return fail(Error::invalid("status", "status must be open, posting, posted or all"));
  return db_.read<std::vector<Batch>>([&](store::Connection& c) -> Result<std::vector<Batch>> {
    store::Params p;
    std::string sql = "SELECT id FROM remittance_batches ";
    if (status != "all") {
      sql += "WHERE status = ? ";
      p.push_back(status);
    }
    sql += "ORDER BY id DESC LIMIT ?";
    p.push_back(static_cast<std::int64_t>(kMaxPageSize));
    CD_ASSIGN(auto rows, c.query(sql, p));
    std::vector<Batch> out;
    for (const auto& r : rows) {
      CD_ASSIGN(Batch b, load_batch(c, r.integer(0), false));
      out.push_back(std::move(b));
    }
    return out;
  });
}

Result<PostResult> MailRoom::post_batch(const Actor& actor, std::int64_t batch_id) {
  // 1. Check the balance and mark the batch as posting (once; a retry finds it posting).
  CD_ASSIGN(Batch start, db_.write<Batch>([&](store::Connection& c) -> Result<Batch> {
    CD_ASSIGN(Batch b, load_batch(c, batch_id, false));
    if (b.source != "mail")
      return fail(ErrorCode::kUnprocessable, "lockbox batches post when their file is imported");
    if (b.status != "open") return b;
    if (b.count_difference != 0)
      return fail(ErrorCode::kUnprocessable,
                  "the batch has " + std::to_string(b.item_count) +
                      " items; its control count is " + std::to_string(b.control_count),
                  "control_count");
    if (!b.total_difference.is_zero())
      return fail(ErrorCode::kUnprocessable,
                  "the items add up to " + format_money(b.item_total) + "; the control total is " +
                      format_money(b.control_total) + " (difference " +
                      format_money(b.total_difference) + ")",
                  "control_total");
    Timestamp now = clock_.now_us();
    CD_TRY(c.exec("UPDATE remittance_batches SET status = 'posting' WHERE id = ?", {batch_id}));
    CD_TRY(audit(c, actor, now, "batch.post_started", "remittance_batch", batch_id,
                 json::serialize(json::object{{"items", b.item_count},
                                              {"total", format_plain(b.item_total)}})));
    b.status = "posting";
    return b;
  }));
  PostResult out;
  if (start.status == "posted") {
    out.batch = start;
    return out;
  }
  // 2. Post the ready items, items_per_tx_ per transaction, each under its own key.
  std::int64_t now_cents = 0;
  for (;;) {
    using Progress = std::pair<std::int64_t, std::int64_t>;
    CD_ASSIGN(Progress done, db_.write<Progress>([&](store::Connection& c) -> Result<Progress> {
      CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kItemColumns +
                                       " FROM remittance_items i WHERE i.batch_id = ? AND "
                                       "i.status = 'ready' ORDER BY i.seq LIMIT ?",
                                   {batch_id, static_cast<std::int64_t>(items_per_tx_)}));
      Progress p{0, 0};
      Timestamp now = clock_.now_us();
      std::int64_t touched = 0;
      for (const auto& r : rows) {
        BatchItem item = item_from_row(r);
        CD_ASSIGN(PostOutcome o, post_or_queue(c, ledger_, actor, item, "mail", now));
        ++touched;
        CRASH_POINT("batch.post.after_item");
        if (!o.posted) continue;
        ++p.first;
        p.second += item.check_amount.cents();
      }
      if (touched == 0) return Progress{-1, 0};
      CD_TRY(
          c.exec("UPDATE remittance_batches SET posted_count = posted_count + ?, "
                 "posted_total_cents = posted_total_cents + ? WHERE id = ?",
                 {p.first, p.second, batch_id}));
      return p;
    }));
    if (done.first < 0) break;
    out.posted_now += done.first;
    now_cents += done.second;
  }
  out.posted_now_total = Money::from_cents(now_cents);
  // 3. Done.
  CD_ASSIGN(out.batch, db_.write<Batch>([&](store::Connection& c) -> Result<Batch> {
    CD_ASSIGN(Batch b, load_batch(c, batch_id, false));
    if (b.status == "posting") {
      Timestamp now = clock_.now_us();
      CD_TRY(c.exec("UPDATE remittance_batches SET status = 'posted', posted_us = ? WHERE id = ?",
                    {now, batch_id}));
      CD_TRY(audit(c, actor, now, "batch.post", "remittance_batch", batch_id,
                   json::serialize(json::object{{"posted_count", b.posted_count},
                                                {"posted_total", format_plain(b.posted_total)},
                                                {"exceptions", b.exception_count}})));
    }
    return load_batch(c, batch_id, false);
  }));
  return out;
}

Result<std::vector<RemittanceException>> MailRoom::exceptions(const std::string& status) {
  if (status != "open" && status != "resolved" && status != "all")
    return fail(Error::invalid("status", "status must be open, resolved or all"));
  return db_.read<std::vector<RemittanceException>>(
      [&](store::Connection& c) -> Result<std::vector<RemittanceException>> {
        std::string where = status == "open"       ? "WHERE e.status = 'open' "
                            : status == "resolved" ? "WHERE e.status <> 'open' "
                                                   : "";
        CD_ASSIGN(auto rows, c.query("SELECT e.id FROM remittance_exceptions e " + where +
                                         "ORDER BY e.id LIMIT ?",
                                     {static_cast<std::int64_t>(kMaxPageSize)}));
        std::vector<RemittanceException> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto e, load_exception(c, r.integer(0)));
          out.push_back(std::move(e));
        }
        return out;
      });
}

Result<RemittanceException> MailRoom::exception(std::int64_t id) {
  return db_.read<RemittanceException>([&](store::Connection& c) { return load_exception(c, id); });
}

Result<RemittanceException> MailRoom::resolve_exception(const Actor& actor, std::int64_t id,
                                                        const Resolution& res) {
  if (res.action != "accept" && res.action != "assign" && res.action != "reject")
    return fail(Error::invalid("action", "action must be accept, assign or reject"));
  CD_TRY(check_length(res.note, kMaxNoteLength, "note"));
  std::optional<std::int64_t> account;
  if (res.action == "assign") {
    if (res.account_number.empty() == (res.party_id == 0))
      return fail(Error::invalid("account_number", "assign needs an account_number or a party_id"));
    if (!res.account_number.empty()) {
      auto n = parse_account_number(res.account_number);
      if (!n) return fail(Error::invalid("account_number", n.error()));
      account = *n;
    }
  }
  if (res.action == "reject" && res.note.empty())
    return fail(Error::invalid("note", "say why the payment goes back to the sender"));
  Timestamp now = clock_.now_us();
  return db_.write<RemittanceException>([&](store::Connection& c) -> Result<RemittanceException> {
    CD_ASSIGN(RemittanceException e, load_exception(c, id));
    if (e.status != "open")
      return fail(ErrorCode::kUnprocessable, "this exception was already resolved (" + e.status +
                                                 " by " + e.resolved_by_name + ")");
    BatchItem item = e.item;
    std::string new_status;
    if (res.action == "reject") {
      new_status = "rejected";
      CD_TRY(c.exec("UPDATE remittance_items SET status = 'returned' WHERE id = ?", {item.id}));
    } else {
      if (res.action == "accept") {
        if (!item.party_id)
          return fail(ErrorCode::kUnprocessable,
                      "the account is not known; assign an account or a customer instead",
                      "action");
        new_status = "accepted";
      } else if (account) {
        CD_ASSIGN(auto party, party_for_account(c, *account));
        if (!party)
          return fail(Error::invalid("account_number", "no account " + std::to_string(*account) +
                                                           " (" + account_ref_for(*account) + ")"));
        item.party_id = *party;
        item.account_number = std::to_string(*account);
        item.account_ref = account_ref_for(*account);
        new_status = "assigned";
      } else {
        CD_ASSIGN(auto n, c.query_int("SELECT COUNT(*) FROM parties WHERE id = ?", {res.party_id}));
        if (n == 0)
          return fail(Error::invalid("party_id", "no customer " + std::to_string(res.party_id)));
        item.party_id = res.party_id;
        item.account_ref = "";
        new_status = "assigned";
      }
      CD_TRY(
          c.exec("UPDATE remittance_items SET status = 'ready', party_id = ?, "
                 "account_number = ?, account_ref = ? WHERE id = ?",
                 {item.party_id, item.account_number, item.account_ref, item.id}));
      CD_ASSIGN(Batch b, load_batch(c, item.batch_id, false));
      if (b.status != "open") {
        // The batch has posted (or is posting, or is a lockbox batch): post the item now.
        CD_ASSIGN(PostOutcome o, post_item(c, ledger_, actor, item, b.source, now));
        if (!o.posted)
          return fail(ErrorCode::kUnprocessable,
                      "the ledger refused this payment (" + o.refusal.message +
                          "); assign it elsewhere or reject it (return it to the sender)",
                      "action");
        CD_TRY(
            c.exec("UPDATE remittance_batches SET posted_count = posted_count + 1, "
                   "posted_total_cents = posted_total_cents + ? WHERE id = ?",
                   {item.check_amount.cents(), b.id}));
        if (b.lockbox_import_id)
          CD_TRY(
              c.exec("UPDATE lockbox_imports SET posted_count = posted_count + 1, "
                     "posted_cents = posted_cents + ? WHERE id = ?",
                     {item.check_amount.cents(), b.lockbox_import_id}));
      }
    }
    CD_TRY(
        c.exec("UPDATE remittance_exceptions SET status = ?, resolved_by = ?, "
               "resolved_by_name = ?, resolved_us = ?, resolution_note = ? WHERE id = ?",
               {new_status, id_or_null(actor.user_id.value), actor.username, now, res.note, id}));
    CD_TRY(audit(c, actor, now, "remittance.exception_" + new_status, "remittance_exception", id,
                 json::serialize(json::object{{"item_id", item.id},
                                              {"party_id", item.party_id},
                                              {"account_ref", item.account_ref},
                                              {"note", res.note}})));
    return load_exception(c, id);
  });
}

}  // namespace civicdesk::remittance
