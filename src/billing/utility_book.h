// The utility book: premises, utility accounts, their services, meters and refuse carts, billing
// cycles and read routes, meter reads and the read exception queue, in the store. The thin
// service around the pure core (premise.h, utility_account.h, service.h, meter.h,
// refuse_cart.h, read_route.h, read_validation.h, estimation.h, handheld_file.h): it loads what
// a decision needs, asks the core, and writes the decision and its audit record in ONE write
// transaction per change (a route import: one per line, so a bad line never undoes a good one).
//
// Reads. A read is measured from the last ACCEPTED read on the same meter (an initial read at
// install counts; reads waiting in the exception queue do not), and judged against the
// account's average daily use over its last estimate_periods accepted periods (City config
// `billing:`). It is stored accepted, or as an exception with an open read_exceptions row. A
// new read of a meter supersedes the meter's open exceptions dated on or before it (and
// completes their re-read field work): the newer read is the better one. Resolutions:
//   accept   — the read stands (status accepted);
//   correct  — a CSR's corrected value replaces it (the old read superseded, the new one
//              accepted with source correction; its checks are recorded in check_code);
//   reread   — a field_work row (kind re_read) is opened; the read waits until a newer read
//              supersedes it;
//   estimate — an estimated read replaces it (estimation.h), flagged estimated; the next actual
//              read trues it up.
//
// Route imports are idempotent: a line whose meter already has a read with the same date and
// value is skipped; the same date with another value is refused for that line (read_value).
//
// Result codes: kInvalidInput (field named; "line N" in imports), kNotFound (account, premise,
// meter, route, cycle, exception), kConflict (number, serial, address or stop taken; a service
// already running), kUnprocessable (a rule refused it: account closed, exception already
// resolved, nothing to estimate from), kStorage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billing/estimation.h"
#include "billing/handheld_file.h"
#include "billing/meter.h"
#include "billing/premise.h"
#include "billing/read_route.h"
#include "billing/read_validation.h"
#include "billing/refuse_cart.h"
#include "billing/service.h"
#include "billing/utility_account.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/time_zone.h"
#include "store/db.h"

