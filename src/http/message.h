// HTTP request and response as plain values, so routing and handlers never include Beast (slow
// to compile); only http/server.cc does.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace civicdesk::http {

struct CaseInsensitiveLess {
  bool operator()(const std::string& a, const std::string& b) const;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // raw target, e.g. "/api/v1/search?q=ma"
  std::string path;    // decoded path without the query
  std::map<std::string, std::string> query;
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;
  std::string client;      // peer address
  std::string request_id;  // assigned on arrival; echoed in X-Request-Id and every log line
  std::map<std::string, std::string> path_params;  // filled by the router

  std::string header(const std::string& name) const;
  std::string cookie(const std::string& name) const;
  std::string query_param(const std::string& name, const std::string& fallback = "") const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

// Splits "/a/b?x=1&y=%20" into path and decoded query parameters; false when malformed.
bool parse_target(const std::string& target, std::string& path,
                  std::map<std::string, std::string>& query);

}  // namespace civicdesk::http
