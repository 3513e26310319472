#include "billing/bill_calculation.h"

#include <algorithm>
#include <set>
#include <utility>

#include "billing/meter.h"
#include "billing/proration.h"

namespace civicdesk::billing {

using rates::Decimal;

namespace {

int service_rank(ServiceKind k) {
  switch (k) {
    case ServiceKind::kWater:
      return 0;
    case ServiceKind::kSewer:
      return 1;
    case ServiceKind::kRefuse:
      return 2;
    case ServiceKind::kStormwater:
      return 3;
  }
  return 4;
}

int service_rank(std::string_view s) {
  auto k = parse_service_kind(s);
  return k ? service_rank(*k) : 4;
}

// Charges first, then the minimum top-up, then discounts, then taxes (each computed on the
// rounded lines before it).
enum Category { kCharge = 0, kMinimum = 1, kDiscount = 2, kTax = 3 };

struct Item {
  BillLine line;
  Category category = kCharge;
  const RateVersion* version = nullptr;
  const RateClass* cls = nullptr;
  CivilDate from;
};

std::string class_label(const RateVersion& v, const RateClass* c, ServiceKind kind,
                        std::string_view name) {
  return "version " + v.id + ", class " + (c ? c->name : std::string(name)) + " (" +
         std::string(to_string(kind)) + ")";
}

// A price in dollars with at least two decimals, as a tariff prints it: 3 → "3.00",
// 2.375 → "2.375".
std::string price_text(const Decimal& d) {
  std::string s = d.to_string();
  const std::size_t dot = s.find('.');
  if (dot == std::string::npos) return s + ".00";
  if (s.size() - dot == 2) return s + "0";
  return s;
}

class Calculator {
 public:
  Calculator(const Tariff& tariff, const BillInput& in) : tariff_(tariff), in_(in) {}

  Result<BillCalculation> run() {
    if (!(in_.from < in_.to)) {
      return fail(ErrorCode::kInvalidInput, "the period must end after it starts", "to");
    }
    if (days_between(in_.from, in_.to) > kMaxBillPeriodDays) {
      return fail(ErrorCode::kInvalidInput,
                  "a bill period may cover at most " + std::to_string(kMaxBillPeriodDays) + " days",
                  "to");
    }
    if (in_.winter_average_mccf_per_day && in_.winter_average_mccf_per_day->is_negative()) {
      return fail(ErrorCode::kInvalidInput, "the winter average must not be negative",
                  "winter_average_mccf_per_day");
    }
    CD_ASSIGN(pieces_, split_at_versions(tariff_, in_.from, in_.to, in_.rate_version));
    for (const PeriodPiece& p : pieces_) {
      if (std::find(out_.rate_versions.begin(), out_.rate_versions.end(), p.version->id) ==
          out_.rate_versions.end()) {
        out_.rate_versions.push_back(p.version->id);
      }
    }
    if (in_.services.empty()) out_.warnings.push_back("no services on the account in the period");
    if (in_.water_usage_mccf < 0) {
      out_.warnings.push_back("negative usage (a true-up credit) is credited at the first tier");
    }
    CD_TRY(water());
    CD_TRY(sewer());
    CD_TRY(refuse());
    CD_TRY(stormwater());
    CD_TRY(minimums());
    CD_TRY(discounts());
    CD_TRY(taxes());
    std::stable_sort(items_.begin(), items_.end(), [](const Item& a, const Item& b) {
      const int ra = service_rank(a.line.service), rb = service_rank(b.line.service);
      if (ra != rb) return ra < rb;
      if (a.category != b.category) return a.category < b.category;
      return a.from < b.from;
    });
    Money total;
    for (Item& item : items_) {
      CD_ASSIGN(total, total.add(item.line.amount));
      out_.lines.push_back(std::move(item.line));
    }
    out_.total = total;
    return std::move(out_);
  }

 private:
  // The pieces of `s`'s active days with its class in each; errors name a missing class.
  struct ServicePiece {
    PeriodPiece piece;
    const RateClass* cls = nullptr;
  };
  Result<std::vector<ServicePiece>> pieces_of(const BillService& s) const {
    const CivilDate to = s.active_to && *s.active_to < in_.to ? *s.active_to : in_.to;
    std::vector<ServicePiece> out;
    for (const PeriodPiece& p : clip(pieces_, s.active_from, to)) {
      const RateClass* c = p.version->find_class(s.kind, s.rate_class);
      if (!c) {
        return fail(ErrorCode::kUnprocessable,
                    class_label(*p.version, nullptr, s.kind, s.rate_class) +
                        ": the rate version has no such class",
                    "rate_class");
      }
      out.push_back({p, c});
    }
    return out;
  }