namespace civicdesk::billing {

// Reads shown with an account: two years of monthly reads.
inline constexpr int kMaxRecentReads = 24;
// Accounts or premises one lookup returns; refine the query beyond that.
inline constexpr int kMaxAccountsPerLookup = 50;
// Exceptions per page of the queue.
inline constexpr int kMaxExceptionsPerPage = 200;
// Periods read for the average daily use and estimates (24 covers "same period last year").
inline constexpr int kHistoryPeriods = 26;
// Reads keyed at once for one account: five years of monthly reads.
inline constexpr std::size_t kMaxReadsAtOnce = 60;

struct OpenAccountInput {
  std::int64_t party_id = 0;
  std::int64_t premise_id = 0;
  std::string cycle_code;
  std::optional<std::int64_t> number;  // absent: 1000 + party id, or the next free number
  std::string opened_on;               // "" = today
  MailingAddress mailing;
  Money deposit;
  AccountFlags flags;
  // Services started on the opening day: (kind, rate class), e.g. {"water", "RES"}.
  std::vector<std::pair<std::string, std::string>> services;
};

struct InstalledMeter {
  Meter meter;
  MeterInstall install;
};

struct ReadRecord {
  std::int64_t id = 0;
  std::int64_t meter_id = 0;
  std::string meter_serial;
  CivilDate read_on;
  std::int64_t value = 0;
  std::string kind;    // actual | estimated | initial | final
  std::string source;  // manual | handheld | estimate | install | exchange | correction
  std::string status;  // accepted | exception | superseded
  std::int64_t register_units = 0;
  std::int64_t usage_mccf = 0;
  std::int64_t days = 0;
  bool rollover = false;
  bool true_up = false;
  std::string check_code;  // ReadCheck name
  std::string reader, note;
  std::optional<std::int64_t> replaces_read_id;
  std::string created_by;
};

struct AccountSummary {
  std::int64_t number = 0;
  std::int64_t party_id = 0;
  std::string party_name;
  std::string service_address;
  std::string status;
  std::string cycle_code;
};

// --- account maintenance (account_maintenance.cc): holds, changes, close ---
// The flags that hold late penalties back (columns of migration 012): a dispute opened on a
// customer's complaint, or a payment arrangement agreed with them.
struct AccountHolds {
  bool in_dispute = false;
  bool payment_arrangement = false;
};
// What an account change sets; an absent field stays as it is.
struct AccountChanges {
  std::optional<bool> cash_only, no_shutoff, landlord;
  std::optional<MailingAddress> mailing;  // all fields empty: mail to the service address
  std::optional<Money> deposit;
};
// The account after a close, with the services this close stopped (none on a repeat).
struct AccountClosing {
  UtilityAccount account;
  std::vector<Service> stopped;
  bool already_closed = false;  // the account was closed on that date before this call
};
// --- end account maintenance ---

struct AccountView {
  UtilityAccount account;
  AccountHolds holds;  // account maintenance
  std::string party_name;
  Premise premise;
  std::string cycle_code;
  std::string route_code;  // "" when the premise is on no route
  int route_sequence = 0;
  std::vector<Service> services;
  std::vector<InstalledMeter> meters;  // every install, current (not removed) first
  std::vector<RefuseCart> carts;
  std::vector<ReadRecord> recent_reads;  // newest first, at most kMaxRecentReads
  DailyUse average_daily_use;            // over the last estimate_periods periods
};

struct ReadEntry {
  std::string meter_serial;  // "" when the account has one meter installed
  std::int64_t value = 0;
  std::string read_on;  // "" = today
  std::string reader, note;
};

// --- read exception queue: expected range (read_book.cc, migration 017) ---
// What the check that held a read back expected, stored with the exception when it is raised
// (the average moves with every accepted read; the queue shows what the check saw). Usage over
// `days` (since the last actual read) was expected to be `expected_mccf`, and low_mccf..high_mccf
// (billing.low_percent / high_percent of it) passes.
struct ExpectedRange {
  std::int64_t expected_mccf = 0, low_mccf = 0, high_mccf = 0;
  DailyUse average;  // the account's average daily use, as its two sums
  std::int64_t days = 0;
};
// For people: "expected 9–36 CCF (avg 0.6/day × 30 days)" — CCF without trailing zeros, the
// average per day rounded half-up to 0.01 CCF.
std::string describe(const ExpectedRange& r);
// --- end read exception queue: expected range ---

struct ReadExceptionView {
  std::int64_t id = 0;
  std::int64_t account_number = 0;
  std::string party_name, service_address;
  std::string code, message, status;
  ReadRecord read;
  std::int64_t previous_value = 0;
  std::optional<CivilDate> previous_read_on;
  std::string resolution_note, resolved_by;
  std::optional<std::int64_t> field_work_id;
  std::optional<ExpectedRange> expected;  // absent: no history for high/low (or before 017)
};

// --- read exception queue: paging and filters (read_book.cc) ---
inline constexpr int kDefaultExceptionsPerPage = 50;
inline constexpr int kMaxExceptionsPageSize = 500;
struct ExceptionQuery {
  std::string status;  // "open" (default), "reread" or "all"
  std::string code;    // a reason code (read_validation.h), "" = any; unknown → kInvalidInput
  std::string route;   // a read route code (the premise's stop), "" = any
  std::string cycle;   // a billing cycle code, "" = any
  std::optional<std::int64_t> account_number;  // one account's exceptions
  int limit = kDefaultExceptionsPerPage;       // 1..kMaxExceptionsPageSize
  std::int64_t offset = 0;                     // >= 0
};
struct ExceptionPage {
  std::vector<ReadExceptionView> items;  // oldest first
  std::int64_t total = 0;                // every exception matching the filters
};
// --- end read exception queue: paging and filters ---

struct ReadOutcome {
  ReadRecord read;
  std::optional<ReadExceptionView> exception;
};

struct ReadImportResult {
  std::int64_t rows = 0;
  std::int64_t accepted = 0;
  std::int64_t exceptions = 0;
  std::int64_t skipped = 0;  // already stored (same meter, date and value)
  std::int64_t unread = 0;   // read_value empty
  std::vector<LineProblem> refused;
};

struct AccountQuery {
  std::optional<std::int64_t> number;
  std::optional<std::int64_t> party_id;
  std::string address;  // the start of a service address, e.g. "101 MAIN"
  // Account search by name (helper Q): every word of `name` starts a word of the customer's
  // display name, case and accents ignored ("gut" finds Maria Gutierrez; "maria gut" too), found
  // through the party search index (search/search_index.h), not a scan of the parties.
  std::string name;
  int limit = kMaxAccountsPerLookup;  // 1..kMaxAccountsPerLookup
};

// --- route administration (route_book.cc) ---
// One stop of a read route as the route page shows it: the premise and the account read there.
struct RouteStopView {
  int sequence = 0;
  std::int64_t premise_id = 0;
  std::string service_address;
  std::optional<std::int64_t> account_number;  // the active account at the premise, if any
  std::string party_name;
};

struct RouteView {
  ReadRoute route;
  std::string cycle_code;
  std::vector<RouteStopView> stops;  // walk order
};

// Walk order is stored as sequence numbers 10, 20, 30 … after every change made here, so an
// older caller (add_route_stop with its own sequence) can still fit a stop in between.
inline constexpr int kRouteSequenceStep = 10;
// Stops one route may hold (a reader's day is a few hundred meters).
inline constexpr std::size_t kMaxRouteStops = 5000;

class UtilityBook {
 public:
  UtilityBook(store::Database& db, const CityConfig& city, const Clock& clock, const TimeZone& tz);

