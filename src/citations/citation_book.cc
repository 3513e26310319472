#include "citations/citation_book.h"

#include <boost/json.hpp>

#include <algorithm>

#include "audit/audit_log.h"
#include "citations/dmv_book.h"
#include "citations/issuance_fields.h"
#include "core/crash_point.h"
#include "core/limits.h"
#include "ledger/posting.h"
#include "search/search_index.h"
#include "security/crypto.h"

namespace civicdesk::citations {
namespace json = boost::json;
namespace {

constexpr std::string_view kHolderName = "Parking citations: registered owner not yet known";
// The configured adjustment reason a reduced fine posts under.
constexpr std::string_view kReductionReason = "BILLING_ERROR";

std::vector<CivilDate> holiday_dates(const CityConfig& city) {
  std::vector<CivilDate> out;
  for (const auto& h : city.holidays) out.push_back(h.date);
  return out;
}

std::string account_ref_for(const IssuanceRecord& r) {
  if (r.plate.empty()) return "citation:" + r.citation_number;
  return "plate:" + (r.plate_state.empty() ? std::string("XX") : r.plate_state) + ":" + r.plate;
}

store::Value opt_date(const std::optional<CivilDate>& d) {
  return d ? store::Value{d->iso()} : store::null();
}

Result<std::optional<CivilDate>> read_opt_date(const store::Row& row, std::size_t i) {
  if (row.is_null(i)) return std::optional<CivilDate>{};
  CD_ASSIGN(auto d, parse_date(row.text(i), "date"));
  return std::optional<CivilDate>{d};
}

// Columns of kSelect, in order.
constexpr std::string_view kSelect =
    "SELECT c.id, c.number, c.status, c.dmv_hold, c.issued_on, c.issued_minute, c.location, "
    "c.violation_code, c.fine_cents, c.written_fine_cents, c.plate, c.plate_state, c.make, "
    "c.color, c.vin, c.officer_id, c.device_id, c.notes, c.owner_party_id, c.obligation_id, "
    "c.next_step_due_on, c.notice_mailed_on, c.decision_on, c.hearing_on, c.source, "
    "(SELECT o.balance_cents FROM obligations o WHERE o.id = c.obligation_id) + "
    "COALESCE((SELECT SUM(o2.balance_cents) FROM citation_steps s JOIN obligations o2 "
    "ON o2.id = s.obligation_id WHERE s.citation_id = c.id), 0), "
    "COALESCE((SELECT SUM(s2.amount_cents) FROM citation_steps s2 WHERE s2.citation_id = c.id), "
    "0), "
    "(SELECT o3.party_id FROM obligations o3 WHERE o3.id = c.obligation_id) "
    "FROM citations c ";

Result<Citation> read_citation(const store::Row& row) {
  Citation ct;
  ct.id = row.integer(0);
  auto& r = ct.record;
  r.citation_number = row.text(1);
  CD_ASSIGN(ct.state.status, parse_citation_status(row.text(2)));
  ct.state.dmv_hold = row.integer(3) != 0;
  CD_ASSIGN(r.issued_on, parse_date(row.text(4), "issued_on"));
  if (!row.is_null(5)) r.issued_minute = static_cast<int>(row.integer(5));
  r.location = row.text(6);
  r.violation_code = row.text(7);
  ct.fine = Money::from_cents(row.integer(8));
  if (!row.is_null(9)) r.fine = Money::from_cents(row.integer(9));
  r.plate = row.text(10);
  r.plate_state = row.text(11);
  r.make = row.text(12);
  r.color = row.text(13);
  r.vin = row.text(14);
  r.officer_id = row.text(15);
  r.device_id = row.text(16);
  r.notes = row.text(17);
  ct.owner_party_id = row.is_null(18) ? 0 : row.integer(18);
  ct.obligation_id = row.integer(19);
  CD_ASSIGN(ct.next_step_due_on, read_opt_date(row, 20));
  CD_ASSIGN(ct.notice_mailed_on, read_opt_date(row, 21));
  CD_ASSIGN(ct.decision_on, read_opt_date(row, 22));
  CD_ASSIGN(ct.hearing_on, read_opt_date(row, 23));
  ct.source = row.text(24);
  ct.amount_due = Money::from_cents(row.is_null(25) ? 0 : row.integer(25));
  ct.penalties = Money::from_cents(row.integer(26));
  ct.ledger_party_id = row.integer(27);
  return ct;
}

Result<std::optional<Citation>> find_by_number(store::Connection& c, const std::string& number) {
  CD_ASSIGN(auto rows, c.query(std::string(kSelect) + "WHERE c.number = ?", {number}));
  if (rows.empty()) return std::optional<Citation>{};
  CD_ASSIGN(auto ct, read_citation(rows[0]));
  return std::optional<Citation>{std::move(ct)};
}

Result<Citation> load_by_number(store::Connection& c, const std::string& number) {
  CD_ASSIGN(auto found, find_by_number(c, number));
  if (!found) return fail(ErrorCode::kNotFound, "no citation numbered " + number, "number");
  return std::move(*found);
}

Result<EscalationHistory> load_history(store::Connection& c, const Citation& ct) {
  EscalationHistory h;
  h.issued_on = ct.record.issued_on;
  h.state = ct.state;
  h.fine = ct.fine;
  CD_ASSIGN(auto sus, c.query("SELECT reason, from_on, until_on FROM citation_suspensions "
                              "WHERE citation_id = ? ORDER BY id",
                              {ct.id}));
  for (const auto& row : sus) {
    Suspension s;
    s.reason = row.text(0) == "plan" ? SuspensionReason::kPlan : SuspensionReason::kContest;
    CD_ASSIGN(s.from, parse_date(row.text(1), "from_on"));
    CD_ASSIGN(s.until, read_opt_date(row, 2));
    h.suspensions.push_back(s);
  }
  CD_ASSIGN(auto steps, c.query("SELECT step_number FROM citation_steps WHERE citation_id = ? "
                                "ORDER BY step_number",
                                {ct.id}));
  for (const auto& row : steps) h.steps_done.push_back(static_cast<int>(row.integer(0)));
  return h;
}

Result<void> record_event(store::Connection& c, std::int64_t citation_id, std::string_view event,
                          CitationState from, CitationState to, CivilDate on,
                          const std::string& reason, const Actor& actor,
                          const std::string& approved_by, Timestamp now_us) {
  CD_TRY(
      c.exec("INSERT INTO citation_events (citation_id, event, from_status, to_status, "
             "dmv_hold, event_on, reason, actor_name, approved_by_name, at_us) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
             {citation_id, std::string(event), std::string(to_string(from.status)),
              std::string(to_string(to.status)), std::int64_t{to.dmv_hold}, on.iso(), reason,
              actor.username, approved_by, now_us}));
  return {};
}

Result<void> audit(store::Connection& c, const Actor& actor, Timestamp now_us,
                   const std::string& action, std::int64_t id, const json::object& after) {
  return audit::append(
      c, actor, now_us,
      {action, "citation", std::to_string(id), std::nullopt, json::serialize(after)});
}

json::object summary(const Citation& ct) {
  return json::object{{"number", ct.record.citation_number},
                      {"status", std::string(to_string(ct.state.status))},
                      {"dmv_hold", ct.state.dmv_hold},
                      {"fine", format_plain(ct.fine)}};
}

}  // namespace

Result<IssuanceFormat> parse_issuance_format(std::string_view text) {
  if (text.empty() || text == "civicdesk") return IssuanceFormat::kCivicdesk;
  if (text == "sf") return IssuanceFormat::kSf;
  if (text == "nyc") return IssuanceFormat::kNyc;
  return fail(Error::invalid("format", "format is civicdesk, sf or nyc"));
}

Result<DecisionOutcome> parse_decision_outcome(std::string_view text) {
  if (text == "upheld") return DecisionOutcome::kUpheld;
  if (text == "dismissed") return DecisionOutcome::kDismissed;
  if (text == "reduced") return DecisionOutcome::kReduced;
  return fail(Error::invalid("outcome", "outcome is upheld, dismissed or reduced"));
}

CitationBook::CitationBook(store::Database& db, ledger::Ledger& ledger,
                           customers::PartyBook& parties, const CityConfig& city,
                           const Clock& clock)
    : db_(db),
      ledger_(ledger),
      parties_(parties),
      city_(city),
      clock_(clock),
      calendar_(holiday_dates(city)) {}

Result<std::int64_t> CitationBook::holder_party(const Actor& actor) {
  auto read = [&]() {
    return db_.read<std::int64_t>([](store::Connection& c) -> Result<std::int64_t> {
      CD_ASSIGN(auto rows, c.query("SELECT party_id FROM citation_holder WHERE id = 1"));
      return rows.empty() ? std::int64_t{0} : rows[0].integer(0);
    });
  };
  CD_ASSIGN(auto id, read());
  if (id != 0) return id;
  customers::PartyInput p;
  p.kind = "business";
  p.business_name = std::string(kHolderName);
  std::vector<customers::DuplicateCandidate> dups;
  CD_ASSIGN(auto party, parties_.create(actor, p, true, dups));
  CD_TRY(db_.write<std::int64_t>([&](store::Connection& c) {
    return c.exec("INSERT INTO citation_holder (id, party_id) VALUES (1, ?) ON CONFLICT DO NOTHING",
                  {party.id.value});
  }));
  return read();
}

// --- creating citations ----------------------------------------------------------------------

namespace {

struct NewCitation {
  const AcceptedCitation* accepted;
  std::string source;
  std::int64_t import_id = 0;
};

// Writes the obligation and the citation row (inside the caller's transaction).
Result<std::int64_t> insert_citation(store::Connection& c, ledger::Ledger& ledger,
                                     const CityConfig& city, const BusinessCalendar& calendar,
                                     const Actor& actor, Timestamp now_us, std::int64_t holder,
                                     const NewCitation& n) {
  const CitationRules& rules = city.citations;
  const IssuanceRecord& r = n.accepted->record;
  const Violation* v = rules.violation(r.violation_code);
  ledger::ChargeRequest req;
  // A plate whose registered owner the DMV named (dmv_book.h): charged straight to the owner.
  CD_ASSIGN(auto owner, owner_of_record(c, rules.dmv, r.plate_state, r.plate, r.issued_on));
  req.party_id = owner ? owner : holder;
  req.account_ref = account_ref_for(r);
  req.kind = rules.obligation_kind;
  req.description = "Parking citation " + r.citation_number + " (" + r.violation_code +
                    (v ? " " + v->description : std::string()) + ")";
  if (req.description.size() > kMaxNameLength) req.description.resize(kMaxNameLength);
  req.due_date = r.issued_on;
  req.source_ref = "citation:" + r.citation_number;
  req.lines.push_back({"Fine " + r.violation_code, rules.fine_account, n.accepted->fine, false});
  req.apply_credit = false;  // the holding party's credit belongs to many plates
  CD_ASSIGN(auto o, ledger.charge_within(c, actor, req));
  EscalationHistory h;
  h.issued_on = r.issued_on;
  h.fine = n.accepted->fine;
  auto next = next_step_due_on(rules, calendar, h);
  CD_ASSIGN(auto id,
            c.query_int(
                "INSERT INTO citations (number, status, dmv_hold, issued_on, issued_minute, "
                "location, violation_code, fine_cents, written_fine_cents, plate, plate_state, "
                "make, color, vin, officer_id, device_id, notes, obligation_id, next_step_due_on, "
                "source, import_id, created_by_name, created_us, updated_us) "
                "VALUES (?, 'issued', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?) RETURNING id",
                {r.citation_number,
                 r.issued_on.iso(),
                 r.issued_minute ? store::Value{std::int64_t{*r.issued_minute}} : store::null(),
                 r.location,
                 r.violation_code,
                 n.accepted->fine.cents(),
                 r.fine ? store::Value{r.fine->cents()} : store::null(),
                 r.plate,
                 r.plate_state,
                 r.make,
                 r.color,
                 r.vin,
                 r.officer_id,
                 r.device_id,
                 r.notes,
                 o.id,
                 opt_date(next),
                 n.source,
                 n.import_id ? store::Value{n.import_id} : store::null(),
                 actor.username,
                 now_us,
                 now_us}));
  if (owner) CD_TRY(c.exec("UPDATE citations SET owner_party_id = ? WHERE id = ?", {owner, id}));
  // The global search finds it by number and by plate.
  search::SearchDoc doc{
      "citation",
      id,
      "Citation " + r.citation_number,
      (r.plate.empty() ? std::string("no plate") : r.plate_state + " " + r.plate) + " · " +
          r.violation_code + " · " + r.issued_on.iso(),
      {r.citation_number, r.plate, r.plate_state + r.plate, r.location}};
  CD_TRY(search::upsert(c, doc));
  CD_TRY(record_event(c, id, "issue", CitationState{}, CitationState{}, r.issued_on,
                      n.source == "import" ? "imported" : "entered by hand", actor, "", now_us));
  return id;
}

}  // namespace

Result<ImportResult> CitationBook::import_issuance(const Actor& actor, std::string_view content,
                                                   IssuanceFormat format) {
  Result<ParsedIssuance> parsed = format == IssuanceFormat::kSf    ? parse_sf_citations(content)
                                  : format == IssuanceFormat::kNyc ? parse_nyc_tickets(content)
                                                                   : parse_issuance_csv(content);
  if (!parsed) return std::unexpected(parsed.error());
  IssuanceChecks checks;
  checks.today = ledger_.today();
  // SFMTA publishes no officer, NYC neither officer nor location (issuance_import.h).
  checks.require_location = format != IssuanceFormat::kNyc;
  checks.require_officer = format == IssuanceFormat::kCivicdesk;
  IssuanceReport report = check_issuance(std::move(*parsed), city_.citations, checks);

  ImportResult out;
  out.rows = report.rows;
  out.warnings = report.warnings;
  const std::string hash = security::blake2b_hex(content);
  const Timestamp start_us = clock_.now_us();
  CD_ASSIGN(
      auto import_id, db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
        CD_ASSIGN(auto rows,
                  c.query("SELECT id, status FROM citation_imports WHERE file_hash = ?", {hash}));
        if (!rows.empty()) {
          out.already_imported = rows[0].text(1) == "complete";
          return rows[0].integer(0);
        }
        CD_ASSIGN(auto id,
                  c.query_int("INSERT INTO citation_imports (file_hash, rows_count, status, "
                              "created_by_name, created_us) VALUES (?, ?, 'importing', ?, ?) "
                              "RETURNING id",
                              {hash, report.rows, actor.username, start_us}));
        CD_TRY(audit::append(
            c, actor, start_us,
            {"citations.import", "citation_import", std::to_string(id), std::nullopt,
             json::serialize(json::object{{"file_hash", hash}, {"rows", report.rows}})}));
        return id;
      }));
  out.id = import_id;
  CD_ASSIGN(auto holder, holder_party(actor));

  std::vector<LineProblem> conflicts;
  const auto& accepted = report.accepted;
  for (std::size_t begin = 0; begin < accepted.size(); begin += static_cast<std::size_t>(per_tx_)) {
    std::size_t end = std::min(accepted.size(), begin + static_cast<std::size_t>(per_tx_));
    struct Chunk {
      std::int64_t created = 0, skipped = 0;
      Money total;
      std::vector<LineProblem> refused;
    };
    CD_ASSIGN(auto chunk, db_.write<Chunk>([&](store::Connection& c) -> Result<Chunk> {
      Chunk k;
      const Timestamp now_us = clock_.now_us();
      for (std::size_t i = begin; i < end; ++i) {
        const IssuanceRecord& r = accepted[i].record;
        CD_ASSIGN(auto existing, find_by_number(c, r.citation_number));
        Reimport verdict = compare_with_existing(r, existing ? &existing->record : nullptr);
        if (verdict == Reimport::kSame) {
          ++k.skipped;
          continue;
        }
        if (verdict == Reimport::kConflict) {
          k.refused.push_back(
              {r.line, "citation_number",
               "citation " + r.citation_number + " is already stored with other content",
               r.citation_number});
          continue;
        }
        CD_TRY(insert_citation(c, ledger_, city_, calendar_, actor, now_us, holder,
                               {&accepted[i], "import", import_id}));
        CRASH_POINT("citations.import.after_citation");
        ++k.created;
        CD_ASSIGN(k.total, k.total.add(accepted[i].fine));
      }
      return k;
    }));
    out.created += chunk.created;
    out.skipped += chunk.skipped;
    CD_ASSIGN(out.created_total, out.created_total.add(chunk.total));
    for (auto& p : chunk.refused) conflicts.push_back(std::move(p));
  }
  out.refused = std::move(report.refused);
  for (auto& p : conflicts) out.refused.push_back(std::move(p));
  std::sort(out.refused.begin(), out.refused.end(),
            [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
  out.accepted = out.created + out.skipped;
  CD_TRY(db_.write<std::int64_t>([&](store::Connection& c) {
    return c.exec(
        "UPDATE citation_imports SET accepted_count = ?, created_count = created_count + ?, "
        "skipped_count = ?, refused_count = ?, total_cents = total_cents + ?, "
        "status = 'complete', completed_us = ? WHERE id = ?",
        {out.accepted, out.created, out.skipped, static_cast<std::int64_t>(out.refused.size()),
         out.created_total.cents(), clock_.now_us(), import_id});
  }));
  return out;
}

Result<Citation> CitationBook::create(const Actor& actor, const CitationInput& in) {
  ParsedIssuance parsed;
  parsed.rows = 1;
  IssuanceRecord r;
  r.line = 1;
  r.citation_number = detail::upper(detail::trim(in.number));
  CD_ASSIGN(auto when, detail::parse_local_date_time(detail::trim(in.issued_at), "issued_at"));
  r.issued_on = when.first;
  r.issued_minute = when.second;
  r.location = std::string(detail::trim(in.location));
  r.violation_code = detail::upper(detail::trim(in.violation_code));
  r.fine = in.fine;
  r.plate = normalize_plate(in.plate);
  r.plate_state = detail::upper(detail::trim(in.plate_state));
  r.make = std::string(detail::trim(in.make));
  r.color = std::string(detail::trim(in.color));
  r.vin = detail::upper(detail::trim(in.vin));
  r.officer_id = std::string(detail::trim(in.officer_id));
  r.device_id = std::string(detail::trim(in.device_id));
  r.notes = std::string(detail::trim(in.notes));
  if (r.citation_number.empty()) return fail(Error::invalid("number", "number is required"));
  parsed.records.push_back(r);
  IssuanceChecks checks;
  checks.today = ledger_.today();
  IssuanceReport report = check_issuance(std::move(parsed), city_.citations, checks);
  if (!report.refused.empty()) {
    const LineProblem& p = report.refused.front();
    std::string field = p.field == "citation_number" ? "number"
                        : p.field == "issued_on"     ? "issued_at"
                                                     : p.field;
    return fail(Error::invalid(field, p.message));
  }
  CD_ASSIGN(auto holder, holder_party(actor));
  CD_ASSIGN(auto written, db_.write<Citation>([&](store::Connection& c) -> Result<Citation> {
    CD_ASSIGN(auto existing, find_by_number(c, r.citation_number));
    if (existing)
      return fail(ErrorCode::kConflict, "citation " + r.citation_number + " already exists",
                  "number");
    const Timestamp now_us = clock_.now_us();
    CD_ASSIGN(auto id, insert_citation(c, ledger_, city_, calendar_, actor, now_us, holder,
                                       {&report.accepted.front(), "manual", 0}));
    CD_ASSIGN(auto ct, load_by_number(c, r.citation_number));
    CD_TRY(audit(c, actor, now_us, "citation.create", id, summary(ct)));
    return ct;
  }));
  return citation(written.record.citation_number);
}

// --- lifecycle -------------------------------------------------------------------------------

namespace {

Result<void> recompute_next(store::Connection& c, const CitationRules& rules,
                            const BusinessCalendar& calendar, std::int64_t citation_id,
                            const std::string& number) {
  CD_ASSIGN(auto ct, load_by_number(c, number));
  CD_ASSIGN(auto h, load_history(c, ct));
  auto next = next_step_due_on(rules, calendar, h);
  CD_TRY(c.exec("UPDATE citations SET next_step_due_on = ? WHERE id = ?",
                {opt_date(next), citation_id}));
  return {};
}

Result<void> set_state(store::Connection& c, std::int64_t id, CitationState s, Timestamp now_us) {
  CD_TRY(c.exec("UPDATE citations SET status = ?, dmv_hold = ?, updated_us = ? WHERE id = ?",
                {std::string(to_string(s.status)), std::int64_t{s.dmv_hold}, now_us, id}));
  return {};
}

const std::string kNoApprover;  // events no second person approved

// After a contest, hearing or decision changed the citation's state: the history event, the
// nightly run's next date, and the audit record of the citation as it now stands.
struct Transition {
  std::string_view event;
  CitationState from, to;
  CivilDate on;
  const std::string& reason;
  const std::string& approved_by;
};
Result<Citation> record_transition(store::Connection& c, const CitationRules& rules,
                                   const BusinessCalendar& calendar, const Actor& actor,
                                   std::int64_t id, const std::string& number, const Transition& t,
                                   Timestamp now_us) {
  CD_TRY(record_event(c, id, t.event, t.from, t.to, t.on, t.reason, actor, t.approved_by, now_us));
  CD_TRY(recompute_next(c, rules, calendar, id, number));
  CD_ASSIGN(auto after, load_by_number(c, number));
  CD_TRY(audit(c, actor, now_us, "citation." + std::string(t.event), id, summary(after)));
  return after;
}

Result<CivilDate> date_or_today(const std::string& text, CivilDate today, std::string_view field) {
  if (text.empty()) return today;
  CD_ASSIGN(auto d, parse_date(text, field));
  if (d > today) return fail(Error::invalid(std::string(field), "the date is in the future"));
  return d;
}

}  // namespace

Result<Citation> CitationBook::transition_on(const Actor& actor, const std::string& number,
                                             CitationEvent event, const std::string& reason,
                                             CivilDate on, const std::string& approved_by) {
  CD_ASSIGN(auto written, db_.write<Citation>([&](store::Connection& c) -> Result<Citation> {
    CD_ASSIGN(auto ct, load_by_number(c, number));
    CD_ASSIGN(auto next, transition(ct.state, event));
    const Timestamp now_us = clock_.now_us();
    CD_TRY(set_state(c, ct.id, next, now_us));
    return record_transition(c, city_.citations, calendar_, actor, ct.id, number,
                             {to_string(event), ct.state, next, on, reason, approved_by}, now_us);
  }));
  return citation(written.record.citation_number);
}

namespace {

// The citation's obligations that still stand (fine, then penalties).
Result<std::vector<std::int64_t>> live_obligations(store::Connection& c, std::int64_t citation_id,
                                                   std::int64_t fine_obligation) {
  std::vector<std::int64_t> out;
  CD_ASSIGN(auto rows,
            c.query("SELECT o.id FROM obligations o WHERE o.status <> 'cancelled' AND (o.id = ? "
                    "OR o.id IN (SELECT s.obligation_id FROM citation_steps s WHERE "
                    "s.citation_id = ? AND s.obligation_id IS NOT NULL)) ORDER BY o.id",
                    {fine_obligation, citation_id}));
  for (const auto& r : rows) out.push_back(r.integer(0));
  return out;
}

}  // namespace

Result<Citation> CitationBook::void_citation(const Actor& actor, const std::string& number_in,
                                             const std::string& reason,
                                             const std::string& requested_by) {
  const std::string number = detail::upper(detail::trim(number_in));
  if (requested_by.empty())
    return fail(Error::invalid("requested_by", "name the user who asked for the void"));
  CD_ASSIGN(auto found, db_.read<bool>([&](store::Connection& c) -> Result<bool> {
    CD_ASSIGN(auto rows, c.query("SELECT 1 FROM users WHERE username = ?", {requested_by}));
    return !rows.empty();
  }));
  if (!found) return fail(Error::invalid("requested_by", "no user named " + requested_by));
  VoidRequest vr{reason, requested_by, actor.username, actor.role};
  CD_TRY(check_void(vr, city_.citations.void_approver_roles));
  CD_ASSIGN(auto ct,
            db_.read<Citation>([&](store::Connection& c) { return load_by_number(c, number); }));
  CD_TRY(transition(ct.state, CitationEvent::kVoid));
  CD_ASSIGN(auto obligations, db_.read<std::vector<std::int64_t>>([&](store::Connection& c) {
    return live_obligations(c, ct.id, ct.obligation_id);
  }));
  for (auto id : obligations) {
    CD_TRY(ledger_.cancel(actor, id, "citation " + number + " voided: " + reason,
                          "citation:" + number + ":void:" + std::to_string(id)));
  }
  return transition_on(actor, number, CitationEvent::kVoid, reason, ledger_.today(),
                       actor.username + " (requested by " + requested_by + ")");
}

Result<Citation> CitationBook::request_review(const Actor& actor, const std::string& number_in,
                                              const std::string& reason,
                                              const std::string& requested_on) {
  const std::string number = detail::upper(detail::trim(number_in));
  CD_ASSIGN(auto on, date_or_today(requested_on, ledger_.today(), "requested_on"));
  CD_ASSIGN(auto written, db_.write<Citation>([&](store::Connection& c) -> Result<Citation> {
    CD_ASSIGN(auto ct, load_by_number(c, number));
    CD_ASSIGN(auto next, transition(ct.state, CitationEvent::kRequestReview));
    Deadline d = review_request_deadline(city_.citations.contest, calendar_, ct.record.issued_on,
                                         ct.notice_mailed_on);
    CD_TRY(check_on_time(d, ct.record.issued_on, on, "requested_on"));
    const Timestamp now_us = clock_.now_us();
    CD_TRY(set_state(c, ct.id, next, now_us));
    CD_TRY(
        c.exec("INSERT INTO citation_suspensions (citation_id, reason, from_on) "
               "VALUES (?, 'contest', ?)",
               {ct.id, on.iso()}));
    return record_transition(c, city_.citations, calendar_, actor, ct.id, number,
                             {"request_review", ct.state, next, on, reason, kNoApprover}, now_us);
  }));
  return citation(written.record.citation_number);
}

Result<Citation> CitationBook::request_hearing(const Actor& actor, const std::string& number,
                                               const std::string& reason,
                                               const std::string& requested_on) {
  return appeal(actor, number, CitationEvent::kRequestHearing, reason, requested_on);
}

Result<Citation> CitationBook::note_court_appeal(const Actor& actor, const std::string& number,
                                                 const std::string& reason,
                                                 const std::string& filed_on) {
  return appeal(actor, number, CitationEvent::kNoteCourtAppeal, reason, filed_on);
}

// A hearing request after the review decision, or a court appeal after the hearing decision:
// within its period of the decision, and penalties are suspended again while it is pending.
Result<Citation> CitationBook::appeal(const Actor& actor, const std::string& number_in,
                                      CitationEvent event, const std::string& reason,
                                      const std::string& acted_on) {
  const std::string number = detail::upper(detail::trim(number_in));
  CD_ASSIGN(auto on, date_or_today(acted_on, ledger_.today(), "requested_on"));
  CD_ASSIGN(auto written, db_.write<Citation>([&](store::Connection& c) -> Result<Citation> {
    CD_ASSIGN(auto ct, load_by_number(c, number));
    CD_ASSIGN(auto next, transition(ct.state, event));
    CivilDate decided = ct.decision_on.value_or(ct.record.issued_on);
    const ContestRules& rules = city_.citations.contest;
    Deadline d = event == CitationEvent::kNoteCourtAppeal
                     ? court_appeal_deadline(rules, calendar_, decided)
                     : hearing_request_deadline(rules, calendar_, decided);
    CD_TRY(check_on_time(d, decided, on, "requested_on"));
    const Timestamp now_us = clock_.now_us();
    CD_TRY(set_state(c, ct.id, next, now_us));
    CD_TRY(
        c.exec("INSERT INTO citation_suspensions (citation_id, reason, from_on) "
               "VALUES (?, 'contest', ?)",
               {ct.id, on.iso()}));
    return record_transition(c, city_.citations, calendar_, actor, ct.id, number,
                             {to_string(event), ct.state, next, on, reason, kNoApprover}, now_us);
  }));
  return citation(written.record.citation_number);
}

Result<Citation> CitationBook::schedule_hearing(const Actor& actor, const std::string& number_in,
                                                const std::string& hearing_on) {
  const std::string number = detail::upper(detail::trim(number_in));
  CD_ASSIGN(auto on, parse_date(hearing_on, "hearing_on"));
  if (on < ledger_.today())
    return fail(Error::invalid("hearing_on", "a hearing is scheduled for today or later"));
  if (!calendar_.is_business_day(on))
    return fail(Error::invalid("hearing_on", on.iso() + " is not a business day"));
  CD_ASSIGN(auto written, db_.write<Citation>([&](store::Connection& c) -> Result<Citation> {
    CD_ASSIGN(auto ct, load_by_number(c, number));
    CD_ASSIGN(auto next, transition(ct.state, CitationEvent::kScheduleHearing));
    const Timestamp now_us = clock_.now_us();
    CD_TRY(set_state(c, ct.id, next, now_us));
    CD_TRY(c.exec("UPDATE citations SET hearing_on = ? WHERE id = ?", {on.iso(), ct.id}));
    CD_TRY(record_event(c, ct.id, "schedule_hearing", ct.state, next, ledger_.today(),
                        "hearing on " + on.iso(), actor, "", now_us));
    CD_ASSIGN(auto after, load_by_number(c, number));
    CD_TRY(audit(c, actor, now_us, "citation.schedule_hearing", ct.id, summary(after)));
    return after;
  }));
  return citation(written.record.citation_number);
}

Result<void> CitationBook::replace_paid_fine(const Actor& actor, const Citation& ct,
                                            Money new_fine, CitationEvent event,
                                            const std::string& reason) {
  const std::string& number = ct.record.citation_number;
  const std::string key = "citation:" + number + ":" + std::string(to_string(event));
  CD_TRY(ledger_.cancel(actor, ct.obligation_id, "citation " + number + " reduced: " + reason,
                        key + ":cancel"));
  CD_TRY(db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    CD_ASSIGN(auto now, load_by_number(c, number));
    if (now.obligation_id != ct.obligation_id) return true;  // a retry: done before
    const Violation* v = city_.citations.violation(ct.record.violation_code);
    ledger::ChargeRequest req;
    req.party_id = ct.ledger_party_id;
    req.account_ref = account_ref_for(ct.record);
    req.kind = city_.citations.obligation_kind;
    req.description = "Parking citation " + number + " (" + ct.record.violation_code +
                      (v ? " " + v->description : std::string()) + "), reduced";
    if (req.description.size() > kMaxNameLength) req.description.resize(kMaxNameLength);
    req.due_date = ct.record.issued_on;
    req.source_ref = "citation:" + number + ":reduced";
    req.lines.push_back(
        {"Fine " + ct.record.violation_code + " (reduced)", city_.citations.fine_account, new_fine,
         false});
    req.apply_credit = false;
    CD_ASSIGN(auto o, ledger_.charge_within(c, actor, req));
    ledger::detail::Posting p{c, city_, actor, clock_.now_us(), ledger_.today()};
    CD_TRY(ledger::detail::apply_credit(p, ct.ledger_party_id, o.id));
    CD_TRY(c.exec("UPDATE citations SET obligation_id = ? WHERE id = ?", {o.id, ct.id}));
    return true;
  }));
  return {};
}

