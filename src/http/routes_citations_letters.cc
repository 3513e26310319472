// The decision letter of a citation's contest (citations/decision_letter_pdf.h) as a PDF: the
// latest decision, or `?event=N` for an earlier one (N: the event's 1-based position in the
// citation's events, as GET /api/v1/citations/{number} lists them). Addressed to the registered
// owner when known (the first mailing address in the party book), else to the plate's
// registered owner without an address. Reading only: citation.read.
#include "app/app.h"
#include "citations/decision_letter_pdf.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace {

Response decision_letter(App& app, RequestContext& ctx) {
  std::size_t event_number = 0;
  if (const auto it = ctx.request.query.find("event"); it != ctx.request.query.end()) {
    auto n = int_param(it->second, "event");
    if (!n) return error_response(n.error());
    if (*n <= 0) return error_response(Error::invalid("event", "event is a positive number"));
    event_number = static_cast<std::size_t>(*n);
  }
  auto ct = app.citations().citation(ctx.request.path_params.at("number"));
  if (!ct) return error_response(ct.error());

  std::string name;
  std::vector<std::string> lines;
  if (ct->owner_party_id != 0) {
    auto owner = app.parties().get(PartyId{ct->owner_party_id});
    if (!owner) return error_response(owner.error());
    name = owner->display_name;
    const customers::Address* pick = nullptr;
    for (const auto& a : owner->addresses)
      if (!pick || (a.kind == "mailing" && pick->kind != "mailing")) pick = &a;
    if (pick) {
      lines.push_back(pick->line1);
      if (!pick->line2.empty()) lines.push_back(pick->line2);
      lines.push_back(pick->city + ", " + pick->state + " " + pick->postal_code);
    }
  }
  const CityConfig& city = app.city();
  auto letter = citations::decision_letter(*ct, event_number, city.name, city.citations.contest,
                                           app.citations().calendar(), name, lines);
  if (!letter) return error_response(letter.error());
  if (const auto* v = city.citations.violation(letter->violation_code))
    letter->violation_description = v->description;
  // Uncompressed: one page in base-14 fonts is a few KB, and the text stays searchable.
  auto pdf = citations::decision_letter_pdf(*letter, {.compress = false});
  if (!pdf) return error_response(pdf.error());
  Response r;
  r.content_type = "application/pdf";
  r.headers.emplace_back("Content-Disposition", "inline; filename=\"decision-" +
                                                    letter->citation_number + "-" +
                                                    letter->decided_on.iso() + ".pdf\"");
  r.body = std::move(*pdf);
  return r;
}

}  // namespace

void add_citation_letter_routes(Router& r, App& app) {
  r.add(Route{"GET", "/api/v1/citations/{number}/decision-letter", Access::kPermission,
              "citation.read", [&app](RequestContext& ctx) { return decision_letter(app, ctx); }});
}

}  // namespace civicdesk::http