  // --- premises, cycles, routes (utility_book.cc) ---
  [[nodiscard]] Result<Premise> create_premise(const Actor& actor, Premise premise);
  [[nodiscard]] Result<Premise> premise(std::int64_t id);
  [[nodiscard]] Result<std::vector<Premise>> find_premises(const std::string& address_start);
  [[nodiscard]] Result<Cycle> create_cycle(const Actor& actor, Cycle cycle);
  [[nodiscard]] Result<std::vector<Cycle>> cycles();
  [[nodiscard]] Result<ReadRoute> create_route(const Actor& actor, const std::string& code,
                                               const std::string& name,
                                               const std::string& cycle_code);
  [[nodiscard]] Result<RouteStop> add_route_stop(const Actor& actor, const std::string& route_code,
                                                 std::int64_t premise_id, int sequence);
  [[nodiscard]] Result<std::vector<ReadRoute>> routes();

  // --- accounts, services, carts, meters (utility_book.cc) ---
  [[nodiscard]] Result<AccountView> open_account(const Actor& actor, const OpenAccountInput& in);
  [[nodiscard]] Result<AccountView> account(std::int64_t number);
  [[nodiscard]] Result<std::vector<AccountSummary>> find_accounts(const AccountQuery& query);
  // --- account search by name (account_search.cc; find_accounts calls it for `name`) ---
  [[nodiscard]] Result<std::vector<AccountSummary>> find_accounts_by_name(
      const AccountQuery& query);
  [[nodiscard]] Result<Service> add_service(const Actor& actor, std::int64_t number,
                                            const std::string& kind, const std::string& rate_class,
                                            const std::string& started_on);
  [[nodiscard]] Result<Service> stop_service(const Actor& actor, std::int64_t number,
                                             std::int64_t service_id,
                                             const std::string& stopped_on);
  [[nodiscard]] Result<RefuseCart> add_refuse_cart(const Actor& actor, std::int64_t number,
                                                   RefuseCart cart, const std::string& started_on);
  // A new meter (its serial not yet known) installed for the account at its premise, with its
  // initial read (stored as an accepted read of kind initial).
  [[nodiscard]] Result<InstalledMeter> install_meter(const Actor& actor, std::int64_t number,
                                                     const Meter& meter,
                                                     const std::string& installed_on,
                                                     std::int64_t initial_read);
  // Removes `old_serial` ("" = the one installed) with its final read — validated like any read
  // and stored as kind final, so its usage closes the old meter's period — and installs
  // `new_meter` with its initial read, on the same day.
  [[nodiscard]] Result<InstalledMeter> exchange_meter(const Actor& actor, std::int64_t number,
                                                      const std::string& old_serial,
                                                      const std::string& exchanged_on,
                                                      std::int64_t final_read,
                                                      const Meter& new_meter,
                                                      std::int64_t initial_read);

  // --- account maintenance (account_maintenance.cc) ---
  // Sets both holds; `reason` (required) is audited with the holds before and after.
  [[nodiscard]] Result<AccountHolds> set_holds(const Actor& actor, std::int64_t number,
                                               const AccountHolds& holds,
                                               const std::string& reason);
  // Flags, mailing address and deposit record; audited before/after. Refused on a closed
  // account (kUnprocessable); field errors name "mailing.city", "deposit"...
  [[nodiscard]] Result<UtilityAccount> update_account(const Actor& actor, std::int64_t number,
                                                      const AccountChanges& changes);
  // Move-out: every service running on or after `closed_on` ("" = today) stops on it, and the
  // account is closed on it, in one transaction. Repeating it with the same date returns the
  // closed account (already_closed); another date is kConflict naming "closed_on".
  [[nodiscard]] Result<AccountClosing> close_account(const Actor& actor, std::int64_t number,
                                                     const std::string& closed_on);