  std::vector<const BillService*> services(ServiceKind kind) const {
    std::vector<const BillService*> out;
    for (const BillService& s : in_.services) {
      if (s.kind == kind) out.push_back(&s);
    }
    return out;
  }

  // A line of `monthly` × quantity × days/30 (fixed charges, refuse, stormwater).
  Result<void> monthly_line(ServiceKind kind, std::string component, std::string description,
                            Decimal monthly, int quantity, const ServicePiece& sp) {
    Item item;
    BillLine& l = item.line;
    l.service = std::string(to_string(kind));
    l.component = std::move(component);
    l.description = std::move(description);
    const int days = sp.piece.days();
    CD_ASSIGN(const Decimal per_cart, prorate(monthly, days));
    CD_ASSIGN(const Decimal exact, per_cart.mul(Decimal::from_integer(quantity)));
    CD_ASSIGN(l.amount, exact.to_money(RoundingMode::kHalfUp));
    l.quantity = l.component == "refuse" ? quantity : 0;
    l.unit_price = price_text(monthly);
    l.price_unit = "per_month";
    l.days = days;
    l.base_days = kStandardMonthDays;
    l.rate_version = sp.piece.version->id;
    item.version = sp.piece.version;
    item.cls = sp.cls;
    item.from = sp.piece.from;
    items_.push_back(std::move(item));
    return {};
  }

  Result<void> fixed_charge(ServiceKind kind, const ServicePiece& sp) {
    if (sp.cls->fixed_charges.empty()) return {};
    const FixedCharge* f = sp.cls->fixed_charge_for(in_.meter_size);
    if (!f) {
      return fail(ErrorCode::kUnprocessable,
                  class_label(*sp.piece.version, sp.cls, kind, "") +
                      ": no fixed charge for meter size \"" + in_.meter_size + "\"",
                  "meter_size");
    }
    std::string what = "Fixed charge";
    if (f->meter_size != "any") what += ", " + f->meter_size + " meter";
    return monthly_line(kind, "fixed_charge", what, f->monthly, 1, sp);
  }

  // The volume lines of one piece: `volume` mccf through the piece's tiers with bounds prorated
  // to its days.
  Result<void> volume_lines(ServiceKind kind, const ServicePiece& sp, std::int64_t volume,
                            const std::string& note) {
    const std::vector<Tier>& tiers = sp.cls->tiers_on(sp.piece.from);
    if (tiers.empty() || volume == 0) return {};
    const bool sewer = kind == ServiceKind::kSewer;
    const int days = sp.piece.days();
    std::int64_t lower = 0;
    for (std::size_t k = 0; k < tiers.size(); ++k) {
      std::optional<std::int64_t> upper;
      if (tiers[k].up_to_ccf) {
        CD_ASSIGN(upper, prorated_bound_mccf(*tiers[k].up_to_ccf, days));
      }
      std::int64_t units = (upper && volume > *upper ? *upper : volume) - lower;
      if (volume < 0) units = volume;  // a credit: all of it at the first tier's price
      if (units != 0) {
        Item item;
        BillLine& l = item.line;
        l.service = std::string(to_string(kind));
        const bool numbered = !sewer || tiers.size() > 1;
        l.component = sewer ? "sewer_volume" : "tier_" + std::to_string(k + 1);
        l.description = sewer ? "Sewer volume" : "Water use";
        if (numbered) l.description += ", tier " + std::to_string(k + 1);
        l.description += note;
        l.units_mccf = units;
        CD_ASSIGN(const Decimal ccf, Decimal::from_fraction(units, 1000));
        CD_ASSIGN(const Decimal exact, ccf.mul(tiers[k].price_per_ccf));
        CD_ASSIGN(l.amount, exact.to_money(RoundingMode::kHalfUp));
        l.unit_price = price_text(tiers[k].price_per_ccf);
        l.price_unit = "per_ccf";
        if (numbered) {
          l.tier = static_cast<int>(k + 1);
          l.tier_from_ccf = format_ccf(lower);
          l.tier_to_ccf = upper ? format_ccf(*upper) : "";
        }
        l.days = days;
        l.base_days = kStandardMonthDays;
        l.rate_version = sp.piece.version->id;
        item.version = sp.piece.version;
        item.cls = sp.cls;
        item.from = sp.piece.from;
        items_.push_back(std::move(item));
      }
      if (volume < 0 || !upper || volume <= *upper) break;
      lower = *upper;
    }
    return {};
  }