Result<Citation> CitationBook::decide(const Actor& actor, const std::string& number_in,
                                      const DecisionInput& in) {
  const std::string number = detail::upper(detail::trim(number_in));
  CD_ASSIGN(auto outcome, parse_decision_outcome(in.outcome));
  if (in.reason.empty()) return fail(Error::invalid("reason", "a decision states its reason"));
  if (in.reason.size() > kMaxIssuanceNotesLength)
    return fail(Error::invalid("reason", "the reason is too long"));
  CD_ASSIGN(auto on, date_or_today(in.decided_on, ledger_.today(), "decided_on"));
  CD_ASSIGN(auto ct,
            db_.read<Citation>([&](store::Connection& c) { return load_by_number(c, number); }));
  CitationEvent event;
  switch (ct.state.status) {
    case CitationStatus::kHearingScheduled:
      event = outcome == DecisionOutcome::kUpheld      ? CitationEvent::kUpholdAtHearing
              : outcome == DecisionOutcome::kDismissed ? CitationEvent::kDismissAtHearing
                                                       : CitationEvent::kReduceAtHearing;
      break;
    case CitationStatus::kCourtAppeal:
      if (outcome == DecisionOutcome::kReduced)
        return fail(ErrorCode::kUnprocessable, "a court decision upholds or dismisses", "outcome");
      event = outcome == DecisionOutcome::kUpheld ? CitationEvent::kUpholdInCourt
                                                  : CitationEvent::kDismissInCourt;
      break;
    default:
      event = outcome == DecisionOutcome::kUpheld      ? CitationEvent::kUpholdReview
              : outcome == DecisionOutcome::kDismissed ? CitationEvent::kDismissOnReview
                                                       : CitationEvent::kReduceReview;
  }
  CD_TRY(transition(ct.state, event));
  Money new_fine = ct.fine;
  if (outcome == DecisionOutcome::kReduced) {
    if (!in.reduced_fine)
      return fail(Error::invalid("reduced_fine", "a reduction names the fine owed after it"));
    if (*in.reduced_fine >= ct.fine || in.reduced_fine->cents() <= 0)
      return fail(Error::invalid("reduced_fine",
                                 "the reduced fine is more than $0.00 and less "
                                 "than " +
                                     format_money(ct.fine) + " (to cancel it, dismiss)"));
    new_fine = *in.reduced_fine;
    CD_ASSIGN(auto cut, ct.fine.sub(new_fine));
    CD_ASSIGN(auto fine_due, db_.read<std::int64_t>([&](store::Connection& c) {
      return c.query_int("SELECT balance_cents FROM obligations WHERE id = ?",
                         {ct.obligation_id});
    }));
    if (fine_due < cut.cents()) {
      // Paid during the contest (a deposit, VC 40215(b)) more than the reduced fine leaves owed:
      // the ledger credits no more than is owed, so the fine is cancelled (what was paid on it
      // becomes the party's credit), the reduced fine is charged anew and the credit pays it.
      CD_TRY(replace_paid_fine(actor, ct, new_fine, event, in.reason));
    } else {
    ledger::AdjustmentRequest adj;
    adj.obligation_id = ct.obligation_id;
    adj.direction = "credit";
    adj.amount = cut;
    adj.reason_code = std::string(kReductionReason);
    adj.note = "citation " + number + " reduced: " + in.reason;
    // A reduction happens at most once per event (review, hearing) in a citation's life.
    adj.idempotency_key = "citation:" + number + ":" + std::string(to_string(event));
    CD_ASSIGN(auto posted, ledger_.adjust(actor, adj));
    if (!posted.posted)
      return fail(ErrorCode::kUnprocessable,
                  "the reduction of " + format_money(cut) +
                      " is over your adjustment limit; it waits for approval (approval " +
                      std::to_string(posted.approval ? posted.approval->id : 0) + ")",
                  "reduced_fine");
    }
  } else if (outcome == DecisionOutcome::kDismissed) {
    CD_ASSIGN(auto obligations, db_.read<std::vector<std::int64_t>>([&](store::Connection& c) {
      return live_obligations(c, ct.id, ct.obligation_id);
    }));
    for (auto id : obligations)
      CD_TRY(ledger_.cancel(actor, id, "citation " + number + " dismissed: " + in.reason,
                            "citation:" + number + ":dismiss:" + std::to_string(id)));
  }
  CD_ASSIGN(auto written, db_.write<Citation>([&](store::Connection& c) -> Result<Citation> {
    CD_ASSIGN(auto now, load_by_number(c, number));
    CD_ASSIGN(auto next, transition(now.state, event));
    const Timestamp now_us = clock_.now_us();
    CD_TRY(set_state(c, now.id, next, now_us));
    CD_TRY(c.exec("UPDATE citations SET decision_on = ?, fine_cents = ? WHERE id = ?",
                  {on.iso(), new_fine.cents(), now.id}));
    CD_TRY(
        c.exec("UPDATE citation_suspensions SET until_on = ? WHERE citation_id = ? AND "
               "until_on IS NULL AND reason = 'contest'",
               {on.iso(), now.id}));
    std::string why = in.reason;
    if (outcome == DecisionOutcome::kReduced)
      why +=
          " (fine reduced from " + format_money(now.fine) + " to " + format_money(new_fine) + ")";
    CD_ASSIGN(auto after,
              record_transition(c, city_.citations, calendar_, actor, now.id, number,
                                {to_string(event), now.state, next, on, why, kNoApprover}, now_us));
    // What was paid during the contest (a deposit) may cover what the decision leaves owed.
    CD_TRY(settle_within(c, actor, {after.obligation_id}));
    return after;
  }));
  return citation(written.record.citation_number);
}

