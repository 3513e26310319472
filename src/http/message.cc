#include "http/message.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <strings.h>

namespace civicdesk::http {

bool CaseInsensitiveLess::operator()(const std::string& a, const std::string& b) const {
  return strcasecmp(a.c_str(), b.c_str()) < 0;
}

std::string Request::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::string Request::cookie(const std::string& name) const {
  std::string all = header("Cookie");
  std::size_t pos = 0;
  while (pos < all.size()) {
    while (pos < all.size() && (all[pos] == ' ' || all[pos] == ';')) ++pos;
    auto end = all.find(';', pos);
    if (end == std::string::npos) end = all.size();
    std::string part = all.substr(pos, end - pos);
    auto eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    pos = end + 1;
  }
  return {};
}

std::string Request::query_param(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

bool parse_target(const std::string& target, std::string& path,
                  std::map<std::string, std::string>& query) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return false;
  boost::urls::url_view u = *parsed;
  path = std::string(u.path());
  if (path.find("..") != std::string::npos) return false;
  for (auto param : u.params()) query[std::string(param.key)] = std::string(param.value);
  return true;
}

}  // namespace civicdesk::http
