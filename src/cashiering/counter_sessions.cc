// Drawers and cashier sessions: open with a counted float, the blind count, the close that posts
// the over/short and moves the session's receipts from cash in drawers to undeposited funds.
#include <boost/json.hpp>

#include "cashiering/counter.h"
#include "cashiering/counter_store.h"
#include "cashiering/lifecycle.h"
#include "core/assert.h"
#include "core/limits.h"

namespace civicdesk::cashiering {
using namespace detail;
namespace json = boost::json;

namespace {

constexpr const char* kOverShortFund = "GENERAL";

Result<void> validate_drawer(const DrawerInput& in, bool creating) {
  if (creating || !in.code.empty()) {
    if (in.code.empty()) return fail(Error::invalid("code", "code is required"));
    CD_TRY(check_length(in.code, kMaxDrawerCodeLength, "code"));
    for (char ch : in.code)
      if (!(std::isupper(static_cast<unsigned char>(ch)) ||
            std::isdigit(static_cast<unsigned char>(ch)) || ch == '-'))
        return fail(Error::invalid("code", "a drawer code holds capital letters, digits and '-'"));
  }
  if (creating && in.name.empty()) return fail(Error::invalid("name", "name is required"));
  if (creating && in.office.empty()) return fail(Error::invalid("office", "office is required"));
  if (creating && in.bank_account.empty())
    return fail(Error::invalid("bank_account", "bank_account is required"));
  CD_TRY(check_length(in.name, kMaxNameLength, "name"));
  CD_TRY(check_length(in.office, kMaxNameLength, "office"));
  CD_TRY(check_length(in.bank_account, kMaxReferenceLength, "bank_account"));
  if (in.printer != "none") CD_TRY(validate_printer(in.printer));
  return {};
}

Result<SessionState> state_of(const Session& s) {
  return parse_session_state(s.status);
}

// Only the session's own cashier, or a supervisor, counts and closes it.
Result<void> may_handle(const Session& s, const Actor& actor, bool supervisor) {
  if (s.cashier_id == actor.user_id.value || supervisor) return {};
  return fail(
      ErrorCode::kForbidden,
      "only the session's cashier or a supervisor may count or close drawer " + s.drawer_code);
}

}  // namespace

Counter::Counter(store::Database& db, const CityConfig& city, const TimeZone& tz,
                 const Clock& clock, ledger::Ledger& ledger,
                 std::unique_ptr<PaymentGateway> gateway)
    : db_(db),
      city_(city),
      tz_(tz),
      clock_(clock),
      ledger_(ledger),
      gateway_(gateway ? std::move(gateway) : std::make_unique<SandboxGateway>()) {}

Result<Drawer> Counter::create_drawer(const Actor& actor, const DrawerInput& in) {
  CD_TRY(validate_drawer(in, true));
  return db_.write<Drawer>([&](store::Connection& c) -> Result<Drawer> {
    auto id = c.query_int(
        "INSERT INTO drawers (code, name, office, bank_account, printer, "
        "created_us) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        {in.code, in.name, in.office, in.bank_account, in.printer == "none" ? "" : in.printer,
         clock_.now_us()});
    if (!id && id.error().code == ErrorCode::kConflict)
      return fail(ErrorCode::kConflict, "drawer " + in.code + " exists already", "code");
    if (!id) return std::unexpected(id.error());
    CD_TRY(audit(c, actor, clock_.now_us(), "drawer.create", "drawer", *id,
                 json::serialize(json::object{{"code", in.code}, {"office", in.office}})));
    return load_drawer(c, in.code);
  });
}

Result<Drawer> Counter::update_drawer(const Actor& actor, const std::string& code,
                                      const DrawerInput& in) {
  CD_TRY(validate_drawer(in, false));
  return db_.write<Drawer>([&](store::Connection& c) -> Result<Drawer> {
    CD_ASSIGN(auto d, load_drawer(c, code));
    if (!in.name.empty()) d.name = in.name;
    if (!in.office.empty()) d.office = in.office;
    if (!in.bank_account.empty()) d.bank_account = in.bank_account;
    if (in.printer == "none")
      d.printer.clear();
    else if (!in.printer.empty())
      d.printer = in.printer;
    CD_TRY(
        c.exec("UPDATE drawers SET name = ?, office = ?, bank_account = ?, printer = ? "
               "WHERE id = ?",
               {d.name, d.office, d.bank_account, d.printer, d.id}));
    CD_TRY(audit(c, actor, clock_.now_us(), "drawer.update", "drawer", d.id,
                 json::serialize(json::object{{"name", d.name},
                                              {"office", d.office},
                                              {"bank_account", d.bank_account},
                                              {"printer", d.printer}})));
    return d;
  });
}

