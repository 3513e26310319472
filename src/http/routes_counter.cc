// The counter's API: drawers, cashier sessions (open, blind count, close), counter transactions
// (a cart with tenders; Idempotency-Key required), voids, the card reconciler, receipts (JSON,
// PDF, ESC/POS, print), the end-of-day reports, deposits and revolving funds.
//
// Blind count: nothing a cashier can call returns the running total or the expected cash of an
// open session; `totals` appear only for drawer.supervise, and a session's expected cash and
// over/short only once it has been counted.
#include "cashiering/counter.h"
#include "cashiering/payment_gateway.h"
#include "core/timestamp.h"
#include "http/api.h"
#include "http/json_util.h"
#include "http/ledger_json.h"
#include "http/route_util.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using cashiering::CashCount;
using Fn = Response (*)(App&, RequestContext&);

std::string plain(Money m) {
  return format_plain(m);
}

json::object money_map(const std::map<std::string, Money>& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = plain(v);
  return o;
}

json::object count_json(const CashCount& c) {
  json::object o;
  for (const auto& [k, v] : c) o[k] = v;
  return o;
}

Result<CashCount> count_field(const json::object& o, std::string_view key, bool required) {
  std::string k(key);
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return fail(Error::invalid(k, k + " is required (pieces per denomination)"));
    return CashCount{};
  }
  if (!v->is_object())
    return fail(Error::invalid(k, k + " must be an object such as {\"20\": 5, \"0.25\": 8}"));
  CashCount out;
  for (const auto& kv : v->as_object()) {
    if (!kv.value().is_int64())
      return fail(Error::invalid(k + "." + std::string(kv.key()), "a count is a whole number"));
    out[std::string(kv.key())] = kv.value().as_int64();
  }
  return out;
}

bool can(App& app, const RequestContext& ctx, std::string_view permission) {
  return app.city().role_has(ctx.actor.role, permission);
}

// --- JSON forms ---------------------------------------------------------------------------

json::object to_json(const cashiering::Drawer& d) {
  return {{"code", d.code},       {"name", d.name},
          {"office", d.office},   {"bank_account", d.bank_account},
          {"printer", d.printer}, {"next_receipt", d.next_receipt}};
}

json::object to_json(const cashiering::SessionTotals& t) {
  return {{"expected_cash", plain(t.expected_cash)}, {"receipts", plain(t.receipts)},
          {"by_tender", money_map(t.by_tender)},     {"by_fund", money_map(t.by_fund)},
          {"transactions", t.transactions},          {"voided", t.voided},
          {"card_unknown", t.card_unknown}};
}

json::object to_json(const cashiering::Session& s) {
  json::object o{{"id", s.id},
                 {"drawer", s.drawer_code},
                 {"office", s.office},
                 {"cashier", s.cashier_name},
                 {"status", s.status},
                 {"business_date", s.business_date},
                 {"opened_at", iso_utc(s.opened_us)},
                 {"float", plain(s.float_amount)},
                 {"float_count", count_json(s.float_count)}};
  if (s.counted) {  // only after the blind count
    o["counted"] = plain(*s.counted);
    o["counted_count"] = count_json(s.counted_count);
    o["expected"] = plain(s.expected.value_or(Money::zero()));
    o["over_short"] = plain(s.over_short.value_or(Money::zero()));
    o["over_short_reason"] = s.over_short_reason;
  }
  if (s.closed_us) o["closed_at"] = iso_utc(s.closed_us);
  o["deposit_id"] = s.deposit_id ? json::value(s.deposit_id) : json::value(nullptr);
  return o;
}

