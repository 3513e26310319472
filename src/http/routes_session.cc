// Sign-in and sign-out: POST/GET/DELETE /api/v1/session.
#include "core/timestamp.h"
#include "http/api.h"
#include "http/json_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

json::object session_json(const App& app, const security::Session& s) {
  json::array perms;
  std::string title = s.user.role;
  if (const RoleDef* role = app.city().role(s.user.role)) {
    title = role->title;
    for (const auto& p : role->permissions) perms.push_back(json::string(p));
  }
  json::object user{{"id", s.user.id.value},        {"username", s.user.username},
                    {"display_name", s.user.display_name}, {"role", s.user.role},
                    {"role_title", title},          {"permissions", std::move(perms)}};
  return json::object{{"csrf_token", s.csrf_token}, {"user", std::move(user)}};
}

std::string cookie_value(const App& app, const std::string& name, const std::string& token,
                         bool clear) {
  std::string c = name + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (app.options().secure_cookies) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  return c;
}

}  // namespace

void add_session_routes(Router& r, App& app, const std::string& cookie_name) {
  r.add({"POST", "/api/v1/session", Access::kPublic, "", [&app, cookie_name](RequestContext& ctx) {
           auto body = json_body(ctx.request);
           if (!body) return error_response(body.error());
           auto username = string_field(*body, "username");
           if (!username) return error_response(username.error());
           auto password = string_field(*body, "password");
           if (!password) return error_response(password.error());
           auto s = app.sessions().sign_in(*username, *password, ctx.actor);
           if (!s) return error_response(s.error());
           Response resp = json_response(200, session_json(app, *s));
           resp.headers.emplace_back("Set-Cookie", cookie_value(app, cookie_name, s->token, false));
           return resp;
         }});
  r.add({"GET", "/api/v1/session", Access::kSignedIn, "", [&app](RequestContext& ctx) {
           return json_response(200, session_json(app, *ctx.session));
         }});
  r.add({"DELETE", "/api/v1/session", Access::kSignedIn, "",
         [&app, cookie_name](RequestContext& ctx) {
           auto done = app.sessions().sign_out(ctx.request.cookie(cookie_name), ctx.actor);
           if (!done) return error_response(done.error());
           Response resp = no_content();
           resp.headers.emplace_back("Set-Cookie", cookie_value(app, cookie_name, "", true));
           return resp;
         }});
  r.add({"GET", "/api/v1/roles", Access::kSignedIn, "", [&app](RequestContext&) {
           json::array items;
           for (const auto& role : app.city().roles) {
             json::array perms;
             for (const auto& p : role.permissions) perms.push_back(json::string(p));
             items.push_back(json::object{
                 {"name", role.name}, {"title", role.title}, {"permissions", std::move(perms)}});
           }
           return json_response(200, json::object{{"items", std::move(items)}});
         }});
}

}  // namespace civicdesk::http
