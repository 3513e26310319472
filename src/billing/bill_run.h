// Bill runs and bills (issue 4, "Bill runs and bills"): a cycle's accounts billed for a period,
// each bill stored with its explained lines and posted to the ledger as ONE obligation (kind
// utility_bill, account_ref utility:NUMBER, one charge line per service component) in the SAME
// transaction as the run's row for the account; cancel/rebill; first and final bills; late
// penalties. Tables: store/migration_012_bill_runs.cc.
//
// A run (start_run) reaches every account of the cycle, in account-number order, in batches of
// `billing.run_batch_size` accounts per write transaction (like a citation import): each account
// ends as
//   billed          — a bill, its lines and its obligation were written;
//   already_billed  — an issued bill already covers the period up to the run's end (a second
//                     run for the same period, or a rebill got there first);
//   exception       — with a reason code and a sentence: read_exception (an open or re-read read
//                     exception dated in the period), no_read (a metered service and no accepted
//                     read in the period: the City estimates through the exception queue, never
//                     silently — decision in src/billing/README.md), no_meter, no_service (no
//                     service ran in the period), rate_class / calculation (the tariff refused
//                     it), posting (the ledger refused it).
// Resume: start_run for a cycle and period end whose run is still "running" (a crash, a kill)
// continues that run: an account with a row in the run is never reached again, and the partial
// unique index bills_one_issued refuses a second standing bill for an account and period
// whatever happens. Counts live in the run row, updated in each batch's transaction.
//
// Periods. A bill covers [period_from, period_to): from the end of the account's last issued
// bill, or for a first bill from its earliest service start (move-in: prorated by the tariff's
// days); to the run's period end, or, when every service has stopped by then, to the last stop
// (a final bill). A service's span is its part of the period (Service::active_on). Usage is the
// sum of the account's accepted reads dated in (period_from, period_to] — the initial read at
// move-in is on period_from and adds nothing; an estimated read marks the bill estimated.
//
// Money: the calculation is the City's tariff (bill_calculation.h, wired by tariff_calculator);
// a service's revenue GL account is "4000-" + the service in capitals (4000-WATER...), the demo
// chart's convention; a negative component (a discount) is netted into its service's first
// positive ledger line, since a ledger charge line is never negative.
//
// Result codes: kNotFound (cycle, run, bill, account), kInvalidInput (field named),
// kUnprocessable (a rule refused it: a cancelled bill rebilled, a rebill's period excepted),
// kStorage.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "billing/bill_document.h"
#include "billing/refuse_cart.h"
#include "billing/service.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "ledger/ledger.h"
#include "store/db.h"

namespace civicdesk::billing {

// Runs and bills listed at once.
inline constexpr int kMaxRunsListed = 100;
inline constexpr int kMaxBillsListed = 120;  // ten years of monthly bills
// Exceptions shown on a run's page (the CLI and export show them all).
inline constexpr int kMaxRunExceptionsShown = 1000;
// Penalties assessed per write transaction.
inline constexpr int kPenaltyBatch = 200;

// The part of the period a service ran.
struct ServiceSpan {
  ServiceKind kind = ServiceKind::kWater;
  std::string rate_class;
  CivilDate from, to;  // [from, to)
};

// What the calculation is asked for one account and period.
struct BillRequest {
  std::int64_t account_number = 0;
  CivilDate period_from, period_to;  // [from, to)
  std::int64_t days = 0;
  std::int64_t usage_mccf = 0;
  bool estimated = false;
  std::vector<ServiceSpan> services;
  std::string meter_size;    // "" when unmetered
  std::string premise_type;  // premise.h names
  int dwelling_units = 1;
  std::vector<RefuseCart> carts;  // active in the period
};

// One line of a calculated bill.
struct ComputedLine {
  std::string service;      // water | sewer | refuse | stormwater
  std::string component;    // the tariff's name for it, e.g. "commodity_tier_1"
  std::string description;  // for people
  Money amount;             // may be negative (a discount)
  std::string explanation;  // how it was computed: tier, units, price, proration factor
};

// The calculation as the run sees it. Errors become the account's exception: field
// "rate_class" → reason rate_class, anything else → calculation.
using BillCalculator = std::function<Result<std::vector<ComputedLine>>(const BillRequest&)>;

struct Tariff;
// The City's tariff (billing/bill_calculation.h) as a BillCalculator; `tariff` must outlive it.
BillCalculator tariff_calculator(const Tariff& tariff);

struct BillLineView {
  int line_no = 0;
  std::string service, component, description;
  Money amount;
  std::string revenue_account;
  std::string explanation;
  std::string read_ids;  // "12,15" — the reads behind a usage line
};

struct BillView {
  std::int64_t id = 0;
  std::int64_t account_number = 0;
  std::int64_t party_id = 0;
  std::optional<std::int64_t> run_id;
  std::string kind;  // regular | first | final | rebill
  CivilDate period_from, period_to;
  std::int64_t days = 0;
  std::int64_t usage_mccf = 0;
  CivilDate bill_date, due_date;
  std::optional<std::int64_t> obligation_id;
  Money total;
  Money previous_balance;  // the account's open balance before this bill
  Money balance;           // what is still owed on this bill (its obligation)
  std::string status;      // issued | cancelled
  bool estimated = false;
  std::string read_ids;
  std::optional<std::int64_t> rebill_of;
  std::string cancel_reason, cancelled_by, created_by;
  std::vector<BillLineView> lines;
};

struct RunAccount {
  std::int64_t account_number = 0;
  std::string status;  // billed | already_billed | exception
  std::optional<std::int64_t> bill_id;
  std::string reason_code, reason;
};

struct BillRunView {
  std::int64_t id = 0;
  std::string cycle_code;
  CivilDate period_end, bill_date;
  std::string status;         // running | finished
  std::int64_t accounts = 0;  // in the cycle when the run started
  std::int64_t billed = 0, exceptions = 0, skipped = 0;
  Money total;
  Timestamp started_us = 0;
  std::optional<Timestamp> finished_us;
  std::string started_by;
  std::vector<RunAccount> exception_list;  // filled by run(id, true)
  std::int64_t done() const { return billed + exceptions + skipped; }
};

struct PenaltyResult {
  CivilDate as_of;
  std::int64_t assessed = 0;
  std::int64_t skipped_dispute = 0;
  std::int64_t skipped_arrangement = 0;
  Money total;
};

class BillRun {
 public:
  // `calculator` empty: the City's tariff (tariff_calculator of the City config's rate versions).
  BillRun(store::Database& db, const CityConfig& city, const Clock& clock, const TimeZone& tz,
          ledger::Ledger& ledger, BillCalculator calculator = {});