json::object to_json(const cashiering::CounterTransaction& t) {
  json::array items, tenders;
  for (const auto& it : t.items) {
    json::object o{
        {"party_id", it.party_id},
        {"party_name", it.party_name},
        {"obligation_id", it.obligation_id ? json::value(it.obligation_id) : json::value(nullptr)},
        {"description", it.description},
        {"amount", plain(it.amount)}};
    o["balance_left"] =
        it.balance_left ? json::value(plain(*it.balance_left)) : json::value(nullptr);
    items.push_back(std::move(o));
  }
  for (const auto& tt : t.tenders) {
    const auto& x = tt.tender;
    json::object o{{"kind", x.kind}, {"amount", plain(x.amount)}, {"applied", plain(tt.applied)}};
    if (x.kind == "check" || x.kind == "money_order") {
      o["check_number"] = x.check_number;
      o["bank"] = x.bank;
      o["payer"] = x.payer;
      o["micr"] = x.micr;
    }
    if (x.kind == "card") {
      o["card_brand"] = x.card_brand;
      o["card_last4"] = x.card_last4;
      o["card_status"] = tt.card_status;
      o["card_authorization"] = tt.card_authorization;
    }
    if (x.kind == "ach") o["ach_last4"] = x.ach_last4;
    tenders.push_back(std::move(o));
  }
  json::array payments;
  for (auto id : t.payment_ids) payments.push_back(id);
  json::object o{{"id", t.id},
                 {"session_id", t.session_id},
                 {"drawer", t.drawer_code},
                 {"status", t.status},
                 {"receipt", t.receipt.empty() ? json::value(nullptr) : json::value(t.receipt)},
                 {"total", plain(t.total)},
                 {"change_due", plain(t.change)},
                 {"tender", t.tender},
                 {"items", std::move(items)},
                 {"tenders", std::move(tenders)},
                 {"payment_ids", std::move(payments)}};
  if (t.status == "voided") {
    o["void_reason"] = t.void_reason;
    o["voided_by"] = t.voided_by;
  }
  return o;
}

json::object to_json(const cashiering::FundTotals& f) {
  return {{"by_tender", money_map(f.by_tender)},     {"by_fund", money_map(f.by_fund)},
          {"receipts", plain(f.receipts)},           {"float", plain(f.float_amount)},
          {"expected_cash", plain(f.expected_cash)}, {"counted", plain(f.counted)},
          {"over_short", plain(f.over_short)}};
}

json::object to_json(const cashiering::DepositSlip& d) {
  json::array checks;
  for (const auto& c : d.checks)
    checks.push_back(json::object{{"kind", c.kind},
                                  {"number", c.number},
                                  {"bank", c.bank},
                                  {"payer", c.payer},
                                  {"receipt", c.receipt},
                                  {"amount", plain(c.amount)}});
  json::array sessions;
  for (auto s : d.sessions) sessions.push_back(s);
  json::object o{{"id", d.id ? json::value(d.id) : json::value(nullptr)},
                 {"bank_account", d.bank_account},
                 {"status", d.status},
                 {"currency", plain(d.currency)},
                 {"coin", plain(d.coin)},
                 {"checks", std::move(checks)},
                 {"checks_total", plain(d.checks_total)},
                 {"electronic", plain(d.electronic)},
                 {"total", plain(d.total)},
                 {"by_fund", money_map(d.by_fund)},
                 {"sessions", std::move(sessions)},
                 {"prepared_by", d.prepared_by},
                 {"closed_by", d.closed_by},
                 {"bank_reference", d.bank_reference}};
  o["entry_id"] = d.entry_id ? json::value(d.entry_id) : json::value(nullptr);
  return o;
}

json::object to_json(const cashiering::FundCount& f) {
  json::array receipts;
  for (const auto& r : f.receipts)
    receipts.push_back(json::object{{"description", r.description}, {"amount", plain(r.amount)}});
  const auto& rec = f.reconciliation;
  return {{"id", f.id},
          {"date", f.count_date},
          {"counted_by", f.counted_by},
          {"cash_count", count_json(f.cash_count)},
          {"cash", plain(rec.cash)},
          {"receipts", std::move(receipts)},
          {"receipts_total", plain(rec.receipts)},
          {"authorized", plain(rec.authorized)},
          {"difference", plain(rec.difference)},
          {"balanced", rec.balanced()},
          {"note", f.note}};
}

