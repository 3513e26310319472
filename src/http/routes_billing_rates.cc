// The rate what-if (billing/bill_calculation.h): a CSR answering "why is my bill so high?" prices
// a usage figure, or an account's latest period, under the current rates or a proposed version,
// and gets every line with its explanation. Read-only: billing.read, no Idempotency-Key.
//
// POST /api/v1/billing/what-if
//   {rate_version?: "current" (default) | "proposed" | an id,
//    account_number?: N,                      — its services, meter, premise, carts, last period
//    rate_class?: "RES", services?: [{kind, rate_class}],
//    usage_ccf?: "14.5", days?: 30, from?: "YYYY-MM-DD", meter_size?: "5/8\"",
//    premise_type?: "single_family", winter_average_ccf_per_day?: "0.1",
//    carts?: [{size_gallons, count, pickups_per_week}], discount_codes?: ["LIFELINE"]}
// Without an account the services are `services`, or water (and nothing else) in `rate_class`.
// With one, the period is the one its latest accepted read closes (usage and days from that
// read) unless usage_ccf / days / from are given; meter_size then prices another meter than the
// account's (what a bigger or smaller meter would cost).
//
// GET /api/v1/billing/what-if/options — what the form offers: the rate versions, the rate
// classes by service kind, and the meter sizes the tariff has fixed charges for (in the order
// the City config lists them; "any" is not a size).
#include <algorithm>
#include <initializer_list>

#include "billing/bill_calculation.h"
#include "billing/meter.h"
#include "billing/proration.h"
#include "billing/utility_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using rates::Decimal;

bool has(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && !v->is_null();
}

// A decimal given as a JSON string ("14.5") or number (14.5 is read from its text form).
Result<Decimal> decimal_field(const json::object& o, std::string_view key) {
  const json::value& v = o.at(key);
  std::string text;
  if (v.is_string()) {
    text = std::string(v.as_string());
  } else if (v.is_int64()) {
    text = std::to_string(v.as_int64());
  } else {
    return fail(Error::invalid(std::string(key), std::string(key) + " must be a decimal string"));
  }
  auto d = Decimal::parse(text, key);
  if (!d || d->is_negative()) {
    return fail(Error::invalid(std::string(key), std::string(key) + " must be a number ≥ 0"));
  }
  return *d;
}

// CCF with at most three decimals → whole mccf.
Result<std::int64_t> mccf_field(const json::object& o, std::string_view key) {
  CD_ASSIGN(const Decimal ccf, decimal_field(o, key));
  CD_ASSIGN(const Decimal mccf, ccf.mul(Decimal::from_integer(1000)));
  if (!mccf.is_integer() || mccf.numerator() > 1'000'000'000'000) {
    return fail(
        Error::invalid(std::string(key), std::string(key) + " must have at most three decimals"));
  }
  return mccf.numerator();
}

Result<int> small_int(const json::object& o, std::string_view key, int min, int max) {
  CD_ASSIGN(const std::int64_t v, int_field(o, key));
  if (v < min || v > max) {
    return fail(Error::invalid(
        std::string(key),
        std::string(key) + " must be " + std::to_string(min) + ".." + std::to_string(max)));
  }
  return static_cast<int>(v);
}

struct WhatIf {
  billing::BillInput in;
  std::string version;  // "current", "proposed" or an id
};

// Fills `in` from the account: its premise type, current meter's size, carts, the services
// active in the period, and (unless given) the latest period's usage and dates.
Result<void> from_account(App& app, std::int64_t number, const json::object& o,
                          billing::BillInput* in) {
  CD_ASSIGN(const billing::AccountView v, app.billing().account(number));
  in->premise_type = v.premise.type;
  if (!has(o, "meter_size") && !v.meters.empty()) in->meter_size = v.meters.front().meter.size;
  if (!has(o, "carts")) {
    // With their dates, as the bill run passes them: each cart is priced for its own days of
    // the period (one stopped before the period prices nothing).
    for (const billing::RefuseCart& c : v.carts)
      in->carts.push_back(
          {c.size_gallons, c.count, c.pickups_per_week, c.started_on, c.stopped_on});
  }
  // The latest accepted read with days closes the account's latest period.
  for (const billing::ReadRecord& r : v.recent_reads) {
    if (r.status != "accepted" || r.days <= 0) continue;
    if (!has(o, "from") && !has(o, "days")) {
      in->to = r.read_on;
      in->from = r.read_on.plus_days(-r.days);
    }
    if (!has(o, "usage_ccf")) in->water_usage_mccf = r.usage_mccf;
    break;
  }
  if (!has(o, "services")) {
    for (const billing::Service& s : v.services) {
      if (s.stopped_on && !(in->from < *s.stopped_on)) continue;
      if (!(s.started_on < in->to)) continue;
      in->services.push_back({s.kind, s.rate_class, s.started_on, s.stopped_on});
    }
  }
  return {};
}