Result<std::vector<DrawerStatus>> Counter::drawers(bool supervisor) {
  return db_.read<std::vector<DrawerStatus>>(
      [&](store::Connection& c) -> Result<std::vector<DrawerStatus>> {
        CD_ASSIGN(auto rows, c.query("SELECT d.code, s.id FROM drawers d LEFT JOIN "
                                     "cashier_sessions s ON s.drawer_id = d.id AND s.status <> "
                                     "'closed' ORDER BY d.code"));
        std::vector<DrawerStatus> out;
        for (const auto& r : rows) {
          DrawerStatus st;
          CD_ASSIGN(st.drawer, load_drawer(c, r.text(0)));
          if (auto sid = r.opt_integer(1)) {
            CD_ASSIGN(st.session, load_session(c, *sid));
            if (supervisor) {
              CD_ASSIGN(st.totals, load_totals(c, *st.session));
            }
          }
          out.push_back(std::move(st));
        }
        return out;
      });
}

Result<Session> Counter::open_session(const Actor& actor, const std::string& drawer_code,
                                      const CashCount& float_count) {
  CD_TRY(validate(float_count, "float"));
  return db_.write<Session>([&](store::Connection& c) -> Result<Session> {
    CD_ASSIGN(auto d, load_drawer(c, drawer_code));
    CD_ASSIGN(auto busy, c.query("SELECT drawer_id, cashier_name FROM cashier_sessions WHERE "
                                 "status <> 'closed' AND (drawer_id = ? OR cashier_id = ?)",
                                 {d.id, actor.user_id.value}));
    for (const auto& b : busy) {
      if (b.integer(0) == d.id)
        return fail(ErrorCode::kConflict,
                    "drawer " + d.code + " is in use by " + b.text(1) + "; it must be closed first",
                    "drawer");
      return fail(ErrorCode::kConflict,
                  "you already have a drawer session open; close it before opening another",
                  "drawer");
    }
    CD_ASSIGN(auto name,
              c.query_one("SELECT display_name FROM users WHERE id = ?", {actor.user_id.value}));
    Money float_amount = total(float_count);
    CD_ASSIGN(auto id,
              c.query_int("INSERT INTO cashier_sessions (drawer_id, cashier_id, cashier_name, "
                          "status, business_date, opened_us, float_cents, float_count) VALUES "
                          "(?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id",
                          {d.id, actor.user_id.value, name.text(0), ledger_.today().iso(),
                           clock_.now_us(), float_amount.cents(), count_to_json(float_count)}));
    CD_TRY(audit(
        c, actor, clock_.now_us(), "drawer.open", "cashier_session", id,
        json::serialize(json::object{{"drawer", d.code}, {"float", format_plain(float_amount)}})));
    return load_session(c, id);
  });
}

Result<Session> Counter::session(std::int64_t id) {
  return db_.read<Session>([&](store::Connection& c) { return load_session(c, id); });
}

Result<Session> Counter::session_of(const Actor& actor) {
  return db_.read<Session>([&](store::Connection& c) -> Result<Session> {
    CD_ASSIGN(auto rows, c.query("SELECT id FROM cashier_sessions WHERE cashier_id = ? AND "
                                 "status <> 'closed'",
                                 {actor.user_id.value}));
    if (rows.empty()) return fail(ErrorCode::kNotFound, "you have no drawer session open");
    return load_session(c, rows[0].integer(0));
  });
}

Result<SessionTotals> Counter::totals(std::int64_t session_id) {
  return db_.read<SessionTotals>([&](store::Connection& c) -> Result<SessionTotals> {
    CD_ASSIGN(auto s, load_session(c, session_id));
    return load_totals(c, s);
  });
}

