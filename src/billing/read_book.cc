// UtilityBook's reads: manual entry, the handheld route file, and the read exception queue (see
// utility_book.h for the rules).
#include <boost/json.hpp>

#include <algorithm>

#include "billing/utility_book.h"
#include "billing/utility_book_internal.h"
#include "core/limits.h"

namespace civicdesk::billing {
namespace json = boost::json;
using detail::audit;

namespace {

constexpr const char* kExceptionSelect =
    "SELECT e.id, a.number, pa.display_name, a.premise_id, e.code, e.message, e.status, "
    "e.resolution_note, e.resolved_by_name, e.read_id, "
    "(SELECT MAX(f.id) FROM field_work f WHERE f.read_id = e.read_id), "
    "e.expected_mccf, e.low_mccf, e.high_mccf, e.average_usage_mccf, e.average_days, "
    "e.checked_days "
    "FROM read_exceptions e JOIN utility_accounts a ON a.id = e.account_id "
    "JOIN parties pa ON pa.id = a.party_id ";

Result<ReadRecord> load_read(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto row, c.query_one(std::string(detail::kReadSelect) + "WHERE r.id = ?", {id}));
  return detail::read_record(row);
}

Result<ReadExceptionView> exception_row(store::Connection& c, const store::Row& r) {
  ReadExceptionView v;
  v.id = r.integer(0);
  v.account_number = r.integer(1);
  v.party_name = r.text(2);
  CD_ASSIGN(auto premise, detail::load_premise(c, r.integer(3)));
  v.service_address = one_line(premise);
  v.code = r.text(4);
  v.message = r.text(5);
  v.status = r.text(6);
  v.resolution_note = r.text(7);
  v.resolved_by = r.text(8);
  CD_ASSIGN(v.read, load_read(c, r.integer(9)));
  v.field_work_id = r.opt_integer(10);
  if (auto expected = r.opt_integer(11)) {
    ExpectedRange e;
    e.expected_mccf = *expected;
    e.low_mccf = r.opt_integer(12).value_or(0);
    e.high_mccf = r.opt_integer(13).value_or(0);
    e.average = {r.opt_integer(14).value_or(0), r.opt_integer(15).value_or(0)};
    e.days = r.opt_integer(16).value_or(0);
    v.expected = e;
  }
  CD_ASSIGN(auto prev, c.query("SELECT value, read_on FROM reads WHERE meter_id = ? AND status = "
                               "'accepted' AND read_on < ? ORDER BY read_on DESC, id DESC LIMIT 1",
                               {v.read.meter_id, v.read.read_on.iso()}));
  if (!prev.empty()) {
    v.previous_value = prev[0].integer(0);
    CD_ASSIGN(auto on, parse_date(prev[0].text(1), "read_on"));
    v.previous_read_on = on;
  }
  return v;
}

Result<ReadExceptionView> load_exception(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query(std::string(kExceptionSelect) + "WHERE e.id = ?", {id}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no read exception " + std::to_string(id), "id");
  return exception_row(c, rows[0]);
}

Result<ReadExceptionView> load_open_exception(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto v, load_exception(c, id));
  if (v.status != "open" && v.status != "reread")
    return fail(ErrorCode::kUnprocessable,
                "read exception " + std::to_string(id) + " is already " + v.status, "id");
  return v;
}

// Closes an exception with `status`, and its open re-read (done when a read came, cancelled
// when the office decided without one).
Result<void> resolve(store::Connection& c, const Actor& actor, Timestamp now, std::int64_t id,
                     std::int64_t read_id, const std::string& status, const std::string& note,
                     const std::string& field_work_status) {
  CD_TRY(
      c.exec("UPDATE read_exceptions SET status = ?, resolution_note = ?, resolved_by_name = ?, "
             "resolved_us = ? WHERE id = ?",
             {status, note, actor.username, now, id}));
  CD_TRY(
      c.exec("UPDATE field_work SET status = ?, completed_us = ? WHERE read_id = ? AND status "
             "= 'open'",
             {field_work_status, now, read_id}));
  return {};
}

// A newer read supersedes the meter's open exceptions dated on or before it.
Result<void> supersede_open(store::Connection& c, const Actor& actor, Timestamp now,
                            std::int64_t meter_id, CivilDate read_on) {
  CD_ASSIGN(auto rows, c.query("SELECT e.id, e.read_id FROM read_exceptions e JOIN reads r ON "
                               "r.id = e.read_id WHERE r.meter_id = ? AND r.read_on <= ? AND "
                               "e.status IN ('open', 'reread')",
                               {meter_id, read_on.iso()}));
  for (const auto& r : rows) {
    CD_TRY(c.exec("UPDATE reads SET status = 'superseded' WHERE id = ?", {r.integer(1)}));
    CD_TRY(resolve(c, actor, now, r.integer(0), r.integer(1), "superseded",
                   "a newer read of the meter came in", "done"));
  }
  return {};
}

struct Placed {
  UtilityAccount account;
  InstalledMeter meter;
};

enum class Duplicate { kNone, kSame, kDifferent };

Result<Duplicate> find_duplicate(store::Connection& c, std::int64_t meter_id, CivilDate on,
                                 std::int64_t value) {
  CD_ASSIGN(auto rows, c.query("SELECT value, status FROM reads WHERE meter_id = ? AND read_on = ? "
                               "AND kind IN ('actual', 'final', 'initial')",
                               {meter_id, on.iso()}));
  Duplicate d = Duplicate::kNone;
  for (const auto& r : rows) {
    if (r.integer(0) == value) return Duplicate::kSame;
    if (r.text(1) != "superseded") d = Duplicate::kDifferent;
  }
  return d;
}

// Validates and stores one read of `placed` (the core of manual entry and imports).
Result<ReadOutcome> record_read(store::Connection& c, const Actor& actor, Timestamp now,
                                const Placed& placed, std::int64_t value, CivilDate read_on,
                                const std::string& source, const std::string& reader,
                                const std::string& note, const ReadTolerances& t) {
  const Meter& m = placed.meter.meter;
  CD_ASSIGN(auto prior, detail::prior_read(c, m.id));
  if (!prior)
    return fail(ErrorCode::kUnprocessable, "meter " + m.serial + " has no reads", "meter_serial");
  CD_ASSIGN(auto history, detail::load_history(c, placed.account.id));
  CD_ASSIGN(auto d, validate_read(m, *prior, value, read_on,
                                  average_daily_use(history, t.estimate_periods), t));
  CD_TRY(supersede_open(c, actor, now, m.id, read_on));
  const bool ok = d.check == ReadCheck::kOk;
  detail::NewRead r{m.id,
                    placed.meter.install.id,
                    placed.account.id,
                    read_on,
                    value,
                    "actual",
                    source,
                    ok ? "accepted" : "exception",
                    d,
                    reader,
                    note,
                    std::nullopt};
  CD_ASSIGN(const std::int64_t read_id, detail::insert_read(c, actor, now, r));
  std::optional<std::int64_t> exception_id;
  if (!ok) {
    // What the check expected, kept as it saw it (migration 017); NULL without history.
    auto opt = [](const std::optional<std::int64_t>& v) -> store::Value {
      return v ? store::Value(*v) : store::Value{};
    };
    const bool ranged = d.expected_mccf.has_value();
    CD_ASSIGN(auto row,
              c.query_one("INSERT INTO read_exceptions (read_id, account_id, code, message, "
                          "status, created_us, expected_mccf, low_mccf, high_mccf, "
                          "average_usage_mccf, average_days, checked_days) VALUES (?, ?, ?, ?, "
                          "'open', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          {read_id, placed.account.id, std::string(to_string(d.check)), d.message,
                           now, opt(d.expected_mccf), opt(d.low_mccf), opt(d.high_mccf),
                           ranged ? store::Value(d.average.usage_mccf) : store::Value{},
                           ranged ? store::Value(d.average.days) : store::Value{},
                           ranged ? store::Value(d.checked_days) : store::Value{}}));
    exception_id = row.integer(0);
  }
  CD_TRY(audit(c, actor, now, "read.enter", "utility_account", placed.account.id,
               {{"number", placed.account.number},
                {"read_id", read_id},
                {"serial", m.serial},
                {"read_on", read_on.iso()},
                {"value", value},
                {"source", source},
                {"check", std::string(to_string(d.check))}}));
  ReadOutcome out;
  CD_ASSIGN(out.read, load_read(c, read_id));
  if (exception_id) {
    CD_ASSIGN(auto v, load_exception(c, *exception_id));
    out.exception = std::move(v);
  }
  return out;
}