// --- the nightly escalation --------------------------------------------------------------------

namespace {

struct EscalationTally {
  std::int64_t last_id = 0, examined = 0, steps = 0, penalties = 0, paid = 0;
  Money total;
};

// What one escalation transaction posts with.
struct Posting {
  store::Connection& c;
  ledger::Ledger& ledger;
  const Actor& actor;
  Timestamp now_us;
};

// Posts the penalty of one due step as an obligation beside the fine; returns its id.
Result<std::int64_t> post_penalty(Posting& p, const CitationRules& rules, const Citation& ct,
                                  const DueStep& step, CivilDate as_of) {
  const std::string& number = ct.record.citation_number;
  ledger::ChargeRequest req;
  req.party_id = ct.ledger_party_id;  // beside the fine
  req.account_ref = account_ref_for(ct.record);
  req.kind = rules.obligation_kind;
  req.description = step.name + ", citation " + number;
  if (req.description.size() > kMaxNameLength) req.description.resize(kMaxNameLength);
  req.due_date = as_of;
  req.source_ref = "citation:" + number + ":step:" + std::to_string(step.number);
  req.lines.push_back({step.name, rules.penalty_account, step.amount, true});
  req.apply_credit = false;  // the holding party's credit belongs to many plates
  CD_ASSIGN(auto o, p.ledger.charge_within(p.c, p.actor, req));
  return o.id;
}

// Posts every step due on `as_of` for one citation, each with its UNIQUE (citation, step) row in
// the caller's transaction, and moves the citation to the state after the last one.
Result<void> post_due_steps(Posting& p, const CitationRules& rules,
                            const BusinessCalendar& calendar, const Citation& ct, CivilDate as_of,
                            EscalationTally& k) {
  store::Connection& c = p.c;
  CD_ASSIGN(auto h, load_history(c, ct));
  CitationState state = ct.state;
  for (const DueStep& step : due_steps(rules, calendar, h, as_of)) {
    store::Value obligation = store::null();
    Money amount;
    if (step.kind == StepKind::kPenalty && !step.without_effect && step.amount.cents() > 0) {
      CD_ASSIGN(auto id, post_penalty(p, rules, ct, step, as_of));
      obligation = store::Value{id};
      amount = step.amount;
      ++k.penalties;
      CD_ASSIGN(k.total, k.total.add(step.amount));
    }
    CD_TRY(
        c.exec("INSERT INTO citation_steps (citation_id, step_number, kind, name, due_on, "
               "posted_on, amount_cents, obligation_id, without_effect, note, at_us) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               {ct.id, std::int64_t{step.number}, std::string(to_string(step.kind)), step.name,
                step.due_on.iso(), as_of.iso(), amount.cents(), obligation,
                std::int64_t{step.without_effect}, step.note, p.now_us}));
    if (step.event && !step.without_effect) {
      CD_TRY(record_event(c, ct.id, to_string(*step.event), state, step.state_after, as_of,
                          step.name, p.actor, "", p.now_us));
      if (*step.event == CitationEvent::kSendNotice) {
        CD_TRY(
            c.exec("UPDATE citations SET notice_mailed_on = ? WHERE id = ?", {as_of.iso(), ct.id}));
        // The letter itself: printed in the next batch once the registered owner is known.
        CD_TRY(record_notice(c, rules, calendar, ct.id, step.number, as_of, p.now_us));
      }
    }
    CRASH_POINT("citations.escalate.after_step");
    state = step.state_after;
    ++k.steps;
  }
  if (state != ct.state) CD_TRY(set_state(c, ct.id, state, p.now_us));
  return recompute_next(c, rules, calendar, ct.id, ct.record.citation_number);
}

