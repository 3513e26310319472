// User administration (/api/v1/users) and the audit viewer (/api/v1/audit).
#include "audit/audit_log.h"
#include "core/timestamp.h"
#include "http/api.h"
#include "http/json_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

json::object user_json(const App& app, const security::User& u) {
  return json::object{
      {"id", u.id.value},
      {"username", u.username},
      {"display_name", u.display_name},
      {"role", u.role},
      {"disabled", u.disabled},
      {"locked", u.locked_until_us > app.clock().now_us()},
      {"last_login_at", u.last_login_us ? json::value(iso_utc(*u.last_login_us)) : json::value()},
      {"version", u.version},
      {"department", u.department}};
}

Result<UserId> user_id(const Request& r) {
  CD_ASSIGN(auto id, int_param(r.path_params.at("id"), "id"));
  return UserId{id};
}

Response list_users(App& app, RequestContext&) {
  auto users = app.users().list();
  if (!users) return error_response(users.error());
  json::array items;
  for (const auto& u : *users) items.push_back(user_json(app, u));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response create_user(App& app, RequestContext& ctx) {
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  security::NewUser nu;
  for (auto [key, dest] : {std::pair{"username", &nu.username},
                           std::pair{"display_name", &nu.display_name},
                           std::pair{"role", &nu.role}, std::pair{"password", &nu.password}}) {
    auto v = string_field(*body, key);
    if (!v) return error_response(v.error());
    *dest = *v;
  }
  auto department = string_field(*body, "department", false);
  if (!department) return error_response(department.error());
  nu.department = *department;
  auto user = app.users().create(ctx.actor, nu);
  if (!user) return error_response(user.error());
  return json_response(201, user_json(app, *user));
}

Response update_user(App& app, RequestContext& ctx) {
  auto id = user_id(ctx.request);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  security::UserChange ch;
  auto version = int_field(*body, "version");
  if (!version) return error_response(version.error());
  ch.version = *version;
  if (body->contains("display_name")) {
    auto v = string_field(*body, "display_name");
    if (!v) return error_response(v.error());
    ch.display_name = *v;
  }
  if (body->contains("role")) {
    auto v = string_field(*body, "role");
    if (!v) return error_response(v.error());
    ch.role = *v;
  }
  if (body->contains("department")) {
    auto v = string_field(*body, "department", false);
    if (!v) return error_response(v.error());
    ch.department = *v;
  }
  auto disabled = bool_field(*body, "disabled");
  if (!disabled) return error_response(disabled.error());
  ch.disabled = *disabled;
  if (ch.disabled && *ch.disabled && *id == ctx.actor.user_id)
    return error_response(Error::make(ErrorCode::kUnprocessable,
                                      "you cannot disable your own user", "disabled"));
  auto user = app.users().update(ctx.actor, *id, ch);
  if (!user) return error_response(user.error());
  return json_response(200, user_json(app, *user));
}

Response reset_password(App& app, RequestContext& ctx) {
  auto id = user_id(ctx.request);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  auto password = string_field(*body, "password");
  if (!password) return error_response(password.error());
  auto done = app.users().reset_password(ctx.actor, *id, *password);
  if (!done) return error_response(done.error());
  return no_content();
}

json::value json_or_null(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(*text, ec);
  return ec ? json::value(json::string(*text)) : v;
}

Result<std::optional<Timestamp>> date_param(const Request& r, const std::string& name,
                                            int add_days) {
  std::string v = r.query_param(name);
  if (v.empty()) return std::optional<Timestamp>{};
  CD_ASSIGN(auto d, parse_date(v, name));
  return std::optional<Timestamp>{utc_midnight_us(d.plus_days(add_days))};
}

Response list_audit(App& app, RequestContext& ctx) {
  const Request& r = ctx.request;
  audit::AuditFilter f;
  f.username = r.query_param("user");
  f.entity = r.query_param("entity");
  f.entity_id = r.query_param("entity_id");
  auto from = date_param(r, "from", 0);
  if (!from) return error_response(from.error());
  auto to = date_param(r, "to", 1);  // "to" is inclusive of that whole day
  if (!to) return error_response(to.error());
  f.from_us = *from;
  f.to_us = *to;
  for (auto [name, dest] : {std::pair{"page", &f.page}, std::pair{"page_size", &f.page_size}}) {
    std::string v = r.query_param(name);
    if (v.empty()) continue;
    auto n = int_param(v, name);
    if (!n) return error_response(n.error());
    *dest = static_cast<int>(std::clamp<std::int64_t>(*n, 1, 1'000'000));
  }
  auto page = audit::list(app.db(), f);
  if (!page) return error_response(page.error());
  json::array items;
  for (const auto& a : page->items)
    items.push_back(json::object{{"seq", a.seq},
                                 {"at", iso_utc(a.at_us)},
                                 {"username", a.username},
                                 {"role", a.role},
                                 {"action", a.action},
                                 {"entity", a.entity},
                                 {"entity_id", a.entity_id},
                                 {"before", json_or_null(a.before_json)},
                                 {"after", json_or_null(a.after_json)},
                                 {"request_id", a.request_id},
                                 {"client", a.client}});
  return json_response(200, json::object{{"items", std::move(items)}, {"total", page->total}});
}

}  // namespace

void add_admin_routes(Router& r, App& app) {
  auto bind = [&app](Response (*fn)(App&, RequestContext&)) {
    return [&app, fn](RequestContext& ctx) { return fn(app, ctx); };
  };
  r.add({"GET", "/api/v1/users", Access::kPermission, "user.admin", bind(list_users)});
  r.add({"POST", "/api/v1/users", Access::kPermission, "user.admin", bind(create_user)});
  r.add({"PATCH", "/api/v1/users/{id}", Access::kPermission, "user.admin", bind(update_user)});
  r.add({"POST", "/api/v1/users/{id}/password", Access::kPermission, "user.admin",
         bind(reset_password)});
  r.add({"GET", "/api/v1/audit", Access::kPermission, "audit.read", bind(list_audit)});
}

}  // namespace civicdesk::http