Result<CountResult> Counter::count(const Actor& actor, std::int64_t session_id,
                                   const CashCount& counted, const std::string& reason) {
  CD_TRY(validate(counted, "count"));
  CD_TRY(check_length(reason, kMaxNoteLength, "reason"));
  bool supervisor = can(actor, "drawer.supervise");
  return db_.write<CountResult>([&](store::Connection& c) -> Result<CountResult> {
    CD_ASSIGN(auto s, load_session(c, session_id));
    CD_TRY(may_handle(s, actor, supervisor));
    CD_ASSIGN(auto state, state_of(s));
    CD_TRY(next_state(state, SessionOp::kCount));
    CD_ASSIGN(auto totals, load_totals(c, s));
    if (totals.card_unknown > 0)
      return fail(ErrorCode::kUnprocessable,
                  "a card payment of this session is still unknown; reconcile it first");
    Money counted_total = total(counted);
    std::int64_t over_short = counted_total.cents() - totals.expected_cash.cents();
    CD_TRY(
        c.exec("UPDATE cashier_sessions SET status = 'counted', counted_us = ?, counted_by = "
               "?, counted_cents = ?, counted_count = ?, expected_cents = ?, "
               "over_short_cents = ? WHERE id = ?",
               {clock_.now_us(), actor.user_id.value, counted_total.cents(), count_to_json(counted),
                totals.expected_cash.cents(), over_short, s.id}));
    CD_TRY(audit(c, actor, clock_.now_us(), "drawer.count", "cashier_session", s.id,
                 json::serialize(
                     json::object{{"counted", format_plain(counted_total)},
                                  {"expected", format_plain(totals.expected_cash)},
                                  {"over_short", format_plain(Money::from_cents(over_short))}})));
    CountResult out;
    if (over_short == 0 || !reason.empty()) {
      CD_TRY(close_within(c, actor, s.id, reason));
      out.closed = true;
    } else {
      out.needs_reason = true;
    }
    CD_ASSIGN(out.session, load_session(c, s.id));
    return out;
  });
}

Result<Session> Counter::close(const Actor& actor, std::int64_t session_id,
                               const std::string& reason) {
  CD_TRY(check_length(reason, kMaxNoteLength, "reason"));
  bool supervisor = can(actor, "drawer.supervise");
  return db_.write<Session>([&](store::Connection& c) -> Result<Session> {
    CD_ASSIGN(auto s, load_session(c, session_id));
    CD_TRY(may_handle(s, actor, supervisor));
    CD_TRY(close_within(c, actor, session_id, reason));
    return load_session(c, session_id);
  });
}

