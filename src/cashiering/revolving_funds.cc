// Revolving funds (a change fund, petty cash): a custodian holds an authorized amount; each day
// the cash is counted and the receipts for expenses listed, and cash + receipts must equal the
// authorized amount (the difference is shown, never hidden). Replenishment requests bring the
// cash back up to the authorized amount.
#include <boost/json.hpp>

#include "cashiering/counter.h"
#include "cashiering/counter_store.h"
#include "core/limits.h"

namespace civicdesk::cashiering {
using namespace detail;
namespace json = boost::json;

namespace {

Result<std::optional<FundCount>> last_count(store::Connection& c, std::int64_t fund_id,
                                            Money authorized) {
  CD_ASSIGN(auto rows, c.query("SELECT id, count_date, counted_by_name, cash_count, cash_cents, "
                               "receipts_cents, note FROM revolving_fund_counts WHERE fund_id = ? "
                               "ORDER BY id DESC LIMIT 1",
                               {fund_id}));
  if (rows.empty()) return std::optional<FundCount>{};
  const auto& r = rows[0];
  FundCount f;
  f.id = r.integer(0);
  f.count_date = r.text(1);
  f.counted_by = r.text(2);
  CD_ASSIGN(f.cash_count, count_from_json(r.text(3)));
  f.reconciliation =
      reconcile_fund(authorized, Money::from_cents(r.integer(4)), Money::from_cents(r.integer(5)));
  f.note = r.text(6);
  CD_ASSIGN(auto receipts, c.query("SELECT description, amount_cents FROM "
                                   "revolving_fund_receipts WHERE count_id = ? ORDER BY line_no",
                                   {f.id}));
  for (const auto& x : receipts) f.receipts.push_back({x.text(0), Money::from_cents(x.integer(1))});
  return std::optional<FundCount>{std::move(f)};
}

Result<RevolvingFund> load_fund(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query("SELECT f.id, f.code, f.name, f.kind, f.custodian_id, u.username, "
                               "f.authorized_cents FROM revolving_funds f JOIN users u ON u.id = "
                               "f.custodian_id WHERE f.id = ?",
                               {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no revolving fund " + std::to_string(id));
  const auto& r = rows[0];
  RevolvingFund f;
  f.id = r.integer(0);
  f.code = r.text(1);
  f.name = r.text(2);
  f.kind = r.text(3);
  f.custodian_id = r.integer(4);
  f.custodian = r.text(5);
  f.authorized = Money::from_cents(r.integer(6));
  CD_ASSIGN(f.last_count, last_count(c, f.id, f.authorized));
  CD_ASSIGN(auto reps, c.query("SELECT id, status, requested_by_name, note, amount_cents, "
                               "count_id, requested_us FROM revolving_fund_replenishments WHERE "
                               "fund_id = ? ORDER BY id DESC LIMIT 50",
                               {f.id}));
  for (const auto& x : reps)
    f.replenishments.push_back({x.integer(0), x.text(1), x.text(2), x.text(3),
                                Money::from_cents(x.integer(4)), x.opt_integer(5).value_or(0),
                                x.integer(6)});
  return f;
}

}  // namespace

Result<std::vector<RevolvingFund>> Counter::revolving_funds() {
  return db_.read<std::vector<RevolvingFund>>(
      [&](store::Connection& c) -> Result<std::vector<RevolvingFund>> {
        CD_ASSIGN(auto rows, c.query("SELECT id FROM revolving_funds ORDER BY code"));
        std::vector<RevolvingFund> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto f, load_fund(c, r.integer(0)));
          out.push_back(std::move(f));
        }
        return out;
      });
}

Result<RevolvingFund> Counter::revolving_fund(std::int64_t id) {
  return db_.read<RevolvingFund>([&](store::Connection& c) { return load_fund(c, id); });
}

Result<RevolvingFund> Counter::create_revolving_fund(const Actor& actor,
                                                     const RevolvingFundInput& in) {
  if (in.code.empty()) return fail(Error::invalid("code", "code is required"));
  CD_TRY(check_length(in.code, kMaxDrawerCodeLength, "code"));
  if (in.name.empty()) return fail(Error::invalid("name", "name is required"));
  CD_TRY(check_length(in.name, kMaxNameLength, "name"));
  if (in.kind != "change_fund" && in.kind != "petty_cash")
    return fail(Error::invalid("kind", "kind must be change_fund or petty_cash"));
  if (!in.authorized.is_positive() || in.authorized.cents() > kMaxPaymentCents)
    return fail(Error::invalid("authorized_amount", "authorized_amount must be more than $0.00"));
  return db_.write<RevolvingFund>([&](store::Connection& c) -> Result<RevolvingFund> {
    CD_ASSIGN(auto users,
              c.query("SELECT id FROM users WHERE username = ? AND disabled = 0", {in.custodian}));
    if (users.empty()) return fail(Error::invalid("custodian", "no active user " + in.custodian));
    auto id = c.query_int(
        "INSERT INTO revolving_funds (code, name, kind, custodian_id, "
        "authorized_cents, created_us) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        {in.code, in.name, in.kind, users[0].integer(0), in.authorized.cents(), clock_.now_us()});
    if (!id && id.error().code == ErrorCode::kConflict)
      return fail(ErrorCode::kConflict, "revolving fund " + in.code + " exists already", "code");
    if (!id) return std::unexpected(id.error());
    CD_TRY(audit(c, actor, clock_.now_us(), "revolving_fund.create", "revolving_fund", *id,
                 json::serialize(json::object{{"code", in.code},
                                              {"custodian", in.custodian},
                                              {"authorized", format_plain(in.authorized)}})));
    return load_fund(c, *id);
  });
}

Result<FundCount> Counter::count_revolving_fund(const Actor& actor, std::int64_t fund_id,
                                                const CashCount& cash,
                                                const std::vector<ExpenseReceipt>& receipts,
                                                const std::string& note) {
  CD_TRY(validate(cash, "count"));
  CD_TRY(check_length(note, kMaxNoteLength, "note"));
  if (receipts.size() > kMaxFundReceipts)
    return fail(Error::invalid(
        "receipts", "at most " + std::to_string(kMaxFundReceipts) + " receipts per count"));
  std::int64_t receipts_total = 0;
  for (std::size_t i = 0; i < receipts.size(); ++i) {
    std::string f = "receipts[" + std::to_string(i) + "]";
    if (receipts[i].description.empty())
      return fail(Error::invalid(f + ".description", "say what the expense was"));
    CD_TRY(check_length(receipts[i].description, kMaxNameLength, f + ".description"));
    if (!receipts[i].amount.is_positive() || receipts[i].amount.cents() > kMaxPaymentCents)
      return fail(Error::invalid(f + ".amount", "amount must be more than $0.00"));
    receipts_total += receipts[i].amount.cents();
  }
  bool overseer = can(actor, "drawer.supervise") || can(actor, "deposit.close");
  return db_.write<FundCount>([&](store::Connection& c) -> Result<FundCount> {
    CD_ASSIGN(auto fund, load_fund(c, fund_id));
    if (fund.custodian_id != actor.user_id.value && !overseer)
      return fail(ErrorCode::kForbidden,
                  "only the fund's custodian (" + fund.custodian + ") or a supervisor counts it");
    Money cash_total = total(cash);
    auto rec = reconcile_fund(fund.authorized, cash_total, Money::from_cents(receipts_total));
    CD_ASSIGN(auto name,
              c.query_one("SELECT display_name FROM users WHERE id = ?", {actor.user_id.value}));
    CD_ASSIGN(auto id,
              c.query_int("INSERT INTO revolving_fund_counts (fund_id, count_date, counted_us, "
                          "counted_by, counted_by_name, cash_count, cash_cents, receipts_cents, "
                          "difference_cents, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                          "RETURNING id",
                          {fund.id, ledger_.today().iso(), clock_.now_us(), actor.user_id.value,
                           name.text(0), count_to_json(cash), cash_total.cents(), receipts_total,
                           rec.difference.cents(), note}));
    for (std::size_t i = 0; i < receipts.size(); ++i)
      CD_TRY(
          c.exec("INSERT INTO revolving_fund_receipts (count_id, line_no, description, "
                 "amount_cents) VALUES (?, ?, ?, ?)",
                 {id, static_cast<std::int64_t>(i + 1), receipts[i].description,
                  receipts[i].amount.cents()}));
    CD_TRY(audit(c, actor, clock_.now_us(), "revolving_fund.count", "revolving_fund", fund.id,
                 json::serialize(json::object{{"cash", format_plain(cash_total)},
                                              {"receipts", format_plain(rec.receipts)},
                                              {"difference", format_plain(rec.difference)}})));
    CD_ASSIGN(auto counted, last_count(c, fund.id, fund.authorized));
    return *counted;
  });
}

Result<Replenishment> Counter::request_replenishment(const Actor& actor, std::int64_t fund_id,
                                                     std::optional<Money> amount,
                                                     const std::string& note) {
  CD_TRY(check_length(note, kMaxNoteLength, "note"));
  bool overseer = can(actor, "drawer.supervise") || can(actor, "deposit.close");
  return db_.write<Replenishment>([&](store::Connection& c) -> Result<Replenishment> {
    CD_ASSIGN(auto fund, load_fund(c, fund_id));
    if (fund.custodian_id != actor.user_id.value && !overseer)
      return fail(ErrorCode::kForbidden, "only the fund's custodian (" + fund.custodian +
                                             ") or a supervisor requests replenishment");
    Money want =
        amount.value_or(fund.last_count ? fund.last_count->reconciliation.receipts : Money::zero());
    if (!want.is_positive() || want > fund.authorized)
      return fail(Error::invalid("amount",
                                 "a replenishment is more than $0.00 and at most the "
                                 "authorized amount (" +
                                     format_money(fund.authorized) + ")"));
    std::int64_t count_id = fund.last_count ? fund.last_count->id : 0;
    CD_ASSIGN(auto name,
              c.query_one("SELECT display_name FROM users WHERE id = ?", {actor.user_id.value}));
    CD_ASSIGN(auto id,
              c.query_int("INSERT INTO revolving_fund_replenishments (fund_id, count_id, status, "
                          "amount_cents, requested_by, requested_by_name, requested_us, note) "
                          "VALUES (?, ?, 'requested', ?, ?, ?, ?, ?) RETURNING id",
                          {fund.id, count_id ? store::Value{count_id} : store::null(), want.cents(),
                           actor.user_id.value, name.text(0), clock_.now_us(), note}));
    CD_TRY(
        audit(c, actor, clock_.now_us(), "revolving_fund.replenish", "revolving_fund", fund.id,
              json::serialize(json::object{{"request_id", id}, {"amount", format_plain(want)}})));
    return Replenishment{id, "requested", name.text(0), note, want, count_id, clock_.now_us()};
  });
}

}  // namespace civicdesk::cashiering
