// JSON form of parties, shared by the HTTP API and the audit trail.
#pragma once

#include <boost/json/fwd.hpp>
#include <string>

#include "customers/party.h"

namespace civicdesk::customers {

boost::json::object to_json(const Party& p);
std::string to_json_text(const Party& p);
// Reads a PartyInput; errors name the field. Unknown keys are refused (typos must not vanish).
[[nodiscard]] Result<PartyInput> party_input_from_json(const boost::json::object& o);

}  // namespace civicdesk::customers