json::object to_json(const cashiering::Replenishment& r) {
  return {{"id", r.id},
          {"status", r.status},
          {"amount", plain(r.amount)},
          {"note", r.note},
          {"requested_by", r.requested_by}};
}

json::object to_json(const cashiering::RevolvingFund& f) {
  json::array reps;
  for (const auto& r : f.replenishments) reps.push_back(to_json(r));
  return {{"id", f.id},
          {"code", f.code},
          {"name", f.name},
          {"kind", f.kind},
          {"custodian", f.custodian},
          {"authorized", plain(f.authorized)},
          {"last_count", f.last_count ? json::value(to_json(*f.last_count)) : json::value(nullptr)},
          {"replenishments", std::move(reps)}};
}

// --- drawers and sessions -----------------------------------------------------------------

Result<cashiering::DrawerInput> parse_drawer(const json::object& o) {
  CD_TRY(only_fields(o, {"code", "name", "office", "bank_account", "printer"}));
  cashiering::DrawerInput in;
  CD_ASSIGN(in.code, string_field(o, "code", false));
  CD_ASSIGN(in.name, string_field(o, "name", false));
  CD_ASSIGN(in.office, string_field(o, "office", false));
  CD_ASSIGN(in.bank_account, string_field(o, "bank_account", false));
  CD_ASSIGN(in.printer, string_field(o, "printer", false));
  return in;
}

Response list_drawers(App& app, RequestContext& ctx) {
  bool supervisor = can(app, ctx, "drawer.supervise");
  auto list = app.counter().drawers(supervisor);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& d : *list) {
    json::object o = to_json(d.drawer);
    o["session"] = d.session ? json::value(to_json(*d.session)) : json::value(nullptr);
    if (d.totals) o["totals"] = to_json(*d.totals);
    items.push_back(std::move(o));
  }
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response create_drawer(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_drawer, [&](const cashiering::DrawerInput& in) {
    auto d = app.counter().create_drawer(ctx.actor, in);
    return d ? json_response(201, to_json(*d)) : error_response(d.error());
  });
}

Response update_drawer(App& app, RequestContext& ctx) {
  std::string code = ctx.request.path_params.at("code");
  return with_body(ctx, parse_drawer, [&](const cashiering::DrawerInput& in) {
    if (!in.code.empty() && in.code != code)
      return error_response(Error::invalid("code", "a drawer's code cannot change"));
    cashiering::DrawerInput changes = in;
    changes.code.clear();
    auto d = app.counter().update_drawer(ctx.actor, code, changes);
    return d ? json_response(200, to_json(*d)) : error_response(d.error());
  });
}

Response open_session(App& app, RequestContext& ctx) {
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  if (auto ok = only_fields(*body, {"drawer", "float"}); !ok) return error_response(ok.error());
  auto drawer = string_field(*body, "drawer");
  if (!drawer) return error_response(drawer.error());
  auto count = count_field(*body, "float", true);
  if (!count) return error_response(count.error());
  auto s = app.counter().open_session(ctx.actor, *drawer, *count);
  return s ? json_response(201, to_json(*s)) : error_response(s.error());
}

Response my_session(App& app, RequestContext& ctx) {
  auto s = app.counter().session_of(ctx.actor);
  return s ? json_response(200, to_json(*s)) : error_response(s.error());
}

Response get_session(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto s = app.counter().session(*id);
  if (!s) return error_response(s.error());
  bool overseer = can(app, ctx, "drawer.supervise") || can(app, ctx, "deposit.close");
  if (!overseer && s->cashier_id != ctx.actor.user_id.value)
    return error_response(Error::make(ErrorCode::kForbidden, "this is another cashier's session"));
  json::object o = to_json(*s);
  if (overseer) {
    auto t = app.counter().totals(*id);
    if (!t) return error_response(t.error());
    o["totals"] = to_json(*t);
  }
  return json_response(200, o);
}

