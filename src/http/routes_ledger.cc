// The ledger's API: obligations, payments, adjustments, approvals, refunds, transfers, returned
// payments, write-offs. Money-moving routes are idempotent (Idempotency-Key required).
#include "http/api.h"
#include "http/json_util.h"
#include "http/route_util.h"
#include "http/ledger_json.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);


Result<ledger::ChargeRequest> parse_charge(const json::object& o) {
  ledger::ChargeRequest r;
  CD_ASSIGN(r.party_id, int_field(o, "party_id"));
  CD_ASSIGN(r.account_ref, string_field(o, "account_ref", false));
  CD_ASSIGN(r.kind, string_field(o, "kind"));
  CD_ASSIGN(r.description, string_field(o, "description"));
  CD_ASSIGN(auto due, string_field(o, "due_date"));
  CD_ASSIGN(r.due_date, parse_date(due, "due_date"));
  CD_ASSIGN(r.source_ref, string_field(o, "source_ref", false));
  auto* lines = o.if_contains("lines");
  if (!lines || !lines->is_array())
    return fail(Error::invalid("lines", "lines must be a list of charge lines"));
  for (std::size_t i = 0; i < lines->as_array().size(); ++i) {
    std::string f = "lines[" + std::to_string(i) + "]";
    const auto& v = lines->as_array()[i];
    if (!v.is_object()) return fail(Error::invalid(f, f + " must be an object"));
    const auto& l = v.as_object();
    ledger::ChargeLineInput in;
    auto named = [&](Error e) {
      e.field = f + "." + e.field;
      return std::unexpected(e);
    };
    auto desc = string_field(l, "description");
    if (!desc) return named(desc.error());
    in.description = *desc;
    auto account = string_field(l, "revenue_account");
    if (!account) return named(account.error());
    in.revenue_account = *account;
    auto amount = money_field(l, "amount");
    if (!amount) return named(amount.error());
    in.amount = *amount;
    auto penalty = bool_field(l, "is_penalty");
    if (!penalty) return named(penalty.error());
    in.is_penalty = penalty->value_or(false);
    r.lines.push_back(std::move(in));
  }
  return r;
}

Response create_obligation(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_charge, [&](ledger::ChargeRequest r) {
    r.idempotency_key = ctx.idempotency_key;
    auto o = app.ledger().charge(ctx.actor, r);
    return o ? json_response(201, to_json(*o)) : error_response(o.error());
  });
}

Response get_obligation(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto o = app.ledger().obligation(*id);
  return o ? json_response(200, to_json(*o)) : error_response(o.error());
}

Response party_obligations(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  std::string status = ctx.request.query_param("status", "all");
  if (status != "all" && status != "open")
    return error_response(Error::invalid("status", "status must be open or all"));
  auto list = app.ledger().obligations_of(*id, status == "open");
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& o : *list) items.push_back(to_json(o));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response party_ledger(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto balance = app.ledger().balance_of(*id);
  if (!balance) return error_response(balance.error());
  auto limit = int_param(ctx.request.query_param("limit", "200"), "limit");
  if (!limit) return error_response(limit.error());
  auto entries = app.ledger().entries_of(*id, static_cast<int>(*limit));
  if (!entries) return error_response(entries.error());
  json::array items;
  for (const auto& e : *entries) items.push_back(to_json(e));
  return json_response(200, json::object{{"balance", to_json(*balance)},
                                         {"entries", std::move(items)}});
}

Response party_payments(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto list = app.ledger().payments_of(*id);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& p : *list) items.push_back(to_json(p));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Result<ledger::PaymentRequest> parse_payment(const json::object& o) {
  ledger::PaymentRequest r;
  CD_ASSIGN(r.party_id, int_field(o, "party_id"));
  CD_ASSIGN(r.amount, money_field(o, "amount"));
  CD_ASSIGN(r.tender, string_field(o, "tender"));
  CD_ASSIGN(r.channel, string_field(o, "channel"));
  CD_ASSIGN(r.payer, string_field(o, "payer", false));
  CD_ASSIGN(r.reference, string_field(o, "reference", false));
  CD_ASSIGN(r.account_ref, string_field(o, "account_ref", false));
  CD_ASSIGN(r.directed_obligations, id_list(o, "obligations"));
  return r;
}

Response create_payment(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_payment, [&](ledger::PaymentRequest r) {
    r.idempotency_key = ctx.idempotency_key;
    auto p = app.ledger().pay(ctx.actor, r);
    return p ? json_response(201, to_json(*p)) : error_response(p.error());
  });
}

