// Customers and the search box: /api/v1/search, /api/v1/parties.
#include "customers/party_json.h"
#include "http/api.h"
#include "http/json_util.h"
#include "search/search_index.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

Result<std::int64_t> page_param(const Request& r, const std::string& name, std::int64_t fallback) {
  std::string v = r.query_param(name);
  if (v.empty()) return fallback;
  return int_param(v, name);
}

json::object duplicates_json(const std::vector<customers::DuplicateCandidate>& dups) {
  json::array arr;
  for (const auto& d : dups)
    arr.push_back(json::object{{"id", d.id.value}, {"title", d.title}, {"subtitle", d.subtitle},
                               {"reason", d.reason}});
  return json::object{{"duplicates", std::move(arr)}};
}

Response search(App& app, RequestContext& ctx) {
  auto limit = page_param(ctx.request, "limit", 20);
  if (!limit) return error_response(limit.error());
  auto hits = search::query(app.db(), ctx.request.query_param("q"), static_cast<int>(*limit));
  if (!hits) return error_response(hits.error());
  json::array results;
  for (const auto& h : *hits)
    results.push_back(json::object{{"kind", h.kind}, {"id", h.entity_id}, {"title", h.title},
                                   {"subtitle", h.subtitle}, {"score", h.score}});
  return json_response(200, json::object{{"results", std::move(results)}});
}

Response list(App& app, RequestContext& ctx) {
  auto page = page_param(ctx.request, "page", 1);
  if (!page) return error_response(page.error());
  auto size = page_param(ctx.request, "page_size", 50);
  if (!size) return error_response(size.error());
  auto result = app.parties().list(static_cast<int>(*page), static_cast<int>(*size));
  if (!result) return error_response(result.error());
  json::array items;
  for (const auto& p : result->items) items.push_back(customers::to_json(p));
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"total", result->total},
                                         {"page", *page},
                                         {"page_size", *size}});
}

Response create(App& app, RequestContext& ctx) {
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  auto input = customers::party_input_from_json(*body);
  if (!input) return error_response(input.error());
  auto confirm = bool_field(*body, "confirm_duplicates");
  if (!confirm) return error_response(confirm.error());
  std::vector<customers::DuplicateCandidate> dups;
  auto party = app.parties().create(ctx.actor, std::move(*input), confirm->value_or(false), dups);
  if (!party) {
    if (!dups.empty()) {
      auto details = duplicates_json(dups);
      return error_response(party.error(), &details);
    }
    return error_response(party.error());
  }
  return json_response(201, customers::to_json(*party));
}

Result<PartyId> party_id(const Request& r) {
  CD_ASSIGN(auto id, int_param(r.path_params.at("id"), "id"));
  return PartyId{id};
}

Response get(App& app, RequestContext& ctx) {
  auto id = party_id(ctx.request);
  if (!id) return error_response(id.error());
  auto party = app.parties().get(*id);
  if (!party) return error_response(party.error());
  return json_response(200, customers::to_json(*party));
}

Response update(App& app, RequestContext& ctx) {
  auto id = party_id(ctx.request);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  auto version = int_field(*body, "version");
  if (!version) return error_response(version.error());
  auto input = customers::party_input_from_json(*body);
  if (!input) return error_response(input.error());
  auto party = app.parties().update(ctx.actor, *id, std::move(*input), *version);
  if (!party) return error_response(party.error());
  return json_response(200, customers::to_json(*party));
}

}  // namespace

void add_party_routes(Router& r, App& app) {
  auto bind = [&app](Response (*fn)(App&, RequestContext&)) {
    return [&app, fn](RequestContext& ctx) { return fn(app, ctx); };
  };
  r.add({"GET", "/api/v1/search", Access::kPermission, "party.read", bind(search)});
  r.add({"GET", "/api/v1/parties", Access::kPermission, "party.read", bind(list)});
  r.add({"POST", "/api/v1/parties", Access::kPermission, "party.write", bind(create)});
  r.add({"GET", "/api/v1/parties/{id}", Access::kPermission, "party.read", bind(get)});
  r.add({"PATCH", "/api/v1/parties/{id}", Access::kPermission, "party.write", bind(update)});
}

}  // namespace civicdesk::http