Response count_session(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  if (auto ok = only_fields(*body, {"count", "reason"}); !ok) return error_response(ok.error());
  auto count = count_field(*body, "count", true);
  if (!count) return error_response(count.error());
  auto reason = string_field(*body, "reason", false);
  if (!reason) return error_response(reason.error());
  auto r = app.counter().count(ctx.actor, *id, *count, *reason);
  if (!r) return error_response(r.error());
  return json_response(200, json::object{{"session", to_json(r->session)},
                                         {"closed", r->closed},
                                         {"needs_reason", r->needs_reason}});
}

Response close_session(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  if (auto ok = only_fields(*body, {"reason"}); !ok) return error_response(ok.error());
  auto reason = string_field(*body, "reason", false);
  if (!reason) return error_response(reason.error());
  auto s = app.counter().close(ctx.actor, *id, *reason);
  return s ? json_response(200, to_json(*s)) : error_response(s.error());
}

// --- counter transactions -----------------------------------------------------------------

template <class T>
Result<T> named(Result<T> r, const std::string& prefix) {
  if (!r) {
    Error e = r.error();
    e.field = prefix + e.field;
    return std::unexpected(e);
  }
  return r;
}

Result<cashiering::CartItem> parse_item(const json::value& v, const std::string& f) {
  if (!v.is_object()) return fail(Error::invalid(f, f + " must be an object"));
  const auto& o = v.as_object();
  CD_TRY(only_fields(o, {"party_id", "obligation_id", "amount"}, f + "."));
  cashiering::CartItem it;
  CD_ASSIGN(it.party_id, named(int_field(o, "party_id"), f + "."));
  if (o.contains("obligation_id") && !o.at("obligation_id").is_null()) {
    CD_ASSIGN(it.obligation_id, named(int_field(o, "obligation_id"), f + "."));
  }
  CD_ASSIGN(it.amount, named(money_field(o, "amount"), f + "."));
  return it;
}

Result<cashiering::Tender> parse_tender(const json::value& v, const std::string& f) {
  if (!v.is_object()) return fail(Error::invalid(f, f + " must be an object"));
  const auto& o = v.as_object();
  CD_TRY(only_fields(
      o, {"kind", "amount", "check_number", "bank", "payer", "micr", "card_token", "ach_last4"},
      f + "."));
  cashiering::Tender t;
  CD_ASSIGN(t.kind, named(string_field(o, "kind"), f + "."));
  CD_ASSIGN(t.amount, named(money_field(o, "amount"), f + "."));
  CD_ASSIGN(t.check_number, named(string_field(o, "check_number", false), f + "."));
  CD_ASSIGN(t.bank, named(string_field(o, "bank", false), f + "."));
  CD_ASSIGN(t.payer, named(string_field(o, "payer", false), f + "."));
  CD_ASSIGN(t.micr, named(string_field(o, "micr", false), f + "."));
  CD_ASSIGN(t.card_token, named(string_field(o, "card_token", false), f + "."));
  CD_ASSIGN(t.ach_last4, named(string_field(o, "ach_last4", false), f + "."));
  return t;
}

Result<cashiering::CounterRequest> parse_cart(const json::object& o) {
  CD_TRY(only_fields(o, {"items", "tenders", "note"}));
  cashiering::CounterRequest r;
  for (const char* list : {"items", "tenders"}) {
    auto* v = o.if_contains(list);
    if (!v || !v->is_array())
      return fail(Error::invalid(list, std::string(list) + " must be a list"));
    if (v->as_array().size() > 100)
      return fail(Error::invalid(list, std::string(list) + " is too long"));
  }
  const auto& items = o.at("items").as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    CD_ASSIGN(auto it, parse_item(items[i], "items[" + std::to_string(i) + "]"));
    r.items.push_back(it);
  }
  const auto& tenders = o.at("tenders").as_array();
  for (std::size_t i = 0; i < tenders.size(); ++i) {
    CD_ASSIGN(auto t, parse_tender(tenders[i], "tenders[" + std::to_string(i) + "]"));
    r.tenders.push_back(std::move(t));
  }
  CD_ASSIGN(r.note, string_field(o, "note", false));
  return r;
}

