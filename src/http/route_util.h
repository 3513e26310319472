// Small helpers every route file shares: the {id} path parameter, and "parse the JSON body, then
// act", with errors mapped to responses in one place.
#pragma once

#include <string>

#include "http/json_util.h"
#include "http/router.h"

namespace civicdesk::http {

// An integer path parameter ({id} unless named); kInvalidInput naming it when malformed.
inline Result<std::int64_t> path_id(const RequestContext& ctx, const std::string& name = "id") {
  return int_param(ctx.request.path_params.at(name), name);
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
