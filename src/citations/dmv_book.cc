#include "citations/dmv_book.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "audit/audit_log.h"
#include "citations/lifecycle.h"
#include "core/crash_point.h"
#include "security/crypto.h"

namespace civicdesk::citations {
namespace json = boost::json;
namespace {

// Columns of a DmvFileSummary, in read_summary's order.
constexpr std::string_view kFileColumns =
    "id, kind, file_date, record_count, found_count, not_found_count, confidential_count, "
    "out_of_state_count, matched_count, created_count, citations_count, problem_count, "
    "placed_count, released_count, created_by_name, created_us";

DmvFileSummary read_summary(const store::Row& r) {
  DmvFileSummary s;
  s.id = r.integer(0);
  s.kind = r.text(1);
  s.file_date = r.text(2);
  s.records = r.integer(3);
  s.found = r.integer(4);
  s.not_found = r.integer(5);
  s.confidential = r.integer(6);
  s.out_of_state = r.integer(7);
  s.matched = r.integer(8);
  s.created = r.integer(9);
  s.citations = r.integer(10);
  s.problems = r.integer(11);
  s.placed = r.integer(12);
  s.released = r.integer(13);
  s.created_by = r.text(14);
  s.created_us = r.integer(15);
  return s;
}

Result<DmvFileResult> load_file(store::Connection& c, std::string_view where,
                                const store::Params& params) {
  CD_ASSIGN(auto rows, c.query("SELECT " + std::string(kFileColumns) +
                                   ", content FROM dmv_files WHERE " + std::string(where),
                               params));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no such DMV file", "id");
  DmvFileResult out;
  out.summary = read_summary(rows[0]);
  out.content = rows[0].text(16);
  return out;
}

Result<std::optional<DmvFileResult>> file_for_date(store::Connection& c, std::string_view kind,
                                                   CivilDate date) {
  CD_ASSIGN(auto rows, c.query("SELECT id FROM dmv_files WHERE kind = ? AND file_date = ?",
                               {std::string(kind), date.iso()}));
  if (rows.empty()) return std::optional<DmvFileResult>{};
  CD_ASSIGN(auto f, load_file(c, "id = ?", {rows[0].integer(0)}));
  f.already_written = true;
  return std::optional<DmvFileResult>{std::move(f)};
}

// The file's row first (its id goes into the header and each line points at it), its content
// once written.
Result<std::int64_t> insert_file(store::Connection& c, std::string_view kind, CivilDate date,
                                 const Actor& actor, Timestamp now_us) {
  return c.query_int(
      "INSERT INTO dmv_files (kind, file_date, file_hash, content, created_by_name, created_us) "
      "VALUES (?, ?, ?, '', ?, ?) RETURNING id",
      {std::string(kind), date.iso(), "pending:" + std::string(kind) + ":" + date.iso(),
       actor.username, now_us});
}

Result<void> store_content(store::Connection& c, std::int64_t id, const std::string& content) {
  CD_TRY(c.exec("UPDATE dmv_files SET content = ?, file_hash = ? WHERE id = ?",
                {content, security::blake2b_hex(content), id}));
  return {};
}

Result<void> audit_file(store::Connection& c, const Actor& actor, Timestamp now_us,
                        const std::string& action, const DmvFileSummary& s) {
  return audit::append(c, actor, now_us,
                       {action, "dmv_file", std::to_string(s.id), std::nullopt,
                        json::serialize(json::object{{"kind", s.kind},
                                                     {"file_date", s.file_date},
                                                     {"records", s.records},
                                                     {"found", s.found},
                                                     {"matched", s.matched},
                                                     {"created", s.created},
                                                     {"citations", s.citations},
                                                     {"placed", s.placed},
                                                     {"released", s.released}})});
}

// What is owed on a citation: its fine's and its penalties' obligations.
constexpr std::string_view kAmountDue =
    "(SELECT o.balance_cents FROM obligations o WHERE o.id = c.obligation_id) + "
    "COALESCE((SELECT SUM(o2.balance_cents) FROM citation_steps s JOIN obligations o2 "
    "ON o2.id = s.obligation_id WHERE s.citation_id = c.id), 0)";

std::string title_case(std::string_view text) {
  std::string out(text);
  bool start = true;
  for (char& ch : out) {
    unsigned char u = static_cast<unsigned char>(ch);
    ch = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
    start = !std::isalpha(u) && ch != '\'';
  }
  return out;
}

// The party a found owner becomes (names in title case; the address as the DMV wrote it).
customers::PartyInput owner_input(const DmvResponseLine& r) {
  customers::PartyInput p;
  if (r.owner_type == "B") {
    p.kind = "business";
    p.business_name = title_case(r.owner_name);
  } else {
    auto [last, first] = split_owner_name(r.owner_name);
    p.kind = "person";
    p.last_name = title_case(last);
    p.first_name = title_case(first);
  }
  customers::Address a;
  a.kind = "mailing";
  a.line1 = r.address_line1;
  a.line2 = r.address_line2;
  a.city = title_case(r.city);
  a.state = r.state;
  a.postal_code = r.zip;
  p.addresses.push_back(a);
  return p;
}

// An existing party with the same normalised name and postal address, 0 when none.
Result<std::int64_t> match_party(store::Connection& c, const customers::PartyInput& p) {
  CD_ASSIGN(auto rows, c.query("SELECT p.id FROM parties p JOIN party_addresses a ON "
                               "a.party_id = p.id WHERE p.name_key = ? AND a.address_key = ? "
                               "ORDER BY p.id LIMIT 1",
                               {customers::name_key(p), customers::address_key(p.addresses[0])}));
  return rows.empty() ? std::int64_t{0} : rows[0].integer(0);
}

Result<void> record_event(store::Connection& c, std::int64_t citation_id, std::string_view event,
                          CitationState from, CitationState to, CivilDate on,
                          const std::string& reason, const Actor& actor, Timestamp now_us) {
  CD_TRY(
      c.exec("INSERT INTO citation_events (citation_id, event, from_status, to_status, "
             "dmv_hold, event_on, reason, actor_name, approved_by_name, at_us) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?)",
             {citation_id, std::string(event), std::string(to_string(from.status)),
              std::string(to_string(to.status)), std::int64_t{to.dmv_hold}, on.iso(), reason,
              actor.username, now_us}));
  return {};
}

Result<void> set_state(store::Connection& c, std::int64_t id, CitationState s, Timestamp now_us) {
  CD_TRY(c.exec("UPDATE citations SET status = ?, dmv_hold = ?, updated_us = ? WHERE id = ?",
                {std::string(to_string(s.status)), std::int64_t{s.dmv_hold}, now_us, id}));
  return {};
}

}  // namespace

Result<std::int64_t> owner_of_record(store::Connection& c, const DmvRules& rules,
                                     const std::string& plate_state, const std::string& plate,
                                     CivilDate issued_on) {
  if (plate.empty()) return std::int64_t{0};
  CD_ASSIGN(auto rows,
            c.query("SELECT owner_party_id FROM dmv_responses WHERE plate_state = ? AND "
                    "plate = ? AND status = 'found' AND owner_party_id IS NOT NULL AND "
                    "owner_since <= ? AND responded_on >= ? ORDER BY responded_on DESC, id DESC "
                    "LIMIT 1",
                    {plate_state, plate, issued_on.iso(),
                     issued_on.plus_days(-rules.owner_known_days).iso()}));
  return rows.empty() ? std::int64_t{0} : rows[0].integer(0);
}

DmvExchange::DmvExchange(store::Database& db, ledger::Ledger& ledger, customers::PartyBook& parties,
                         const CityConfig& city, const Clock& clock)
    : db_(db), ledger_(ledger), parties_(parties), city_(city), clock_(clock) {}

// --- requests ----------------------------------------------------------------------------------

Result<DmvFileResult> DmvExchange::write_owner_requests(const Actor& actor, CivilDate as_of) {
  const DmvRules& rules = city_.citations.dmv;
  return db_.write<DmvFileResult>([&](store::Connection& c) -> Result<DmvFileResult> {
    CD_ASSIGN(auto existing, file_for_date(c, "request", as_of));
    if (existing) return std::move(*existing);
    const Timestamp now_us = clock_.now_us();
    CD_ASSIGN(auto file_id, insert_file(c, "request", as_of, actor, now_us));
    // Oldest first within each plate: the first row of a plate names the citation asked about.
    CD_ASSIGN(auto rows,
              c.query("SELECT c.id, c.number, c.plate_state, c.plate, c.issued_on FROM citations c "
                      "WHERE c.owner_party_id IS NULL AND c.plate <> '' AND c.plate_state <> '' "
                      "AND c.status NOT IN ('paid', 'dismissed', 'written_off', 'void') "
                      "AND c.issued_on <= ? AND NOT EXISTS (SELECT 1 FROM dmv_requests r WHERE "
                      "r.plate_state = c.plate_state AND r.plate = c.plate AND "
                      "r.requested_on > ?) ORDER BY c.plate_state, c.plate, c.issued_on, c.id",
                      {as_of.iso(), as_of.plus_days(-rules.rerequest_after_days).iso()}));
    DmvRequestFile f{rules.requester_code, rules.dmv_state, as_of, file_id, {}};
    std::string last_plate;
    for (const auto& r : rows) {
      std::string key = r.text(2) + ":" + r.text(3);
      if (key == last_plate) continue;
      last_plate = key;
      if (static_cast<int>(f.lines.size()) >= rules.max_requests_per_file) break;
      CD_ASSIGN(auto on, parse_date(r.text(4), "issued_on"));
      CD_ASSIGN(auto id,
                c.query_int("INSERT INTO dmv_requests (file_id, plate, plate_state, "
                            "citation_id, violation_on, requested_on) VALUES "
                            "(?, ?, ?, ?, ?, ?) RETURNING id",
                            {file_id, r.text(3), r.text(2), r.integer(0), on.iso(), as_of.iso()}));
      f.lines.push_back({id, r.text(3), r.text(2), r.text(1), on});
    }
    const std::string content = write_request_file(f);
    CD_TRY(store_content(c, file_id, content));
    CD_TRY(c.exec("UPDATE dmv_files SET record_count = ? WHERE id = ?",
                  {static_cast<std::int64_t>(f.lines.size()), file_id}));
    CD_ASSIGN(auto out, load_file(c, "id = ?", {file_id}));
    CD_TRY(audit_file(c, actor, now_us, "citations.dmv_requests", out.summary));
    return out;
  });
}

// --- responses ---------------------------------------------------------------------------------

namespace {

struct OwnerTally {
  std::int64_t citations = 0, obligations = 0;
};

// Names `owner` on every citation of the plate without a known owner issued on or after
// owner_since, and moves each one's open obligations to the owner.
Result<OwnerTally> assign_owner(store::Connection& c, ledger::Ledger& ledger, const Actor& actor,
                                const DmvResponseLine& r, std::int64_t owner, std::int64_t file_id,
                                Timestamp now_us) {
  OwnerTally t;
  CD_ASSIGN(auto rows, c.query("SELECT c.id, c.number, c.obligation_id FROM citations c WHERE "
                               "c.plate_state = ? AND c.plate = ? AND c.owner_party_id IS NULL "
                               "AND c.issued_on >= ? ORDER BY c.id",
                               {r.plate_state, r.plate, r.owner_since->iso()}));
  const std::string why = "registered owner named by the DMV (response file " +
                          std::to_string(file_id) + ", line " + std::to_string(r.line) + ")";
  for (const auto& row : rows) {
    const std::int64_t citation_id = row.integer(0);
    CD_TRY(c.exec("UPDATE citations SET owner_party_id = ?, updated_us = ? WHERE id = ?",
                  {owner, now_us, citation_id}));
    CD_ASSIGN(auto obligations,
              c.query("SELECT o.id FROM obligations o WHERE o.status = 'open' AND "
                      "o.balance_cents > 0 AND o.party_id <> ? AND (o.id = ? OR o.id IN (SELECT "
                      "s.obligation_id FROM citation_steps s WHERE s.citation_id = ? AND "
                      "s.obligation_id IS NOT NULL)) ORDER BY o.id",
                      {owner, row.integer(2), citation_id}));
    for (const auto& o : obligations) {
      CD_TRY(ledger.reassign_within(c, actor, o.integer(0), owner, why));
      ++t.obligations;
    }
    CRASH_POINT("citations.dmv_response.after_citation");
    CD_TRY(audit::append(
        c, actor, now_us,
        {"citation.owner", "citation", std::to_string(citation_id), std::nullopt,
         json::serialize(json::object{
             {"number", row.text(1)}, {"owner_party_id", owner}, {"dmv_file_id", file_id}})}));
    ++t.citations;
  }
  return t;
}

}  // namespace

Result<DmvResponseResult> DmvExchange::read_owner_responses(const Actor& actor,
                                                            std::string_view content) {
  CD_ASSIGN(auto parsed, parse_response_file(content));
  const std::string hash = security::blake2b_hex(content);
  DmvResponseResult out;
  out.problems = std::move(parsed.problems);
  auto stored = [&](store::Connection& c) -> Result<std::optional<DmvFileResult>> {
    CD_ASSIGN(auto rows, c.query("SELECT id FROM dmv_files WHERE file_hash = ?", {hash}));
    if (rows.empty()) return std::optional<DmvFileResult>{};
    CD_ASSIGN(auto f, load_file(c, "id = ?", {rows[0].integer(0)}));
    return std::optional<DmvFileResult>{std::move(f)};
  };
  CD_ASSIGN(auto before, db_.read<std::optional<DmvFileResult>>(stored));
  if (before) {
    out.summary = before->summary;
    out.already_read = true;
    return out;
  }
  // Each found owner's party, matched or created first (the party book writes its own
  // transaction); a rerun after a crash here matches what was created.
  std::map<int, std::int64_t> owner_of_line;
  std::map<int, bool> created_line;
  std::vector<DmvResponseLine> lines;
  for (auto& r : parsed.file.lines) {
    if (r.status != DmvMatch::kFound) {
      lines.push_back(std::move(r));
      continue;
    }
    auto valid = customers::validate(owner_input(r));
    if (!valid) {
      out.problems.push_back({r.line, valid.error().field, valid.error().message, ""});
      continue;
    }
    CD_ASSIGN(auto id,
              db_.read<std::int64_t>([&](store::Connection& c) { return match_party(c, *valid); }));
    if (id == 0) {
      std::vector<customers::DuplicateCandidate> dups;
      CD_ASSIGN(auto party, parties_.create(actor, *valid, true, dups));
      id = party.id.value;
      created_line[r.line] = true;
    }
    owner_of_line[r.line] = id;
    lines.push_back(std::move(r));
  }
  CD_ASSIGN(auto written, db_.write<DmvResponseResult>([&](store::Connection& c)
                                                           -> Result<DmvResponseResult> {
    DmvResponseResult res = out;
    CD_ASSIGN(auto again, stored(c));
    if (again) {
      res.summary = again->summary;
      res.already_read = true;
      return res;
    }
    const Timestamp now_us = clock_.now_us();
    const CivilDate date = parsed.file.response_date;
    CD_ASSIGN(auto file_id, insert_file(c, "response", date, actor, now_us));
    DmvFileSummary& s = res.summary;
    for (const auto& r : lines) {
      CD_ASSIGN(auto req, c.query("SELECT plate, plate_state FROM dmv_requests WHERE id = ?",
                                  {r.request_id}));
      if (req.empty() || req[0].text(0) != r.plate || req[0].text(1) != r.plate_state) {
        res.problems.push_back({r.line, "request_id",
                                "civicdesk asked no request " + std::to_string(r.request_id) +
                                    " for plate " + r.plate_state + " " + r.plate,
                                ""});
        continue;
      }
      const std::int64_t owner = owner_of_line.contains(r.line) ? owner_of_line[r.line] : 0;
      CD_ASSIGN(
          auto response_id,
          c.query_int(
              "INSERT INTO dmv_responses (file_id, line, request_id, plate, plate_state, "
              "status, owner_party_id, owner_name, co_owner_name, make, vin, "
              "registration_expires_on, owner_since, responded_on) VALUES (?, ?, ?, ?, ?, ?, "
              "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {file_id, std::int64_t{r.line}, r.request_id, r.plate, r.plate_state,
               std::string(to_string(r.status)), owner ? store::Value{owner} : store::null(),
               r.owner_name, r.co_owner_name, r.make, r.vin,
               r.registration_expires_on ? store::Value{r.registration_expires_on->iso()}
                                         : store::null(),
               r.owner_since ? store::Value{r.owner_since->iso()} : store::null(), date.iso()}));
      CD_TRY(c.exec("UPDATE dmv_requests SET response_id = ? WHERE id = ?",
                    {response_id, r.request_id}));
      switch (r.status) {
        case DmvMatch::kFound:
          ++s.found;
          break;
        case DmvMatch::kNotFound:
          ++s.not_found;
          break;
        case DmvMatch::kConfidential:
          ++s.confidential;
          break;
        case DmvMatch::kOutOfState:
          ++s.out_of_state;
          break;
      }
      if (!owner) continue;
      ++(created_line.contains(r.line) ? s.created : s.matched);
      CD_ASSIGN(auto t, assign_owner(c, ledger_, actor, r, owner, file_id, now_us));
      CD_TRY(c.exec("UPDATE dmv_responses SET citations_matched = ? WHERE id = ?",
                    {t.citations, response_id}));
      s.citations += t.citations;
      res.obligations_moved += t.obligations;
    }
    std::sort(res.problems.begin(), res.problems.end(),
              [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
    CD_TRY(store_content(c, file_id, std::string(content)));
    CD_TRY(
        c.exec("UPDATE dmv_files SET record_count = ?, found_count = ?, not_found_count = ?, "
               "confidential_count = ?, out_of_state_count = ?, matched_count = ?, "
               "created_count = ?, citations_count = ?, problem_count = ? WHERE id = ?",
               {parsed.records, s.found, s.not_found, s.confidential, s.out_of_state, s.matched,
                s.created, s.citations, static_cast<std::int64_t>(res.problems.size()), file_id}));
    CD_ASSIGN(auto f, load_file(c, "id = ?", {file_id}));
    res.summary = f.summary;
    CD_TRY(audit_file(c, actor, now_us, "citations.dmv_responses", res.summary));
    return res;
  }));
  return written;
}

// --- registration holds ------------------------------------------------------------------------

namespace {

struct HoldCandidate {
  std::int64_t id = 0;
  std::string number, plate, plate_state;
  CivilDate issued_on;
  CitationState state;
  Money amount_due;
  std::int64_t hold_id = 0;  // releases: the open hold row
};

Result<std::vector<HoldCandidate>> hold_candidates(store::Connection& c, const std::string& where,
                                                   const store::Params& params) {
  CD_ASSIGN(
      auto rows,
      c.query("SELECT c.id, c.number, c.plate, c.plate_state, c.issued_on, c.status, "
              "c.dmv_hold, " +
                  std::string(kAmountDue) + ", h.id FROM citations c " + where + " ORDER BY c.id",
              params));
  std::vector<HoldCandidate> out;
  for (const auto& r : rows) {
    HoldCandidate h;
    h.id = r.integer(0);
    h.number = r.text(1);
    h.plate = r.text(2);
    h.plate_state = r.text(3);
    CD_ASSIGN(h.issued_on, parse_date(r.text(4), "issued_on"));
    CD_ASSIGN(h.state.status, parse_citation_status(r.text(5)));
    h.state.dmv_hold = r.integer(6) != 0;
    h.amount_due = Money::from_cents(r.is_null(7) ? 0 : r.integer(7));
    h.hold_id = r.is_null(8) ? 0 : r.integer(8);
    out.push_back(std::move(h));
  }
  return out;
}

// Paid in full by the ledger, but not yet marked paid (the nightly run marks it; a payment may
// come in between): the lifecycle allows the payment.
bool paid_unmarked(const HoldCandidate& h) {
  return h.amount_due.cents() == 0 && !is_closed(h.state.status) &&
         transition(h.state, CitationEvent::kPay).has_value();
}

// Paid, dismissed, voided, written off or on a plan: the DMV lifts the hold.
bool satisfied(const HoldCandidate& h) {
  return is_closed(h.state.status) || h.state.status == CitationStatus::kOnPlan || paid_unmarked(h);
}

// Clears the hold flag through the lifecycle (a paid-in-full owed citation becomes paid first).
Result<void> clear_hold(store::Connection& c, const Actor& actor, const HoldCandidate& h,
                        CivilDate on, const std::string& reason, Timestamp now_us) {
  CitationState state = h.state;
  if (paid_unmarked(h)) {
    CD_ASSIGN(auto paid, transition(state, CitationEvent::kPay));
    CD_TRY(record_event(c, h.id, "pay", state, paid, on, "balance paid", actor, now_us));
    CD_TRY(c.exec("UPDATE citations SET next_step_due_on = NULL WHERE id = ?", {h.id}));
    state = paid;
  }
  if (!state.dmv_hold) return set_state(c, h.id, state, now_us);
  CD_ASSIGN(auto next, transition(state, CitationEvent::kReleaseHold));
  CD_TRY(record_event(c, h.id, "release_hold", state, next, on, reason, actor, now_us));
  return set_state(c, h.id, next, now_us);
}

}  // namespace

Result<DmvFileResult> DmvExchange::write_hold_file(const Actor& actor, CivilDate as_of) {
  const DmvRules& rules = city_.citations.dmv;
  return db_.write<DmvFileResult>([&](store::Connection& c) -> Result<DmvFileResult> {
    CD_ASSIGN(auto existing, file_for_date(c, "holds", as_of));
    if (existing) return std::move(*existing);
    const Timestamp now_us = clock_.now_us();
    CD_ASSIGN(auto file_id, insert_file(c, "holds", as_of, actor, now_us));
    DmvHoldFile f{rules.requester_code, rules.dmv_state, as_of, file_id, {}};
    const std::string reason = "released in DMV hold file " + std::to_string(file_id);
    // Releases first: holds an earlier file placed whose citation is now satisfied.
    CD_ASSIGN(auto held, hold_candidates(c,
                                         "JOIN dmv_holds h ON h.citation_id = c.id WHERE "
                                         "h.released_file_id IS NULL",
                                         {}));
    std::int64_t released = 0, placed = 0;
    for (const auto& h : held) {
      if (!satisfied(h)) continue;
      f.lines.push_back(
          {HoldAction::kRelease, h.plate, h.plate_state, h.number, h.issued_on, Money()});
      CD_TRY(
          c.exec("UPDATE dmv_holds SET released_file_id = ? WHERE id = ?", {file_id, h.hold_id}));
      CD_TRY(clear_hold(c, actor, h, as_of, reason, now_us));
      ++released;
    }
    // Places: the escalation set the flag and no file carries an open hold for it.
    CD_ASSIGN(auto to_place,
              hold_candidates(c,
                              "LEFT JOIN dmv_holds h ON h.id = 0 WHERE c.dmv_hold = 1 AND NOT "
                              "EXISTS (SELECT 1 FROM dmv_holds o WHERE o.citation_id = c.id AND "
                              "o.released_file_id IS NULL)",
                              {}));
    for (const auto& h : to_place) {
      if (satisfied(h)) {
        // Set and satisfied between two files: the DMV never heard of it.
        CD_TRY(clear_hold(c, actor, h, as_of, "satisfied before any DMV hold file carried it",
                          now_us));
        continue;
      }
      f.lines.push_back(
          {HoldAction::kPlace, h.plate, h.plate_state, h.number, h.issued_on, h.amount_due});
      CD_TRY(c.exec("INSERT INTO dmv_holds (citation_id, placed_file_id) VALUES (?, ?)",
                    {h.id, file_id}));
      ++placed;
    }
    const std::string content = citations::write_hold_file(f);
    CD_TRY(store_content(c, file_id, content));
    CD_TRY(
        c.exec("UPDATE dmv_files SET record_count = ?, placed_count = ?, released_count = ? "
               "WHERE id = ?",
               {static_cast<std::int64_t>(f.lines.size()), placed, released, file_id}));
    CD_ASSIGN(auto out, load_file(c, "id = ?", {file_id}));
    CD_TRY(audit_file(c, actor, now_us, "citations.dmv_holds", out.summary));
    return out;
  });
}

// --- reads -------------------------------------------------------------------------------------

Result<std::vector<DmvFileSummary>> DmvExchange::files() {
  return db_.read<std::vector<DmvFileSummary>>(
      [&](store::Connection& c) -> Result<std::vector<DmvFileSummary>> {
        CD_ASSIGN(auto rows, c.query("SELECT " + std::string(kFileColumns) +
                                         " FROM dmv_files ORDER BY id DESC LIMIT ?",
                                     {std::int64_t{kMaxDmvFilesListed}}));
        std::vector<DmvFileSummary> out;
        for (const auto& r : rows) out.push_back(read_summary(r));
        return out;
      });
}

Result<DmvFileResult> DmvExchange::file(std::int64_t id) {
  return db_.read<DmvFileResult>(
      [&](store::Connection& c) { return load_file(c, "id = ?", {id}); });
}

Result<CitationDmvView> load_citation_dmv_view(store::Connection& c, std::int64_t citation_id) {
  CitationDmvView v;
  CD_ASSIGN(auto owner, c.query("SELECT c.owner_party_id, p.display_name FROM citations c "
                                "LEFT JOIN parties p ON p.id = c.owner_party_id WHERE c.id = ?",
                                {citation_id}));
  if (!owner.empty() && !owner[0].is_null(0)) {
    v.owner_party_id = owner[0].integer(0);
    v.owner_name = owner[0].text(1);
  }
  CD_ASSIGN(auto holds,
            c.query("SELECT 'place', f.id, f.file_date, h.id FROM dmv_holds h JOIN dmv_files f "
                    "ON f.id = h.placed_file_id WHERE h.citation_id = ? UNION ALL "
                    "SELECT 'release', f.id, f.file_date, h.id FROM dmv_holds h JOIN dmv_files "
                    "f ON f.id = h.released_file_id WHERE h.citation_id = ? ORDER BY 2, 1 DESC",
                    {citation_id, citation_id}));
  for (const auto& r : holds) v.hold_files.push_back({r.text(0), r.integer(1), r.text(2)});
  return v;
}

Result<CitationDmvView> DmvExchange::citation_view(std::int64_t citation_id) {
  return db_.read<CitationDmvView>(
      [&](store::Connection& c) { return load_citation_dmv_view(c, citation_id); });
}

}  // namespace civicdesk::citations
