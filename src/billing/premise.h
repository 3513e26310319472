// A premise: the place the City serves — a service address with its parcel number and a premise
// type (the type decides flat fees such as stormwater later). A premise outlives its accounts:
// when a tenant moves out and another moves in, the premise, its meter and its route stop stay.
// Pure type and rules; no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::billing {

enum class PremiseType {
  kSingleFamily,
  kMultiFamily,
  kCommercial,
  kIndustrial,
  kIrrigation,
  kInstitutional,
};

std::string_view to_string(PremiseType type);
// "single_family", "multi_family", "commercial", "industrial", "irrigation", "institutional";
// kInvalidInput naming `field` otherwise.
[[nodiscard]] Result<PremiseType> parse_premise_type(std::string_view text,
                                                     std::string_view field = "premise_type");

struct Premise {
  std::int64_t id = 0;
  std::string line1, line2, city, state, postal_code;  // the service address
  std::string parcel_number;                           // the assessor's parcel number (APN)
  PremiseType type = PremiseType::kSingleFamily;
  int dwelling_units = 1;  // a duplex is 2; fixed charges per unit come later
};

// The address as one line: "101 MAIN ST, APT 2, RIVERTON, CA 95000".
std::string one_line(const Premise& p);

// Checks the fields a premise needs (line1, city, state, postal code; lengths; 1..9999 units).
// kInvalidInput naming the field.
[[nodiscard]] Result<void> check_premise(const Premise& p);

}  // namespace civicdesk::billing
