#include "http/ledger_json.h"

#include "core/timestamp.h"

namespace civicdesk::http {
namespace json = boost::json;

json::object to_json(const ledger::Obligation& o) {
  json::array lines;
  for (const auto& l : o.lines)
    lines.push_back(json::object{{"id", l.id},
                                 {"line_no", l.line_no},
                                 {"description", l.description},
                                 {"revenue_account", l.revenue_account},
                                 {"fund", l.fund},
                                 {"amount", format_plain(l.amount)},
                                 {"balance", format_plain(l.balance)},
                                 {"is_penalty", l.is_penalty}});
  return json::object{{"id", o.id},
                      {"party_id", o.party_id},
                      {"account_ref", o.account_ref},
                      {"kind", o.kind},
                      {"description", o.description},
                      {"due_date", o.due_date.iso()},
                      {"status", o.status},
                      {"original", format_plain(o.original)},
                      {"balance", format_plain(o.balance)},
                      {"written_off", format_plain(o.written_off)},
                      {"source_ref", o.source_ref},
                      {"created_at", iso_utc(o.created_us)},
                      {"lines", std::move(lines)}};
}

json::object to_json(const ledger::Payment& p) {
  return json::object{{"id", p.id},
                      {"party_id", p.party_id},
                      {"entry_id", p.entry_id},
                      {"tender", p.tender},
                      {"channel", p.channel},
                      {"payer", p.payer},
                      {"reference", p.reference},
                      {"status", p.status},
                      {"amount", format_plain(p.amount)},
                      {"unapplied", format_plain(p.unapplied)},
                      {"received_at", iso_utc(p.received_us)},
                      {"transferred_from_payment_id", p.transferred_from_payment_id}};
}

json::object to_json(const ledger::PaymentResult& r) {
  json::array allocations;
  for (const auto& a : r.allocations)
    allocations.push_back(json::object{{"obligation_id", a.obligation_id},
                                       {"line_id", a.line_id},
                                       {"fund", a.fund},
                                       {"amount", format_plain(Money::from_cents(a.amount_cents))}});
  return json::object{{"payment", to_json(r.payment)}, {"allocations", std::move(allocations)}};
}

json::object to_json(const ledger::Approval& a) {
  return json::object{{"id", a.id},
                      {"kind", a.kind},
                      {"status", a.status},
                      {"party_id", a.party_id},
                      {"obligation_id", a.obligation_id},
                      {"amount", format_plain(a.amount)},
                      {"reason", a.reason},
                      {"note", a.note},
                      {"requested_by", a.requested_by_name},
                      {"requested_at", iso_utc(a.requested_us)},
                      {"decided_by", a.decided_by_name},
                      {"decided_at", a.decided_us ? json::value(iso_utc(a.decided_us)) : nullptr},
                      {"decision_note", a.decision_note},
                      {"entry_id", a.result_entry_id}};
}

json::object to_json(const ledger::Refund& r) {
  return json::object{{"id", r.id},         {"party_id", r.party_id},
                      {"approval_id", r.approval_id},
                      {"amount", format_plain(r.amount)},
                      {"method", r.method}, {"status", r.status},
                      {"check_number", r.check_number}};
}

json::object to_json(const ledger::EntrySummary& e) {
  return json::object{{"id", e.id},
                      {"kind", e.kind},
                      {"posting_date", e.posting_date.iso()},
                      {"at", iso_utc(e.at_us)},
                      {"memo", e.memo},
                      {"username", e.username},
                      {"receivable_change", format_plain(e.receivable_change)},
                      {"credit_change", format_plain(e.credit_change)},
                      {"reverses_entry_id", e.reverses_entry_id}};
}

json::object to_json(const ledger::PartyBalance& b) {
  return json::object{{"receivable", format_plain(b.receivable)},
                      {"credit", format_plain(b.credit)},
                      {"returned_payments", b.returned_payments}};
}

Result<Money> money_field(const json::object& o, std::string_view key) {
  std::string k(key);
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return fail(Error::invalid(k, k + " is required"));
  if (!v->is_string())
    return fail(Error::invalid(k, k + " must be a decimal string such as \"12.34\""));
  return parse_money(std::string(v->as_string()), k);
}

Result<std::vector<std::int64_t>> id_list(const json::object& o, std::string_view key) {
  std::vector<std::int64_t> out;
  auto* v = o.if_contains(key);
  if (!v || v->is_null()) return out;
  std::string k(key);
  if (!v->is_array()) return fail(Error::invalid(k, k + " must be a list of ids"));
  for (std::size_t i = 0; i < v->as_array().size(); ++i) {
    const auto& x = v->as_array()[i];
    if (!x.is_int64())
      return fail(Error::invalid(k + "[" + std::to_string(i) + "]", "must be an id"));
    out.push_back(x.as_int64());
  }
  return out;
}

}  // namespace civicdesk::http