// posted → 201; the card's answer lost → 202 (the reconciler resolves it); declined → 422.
Response transaction_response(const cashiering::CounterTransaction& t) {
  json::object body = to_json(t);
  if (t.status == "declined" || t.status == "failed") {
    json::object details{{"transaction", body}};
    return error_response(
        Error::make(ErrorCode::kUnprocessable,
                    t.status == "declined" ? "the card was declined; nothing was posted — take "
                                             "another tender as a new transaction"
                                           : "the transaction failed; nothing was posted",
                    "tenders"),
        &details);
  }
  int status = t.status == "posted" ? 201 : t.status == "voided" ? 200 : 202;
  return json_response(status, body);
}

Response create_transaction(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_cart, [&](cashiering::CounterRequest r) {
    r.idempotency_key = ctx.idempotency_key;
    auto t = app.counter().transact(ctx.actor, r);
    return t ? transaction_response(*t) : error_response(t.error());
  });
}

Response session_transactions(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto s = app.counter().session(*id);
  if (!s) return error_response(s.error());
  if (!can(app, ctx, "drawer.supervise") && s->cashier_id != ctx.actor.user_id.value)
    return error_response(Error::make(ErrorCode::kForbidden, "this is another cashier's session"));
  auto list = app.counter().session_transactions(*id);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& t : *list) items.push_back(to_json(t));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response get_transaction(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto t = app.counter().transaction(*id);
  if (!t) return error_response(t.error());
  if (!can(app, ctx, "drawer.supervise") && t->cashier_id != ctx.actor.user_id.value)
    return error_response(Error::make(ErrorCode::kForbidden,
                                      "this is another cashier's "
                                      "transaction"));
  return json_response(200, to_json(*t));
}

Response void_transaction(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(
      ctx,
      [](const json::object& o) -> Result<std::string> {
        CD_TRY(only_fields(o, {"reason"}));
        return string_field(o, "reason");
      },
      [&](const std::string& reason) {
        auto t = app.counter().void_transaction(ctx.actor, *id, reason);
        return t ? json_response(200, to_json(*t)) : error_response(t.error());
      });
}

Response reconcile(App& app, RequestContext& ctx) {
  auto r = app.counter().reconcile_cards(ctx.actor);
  if (!r) return error_response(r.error());
  json::array ids;
  for (auto id : r->transactions) ids.push_back(id);
  return json_response(200, json::object{{"approved", r->approved},
                                         {"declined", r->declined},
                                         {"still_unknown", r->still_unknown},
                                         {"transactions", std::move(ids)}});
}

// --- receipts -----------------------------------------------------------------------------

Result<cashiering::ReceiptRef> receipt_ref(const RequestContext& ctx) {
  return cashiering::parse_receipt_ref(ctx.request.path_params.at("number"),
                                       ctx.request.query_param("drawer"));
}

Response attachment(std::string type, const std::string& filename, std::string body) {
  Response r;
  r.content_type = std::move(type);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.body = std::move(body);
  return r;
}

Response get_receipt(App& app, RequestContext& ctx) {
  auto ref = receipt_ref(ctx);
  if (!ref) return error_response(ref.error());
  std::string format = ctx.request.query_param("format", "json");
  if (format != "json" && format != "pdf" && format != "escpos")
    return error_response(Error::invalid("format", "format must be json, pdf or escpos"));
  auto v = app.counter().receipt(*ref);
  if (!v) return error_response(v.error());
  if (format == "pdf") {
    auto pdf = cashiering::receipt_pdf(*v);
    if (!pdf) return error_response(pdf.error());
    return attachment("application/pdf", "receipt-" + v->label + ".pdf", std::move(*pdf));
  }
  if (format == "escpos")
    return attachment("application/octet-stream", "receipt-" + v->label + ".bin",
                      cashiering::receipt_escpos(*v));
  json::array items, tenders, lines;
  for (const auto& it : v->items)
    items.push_back(json::object{
        {"party_id", it.party_id},
        {"party_name", it.party_name},
        {"obligation_id", it.obligation_id ? json::value(it.obligation_id) : json::value(nullptr)},
        {"description", it.description},
        {"paid", plain(it.paid)},
        {"balance_left", plain(it.balance_left)}});
  for (const auto& t : v->tenders)
    tenders.push_back(json::object{{"label", t.label}, {"amount", plain(t.amount)}});
  for (const auto& l : cashiering::receipt_lines(*v)) lines.push_back(json::string(l));
  return json_response(200, json::object{{"receipt", v->label},
                                         {"drawer", v->drawer_code},
                                         {"number", v->number},
                                         {"status", v->status},
                                         {"issued", v->issued_local},
                                         {"cashier", v->cashier},
                                         {"items", std::move(items)},
                                         {"tenders", std::move(tenders)},
                                         {"total", plain(v->total)},
                                         {"change_due", plain(v->change)},
                                         {"lines", std::move(lines)}});
}