  // Season-cut pieces of every service of `kind`, with each one's days.
  Result<std::vector<ServicePiece>> volume_pieces(ServiceKind kind) {
    std::vector<ServicePiece> out;
    for (const BillService* s : services(kind)) {
      CD_ASSIGN(const auto pieces, pieces_of(*s));
      for (const ServicePiece& sp : pieces) {
        CD_TRY(fixed_charge(kind, sp));
        track(kind, sp);
        for (const PeriodPiece& p : split_at_seasons(sp.piece, *sp.cls)) out.push_back({p, sp.cls});
      }
    }
    return out;
  }

  static std::vector<int> days_of(const std::vector<ServicePiece>& pieces) {
    std::vector<int> days;
    for (const ServicePiece& p : pieces) days.push_back(p.piece.days());
    return days;
  }

  Result<void> water() {
    CD_ASSIGN(const auto pieces, volume_pieces(ServiceKind::kWater));
    if (pieces.empty()) {
      if (in_.water_usage_mccf != 0) {
        out_.warnings.push_back("water usage " + format_ccf(in_.water_usage_mccf) +
                                " CCF is not billed: no water service in the period");
      }
      return {};
    }
    const auto usage = split_usage(in_.water_usage_mccf, days_of(pieces));
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      CD_TRY(volume_lines(ServiceKind::kWater, pieces[i], usage[i], ""));
    }
    return {};
  }

  Result<void> sewer() {
    CD_ASSIGN(const auto pieces, volume_pieces(ServiceKind::kSewer));
    const auto on_use = split_usage(in_.water_usage_mccf, days_of(pieces));
    bool warned = false;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const ServicePiece& sp = pieces[i];
      const int days = sp.piece.days();
      std::int64_t volume = on_use[i];
      std::string note;
      if (sp.cls->sewer_basis == SewerBasis::kWinterAverage) {
        if (in_.winter_average_mccf_per_day) {
          CD_ASSIGN(const Decimal v,
                    in_.winter_average_mccf_per_day->mul(Decimal::from_integer(days)));
          volume = v.round_to_integer(RoundingMode::kHalfUp).numerator();
          note = " (winter average)";
        } else if (!warned) {
          warned = true;
          out_.warnings.push_back(
              "sewer billed on water use: no winter-quarter average for the account");
        }
      }
      if (sp.cls->sewer_cap_ccf) {
        CD_ASSIGN(const std::int64_t cap, prorated_bound_mccf(*sp.cls->sewer_cap_ccf, days));
        if (volume > cap) {
          note += " (capped at " + format_ccf(cap) + " CCF)";
          volume = cap;
        }
      }
      CD_TRY(volume_lines(ServiceKind::kSewer, sp, volume, note));
    }
    return {};
  }

  Result<void> refuse() {
    for (const BillService* s : services(ServiceKind::kRefuse)) {
      CD_ASSIGN(const auto pieces, pieces_of(*s));
      bool charged = false;
      for (const ServicePiece& sp : pieces) {
        CD_TRY(fixed_charge(ServiceKind::kRefuse, sp));
        track(ServiceKind::kRefuse, sp);
        for (const BillCart& cart : in_.carts) {
          // The cart's own days within this piece: a cart started or stopped mid-period pays
          // for its days only (the piece keeps its version and class).
          ServicePiece cp = sp;
          if (cart.active_from && cp.piece.from < *cart.active_from) cp.piece.from = *cart.active_from;
          if (cart.active_to && *cart.active_to < cp.piece.to) cp.piece.to = *cart.active_to;
          if (!(cp.piece.from < cp.piece.to)) continue;
          charged = true;
          const RefuseRate* rate = nullptr;
          for (const RefuseRate& r : sp.cls->refuse) {
            if (r.size_gallons == cart.size_gallons &&
                r.pickups_per_week == cart.pickups_per_week) {
              rate = &r;
            }
          }
          const std::string what = std::to_string(cart.size_gallons) + "-gallon cart, " +
                                   std::to_string(cart.pickups_per_week) + " pickup" +
                                   (cart.pickups_per_week == 1 ? "" : "s") + "/week";
          if (!rate) {
            return fail(ErrorCode::kUnprocessable,
                        class_label(*sp.piece.version, sp.cls, ServiceKind::kRefuse, "") +
                            ": no refuse rate for a " + what,
                        "carts");
          }
          CD_TRY(monthly_line(ServiceKind::kRefuse, "refuse", "Refuse, " + what,
                              rate->monthly_per_cart, cart.count, cp));
        }
      }
      if (!pieces.empty() && !charged) {
        out_.warnings.push_back("refuse service without carts: no refuse charge");
      }
    }
    return {};
  }

