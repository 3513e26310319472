// The mail room's API: mail log, department work queues, remittance batches, the remittance
// exception queue and lockbox imports (remittance/mailroom.h). Posting a batch, resolving an
// exception and importing a lockbox file move money: they are idempotent routes
// (Idempotency-Key required), and underneath every item posts under its own ledger key.
#include <initializer_list>

#include <charconv>

#include "http/api.h"
#include "http/json_util.h"
#include "http/ledger_json.h"
#include "http/route_util.h"
#include "remittance/mailroom.h"

namespace civicdesk::http {
namespace json = boost::json;
namespace {

using remittance::Batch;
using remittance::BatchItem;
using Fn = Response (*)(App&, RequestContext&);

Result<std::int64_t> optional_int(const json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::int64_t{0};
  return int_field(o, key);
}

json::object to_json(const remittance::MailPiece& m) {
  return json::object{{"id", m.id},
                      {"received_date", m.received_date},
                      {"kind", m.kind},
                      {"from_name", m.from_name},
                      {"party_id", opt_id(m.party_id)},
                      {"subject", m.subject},
                      {"note", m.note},
                      {"routed_to", m.routed_to},
                      {"batch_id", opt_id(m.batch_id)},
                      {"department", opt_text(m.department)},
                      {"queue_item_id", opt_id(m.queue_item_id)},
                      {"due_date", opt_text(m.due_date)},
                      {"logged_by", m.logged_by_name}};
}

json::object to_json(const remittance::QueueItem& q) {
  return json::object{{"id", q.id},
                      {"mail_id", q.mail_id},
                      {"department", q.department},
                      {"kind", q.kind},
                      {"subject", q.subject},
                      {"from_name", q.from_name},
                      {"party_id", opt_id(q.party_id)},
                      {"received_date", q.received_date},
                      {"due_date", q.due_date},
                      {"status", q.status},
                      {"overdue", q.overdue},
                      {"completed_by", opt_text(q.completed_by_name)},
                      {"resolution", q.resolution}};
}

json::object to_json(const BatchItem& i) {
  return json::object{
      {"id", i.id},
      {"batch_id", i.batch_id},
      {"seq", i.seq},
      {"entry_method", i.entry_method},
      {"scanline", i.scanline},
      {"account_number", opt_text(i.account_number)},
      {"account_ref", opt_text(i.account_ref)},
      {"party_id", opt_id(i.party_id)},
      {"stub_amount", i.stub_amount ? json::value(format_plain(*i.stub_amount)) : nullptr},
      {"check_amount", format_plain(i.check_amount)},
      {"check_number", i.check_number},
      {"payer", i.payer},
      {"mail_id", opt_id(i.mail_id)},
      {"status", i.status},
      {"exception_reason", opt_text(i.exception_reason)},
      {"exception_id", opt_id(i.exception_id)},
      {"payment_id", opt_id(i.payment_id)}};
}

json::object to_json(const Batch& b) {
  json::object o{{"id", b.id},
                 {"source", b.source},
                 {"batch_date", b.batch_date},
                 {"status", b.status},
                 {"control_count", b.control_count},
                 {"control_total", format_plain(b.control_total)},
                 {"item_count", b.item_count},
                 {"item_total", format_plain(b.item_total)},
                 {"count_difference", b.count_difference},
                 {"total_difference", format_plain(b.total_difference)},
                 {"balanced", b.balanced},
                 {"ready_count", b.ready_count},
                 {"exception_count", b.exception_count},
                 {"returned_count", b.returned_count},
                 {"posted_count", b.posted_count},
                 {"posted_total", format_plain(b.posted_total)},
                 {"lockbox_import_id", opt_id(b.lockbox_import_id)},
                 {"bank_batch", opt_id(b.bank_batch)},
                 {"note", b.note},
                 {"created_by", b.created_by_name}};
  json::array items;
  for (const auto& i : b.items) items.push_back(to_json(i));
  o["items"] = std::move(items);
  return o;
}

json::object to_json(const remittance::RemittanceException& e) {
  return json::object{{"id", e.id},
                      {"reason", e.reason},
                      {"message", e.message},
                      {"status", e.status},
                      {"source", e.source},
                      {"item", to_json(e.item)},
                      {"resolved_by", opt_text(e.resolved_by_name)},
                      {"resolution_note", e.resolution_note}};
}

json::object to_json(const remittance::LockboxImport& i) {
  json::array batches;
  for (auto id : i.batch_ids) batches.push_back(id);
  return json::object{{"id", i.id},
                      {"file_id", i.file_id},
                      {"origin", i.origin},
                      {"file_date", i.file_date},
                      {"status", i.status},
                      {"batch_count", i.batch_count},
                      {"item_count", i.item_count},
                      {"total", format_plain(i.total)},
                      {"processed_count", i.processed_count},
                      {"posted_count", i.posted_count},
                      {"posted_total", format_plain(i.posted_total)},
                      {"exception_count", i.exception_count},
                      {"exception_total", format_plain(i.exception_total)},
                      {"batch_ids", std::move(batches)},
                      {"posted_now", i.posted_now},
                      {"already_imported", i.already_imported}};
}

// --- mail log and queues --------------------------------------------------------------------

Result<remittance::MailInput> parse_mail(const json::object& o) {
  CD_TRY(only_fields(o, {"received_date", "kind", "from_name", "party_id", "subject", "note",
                         "batch_id", "department"}));
  remittance::MailInput m;
  CD_ASSIGN(m.received_date, string_field(o, "received_date", false));
  CD_ASSIGN(m.kind, string_field(o, "kind"));
  CD_ASSIGN(m.from_name, string_field(o, "from_name"));
  CD_ASSIGN(m.party_id, optional_int(o, "party_id"));
  CD_ASSIGN(m.subject, string_field(o, "subject", false));
  CD_ASSIGN(m.note, string_field(o, "note", false));
  CD_ASSIGN(m.batch_id, optional_int(o, "batch_id"));
  CD_ASSIGN(m.department, string_field(o, "department", false));
  return m;
}

Response log_mail(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_mail, [&](const remittance::MailInput& m) {
    auto piece = app.mailroom().log_mail(ctx.actor, m);
    return piece ? json_response(201, to_json(*piece)) : error_response(piece.error());
  });
}

Response list_mail(App& app, RequestContext& ctx) {
  CivilDate date = app.ledger().today();
  std::string text = ctx.request.query_param("date");
  if (!text.empty()) {
    auto d = parse_date(text, "date");
    if (!d) return error_response(d.error());
    date = *d;
  }
  auto list = app.mailroom().mail_on(date);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& m : *list) items.push_back(to_json(m));
  return json_response(200, json::object{{"date", date.iso()}, {"items", std::move(items)}});
}