Response get_payment(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto p = app.ledger().payment(*id);
  return p ? json_response(200, to_json(*p)) : error_response(p.error());
}

Response return_payment(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(ctx, [](const json::object& o) { return string_field(o, "reason"); },
                   [&](const std::string& reason) {
                     auto r = app.ledger().return_payment(ctx.actor,
                                                          {*id, reason, ctx.idempotency_key});
                     if (!r) return error_response(r.error());
                     return json_response(201, json::object{
                                                   {"entry_id", r->entry_id},
                                                   {"fee_obligation_id", r->fee_obligation_id},
                                                   {"returns_on_party", r->returns_on_party},
                                                   {"now_cash_only", r->now_cash_only}});
                   });
}

Result<ledger::AdjustmentRequest> parse_adjustment(const json::object& o) {
  ledger::AdjustmentRequest r;
  CD_ASSIGN(r.obligation_id, int_field(o, "obligation_id"));
  if (o.contains("line_id")) {
    CD_ASSIGN(r.line_id, int_field(o, "line_id"));
  }
  CD_ASSIGN(r.direction, string_field(o, "direction"));
  CD_ASSIGN(r.amount, money_field(o, "amount"));
  CD_ASSIGN(r.reason_code, string_field(o, "reason_code"));
  CD_ASSIGN(r.note, string_field(o, "note", false));
  return r;
}

Response create_adjustment(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_adjustment, [&](ledger::AdjustmentRequest r) {
    r.idempotency_key = ctx.idempotency_key;
    auto a = app.ledger().adjust(ctx.actor, r);
    if (!a) return error_response(a.error());
    json::object out{{"posted", a->posted}, {"entry_id", a->entry_id}};
    if (a->approval) out["approval"] = to_json(*a->approval);
    // 202: accepted for approval, nothing posted yet.
    return json_response(a->posted ? 201 : 202, out);
  });
}

Response list_approvals(App& app, RequestContext& ctx) {
  std::string status = ctx.request.query_param("status", "pending");
  if (status != "pending" && status != "approved" && status != "denied")
    return error_response(Error::invalid("status", "status must be pending, approved or denied"));
  auto list = app.ledger().approvals(status);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& a : *list) items.push_back(to_json(a));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response decide_approval(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  auto approve = bool_field(*body, "approve");
  if (!approve) return error_response(approve.error());
  if (!approve->has_value()) return error_response(Error::invalid("approve", "approve is required"));
  auto note = string_field(*body, "note", false);
  if (!note) return error_response(note.error());
  // Refunds need refund.approve; adjustments need adjustment.approve (and enough authority).
  auto a = app.ledger().approval(*id);
  if (!a) return error_response(a.error());
  std::string needed = a->kind == "refund" ? "refund.approve" : "adjustment.approve";
  if (!app.city().role_has(ctx.actor.role, needed))
    return error_response(
        Error::make(ErrorCode::kForbidden, "deciding a " + a->kind + " needs " + needed));
  auto decided = app.ledger().decide(ctx.actor, *id, **approve, *note);
  return decided ? json_response(200, to_json(*decided)) : error_response(decided.error());
}

Result<ledger::RefundRequest> parse_refund(const json::object& o) {
  ledger::RefundRequest r;
  CD_ASSIGN(r.party_id, int_field(o, "party_id"));
  CD_ASSIGN(r.amount, money_field(o, "amount"));
  CD_ASSIGN(r.method, string_field(o, "method", false));
  if (r.method.empty()) r.method = "check";
  CD_ASSIGN(r.note, string_field(o, "note", false));
  return r;
}

Response create_refund(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_refund, [&](ledger::RefundRequest r) {
    r.idempotency_key = ctx.idempotency_key;
    auto f = app.ledger().request_refund(ctx.actor, r);
    return f ? json_response(202, to_json(*f)) : error_response(f.error());
  });
}

Response issue_refund(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(ctx, [](const json::object& o) { return string_field(o, "check_number"); },
                   [&](const std::string& check) {
                     auto f = app.ledger().issue_refund(ctx.actor, *id, check);
                     return f ? json_response(200, to_json(*f)) : error_response(f.error());
                   });
}