Result<WhatIf> parse_what_if(App& app, const json::object& o) {
  CD_TRY(only_fields(
      o, {"rate_version", "account_number", "rate_class", "services", "usage_ccf", "days", "from",
          "meter_size", "premise_type", "winter_average_ccf_per_day", "carts", "discount_codes"}));
  WhatIf w;
  billing::BillInput& in = w.in;
  CD_ASSIGN(w.version, string_field(o, "rate_version", false));
  if (w.version.empty()) w.version = "current";
  int days = billing::kStandardMonthDays;
  if (has(o, "days")) {
    CD_ASSIGN(days, small_int(o, "days", 1, billing::kMaxBillPeriodDays));
  }
  in.from = app.billing().today();
  if (has(o, "from")) {
    CD_ASSIGN(const std::string text, string_field(o, "from"));
    CD_ASSIGN(in.from, parse_date(text, "from"));
  }
  in.to = in.from.plus_days(days);
  if (has(o, "usage_ccf")) {
    CD_ASSIGN(in.water_usage_mccf, mccf_field(o, "usage_ccf"));
  }
  CD_ASSIGN(in.meter_size, string_field(o, "meter_size", false));
  if (has(o, "premise_type")) {
    CD_ASSIGN(const std::string t, string_field(o, "premise_type"));
    CD_ASSIGN(in.premise_type, billing::parse_premise_type(t));
  }
  if (has(o, "winter_average_ccf_per_day")) {
    CD_ASSIGN(const Decimal ccf, decimal_field(o, "winter_average_ccf_per_day"));
    CD_ASSIGN(in.winter_average_mccf_per_day, ccf.mul(Decimal::from_integer(1000)));
  }
  if (has(o, "services")) {
    const json::value& list = o.at("services");
    if (!list.is_array() || list.as_array().size() > 8) {
      return fail(Error::invalid("services", "a list of at most 8 {kind, rate_class}"));
    }
    for (const json::value& item : list.as_array()) {
      if (!item.is_object()) return fail(Error::invalid("services", "each is {kind, rate_class}"));
      const json::object& s = item.as_object();
      CD_TRY(only_fields(s, {"kind", "rate_class"}));
      CD_ASSIGN(const std::string kind, string_field(s, "kind"));
      CD_ASSIGN(const billing::ServiceKind k, billing::parse_service_kind(kind, "services"));
      CD_ASSIGN(const std::string cls, string_field(s, "rate_class"));
      in.services.push_back({k, cls, in.from, std::nullopt});
    }
  } else if (has(o, "rate_class")) {
    CD_ASSIGN(const std::string cls, string_field(o, "rate_class"));
    in.services.push_back({billing::ServiceKind::kWater, cls, in.from, std::nullopt});
  }
  if (has(o, "carts")) {
    const json::value& list = o.at("carts");
    if (!list.is_array() || list.as_array().size() > 10) {
      return fail(Error::invalid("carts", "a list of at most 10 carts"));
    }
    for (const json::value& item : list.as_array()) {
      if (!item.is_object()) return fail(Error::invalid("carts", "each cart is an object"));
      const json::object& c = item.as_object();
      CD_TRY(only_fields(c, {"size_gallons", "count", "pickups_per_week"}));
      billing::BillCart cart;
      CD_ASSIGN(cart.size_gallons, small_int(c, "size_gallons", 1, 1000));
      if (has(c, "count")) {
        CD_ASSIGN(cart.count, small_int(c, "count", 1, 10));
      }
      if (has(c, "pickups_per_week")) {
        CD_ASSIGN(cart.pickups_per_week, small_int(c, "pickups_per_week", 1, 7));
      }
      in.carts.push_back(cart);
    }
  }
  if (has(o, "discount_codes")) {
    const json::value& list = o.at("discount_codes");
    if (!list.is_array() || list.as_array().size() > 10) {
      return fail(Error::invalid("discount_codes", "a list of at most 10 codes"));
    }
    for (const json::value& item : list.as_array()) {
      if (!item.is_string()) return fail(Error::invalid("discount_codes", "codes are strings"));
      in.discount_codes.emplace_back(item.as_string());
    }
  }
  if (has(o, "account_number")) {
    CD_ASSIGN(const std::int64_t number, int_field(o, "account_number"));
    CD_TRY(from_account(app, number, o, &in));
  }
  if (in.services.empty()) {
    return fail(Error::invalid("rate_class", "give rate_class, services or account_number"));
  }
  return w;
}

