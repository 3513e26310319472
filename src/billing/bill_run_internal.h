// The pieces bill_run.cc (runs) and bill_book.cc (rebill, one account, penalties) share. Private
// to the billing context; every function runs inside the caller's transaction.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "billing/bill_run.h"
#include "billing/service.h"

namespace civicdesk::billing::detail {

struct AccountRow {
  std::int64_t id = 0;
  std::int64_t number = 0;
  std::int64_t party_id = 0;
  std::int64_t premise_id = 0;
  std::string status;
  bool in_dispute = false;
  bool payment_arrangement = false;
};

// `where` is a condition on utility_accounts with one `?`.
[[nodiscard]] Result<AccountRow> account_row_by(store::Connection& c, std::string_view where,
                                                const store::Value& key);

struct BillContext {
  const Actor& actor;
  const CityConfig& city;
  ledger::Ledger& ledger;
  const BillCalculator& calculator;
  CivilDate bill_date, due_date;
  std::optional<std::int64_t> run_id;
  Timestamp now_us = 0;
};

// A rebill's period, fixed by the bill it replaces.
struct PeriodOverride {
  CivilDate from, to;
  std::optional<std::int64_t> rebill_of;
};

struct Outcome {
  std::string status;  // billed | already_billed | exception
  std::optional<std::int64_t> bill_id;
  std::string reason_code, reason;
  Money total;
};

// What bill_one reads about an account that no other account's bill changes, read for a run's
// whole batch at once (bill_run.cc, read_batch): one query per table for the batch instead of
// one per account. An account missing from a map reads as it would alone (no services, no
// issued bill, no meter, nothing open); a premise missing is read alone (and fails alone).
struct BatchReads {
  std::unordered_map<std::int64_t, std::vector<Service>> services;  // by account, in id order
  std::unordered_map<std::int64_t, std::string> last_end;    // MAX(period_to) of issued bills
  std::unordered_map<std::int64_t, std::string> meter_size;  // the latest install's meter
  std::unordered_map<std::int64_t, std::pair<std::string, std::int64_t>> premise;  // type, units
  std::unordered_map<std::string, std::int64_t> open_balance;  // by party id ":" account_ref
};

// One account's bill through `period_end` (or for the fixed period): written with its lines and
// its ledger obligation, or the reason it cannot be (bill_run.h). `batch`, when given, holds the
// account's reads made for its batch.
[[nodiscard]] Result<Outcome> bill_one(store::Connection& c, const BillContext& ctx,
                                       const AccountRow& a, CivilDate period_end,
                                       const std::optional<PeriodOverride>& fixed,
                                       const BatchReads* batch = nullptr);

// The City's tariff as the run's calculator (bill_tariff.cc).
BillCalculator default_calculator(const CityConfig& city);

// "4000-WATER" for "water": the demo chart's convention for a service's revenue.
std::string revenue_account_for(std::string_view service);

}  // namespace civicdesk::billing::detail