  Result<void> stormwater() {
    for (const BillService* s : services(ServiceKind::kStormwater)) {
      CD_ASSIGN(const auto pieces, pieces_of(*s));
      for (const ServicePiece& sp : pieces) {
        track(ServiceKind::kStormwater, sp);
        const StormwaterFee* fee = nullptr;
        for (const StormwaterFee& f : sp.cls->stormwater) {
          if (f.premise_type == in_.premise_type) fee = &f;
        }
        if (!fee) {
          return fail(ErrorCode::kUnprocessable,
                      class_label(*sp.piece.version, sp.cls, ServiceKind::kStormwater, "") +
                          ": no stormwater fee for premise type " +
                          std::string(to_string(in_.premise_type)),
                      "premise_type");
        }
        CD_TRY(monthly_line(ServiceKind::kStormwater, "stormwater",
                            "Stormwater, " + std::string(to_string(in_.premise_type)), fee->monthly,
                            1, sp));
      }
    }
    return {};
  }

  // Days each (service, version, class) is billed, for its minimum charge.
  struct Served {
    ServiceKind kind;
    const RateVersion* version;
    const RateClass* cls;
    int days = 0;
    CivilDate from;
  };
  void track(ServiceKind kind, const ServicePiece& sp) {
    for (Served& s : served_) {
      if (s.kind == kind && s.version == sp.piece.version && s.cls == sp.cls) {
        s.days += sp.piece.days();
        return;
      }
    }
    served_.push_back({kind, sp.piece.version, sp.cls, sp.piece.days(), sp.piece.from});
  }

  Result<void> minimums() {
    for (const Served& s : served_) {
      if (!s.cls->minimum_monthly) continue;
      CD_ASSIGN(const Decimal exact, prorate(*s.cls->minimum_monthly, s.days));
      CD_ASSIGN(const Money required, exact.to_money(RoundingMode::kHalfUp));
      Money charged;
      for (const Item& item : items_) {
        if (item.category == kCharge && item.version == s.version && item.cls == s.cls) {
          CD_ASSIGN(charged, charged.add(item.line.amount));
        }
      }
      if (charged >= required) continue;
      Item item;
      BillLine& l = item.line;
      l.service = std::string(to_string(s.kind));
      l.component = "minimum";
      l.description = "Minimum charge";
      CD_ASSIGN(l.amount, required.sub(charged));
      l.unit_price = price_text(*s.cls->minimum_monthly);
      l.price_unit = "per_month";
      l.days = s.days;
      l.base_days = kStandardMonthDays;
      l.rate_version = s.version->id;
      l.base = charged;
      item.category = kMinimum;
      item.version = s.version;
      item.cls = s.cls;
      item.from = s.from;
      items_.push_back(std::move(item));
    }
    return {};
  }

  // The lines of `service` priced by `v` that `selectors` name, among categories below `upto`.
  Result<Money> base_of(const RateVersion* v, std::string_view service,
                        const std::vector<std::string>& selectors, Category upto) const {
    Money base;
    for (const Item& item : items_) {
      if (item.version != v || item.line.service != service || item.category >= upto) continue;
      for (const std::string& sel : selectors) {
        if (selector_matches(sel, item.line.service, item.line.component)) {
          CD_ASSIGN(base, base.add(item.line.amount));
          break;
        }
      }
    }
    return base;
  }

  // Days of the period priced by `v`.
  int days_under(const RateVersion* v) const {
    int days = 0;
    for (const PeriodPiece& p : pieces_) {
      if (p.version == v) days += p.days();
    }
    return days;
  }

  std::vector<const RateVersion*> versions_used() const {
    std::vector<const RateVersion*> out;
    for (const PeriodPiece& p : pieces_) {
      if (std::find(out.begin(), out.end(), p.version) == out.end()) out.push_back(p.version);
    }
    return out;
  }

  Item adjustment(std::string service, std::string component, std::string description,
                  const RateVersion* v, Category category) const {
    Item item;
    item.line.service = std::move(service);
    item.line.component = std::move(component);
    item.line.description = std::move(description);
    item.line.rate_version = v->id;
    item.category = category;
    item.version = v;
    item.from = in_.to;
    return item;
  }

  static constexpr const char* kServices[] = {"water", "sewer", "refuse", "stormwater"};