// An owed citation the ledger says is paid in full (the counter, the mail): the lifecycle
// follows, and nothing more escalates.
Result<void> mark_paid(store::Connection& c, const Actor& actor, const Citation& ct,
                       CivilDate as_of, Timestamp now_us) {
  CD_ASSIGN(auto next, transition(ct.state, CitationEvent::kPay));
  CD_TRY(set_state(c, ct.id, next, now_us));
  CD_TRY(record_event(c, ct.id, "pay", ct.state, next, as_of, "balance paid", actor, "", now_us));
  CD_TRY(c.exec("UPDATE citations SET next_step_due_on = NULL WHERE id = ?", {ct.id}));
  return {};
}

}  // namespace

Result<EscalationResult> CitationBook::escalate(const Actor& actor, CivilDate as_of) {
  EscalationResult out;
  out.as_of = as_of;
  std::int64_t after_id = 0;
  for (;;) {
    CD_ASSIGN(
        auto k, db_.write<EscalationTally>([&](store::Connection& c) -> Result<EscalationTally> {
          EscalationTally k;
          CD_ASSIGN(auto rows,
                    c.query(std::string(kSelect) +
                                "WHERE c.next_step_due_on IS NOT NULL AND c.next_step_due_on <= ? "
                                "AND c.id > ? ORDER BY c.id LIMIT ?",
                            {as_of.iso(), after_id, std::int64_t{per_tx_}}));
          Posting p{c, ledger_, actor, clock_.now_us()};
          for (const auto& row : rows) {
            CD_ASSIGN(auto ct, read_citation(row));
            k.last_id = ct.id;
            ++k.examined;
            if (is_owed(ct.state.status) && ct.amount_due.cents() == 0) {
              CD_TRY(mark_paid(c, actor, ct, as_of, p.now_us));
              ++k.paid;
            } else {
              CD_TRY(post_due_steps(p, city_.citations, calendar_, ct, as_of, k));
            }
          }
          return k;
        }));
    out.citations_examined += k.examined;
    out.steps_posted += k.steps;
    out.penalties_posted += k.penalties;
    out.marked_paid += k.paid;
    CD_ASSIGN(out.penalty_total, out.penalty_total.add(k.total));
    if (k.examined < per_tx_) break;
    after_id = k.last_id;
  }
  CD_TRY(db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    CD_TRY(audit::append(
        c, actor, clock_.now_us(),
        {"citations.escalate", "citation_escalation", as_of.iso(), std::nullopt,
         json::serialize(json::object{{"as_of", as_of.iso()},
                                      {"steps_posted", out.steps_posted},
                                      {"penalties_posted", out.penalties_posted},
                                      {"penalty_total", format_plain(out.penalty_total)}})}));
    return true;
  }));
  return out;
}

