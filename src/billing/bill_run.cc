// Bill runs: the account loop, batches and resume, one account's bill (bill_run.h). Views,
// cancel/rebill, penalties and the bill document are in bill_book.cc.
#include "billing/bill_run.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>

#include "billing/bill_run_internal.h"
#include "billing/utility_account.h"
#include "billing/utility_book_internal.h"
#include "core/crash_point.h"

namespace civicdesk::billing {
namespace json = boost::json;

namespace detail {

std::string revenue_account_for(std::string_view service) {
  std::string out = "4000-";
  for (char ch : service) out += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

Result<AccountRow> account_row_by(store::Connection& c, std::string_view where,
                                  const store::Value& key) {
  CD_ASSIGN(auto row, c.query_one(std::string("SELECT id, number, party_id, premise_id, status, "
                                              "in_dispute, payment_arrangement "
                                              "FROM utility_accounts WHERE ") +
                                      std::string(where),
                                  {key}));
  return AccountRow{row.integer(0), row.integer(1),      row.integer(2),     row.integer(3),
                    row.text(4),    row.integer(5) != 0, row.integer(6) != 0};
}

namespace {

Outcome exception(std::string code, std::string reason) {
  Outcome o;
  o.status = "exception";
  o.reason_code = std::move(code);
  o.reason = std::move(reason);
  return o;
}

// A service from `id, kind, rate_class, started_on, stopped_on` starting at column `at`.
Result<Service> service_from(const store::Row& r, std::size_t at, std::int64_t account_id) {
  Service s;
  s.id = r.integer(at);
  s.account_id = account_id;
  CD_ASSIGN(s.kind, parse_service_kind(r.text(at + 1)));
  s.rate_class = r.text(at + 2);
  CD_ASSIGN(s.started_on, parse_date(r.text(at + 3), "started_on"));
  CD_ASSIGN(s.stopped_on, read_opt_date(r, at + 4));
  return s;
}

std::string balance_key(std::int64_t party_id, std::string_view account_ref) {
  return std::to_string(party_id) + ":" + std::string(account_ref);
}

// The carts that ran for some part of [from, to); the calculation charges each its own days.
Result<std::vector<RefuseCart>> carts_in(store::Connection& c, std::int64_t account_id,
                                         CivilDate from, CivilDate to) {
  CD_ASSIGN(auto carts, detail::load_carts(c, account_id));
  std::erase_if(carts, [&](const RefuseCart& cart) {
    return !(cart.started_on < to && (!cart.stopped_on || from < *cart.stopped_on));
  });
  return carts;
}

// Ledger lines: one per positive component; a negative component (a discount) is taken off its
// service's first positive line — a ledger charge line is never negative.
Result<std::vector<ledger::ChargeLineInput>> ledger_lines(const std::vector<ComputedLine>& lines,
                                                          const CityConfig& city) {
  std::vector<ledger::ChargeLineInput> out;
  std::map<std::string, Money> credits;
  std::map<std::string, std::size_t> first_line;
  for (const auto& l : lines) {
    if (l.amount.is_negative()) {
      CD_ASSIGN(credits[l.service], credits[l.service].add(l.amount));
      continue;
    }
    if (l.amount.is_zero()) continue;
    const std::string account = revenue_account_for(l.service);
    if (!city.gl_account(account))
      return fail(ErrorCode::kUnprocessable,
                  "no revenue account " + account + " under gl_accounts for " + l.service,
                  "revenue_account");
    if (!first_line.contains(l.service)) first_line[l.service] = out.size();
    out.push_back({l.service + ": " + l.description, account, l.amount, false});
  }
  for (const auto& [service, credit] : credits) {
    auto at = first_line.find(service);
    Money left = credit;  // negative
    if (at != first_line.end()) {
      auto& line = out[at->second];
      CD_ASSIGN(auto net, line.amount.add(left));
      if (net.is_positive()) {
        line.amount = net;
        left = Money::zero();
      } else {
        left = net;
        line.amount = Money::zero();
      }
    }
    if (!left.is_zero())
      return fail(ErrorCode::kUnprocessable,
                  "the " + service + " discounts are more than its charges", "amount");
  }
  std::erase_if(out, [](const ledger::ChargeLineInput& l) { return l.amount.is_zero(); });
  return out;
}

std::string join_ids(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

}  // namespace

Result<Outcome> bill_one(store::Connection& c, const BillContext& ctx, const AccountRow& a,
                         CivilDate period_end, const std::optional<PeriodOverride>& fixed,
                         const BatchReads* batch) {
  std::vector<Service> services;
  std::optional<CivilDate> last_end;
  if (batch) {
    if (auto it = batch->services.find(a.id); it != batch->services.end()) services = it->second;
    if (auto it = batch->last_end.find(a.id); it != batch->last_end.end()) {
      CD_ASSIGN(last_end, parse_date(it->second, "period_to"));
    }
  } else {
    CD_ASSIGN(services, detail::load_services(c, a.id));
    CD_ASSIGN(auto last_end_row,
              c.query_one("SELECT MAX(period_to) FROM bills WHERE account_id = ? AND "
                          "status = 'issued'",
                          {a.id}));
    if (!last_end_row.is_null(0)) {
      CD_ASSIGN(last_end, parse_date(last_end_row.text(0), "period_to"));
    }
  }

  CivilDate from, to;
  std::string kind = "regular";
  if (fixed) {
    from = fixed->from;
    to = fixed->to;
    kind = "rebill";
  } else {
    if (services.empty()) return exception("no_service", "the account has no services to bill");
    if (last_end) {
      from = *last_end;
    } else {
      from = services.front().started_on;
      for (const auto& s : services) from = std::min(from, s.started_on);
      kind = "first";
    }
    to = period_end;
    std::optional<CivilDate> last_stop;
    bool all_stopped = true;
    for (const auto& s : services) {
      if (!s.stopped_on) {
        all_stopped = false;
        break;
      }
      last_stop = last_stop ? std::max(*last_stop, *s.stopped_on) : *s.stopped_on;
    }
    if (all_stopped && last_stop && *last_stop <= period_end) {
      to = *last_stop;
      kind = "final";
    }
    if (!(from < to)) {
      if (last_end) {
        Outcome o;
        o.status = "already_billed";
        return o;
      }
      return exception("no_service",
                       "no service ran between " + from.iso() + " and " + period_end.iso());
    }
  }

  BillRequest req;
  req.account_number = a.number;
  req.period_from = from;
  req.period_to = to;
  req.days = to.days_since_epoch() - from.days_since_epoch();
  bool metered = false;
  for (const auto& s : services) {
    const CivilDate f = std::max(s.started_on, from);
    const CivilDate t = s.stopped_on ? std::min(*s.stopped_on, to) : to;
    if (!(f < t)) continue;
    req.services.push_back({s.kind, s.rate_class, f, t});
    metered = metered || s.kind == ServiceKind::kWater || s.kind == ServiceKind::kSewer;
  }
  if (req.services.empty())
    return exception("no_service", "no service ran between " + from.iso() + " and " + to.iso());

  std::vector<std::int64_t> read_ids;
  if (metered) {
    CD_ASSIGN(auto open, c.query_int("SELECT COUNT(*) FROM read_exceptions e JOIN reads r ON "
                                     "r.id = e.read_id WHERE e.account_id = ? AND e.status IN "
                                     "('open', 'reread') AND r.read_on <= ?",
                                     {a.id, to.iso()}));
    if (open > 0)
      return exception("read_exception", "a read exception dated on or before " + to.iso() +
                                             " is waiting in the queue");
    CD_ASSIGN(auto reads, c.query("SELECT id, usage_mccf, kind FROM reads WHERE account_id = ? "
                                  "AND status = 'accepted' AND read_on > ? AND read_on <= ? "
                                  "ORDER BY read_on, id",
                                  {a.id, from.iso(), to.iso()}));
    bool measured = false;
    for (const auto& r : reads) {
      req.usage_mccf += r.integer(1);
      const std::string k = r.text(2);
      req.estimated = req.estimated || k == "estimated";
      measured = measured || k != "initial";
      read_ids.push_back(r.integer(0));
    }
    std::optional<std::string> meter_size;
    if (batch) {
      if (auto it = batch->meter_size.find(a.id); it != batch->meter_size.end())
        meter_size = it->second;
    } else {
      CD_ASSIGN(auto meter, c.query("SELECT m.size FROM meter_installs i JOIN meters m ON m.id = "
                                    "i.meter_id WHERE i.account_id = ? ORDER BY i.id DESC LIMIT 1",
                                    {a.id}));
      if (!meter.empty()) meter_size = meter.front().text(0);
    }
    if (!meter_size)
      return exception("no_meter", "a metered service and no meter installed on the account");
    req.meter_size = *meter_size;
    if (!measured)
      return exception("no_read", "no accepted read between " + from.iso() + " and " + to.iso() +
                                      " (estimate it from the read exception queue)");
  }
  const std::pair<std::string, std::int64_t>* site = nullptr;
  if (batch) {
    if (auto it = batch->premise.find(a.premise_id); it != batch->premise.end()) site = &it->second;
  }
  if (site) {
    req.premise_type = site->first;
    req.dwelling_units = static_cast<int>(site->second);
  } else {
    CD_ASSIGN(auto premise, c.query_one("SELECT premise_type, dwelling_units FROM premises "
                                        "WHERE id = ?",
                                        {a.premise_id}));
    req.premise_type = premise.text(0);
    req.dwelling_units = static_cast<int>(premise.integer(1));
  }
  CD_ASSIGN(req.carts, carts_in(c, a.id, from, to));

  auto computed = ctx.calculator(req);
  if (!computed)
    return exception(computed.error().field == "rate_class" ? "rate_class" : "calculation",
                     computed.error().message);
  auto lines = ledger_lines(*computed, ctx.city);
  if (!lines) return exception("posting", lines.error().message);
  Money total;
  for (const auto& l : *computed) {
    CD_ASSIGN(total, total.add(l.amount));
  }

  const std::string ref = ledger_account_ref(a.number);
  std::int64_t previous = 0;
  if (batch) {
    if (auto it = batch->open_balance.find(balance_key(a.party_id, ref));
        it != batch->open_balance.end())
      previous = it->second;
  } else {
    CD_ASSIGN(previous, c.query_int("SELECT COALESCE(SUM(balance_cents), 0) FROM obligations WHERE "
                                    "party_id = ? AND account_ref = ? AND status = 'open'",
                                    {a.party_id, ref}));
  }
  const std::string ids = join_ids(read_ids);
  CD_ASSIGN(auto bill_row,
            c.query_one(
                "INSERT INTO bills (account_id, account_number, party_id, run_id, kind, "
                "period_from, period_to, days, usage_mccf, bill_date, due_date, total_cents, "
                "previous_balance_cents, status, estimated, read_ids, rebill_of, "
                "created_by_name, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "'issued', ?, ?, ?, ?, ?) RETURNING id",
                {a.id, a.number, a.party_id, ctx.run_id ? store::Value{*ctx.run_id} : store::null(),
                 kind, from.iso(), to.iso(), req.days, req.usage_mccf, ctx.bill_date.iso(),
                 ctx.due_date.iso(), total.cents(), previous, std::int64_t{req.estimated ? 1 : 0},
                 ids, fixed && fixed->rebill_of ? store::Value{*fixed->rebill_of} : store::null(),
                 ctx.actor.username, ctx.now_us}));
  const std::int64_t bill_id = bill_row.integer(0);
  // The lines as multi-row INSERTs (one statement for a usual bill; at most kLinesPerInsert rows
  // each, so the connection's statement cache holds few distinct texts).
  constexpr std::size_t kLinesPerInsert = 16;
  for (std::size_t at = 0; at < computed->size(); at += kLinesPerInsert) {
    const std::size_t n = std::min(kLinesPerInsert, computed->size() - at);
    std::string sql =
        "INSERT INTO bill_lines (bill_id, line_no, service, component, description, "
        "amount_cents, revenue_account, explanation, read_ids) VALUES ";
    store::Params params;
    params.reserve(n * 9);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& l = (*computed)[at + i];
      const bool usage = l.service == "water" || l.service == "sewer";
      sql += i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
      params.insert(params.end(),
                    {bill_id, static_cast<std::int64_t>(at + i + 1), l.service, l.component,
                     l.description, l.amount.cents(), revenue_account_for(l.service), l.explanation,
                     usage ? ids : std::string()});
    }
    CD_TRY(c.exec(sql, params));
  }
  if (!lines->empty()) {
    ledger::ChargeRequest charge;
    charge.party_id = a.party_id;
    charge.account_ref = ref;
    charge.kind = "utility_bill";
    charge.description = "Utility bill " + from.iso() + " to " + to.iso();
    charge.due_date = ctx.due_date;
    charge.lines = std::move(*lines);
    charge.source_ref = "bill:" + std::to_string(bill_id);
    CD_ASSIGN(auto obligation, ctx.ledger.charge_within(c, ctx.actor, charge));
    CD_TRY(c.exec("UPDATE bills SET obligation_id = ? WHERE id = ?", {obligation.id, bill_id}));
  }
  CRASH_POINT("billing.run.after_bill");
  Outcome o;
  o.status = "billed";
  o.bill_id = bill_id;
  o.total = total;
  return o;
}

}  // namespace detail

namespace {

using detail::AccountRow;
using detail::Outcome;

Result<BillRunView> load_run(store::Connection& c, std::int64_t id) {
  auto row = c.query_one(
      "SELECT r.id, y.code, r.period_end, r.bill_date, r.status, r.accounts, r.billed, "
      "r.exceptions, r.skipped, r.total_cents, r.started_us, r.finished_us, r.started_by_name "
      "FROM bill_runs r JOIN cycles y ON y.id = r.cycle_id WHERE r.id = ?",
      {id});
  if (!row) {
    if (row.error().code == ErrorCode::kNotFound)
      return fail(ErrorCode::kNotFound, "no bill run " + std::to_string(id), "id");
    return std::unexpected(row.error());
  }
  BillRunView v;
  v.id = row->integer(0);
  v.cycle_code = row->text(1);
  CD_ASSIGN(v.period_end, parse_date(row->text(2), "period_end"));
  CD_ASSIGN(v.bill_date, parse_date(row->text(3), "bill_date"));
  v.status = row->text(4);
  v.accounts = row->integer(5);
  v.billed = row->integer(6);
  v.exceptions = row->integer(7);
  v.skipped = row->integer(8);
  v.total = Money::from_cents(row->integer(9));
  v.started_us = row->integer(10);
  v.finished_us = row->opt_integer(11);
  v.started_by = row->text(12);
  return v;
}

struct RunHead {
  std::int64_t id = 0;
  std::int64_t cycle_id = 0;
  CivilDate period_end, bill_date;
  std::string status;
};

Result<RunHead> run_head(store::Connection& c, std::int64_t id) {
  auto row = c.query_one(
      "SELECT id, cycle_id, period_end, bill_date, status FROM bill_runs WHERE id = ?", {id});
  if (!row) {
    if (row.error().code == ErrorCode::kNotFound)
      return fail(ErrorCode::kNotFound, "no bill run " + std::to_string(id), "id");
    return std::unexpected(row.error());
  }
  RunHead h;
  h.id = row->integer(0);
  h.cycle_id = row->integer(1);
  CD_ASSIGN(h.period_end, parse_date(row->text(2), "period_end"));
  CD_ASSIGN(h.bill_date, parse_date(row->text(3), "bill_date"));
  h.status = row->text(4);
  return h;
}

// The accounts of the cycle the run has not reached yet, in number order. Closed accounts whose
// final bill is issued are not the cycle's any more.
Result<std::vector<AccountRow>> next_accounts(store::Connection& c, const RunHead& run,
                                              std::int64_t after_number, int limit) {
  CD_ASSIGN(auto rows,
            c.query("SELECT a.id, a.number, a.party_id, a.premise_id, a.status, a.in_dispute, "
                    "a.payment_arrangement FROM utility_accounts a LEFT JOIN bill_run_accounts "
                    "x ON x.run_id = ? AND x.account_id = a.id WHERE a.cycle_id = ? AND "
                    "a.number > ? AND x.account_id IS NULL ORDER BY a.number LIMIT ?",
                    {run.id, run.cycle_id, after_number, std::int64_t{limit}}));
  std::vector<AccountRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.push_back({r.integer(0), r.integer(1), r.integer(2), r.integer(3), r.text(4),
                   r.integer(5) != 0, r.integer(6) != 0});
  return out;
}

// bill_one's per-account reads for the whole batch (bill_run_internal.h, BatchReads): what one
// account's bill writes (its bill, its obligation under its own account_ref) is never another
// account's, so reading them before the first bill of the batch reads what each would alone.
Result<detail::BatchReads> read_batch(store::Connection& c,
                                      const std::vector<AccountRow>& accounts) {
  detail::BatchReads out;
  if (accounts.empty()) return out;
  std::string in = "(";
  store::Params ids, premises, refs;
  for (const auto& a : accounts) {
    in += ids.empty() ? "?" : ", ?";
    ids.push_back(a.id);
    premises.push_back(a.premise_id);
    refs.push_back(ledger_account_ref(a.number));
  }
  in += ")";
  CD_ASSIGN(auto services,
            c.query("SELECT account_id, id, kind, rate_class, started_on, stopped_on FROM "
                    "services WHERE account_id IN " +
                        in + " ORDER BY account_id, id",
                    ids));
  for (const auto& r : services) {
    CD_ASSIGN(auto s, detail::service_from(r, 1, r.integer(0)));
    out.services[s.account_id].push_back(std::move(s));
  }
  // As for open balances below: a status filter in the WHERE makes the planner read every
  // issued bill by bills_due for each batch; the CASE leaves it bills_account.
  CD_ASSIGN(auto bills, c.query("SELECT account_id, MAX(CASE WHEN status = 'issued' THEN "
                                "period_to END) FROM bills WHERE account_id IN " +
                                    in + " GROUP BY account_id",
                                ids));
  for (const auto& r : bills)
    if (!r.is_null(1)) out.last_end.emplace(r.integer(0), r.text(1));
  CD_ASSIGN(auto meters, c.query("SELECT i.account_id, m.size FROM meter_installs i JOIN meters "
                                 "m ON m.id = i.meter_id WHERE i.account_id IN " +
                                     in + " ORDER BY i.account_id, i.id DESC",
                                 ids));
  for (const auto& r : meters) out.meter_size.emplace(r.integer(0), r.text(1));  // first: latest
  CD_ASSIGN(auto sites, c.query("SELECT id, premise_type, dwelling_units FROM premises WHERE id "
                                "IN " +
                                    in,
                                premises));
  for (const auto& r : sites) out.premise.emplace(r.integer(0), std::pair{r.text(1), r.integer(2)});
  // The status is summed over, not filtered on: with `status = 'open'` in the WHERE the
  // planner reads every open obligation of the City by its status index for each batch (with
  // 500 values in the IN list it prices the status index lower; no ANALYZE statistics).
  CD_ASSIGN(auto open, c.query("SELECT party_id, account_ref, SUM(CASE WHEN status = 'open' "
                               "THEN balance_cents ELSE 0 END) FROM obligations WHERE "
                               "account_ref IN " +
                                   in + " GROUP BY party_id, account_ref",
                               refs));
  for (const auto& r : open)
    out.open_balance.emplace(detail::balance_key(r.integer(0), r.text(1)), r.integer(2));
  return out;
}

Result<void> record(store::Connection& c, std::int64_t run_id, const AccountRow& a,
                    const Outcome& o, Timestamp now_us) {
  CD_TRY(c.exec(
      "INSERT INTO bill_run_accounts (run_id, account_id, account_number, status, "
      "bill_id, reason_code, reason, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {run_id, a.id, a.number, o.status, o.bill_id ? store::Value{*o.bill_id} : store::null(),
       o.reason_code, o.reason, now_us}));
  CD_TRY(
      c.exec("UPDATE bill_runs SET billed = billed + ?, exceptions = exceptions + ?, "
             "skipped = skipped + ?, total_cents = total_cents + ? WHERE id = ?",
             {std::int64_t{o.status == "billed"}, std::int64_t{o.status == "exception"},
              std::int64_t{o.status == "already_billed"}, o.total.cents(), run_id}));
  return {};
}

}  // namespace

