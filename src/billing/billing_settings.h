// The City's utility-billing settings: section `billing:` of the City config (parsed in
// city/city_config.cc; documented in config/demo-city.yaml). Part 1 holds the read checks; bill
// runs, due dates and penalties add their keys here later.
#pragma once

#include <optional>
#include <string>

#include "billing/tariff.h"

namespace civicdesk::billing {

// Tolerances of the read checks (read_validation.h) and the estimate (estimation.h).
struct ReadTolerances {
  // A period's usage above this percentage of the usage expected from the account's average
  // daily use is a high read (200: more than double).
  int high_percent = 200;
  // Below this percentage of the expected usage is a low read (25: less than a quarter).
  int low_percent = 25;
  // High and low are checked only when the average rests on at least this many days of
  // accepted reads; a new account has no history and is checked for zero and negative only.
  int min_days = 28;
  // Above this percentage of the expected usage the read is implausible, not merely high: a
  // misread digit or a wrong meter (1000: ten times the usual).
  int max_jump_percent = 1000;
  // Estimates use the average daily use of this many most recent periods.
  int estimate_periods = 3;
};

// Bill runs and late penalties (bill_run.h): keys `due_days`, `run_batch_size` and the map
// `late_penalty:` of the `billing:` section.
struct LatePenalty {
  // A bill is late once this many days have passed after its due date with a balance left.
  int grace_days = 5;
  // Percent of the bill's balance (basis points: 1000 = 10%), or, when 0, the flat amount.
  int percent_bp = 0;
  long long flat_cents = 0;
  // Revenue for penalties (a configured GL account).
  std::string revenue_account = "4100-WATER";
};

struct BillRunSettings {
  int due_days = 21;        // due date = bill date + due_days
  int batch_size = 500;     // accounts per write transaction in a run
  LatePenalty late_penalty;
  // A run of at most this many accounts is billed inside the POST /billing/runs request (key
  // `inline_run_accounts`); a bigger one is opened (202) and billed by the scheduler's
  // `civicdesk billing run`. Unset: by the database — PostgreSQL's round trips make a bill
  // several times slower than SQLite's (5,000 bills: ~35 s), and a request must stay short.
  std::optional<int> inline_run_accounts;
};

inline constexpr int kInlineRunAccountsSqlite = 5'000;
inline constexpr int kInlineRunAccountsPostgres = 500;

// The in-request run limit for the database in use.
inline int inline_run_limit(const BillRunSettings& r, bool postgres) {
  if (r.inline_run_accounts) return *r.inline_run_accounts;
  return postgres ? kInlineRunAccountsPostgres : kInlineRunAccountsSqlite;
}

// Late and shut-off notices (bill_notice_rules.h): the map `notices:` of the `billing:` section.
// The shut-off defaults follow California SB 998 (Health & Safety Code 116908): no
// disconnection of residential water before 60 days delinquent, written notice at least 7
// business days before. The parser refuses a shut-off earlier than 60 days.
struct NoticeSettings {
  // A late notice once the due date + this many days has passed with a balance left; unset:
  // the late penalty's grace days (the notice then goes with the penalty).
  std::optional<int> late_notice_days;
  // A shut-off notice once the oldest unpaid bill is this many days past due ...
  int shutoff_notice_days_delinquent = 53;
  // ... and the account's past-due balance is at least this much.
  long long shutoff_min_balance_cents = 50'00;
  // The shut-off date is no earlier than this many days past due.
  int shutoff_after_days_delinquent = 60;
  // Accounts per write transaction in a notice run.
  int batch_size = 200;
};

struct BillingSettings {
  ReadTolerances reads;
  BillRunSettings runs;
  NoticeSettings notices;  // key notices:
  // The rate versions (key rate_versions; tariff.h, parsed by tariff_config.cc).
  Tariff tariff;
};

}  // namespace civicdesk::billing