Result<void> CitationBook::settle_within(store::Connection& c, const Actor& actor,
                                         const std::vector<std::int64_t>& settled) {
  std::string in;
  store::Params params;
  for (auto id : settled) {
    in += in.empty() ? "?" : ", ?";
    params.push_back(id);
  }
  store::Params twice = params;
  for (const auto& v : params) twice.push_back(v);
  CD_ASSIGN(auto rows, c.query(std::string(kSelect) + "WHERE c.obligation_id IN (" + in +
                                   ") OR c.id IN (SELECT s.citation_id FROM citation_steps s "
                                   "WHERE s.obligation_id IN (" + in + ")) ORDER BY c.id",
                               twice));
  const Timestamp now_us = clock_.now_us();
  for (const auto& row : rows) {
    CD_ASSIGN(auto ct, read_citation(row));
    const CitationStatus s = ct.state.status;
    if (ct.amount_due.cents() != 0) continue;
    if (!is_owed(s) && s != CitationStatus::kCollections) continue;
    CD_TRY(mark_paid(c, actor, ct, ledger_.today(), now_us));
  }
  return {};
}

// --- reads -------------------------------------------------------------------------------------

Result<Citation> CitationBook::citation(const std::string& number_in) {
  const std::string number = detail::upper(detail::trim(number_in));
  return db_.read<Citation>([&](store::Connection& c) -> Result<Citation> {
    CD_ASSIGN(auto ct, load_by_number(c, number));
    CD_ASSIGN(auto events, c.query("SELECT event, from_status, to_status, dmv_hold, event_on, "
                                   "reason, actor_name, approved_by_name, at_us FROM "
                                   "citation_events WHERE citation_id = ? ORDER BY id",
                                   {ct.id}));
    for (const auto& r : events)
      ct.events.push_back({r.text(0), r.text(1), r.text(2), r.integer(3) != 0, r.text(4), r.text(5),
                           r.text(6), r.text(7), r.integer(8)});
    CD_ASSIGN(auto steps, c.query("SELECT step_number, kind, name, due_on, posted_on, "
                                  "amount_cents, obligation_id, without_effect, note FROM "
                                  "citation_steps WHERE citation_id = ? ORDER BY step_number",
                                  {ct.id}));
    for (const auto& r : steps)
      ct.steps.push_back({static_cast<int>(r.integer(0)), r.text(1), r.text(2), r.text(3),
                          r.text(4), Money::from_cents(r.integer(5)),
                          r.is_null(6) ? 0 : r.integer(6), r.integer(7) != 0, r.text(8)});
    CD_ASSIGN(ct.notices, notices_of(c, ct.id));
    CD_ASSIGN(ct.dmv, load_citation_dmv_view(c, ct.id));
    const ContestRules& rules = city_.citations.contest;
    auto add = [&](std::string name, const Deadline& d) {
      ct.deadlines.push_back({std::move(name), d.last_day.iso(), describe(d, calendar_)});
    };
    switch (ct.state.status) {
      case CitationStatus::kIssued:
      case CitationStatus::kNoticeSent:
      case CitationStatus::kDelinquent:
        add("review_request",
            review_request_deadline(rules, calendar_, ct.record.issued_on, ct.notice_mailed_on));
        break;
      case CitationStatus::kReviewDecided:
        if (ct.decision_on)
          add("hearing_request", hearing_request_deadline(rules, calendar_, *ct.decision_on));
        break;
      case CitationStatus::kHearingDecided:
        if (ct.decision_on)
          add("court_appeal", court_appeal_deadline(rules, calendar_, *ct.decision_on));
        break;
      default:
        break;
    }
    return ct;
  });
}

