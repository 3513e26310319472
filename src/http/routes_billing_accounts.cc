// Utility billing's API, part 4: account maintenance (billing/utility_book.h "account
// maintenance") and the list of late penalties assessed (billing/penalty_list.h).
//
//   PUT   /billing/accounts/{number}/holds   dispute / payment-arrangement holds, with a reason
//   PATCH /billing/accounts/{number}         flags, mailing address, deposit record
//   POST  /billing/accounts/{number}/close   move-out: services stopped, account closed, and
//                                            (final_bill) the final bill issued at once
//   GET   /billing/penalties?as_of=&account= what the late-penalty job assessed
//
// Permissions: billing.write (CSR II and up) for all three changes. A dispute is opened by the
// CSR who takes the complaint, and a move-out with its final bill is a counter task done many
// times a day; neither waits for a supervisor. The final bill is billed by the same rules as a
// run (BillRun::bill_account), so a CSR cannot price it differently. The penalty job itself
// stays billing.run (routes_billing_runs.cc); its list is billing.read.
//
// The close moves money when it issues a final bill, so it needs an Idempotency-Key. It is also
// idempotent by itself: closing a closed account on the same date changes nothing and returns
// the account with its final bill (billing it then if the first attempt could not).
#include "billing/bill_run.h"
#include "billing/penalty_list.h"
#include "billing/utility_book.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/ledger_json.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using Fn = Response (*)(App&, RequestContext&);

json::object holds_json(const billing::AccountHolds& h) {
  return json::object{{"in_dispute", h.in_dispute}, {"payment_arrangement", h.payment_arrangement}};
}

json::object account_json(const billing::UtilityAccount& a) {
  json::value mailing = nullptr;
  if (!a.mailing.empty())
    mailing = json::object{{"line1", a.mailing.line1},
                           {"line2", a.mailing.line2},
                           {"city", a.mailing.city},
                           {"state", a.mailing.state},
                           {"postal_code", a.mailing.postal_code}};
  return json::object{{"number", a.number},
                      {"status", std::string(billing::to_string(a.status))},
                      {"opened_on", a.opened_on.iso()},
                      {"closed_on", opt_date(a.closed_on)},
                      {"mailing", std::move(mailing)},
                      {"deposit", format_plain(a.deposit)},
                      {"flags", json::object{{"cash_only", a.flags.cash_only},
                                             {"no_shutoff", a.flags.no_shutoff},
                                             {"landlord", a.flags.landlord}}}};
}

json::object bill_summary(const billing::BillView& b) {
  return json::object{{"id", b.id},
                      {"kind", b.kind},
                      {"period_from", b.period_from.iso()},
                      {"period_to", b.period_to.iso()},
                      {"total", format_plain(b.total)},
                      {"due_date", b.due_date.iso()},
                      {"pdf", "/api/v1/billing/bills/" + std::to_string(b.id) + "/pdf"}};
}

json::object error_json(const Error& e) {
  return json::object{{"code", to_string(e.code)}, {"message", e.message}, {"field", e.field}};
}

Result<billing::AccountHolds> parse_holds(const json::object& o, std::string& reason) {
  CD_TRY(only_fields(o, {"in_dispute", "payment_arrangement", "reason"}));
  billing::AccountHolds h;
  CD_ASSIGN(auto dispute, bool_field(o, "in_dispute"));
  CD_ASSIGN(auto arrangement, bool_field(o, "payment_arrangement"));
  // Both stated: a PUT replaces the pair, so a missing one must not silently lift a hold.
  if (!dispute) return fail(Error::invalid("in_dispute", "in_dispute is required (true/false)"));
  if (!arrangement)
    return fail(
        Error::invalid("payment_arrangement", "payment_arrangement is required (true/false)"));
  h.in_dispute = *dispute;
  h.payment_arrangement = *arrangement;
  CD_ASSIGN(reason, string_field(o, "reason"));
  return h;
}

Response set_holds(App& app, RequestContext& ctx) {
  auto n = path_id(ctx, "number");
  if (!n) return error_response(n.error());
  std::string reason;
  return with_body(
      ctx, [&](const json::object& o) { return parse_holds(o, reason); },
      [&](const billing::AccountHolds& h) {
        auto set = app.billing().set_holds(ctx.actor, *n, h, reason);
        if (!set) return error_response(set.error());
        json::object out = holds_json(*set);
        out["number"] = *n;
        return json_response(200, out);
      });
}

Result<billing::MailingAddress> parse_mailing(const json::value& v) {
  billing::MailingAddress m;
  if (v.is_null()) return m;  // null: mail to the service address again
  if (!v.is_object()) return fail(Error::invalid("mailing", "must be an object or null"));
  const json::object& a = v.as_object();
  CD_TRY(only_fields(a, {"line1", "line2", "city", "state", "postal_code"}));
  for (auto [key, field] :
       {std::pair{"line1", &m.line1}, std::pair{"line2", &m.line2}, std::pair{"city", &m.city},
        std::pair{"state", &m.state}, std::pair{"postal_code", &m.postal_code}}) {
    auto s = string_field(a, key, false);
    if (!s) {
      Error e = s.error();
      e.field = "mailing." + e.field;
      return fail(e);
    }
    *field = std::move(*s);
  }
  return m;
}

