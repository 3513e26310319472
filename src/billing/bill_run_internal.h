// The pieces bill_run.cc (runs) and bill_book.cc (rebill, one account, penalties) share. Private
// to the billing context; every function runs inside the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "billing/bill_run.h"

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

// One account's bill through `period_end` (or for the fixed period): written with its lines and
// its ledger obligation, or the reason it cannot be (bill_run.h).
[[nodiscard]] Result<Outcome> bill_one(store::Connection& c, const BillContext& ctx,
                                       const AccountRow& a, CivilDate period_end,
                                       const std::optional<PeriodOverride>& fixed);

// The City's tariff as the run's calculator (bill_tariff.cc).
BillCalculator default_calculator(const CityConfig& city);

// "4000-WATER" for "water": the demo chart's convention for a service's revenue.
std::string revenue_account_for(std::string_view service);

}  // namespace civicdesk::billing::detail