Result<std::vector<Citation>> CitationBook::by_plate(const std::string& plate_state,
                                                     const std::string& plate) {
  const std::string key = normalize_plate(plate);
  const std::string state = detail::upper(detail::trim(plate_state));
  if (key.empty()) return fail(Error::invalid("plate", "plate is required"));
  return db_.read<std::vector<Citation>>(
      [&](store::Connection& c) -> Result<std::vector<Citation>> {
        std::string sql = std::string(kSelect) + "WHERE c.plate = ?";
        store::Params params{key};
        if (!state.empty()) {
          sql += " AND c.plate_state = ?";
          params.push_back(state);
        }
        sql += " ORDER BY c.issued_on DESC, c.id DESC LIMIT ?";
        params.push_back(std::int64_t{kMaxCitationsPerLookup});
        CD_ASSIGN(auto rows, c.query(sql, params));
        std::vector<Citation> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto ct, read_citation(r));
          out.push_back(std::move(ct));
        }
        return out;
      });
}

namespace {

bool is_pending_contest(CitationStatus s) {
  return s == CitationStatus::kReviewRequested || s == CitationStatus::kHearingRequested ||
         s == CitationStatus::kCourtAppeal;
}

// The day the pending contest step was requested: its open suspension (a plan's is not one).
constexpr std::string_view kContestRequestedOn =
    "(SELECT MAX(s.from_on) FROM citation_suspensions s WHERE s.citation_id = c.id AND "
    "s.reason = 'contest' AND s.until_on IS NULL)";

Result<void> check_query(const CitationQuery& q) {
  if (q.statuses.empty() && !q.hearing_from && !q.hearing_to && q.owner_party_id == 0)
    return fail(Error::invalid("plate", "give a plate, a status, hearing dates or an owner"));
  if (q.limit < 1 || q.limit > static_cast<std::int64_t>(kMaxPageSize))
    return fail(
        Error::invalid("limit", "limit is a number from 1 to " + std::to_string(kMaxPageSize)));
  if (q.offset < 0) return fail(Error::invalid("offset", "offset is 0 or more"));
  if (q.hearing_from && q.hearing_to && *q.hearing_from > *q.hearing_to)
    return fail(Error::invalid("hearing_to", "hearing_to is on or after hearing_from"));
  return {};
}

}  // namespace