  // Called after each committed batch with the run's counts (the CLI's progress bar).
  using Progress = std::function<void(const BillRunView&)>;

  // Bills the cycle through `period_end` (YYYY-MM-DD), resuming the cycle's running run for
  // that period end if there is one. Returns the finished run.
  [[nodiscard]] Result<BillRunView> start_run(const Actor& actor, const std::string& cycle_code,
                                              const std::string& period_end,
                                              const Progress& progress = {});
  // Creates the run row (or finds the running one) without billing: the API starts big runs
  // this way and continues them with resume_run in a background thread.
  [[nodiscard]] Result<BillRunView> open_run(const Actor& actor, const std::string& cycle_code,
                                             const std::string& period_end);
  [[nodiscard]] Result<BillRunView> resume_run(const Actor& actor, std::int64_t run_id,
                                               const Progress& progress = {});
  [[nodiscard]] Result<BillRunView> run(std::int64_t run_id, bool with_exceptions);
  [[nodiscard]] Result<std::vector<BillRunView>> runs();

  [[nodiscard]] Result<BillView> bill(std::int64_t bill_id);
  [[nodiscard]] Result<std::vector<BillView>> bills_of(std::int64_t account_number);

  // Bills one account now, up to `through` ("" = today): a final bill at move-out once its
  // services have stopped, or an off-cycle bill. The same rules as a run; an exception is
  // returned as kUnprocessable naming the reason code.
  [[nodiscard]] Result<BillView> bill_account(const Actor& actor, std::int64_t account_number,
                                              const std::string& through);

  // Cancels an issued bill: its obligation is cancelled in the ledger (a reversal — what was
  // paid on it becomes the party's credit) and the bill is marked cancelled with the reason and
  // who. Idempotent: a cancelled bill is returned as it is. The ledger step and the bill row are
  // two transactions; the ledger step replays under the key "bill-cancel:ID", so a cancel
  // interrupted between them finishes when repeated.
  [[nodiscard]] Result<BillView> cancel_bill(const Actor& actor, std::int64_t bill_id,
                                             const std::string& reason);
  // Cancels the bill and every later issued bill of the account, then bills each of their
  // periods again, oldest first, with today's reads and rates: each new bill points at the
  // one it replaces (rebill_of) and carries the account's balance after the cancellations.
  [[nodiscard]] Result<std::vector<BillView>> rebill(const Actor& actor, std::int64_t bill_id,
                                                     const std::string& reason);

  // The scheduled job: each issued bill whose due date + grace days is before `as_of` with a
  // balance left is penalised once (bill_penalties UNIQUE (bill_id)) — percent of the balance
  // or the flat amount (billing.late_penalty) as its own utility_bill obligation with a penalty
  // line — except on accounts in dispute or under a payment arrangement (UtilityBook::set_holds,
  // with the reason). Rerunning assesses
  // nothing twice.
  [[nodiscard]] Result<PenaltyResult> assess_penalties(const Actor& actor,
                                                       const std::string& as_of);

  // The printable bill (bill_document.h) of a stored bill.
  [[nodiscard]] Result<BillDocument> document(std::int64_t bill_id);

  CivilDate today() const;

 private:
  store::Database& db_;
  const CityConfig& city_;
  const Clock& clock_;
  const TimeZone& tz_;
  ledger::Ledger& ledger_;
  BillCalculator calculator_;
};

}  // namespace civicdesk::billing
