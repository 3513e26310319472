#include "billing/premise.h"

#include "core/limits.h"

namespace civicdesk::billing {
namespace {

constexpr std::string_view kTypeNames[] = {"single_family", "multi_family", "commercial",
                                           "industrial",    "irrigation",   "institutional"};

// Parcel numbers are a dozen or so characters ("123-456-78"); 40 allows any county's format.
constexpr std::size_t kMaxParcelNumberLength = 40;

}  // namespace

std::string_view to_string(PremiseType type) {
  return kTypeNames[static_cast<int>(type)];
}

Result<PremiseType> parse_premise_type(std::string_view text, std::string_view field) {
  for (std::size_t i = 0; i < std::size(kTypeNames); ++i)
    if (text == kTypeNames[i]) return static_cast<PremiseType>(i);
  return fail(Error::invalid(std::string(field),
                             "premise type is single_family, multi_family, commercial, "
                             "industrial, irrigation or institutional"));
}

std::string one_line(const Premise& p) {
  std::string out = p.line1;
  if (!p.line2.empty()) out += ", " + p.line2;
  out += ", " + p.city + ", " + p.state + " " + p.postal_code;
  return out;
}

Result<void> check_premise(const Premise& p) {
  const std::pair<std::string_view, const std::string*> required[] = {
      {"line1", &p.line1}, {"city", &p.city}, {"state", &p.state}, {"postal_code", &p.postal_code}};
  for (const auto& [name, value] : required)
    if (value->empty()) return fail(Error::invalid(std::string(name), "is required"));
  for (const std::string* s : {&p.line1, &p.line2, &p.city, &p.state, &p.postal_code})
    if (s->size() > kMaxAddressLineLength)
      return fail(Error::invalid(
          "address", "an address line is longer than " + std::to_string(kMaxAddressLineLength)));
  if (p.parcel_number.size() > kMaxParcelNumberLength)
    return fail(Error::invalid("parcel_number",
                               "is longer than " + std::to_string(kMaxParcelNumberLength)));
  if (p.dwelling_units < 1 || p.dwelling_units > 9999)
    return fail(Error::invalid("dwelling_units", "must be between 1 and 9999"));
  return {};
}

}  // namespace civicdesk::billing
