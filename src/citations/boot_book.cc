#include "citations/boot_book.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "citations/issuance_fields.h"
#include "citations/scofflaw.h"

namespace civicdesk::citations {
namespace json = boost::json;
namespace {

constexpr std::string_view kSelect =
    "SELECT id, plate_state, plate, kind, note, placed_on, placed_by, released_on, released_by, "
    "release_reason FROM citation_boots ";

BootRecord read_boot(const store::Row& r) {
  return {r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4),
          r.text(5),    r.text(6), r.text(7), r.text(8), r.text(9)};
}

Result<BootRecord> boot_in(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query(std::string(kSelect) + "WHERE id = ?", {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no boot or tow " + std::to_string(id));
  return read_boot(rows[0]);
}

// What the crew and the customer are told: how many citations block the release and what
// they owe, in the counter's words.
Result<void> check_release(std::span<const PlateCitation> citations) {
  if (check_boot_release(citations)) return {};
  int count = 0;
  Money due;
  for (const auto& c : citations) {
    if (!counts_toward_scofflaw(c.state, c.balance)) continue;
    ++count;
    CD_ASSIGN(due, due.add(c.balance));
  }
  return fail(ErrorCode::kUnprocessable,
              std::to_string(count) + (count == 1 ? " citation" : " citations") +
                  " unpaid: " + format_money(due) + " due; pay or enrol in a payment plan",
              "citations");
}

}  // namespace

BootBook::BootBook(store::Database& db, CitationBook& citations, const Clock& clock,
                   CivilDate today)
    : db_(db), citations_(citations), clock_(clock), today_(today) {}

Result<BootRecord> BootBook::place(const Actor& actor, const BootPlacement& in) {
  const std::string plate = normalize_plate(in.plate);
  const std::string state = detail::upper(detail::trim(in.plate_state));
  if (plate.empty()) return fail(Error::invalid("plate", "plate is required"));
  if (plate.size() > 10) return fail(Error::invalid("plate", "plate is at most 10 characters"));
  if (state.size() != 2)
    return fail(Error::invalid("plate_state", "plate_state is a two-letter state, e.g. CA"));
  if (in.kind != "boot" && in.kind != "tow")
    return fail(Error::invalid("kind", "kind is boot or tow"));
  if (in.note.size() > kMaxBootNoteBytes)
    return fail(Error::invalid("note", "note is at most 500 characters"));
  CivilDate on = today_;
  if (!in.placed_on.empty()) {
    CD_ASSIGN(on, parse_date(in.placed_on, "placed_on"));
    if (on > today_) return fail(Error::invalid("placed_on", "the date is in the future"));
  }
  CD_ASSIGN(auto id, db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
    const Timestamp now_us = clock_.now_us();
    CD_ASSIGN(auto boot_id,
              c.query_int("INSERT INTO citation_boots (plate_state, plate, kind, placed_on, "
                          "placed_by, note, created_us) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          {state, plate, in.kind, on.iso(), actor.username, in.note, now_us}));
    CD_TRY(audit::append(
        c, actor, now_us,
        {"citation_boot.place", "citation_boot", std::to_string(boot_id), std::nullopt,
         json::serialize(json::object{{"plate_state", state},
                                      {"plate", plate},
                                      {"kind", in.kind},
                                      {"placed_on", on.iso()}})}));
    return boot_id;
  }));
  return boot(id);
}

Result<BootRecord> BootBook::release(const Actor& actor, std::int64_t id) {
  CD_ASSIGN(auto b, boot(id));
  if (!b.active())
    return fail(ErrorCode::kConflict, "this " + b.kind + " was released on " + b.released_on);
  CD_ASSIGN(auto found, citations_.by_plate(b.plate_state, b.plate));
  std::vector<PlateCitation> plate;
  bool on_plan = false;
  for (const auto& ct : found) {
    plate.push_back({ct.record.plate_state, ct.record.plate, ct.record.citation_number, ct.state,
                     ct.amount_due});
    on_plan = on_plan || ct.state.status == CitationStatus::kOnPlan;
  }
  CD_TRY(check_release(plate));
  const std::string reason = on_plan ? "payment plan" : "paid";
  CD_TRY(db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    const Timestamp now_us = clock_.now_us();
    // Released once: a second release racing this one finds released_on set and changes nothing.
    CD_ASSIGN(auto rows,
              c.query("UPDATE citation_boots SET released_on = ?, released_by = ?, "
                      "release_reason = ? WHERE id = ? AND released_on IS NULL RETURNING id",
                      {today_.iso(), actor.username, reason, id}));
    if (rows.empty()) return fail(ErrorCode::kConflict, "this " + b.kind + " was released");
    CD_TRY(audit::append(
        c, actor, now_us,
        {"citation_boot.release", "citation_boot", std::to_string(id), std::nullopt,
         json::serialize(json::object{{"released_on", today_.iso()}, {"reason", reason}})}));
    return true;
  }));
  return boot(id);
}

Result<BootRecord> BootBook::boot(std::int64_t id) {
  return db_.read<BootRecord>([&](store::Connection& c) { return boot_in(c, id); });
}

Result<std::vector<BootRecord>> BootBook::boots(const std::string& status) {
  if (!status.empty() && status != "active" && status != "released")
    return fail(Error::invalid("status", "status is active or released"));
  return db_.read<std::vector<BootRecord>>(
      [&](store::Connection& c) -> Result<std::vector<BootRecord>> {
        std::string where = status == "active"     ? "WHERE released_on IS NULL "
                            : status == "released" ? "WHERE released_on IS NOT NULL "
                                                   : "";
        CD_ASSIGN(auto rows, c.query(std::string(kSelect) + where + "ORDER BY id DESC LIMIT ?",
                                     {std::int64_t{kMaxBootsListed}}));
        std::vector<BootRecord> out;
        for (const auto& r : rows) out.push_back(read_boot(r));
        return out;
      });
}

}  // namespace civicdesk::citations