BillRun::BillRun(store::Database& db, const CityConfig& city, const Clock& clock,
                 const TimeZone& tz, ledger::Ledger& ledger, BillCalculator calculator)
    : db_(db),
      city_(city),
      clock_(clock),
      tz_(tz),
      ledger_(ledger),
      calculator_(calculator ? std::move(calculator) : detail::default_calculator(city)) {}

CivilDate BillRun::today() const {
  return tz_.local_date(clock_.now_us() / kMicrosPerSecond);
}

Result<BillRunView> BillRun::open_run(const Actor& actor, const std::string& cycle_code,
                                      const std::string& period_end) {
  CD_ASSIGN(const CivilDate end, parse_date(period_end, "period_end"));
  const CivilDate bill_date = today();
  const Timestamp now = clock_.now_us();
  CD_ASSIGN(auto id, db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
    auto cycle = c.query_one("SELECT id FROM cycles WHERE code = ?", {cycle_code});
    if (!cycle) {
      if (cycle.error().code == ErrorCode::kNotFound)
        return fail(ErrorCode::kNotFound, "no cycle " + cycle_code, "cycle");
      return std::unexpected(cycle.error());
    }
    const std::int64_t cycle_id = cycle->integer(0);
    CD_ASSIGN(auto running, c.query("SELECT id FROM bill_runs WHERE cycle_id = ? AND "
                                    "period_end = ? AND status = 'running' ORDER BY id LIMIT 1",
                                    {cycle_id, end.iso()}));
    if (!running.empty()) return running.front().integer(0);
    CD_ASSIGN(auto accounts,
              c.query_int("SELECT COUNT(*) FROM utility_accounts WHERE cycle_id = ?", {cycle_id}));
    CD_ASSIGN(auto row,
              c.query_one("INSERT INTO bill_runs (cycle_id, period_end, bill_date, status, "
                          "accounts, started_us, started_by_name) VALUES (?, ?, ?, 'running', "
                          "?, ?, ?) RETURNING id",
                          {cycle_id, end.iso(), bill_date.iso(), accounts, now, actor.username}));
    const std::int64_t run_id = row.integer(0);
    CD_TRY(detail::audit(
        c, actor, now, "bill_run.start", "bill_run", run_id,
        json::object{{"cycle", cycle_code}, {"period_end", end.iso()}, {"accounts", accounts}}));
    return run_id;
  }));
  return db_.read<BillRunView>([&](store::Connection& c) { return load_run(c, id); });
}

