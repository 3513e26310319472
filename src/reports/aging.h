// Aging: what is owed, by how long it has been past due, as of a date.
//
// An obligation's open balance falls in one bucket by the days between its due date and the
// as-of date: current (not yet due, or due that day), 1-30, 31-60, 61-90, over 90. The City-wide
// report groups by fund and obligation kind; the statement ages one party's obligations.
//
// Balances come either from the stored O(1) charge-line balances (as of today or later: nothing
// is ever posted with a later date) or, for a past date, from the journal itself (receivable
// lines posted on or before that date), so a report for last month shows last month's books.
// Every function is thread-safe; the reads run in the caller's transaction or their own.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "city/city_config.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"
#include "store/db.h"

namespace civicdesk::reports {

enum class AgingBucket { kCurrent = 0, kDays1To30, kDays31To60, kDays61To90, kOver90 };
inline constexpr std::size_t kAgingBucketCount = 5;
inline constexpr std::array<AgingBucket, kAgingBucketCount> kAgingBuckets = {
    AgingBucket::kCurrent, AgingBucket::kDays1To30, AgingBucket::kDays31To60,
    AgingBucket::kDays61To90, AgingBucket::kOver90};

// The bucket of a balance `days_past_due` days after its due date (<= 0: current).
AgingBucket bucket_for(std::int64_t days_past_due);
// "Current", "1-30 days", "31-60 days", "61-90 days", "Over 90 days".
std::string_view bucket_label(AgingBucket b);
// Stable JSON keys: "current", "days_1_30", "days_31_60", "days_61_90", "days_over_90".
std::string_view bucket_key(AgingBucket b);

struct AgingBuckets {
  std::array<Money, kAgingBucketCount> amounts{};
  Money total;

  Money at(AgingBucket b) const { return amounts[static_cast<std::size_t>(b)]; }
  // Checked: kInvalidInput on overflow.
  [[nodiscard]] Result<void> add(AgingBucket b, Money amount);
  [[nodiscard]] Result<void> add(const AgingBuckets& other);
};

// An open balance of one fund on obligations of one kind and due date (the unit both reads
// return; the pure aging below needs nothing else).
struct OpenBalance {
  std::string fund;
  std::string kind;
  CivilDate due_date;
  Money balance;
};

struct AgingRow {
  std::string fund;
  std::string fund_name;  // from the City config; "" when the fund is not configured
  std::string kind;       // "" on a fund's total row
  std::string kind_name;
  AgingBuckets buckets;
};

struct AgingReport {
  CivilDate as_of;
  std::vector<AgingRow> rows;         // one per (fund, kind) with a balance, by fund then kind
  std::vector<AgingRow> fund_totals;  // one per fund, by fund
  AgingBuckets total;
};

// Pure: groups and buckets `balances` as of `as_of`; names come from `city`.
[[nodiscard]] Result<AgingReport> age(const std::vector<OpenBalance>& balances, CivilDate as_of,
                                      const CityConfig& city);

// Where balances come from: the stored O(1) balances (right for today or later) or the journal
// replayed up to the as-of date (right for any date).
enum class BalanceSource { kStored, kJournal };

// Open balances from the stored charge-line balances (today's books); one party when
// party_id != 0, else every party.
[[nodiscard]] Result<std::vector<OpenBalance>> stored_open_balances(store::Connection& c,
                                                                    std::int64_t party_id);
// Open balances replayed from receivable journal lines posted on or before `as_of`; one party
// when party_id != 0, else every party.
[[nodiscard]] Result<std::vector<OpenBalance>> journal_open_balances(store::Connection& c,
                                                                     CivilDate as_of,
                                                                     std::int64_t party_id);

// The City-wide aging report. `today` is the City's local date: on or after it the stored
// balances are used, before it the journal is replayed.
[[nodiscard]] Result<AgingReport> aging(store::Database& db, const CityConfig& city,
                                        CivilDate as_of, CivilDate today);

// One party's open obligations as of `as_of`, in the caller's transaction.
[[nodiscard]] Result<AgingBuckets> party_aging(store::Connection& c, std::int64_t party_id,
                                               CivilDate as_of, BalanceSource source);

}  // namespace civicdesk::reports
