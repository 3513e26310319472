// Single bills (bill_run.h): reading them, one account billed now (a final bill), cancel and
// rebill, late penalties and the flags that hold them back, and the printable document.
#include <boost/json.hpp>

#include <algorithm>

#include "billing/bill_run.h"
#include "billing/bill_run_internal.h"
#include "billing/premise.h"
#include "billing/utility_account.h"
#include "billing/utility_book_internal.h"
#include "core/crash_point.h"

namespace civicdesk::billing {
namespace json = boost::json;

namespace {

using detail::AccountRow;

constexpr const char* kBillSelect =
    "SELECT b.id, b.account_number, b.party_id, b.run_id, b.kind, b.period_from, b.period_to, "
    "b.days, b.usage_mccf, b.bill_date, b.due_date, b.obligation_id, b.total_cents, "
    "b.previous_balance_cents, b.status, b.estimated, b.read_ids, b.rebill_of, b.cancel_reason, "
    "b.cancelled_by_name, b.created_by_name, COALESCE(o.balance_cents, 0) "
    "FROM bills b LEFT JOIN obligations o ON o.id = b.obligation_id ";

Result<BillView> bill_row(store::Connection& c, const store::Row& r) {
  BillView b;
  b.id = r.integer(0);
  b.account_number = r.integer(1);
  b.party_id = r.integer(2);
  b.run_id = r.opt_integer(3);
  b.kind = r.text(4);
  CD_ASSIGN(b.period_from, parse_date(r.text(5), "period_from"));
  CD_ASSIGN(b.period_to, parse_date(r.text(6), "period_to"));
  b.days = r.integer(7);
  b.usage_mccf = r.integer(8);
  CD_ASSIGN(b.bill_date, parse_date(r.text(9), "bill_date"));
  CD_ASSIGN(b.due_date, parse_date(r.text(10), "due_date"));
  b.obligation_id = r.opt_integer(11);
  b.total = Money::from_cents(r.integer(12));
  b.previous_balance = Money::from_cents(r.integer(13));
  b.status = r.text(14);
  b.estimated = r.integer(15) != 0;
  b.read_ids = r.text(16);
  b.rebill_of = r.opt_integer(17);
  b.cancel_reason = r.text(18);
  b.cancelled_by = r.text(19);
  b.created_by = r.text(20);
  b.balance = Money::from_cents(r.integer(21));
  CD_ASSIGN(auto lines, c.query("SELECT line_no, service, component, description, amount_cents, "
                                "revenue_account, explanation, read_ids FROM bill_lines WHERE "
                                "bill_id = ? ORDER BY line_no",
                                {b.id}));
  for (const auto& l : lines)
    b.lines.push_back({static_cast<int>(l.integer(0)), l.text(1), l.text(2), l.text(3),
                       Money::from_cents(l.integer(4)), l.text(5), l.text(6), l.text(7)});
  return b;
}

Result<BillView> load_bill(store::Connection& c, std::int64_t id) {
  auto row = c.query_one(std::string(kBillSelect) + "WHERE b.id = ?", {id});
  if (!row) {
    if (row.error().code == ErrorCode::kNotFound)
      return fail(ErrorCode::kNotFound, "no bill " + std::to_string(id), "id");
    return std::unexpected(row.error());
  }
  return bill_row(c, *row);
}

Result<AccountRow> account_by_number(store::Connection& c, std::int64_t number) {
  auto a = detail::account_row_by(c, "number = ?", number);
  if (!a && a.error().code == ErrorCode::kNotFound)
    return fail(ErrorCode::kNotFound, "no utility account " + std::to_string(number), "number");
  return a;
}

std::string service_title(const std::string& s) {
  if (s.empty()) return s;
  std::string out = s;
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// Address lines as the bill document holds them: '\n' between lines.
std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : "\n") + line;
  return out;
}

}  // namespace

Result<BillView> BillRun::bill(std::int64_t bill_id) {
  return db_.read<BillView>([&](store::Connection& c) { return load_bill(c, bill_id); });
}