// CCF for people: "9", "36.25", "0.6" (format_ccf without trailing zeros).
std::string short_ccf(std::int64_t mccf) {
  std::string s = format_ccf(mccf);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string describe(const ExpectedRange& r) {
  std::string avg = "0";
  if (r.average.days > 0) {
    // mccf per day rounded half-up to 10 mccf (0.01 CCF).
    const auto hundredths = divide_half_up(static_cast<__int128>(r.average.usage_mccf),
                                           static_cast<__int128>(r.average.days) * 10);
    avg = short_ccf(static_cast<std::int64_t>(hundredths) * 10);
  }
  return "expected " + short_ccf(r.low_mccf) + "–" + short_ccf(r.high_mccf) + " CCF (avg " + avg +
         "/day × " + std::to_string(r.days) + " days)";
}

Result<ReadOutcome> UtilityBook::enter_read(const Actor& actor, std::int64_t number,
                                            const ReadEntry& entry) {
  CD_ASSIGN(const CivilDate on, date_or_today(entry.read_on, "read_on"));
  if (on > today()) return fail(Error::invalid("read_on", "a read cannot be in the future"));
  if (entry.note.size() > kMaxReadNoteLength || entry.reader.size() > kMaxReadNoteLength)
    return fail(Error::invalid("note", "is longer than " + std::to_string(kMaxReadNoteLength)));
  const Timestamp now = clock_.now_us();
  return db_.write<ReadOutcome>([&](store::Connection& c) -> Result<ReadOutcome> {
    Placed p;
    CD_ASSIGN(p.account, detail::load_account(c, number));
    CD_ASSIGN(p.meter, detail::current_meter(c, p.account, entry.meter_serial));
    CD_TRY(check_register_value(p.meter.meter, entry.value, "value"));
    CD_ASSIGN(auto dup, find_duplicate(c, p.meter.meter.id, on, entry.value));
    if (dup != Duplicate::kNone)
      return fail(ErrorCode::kConflict,
                  "meter " + p.meter.meter.serial + " already has a read on " + on.iso(),
                  "read_on");
    return record_read(c, actor, now, p, entry.value, on, "manual", entry.reader, entry.note,
                       city_.billing.reads);
  });
}

Result<std::vector<ReadOutcome>> UtilityBook::enter_reads(const Actor& actor, std::int64_t number,
                                                          const std::vector<ReadEntry>& entries) {
  if (entries.size() > kMaxReadsAtOnce)
    return fail(ErrorCode::kTooLarge,
                "at most " + std::to_string(kMaxReadsAtOnce) + " reads at once", "reads");
  std::vector<CivilDate> dates;
  const CivilDate latest = today();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string at = "reads[" + std::to_string(i) + "].";
    CD_ASSIGN(const CivilDate on, date_or_today(entries[i].read_on, at + "read_on"));
    if (on > latest || (i > 0 && on <= dates.back()))
      return fail(Error::invalid(at + "read_on", "reads go in date order, none in the future"));
    dates.push_back(on);
  }
  const Timestamp now = clock_.now_us();
  return db_.write<std::vector<ReadOutcome>>(
      [&](store::Connection& c) -> Result<std::vector<ReadOutcome>> {
        Placed p;
        CD_ASSIGN(p.account, detail::load_account(c, number));
        std::vector<ReadOutcome> out;
        for (std::size_t i = 0; i < entries.size(); ++i) {
          const ReadEntry& e = entries[i];
          auto r = [&]() -> Result<ReadOutcome> {
            CD_ASSIGN(p.meter, detail::current_meter(c, p.account, e.meter_serial));
            return record_read(c, actor, now, p, e.value, dates[i], "manual", e.reader, e.note,
                               city_.billing.reads);
          }();
          if (!r) {
            Error err = r.error();
            if (err.code == ErrorCode::kInvalidInput)
              err.field = "reads[" + std::to_string(i) + "]." + err.field;
            return fail(err);
          }
          out.push_back(std::move(*r));
        }
        return out;
      });
}

