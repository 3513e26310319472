// JSON forms of the ledger's types for the API. Money is always a decimal string ("12.34"),
// never a JSON number, so no client ever does money arithmetic in floating point.
#pragma once

#include <boost/json.hpp>

#include "ledger/ledger.h"

namespace civicdesk::http {

boost::json::object to_json(const ledger::Obligation& o);
boost::json::object to_json(const ledger::Payment& p);
boost::json::object to_json(const ledger::PaymentResult& r);
boost::json::object to_json(const ledger::Approval& a);
boost::json::object to_json(const ledger::Refund& r);
boost::json::object to_json(const ledger::EntrySummary& e);
boost::json::object to_json(const ledger::PartyBalance& b);

// A money field given as a decimal string; errors name the field.
[[nodiscard]] Result<Money> money_field(const boost::json::object& o, std::string_view key);
// An optional list of integer ids.
[[nodiscard]] Result<std::vector<std::int64_t>> id_list(const boost::json::object& o,
                                                        std::string_view key);

}  // namespace civicdesk::http