Response print_receipt(App& app, RequestContext& ctx) {
  auto ref = receipt_ref(ctx);
  if (!ref) return error_response(ref.error());
  auto printed = app.counter().print_receipt(ctx.actor, *ref);
  if (!printed) return error_response(printed.error());
  return json_response(200, json::object{{"printed", true}});
}

// --- reports and deposits -----------------------------------------------------------------

Result<CivilDate> date_param(App& app, const RequestContext& ctx) {
  std::string v = ctx.request.query_param("date");
  if (v.empty()) return app.ledger().today();
  return parse_date(v, "date");
}

Response balancing(App& app, RequestContext& ctx) {
  auto date = date_param(app, ctx);
  if (!date) return error_response(date.error());
  auto rep = app.counter().balancing(*date);
  if (!rep) return error_response(rep.error());
  json::array sessions, offices;
  for (const auto& s : rep->sessions)
    sessions.push_back(
        json::object{{"session", to_json(s.session)}, {"totals", to_json(s.totals)}});
  for (const auto& o : rep->offices)
    offices.push_back(json::object{
        {"office", o.office}, {"sessions", o.sessions}, {"totals", to_json(o.totals)}});
  return json_response(200, json::object{{"date", rep->date},
                                         {"sessions", std::move(sessions)},
                                         {"offices", std::move(offices)}});
}

Response daily_receipts(App& app, RequestContext& ctx) {
  auto date = date_param(app, ctx);
  if (!date) return error_response(date.error());
  auto rep = app.counter().daily_receipts(*date);
  if (!rep) return error_response(rep.error());
  json::array funds;
  for (const auto& f : rep->funds)
    funds.push_back(json::object{{"fund", f.fund},
                                 {"fund_name", f.fund_name},
                                 {"by_channel", money_map(f.by_channel)},
                                 {"received", plain(f.received)},
                                 {"voided", plain(f.voided)},
                                 {"net", plain(f.net)}});
  return json_response(200, json::object{{"date", rep->date},
                                         {"funds", std::move(funds)},
                                         {"received", plain(rep->received)},
                                         {"voided", plain(rep->voided)},
                                         {"net", plain(rep->net)}});
}

Response list_deposits(App& app, RequestContext& ctx) {
  auto ready = app.counter().ready_deposits();
  if (!ready) return error_response(ready.error());
  auto list = app.counter().deposits(ctx.request.query_param("status"));
  if (!list) return error_response(list.error());
  json::array r, items;
  for (const auto& d : *ready) r.push_back(to_json(d));
  for (const auto& d : *list) items.push_back(to_json(d));
  return json_response(200, json::object{{"ready", std::move(r)}, {"items", std::move(items)}});
}

Response get_deposit(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto d = app.counter().deposit(*id);
  return d ? json_response(200, to_json(*d)) : error_response(d.error());
}

Response prepare_deposit(App& app, RequestContext& ctx) {
  return with_body(
      ctx,
      [](const json::object& o) -> Result<std::string> {
        CD_TRY(only_fields(o, {"bank_account"}));
        return string_field(o, "bank_account");
      },
      [&](const std::string& bank) {
        auto d = app.counter().prepare_deposit(ctx.actor, bank);
        return d ? json_response(201, to_json(*d)) : error_response(d.error());
      });
}

