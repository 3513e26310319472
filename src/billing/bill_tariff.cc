// The bill run's calculator over the City's tariff (bill_run.h tariff_calculator): the run's
// request becomes a BillInput for calculate_bill (bill_calculation.h) and each BillLine a line
// of the stored bill with its explanation. Kept apart from the run so the run's tests can put a
// fixed calculator in its place.
#include <string>

#include "billing/bill_calculation.h"
#include "billing/bill_run.h"
#include "billing/bill_run_internal.h"

namespace civicdesk::billing {

BillCalculator tariff_calculator(const Tariff& tariff) {
  return [&tariff](const BillRequest& req) -> Result<std::vector<ComputedLine>> {
    BillInput in;
    in.from = req.period_from;
    in.to = req.period_to;
    if (auto type = parse_premise_type(req.premise_type, "premise_type")) in.premise_type = *type;
    in.meter_size = req.meter_size;
    for (const auto& s : req.services) in.services.push_back({s.kind, s.rate_class, s.from, s.to});
    in.water_usage_mccf = req.usage_mccf;
    for (const auto& cart : req.carts)
      in.carts.push_back({cart.size_gallons, cart.count, cart.pickups_per_week, cart.started_on,
                          cart.stopped_on});
    auto calc = calculate_bill(tariff, in);
    if (!calc) return std::unexpected(calc.error());  // field rate_class: a missing class
    std::vector<ComputedLine> out;
    out.reserve(calc->lines.size());
    for (const auto& l : calc->lines)
      out.push_back({l.service, l.component, l.description, l.amount, l.explanation()});
    return out;
  };
}

namespace detail {
BillCalculator default_calculator(const CityConfig& city) {
  return tariff_calculator(city.billing.tariff);
}
}  // namespace detail

}  // namespace civicdesk::billing