Result<std::vector<BillView>> BillRun::bills_of(std::int64_t account_number) {
  return db_.read<std::vector<BillView>>(
      [&](store::Connection& c) -> Result<std::vector<BillView>> {
        CD_ASSIGN(auto a, account_by_number(c, account_number));
        CD_ASSIGN(auto rows, c.query(std::string(kBillSelect) +
                                         "WHERE b.account_id = ? ORDER BY b.period_from DESC, "
                                         "b.id DESC LIMIT ?",
                                     {a.id, std::int64_t{kMaxBillsListed}}));
        std::vector<BillView> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto b, bill_row(c, r));
          out.push_back(std::move(b));
        }
        return out;
      });
}

Result<BillView> BillRun::bill_account(const Actor& actor, std::int64_t account_number,
                                       const std::string& through) {
  CD_ASSIGN(const CivilDate end,
            through.empty() ? Result<CivilDate>(today()) : parse_date(through, "through"));
  const CivilDate bill_date = today();
  detail::BillContext ctx{actor,        city_,
                          ledger_,      calculator_,
                          bill_date,    bill_date.plus_days(city_.billing.runs.due_days),
                          std::nullopt, clock_.now_us()};
  CD_ASSIGN(auto id, db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
    CD_ASSIGN(auto a, account_by_number(c, account_number));
    CD_ASSIGN(auto o, detail::bill_one(c, ctx, a, end, std::nullopt));
    if (o.status == "already_billed")
      return fail(ErrorCode::kUnprocessable,
                  "the account is billed through " + end.iso() + " already", "through");
    if (o.status != "billed") return fail(ErrorCode::kUnprocessable, o.reason, o.reason_code);
    CD_TRY(detail::audit(c, actor, ctx.now_us, "bill.issue", "bill", *o.bill_id,
                         json::object{{"account", account_number},
                                      {"through", end.iso()},
                                      {"total", format_plain(o.total)}}));
    return *o.bill_id;
  }));
  return bill(id);
}

Result<BillView> BillRun::cancel_bill(const Actor& actor, std::int64_t bill_id,
                                      const std::string& reason) {
  if (reason.empty()) return fail(Error::invalid("reason", "say why the bill is cancelled"));
  CD_ASSIGN(auto b, bill(bill_id));
  if (b.status == "cancelled") return b;
  if (b.obligation_id) {
    auto cancelled =
        ledger_.cancel(actor, *b.obligation_id, "bill " + std::to_string(bill_id) + ": " + reason,
                       "bill-cancel:" + std::to_string(bill_id));
    // Already cancelled in the ledger by an earlier, interrupted cancel: carry on.
    if (!cancelled && cancelled.error().code != ErrorCode::kUnprocessable)
      return std::unexpected(cancelled.error());
  }
  CRASH_POINT("billing.cancel.after_ledger");
  const Timestamp now = clock_.now_us();
  CD_TRY(db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    CD_ASSIGN(auto changed,
              c.exec("UPDATE bills SET status = 'cancelled', cancel_reason = ?, "
                     "cancelled_by_name = ?, cancelled_us = ? WHERE id = ? AND status = 'issued'",
                     {reason, actor.username, now, bill_id}));
    if (changed > 0)
      CD_TRY(detail::audit(c, actor, now, "bill.cancel", "bill", bill_id,
                           json::object{{"account", b.account_number},
                                        {"reason", reason},
                                        {"total", format_plain(b.total)}}));
    return true;
  }));
  return bill(bill_id);
}