  Result<void> discounts() {
    std::set<std::string> seen;
    for (const std::string& code : in_.discount_codes) {
      if (!seen.insert(code).second) continue;
      for (const RateVersion* v : versions_used()) {
        const Discount* d = v->find_discount(code);
        if (!d) {
          out_.warnings.push_back("discount " + code + " is not in rate version " + v->id);
          continue;
        }
        std::optional<Money> allowance;
        if (d->fixed_monthly) {
          CD_ASSIGN(const Decimal exact, prorate(*d->fixed_monthly, days_under(v)));
          CD_ASSIGN(allowance, exact.to_money(RoundingMode::kHalfUp));
        }
        for (const char* service : kServices) {
          CD_ASSIGN(const Money base, base_of(v, service, d->applies_to, kDiscount));
          if (!base.is_positive()) continue;
          Item item = adjustment(service, "discount", d->name, v, kDiscount);
          BillLine& l = item.line;
          l.base = base;
          if (d->percent) {
            CD_ASSIGN(const Decimal b, Decimal::from_fraction(base.cents(), 100));
            CD_ASSIGN(const Decimal pct, d->percent->div(Decimal::from_integer(100)));
            CD_ASSIGN(const Decimal exact, b.mul(pct));
            CD_ASSIGN(const Money off, exact.to_money(RoundingMode::kHalfUp));
            CD_ASSIGN(l.amount, off.negate());
            l.unit_price = d->percent->to_string();
            l.price_unit = "percent";
          } else {
            if (!allowance->is_positive()) break;
            const Money off = *allowance < base ? *allowance : base;
            CD_ASSIGN(allowance, allowance->sub(off));
            CD_ASSIGN(l.amount, off.negate());
            l.unit_price = price_text(*d->fixed_monthly);
            l.price_unit = "fixed";
            l.days = days_under(v);
            l.base_days = kStandardMonthDays;
          }
          if (!l.amount.is_zero()) items_.push_back(std::move(item));
        }
      }
    }
    return {};
  }

  Result<void> taxes() {
    for (const RateVersion* v : versions_used()) {
      for (const Tax& t : v->taxes) {
        for (const char* service : kServices) {
          CD_ASSIGN(const Money base, base_of(v, service, t.applies_to, kTax));
          if (base.is_zero()) continue;
          Item item = adjustment(service, "tax", t.name, v, kTax);
          BillLine& l = item.line;
          l.base = base;
          CD_ASSIGN(const Decimal b, Decimal::from_fraction(base.cents(), 100));
          CD_ASSIGN(const Decimal pct, t.percent.div(Decimal::from_integer(100)));
          CD_ASSIGN(const Decimal exact, b.mul(pct));
          CD_ASSIGN(l.amount, exact.to_money(RoundingMode::kHalfUp));
          l.unit_price = t.percent.to_string();
          l.price_unit = "percent";
          if (!l.amount.is_zero()) items_.push_back(std::move(item));
        }
      }
    }
    return {};
  }

  const Tariff& tariff_;
  const BillInput& in_;
  std::vector<PeriodPiece> pieces_;
  std::vector<Item> items_;
  std::vector<Served> served_;
  BillCalculation out_;
};

}  // namespace

std::string BillLine::explanation() const {
  const std::string days_text = std::to_string(days) + "/" + std::to_string(base_days) + " days";
  std::string text = description;
  if (units_mccf) {
    if (tier > 0) {
      text += " (" + tier_from_ccf +
              (tier_to_ccf.empty() ? " CCF and above" : " to " + tier_to_ccf + " CCF") + " for " +
              days_text + ")";
    }
    return text + ": " + format_ccf(*units_mccf) + " CCF × $" + unit_price +
           "/CCF = " + format_money(amount);
  }
  if (component == "minimum") {
    return text + ": $" + unit_price + "/month × " + days_text + ", charges of " +
           format_money(base.value_or(Money{})) + ", top-up " + format_money(amount);
  }
  if (price_unit == "per_month") {
    return text + ": $" + unit_price + "/month" +
           (quantity > 1 ? " × " + std::to_string(quantity) : std::string()) + " × " + days_text +
           " = " + format_money(amount);
  }
  if (price_unit == "percent") {
    return text + ": " + unit_price + "% of " + format_money(base.value_or(Money{})) + " = " +
           format_money(amount);
  }
  if (price_unit == "fixed") {
    return text + ": $" + unit_price + "/month × " + days_text + ", up to the " +
           format_money(base.value_or(Money{})) + " charged = " + format_money(amount);
  }
  return text + ": " + format_money(amount);
}

Result<BillCalculation> calculate_bill(const Tariff& tariff, const BillInput& in) {
  return Calculator(tariff, in).run();
}

}  // namespace civicdesk::billing