Result<std::vector<ReadRecord>> UtilityBook::reads(std::int64_t number, int limit) {
  if (limit < 1 || limit > static_cast<int>(kMaxPageSize))
    return fail(Error::invalid("limit", "must be between 1 and " + std::to_string(kMaxPageSize)));
  return db_.read<std::vector<ReadRecord>>(
      [&](store::Connection& c) -> Result<std::vector<ReadRecord>> {
        CD_ASSIGN(auto a, detail::load_account(c, number));
        CD_ASSIGN(auto rows, c.query(std::string(detail::kReadSelect) +
                                         "WHERE r.account_id = ? ORDER BY r.read_on DESC, r.id "
                                         "DESC LIMIT ?",
                                     {a.id, std::int64_t{limit}}));
        std::vector<ReadRecord> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto rec, detail::read_record(r));
          out.push_back(std::move(rec));
        }
        return out;
      });
}

Result<std::string> UtilityBook::export_route(const std::string& route_code) {
  const ReadTolerances& t = city_.billing.reads;
  return db_.read<std::string>([&](store::Connection& c) -> Result<std::string> {
    CD_ASSIGN(auto route, c.query("SELECT r.id, cy.read_day, cy.period_months FROM read_routes r "
                                  "JOIN cycles cy ON cy.id = r.cycle_id WHERE r.code = ?",
                                  {route_code}));
    if (route.empty()) return fail(ErrorCode::kNotFound, "no route " + route_code, "route");
    Cycle cycle;
    cycle.read_day = static_cast<int>(route[0].integer(1));
    cycle.period_months = static_cast<int>(route[0].integer(2));
    CD_ASSIGN(auto stops,
              c.query("SELECT s.sequence, a.number FROM route_stops s JOIN utility_accounts a ON "
                      "a.premise_id = s.premise_id AND a.status = 'active' WHERE s.route_id = ? "
                      "ORDER BY s.sequence, a.number",
                      {route[0].integer(0)}));
    std::vector<RouteExportRow> out;
    for (const auto& s : stops) {
      CD_ASSIGN(auto a, detail::load_account(c, s.integer(1)));
      CD_ASSIGN(auto premise, detail::load_premise(c, a.premise_id));
      CD_ASSIGN(auto installs, detail::load_installs(c, a.id));
      CD_ASSIGN(auto history, detail::load_history(c, a.id));
      const DailyUse use = average_daily_use(history, t.estimate_periods);
      for (const auto& im : installs) {
        if (im.install.removed_on) continue;
        CD_ASSIGN(auto prior, detail::prior_read(c, im.meter.id));
        if (!prior) continue;
        RouteExportRow row{route_code,      static_cast<int>(s.integer(0)),
                           a.number,        one_line(premise),
                           im.meter.serial, im.meter.size,
                           im.meter.dials,  std::string(to_string(im.meter.unit)),
                           prior->value,    prior->read_on,
                           std::nullopt,    std::nullopt};
        if (use.days >= t.min_days && use.days > 0) {
          const CivilDate next = next_scheduled_read(cycle, prior->read_on);
          const std::int64_t days = next.days_since_epoch() - prior->read_on.days_since_epoch();
          const auto expected = static_cast<std::int64_t>(
              divide_half_up(static_cast<__int128>(use.usage_mccf) * days, use.days));
          const std::int64_t cap = register_capacity(im.meter.dials);
          row.low_read =
              (prior->value + register_units_for(im.meter, expected * t.low_percent / 100)) % cap;
          row.high_read =
              (prior->value + register_units_for(im.meter, expected * t.high_percent / 100)) % cap;
        }
        out.push_back(std::move(row));
      }
    }
    return format_route_export(out);
  });
}