Result<CitationPage> CitationBook::list(const CitationQuery& q) {
  CD_TRY(check_query(q));
  std::string where;
  store::Params params;
  auto add = [&](const std::string& clause) {
    where += (where.empty() ? "WHERE " : " AND ") + clause;
  };
  if (!q.statuses.empty()) {
    std::string in;
    for (auto s : q.statuses) {
      in += in.empty() ? "?" : ", ?";
      params.push_back(std::string(to_string(s)));
    }
    add("c.status IN (" + in + ")");
  }
  if (q.hearing_from) {
    add("c.hearing_on >= ?");
    params.push_back(q.hearing_from->iso());
  }
  if (q.hearing_to) {
    add("c.hearing_on <= ?");
    params.push_back(q.hearing_to->iso());
  }
  if (q.hearing_from || q.hearing_to) add("c.hearing_on IS NOT NULL");
  if (q.owner_party_id != 0) {
    add("c.owner_party_id = ?");
    params.push_back(q.owner_party_id);
  }
  const bool by_request =
      !q.statuses.empty() && std::all_of(q.statuses.begin(), q.statuses.end(), is_pending_contest);
  std::string order = q.hearing_from || q.hearing_to ? " ORDER BY c.hearing_on, c.id"
                      : by_request ? " ORDER BY COALESCE(" + std::string(kContestRequestedOn) +
                                         ", c.issued_on), c.id"
                                   : " ORDER BY c.issued_on DESC, c.id DESC";
  params.push_back(q.limit + 1);  // one more tells whether a page follows
  params.push_back(q.offset);
  return db_.read<CitationPage>([&](store::Connection& c) -> Result<CitationPage> {
    CD_ASSIGN(auto rows,
              c.query(std::string(kSelect) + where + order + " LIMIT ? OFFSET ?", params));
    CitationPage page;
    for (const auto& r : rows) {
      if (static_cast<std::int64_t>(page.items.size()) == q.limit) {
        page.more = true;
        break;
      }
      CD_ASSIGN(auto ct, read_citation(r));
      CD_ASSIGN(auto requested, c.query("SELECT " + std::string(kContestRequestedOn) +
                                            " FROM citations c WHERE c.id = ?",
                                        {ct.id}));
      if (!requested.empty()) {
        CD_ASSIGN(ct.contest_requested_on, read_opt_date(requested[0], 0));
      }
      page.items.push_back(std::move(ct));
    }
    return page;
  });
}

Result<std::vector<ScofflawEntry>> CitationBook::scofflaws() {
  CD_ASSIGN(auto list,
            db_.read<std::vector<PlateCitation>>(
                [&](store::Connection& c) -> Result<std::vector<PlateCitation>> {
                  std::string in;
                  store::Params params;
                  for (auto s : kScofflawStatuses) {
                    in += in.empty() ? "?" : ", ?";
                    params.push_back(std::string(to_string(s)));
                  }
                  CD_ASSIGN(auto rows,
                            c.query(std::string(kSelect) + "WHERE c.status IN (" + in +
                                        ") OR c.dmv_hold = 1 ORDER BY c.plate_state, c.plate, c.id",
                                    params));
                  std::vector<PlateCitation> out;
                  for (const auto& r : rows) {
                    CD_ASSIGN(auto ct, read_citation(r));
                    out.push_back({ct.record.plate_state, ct.record.plate,
                                   ct.record.citation_number, ct.state, ct.amount_due});
                  }
                  return out;
                }));
  return scofflaw_list(list, city_.citations.scofflaw_threshold);
}

}  // namespace civicdesk::citations
