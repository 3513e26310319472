// Routes: every route declares who may call it. Deny by default — a route is public only when it
// says so (Access::kPublic), and the public list is reviewed in tests/routes_test.cc.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "core/actor.h"
#include "http/message.h"
#include "security/sessions.h"

namespace civicdesk::http {

enum class Access {
  kPublic,      // no session needed (health, city name, sign-in)
  kSignedIn,    // any signed-in user
  kPermission,  // a signed-in user whose role has `permission`
};

struct RequestContext {
  const Request& request;
  Actor actor;  // the signed-in user, or anonymous for public routes
  const security::Session* session = nullptr;
  std::string idempotency_key;  // set for idempotent routes
};

using Handler = std::function<Response(RequestContext&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/parties/{id}"
  Access access = Access::kPermission;
  std::string permission;  // for kPermission; "a|b" means either permission suffices
  Handler handler;
  // Money-moving: the request must carry an Idempotency-Key; a retry with the same key gets the
  // first answer byte for byte (see Api::run_idempotent).
  bool idempotent = false;
  // Also takes a text/plain body (a file as the bank sent it); every other route takes JSON only.
  bool accepts_text = false;
};

// Whether a role's permissions satisfy a route's permission ("a|b": any of them).
bool permits(const std::set<std::string>& role_permissions, const std::string& route_permission);

class Router {
 public:
  void add(Route route);
  // The matching route, with path parameters filled in; nullptr when none. `path_known` tells a
  // 405 (path exists, method doesn't) from a 404.
  const Route* match(const std::string& method, const std::string& path,
                     std::map<std::string, std::string>& params, bool& path_known) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace civicdesk::http