Result<std::vector<BillView>> BillRun::rebill(const Actor& actor, std::int64_t bill_id,
                                              const std::string& reason) {
  if (reason.empty()) return fail(Error::invalid("reason", "say why the bill is rebilled"));
  CD_ASSIGN(auto first, bill(bill_id));
  if (first.status != "issued")
    return fail(ErrorCode::kUnprocessable, "bill " + std::to_string(bill_id) + " is cancelled",
                "status");
  // This bill and every later issued one of the account, newest first.
  CD_ASSIGN(
      auto later,
      db_.read<std::vector<BillView>>([&](store::Connection& c) -> Result<std::vector<BillView>> {
        CD_ASSIGN(auto rows, c.query(std::string(kBillSelect) + "WHERE b.account_number = ? AND "
                                                                "b.status = 'issued' AND "
                                                                "b.period_from >= ? ORDER BY "
                                                                "b.period_from DESC",
                                     {first.account_number, first.period_from.iso()}));
        std::vector<BillView> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto b, bill_row(c, r));
          out.push_back(std::move(b));
        }
        return out;
      }));
  for (const auto& b : later) CD_TRY(cancel_bill(actor, b.id, "rebill: " + reason));
  std::reverse(later.begin(), later.end());
  const CivilDate bill_date = today();
  detail::BillContext ctx{actor,        city_,
                          ledger_,      calculator_,
                          bill_date,    bill_date.plus_days(city_.billing.runs.due_days),
                          std::nullopt, clock_.now_us()};
  std::vector<BillView> out;
  for (const auto& old : later) {
    CD_ASSIGN(auto id, db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
      CD_ASSIGN(auto a, account_by_number(c, old.account_number));
      CD_ASSIGN(auto o,
                detail::bill_one(c, ctx, a, old.period_to,
                                 detail::PeriodOverride{old.period_from, old.period_to, old.id}));
      if (o.status != "billed")
        return fail(ErrorCode::kUnprocessable,
                    "the period " + old.period_from.iso() + " to " + old.period_to.iso() +
                        " cannot be billed again: " + o.reason,
                    o.reason_code);
      CD_TRY(detail::audit(
          c, actor, ctx.now_us, "bill.rebill", "bill", *o.bill_id,
          json::object{
              {"rebill_of", old.id}, {"reason", reason}, {"total", format_plain(o.total)}}));
      return *o.bill_id;
    }));
    CD_ASSIGN(auto b, bill(id));
    out.push_back(std::move(b));
  }
  return out;
}

