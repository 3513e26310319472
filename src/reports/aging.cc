#include "reports/aging.h"

#include <map>
#include <utility>

namespace civicdesk::reports {
namespace {

std::size_t index_of(AgingBucket b) {
  return static_cast<std::size_t>(b);
}

std::string fund_name(const CityConfig& city, const std::string& code) {
  for (const auto& f : city.funds)
    if (f.code == code) return f.name;
  return {};
}

std::string kind_name(const CityConfig& city, const std::string& code) {
  const ObligationKind* k = city.ledger.kind(code);
  return k ? k->name : std::string();
}

Result<std::vector<OpenBalance>> to_balances(const store::Rows& rows) {
  std::vector<OpenBalance> out;
  out.reserve(rows.size());
  for (const auto& r : rows) {
    OpenBalance b;
    b.fund = r.text(0);
    b.kind = r.text(1);
    CD_ASSIGN(b.due_date, parse_date(r.text(2), "due_date"));
    b.balance = Money::from_cents(r.integer(3));
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace

AgingBucket bucket_for(std::int64_t days_past_due) {
  if (days_past_due <= 0) return AgingBucket::kCurrent;
  if (days_past_due <= 30) return AgingBucket::kDays1To30;
  if (days_past_due <= 60) return AgingBucket::kDays31To60;
  if (days_past_due <= 90) return AgingBucket::kDays61To90;
  return AgingBucket::kOver90;
}

std::string_view bucket_label(AgingBucket b) {
  static constexpr std::array<std::string_view, kAgingBucketCount> kLabels = {
      "Current", "1-30 days", "31-60 days", "61-90 days", "Over 90 days"};
  return kLabels[index_of(b)];
}

std::string_view bucket_key(AgingBucket b) {
  static constexpr std::array<std::string_view, kAgingBucketCount> kKeys = {
      "current", "days_1_30", "days_31_60", "days_61_90", "days_over_90"};
  return kKeys[index_of(b)];
}

Result<void> AgingBuckets::add(AgingBucket b, Money amount) {
  CD_ASSIGN(amounts[index_of(b)], amounts[index_of(b)].add(amount));
  CD_ASSIGN(total, total.add(amount));
  return {};
}

Result<void> AgingBuckets::add(const AgingBuckets& other) {
  for (AgingBucket b : kAgingBuckets) CD_TRY(add(b, other.at(b)));
  return {};
}

Result<AgingReport> age(const std::vector<OpenBalance>& balances, CivilDate as_of,
                        const CityConfig& city) {
  std::map<std::pair<std::string, std::string>, AgingBuckets> by_kind;
  std::map<std::string, AgingBuckets> by_fund;
  AgingReport report;
  report.as_of = as_of;
  const std::int64_t today = as_of.days_since_epoch();
  for (const auto& b : balances) {
    AgingBucket bucket = bucket_for(today - b.due_date.days_since_epoch());
    CD_TRY(by_kind[std::make_pair(b.fund, b.kind)].add(bucket, b.balance));
    CD_TRY(by_fund[b.fund].add(bucket, b.balance));
    CD_TRY(report.total.add(bucket, b.balance));
  }
  for (auto& [key, buckets] : by_kind)
    report.rows.push_back(
        {key.first, fund_name(city, key.first), key.second, kind_name(city, key.second), buckets});
  for (auto& [fund, buckets] : by_fund)
    report.fund_totals.push_back({fund, fund_name(city, fund), "", "", buckets});
  return report;
}

Result<std::vector<OpenBalance>> stored_open_balances(store::Connection& c, std::int64_t party_id) {
  // obligations_party / obligations_open_due serve the filter; grouping by due date keeps the
  // rows few.
  std::string sql =
      "SELECT l.fund, o.kind, o.due_date, SUM(l.balance_cents) "
      "FROM obligations o JOIN charge_lines l ON l.obligation_id = o.id "
      "WHERE o.status = 'open' AND l.balance_cents <> 0";
  store::Params params;
  if (party_id != 0) {
    sql += " AND o.party_id = ?";
    params.push_back(party_id);
  }
  sql += " GROUP BY l.fund, o.kind, o.due_date HAVING SUM(l.balance_cents) <> 0";
  CD_ASSIGN(auto rows, c.query(sql, params));
  return to_balances(rows);
}

Result<std::vector<OpenBalance>> journal_open_balances(store::Connection& c, CivilDate as_of,
                                                       std::int64_t party_id) {
  std::string inner =
      "SELECT l.obligation_id AS obligation_id, l.fund AS fund, "
      "SUM(l.debit_cents) - SUM(l.credit_cents) AS balance "
      "FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id "
      "WHERE l.account LIKE '1200-%' AND e.posting_date <= ?";
  store::Params params{as_of.iso()};
  if (party_id != 0) {
    inner += " AND l.party_id = ?";
    params.push_back(party_id);
  }
  inner += " GROUP BY l.obligation_id, l.fund";
  CD_ASSIGN(auto rows, c.query("SELECT t.fund, o.kind, o.due_date, SUM(t.balance) FROM (" + inner +
                                   ") t JOIN obligations o ON o.id = t.obligation_id "
                                   "WHERE t.balance <> 0 GROUP BY t.fund, o.kind, o.due_date",
                               params));
  return to_balances(rows);
}

Result<AgingReport> aging(store::Database& db, const CityConfig& city, CivilDate as_of,
                          CivilDate today) {
  return db.read<AgingReport>([&](store::Connection& c) -> Result<AgingReport> {
    std::vector<OpenBalance> balances;
    if (as_of >= today) {
      CD_ASSIGN(balances, stored_open_balances(c, 0));
    } else {
      CD_ASSIGN(balances, journal_open_balances(c, as_of, 0));
    }
    return age(balances, as_of, city);
  });
}

Result<AgingBuckets> party_aging(store::Connection& c, std::int64_t party_id, CivilDate as_of,
                                 BalanceSource source) {
  std::vector<OpenBalance> balances;
  if (source == BalanceSource::kStored) {
    CD_ASSIGN(balances, stored_open_balances(c, party_id));
  } else {
    CD_ASSIGN(balances, journal_open_balances(c, as_of, party_id));
  }
  AgingBuckets out;
  const std::int64_t day = as_of.days_since_epoch();
  for (const auto& b : balances)
    CD_TRY(out.add(bucket_for(day - b.due_date.days_since_epoch()), b.balance));
  return out;
}

}  // namespace civicdesk::reports
