#include "http/router.h"

#include "core/assert.h"

namespace civicdesk::http {
namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= path.size()) {
    auto end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    if (end > pos) out.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool matches(const std::string& pattern, const std::string& path,
             std::map<std::string, std::string>& params) {
  auto ps = segments(pattern), xs = segments(path);
  if (ps.size() != xs.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (ps[i].size() > 2 && ps[i].front() == '{' && ps[i].back() == '}')
      found[ps[i].substr(1, ps[i].size() - 2)] = xs[i];
    else if (ps[i] != xs[i])
      return false;
  }
  params = std::move(found);
  return true;
}

}  // namespace

bool permits(const std::set<std::string>& role_permissions, const std::string& route_permission) {
  std::size_t start = 0;
  while (start <= route_permission.size()) {
    auto end = route_permission.find('|', start);
    if (end == std::string::npos) end = route_permission.size();
    if (role_permissions.contains(route_permission.substr(start, end - start))) return true;
    start = end + 1;
  }
  return false;
}

void Router::add(Route route) {
  CD_ASSERT(route.handler);
  CD_ASSERT(route.access != Access::kPermission || !route.permission.empty());
  routes_.push_back(std::move(route));
}

const Route* Router::match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>& params, bool& path_known) const {
  path_known = false;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> p;
    if (!matches(r.pattern, path, p)) continue;
    path_known = true;
    if (r.method == method) {
      params = std::move(p);
      return &r;
    }
  }
  return nullptr;
}

}  // namespace civicdesk::http