Response party_refunds(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto list = app.ledger().refunds_of(*id);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& f : *list) items.push_back(to_json(f));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Result<ledger::TransferRequest> parse_transfer(const json::object& o) {
  ledger::TransferRequest r;
  CD_ASSIGN(r.payment_id, int_field(o, "payment_id"));
  CD_ASSIGN(r.to_party_id, int_field(o, "to_party_id"));
  CD_ASSIGN(r.to_obligations, id_list(o, "to_obligations"));
  CD_ASSIGN(r.reason, string_field(o, "reason"));
  return r;
}

Response create_transfer(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_transfer, [&](ledger::TransferRequest r) {
    r.idempotency_key = ctx.idempotency_key;
    auto p = app.ledger().transfer(ctx.actor, r);
    return p ? json_response(201, to_json(*p)) : error_response(p.error());
  });
}

// write-off, recovery and cancel share a shape: {reason} on /obligations/{id}/...
template <Result<ledger::Obligation> (ledger::Ledger::*Op)(const Actor&, std::int64_t,
                                                            const std::string&,
                                                            const std::string&)>
Response obligation_action(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(ctx, [](const json::object& o) { return string_field(o, "reason", false); },
                   [&](const std::string& reason) {
                     auto o = (app.ledger().*Op)(ctx.actor, *id, reason, ctx.idempotency_key);
                     return o ? json_response(200, to_json(*o)) : error_response(o.error());
                   });
}

Response ledger_settings(App& app, RequestContext&) {
  const auto& s = app.city().ledger;
  json::array kinds, reasons, revenue;
  for (const auto& k : s.obligation_kinds)
    kinds.push_back(json::object{{"code", k.code}, {"name", k.name}, {"priority", k.priority}});
  for (const auto& r : s.adjustment_reasons)
    reasons.push_back(json::object{{"code", r.code}, {"name", r.name}});
  for (const auto& a : app.city().gl_accounts)
    if (a.type == "revenue")
      revenue.push_back(json::object{{"code", a.code}, {"name", a.name}, {"fund", a.fund}});
  json::object limits;
  for (const auto& [role, cents] : s.adjustment_limits_cents)
    limits[role] = cents ? json::value(format_plain(Money::from_cents(*cents))) : nullptr;
  return json_response(200, json::object{{"obligation_kinds", std::move(kinds)},
                                         {"adjustment_reasons", std::move(reasons)},
                                         {"revenue_accounts", std::move(revenue)},
                                         {"adjustment_limits", std::move(limits)}});
}

}  // namespace

void add_ledger_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn, bool idem) {
    Route route{method, path, Access::kPermission, perm, bind(fn)};
    route.idempotent = idem;
    r.add(std::move(route));
  };
  add("GET", "/api/v1/ledger/settings", "ledger.read", ledger_settings, false);
  add("POST", "/api/v1/obligations", "ledger.charge", create_obligation, true);
  add("GET", "/api/v1/obligations/{id}", "ledger.read", get_obligation, false);
  add("POST", "/api/v1/obligations/{id}/write-off", "writeoff.post",
      obligation_action<&ledger::Ledger::write_off>, true);
  add("POST", "/api/v1/obligations/{id}/recovery", "writeoff.post",
      obligation_action<&ledger::Ledger::recover>, true);
  add("POST", "/api/v1/obligations/{id}/cancel", "adjustment.approve",
      obligation_action<&ledger::Ledger::cancel>, true);
  add("GET", "/api/v1/parties/{id}/obligations", "ledger.read", party_obligations, false);
  add("GET", "/api/v1/parties/{id}/ledger", "ledger.read", party_ledger, false);
  add("GET", "/api/v1/parties/{id}/payments", "ledger.read", party_payments, false);
  add("GET", "/api/v1/parties/{id}/refunds", "ledger.read", party_refunds, false);
  add("POST", "/api/v1/payments", "payment.post", create_payment, true);
  add("GET", "/api/v1/payments/{id}", "ledger.read", get_payment, false);
  add("POST", "/api/v1/payments/{id}/return", "payment.return", return_payment, true);
  add("POST", "/api/v1/adjustments", "adjustment.request", create_adjustment, true);
  add("GET", "/api/v1/approvals", "adjustment.approve|refund.approve", list_approvals, false);
  add("POST", "/api/v1/approvals/{id}/decision", "adjustment.approve|refund.approve",
      decide_approval, false);
  add("POST", "/api/v1/refunds", "refund.request", create_refund, true);
  add("POST", "/api/v1/refunds/{id}/issue", "refund.approve", issue_refund, true);
  add("POST", "/api/v1/transfers", "payment.transfer", create_transfer, true);
}

}  // namespace civicdesk::http
