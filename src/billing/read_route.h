// Billing cycles and read routes.
//
// A cycle is a group of accounts read and billed together on a schedule: the meters are read on
// `read_day` of every `period_months`-th month (1 monthly, 2 bi-monthly, 3 quarterly), counting
// from January (a bi-monthly cycle reads in January, March, May, …), and a bill run later bills
// the period between two scheduled reads. read_day is 1..28 so every month has it.
//
// A read route is the walk a meter reader takes: stops (premises) in walk order, all in one
// cycle. The route export for handheld devices lists the stops in that order (see
// docs/formats/meter-reads.md). Pure types and rules; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace civicdesk::billing {

inline constexpr std::size_t kMaxCodeLength = 20;

struct Cycle {
  std::int64_t id = 0;
  std::string code;  // e.g. "C1"
  std::string name;  // e.g. "Cycle 1 (north side, monthly)"
  int read_day = 1;  // 1..28
  int period_months = 1;
};

struct ReadRoute {
  std::int64_t id = 0;
  std::string code;  // e.g. "R01"
  std::string name;
  std::int64_t cycle_id = 0;
};

struct RouteStop {
  std::int64_t route_id = 0;
  std::int64_t premise_id = 0;
  int sequence = 0;  // walk order, 1-based; gaps allowed so a stop can be inserted
};

// Code (1..kMaxCodeLength letters, digits, '-' or '_'), name, read_day 1..28, period 1..3 months.
// kInvalidInput naming the field.
[[nodiscard]] Result<void> check_cycle(const Cycle& c);
// kInvalidInput naming `field` when the code is empty, too long or has other characters.
[[nodiscard]] Result<void> check_code(const std::string& code, std::string_view field = "code");

// The scheduled read dates of `cycle` in [from, to], in order.
std::vector<CivilDate> scheduled_reads(const Cycle& cycle, CivilDate from, CivilDate to);
// The first scheduled read date strictly after `after`.
CivilDate next_scheduled_read(const Cycle& cycle, CivilDate after);

}  // namespace civicdesk::billing
