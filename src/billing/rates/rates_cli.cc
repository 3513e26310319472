#include "billing/rates/rates_cli.h"

#include <boost/json.hpp>
#include <iostream>
#include <sstream>

#include "billing/rates/rate_limits.h"
#include "core/money.h"

namespace civicdesk::rates {
namespace {

bool is_input_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

boost::json::object bill_object(const Bill& bill) {
  boost::json::array lines;
  for (const auto& line : bill.lines) {
    boost::json::object l;
    l["name"] = line.name;
    l["amount"] = format_plain(line.amount);
    l["exact"] = line.exact.to_string(9);
    l["proration_factor"] = line.proration_factor.to_string(9);
    l["explanation"] = line.explanation;
    boost::json::array tiers;
    for (const auto& t : line.tiers) {
      boost::json::object o;
      o["tier"] = t.tier;
      o["from"] = t.from.to_string(9);
      o["to"] = t.to ? boost::json::value(t.to->to_string(9)) : boost::json::value(nullptr);
      o["units"] = t.units.to_string(9);
      o["price"] = t.price.to_string(9);
      o["amount"] = t.amount.to_string(9);
      tiers.push_back(std::move(o));
    }
    l["tiers"] = std::move(tiers);
    lines.push_back(std::move(l));
  }
  boost::json::object o;
  o["lines"] = std::move(lines);
  o["total"] = format_plain(bill.total);
  return o;
}

std::string pad(std::string s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

int report(const Error& e, std::ostream& err) {
  err << "civicdesk: " << e.message;
  if (!e.field.empty()) err << " [" << e.field << "]";
  err << "\n";
  return e.code == ErrorCode::kInvalidInput ? 2 : 1;
}

}  // namespace

Result<BillRequest> make_bill_request(const RatesBillArgs& args) {
  BillRequest r;
  CD_TRY(check_length(args.customer_class, kMaxClassNameLength, "--class"));
  if (args.customer_class.empty()) return fail(Error::invalid("--class", "--class is required"));
  r.customer_class = args.customer_class;
  CD_ASSIGN(r.usage_ccf, Decimal::parse(args.usage_ccf, "--usage-ccf"));
  CD_ASSIGN(r.proration_factor, Decimal::parse(args.proration_factor, "--proration"));
  if (args.meter_size) {
    CD_TRY(check_length(*args.meter_size, kMaxInputValueLength, "--meter-size"));
    r.meter_size = args.meter_size;
  }
  if (args.set.size() > kMaxCustomerInputs) {
    return fail(Error::invalid(
        "--set", "more than " + std::to_string(kMaxCustomerInputs) + " --set inputs"));
  }
  for (const auto& kv : args.set) {
    const std::size_t eq = kv.find('=');
    const std::string key = kv.substr(0, eq);
    if (eq == std::string::npos || !is_input_name(key)) {
      return fail(Error::invalid("--set", "--set '" + kv +
                                              "' is not KEY=VALUE with KEY a name "
                                              "such as hhsize"));
    }
    if (!r.inputs.emplace(key, kv.substr(eq + 1)).second) {
      return fail(Error::invalid("--set", "--set " + key + " is given twice"));
    }
  }
  return r;
}

std::string bill_json(const Bill& bill) {
  return boost::json::serialize(bill_object(bill));
}

std::string bill_text(const Bill& bill) {
  std::ostringstream o;
  const std::string unit(to_string(bill.unit));
  o << bill.utility_name << ", customer class " << bill.customer_class << ", rates effective "
    << bill.effective_date.iso() << "\n";
  o << "usage " << bill.usage.to_string(9) << " " << unit << "  (" << bill.source << ")\n";
  for (const auto& line : bill.lines) {
    o << "  " << pad(line.name, 32, false) << pad(format_plain(line.amount), 12, true) << "  "
      << line.explanation;
    if (line.proration_factor != Decimal::from_integer(1)) {
      o << "; prorated x" << line.proration_factor.to_string(9);
    }
    if (Decimal::from_fraction(line.amount.cents(), 100) != line.exact) {
      o << " (exact " << line.exact.to_string(9) << ")";
    }
    o << "\n";
    for (const auto& t : line.tiers) {
      if (t.units.is_zero()) continue;
      o << "      tier " << t.tier << ": " << t.units.to_string(9) << " " << unit << " above "
        << t.from.to_string(9);
      if (t.to) o << " up to " << t.to->to_string(9);
      o << " x " << t.price.to_string(9) << " = " << t.amount.to_string(9) << "\n";
    }
  }
  o << "  " << pad("total", 32, false) << pad(format_plain(bill.total), 12, true) << "  (exact "
    << bill.exact_total.to_string(9) << "; each line rounded once to the cent, half-up)\n";
  for (const auto& note : bill.notes) o << "  note: " << note << "\n";
  return o.str();
}

int cmd_rates_bill(const RatesBillArgs& args, std::ostream& out, std::ostream& err) {
  auto request = make_bill_request(args);
  if (!request) return report(request.error(), err);
  auto tariff = load_owrs_file(args.owrs_path);
  if (!tariff) return report(tariff.error(), err);
  if (!args.compare_owrs) {
    auto bill = compute_bill(*tariff, *request);
    if (!bill) return report(bill.error(), err);
    out << (args.json ? bill_json(*bill) + "\n" : bill_text(*bill));
    return 0;
  }
  auto proposed = load_owrs_file(*args.compare_owrs);
  if (!proposed) return report(proposed.error(), err);
  auto w = what_if(*tariff, *proposed, *request);
  if (!w) return report(w.error(), err);
  if (args.json) {
    boost::json::object o;
    o["current"] = bill_object(w->current);
    o["proposed"] = bill_object(w->proposed);
    o["difference"] = format_plain(w->difference);
    out << boost::json::serialize(o) << "\n";
    return 0;
  }
  out << "current:\n"
      << bill_text(w->current) << "proposed:\n"
      << bill_text(w->proposed)
      << "difference (proposed - current): " << format_plain(w->difference) << "\n";
  return 0;
}

int cmd_rates_bill(const RatesBillArgs& args) {
  return cmd_rates_bill(args, std::cout, std::cerr);
}

}  // namespace civicdesk::rates