Result<BillRunView> BillRun::start_run(const Actor& actor, const std::string& cycle_code,
                                       const std::string& period_end, const Progress& progress) {
  CD_ASSIGN(auto run, open_run(actor, cycle_code, period_end));
  return resume_run(actor, run.id, progress);
}

Result<BillRunView> BillRun::resume_run(const Actor& actor, std::int64_t run_id,
                                        const Progress& progress) {
  CD_ASSIGN(auto head,
            db_.read<RunHead>([&](store::Connection& c) { return run_head(c, run_id); }));
  if (head.status == "finished")
    return db_.read<BillRunView>([&](store::Connection& c) { return load_run(c, run_id); });
  const int batch = std::max(1, city_.billing.runs.batch_size);
  detail::BillContext ctx{actor,          city_,
                          ledger_,        calculator_,
                          head.bill_date, head.bill_date.plus_days(city_.billing.runs.due_days),
                          run_id,         0};
  std::int64_t after = 0;
  for (;;) {
    ctx.now_us = clock_.now_us();
    // One batch in one transaction; a batch the ledger or the database refuses is retried one
    // account per transaction, so one bad account becomes an exception instead of stopping the
    // cycle.
    auto reached = db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
      CD_ASSIGN(auto accounts, next_accounts(c, head, after, batch));
      CD_ASSIGN(const auto known, read_batch(c, accounts));
      std::int64_t last = -1;
      for (const auto& a : accounts) {
        CD_ASSIGN(auto outcome, detail::bill_one(c, ctx, a, head.period_end, std::nullopt, &known));
        CD_TRY(record(c, run_id, a, outcome, ctx.now_us));
        CRASH_POINT("billing.run.after_account");
        last = a.number;
      }
      return last;
    });
    std::int64_t last = 0;
    if (reached) {
      last = *reached;
    } else {
      // Alone, each account of the batch either commits or is recorded as an exception.
      CD_ASSIGN(auto accounts, db_.read<std::vector<AccountRow>>([&](store::Connection& c) {
        return next_accounts(c, head, after, batch);
      }));
      if (accounts.empty()) return std::unexpected(reached.error());
      for (const auto& a : accounts) {
        auto one = db_.write<bool>([&](store::Connection& c) -> Result<bool> {
          CD_ASSIGN(auto outcome, detail::bill_one(c, ctx, a, head.period_end, std::nullopt));
          CD_TRY(record(c, run_id, a, outcome, ctx.now_us));
          return true;
        });
        if (!one) {
          if (one.error().code == ErrorCode::kConflict) continue;  // another process got it
          CD_TRY(db_.write<bool>([&](store::Connection& c) -> Result<bool> {
            Outcome o;
            o.status = "exception";
            o.reason_code = "posting";
            o.reason = one.error().message;
            CD_TRY(record(c, run_id, a, o, ctx.now_us));
            return true;
          }));
        }
      }
      last = accounts.back().number;
    }
    if (last < 0) break;
    after = last;
    if (progress) {
      auto view = db_.read<BillRunView>([&](store::Connection& c) { return load_run(c, run_id); });
      if (view) progress(*view);
    }
  }
  const Timestamp now = clock_.now_us();
  CD_TRY(db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    CD_ASSIGN(auto changed, c.exec("UPDATE bill_runs SET status = 'finished', finished_us = ? "
                                   "WHERE id = ? AND status = 'running'",
                                   {now, run_id}));
    if (changed > 0) {
      CD_ASSIGN(auto v, load_run(c, run_id));
      CD_TRY(detail::audit(c, actor, now, "bill_run.finish", "bill_run", run_id,
                           json::object{{"billed", v.billed},
                                        {"exceptions", v.exceptions},
                                        {"skipped", v.skipped},
                                        {"total", format_plain(v.total)}}));
    }
    return true;
  }));
  return run(run_id, true);
}

