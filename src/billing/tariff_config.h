// The City config's `billing.rate_versions:` list → a Tariff (tariff.h). Called by
// city/city_config.cc for the `billing:` section; the YAML layout is documented in
// config/demo-city.yaml and src/billing/README.md ("Tariff"). Every error is kInvalidInput with
// the field "FILE:LINE: billing.rate_versions[I].KEY" and a message naming the version, the class
// and the key ("version 2026-07, class RES (water), tiers[1].price: …").
#pragma once

#include <string_view>

#include <yaml-cpp/yaml.h>

#include "billing/tariff.h"
#include "core/result.h"

namespace civicdesk::billing {

// `list` is the node under rate_versions (a sequence; absent → an empty tariff); `source` names
// the file for error fields. The result has passed check_tariff and is ordered by effective_from.
[[nodiscard]] Result<Tariff> parse_rate_versions(const YAML::Node& list, std::string_view source);

}  // namespace civicdesk::billing
