// Charges and the corrections of charges: charge, adjust, write-off, recovery, cancel.
#include <boost/json.hpp>

#include "core/crash_point.h"
#include "core/limits.h"
#include "ledger/ledger.h"
#include "ledger/posting.h"

namespace civicdesk::ledger {
using namespace detail;
namespace json = boost::json;

namespace {

Result<void> validate_charge(const CityConfig& city, const ChargeRequest& r) {
  if (!city.ledger.kind(r.kind))
    return fail(Error::invalid("kind", "'" + r.kind + "' is not an obligation kind of this City"));
  if (r.description.empty()) return fail(Error::invalid("description", "description is required"));
  CD_TRY(check_length(r.description, kMaxNameLength, "description"));
  CD_TRY(check_length(r.account_ref, kMaxReferenceLength, "account_ref"));
  CD_TRY(check_length(r.source_ref, kMaxReferenceLength, "source_ref"));
  if (r.lines.empty()) return fail(Error::invalid("lines", "a charge needs at least one line"));
  if (r.lines.size() > kMaxChargeLines)
    return fail(Error::invalid("lines", "at most " + std::to_string(kMaxChargeLines) + " lines"));
  std::int64_t total = 0;
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    const auto& l = r.lines[i];
    std::string f = "lines[" + std::to_string(i) + "]";
    CD_TRY(check_amount(l.amount, f + ".amount"));
    total += l.amount.cents();
    if (l.description.empty())
      return fail(Error::invalid(f + ".description", "each line needs a description"));
    CD_TRY(check_length(l.description, kMaxNameLength, f + ".description"));
    const GlAccount* a = city.gl_account(l.revenue_account);
    if (!a || a->type != "revenue")
      return fail(Error::invalid(f + ".revenue_account",
                                 "'" + l.revenue_account + "' is not a revenue account"));
  }
  if (total > kMaxPaymentCents)
    return fail(Error::invalid("lines", "the charge total is over the largest amount accepted"));
  return {};
}

}  // namespace

Result<Obligation> detail::insert_charge(Posting& p, const ChargeRequest& r,
                                         const std::string& key) {
  std::int64_t total = 0;
  for (const auto& l : r.lines) total += l.amount.cents();
  CD_ASSIGN(auto id, p.c.query_int(
                         "INSERT INTO obligations (party_id, account_ref, kind, description, "
                         "due_date, status, original_cents, balance_cents, source_ref, created_us) "
                         "VALUES (?, ?, ?, ?, ?, 'open', ?, 0, ?, ?) RETURNING id",
                         {r.party_id, r.account_ref, r.kind, r.description, r.due_date.iso(), total,
                          r.source_ref, p.now_us}));
  JournalEntry e;
  e.kind = EntryKind::kCharge;
  e.party_id = r.party_id;
  e.memo = r.description + " (" + money_text(total) + ")";
  for (std::size_t i = 0; i < r.lines.size(); ++i) {
    const auto& l = r.lines[i];
    const std::string& fund = p.city.gl_account(l.revenue_account)->fund;
    CD_ASSIGN(auto line_id, p.c.query_int(
                                "INSERT INTO charge_lines (obligation_id, line_no, description, "
                                "revenue_account, fund, amount_cents, balance_cents, is_penalty) "
                                "VALUES (?, ?, ?, ?, ?, ?, 0, ?) RETURNING id",
                                {id, static_cast<std::int64_t>(i + 1), l.description,
                                 l.revenue_account, fund, l.amount.cents(),
                                 std::int64_t{l.is_penalty}}));
    add_pair(e, fund, fund_account(kReceivable, fund), l.revenue_account, l.amount,
             JournalLine{.party_id = r.party_id, .obligation_id = id, .charge_line_id = line_id});
  }
  CD_ASSIGN(auto entry_id, write_entry(p, e, key));
  CRASH_POINT("ledger.charge.after_insert");
  CD_TRY(p.c.exec("UPDATE obligations SET charge_entry_id = ? WHERE id = ?", {entry_id, id}));
  return load_obligation(p.c, id);
}

namespace {

json::object obligation_summary(const Obligation& o) {
  return json::object{{"id", o.id},          {"party_id", o.party_id},
                      {"kind", o.kind},      {"description", o.description},
                      {"status", o.status},  {"balance", format_plain(o.balance)},
                      {"original", format_plain(o.original)}};
}

}  // namespace

CivilDate Ledger::today() const { return tz_.local_date(clock_.now_us() / kMicrosPerSecond); }

Result<Obligation> Ledger::charge(const Actor& actor, const ChargeRequest& r) {
  return db_.write<Obligation>(
      [&](store::Connection& c) -> Result<Obligation> { return charge_within(c, actor, r); });
}

Result<Obligation> Ledger::charge_within(store::Connection& c, const Actor& actor,
                                         const ChargeRequest& r) {
  CD_TRY(validate_charge(city_, r));
  if (!r.idempotency_key.empty())
    CD_TRY(check_length(r.idempotency_key, kMaxIdempotencyKeyLength, "Idempotency-Key"));
  std::string key = scoped_key(actor, r.idempotency_key);
  CD_ASSIGN(auto existing, entry_for_key(c, key));
  if (existing) {
    CD_ASSIGN(auto row,
              c.query_one("SELECT id FROM obligations WHERE charge_entry_id = ?", {*existing}));
    return load_obligation(c, row.integer(0));
  }
  CD_TRY(party_exists(c, r.party_id));
  Posting p{c, city_, actor, clock_.now_us(), today()};
  CD_ASSIGN(auto o, insert_charge(p, r, key));
  CD_TRY(
      audit_entry(p, "ledger.charge", "obligation", o.id, json::serialize(obligation_summary(o))));
  if (city_.ledger.apply_credit_to_new_charges && r.apply_credit) {
    CD_TRY(apply_credit(p, r.party_id, o.id));
    CD_ASSIGN(o, load_obligation(c, o.id));
  }
  return o;
}

Result<Obligation> Ledger::obligation(std::int64_t id) {
  return db_.read<Obligation>([&](store::Connection& c) { return load_obligation(c, id); });
}

}  // namespace civicdesk::ledger