Response list_queue(App& app, RequestContext& ctx) {
  auto list = app.mailroom().queue(ctx.actor, ctx.request.query_param("department"),
                                   ctx.request.query_param("status", "open"));
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& q : *list) items.push_back(to_json(q));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response complete_queue_item(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto parse = [](const json::object& o) -> Result<std::string> {
    CD_TRY(only_fields(o, {"resolution"}));
    return string_field(o, "resolution");
  };
  return with_body(ctx, parse, [&](const std::string& resolution) {
    auto q = app.mailroom().complete_queue_item(ctx.actor, *id, resolution);
    return q ? json_response(200, to_json(*q)) : error_response(q.error());
  });
}

// --- batches --------------------------------------------------------------------------------

Result<remittance::BatchInput> parse_batch(const json::object& o) {
  CD_TRY(only_fields(o, {"batch_date", "control_count", "control_total", "note"}));
  remittance::BatchInput b;
  CD_ASSIGN(b.batch_date, string_field(o, "batch_date", false));
  CD_ASSIGN(b.control_count, int_field(o, "control_count"));
  CD_ASSIGN(b.control_total, money_field(o, "control_total"));
  CD_ASSIGN(b.note, string_field(o, "note", false));
  return b;
}

Response open_batch(App& app, RequestContext& ctx) {
  return with_body(ctx, parse_batch, [&](const remittance::BatchInput& in) {
    auto b = app.mailroom().open_batch(ctx.actor, in);
    return b ? json_response(201, to_json(*b)) : error_response(b.error());
  });
}

