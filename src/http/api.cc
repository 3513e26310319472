#include "http/api.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/json_util.h"
#include "security/crypto.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

bool changes_state(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string content_type_for(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"}};
  auto it = kTypes.find(p.extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

void add_public_routes(Router& r, App& app) {
  r.add({"GET", "/api/v1/health", Access::kPublic, "", [&app](RequestContext&) {
           auto version = app.db().read<std::int64_t>([](store::Connection& c) {
             return c.query_int("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
           });
           if (!version) return error_response(version.error());
           bool sqlite = app.db().dialect() == store::Dialect::kSqlite;
           return json_response(200, json::object{{"status", "ok"},
                                                  {"database", sqlite ? "sqlite" : "postgresql"},
                                                  {"schema_version", *version},
                                                  {"version", "0.1.0"}});
         }});
  r.add({"GET", "/api/v1/city", Access::kPublic, "", [&app](RequestContext&) {
           // Departments route correspondence and own work queues: the UI offers them by name.
           json::array departments;
           for (const auto& d : app.city().departments)
             departments.push_back(json::object{{"code", d.code}, {"name", d.name}});
           return json_response(200, json::object{{"name", app.city().name},
                                                  {"time_zone", app.city().time_zone},
                                                  {"departments", std::move(departments)}});
         }});
}

}  // namespace

Api::Api(App& app) : app_(app), instance_(security::random_hex(8)) {
  add_public_routes(router_, app);
  add_session_routes(router_, app, cookie_name());
  add_party_routes(router_, app);
  add_admin_routes(router_, app);
  add_ledger_routes(router_, app);
  add_report_routes(router_, app);
  add_counter_routes(router_, app);
  add_mailroom_routes(router_, app);
  add_citation_notice_routes(router_, app);
  add_citation_plan_routes(router_, app);
  add_citation_boot_routes(router_, app);
  add_citation_dmv_routes(router_, app);
  add_citation_letter_routes(router_, app);
  add_citation_routes(router_, app);
  add_billing_routes(router_, app);
  add_billing_run_routes(router_, app);
  add_billing_rate_routes(router_, app);
  add_billing_notice_routes(router_, app);
  add_billing_account_routes(router_, app);
  add_billing_route_admin_routes(router_, app);
}

std::string Api::cookie_name() const {
  return app_.options().secure_cookies ? "__Host-civicdesk_session" : "civicdesk_session";
}

Response Api::handle(Request& request) {
  Response response;
  try {
    response = dispatch(request);
  } catch (const std::exception& e) {
    // A handler bug: never leak details to the client; the request id finds the log line.
    spdlog::error("req={} unhandled exception: {}", request.request_id, e.what());
    response = error_response(
        Error::make(ErrorCode::kInternal, "something went wrong on our side (request " +
                                              request.request_id + "); nothing was changed"));
  }
  response.headers.emplace_back("X-Request-Id", request.request_id);
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (request.path.starts_with("/api/")) response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response Api::dispatch(Request& request) {
  if (!request.path.starts_with("/api/")) {
    if (request.method != "GET" && request.method != "HEAD")
      return error_response(Error::make(ErrorCode::kNotFound, "no such page"));
    return serve_static(request);
  }
  bool path_known = false;
  const Route* route = router_.match(request.method, request.path, request.path_params, path_known);
  if (!route) {
    if (path_known) {
      Response r = error_response(
          Error::make(ErrorCode::kInvalidInput, request.method + " is not allowed here"));
      r.status = 405;
      return r;
    }
    return error_response(
        Error::make(ErrorCode::kNotFound, "no such API endpoint: " + request.path));
  }
  RequestContext ctx{request, Actor{UserId{0}, "anonymous", "", request.request_id, request.client},
                     nullptr};
  std::optional<security::Session> session;
  if (route->access != Access::kPublic) {
    std::string token = request.cookie(cookie_name());
    if (token.empty())
      return error_response(Error::make(ErrorCode::kUnauthenticated, "please sign in"));
    auto resumed = app_.sessions().resume(token);
    if (!resumed) return error_response(resumed.error());
    session = std::move(*resumed);
    ctx.session = &*session;
    ctx.actor = Actor{session->user.id, session->user.username, session->user.role,
                      request.request_id, request.client};
    const RoleDef* role = app_.city().role(session->user.role);
    if (route->access == Access::kPermission &&
        (!role || !permits(role->permissions, route->permission))) {
      return error_response(Error::make(ErrorCode::kForbidden,
                                        "your role (" + (role ? role->title : session->user.role) +
                                            ") does not allow this (" + route->permission + ")"));
    }
    if (changes_state(request.method) &&
        !security::constant_time_equal(request.header("X-CSRF-Token"), session->csrf_token))
      return error_response(Error::make(ErrorCode::kForbidden,
                                        "missing or wrong X-CSRF-Token header; reload the page",
                                        "X-CSRF-Token"));
  }
  if (changes_state(request.method) && !request.body.empty()) {
    const std::string type = request.header("Content-Type");
    if (!type.starts_with("application/json") &&
        !(route->accepts_text && type.starts_with("text/plain")))
      return error_response(Error::make(ErrorCode::kInvalidInput,
                                        route->accepts_text
                                            ? "send the body as application/json or text/plain"
                                            : "send the body as application/json",
                                        "Content-Type"));
  }
  if (route->idempotent) return run_idempotent(*route, ctx);
  return route->handler(ctx);
}

Response Api::serve_static(const Request& request) {
  namespace fs = std::filesystem;
  fs::path root = app_.options().web_root;
  std::string rel = request.path == "/" ? "index.html" : request.path.substr(1);
  fs::path file = root / rel;
  std::error_code ec;
  // The SPA handles its own routes: anything that is not a file gets index.html.
  if (rel.find("..") != std::string::npos || !fs::is_regular_file(file, ec))
    file = root / "index.html";
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    Response r;
    r.status = 503;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "The web UI is not built yet: run `make run` (it builds web/dist).\n";
    return r;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  Response r;
  r.content_type = content_type_for(file);
  r.body = ss.str();
  bool hashed_asset = rel.starts_with("assets/");
  r.headers.emplace_back("Cache-Control",
                         hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  r.headers.emplace_back("Content-Security-Policy",
                         "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' "
                         "data:; frame-ancestors 'none'");
  return r;
}

}  // namespace civicdesk::http