  // --- reads (read_book.cc) ---
  [[nodiscard]] Result<ReadOutcome> enter_read(const Actor& actor, std::int64_t number,
                                               const ReadEntry& entry);
  // Several reads of the account keyed at once (a catch-up, a conversion from the old system),
  // in date order, in ONE transaction: each is checked against the reads before it. Any read
  // refused (kInvalidInput naming "reads[i].FIELD") refuses them all. At most kMaxReadsAtOnce.
  [[nodiscard]] Result<std::vector<ReadOutcome>> enter_reads(const Actor& actor,
                                                             std::int64_t number,
                                                             const std::vector<ReadEntry>& entries);
  [[nodiscard]] Result<std::vector<ReadRecord>> reads(std::int64_t number, int limit);
  // The route's meters in walk order as the handheld CSV (handheld_file.h).
  [[nodiscard]] Result<std::string> export_route(const std::string& route_code);
  [[nodiscard]] Result<ReadImportResult> import_reads(const Actor& actor, std::string_view content);
  // The queue: "open" (default), "reread", or "all"; oldest first.
  [[nodiscard]] Result<std::vector<ReadExceptionView>> exceptions(const std::string& status);
  // --- read exception queue: one page of it, filtered (read_book.cc) ---
  // kInvalidInput naming "status", "code", "limit" or "offset".
  [[nodiscard]] Result<ExceptionPage> exception_page(const ExceptionQuery& query);
  [[nodiscard]] Result<ReadExceptionView> read_exception(std::int64_t id);
  [[nodiscard]] Result<ReadExceptionView> accept_exception(const Actor& actor, std::int64_t id,
                                                           const std::string& note);
  [[nodiscard]] Result<ReadExceptionView> correct_exception(const Actor& actor, std::int64_t id,
                                                            std::int64_t value,
                                                            const std::string& note);
  [[nodiscard]] Result<ReadExceptionView> request_reread(const Actor& actor, std::int64_t id,
                                                         const std::string& note);
  [[nodiscard]] Result<ReadExceptionView> estimate_exception(const Actor& actor, std::int64_t id,
                                                             const std::string& method,
                                                             const std::string& note);

  // --- route administration and cart stops (route_book.cc) ---
  // A cycle's name and read schedule (read_day 1..28, period_months 1..3), audited
  // cycle.update with before and after. kNotFound naming "code".
  [[nodiscard]] Result<Cycle> update_cycle(const Actor& actor, const std::string& code,
                                           const std::string& name, int read_day,
                                           int period_months);
  // The route with its stops in walk order. kNotFound naming "route".
  [[nodiscard]] Result<RouteView> route(const std::string& route_code);
  // Puts account `number`'s premise on the route at walk `position` (1-based; absent or past
  // the end = last), renumbering the walk. The account must be active and in the route's cycle
  // (kUnprocessable naming "account_number"); a premise on a route already is kConflict.
  // Audited route.add_stop.
  [[nodiscard]] Result<RouteView> add_stop_for_account(const Actor& actor,
                                                       const std::string& route_code,
                                                       std::int64_t number,
                                                       std::optional<int> position);
  // The whole walk in its new order: every stop of the route exactly once, by premise id.
  // kInvalidInput naming "premise_ids[i]" for an entry that is not a stop of the route or
  // repeats one, "premise_ids" when a stop is missing. Audited route.reorder (before, after).
  [[nodiscard]] Result<RouteView> reorder_stops(const Actor& actor, const std::string& route_code,
                                                const std::vector<std::int64_t>& premise_ids);
  // Takes the premise off the route (it is read on no route until added again). kNotFound
  // naming "premise_id" when it is not a stop of the route. Audited route.remove_stop.
  [[nodiscard]] Result<RouteView> remove_stop(const Actor& actor, const std::string& route_code,
                                              std::int64_t premise_id);
  // Stops a refuse cart from `stopped_on` ("" = today): the first day it is not collected, so
  // it is billed on [started_on, stopped_on). kNotFound naming "cart_id"; kUnprocessable naming
  // "stopped_on" when already stopped or before it started. Audited refuse_cart.stop.
  [[nodiscard]] Result<RefuseCart> stop_refuse_cart(const Actor& actor, std::int64_t number,
                                                    std::int64_t cart_id,
                                                    const std::string& stopped_on);

  CivilDate today() const;

 private:
  [[nodiscard]] Result<CivilDate> date_or_today(const std::string& text,
                                                const std::string& field) const;

  store::Database& db_;
  const CityConfig& city_;
  const Clock& clock_;
  const TimeZone& tz_;
};

}  // namespace civicdesk::billing