Response list_batches(App& app, RequestContext& ctx) {
  auto list = app.mailroom().batches(ctx.request.query_param("status", "open"));
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& b : *list) {
    json::object o = to_json(b);
    o.erase("items");
    items.push_back(std::move(o));
  }
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response get_batch(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto b = app.mailroom().batch(*id, true);
  return b ? json_response(200, to_json(*b)) : error_response(b.error());
}

Result<remittance::ItemInput> parse_item(const json::object& o) {
  CD_TRY(only_fields(o, {"scanline", "account_number", "amount_due", "check_amount", "check_number",
                         "payer", "mail_id"}));
  remittance::ItemInput i;
  CD_ASSIGN(i.scanline, string_field(o, "scanline", false));
  CD_ASSIGN(i.account_number, string_field(o, "account_number", false));
  if (auto* v = o.if_contains("amount_due"); v && !v->is_null()) {
    CD_ASSIGN(i.amount_due, money_field(o, "amount_due"));
  }
  CD_ASSIGN(i.check_amount, money_field(o, "check_amount"));
  CD_ASSIGN(i.check_number, string_field(o, "check_number", false));
  CD_ASSIGN(i.payer, string_field(o, "payer", false));
  CD_ASSIGN(i.mail_id, optional_int(o, "mail_id"));
  return i;
}

Response add_item(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(ctx, parse_item, [&](const remittance::ItemInput& in) {
    auto item = app.mailroom().add_item(ctx.actor, *id, in);
    if (!item) return error_response(item.error());
    auto b = app.mailroom().batch(*id, false);
    if (!b) return error_response(b.error());
    json::object batch = to_json(*b);
    batch.erase("items");
    return json_response(201, json::object{{"item", to_json(*item)}, {"batch", batch}});
  });
}

Response remove_item(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto item = path_id(ctx, "item_id");
  if (!item) return error_response(item.error());
  auto b = app.mailroom().remove_item(ctx.actor, *id, *item);
  return b ? json_response(200, to_json(*b)) : error_response(b.error());
}

Response post_batch(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto r = app.mailroom().post_batch(ctx.actor, *id);
  if (!r) return error_response(r.error());
  json::object batch = to_json(r->batch);
  batch.erase("items");
  return json_response(200, json::object{{"batch", batch},
                                         {"posted_now", r->posted_now},
                                         {"posted_now_total", format_plain(r->posted_now_total)}});
}

// --- exceptions -----------------------------------------------------------------------------

Response list_exceptions(App& app, RequestContext& ctx) {
  auto list = app.mailroom().exceptions(ctx.request.query_param("status", "open"));
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& e : *list) items.push_back(to_json(e));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Result<remittance::Resolution> parse_resolution(const json::object& o) {
  CD_TRY(only_fields(o, {"action", "account_number", "party_id", "note"}));
  remittance::Resolution r;
  CD_ASSIGN(r.action, string_field(o, "action"));
  CD_ASSIGN(r.account_number, string_field(o, "account_number", false));
  CD_ASSIGN(r.party_id, optional_int(o, "party_id"));
  CD_ASSIGN(r.note, string_field(o, "note", false));
  return r;
}

Response resolve_exception(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  return with_body(ctx, parse_resolution, [&](const remittance::Resolution& r) {
    auto e = app.mailroom().resolve_exception(ctx.actor, *id, r);
    return e ? json_response(200, to_json(*e)) : error_response(e.error());
  });
}

// --- lockbox --------------------------------------------------------------------------------