Result<ReadImportResult> UtilityBook::import_reads(const Actor& actor, std::string_view content) {
  CD_ASSIGN(auto parsed, parse_read_results(content));
  ReadImportResult result;
  result.rows = parsed.rows;
  result.unread = parsed.unread;
  result.refused = std::move(parsed.problems);
  const CivilDate latest = today();
  for (const ReadResultLine& line : parsed.reads) {
    auto refuse = [&](const Error& e) {
      result.refused.push_back({line.line, e.field.empty() ? "line" : e.field, e.message});
    };
    if (line.read_on > latest) {
      refuse(Error::invalid("read_on", "a read cannot be in the future"));
      continue;
    }
    enum class Outcome { kAccepted, kException, kSkipped };
    auto done = db_.write<Outcome>([&](store::Connection& c) -> Result<Outcome> {
      Placed p;
      CD_ASSIGN(p.meter, detail::installed_by_serial(c, line.meter_serial));
      CD_ASSIGN(auto number, c.query_int("SELECT number FROM utility_accounts WHERE id = ?",
                                         {p.meter.install.account_id}));
      if (line.account_number && *line.account_number != number)
        return fail(Error::invalid(
            "account_number",
            "meter " + line.meter_serial + " is installed for account " + std::to_string(number)));
      CD_ASSIGN(p.account, detail::load_account(c, number));
      CD_TRY(check_register_value(p.meter.meter, line.read_value, "read_value"));
      CD_ASSIGN(auto dup, find_duplicate(c, p.meter.meter.id, line.read_on, line.read_value));
      if (dup == Duplicate::kSame) return Outcome::kSkipped;
      if (dup == Duplicate::kDifferent)
        return fail(Error::invalid(
            "read_value",
            "meter " + line.meter_serial + " already has another read on " + line.read_on.iso()));
      auto out = record_read(c, actor, clock_.now_us(), p, line.read_value, line.read_on,
                             "handheld", line.reader, line.note, city_.billing.reads);
      if (!out) {
        Error e = out.error();
        if (e.field == "value") e.field = "read_value";
        return fail(e);
      }
      return out->exception ? Outcome::kException : Outcome::kAccepted;
    });
    if (!done) {
      if (done.error().code == ErrorCode::kStorage || done.error().code == ErrorCode::kInternal)
        return fail(done.error());
      refuse(done.error());
      continue;
    }
    if (*done == Outcome::kAccepted) ++result.accepted;
    if (*done == Outcome::kException) ++result.exceptions;
    if (*done == Outcome::kSkipped) ++result.skipped;
  }
  std::sort(result.refused.begin(), result.refused.end(),
            [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
  return result;
}

Result<std::vector<ReadExceptionView>> UtilityBook::exceptions(const std::string& status) {
  ExceptionQuery q;
  q.status = status;
  q.limit = kMaxExceptionsPerPage;
  CD_ASSIGN(auto page, exception_page(q));
  return std::move(page.items);
}

Result<ExceptionPage> UtilityBook::exception_page(const ExceptionQuery& q) {
  std::string where = "WHERE 1 = 1 ";
  store::Params params;
  if (q.status.empty() || q.status == "open") {
    where += "AND e.status = 'open' ";
  } else if (q.status == "reread") {
    where += "AND e.status = 'reread' ";
  } else if (q.status != "all") {
    return fail(Error::invalid("status", "status is open, reread or all"));
  }
  if (!q.code.empty()) {
    CD_ASSIGN(const ReadCheck check, parse_read_check(q.code));
    if (check == ReadCheck::kOk) return fail(Error::invalid("code", "ok is not a reason"));
    where += "AND e.code = ? ";
    params.push_back(q.code);
  }
  if (q.account_number) {
    where += "AND a.number = ? ";
    params.push_back(*q.account_number);
  }
  if (!q.cycle.empty()) {
    where += "AND a.cycle_id IN (SELECT cy.id FROM cycles cy WHERE cy.code = ?) ";
    params.push_back(q.cycle);
  }
  if (!q.route.empty()) {
    where +=
        "AND a.premise_id IN (SELECT s.premise_id FROM route_stops s JOIN read_routes rr ON "
        "rr.id = s.route_id WHERE rr.code = ?) ";
    params.push_back(q.route);
  }
  if (q.limit < 1 || q.limit > kMaxExceptionsPageSize)
    return fail(
        Error::invalid("limit", "must be between 1 and " + std::to_string(kMaxExceptionsPageSize)));
  if (q.offset < 0) return fail(Error::invalid("offset", "must be 0 or more"));
  return db_.read<ExceptionPage>([&](store::Connection& c) -> Result<ExceptionPage> {
    ExceptionPage page;
    CD_ASSIGN(page.total, c.query_int("SELECT COUNT(*) FROM read_exceptions e JOIN "
                                      "utility_accounts a ON a.id = e.account_id " +
                                          where,
                                      params));
    store::Params paged = params;
    paged.push_back(std::int64_t{q.limit});
    paged.push_back(q.offset);
    CD_ASSIGN(
        auto rows,
        c.query(std::string(kExceptionSelect) + where + "ORDER BY e.id LIMIT ? OFFSET ?", paged));
    for (const auto& r : rows) {
      CD_ASSIGN(auto v, exception_row(c, r));
      page.items.push_back(std::move(v));
    }
    return page;
  });
}

Result<ReadExceptionView> UtilityBook::read_exception(std::int64_t id) {
  return db_.read<ReadExceptionView>([&](store::Connection& c) { return load_exception(c, id); });
}

Result<ReadExceptionView> UtilityBook::accept_exception(const Actor& actor, std::int64_t id,
                                                        const std::string& note) {
  const Timestamp now = clock_.now_us();
  return db_.write<ReadExceptionView>([&](store::Connection& c) -> Result<ReadExceptionView> {
    CD_ASSIGN(auto v, load_open_exception(c, id));
    CD_TRY(c.exec("UPDATE reads SET status = 'accepted' WHERE id = ?", {v.read.id}));
    CD_TRY(resolve(c, actor, now, id, v.read.id, "accepted", note, "cancelled"));
    CD_TRY(audit(c, actor, now, "read_exception.accept", "read_exception", id,
                 {{"read_id", v.read.id}, {"code", v.code}, {"note", note}}));
    return load_exception(c, id);
  });
}

Result<ReadExceptionView> UtilityBook::correct_exception(const Actor& actor, std::int64_t id,
                                                         std::int64_t value,
                                                         const std::string& note) {
  const Timestamp now = clock_.now_us();
  return db_.write<ReadExceptionView>([&](store::Connection& c) -> Result<ReadExceptionView> {
    CD_ASSIGN(auto v, load_open_exception(c, id));
    CD_ASSIGN(auto a, detail::load_account(c, v.account_number));
    CD_ASSIGN(auto rows, c.query("SELECT install_id FROM reads WHERE id = ?", {v.read.id}));
    CD_ASSIGN(auto placed, detail::current_meter(c, a, v.read.meter_serial));
    CD_ASSIGN(auto prior, detail::prior_read(c, v.read.meter_id));
    if (!prior) return fail(ErrorCode::kUnprocessable, "the meter has no reads", "id");
    CD_ASSIGN(auto history, detail::load_history(c, a.id));
    const ReadTolerances& t = city_.billing.reads;
    CD_ASSIGN(auto d, validate_read(placed.meter, *prior, value, v.read.read_on,
                                    average_daily_use(history, t.estimate_periods), t));
    if (d.check == ReadCheck::kNegative) return fail(Error::invalid("value", d.message));
    CD_TRY(c.exec("UPDATE reads SET status = 'superseded' WHERE id = ?", {v.read.id}));
    detail::NewRead r{v.read.meter_id,
                      rows.at(0).integer(0),
                      a.id,
                      v.read.read_on,
                      value,
                      "actual",
                      "correction",
                      "accepted",
                      d,
                      v.read.reader,
                      note,
                      v.read.id};
    CD_ASSIGN(auto new_id, detail::insert_read(c, actor, now, r));
    CD_TRY(resolve(c, actor, now, id, v.read.id, "corrected", note, "cancelled"));
    CD_TRY(audit(c, actor, now, "read_exception.correct", "read_exception", id,
                 {{"read_id", v.read.id},
                  {"old_value", v.read.value},
                  {"new_value", value},
                  {"new_read_id", new_id},
                  {"note", note}}));
    return load_exception(c, id);
  });
}

Result<ReadExceptionView> UtilityBook::request_reread(const Actor& actor, std::int64_t id,
                                                      const std::string& note) {
  const Timestamp now = clock_.now_us();
  return db_.write<ReadExceptionView>([&](store::Connection& c) -> Result<ReadExceptionView> {
    CD_ASSIGN(auto v, load_exception(c, id));
    if (v.status != "open")
      return fail(ErrorCode::kUnprocessable,
                  "read exception " + std::to_string(id) + " is already " + v.status, "id");
    CD_ASSIGN(auto a, detail::load_account(c, v.account_number));
    CD_ASSIGN(auto row, c.query_one("INSERT INTO field_work (kind, account_id, meter_id, read_id, "
                                    "status, note, requested_by_name, created_us) VALUES "
                                    "('re_read', ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
                                    {a.id, v.read.meter_id, v.read.id, note, actor.username, now}));
    CD_TRY(c.exec("UPDATE read_exceptions SET status = 'reread', resolution_note = ? WHERE id = ?",
                  {note, id}));
    CD_TRY(audit(c, actor, now, "read_exception.reread", "read_exception", id,
                 {{"read_id", v.read.id}, {"field_work_id", row.integer(0)}, {"note", note}}));
    return load_exception(c, id);
  });
}

Result<ReadExceptionView> UtilityBook::estimate_exception(const Actor& actor, std::int64_t id,
                                                          const std::string& method_text,
                                                          const std::string& note) {
  CD_ASSIGN(const EstimateMethod method, parse_estimate_method(method_text));
  const Timestamp now = clock_.now_us();
  return db_.write<ReadExceptionView>([&](store::Connection& c) -> Result<ReadExceptionView> {
    CD_ASSIGN(auto v, load_open_exception(c, id));
    CD_ASSIGN(auto a, detail::load_account(c, v.account_number));
    CD_ASSIGN(auto placed, detail::current_meter(c, a, v.read.meter_serial));
    CD_ASSIGN(auto prior, detail::prior_read(c, v.read.meter_id));
    if (!prior) return fail(ErrorCode::kUnprocessable, "the meter has no reads", "id");
    CD_ASSIGN(auto history, detail::load_history(c, a.id));
    CD_ASSIGN(auto e, estimate_read(placed.meter, *prior, v.read.read_on, history, method,
                                    city_.billing.reads.estimate_periods));
    CD_TRY(c.exec("UPDATE reads SET status = 'superseded' WHERE id = ?", {v.read.id}));
    ReadDecision d;
    d.register_units = e.register_units;
    d.usage_mccf = e.usage_mccf;
    d.days = e.days;
    d.true_up = prior->estimated;
    detail::NewRead r{v.read.meter_id,
                      placed.install.id,
                      a.id,
                      v.read.read_on,
                      e.read_value,
                      "estimated",
                      "estimate",
                      "accepted",
                      d,
                      "",
                      e.basis,
                      v.read.id};
    CD_ASSIGN(auto new_id, detail::insert_read(c, actor, now, r));
    CD_TRY(resolve(c, actor, now, id, v.read.id, "estimated", note, "cancelled"));
    CD_TRY(audit(c, actor, now, "read_exception.estimate", "read_exception", id,
                 {{"read_id", v.read.id},
                  {"method", std::string(to_string(method))},
                  {"estimated_value", e.read_value},
                  {"new_read_id", new_id},
                  {"basis", e.basis}}));
    return load_exception(c, id);
  });
}

}  // namespace civicdesk::billing
