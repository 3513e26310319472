// Indigent payment plans (citations/plan_book.h): enrol a plate's or the named citations in a
// plan, read one with its schedule and standing, list them by status. Enrolment is a CSR's
// (citation.write) and moves money (the processing fee, the waived late fees), so it takes an
// Idempotency-Key.
#include "citations/plan_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

json::object plan_json(const citations::PlanView& v) {
  json::array numbers;
  for (const auto& n : v.citation_numbers) numbers.push_back(json::value(n));
  json::array schedule;
  std::int64_t cumulative = 0;
  for (const auto& i : v.installments) {
    cumulative += i.amount.cents();
    schedule.push_back(json::object{{"number", i.number},
                                    {"due_on", i.due_on.iso()},
                                    {"amount", format_plain(i.amount)},
                                    {"paid", v.paid.cents() >= cumulative}});
  }
  auto opt_date = [](const std::optional<CivilDate>& d) {
    return d ? json::value(d->iso()) : json::value(nullptr);
  };
  return json::object{
      {"id", v.id},
      {"status", v.status},
      {"plate_state", v.plate_state},
      {"plate", v.plate},
      {"owner_party_id", v.owner_party_id ? json::value(v.owner_party_id) : json::value(nullptr)},
      {"ledger_party_id", v.ledger_party_id},
      {"proof", v.proof},
      {"attested_by", v.attested_by},
      {"proof_note", v.proof_note},
      {"enrolled_on", v.enrolled_on.iso()},
      {"months", v.months},
      {"citation_numbers", std::move(numbers)},
      {"fines", format_plain(v.fines)},
      {"processing_fee", format_plain(v.processing_fee)},
      {"total", format_plain(v.total)},
      {"max_monthly", format_plain(v.max_monthly)},
      {"late_fees_waived", format_plain(v.late_fees_waived)},
      {"fee_obligation_id",
       v.fee_obligation_id ? json::value(v.fee_obligation_id) : json::value(nullptr)},
      {"paid", format_plain(v.paid)},
      {"balance", format_plain(v.balance)},
      {"due_so_far", format_plain(v.due_so_far)},
      {"next_installment",
       v.next_installment ? json::value(*v.next_installment) : json::value(nullptr)},
      {"next_due_on", opt_date(v.next_due_on)},
      {"closed_on", opt_date(v.closed_on)},
      {"missed_installment",
       v.missed_installment ? json::value(*v.missed_installment) : json::value(nullptr)},
      {"installments", std::move(schedule)}};
}

Result<citations::PlanEnrolment> parse_enrolment(const json::object& o) {
  CD_TRY(only_fields(o, {"plate", "plate_state", "citation_numbers", "months", "proof",
                         "attested_by", "proof_note", "enrolled_on"}));
  citations::PlanEnrolment in;
  CD_ASSIGN(in.plate, string_field(o, "plate", false));
  CD_ASSIGN(in.plate_state, string_field(o, "plate_state", false));
  for (auto& ch : in.plate_state)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (auto* list = o.if_contains("citation_numbers"); list && !list->is_null()) {
    if (!list->is_array())
      return fail(Error::invalid("citation_numbers", "citation_numbers is a list of numbers"));
    for (std::size_t i = 0; i < list->as_array().size(); ++i) {
      const auto& v = list->as_array()[i];
      if (!v.is_string())
        return fail(Error::invalid("citation_numbers[" + std::to_string(i) + "]",
                                   "a citation number is text"));
      in.citation_numbers.emplace_back(v.as_string());
    }
  }
  CD_ASSIGN(auto months, int_field(o, "months"));
  if (months < 1 || months > 1000) return fail(Error::invalid("months", "months is 1 or more"));
  in.months = static_cast<int>(months);
  CD_ASSIGN(in.proof, string_field(o, "proof", false));
  CD_ASSIGN(in.attested_by, string_field(o, "attested_by"));
  CD_ASSIGN(in.proof_note, string_field(o, "proof_note", false));
  CD_ASSIGN(in.enrolled_on, string_field(o, "enrolled_on", false));
  return in;
}

Response enrol(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_enrolment, [&](const citations::PlanEnrolment& in) {
    auto v = app.citation_plans().enrol(ctx.actor, in);
    return v ? json_response(201, plan_json(*v)) : error_response(v.error());
  });
}

Response get_plan(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto v = app.citation_plans().plan(*id);
  return v ? json_response(200, plan_json(*v)) : error_response(v.error());
}

Response list_plans(App& app, RequestContext& ctx) {
  auto list = app.citation_plans().plans(ctx.request.query_param("status"));
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& v : *list) items.push_back(plan_json(v));
  return json_response(200, json::object{{"items", std::move(items)}});
}

}  // namespace

void add_citation_plan_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  Route post{"POST", "/api/v1/citations/plans", Access::kPermission, "citation.write", bind(enrol)};
  post.idempotent = true;
  r.add(std::move(post));
  r.add(Route{"GET", "/api/v1/citations/plans", Access::kPermission, "citation.read",
              bind(list_plans)});
  r.add(Route{"GET", "/api/v1/citations/plans/{id}", Access::kPermission, "citation.read",
              bind(get_plan)});
}

}  // namespace civicdesk::http