Result<BillRunView> BillRun::run(std::int64_t run_id, bool with_exceptions) {
  return db_.read<BillRunView>([&](store::Connection& c) -> Result<BillRunView> {
    CD_ASSIGN(auto v, load_run(c, run_id));
    if (!with_exceptions) return v;
    CD_ASSIGN(auto rows, c.query("SELECT account_number, status, bill_id, reason_code, reason "
                                 "FROM bill_run_accounts WHERE run_id = ? AND status = "
                                 "'exception' ORDER BY account_number LIMIT ?",
                                 {run_id, std::int64_t{kMaxRunExceptionsShown}}));
    for (const auto& r : rows)
      v.exception_list.push_back({r.integer(0), r.text(1), r.opt_integer(2), r.text(3), r.text(4)});
    return v;
  });
}

Result<std::vector<BillRunView>> BillRun::runs() {
  return db_.read<std::vector<BillRunView>>(
      [&](store::Connection& c) -> Result<std::vector<BillRunView>> {
        CD_ASSIGN(auto rows, c.query("SELECT id FROM bill_runs ORDER BY id DESC LIMIT ?",
                                     {std::int64_t{kMaxRunsListed}}));
        std::vector<BillRunView> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto v, load_run(c, r.integer(0)));
          out.push_back(std::move(v));
        }
        return out;
      });
}

}  // namespace civicdesk::billing