Result<PenaltyResult> BillRun::assess_penalties(const Actor& actor, const std::string& as_of) {
  CD_ASSIGN(const CivilDate day, parse_date(as_of, "date"));
  const LatePenalty& rule = city_.billing.runs.late_penalty;
  if (rule.percent_bp == 0 && rule.flat_cents == 0)
    return fail(ErrorCode::kUnprocessable, "the City config sets no late penalty",
                "billing.late_penalty");
  if (!city_.gl_account(rule.revenue_account))
    return fail(ErrorCode::kUnprocessable,
                "no revenue account " + rule.revenue_account + " under gl_accounts",
                "billing.late_penalty.revenue_account");
  // Late: due_date + grace < as_of.
  const std::string due_before = day.plus_days(-rule.grace_days).iso();
  PenaltyResult result;
  result.as_of = day;
  std::int64_t after = 0;
  for (;;) {
    const Timestamp now = clock_.now_us();
    struct Batch {
      std::int64_t last = -1;
      PenaltyResult r;
    };
    CD_ASSIGN(auto batch, db_.write<Batch>([&](store::Connection& c) -> Result<Batch> {
      Batch out;
      CD_ASSIGN(auto rows, c.query("SELECT b.id, b.account_number, b.party_id, o.balance_cents, "
                                   "a.in_dispute, a.payment_arrangement, b.due_date FROM bills b "
                                   "JOIN obligations o ON o.id = b.obligation_id "
                                   "JOIN utility_accounts a ON a.id = b.account_id "
                                   "LEFT JOIN bill_penalties p ON p.bill_id = b.id "
                                   "WHERE b.status = 'issued' AND b.due_date < ? AND b.id > ? AND "
                                   "o.status = 'open' AND o.balance_cents > 0 AND p.id IS NULL "
                                   "ORDER BY b.id LIMIT ?",
                                   {due_before, after, std::int64_t{kPenaltyBatch}}));
      for (const auto& r : rows) {
        out.last = r.integer(0);
        if (r.integer(4) != 0) {
          ++out.r.skipped_dispute;
          continue;
        }
        if (r.integer(5) != 0) {
          ++out.r.skipped_arrangement;
          continue;
        }
        const Money balance = Money::from_cents(r.integer(3));
        Money amount = Money::from_cents(rule.flat_cents);
        if (rule.percent_bp > 0) {
          CD_ASSIGN(amount, Money::percent_of(balance, rule.percent_bp, RoundingMode::kHalfUp));
        }
        if (!amount.is_positive()) continue;
        ledger::ChargeRequest charge;
        charge.party_id = r.integer(2);
        charge.account_ref = ledger_account_ref(r.integer(1));
        charge.kind = "utility_bill";
        charge.description =
            "Late penalty on bill " + std::to_string(r.integer(0)) + " (due " + r.text(6) + ")";
        charge.due_date = day.plus_days(city_.billing.runs.due_days);
        charge.lines.push_back({"Late penalty", rule.revenue_account, amount, true});
        charge.source_ref = "bill-penalty:" + std::to_string(r.integer(0));
        charge.idempotency_key = "bill-penalty:" + std::to_string(r.integer(0));
        CD_ASSIGN(auto obligation, ledger_.charge_within(c, actor, charge));
        CD_TRY(
            c.exec("INSERT INTO bill_penalties (bill_id, obligation_id, amount_cents, "
                   "assessed_on, created_by_name, created_us) VALUES (?, ?, ?, ?, ?, ?)",
                   {r.integer(0), obligation.id, amount.cents(), day.iso(), actor.username, now}));
        ++out.r.assessed;
        CD_ASSIGN(out.r.total, out.r.total.add(amount));
      }
      if (out.r.assessed > 0)
        CD_TRY(detail::audit(c, actor, now, "bill.penalties", "bill_penalties", out.last,
                             json::object{{"as_of", day.iso()},
                                          {"assessed", out.r.assessed},
                                          {"total", format_plain(out.r.total)}}));
      return out;
    }));
    result.assessed += batch.r.assessed;
    result.skipped_dispute += batch.r.skipped_dispute;
    result.skipped_arrangement += batch.r.skipped_arrangement;
    CD_ASSIGN(result.total, result.total.add(batch.r.total));
    if (batch.last < 0) break;
    after = batch.last;
  }
  return result;
}

