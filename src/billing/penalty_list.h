// The late penalties assessed (BillRun::assess_penalties writes bill_penalties): what the
// penalties screen and a CSR answering "why was I charged $5.93?" look at. Read only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"
#include "store/db.h"

namespace civicdesk::billing {

// Penalties listed at once: a month's assessments in a large City; refine by account beyond it.
inline constexpr int kMaxPenaltiesListed = 500;

struct PenaltyQuery {
  std::optional<CivilDate> assessed_on;  // the job's as_of date
  std::optional<std::int64_t> account_number;
};

struct PenaltyRecord {
  std::int64_t id = 0;
  std::int64_t bill_id = 0;
  std::int64_t account_number = 0;
  std::string party_name;
  CivilDate bill_due_date;
  std::int64_t obligation_id = 0;  // the penalty's own obligation in the ledger
  Money amount;
  CivilDate assessed_on;
  std::string assessed_by;
};

// Newest first, at most kMaxPenaltiesListed. kInvalidInput naming "as_of" when neither filter is
// given (the whole table is not a screen), kStorage.
[[nodiscard]] Result<std::vector<PenaltyRecord>> list_penalties(store::Database& db,
                                                                const PenaltyQuery& query);

}  // namespace civicdesk::billing