Response update_account(App& app, RequestContext& ctx) {
  auto n = path_id(ctx, "number");
  if (!n) return error_response(n.error());
  auto parse = [](const json::object& o) -> Result<billing::AccountChanges> {
    CD_TRY(only_fields(o, {"cash_only", "no_shutoff", "landlord", "mailing", "deposit"}));
    billing::AccountChanges ch;
    CD_ASSIGN(ch.cash_only, bool_field(o, "cash_only"));
    CD_ASSIGN(ch.no_shutoff, bool_field(o, "no_shutoff"));
    CD_ASSIGN(ch.landlord, bool_field(o, "landlord"));
    if (auto* v = o.if_contains("mailing")) {
      CD_ASSIGN(ch.mailing, parse_mailing(*v));
    }
    if (auto* v = o.if_contains("deposit"); v && !v->is_null()) {
      CD_ASSIGN(ch.deposit, money_field(o, "deposit"));
    }
    return ch;
  };
  return with_body(ctx, parse, [&](const billing::AccountChanges& ch) {
    auto a = app.billing().update_account(ctx.actor, *n, ch);
    return a ? json_response(200, account_json(*a)) : error_response(a.error());
  });
}

// The account's final bill, if one is issued: the newest issued bill of kind "final".
Result<std::optional<billing::BillView>> issued_final(billing::BillRun& runs, std::int64_t n) {
  CD_ASSIGN(auto bills, runs.bills_of(n));
  for (const auto& b : bills)
    if (b.kind == "final" && b.status == "issued") return std::optional<billing::BillView>{b};
  return std::optional<billing::BillView>{};
}

Response close_account(App& app, RequestContext& ctx) {
  auto n = path_id(ctx, "number");
  if (!n) return error_response(n.error());
  struct Body {
    std::string closed_on;
    bool final_bill = false;
  };
  auto parse = [](const json::object& o) -> Result<Body> {
    CD_TRY(only_fields(o, {"closed_on", "final_bill"}));
    Body b;
    CD_ASSIGN(b.closed_on, string_field(o, "closed_on", false));
    CD_ASSIGN(auto fb, bool_field(o, "final_bill"));
    b.final_bill = fb.value_or(false);
    return b;
  };
  return with_body(ctx, parse, [&](const Body& b) {
    auto closed = app.billing().close_account(ctx.actor, *n, b.closed_on);
    if (!closed) return error_response(closed.error());
    json::array stopped;
    for (const auto& s : closed->stopped)
      stopped.push_back(json::object{{"id", s.id},
                                     {"kind", std::string(billing::to_string(s.kind))},
                                     {"stopped_on", opt_date(s.stopped_on)}});
    json::object out{{"account", account_json(closed->account)},
                     {"already_closed", closed->already_closed},
                     {"services_stopped", std::move(stopped)},
                     {"final_bill", nullptr},
                     {"final_bill_error", nullptr}};
    if (b.final_bill) {
      billing::BillRun runs(app.db(), app.city(), app.clock(), app.time_zone(), app.ledger());
      auto existing = issued_final(runs, *n);
      if (!existing) return error_response(existing.error());
      if (*existing) {
        out["final_bill"] = bill_summary(**existing);
      } else {
        // The close stands whatever the bill says: a missing final read is entered and the
        // close repeated (or the bill issued from the account page), never the move-out undone.
        auto bill = runs.bill_account(ctx.actor, *n, closed->account.closed_on->iso());
        if (bill)
          out["final_bill"] = bill_summary(*bill);
        else
          out["final_bill_error"] = error_json(bill.error());
      }
    }
    return json_response(200, out);
  });
}

Response list_penalties(App& app, RequestContext& ctx) {
  billing::PenaltyQuery q;
  auto as_of = query_date(ctx, "as_of");
  if (!as_of) return error_response(as_of.error());
  auto account = query_int(ctx, "account");
  if (!account) return error_response(account.error());
  q.assessed_on = *as_of;
  q.account_number = *account;
  auto list = billing::list_penalties(app.db(), q);
  if (!list) return error_response(list.error());
  json::array items;
  Money total;
  for (const auto& p : *list) {
    items.push_back(json::object{{"id", p.id},
                                 {"bill_id", p.bill_id},
                                 {"account_number", p.account_number},
                                 {"party_name", p.party_name},
                                 {"bill_due_date", p.bill_due_date.iso()},
                                 {"obligation_id", p.obligation_id},
                                 {"amount", format_plain(p.amount)},
                                 {"assessed_on", p.assessed_on.iso()},
                                 {"assessed_by", p.assessed_by}});
    auto sum = total.add(p.amount);
    if (!sum) return error_response(sum.error());
    total = *sum;
  }
  return json_response(200, json::object{{"items", std::move(items)},
                                         {"count", static_cast<std::int64_t>(list->size())},
                                         {"total", format_plain(total)}});
}

}  // namespace

void add_billing_account_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn, bool idem) {
    Route route{method, path, Access::kPermission, perm, bind(fn)};
    route.idempotent = idem;
    r.add(std::move(route));
  };
  add("PUT", "/api/v1/billing/accounts/{number}/holds", "billing.write", set_holds, false);
  add("PATCH", "/api/v1/billing/accounts/{number}", "billing.write", update_account, false);
  // Issues the final bill: money moves, so an Idempotency-Key is required.
  add("POST", "/api/v1/billing/accounts/{number}/close", "billing.write", close_account, true);
  add("GET", "/api/v1/billing/penalties", "billing.read", list_penalties, false);
}

}  // namespace civicdesk::http