Response close_deposit(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(
      ctx,
      [](const json::object& o) -> Result<std::string> {
        CD_TRY(only_fields(o, {"bank_reference"}));
        return string_field(o, "bank_reference");
      },
      [&](const std::string& reference) {
        auto d = app.counter().close_deposit(ctx.actor, *id, reference);
        return d ? json_response(200, to_json(*d)) : error_response(d.error());
      });
}

// --- revolving funds ----------------------------------------------------------------------

Response list_funds(App& app, RequestContext&) {
  auto list = app.counter().revolving_funds();
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& f : *list) items.push_back(to_json(f));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response get_fund(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto f = app.counter().revolving_fund(*id);
  return f ? json_response(200, to_json(*f)) : error_response(f.error());
}

Result<cashiering::RevolvingFundInput> parse_fund(const json::object& o) {
  CD_TRY(only_fields(o, {"code", "name", "kind", "custodian", "authorized_amount"}));
  cashiering::RevolvingFundInput in;
  CD_ASSIGN(in.code, string_field(o, "code"));
  CD_ASSIGN(in.name, string_field(o, "name"));
  CD_ASSIGN(in.kind, string_field(o, "kind"));
  CD_ASSIGN(in.custodian, string_field(o, "custodian"));
  CD_ASSIGN(in.authorized, money_field(o, "authorized_amount"));
  return in;
}

Response create_fund(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_fund, [&](const cashiering::RevolvingFundInput& in) {
    auto f = app.counter().create_revolving_fund(ctx.actor, in);
    return f ? json_response(201, to_json(*f)) : error_response(f.error());
  });
}

Response count_fund(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  if (auto ok = only_fields(*body, {"count", "receipts", "note"}); !ok)
    return error_response(ok.error());
  auto count = count_field(*body, "count", true);
  if (!count) return error_response(count.error());
  std::vector<cashiering::ExpenseReceipt> receipts;
  if (auto* v = body->if_contains("receipts"); v && !v->is_null()) {
    if (!v->is_array() || v->as_array().size() > cashiering::kMaxFundReceipts)
      return error_response(Error::invalid("receipts", "receipts must be a list (at most 200)"));
    for (std::size_t i = 0; i < v->as_array().size(); ++i) {
      std::string f = "receipts[" + std::to_string(i) + "]";
      const auto& x = v->as_array()[i];
      if (!x.is_object()) return error_response(Error::invalid(f, f + " must be an object"));
      auto d = named(string_field(x.as_object(), "description"), f + ".");
      if (!d) return error_response(d.error());
      auto a = named(money_field(x.as_object(), "amount"), f + ".");
      if (!a) return error_response(a.error());
      receipts.push_back({*d, *a});
    }
  }
  auto note = string_field(*body, "note", false);
  if (!note) return error_response(note.error());
  auto c = app.counter().count_revolving_fund(ctx.actor, *id, *count, receipts, *note);
  return c ? json_response(201, to_json(*c)) : error_response(c.error());
}

Response replenish_fund(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  if (auto ok = only_fields(*body, {"amount", "note"}); !ok) return error_response(ok.error());
  std::optional<Money> amount;
  if (body->contains("amount") && !body->at("amount").is_null()) {
    auto a = money_field(*body, "amount");
    if (!a) return error_response(a.error());
    amount = *a;
  }
  auto note = string_field(*body, "note", false);
  if (!note) return error_response(note.error());
  auto r = app.counter().request_replenishment(ctx.actor, *id, amount, *note);
  return r ? json_response(201, to_json(*r)) : error_response(r.error());
}

// --- the sandbox card terminal ------------------------------------------------------------------

