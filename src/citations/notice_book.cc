#include "citations/notice_book.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "citations/deadlines.h"
#include "citations/lifecycle.h"

namespace civicdesk::citations {
namespace json = boost::json;
namespace {

struct CitationMoney {
  Money fine, penalties, amount_due;
};

// The fine owed, the penalties posted and what is still due on them (the ledger's balances).
Result<CitationMoney> money_of(store::Connection& c, std::int64_t citation_id) {
  CD_ASSIGN(auto row,
            c.query_one("SELECT c.fine_cents, "
                        "COALESCE((SELECT SUM(s.amount_cents) FROM citation_steps s WHERE "
                        "s.citation_id = c.id), 0), "
                        "(SELECT o.balance_cents FROM obligations o WHERE o.id = c.obligation_id) "
                        "+ COALESCE((SELECT SUM(o2.balance_cents) FROM citation_steps s2 JOIN "
                        "obligations o2 ON o2.id = s2.obligation_id WHERE s2.citation_id = c.id), "
                        "0) FROM citations c WHERE c.id = ?",
                        {citation_id}));
  return CitationMoney{Money::from_cents(row.integer(0)), Money::from_cents(row.integer(1)),
                       Money::from_cents(row.integer(2))};
}

struct Addressee {
  std::string name;
  std::vector<std::string> lines;
};

// The owner's name and mailing address (the first 'mailing' one, else the first).
Result<Addressee> addressee_of(store::Connection& c, std::int64_t party_id) {
  CD_ASSIGN(auto p, c.query_one("SELECT display_name FROM parties WHERE id = ?", {party_id}));
  Addressee a{p.text(0), {}};
  CD_ASSIGN(auto rows, c.query("SELECT line1, line2, city, state, postal_code FROM "
                               "party_addresses WHERE party_id = ? ORDER BY CASE WHEN kind = "
                               "'mailing' THEN 0 ELSE 1 END, position LIMIT 1",
                               {party_id}));
  if (!rows.empty()) {
    const auto& r = rows[0];
    a.lines.push_back(r.text(0));
    if (!r.text(1).empty()) a.lines.push_back(r.text(1));
    a.lines.push_back(r.text(2) + ", " + r.text(3) + " " + r.text(4));
  }
  return a;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : text) {
    if (ch == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += (out.empty() ? "" : "\n") + l;
  return out;
}

constexpr std::string_view kNoticeColumns =
    "n.id, n.citation_id, c.number, n.step_number, n.kind, n.status, n.notice_on, "
    "n.addressee_party_id, n.addressee_name, n.address, n.fine_cents, n.penalties_cents, "
    "n.amount_due_cents, n.review_deadline, n.batch_id, n.mailed_on, n.note "
    "FROM citation_notices n JOIN citations c ON c.id = n.citation_id ";

NoticeRecord read_notice(const store::Row& r) {
  NoticeRecord n;
  n.id = r.integer(0);
  n.citation_id = r.integer(1);
  n.citation_number = r.text(2);
  n.step_number = static_cast<int>(r.integer(3));
  n.kind = r.text(4);
  n.status = r.text(5);
  n.notice_on = r.text(6);
  n.addressee_party_id = r.is_null(7) ? 0 : r.integer(7);
  n.addressee_name = r.text(8);
  n.address_lines = split_lines(r.text(9));
  n.fine = Money::from_cents(r.integer(10));
  n.penalties = Money::from_cents(r.integer(11));
  n.amount_due = Money::from_cents(r.integer(12));
  n.review_deadline = r.text(13);
  n.batch_id = r.is_null(14) ? 0 : r.integer(14);
  n.mailed_on = r.is_null(15) ? "" : r.text(15);
  n.note = r.text(16);
  return n;
}

constexpr std::string_view kBatchColumns =
    "id, batch_on, notice_count, total_due_cents, held_count, created_by_name, created_us "
    "FROM citation_notice_batches ";

NoticeBatch read_batch(const store::Row& r) {
  NoticeBatch b;
  b.id = r.integer(0);
  b.batch_on = r.text(1);
  b.notice_count = r.integer(2);
  b.total_due = Money::from_cents(r.integer(3));
  b.held_count = r.integer(4);
  b.created_by_name = r.text(5);
  b.created_us = r.integer(6);
  return b;
}

Result<NoticeBatch> load_batch(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query("SELECT " + std::string(kBatchColumns) + "WHERE id = ?", {id}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no notice batch " + std::to_string(id), "id");
  NoticeBatch b = read_batch(rows[0]);
  CD_ASSIGN(auto notices,
            c.query("SELECT " + std::string(kNoticeColumns) + "WHERE n.batch_id = ? ORDER BY n.id",
                    {id}));
  for (const auto& r : notices) b.notices.push_back(read_notice(r));
  return b;
}

// One waiting notice at print time: withdrawn, still held, or printed into `batch_id`.
enum class Printed { kWithdrawn, kHeld, kPrinted };

Result<Printed> print_one(store::Connection& c, const CitationRules& rules,
                          const BusinessCalendar& calendar, std::int64_t notice_id,
                          std::int64_t batch_id, CivilDate batch_on) {
  CD_ASSIGN(auto row, c.query_one("SELECT c.id, c.status, c.owner_party_id, c.issued_on FROM "
                                  "citation_notices n JOIN citations c ON c.id = n.citation_id "
                                  "WHERE n.id = ?",
                                  {notice_id}));
  const std::int64_t citation_id = row.integer(0);
  CD_ASSIGN(auto status, parse_citation_status(row.text(1)));
  if (is_closed(status)) {
    CD_TRY(
        c.exec("UPDATE citation_notices SET status = 'withdrawn', note = ? WHERE id = ?",
               {"the citation was " + row.text(1) + " before the notice was mailed", notice_id}));
    return Printed::kWithdrawn;
  }
  if (row.is_null(2)) return Printed::kHeld;
  CD_ASSIGN(auto owner, addressee_of(c, row.integer(2)));
  if (owner.lines.empty()) {
    // A letter without an address is never mailed: it waits for one, like an unknown owner.
    CD_TRY(c.exec("UPDATE citation_notices SET note = ? WHERE id = ?",
                  {"the registered owner " + owner.name + " has no mailing address", notice_id}));
    return Printed::kHeld;
  }
  CD_ASSIGN(auto money, money_of(c, citation_id));
  CD_ASSIGN(auto issued_on, parse_date(row.text(3), "issued_on"));
  const Deadline d = review_request_deadline(rules.contest, calendar, issued_on, batch_on);
  CD_TRY(
      c.exec("UPDATE citation_notices SET status = 'printed', addressee_party_id = ?, "
             "addressee_name = ?, address = ?, fine_cents = ?, penalties_cents = ?, "
             "amount_due_cents = ?, review_deadline = ?, batch_id = ?, mailed_on = ? "
             "WHERE id = ?",
             {row.integer(2), owner.name, join_lines(owner.lines), money.fine.cents(),
              money.penalties.cents(), money.amount_due.cents(), d.last_day.iso(), batch_id,
              batch_on.iso(), notice_id}));
  // The review period runs from the mailing (VC 40215(a)), which is today's batch.
  CD_TRY(c.exec("UPDATE citations SET notice_mailed_on = ? WHERE id = ?",
                {batch_on.iso(), citation_id}));
  return Printed::kPrinted;
}

}  // namespace

Result<void> record_notice(store::Connection& c, const CitationRules& rules,
                           const BusinessCalendar& calendar, std::int64_t citation_id,
                           int step_number, CivilDate notice_on, Timestamp now_us) {
  CD_ASSIGN(auto row, c.query_one("SELECT owner_party_id, issued_on FROM citations WHERE id = ?",
                                  {citation_id}));
  CD_ASSIGN(auto money, money_of(c, citation_id));
  CD_ASSIGN(auto issued_on, parse_date(row.text(1), "issued_on"));
  const Deadline d = review_request_deadline(rules.contest, calendar, issued_on, notice_on);
  Addressee to{std::string(kOwnerUnknown), {}};
  if (!row.is_null(0)) {
    CD_ASSIGN(to, addressee_of(c, row.integer(0)));
  }
  CD_TRY(c.exec(
      "INSERT INTO citation_notices (citation_id, step_number, kind, status, notice_on, "
      "addressee_party_id, addressee_name, address, fine_cents, penalties_cents, "
      "amount_due_cents, review_deadline, created_us) VALUES (?, ?, 'delinquency', ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?) ON CONFLICT (citation_id, step_number) DO NOTHING",
      {citation_id, std::int64_t{step_number}, std::string(row.is_null(0) ? "held" : "ready"),
       notice_on.iso(), row.is_null(0) ? store::null() : store::Value{row.integer(0)}, to.name,
       join_lines(to.lines), money.fine.cents(), money.penalties.cents(), money.amount_due.cents(),
       d.last_day.iso(), now_us}));
  return {};
}

Result<std::vector<NoticeRecord>> notices_of(store::Connection& c, std::int64_t citation_id) {
  CD_ASSIGN(auto rows, c.query("SELECT " + std::string(kNoticeColumns) +
                                   "WHERE n.citation_id = ? ORDER BY n.id",
                               {citation_id}));
  std::vector<NoticeRecord> out;
  for (const auto& r : rows) out.push_back(read_notice(r));
  return out;
}

NoticeBook::NoticeBook(store::Database& db, const CityConfig& city, const Clock& clock,
                       const BusinessCalendar& calendar)
    : db_(db), city_(city), clock_(clock), calendar_(calendar) {}

Result<NoticeBatch> NoticeBook::print_batch(const Actor& actor, CivilDate batch_on,
                                            CivilDate today) {
  if (batch_on > today)
    return fail(Error::invalid("date", "notices are printed for today or an earlier day"));
  return db_.write<NoticeBatch>([&](store::Connection& c) -> Result<NoticeBatch> {
    CD_ASSIGN(auto existing, c.query("SELECT id FROM citation_notice_batches WHERE batch_on = ?",
                                     {batch_on.iso()}));
    if (!existing.empty()) {
      CD_ASSIGN(auto b, load_batch(c, existing[0].integer(0)));
      b.already_printed = true;
      return b;
    }
    const Timestamp now_us = clock_.now_us();
    CD_ASSIGN(auto batch_id,
              c.query_int("INSERT INTO citation_notice_batches (batch_on, created_by_name, "
                          "created_us) VALUES (?, ?, ?) RETURNING id",
                          {batch_on.iso(), actor.username, now_us}));
    CD_ASSIGN(auto waiting, c.query("SELECT id FROM citation_notices WHERE status IN ('held', "
                                    "'ready') AND notice_on <= ? ORDER BY id",
                                    {batch_on.iso()}));
    std::int64_t printed = 0, held = 0;
    for (const auto& w : waiting) {
      CD_ASSIGN(auto outcome,
                print_one(c, city_.citations, calendar_, w.integer(0), batch_id, batch_on));
      printed += outcome == Printed::kPrinted;
      held += outcome == Printed::kHeld;
    }
    CD_ASSIGN(auto total, c.query_int("SELECT COALESCE(SUM(amount_due_cents), 0) FROM "
                                      "citation_notices WHERE batch_id = ?",
                                      {batch_id}));
    CD_TRY(
        c.exec("UPDATE citation_notice_batches SET notice_count = ?, total_due_cents = ?, "
               "held_count = ? WHERE id = ?",
               {printed, total, held, batch_id}));
    CD_TRY(audit::append(
        c, actor, now_us,
        {"citations.notices.print", "citation_notice_batch", std::to_string(batch_id), std::nullopt,
         json::serialize(json::object{{"batch_on", batch_on.iso()},
                                      {"notices", printed},
                                      {"held", held},
                                      {"total_due", format_plain(Money::from_cents(total))}})}));
    return load_batch(c, batch_id);
  });
}

Result<NoticeBatch> NoticeBook::batch(std::int64_t id) {
  return db_.read<NoticeBatch>([&](store::Connection& c) { return load_batch(c, id); });
}

Result<std::vector<NoticeBatch>> NoticeBook::batches() {
  return db_.read<std::vector<NoticeBatch>>(
      [&](store::Connection& c) -> Result<std::vector<NoticeBatch>> {
        CD_ASSIGN(auto rows, c.query("SELECT " + std::string(kBatchColumns) +
                                         "ORDER BY batch_on DESC, id DESC LIMIT ?",
                                     {std::int64_t{kMaxNoticeBatchesListed}}));
        std::vector<NoticeBatch> out;
        for (const auto& r : rows) out.push_back(read_batch(r));
        return out;
      });
}

Result<std::string> NoticeBook::batch_pdf(std::int64_t id, const NoticePdfOptions& options) {
  struct Loaded {
    NoticeBatch batch;
    std::vector<NoticeLetter> letters;
  };
  CD_ASSIGN(auto loaded, db_.read<Loaded>([&](store::Connection& c) -> Result<Loaded> {
    Loaded l;
    CD_ASSIGN(l.batch, load_batch(c, id));
    CD_ASSIGN(auto rows, c.query("SELECT n.id, c.issued_on, c.issued_minute, c.location, "
                                 "c.violation_code, c.plate_state, c.plate FROM citation_notices "
                                 "n JOIN citations c ON c.id = n.citation_id WHERE n.batch_id = ? "
                                 "ORDER BY n.id",
                                 {id}));
    for (std::size_t i = 0; i < rows.size() && i < l.batch.notices.size(); ++i) {
      const auto& r = rows[i];
      const NoticeRecord& n = l.batch.notices[i];
      NoticeLetter letter;
      letter.city_name = city_.name;
      letter.reference = "Notice " + std::to_string(n.id) + ", batch " + l.batch.batch_on;
      CD_ASSIGN(letter.mailed_on, parse_date(n.mailed_on, "mailed_on"));
      letter.addressee_name = n.addressee_name;
      letter.address_lines = n.address_lines;
      letter.citation_number = n.citation_number;
      CD_ASSIGN(letter.issued_on, parse_date(r.text(1), "issued_on"));
      if (!r.is_null(2)) letter.issued_minute = static_cast<int>(r.integer(2));
      letter.location = r.text(3);
      letter.violation_code = r.text(4);
      if (const Violation* v = city_.citations.violation(letter.violation_code))
        letter.violation_description = v->description;
      letter.plate_state = r.text(5);
      letter.plate = r.text(6);
      letter.fine = n.fine;
      letter.penalties = n.penalties;
      letter.amount_due = n.amount_due;
      CD_ASSIGN(letter.respond_by, parse_date(n.review_deadline, "review_deadline"));
      const Deadline d = review_request_deadline(city_.citations.contest, calendar_,
                                                 letter.issued_on, letter.mailed_on);
      letter.respond_by_reason = describe(d, calendar_);
      l.letters.push_back(std::move(letter));
    }
    return l;
  }));
  if (loaded.letters.empty())
    return fail(
        ErrorCode::kUnprocessable,
        "batch " + std::to_string(id) + " of " + loaded.batch.batch_on + " printed no notice",
        "id");
  return notice_pdf(loaded.letters, options);
}

}  // namespace civicdesk::citations
