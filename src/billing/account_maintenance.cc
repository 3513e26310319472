// Account maintenance (utility_book.h, "account maintenance"): the holds that keep late
// penalties off an account, the flags / mailing address / deposit record a CSR keeps up to date,
// and the close at move-out. Each change is ONE write transaction with its audit record, which
// carries the values before and after so a reviewer sees what changed, not just the new state.
#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "billing/utility_book.h"
#include "billing/utility_book_internal.h"
#include "core/limits.h"

namespace civicdesk::billing {
namespace json = boost::json;

namespace {

// A reason is free text kept in the audit record; long enough for a sentence or two.
constexpr std::size_t kMaxReasonLength = 500;

json::object holds_json(const AccountHolds& h) {
  return {{"in_dispute", h.in_dispute}, {"payment_arrangement", h.payment_arrangement}};
}

json::object account_json(const UtilityAccount& a) {
  return {{"number", a.number},
          {"status", std::string(to_string(a.status))},
          {"closed_on", a.closed_on ? json::value(a.closed_on->iso()) : json::value(nullptr)},
          {"cash_only", a.flags.cash_only},
          {"no_shutoff", a.flags.no_shutoff},
          {"landlord", a.flags.landlord},
          {"mailing", json::object{{"line1", a.mailing.line1},
                                   {"line2", a.mailing.line2},
                                   {"city", a.mailing.city},
                                   {"state", a.mailing.state},
                                   {"postal_code", a.mailing.postal_code}}},
          {"deposit", format_plain(a.deposit)}};
}

Result<void> audit_change(store::Connection& c, const Actor& actor, Timestamp now,
                          const std::string& action, std::int64_t account_id,
                          const json::object& before, const json::object& after) {
  return audit::append(c, actor, now,
                       {action, "utility_account", std::to_string(account_id),
                        json::serialize(before), json::serialize(after)});
}

Result<AccountHolds> load_holds(store::Connection& c, std::int64_t account_id) {
  CD_ASSIGN(auto r, c.query_one("SELECT in_dispute, payment_arrangement FROM utility_accounts "
                                "WHERE id = ?",
                                {account_id}));
  return AccountHolds{r.integer(0) != 0, r.integer(1) != 0};
}

}  // namespace

Result<AccountHolds> UtilityBook::set_holds(const Actor& actor, std::int64_t number,
                                            const AccountHolds& holds, const std::string& reason) {
  // A hold changes what the City charges (no late penalty), so the audit must say why.
  if (reason.empty())
    return fail(Error::invalid("reason", "say why (the complaint, the arrangement agreed)"));
  if (reason.size() > kMaxReasonLength)
    return fail(
        Error::invalid("reason", "at most " + std::to_string(kMaxReasonLength) + " characters"));
  const Timestamp now = clock_.now_us();
  return db_.write<AccountHolds>([&](store::Connection& c) -> Result<AccountHolds> {
    CD_ASSIGN(auto a, detail::load_account(c, number));
    CD_ASSIGN(auto before, load_holds(c, a.id));
    CD_TRY(c.exec(
        "UPDATE utility_accounts SET in_dispute = ?, payment_arrangement = ?, "
        "updated_us = ? WHERE id = ?",
        {std::int64_t{holds.in_dispute}, std::int64_t{holds.payment_arrangement}, now, a.id}));
    json::object after = holds_json(holds);
    after["number"] = number;
    after["reason"] = reason;
    CD_TRY(audit_change(c, actor, now, "utility_account.holds", a.id, holds_json(before), after));
    return holds;
  });
}

Result<UtilityAccount> UtilityBook::update_account(const Actor& actor, std::int64_t number,
                                                   const AccountChanges& ch) {
  const Timestamp now = clock_.now_us();
  return db_.write<UtilityAccount>([&](store::Connection& c) -> Result<UtilityAccount> {
    CD_ASSIGN(const UtilityAccount before, detail::load_account(c, number));
    if (before.status != AccountStatus::kActive)
      return fail(ErrorCode::kUnprocessable,
                  "account " + std::to_string(number) + " is closed; reopen it as a new account",
                  "number");
    UtilityAccount a = before;
    if (ch.cash_only) a.flags.cash_only = *ch.cash_only;
    if (ch.no_shutoff) a.flags.no_shutoff = *ch.no_shutoff;
    if (ch.landlord) a.flags.landlord = *ch.landlord;
    if (ch.mailing) a.mailing = *ch.mailing;
    if (ch.deposit) a.deposit = *ch.deposit;
    CD_TRY(check_account(a));
    const MailingAddress& m = a.mailing;
    CD_TRY(
        c.exec("UPDATE utility_accounts SET cash_only = ?, no_shutoff = ?, landlord = ?, "
               "mail_line1 = ?, mail_line2 = ?, mail_city = ?, mail_state = ?, "
               "mail_postal_code = ?, deposit_cents = ?, updated_us = ? WHERE id = ?",
               {std::int64_t{a.flags.cash_only}, std::int64_t{a.flags.no_shutoff},
                std::int64_t{a.flags.landlord}, m.line1, m.line2, m.city, m.state, m.postal_code,
                a.deposit.cents(), now, a.id}));
    CD_TRY(audit_change(c, actor, now, "utility_account.update", a.id, account_json(before),
                        account_json(a)));
    return a;
  });
}

Result<AccountClosing> UtilityBook::close_account(const Actor& actor, std::int64_t number,
                                                  const std::string& closed_on) {
  CD_ASSIGN(const CivilDate day, date_or_today(closed_on, "closed_on"));
  const Timestamp now = clock_.now_us();
  return db_.write<AccountClosing>([&](store::Connection& c) -> Result<AccountClosing> {
    AccountClosing out;
    CD_ASSIGN(out.account, detail::load_account(c, number));
    UtilityAccount& a = out.account;
    if (a.status == AccountStatus::kClosed) {
      // A repeat (a double click, a retry after a lost answer) changes nothing.
      if (a.closed_on == day) {
        out.already_closed = true;
        return out;
      }
      return fail(ErrorCode::kConflict,
                  "account " + std::to_string(number) + " was closed on " +
                      (a.closed_on ? a.closed_on->iso() : std::string("an earlier day")),
                  "closed_on");
    }
    if (day < a.opened_on)
      return fail(ErrorCode::kUnprocessable,
                  "the account opened on " + a.opened_on.iso() + "; it cannot close before",
                  "closed_on");
    CD_ASSIGN(auto services, detail::load_services(c, a.id));
    json::array stopped;
    for (Service& s : services) {
      // Running on the close date or later (an open service, or one set to stop later).
      if (s.stopped_on && *s.stopped_on <= day) continue;
      if (s.started_on > day)
        return fail(ErrorCode::kUnprocessable,
                    std::string(to_string(s.kind)) + " service starts on " + s.started_on.iso() +
                        ", after the close; stop or correct it first",
                    "closed_on");
      CD_TRY(c.exec("UPDATE services SET stopped_on = ? WHERE id = ?", {day.iso(), s.id}));
      s.stopped_on = day;
      stopped.push_back(
          json::object{{"service_id", s.id}, {"kind", std::string(to_string(s.kind))}});
      out.stopped.push_back(s);
    }
    // Refuse carts go with the refuse service: none is left standing at a closed account.
    CD_TRY(
        c.exec("UPDATE refuse_carts SET stopped_on = ? WHERE account_id = ? AND "
               "started_on <= ? AND (stopped_on IS NULL OR stopped_on > ?)",
               {day.iso(), a.id, day.iso(), day.iso()}));
    CD_TRY(
        c.exec("UPDATE utility_accounts SET status = 'closed', closed_on = ?, updated_us = ? "
               "WHERE id = ?",
               {day.iso(), now, a.id}));
    const json::object before = account_json(a);
    a.status = AccountStatus::kClosed;
    a.closed_on = day;
    json::object after = account_json(a);
    after["services_stopped"] = std::move(stopped);
    CD_TRY(audit_change(c, actor, now, "utility_account.close", a.id, before, after));
    return out;
  });
}

}  // namespace civicdesk::billing