json::value opt(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}

json::object bill_line_json(const billing::BillLine& l) {
  return json::object{
      {"service", l.service},
      {"component", l.component},
      {"description", l.description},
      {"amount", format_plain(l.amount)},
      {"units_ccf", l.units_mccf ? json::value(billing::format_ccf(*l.units_mccf)) : nullptr},
      {"quantity", l.quantity},
      {"unit_price", l.unit_price},
      {"price_unit", l.price_unit},
      {"tier", l.tier},
      {"tier_from_ccf", opt(l.tier_from_ccf)},
      {"tier_to_ccf", opt(l.tier_to_ccf)},
      {"days", l.days},
      {"base_days", l.base_days},
      {"rate_version", l.rate_version},
      {"base", l.base ? json::value(format_plain(*l.base)) : nullptr},
      {"explanation", l.explanation()}};
}

Response what_if(App& app, RequestContext& ctx) {
  auto parse = [&app](const json::object& o) { return parse_what_if(app, o); };
  return with_body(ctx, parse, [&](WhatIf w) {
    const billing::Tariff& tariff = app.city().billing.tariff;
    const billing::RateVersion* v = nullptr;
    if (w.version == "current") {
      v = tariff.in_force_on(w.in.from);
    } else if (w.version == "proposed") {
      v = tariff.proposed();
    } else {
      v = tariff.find(w.version);
    }
    if (!v) {
      return error_response(Error::make(ErrorCode::kNotFound,
                                        "no rate version \"" + w.version + "\" in the City config",
                                        "rate_version"));
    }
    w.in.rate_version = v->id;
    auto bill = billing::calculate_bill(tariff, w.in);
    if (!bill) return error_response(bill.error());
    json::array lines;
    for (const billing::BillLine& l : bill->lines) lines.push_back(bill_line_json(l));
    json::array warnings;
    for (const std::string& s : bill->warnings) warnings.emplace_back(s);
    return json_response(200,
                         json::object{{"rate_version", v->id},
                                      {"proposed", v->proposed},
                                      {"from", w.in.from.iso()},
                                      {"to", w.in.to.iso()},
                                      {"days", billing::days_between(w.in.from, w.in.to)},
                                      {"usage_ccf", billing::format_ccf(w.in.water_usage_mccf)},
                                      {"meter_size", w.in.meter_size},
                                      {"lines", std::move(lines)},
                                      {"total", format_plain(bill->total)},
                                      {"warnings", std::move(warnings)}});
  });
}

Response what_if_options(App& app) {
  const billing::Tariff& tariff = app.city().billing.tariff;
  json::array versions, classes, sizes;
  std::vector<std::string> seen_sizes, seen_classes;
  auto add_once = [](std::vector<std::string>& seen, const std::string& v) {
    if (std::find(seen.begin(), seen.end(), v) != seen.end()) return false;
    seen.push_back(v);
    return true;
  };
  const billing::RateVersion* current = tariff.in_force_on(app.billing().today());
  for (const billing::RateVersion& v : tariff.versions) {
    versions.push_back(json::object{{"id", v.id},
                                    {"effective_from", v.effective_from.iso()},
                                    {"proposed", v.proposed},
                                    {"current", &v == current},
                                    {"description", v.description}});
    for (const billing::RateClass& c : v.classes) {
      const std::string kind(billing::to_string(c.kind));
      if (add_once(seen_classes, kind + "/" + c.name))
        classes.push_back(json::object{{"kind", kind}, {"name", c.name}});
      if (c.kind != billing::ServiceKind::kWater) continue;
      for (const billing::FixedCharge& f : c.fixed_charges)
        if (f.meter_size != "any" && add_once(seen_sizes, f.meter_size))
          sizes.emplace_back(f.meter_size);
    }
  }
  return json_response(200, json::object{{"rate_versions", std::move(versions)},
                                         {"rate_classes", std::move(classes)},
                                         {"meter_sizes", std::move(sizes)}});
}

}  // namespace

void add_billing_rate_routes(Router& r, App& app) {
  r.add(Route{"POST", "/api/v1/billing/what-if", Access::kPermission, "billing.read",
              [&app](RequestContext& ctx) { return what_if(app, ctx); }});
  r.add(Route{"GET", "/api/v1/billing/what-if/options", Access::kPermission, "billing.read",
              [&app](RequestContext&) { return what_if_options(app); }});
}

}  // namespace civicdesk::http