Result<void> Counter::close_within(store::Connection& c, const Actor& actor,
                                   std::int64_t session_id, const std::string& reason) {
  CD_ASSIGN(auto s, load_session(c, session_id));
  CD_ASSIGN(auto state, state_of(s));
  CD_TRY(next_state(state, SessionOp::kClose));
  CD_ASSERT(s.over_short.has_value());
  std::int64_t diff = s.over_short->cents();
  if (diff != 0 && reason.empty())
    return fail(Error::invalid(
        "reason", "the drawer is " + std::string(diff > 0 ? "over" : "short") + " by " +
                      format_money(Money::from_cents(diff < 0 ? -diff : diff)) +
                      "; give the reason"));
  CRASH_POINT("drawer.close.before_post");
  std::string label = "drawer " + s.drawer_code + " session #" + std::to_string(s.id);
  std::int64_t over_short_entry = 0, close_entry = 0;
  if (diff != 0) {
    ledger::JournalEntry e;
    e.kind = ledger::EntryKind::kOverShort;
    e.memo = "Cash " + std::string(diff > 0 ? "over" : "short") + " " +
             format_money(Money::from_cents(diff < 0 ? -diff : diff)) + " at " + label + ": " +
             reason;
    std::string cash = fund_account("1010", kOverShortFund);
    std::string over_short = fund_account("6200", kOverShortFund);
    Money amount = Money::from_cents(diff < 0 ? -diff : diff);
    if (diff > 0)
      ledger::add_pair(e, kOverShortFund, cash, over_short, amount, {});
    else
      ledger::add_pair(e, kOverShortFund, over_short, cash, amount, {});
    CD_ASSIGN(over_short_entry,
              ledger_.post_internal_within(
                  c, actor, e, "cashier-session:" + std::to_string(s.id) + ":over-short"));
  }
  CD_ASSIGN(auto by_fund, receipts_by_fund(c, s.id));
  if (diff != 0)
    by_fund[kOverShortFund] = Money::from_cents(by_fund[kOverShortFund].cents() + diff);
  // Counted below the float: the drawer returns less than the change fund lent it, and the
  // deposit carries no cash. The part of the float not returned leaves the change fund (Cr 1040)
  // for undeposited funds, so the session's books are what the bank receives (the shortage
  // itself is already the over/short entry's expense); the change fund's custodian replenishes.
  const Money float_short = cash_to_deposit(s.counted_count, s.float_count).float_short;
  ledger::JournalEntry move;
  move.kind = ledger::EntryKind::kCashMovement;
  move.memo = "Receipts of " + label + " to undeposited funds";
  if (float_short.is_positive()) {
    by_fund.try_emplace(kOverShortFund);
    move.memo += "; float returned " + format_money(float_short) + " short";
  }
  for (const auto& [fund, amount] : by_fund) {
    const Money books =
        fund == kOverShortFund ? Money::from_cents(amount.cents() + float_short.cents()) : amount;
    if (!books.is_zero())
      CD_TRY(c.exec("INSERT INTO session_funds (session_id, fund, amount_cents) VALUES (?, ?, ?)",
                    {s.id, fund, books.cents()}));
    if (amount.is_zero()) continue;
    std::string drawer = fund_account("1010", fund), undeposited = fund_account("1020", fund);
    if (amount.is_positive())
      ledger::add_pair(move, fund, undeposited, drawer, amount, {});
    else
      ledger::add_pair(move, fund, drawer, undeposited, Money::from_cents(-amount.cents()), {});
  }
  if (float_short.is_positive())
    ledger::add_pair(move, kOverShortFund, fund_account("1020", kOverShortFund),
                     fund_account("1040", kOverShortFund), float_short, {});
  if (!move.lines.empty()) {
    CD_ASSIGN(close_entry,
              ledger_.post_internal_within(c, actor, move,
                                           "cashier-session:" + std::to_string(s.id) + ":close"));
  }
  CRASH_POINT("drawer.close.after_post");
  auto id_or_null = [](std::int64_t v) { return v ? store::Value{v} : store::null(); };
  CD_TRY(
      c.exec("UPDATE cashier_sessions SET status = 'closed', closed_us = ?, closed_by = ?, "
             "over_short_reason = ?, over_short_entry_id = ?, close_entry_id = ? WHERE id = ?",
             {clock_.now_us(), actor.user_id.value, reason, id_or_null(over_short_entry),
              id_or_null(close_entry), s.id}));
  return audit(c, actor, clock_.now_us(), "drawer.close", "cashier_session", s.id,
               json::serialize(json::object{{"over_short", format_plain(*s.over_short)},
                                            {"reason", reason},
                                            {"close_entry_id", close_entry}}));
}

Result<void> Counter::seed_demo(const Actor& actor) {
  const DrawerInput kDrawers[] = {
      {"CH-1", "City Hall window 1", "City Hall", "OPERATING", ""},
      {"CH-2", "City Hall window 2", "City Hall", "OPERATING", ""},
  };
  for (const auto& d : kDrawers) {
    auto made = create_drawer(actor, d);
    if (!made && made.error().code != ErrorCode::kConflict) return std::unexpected(made.error());
  }
  auto supervisor = db_.read<std::vector<std::int64_t>>(
      [](store::Connection& c) -> Result<std::vector<std::int64_t>> {
        CD_ASSIGN(auto rows, c.query("SELECT id FROM users WHERE username = 'supervisor'"));
        std::vector<std::int64_t> out;
        for (const auto& r : rows) out.push_back(r.integer(0));
        return out;
      });
  if (!supervisor) return std::unexpected(supervisor.error());
  if (supervisor->empty()) return {};
  const RevolvingFundInput kFunds[] = {
      {"CHANGE-CH", "City Hall change fund", "change_fund", "supervisor",
       Money::from_cents(100000)},
      {"PETTY-CH", "City Hall petty cash", "petty_cash", "supervisor", Money::from_cents(25000)},
  };
  for (const auto& f : kFunds) {
    auto made = create_revolving_fund(actor, f);
    if (!made && made.error().code != ErrorCode::kConflict) return std::unexpected(made.error());
  }
  return {};
}

}  // namespace civicdesk::cashiering