Response import_lockbox(App& app, RequestContext& ctx) {
  std::string content;
  if (ctx.request.header("Content-Type").starts_with("text/plain")) {
    content = ctx.request.body;
  } else {
    auto body = json_body(ctx.request);
    if (!body) return error_response(body.error());
    if (auto ok = only_fields(*body, {"content"}); !ok) return error_response(ok.error());
    auto c = string_field(*body, "content");
    if (!c) return error_response(c.error());
    content = std::move(*c);
  }
  auto i = app.mailroom().import_lockbox(ctx.actor, content);
  if (!i) return error_response(i.error());
  return json_response(i->already_imported ? 200 : 201, to_json(*i));
}

Response list_lockbox_imports(App& app, RequestContext& ctx) {
  std::int64_t limit = 50;
  if (std::string text = ctx.request.query_param("limit"); !text.empty()) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc{} || end != text.data() + text.size() || limit < 1 ||
        limit > static_cast<std::int64_t>(kMaxPageSize))
      return error_response(
          Error::invalid("limit", "limit is a number from 1 to " + std::to_string(kMaxPageSize)));
  }
  auto list = app.mailroom().lockbox_imports(limit);
  if (!list) return error_response(list.error());
  json::array items;
  for (const auto& i : *list) items.push_back(to_json(i));
  return json_response(200, json::object{{"items", std::move(items)}});
}

Response get_lockbox_import(App& app, RequestContext& ctx) {
  auto id = path_id(ctx);
  if (!id) return error_response(id.error());
  auto i = app.mailroom().lockbox_import(*id);
  return i ? json_response(200, to_json(*i)) : error_response(i.error());
}

}  // namespace

void add_mailroom_routes(Router& r, App& app) {
  auto bind = [&app](Fn fn) { return [&app, fn](RequestContext& ctx) { return fn(app, ctx); }; };
  auto add = [&](const char* method, const char* path, const char* perm, Fn fn, bool idem) {
    Route route{method, path, Access::kPermission, perm, bind(fn)};
    route.idempotent = idem;
    r.add(std::move(route));
  };
  // Queues are visible by department (checked in MailRoom), so any signed-in user may ask.
  auto signed_in = [&](const char* method, const char* path, Fn fn) {
    r.add(Route{method, path, Access::kSignedIn, "", bind(fn)});
  };
  add("POST", "/api/v1/mail", "mail.log", log_mail, false);
  add("GET", "/api/v1/mail", "mail.log", list_mail, false);
  signed_in("GET", "/api/v1/queues", list_queue);
  signed_in("POST", "/api/v1/queues/items/{id}/complete", complete_queue_item);
  add("GET", "/api/v1/batches", "batch.post", list_batches, false);
  add("POST", "/api/v1/batches", "batch.post", open_batch, false);
  add("GET", "/api/v1/batches/{id}", "batch.post", get_batch, false);
  add("POST", "/api/v1/batches/{id}/items", "batch.post", add_item, true);
  add("POST", "/api/v1/batches/{id}/items/{item_id}/remove", "batch.post", remove_item, false);
  add("POST", "/api/v1/batches/{id}/post", "batch.post", post_batch, true);
  add("GET", "/api/v1/remittance/exceptions", "payment.transfer", list_exceptions, false);
  add("POST", "/api/v1/remittance/exceptions/{id}/resolve", "payment.transfer", resolve_exception,
      true);
  Route lockbox{"POST", "/api/v1/lockbox/imports", Access::kPermission, "batch.post",
                bind(import_lockbox)};
  lockbox.idempotent = true;
  lockbox.accepts_text = true;  // the file as the bank sent it
  r.add(std::move(lockbox));
  add("GET", "/api/v1/lockbox/imports", "batch.post", list_lockbox_imports, false);
  add("GET", "/api/v1/lockbox/imports/{id}", "batch.post", get_lockbox_import, false);
}

}  // namespace civicdesk::http
