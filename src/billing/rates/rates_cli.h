// `civicdesk rates bill`: the rate what-if from the command line, for scripts and CSRs.
//
//   civicdesk rates bill --owrs FILE --class CLASS --usage-ccf N [--meter-size S]
//                        [--set KEY=VALUE]... [--proration F] [--compare-owrs FILE] [--json]
//
// Prints each bill line (amount, how it was computed, tiers) and the total; with --json exactly
//   {"lines":[{"name":"service_charge","amount":"23.92",...},...],"total":"145.79"}
// where each line also carries "exact" (unrounded), "proration_factor", "explanation" and
// "tiers". With --compare-owrs the same customer is also billed under a proposed tariff and the
// difference printed ({"current":{...},"proposed":{...},"difference":"1.23"} in JSON).
// Numbers on the command line are parsed as exact decimals, never as floating point.
//
// Exit status: 0 with a bill; 2 when the request is wrong (unknown class, missing input, a
// number that is not one) and 1 when the tariff is refused or cannot be read; the error, naming
// the file, class and key, goes to `err`.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "billing/rates/calculator.h"
#include "core/result.h"

namespace civicdesk::rates {

struct RatesBillArgs {
  std::string owrs_path;
  std::string customer_class;
  std::string usage_ccf;  // as typed, e.g. "27.3"
  std::optional<std::string> meter_size;
  std::vector<std::string> set;  // "KEY=VALUE", each once
  std::string proration_factor = "1";
  std::optional<std::string> compare_owrs;
  bool json = false;
};

// Validates the arguments into a request (kInvalidInput naming the option).
[[nodiscard]] Result<BillRequest> make_bill_request(const RatesBillArgs& args);

// The JSON object for one bill: {"lines":[...],"total":"..."}.
std::string bill_json(const Bill& bill);
// The bill for people: a header, one line per charge with its tiers, the total, notes.
std::string bill_text(const Bill& bill);

int cmd_rates_bill(const RatesBillArgs& args, std::ostream& out, std::ostream& err);
// Writes to std::cout and std::cerr.
int cmd_rates_bill(const RatesBillArgs& args);

}  // namespace civicdesk::rates
