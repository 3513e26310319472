#include "http/json_util.h"

#include <charconv>

namespace civicdesk::http {
namespace json = boost::json;

Response json_response(int status, const json::value& body) {
  Response r;
  r.status = status;
  r.body = json::serialize(body);
  return r;
}

Response error_response(const Error& e, const json::object* details) {
  json::object err{{"code", to_string(e.code)}, {"message", e.message}, {"field", e.field}};
  if (details) err["details"] = *details;
  return json_response(http_status(e.code), json::object{{"error", std::move(err)}});
}

Response no_content() {
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Result<json::object> json_body(const Request& r) {
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 16;
  json::value v = json::parse(r.body, ec, {}, opts);
  if (ec) return fail(Error::invalid("body", "the request body is not valid JSON: " + ec.message()));
  if (!v.is_object()) return fail(Error::invalid("body", "the request body must be a JSON object"));
  return std::move(v.as_object());
}

Result<std::string> string_field(const json::object& o, std::string_view key, bool required) {
  auto* v = o.if_contains(key);
  std::string k(key);
  if (!v || v->is_null()) {
    if (required) return fail(Error::invalid(k, k + " is required"));
    return std::string();
  }
  if (!v->is_string()) return fail(Error::invalid(k, k + " must be a string"));
  return std::string(v->as_string());
}

Result<std::int64_t> int_field(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  std::string k(key);
  if (!v || v->is_null()) return fail(Error::invalid(k, k + " is required"));
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  return fail(Error::invalid(k, k + " must be a whole number"));
}

Result<std::optional<bool>> bool_field(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::optional<bool>{};
  std::string k(key);
  if (!v->is_bool()) return fail(Error::invalid(k, k + " must be true or false"));
  return std::optional<bool>{v->as_bool()};
}

Result<std::int64_t> int_param(const std::string& text, const std::string& name) {
  std::int64_t out = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
    return fail(Error::invalid(name, name + " must be a whole number"));
  return out;
}

}  // namespace civicdesk::http
