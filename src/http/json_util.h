// Helpers shared by the route files: JSON bodies in, JSON responses and errors out.
#pragma once

#include <boost/json.hpp>
#include <optional>

#include "core/result.h"
#include "http/message.h"

namespace civicdesk::http {

Response json_response(int status, const boost::json::value& body);
// {"error":{"code","message","field","details"?}} with the status mapped from the code.
Response error_response(const Error& e, const boost::json::object* details = nullptr);
Response no_content();

// The request body as a JSON object; kInvalidInput naming "body" when it is not one.
[[nodiscard]] Result<boost::json::object> json_body(const Request& r);
// Typed fields of an object; errors name the field.
[[nodiscard]] Result<std::string> string_field(const boost::json::object& o, std::string_view key,
                                               bool required = true);
[[nodiscard]] Result<std::int64_t> int_field(const boost::json::object& o, std::string_view key);
[[nodiscard]] Result<std::optional<bool>> bool_field(const boost::json::object& o,
                                                     std::string_view key);
// An integer path or query parameter; kInvalidInput naming it when malformed.
[[nodiscard]] Result<std::int64_t> int_param(const std::string& text, const std::string& name);

}  // namespace civicdesk::http