// What a card terminal does at a real counter: the card number goes in, the gateway's token comes
// out. Only the sandbox gateway offers it (demo and tests); the number is used to make the token
// and is not logged or kept. A City with a real gateway tokenizes on the terminal itself.
Response sandbox_card_terminal(App& app, RequestContext& ctx) {
  if (dynamic_cast<cashiering::SandboxGateway*>(&app.counter().gateway()) == nullptr)
    return error_response(Error::make(ErrorCode::kNotFound,
                                      "the card terminal tokenizes cards; this route serves only "
                                      "the sandbox gateway"));
  auto body = json_body(ctx.request);
  if (!body) return error_response(body.error());
  if (auto ok = only_fields(*body, {"card_number"}); !ok) return error_response(ok.error());
  auto number = string_field(*body, "card_number");
  if (!number) return error_response(number.error());
  auto token = cashiering::SandboxGateway::tokenize(*number);
  if (!token) return error_response(token.error());
  auto info = app.counter().gateway().describe(*token);
  if (!info) return error_response(info.error());
  return json_response(
      200, json::object{
               {"card_token", *token}, {"card_brand", info->brand}, {"card_last4", info->last4}});
}

}  // namespace

void add_counter_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn, bool idem) {
    Route route{method, path, Access::kPermission, perm, bind(fn)};
    route.idempotent = idem;
    r.add(std::move(route));
  };
  constexpr const char* kCashier = "cashier.operate";
  constexpr const char* kCashierOrSupervisor = "cashier.operate|drawer.supervise";
  constexpr const char* kCounterStaff = "cashier.operate|drawer.supervise|deposit.close";
  constexpr const char* kOversight = "drawer.supervise|deposit.close";
  add("GET", "/api/v1/drawers", kCounterStaff, list_drawers, false);
  add("POST", "/api/v1/drawers", "drawer.supervise", create_drawer, false);
  add("PATCH", "/api/v1/drawers/{code}", "drawer.supervise", update_drawer, false);
  add("POST", "/api/v1/sessions", kCashier, open_session, false);
  add("GET", "/api/v1/sessions/{id}", kCounterStaff, get_session, false);
  add("GET", "/api/v1/sessions/{id}/transactions", kCashierOrSupervisor, session_transactions,
      false);
  add("POST", "/api/v1/sessions/{id}/count", kCashierOrSupervisor, count_session, true);
  add("POST", "/api/v1/sessions/{id}/close", kCashierOrSupervisor, close_session, true);
  add("GET", "/api/v1/counter/session", kCashier, my_session, false);
  add("POST", "/api/v1/counter/transactions", kCashier, create_transaction, true);
  add("GET", "/api/v1/counter/transactions/{id}", kCashierOrSupervisor, get_transaction, false);
  add("POST", "/api/v1/counter/transactions/{id}/void", "drawer.supervise", void_transaction, true);
  add("POST", "/api/v1/counter/reconcile", kCashierOrSupervisor, reconcile, true);
  add("POST", "/api/v1/counter/card-terminal", kCashier, sandbox_card_terminal, false);
  add("GET", "/api/v1/receipts/{number}", "ledger.read", get_receipt, false);
  add("POST", "/api/v1/receipts/{number}/print", kCashierOrSupervisor, print_receipt, false);
  add("GET", "/api/v1/reports/balancing", kOversight, balancing, false);
  add("GET", "/api/v1/reports/daily-receipts", kOversight, daily_receipts, false);
  add("GET", "/api/v1/deposits", kOversight, list_deposits, false);
  add("POST", "/api/v1/deposits", kOversight, prepare_deposit, false);
  add("GET", "/api/v1/deposits/{id}", kOversight, get_deposit, false);
  add("POST", "/api/v1/deposits/{id}/close", "deposit.close", close_deposit, true);
  add("GET", "/api/v1/revolving-funds", kCounterStaff, list_funds, false);
  add("POST", "/api/v1/revolving-funds", "deposit.close", create_fund, false);
  add("GET", "/api/v1/revolving-funds/{id}", kCounterStaff, get_fund, false);
  add("POST", "/api/v1/revolving-funds/{id}/counts", kCounterStaff, count_fund, false);
  add("POST", "/api/v1/revolving-funds/{id}/replenishments", kCounterStaff, replenish_fund, false);
}

}  // namespace civicdesk::http
