// Small helpers every route file shares: the {id} path parameter, and "parse the JSON body, then
// act", with errors mapped to responses in one place.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "core/calendar.h"

#include "http/json_util.h"
#include "http/router.h"

namespace civicdesk::http {

// A body's keys must all be in `known`: a misspelt field is refused (naming it, after `prefix`
// for a nested object such as "tenders[1]."), never ignored.
inline Result<void> only_fields(const boost::json::object& o,
                                std::initializer_list<std::string_view> known,
                                const std::string& prefix = "") {
  for (const auto& [k, v] : o) {
    bool ok = false;
    for (auto name : known) ok = ok || k == name;
    if (!ok) {
      const std::string field = prefix + std::string(k);
      return fail(Error::invalid(field, field + " is not a field here"));
    }
  }
  return {};
}

// Optional values in responses: null when absent (or, for text and ids, empty / 0).
inline boost::json::value opt_text(const std::string& s) {
  return s.empty() ? boost::json::value(nullptr) : boost::json::value(s);
}
inline boost::json::value opt_id(std::int64_t id) {
  return id ? boost::json::value(id) : boost::json::value(nullptr);
}
inline boost::json::value opt_int(const std::optional<std::int64_t>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}
inline boost::json::value opt_date(const std::optional<CivilDate>& d) {
  return d ? boost::json::value(d->iso()) : boost::json::value(nullptr);
}

// An integer path parameter ({id} unless named); kInvalidInput naming it when malformed.
inline Result<std::int64_t> path_id(const RequestContext& ctx, const std::string& name = "id") {
  return int_param(ctx.request.path_params.at(name), name);
}

// An optional whole-number query parameter: absent or empty → nullopt; kInvalidInput naming it
// when it is not a number or falls outside [min, max].
inline Result<std::optional<std::int64_t>> query_int(
    const RequestContext& ctx, const std::string& name,
    std::int64_t min = std::numeric_limits<std::int64_t>::min(),
    std::int64_t max = std::numeric_limits<std::int64_t>::max()) {
  const std::string text = ctx.request.query_param(name);
  if (text.empty()) return std::nullopt;
  CD_ASSIGN(const std::int64_t v, int_param(text, name));
  if (v < min || v > max)
    return fail(Error::invalid(
        name, "must be between " + std::to_string(min) + " and " + std::to_string(max)));
  return v;
}

// An optional date query parameter (YYYY-MM-DD): absent or empty → nullopt.
inline Result<std::optional<CivilDate>> query_date(const RequestContext& ctx,
                                                   const std::string& name) {
  const std::string text = ctx.request.query_param(name);
  if (text.empty()) return std::nullopt;
  CD_ASSIGN(const CivilDate d, parse_date(text, name));
  return d;
}

// Runs `parse` on the JSON body, then `act` on what it parsed; a bad body or a parse error
// becomes the error response.
template <class Parse, class Act>
Response with_body(RequestContext& ctx, Parse&& parse, Act&& act) {
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  auto parsed = parse(*body);
  if (!parsed) return error_response(parsed.error());
  return act(*parsed);
}

}  // namespace civicdesk::http