Result<BillDocument> BillRun::document(std::int64_t bill_id) {
  return db_.read<BillDocument>([&](store::Connection& c) -> Result<BillDocument> {
    CD_ASSIGN(auto b, load_bill(c, bill_id));
    BillDocument d;
    const CityContact& contact = city_.contact;
    d.city.name =
        city_.name + " - " + (contact.office.empty() ? "Utility Billing" : contact.office);
    d.city.address = join_lines(contact.address);
    d.city.phone = contact.phone;
    d.city.pay_url = contact.pay_url;
    d.city.remit_to = join_lines(contact.remit_to);
    d.account_number = b.account_number;
    CD_ASSIGN(auto head,
              c.query_one("SELECT p.display_name, a.mail_line1, a.mail_line2, a.mail_city, "
                          "a.mail_state, a.mail_postal_code, pr.line1, pr.line2, pr.city, "
                          "pr.state, pr.postal_code, a.id FROM utility_accounts a JOIN parties p "
                          "ON p.id = a.party_id JOIN premises pr ON pr.id = a.premise_id WHERE "
                          "a.number = ?",
                          {b.account_number}));
    d.customer_name = head.text(0);
    const std::string service_address = head.text(6) +
                                        (head.text(7).empty() ? "" : " " + head.text(7)) + ", " +
                                        head.text(8) + ", " + head.text(9) + " " + head.text(10);
    d.service_address = service_address;
    d.mailing_address =
        head.text(1).empty()
            ? head.text(6) + "\n" + head.text(8) + ", " + head.text(9) + " " + head.text(10)
            : head.text(1) + (head.text(2).empty() ? "" : "\n" + head.text(2)) + "\n" +
                  head.text(3) + ", " + head.text(4) + " " + head.text(5);
    d.bill_date = b.bill_date;
    d.period_start = b.period_from;
    d.period_end = b.period_to;
    d.due_date = b.due_date;
    // Reads: each read of the bill against the accepted read before it on the same meter.
    CD_ASSIGN(auto reads, c.query("SELECT r.id, m.serial, r.read_on, r.value, r.kind, "
                                  "r.usage_mccf, r.meter_id FROM reads r JOIN meters m ON m.id = "
                                  "r.meter_id WHERE r.account_id = ? AND r.status = 'accepted' "
                                  "AND r.read_on > ? AND r.read_on <= ? ORDER BY r.read_on, r.id",
                                  {head.integer(11), b.period_from.iso(), b.period_to.iso()}));
    for (const auto& r : reads) {
      if (r.text(4) == "initial" || d.reads.size() >= kMaxBillReads) continue;
      BillRead br;
      br.meter_serial = r.text(1);
      CD_ASSIGN(br.current_date, parse_date(r.text(2), "read_on"));
      br.current_read = r.integer(3);
      br.estimated = r.text(4) == "estimated";
      br.usage_mccf = r.integer(5);
      CD_ASSIGN(auto prev, c.query("SELECT read_on, value FROM reads WHERE meter_id = ? AND "
                                   "status = 'accepted' AND (read_on < ? OR (read_on = ? AND id "
                                   "< ?)) ORDER BY read_on DESC, id DESC LIMIT 1",
                                   {r.integer(6), r.text(2), r.text(2), r.integer(0)}));
      br.previous_date = br.current_date;
      if (!prev.empty()) {
        CD_ASSIGN(br.previous_date, parse_date(prev.front().text(0), "read_on"));
        br.previous_read = prev.front().integer(1);
      }
      d.reads.push_back(br);
    }
    // History: the account's issued bills up to this one, oldest first, at most 12.
    CD_ASSIGN(
        auto history,
        c.query("SELECT period_to, usage_mccf, estimated FROM bills WHERE account_id = ? "
                "AND (status = 'issued' OR id = ?) AND period_to <= ? ORDER BY period_to "
                "DESC LIMIT ?",
                {head.integer(11), b.id, b.period_to.iso(), std::int64_t{kMaxBillHistoryPeriods}}));
    for (auto it = history.rbegin(); it != history.rend(); ++it)
      d.history.push_back({it->text(0).substr(0, 7), it->integer(1), it->integer(2) != 0});
    for (const auto& l : b.lines) {
      const std::string title = service_title(l.service);
      if (d.charges.empty() || d.charges.back().service != title)
        d.charges.push_back({title, {}, Money::zero()});
      d.charges.back().lines.push_back({l.description, l.explanation, l.amount});
      CD_ASSIGN(d.charges.back().subtotal, d.charges.back().subtotal.add(l.amount));
    }
    d.previous_balance = b.previous_balance;
    // Payments since the last bill are in the previous balance already (it is what was still
    // open); adjustments: bills of the account cancelled since the previous bill was issued.
    CD_ASSIGN(auto cancelled,
              c.query_int("SELECT COALESCE(SUM(total_cents), 0) FROM bills WHERE account_id = ? "
                          "AND status = 'cancelled' AND id <> ? AND cancelled_us >= COALESCE(("
                          "SELECT MAX(created_us) FROM bills WHERE account_id = ? AND id < ? AND "
                          "status = 'issued'), 0) AND cancelled_us <= (SELECT created_us FROM "
                          "bills WHERE id = ?)",
                          {head.integer(11), b.id, head.integer(11), b.id, b.id}));
    d.adjustments = Money::from_cents(-cancelled);
    d.current_charges = b.total;
    CD_ASSIGN(auto due, b.previous_balance.add(b.total));
    d.amount_due = due;
    if (b.estimated) d.messages.push_back("This bill is based on an estimated read.");
    if (b.rebill_of)
      d.messages.push_back("This bill replaces bill " + std::to_string(*b.rebill_of) + ".");
    if (b.status == "cancelled") d.messages.push_back("CANCELLED: " + b.cancel_reason);
    return d;
  });
}

}  // namespace civicdesk::billing
