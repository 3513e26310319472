#include "citations/plan_book.h"

#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "citations/lifecycle.h"
#include "citations/scofflaw.h"
#include "core/limits.h"
#include "ledger/posting.h"

namespace civicdesk::citations {
namespace json = boost::json;
namespace {

// The adjustment reason a plan's waiver and reinstatement post under (config adjustment_reasons).
constexpr std::string_view kWaiverReason = "PENALTY_WAIVER";

struct Member {
  std::int64_t id = 0;
  std::string number;
  CitationState state;
  std::int64_t fine_obligation = 0;
  std::int64_t ledger_party = 0;
  std::int64_t owner_party = 0;
  std::string plate_state, plate;
  Money fine_balance;
};

constexpr std::string_view kMemberSelect =
    "SELECT c.id, c.number, c.status, c.dmv_hold, c.obligation_id, o.party_id, "
    "c.owner_party_id, c.plate_state, c.plate, o.balance_cents FROM citations c JOIN "
    "obligations o ON o.id = c.obligation_id ";

Result<Member> read_member(const store::Row& r) {
  Member m;
  m.id = r.integer(0);
  m.number = r.text(1);
  CD_ASSIGN(m.state.status, parse_citation_status(r.text(2)));
  m.state.dmv_hold = r.integer(3) != 0;
  m.fine_obligation = r.integer(4);
  m.ledger_party = r.integer(5);
  m.owner_party = r.is_null(6) ? 0 : r.integer(6);
  m.plate_state = r.text(7);
  m.plate = r.text(8);
  m.fine_balance = Money::from_cents(r.integer(9));
  return m;
}

// The citations a request names, each able to join a plan.
Result<std::vector<Member>> members_for(store::Connection& c, const PlanEnrolment& in) {
  std::vector<Member> out;
  if (!in.citation_numbers.empty()) {
    if (in.citation_numbers.size() > kMaxCitationsPerPlan)
      return fail(Error::invalid("citation_numbers", "too many citations for one plan"));
    for (std::size_t i = 0; i < in.citation_numbers.size(); ++i) {
      const std::string field = "citation_numbers[" + std::to_string(i) + "]";
      CD_ASSIGN(auto rows, c.query(std::string(kMemberSelect) + "WHERE c.number = ?",
                                   {in.citation_numbers[i]}));
      if (rows.empty())
        return fail(ErrorCode::kNotFound, "no citation numbered " + in.citation_numbers[i], field);
      CD_ASSIGN(auto m, read_member(rows[0]));
      auto next = transition(m.state, CitationEvent::kEnrolPlan);
      if (!next)
        return fail(ErrorCode::kUnprocessable, "citation " + m.number + ": " + next.error().message,
                    field);
      out.push_back(std::move(m));
    }
    return out;
  }
  const std::string plate = normalize_plate(in.plate);
  if (plate.empty()) return fail(Error::invalid("plate", "name the plate or the citation numbers"));
  CD_ASSIGN(auto rows, c.query(std::string(kMemberSelect) +
                                   "WHERE c.plate = ? AND c.plate_state = ? ORDER BY c.id LIMIT ?",
                               {plate, in.plate_state, std::int64_t{kMaxCitationsPerPlan}}));
  for (const auto& r : rows) {
    CD_ASSIGN(auto m, read_member(r));
    if (transition(m.state, CitationEvent::kEnrolPlan) && m.fine_balance.is_positive())
      out.push_back(std::move(m));
  }
  if (out.empty())
    return fail(ErrorCode::kUnprocessable,
                "plate " + in.plate_state + " " + plate + " has no owed citation to put on a plan",
                "plate");
  return out;
}

struct OpenPenalty {
  std::int64_t citation_id = 0, obligation_id = 0;
  Money balance;
};

Result<std::vector<OpenPenalty>> open_penalties(store::Connection& c, std::int64_t citation_id) {
  CD_ASSIGN(auto rows, c.query("SELECT s.obligation_id, o.balance_cents FROM citation_steps s "
                               "JOIN obligations o ON o.id = s.obligation_id WHERE "
                               "s.citation_id = ? AND o.status = 'open' AND o.balance_cents > 0 "
                               "ORDER BY s.step_number",
                               {citation_id}));
  std::vector<OpenPenalty> out;
  for (const auto& r : rows)
    out.push_back({citation_id, r.integer(0), Money::from_cents(r.integer(1))});
  return out;
}

// A credit (waive) or debit (reinstate) adjustment of `amount` on a penalty obligation, posted in
// the caller's transaction like Ledger::adjust posts one; returns the entry id.
Result<std::int64_t> post_penalty_adjustment(ledger::detail::Posting& p, std::int64_t obligation_id,
                                             Money amount, bool credit, const std::string& memo) {
  using namespace ledger::detail;
  CD_ASSIGN(auto o, load_obligation(p.c, obligation_id));
  ledger::JournalEntry e;
  e.kind = ledger::EntryKind::kAdjustment;
  e.party_id = o.party_id;
  e.memo = memo;
  std::int64_t left = amount.cents();
  for (const auto& l : o.lines) {
    if (left == 0) break;
    const std::int64_t take = credit ? std::min(left, l.balance.cents()) : left;
    if (take <= 0) continue;
    ledger::JournalLine refs{.party_id = o.party_id, .obligation_id = o.id, .charge_line_id = l.id};
    const std::string receivable = fund_account(kReceivable, l.fund);
    if (credit)
      add_pair(e, l.fund, l.revenue_account, receivable, Money::from_cents(take), refs);
    else
      add_pair(e, l.fund, receivable, l.revenue_account, Money::from_cents(take), refs);
    left -= take;
  }
  if (left != 0) return fail(ErrorCode::kInternal, "the penalty changed while it was adjusted");
  CD_ASSIGN(auto id, write_entry(p, e, ""));
  CD_TRY(refresh_status(p.c, o.id));
  CD_TRY(audit_entry(p, "ledger.adjustment", "obligation", o.id,
                     json::serialize(json::object{{"entry_id", id},
                                                  {"direction", credit ? "credit" : "debit"},
                                                  {"amount", format_plain(amount)},
                                                  {"reason", std::string(kWaiverReason)}})));
  return id;
}

Result<void> move_citation(store::Connection& c, const Actor& actor, std::int64_t citation_id,
                           CitationState from, CitationEvent event, CivilDate on,
                           const std::string& reason, Timestamp now_us) {
  CD_ASSIGN(auto to, transition(from, event));
  CD_TRY(
      c.exec("UPDATE citations SET status = ?, dmv_hold = ?, updated_us = ? WHERE id = ?",
             {std::string(to_string(to.status)), std::int64_t{to.dmv_hold}, now_us, citation_id}));
  CD_TRY(
      c.exec("INSERT INTO citation_events (citation_id, event, from_status, to_status, "
             "dmv_hold, event_on, reason, actor_name, approved_by_name, at_us) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', ?)",
             {citation_id, std::string(to_string(event)), std::string(to_string(from.status)),
              std::string(to_string(to.status)), std::int64_t{to.dmv_hold}, on.iso(), reason,
              actor.username, now_us}));
  return {};
}

// The nightly run's next date after a plan ends: the history as escalate() reads it.
Result<void> recompute_next(store::Connection& c, const CityConfig& city,
                            const BusinessCalendar& calendar, std::int64_t citation_id) {
  CD_ASSIGN(auto row, c.query_one("SELECT issued_on, status, dmv_hold, fine_cents FROM citations "
                                  "WHERE id = ?",
                                  {citation_id}));
  EscalationHistory h;
  CD_ASSIGN(h.issued_on, parse_date(row.text(0), "issued_on"));
  CD_ASSIGN(h.state.status, parse_citation_status(row.text(1)));
  h.state.dmv_hold = row.integer(2) != 0;
  h.fine = Money::from_cents(row.integer(3));
  CD_ASSIGN(auto sus, c.query("SELECT reason, from_on, until_on FROM citation_suspensions WHERE "
                              "citation_id = ? ORDER BY id",
                              {citation_id}));
  for (const auto& s : sus) {
    Suspension x;
    x.reason = s.text(0) == "plan" ? SuspensionReason::kPlan : SuspensionReason::kContest;
    CD_ASSIGN(x.from, parse_date(s.text(1), "from_on"));
    if (!s.is_null(2)) {
      CD_ASSIGN(x.until, parse_date(s.text(2), "until_on"));
    }
    h.suspensions.push_back(x);
  }
  CD_ASSIGN(auto steps,
            c.query("SELECT step_number FROM citation_steps WHERE citation_id = ?", {citation_id}));
  for (const auto& s : steps) h.steps_done.push_back(static_cast<int>(s.integer(0)));
  auto next = next_step_due_on(city.citations, calendar, h);
  CD_TRY(c.exec("UPDATE citations SET next_step_due_on = ? WHERE id = ?",
                {next ? store::Value{next->iso()} : store::null(), citation_id}));
  return {};
}

constexpr std::string_view kPlanSelect =
    "SELECT id, status, ledger_party_id, owner_party_id, plate_state, plate, proof, attested_by, "
    "proof_note, enrolled_on, months, fines_cents, processing_fee_cents, total_cents, "
    "max_monthly_cents, late_fees_waived_cents, fee_obligation_id, closed_on, "
    "missed_installment FROM citation_plans ";

Result<PlanView> load_plan(store::Connection& c, const PlanRules& rules, std::int64_t id,
                           CivilDate today) {
  CD_ASSIGN(auto rows, c.query(std::string(kPlanSelect) + "WHERE id = ?", {id}));
  if (rows.empty())
    return fail(ErrorCode::kNotFound, "no payment plan " + std::to_string(id), "id");
  const auto& r = rows[0];
  PlanView v;
  v.id = r.integer(0);
  v.status = r.text(1);
  v.ledger_party_id = r.integer(2);
  v.owner_party_id = r.is_null(3) ? 0 : r.integer(3);
  v.plate_state = r.text(4);
  v.plate = r.text(5);
  v.proof = r.text(6);
  v.attested_by = r.text(7);
  v.proof_note = r.text(8);
  CD_ASSIGN(v.enrolled_on, parse_date(r.text(9), "enrolled_on"));
  v.months = static_cast<int>(r.integer(10));
  v.fines = Money::from_cents(r.integer(11));
  v.processing_fee = Money::from_cents(r.integer(12));
  v.total = Money::from_cents(r.integer(13));
  v.max_monthly = Money::from_cents(r.integer(14));
  v.late_fees_waived = Money::from_cents(r.integer(15));
  v.fee_obligation_id = r.is_null(16) ? 0 : r.integer(16);
  if (!r.is_null(17)) {
    CD_ASSIGN(v.closed_on, parse_date(r.text(17), "closed_on"));
  }
  if (!r.is_null(18)) v.missed_installment = static_cast<int>(r.integer(18));
  CD_ASSIGN(auto numbers, c.query("SELECT c.number FROM citation_plan_citations pc JOIN "
                                  "citations c ON c.id = pc.citation_id WHERE pc.plan_id = ? "
                                  "ORDER BY c.id",
                                  {id}));
  for (const auto& n : numbers) v.citation_numbers.push_back(n.text(0));
  CD_ASSIGN(auto inst, c.query("SELECT number, due_on, amount_cents FROM "
                               "citation_plan_installments WHERE plan_id = ? ORDER BY number",
                               {id}));
  for (const auto& i : inst) {
    Installment x;
    x.number = static_cast<int>(i.integer(0));
    CD_ASSIGN(x.due_on, parse_date(i.text(1), "due_on"));
    x.amount = Money::from_cents(i.integer(2));
    v.installments.push_back(x);
  }
  // What is still owed on the plan's obligations: the citations' fines and the fee.
  CD_ASSIGN(auto owed, c.query_int("SELECT COALESCE(SUM(o.balance_cents), 0) FROM obligations o "
                                   "WHERE o.id IN (SELECT c.obligation_id FROM "
                                   "citation_plan_citations pc JOIN citations c ON c.id = "
                                   "pc.citation_id WHERE pc.plan_id = ?) OR o.id = ?",
                                   {id, v.fee_obligation_id}));
  v.balance = Money::from_cents(owed);
  CD_ASSIGN(v.paid, v.total.sub(v.balance));
  PaymentPlan plan{.enrolled_on = v.enrolled_on,
                   .fines = v.fines,
                   .processing_fee = v.processing_fee,
                   .total = v.total,
                   .max_monthly = v.max_monthly,
                   .late_fees_waived = v.late_fees_waived,
                   .installments = v.installments};
  const PlanCheck check = check_plan(rules, plan, v.paid, today);
  v.due_so_far = check.due_so_far;
  v.next_installment = check.next_installment;
  if (check.next_installment)
    v.next_due_on = v.installments[static_cast<std::size_t>(*check.next_installment - 1)].due_on;
  return v;
}

Result<IndigencyProof> parse_proof(const std::string& text) {
  if (text == "attested" || text.empty()) return IndigencyProof::kAttested;
  if (text == "documented") return IndigencyProof::kDocumented;
  return fail(Error::invalid("proof", "proof is attested or documented"));
}

}  // namespace

PlanBook::PlanBook(store::Database& db, ledger::Ledger& ledger, const CityConfig& city,
                   const Clock& clock, const BusinessCalendar& calendar)
    : db_(db), ledger_(ledger), city_(city), clock_(clock), calendar_(calendar) {}

Result<PlanView> PlanBook::enrol(const Actor& actor, const PlanEnrolment& in) {
  CD_ASSIGN(auto proof, parse_proof(in.proof));
  if (in.attested_by.empty())
    return fail(Error::invalid("attested_by", "name the person who attested indigency"));
  CD_TRY(check_length(in.attested_by, kMaxNameLength, "attested_by"));
  CD_TRY(check_length(in.proof_note, kMaxNoteLength, "proof_note"));
  const CivilDate today = ledger_.today();
  CivilDate on = today;
  if (!in.enrolled_on.empty()) {
    CD_ASSIGN(on, parse_date(in.enrolled_on, "enrolled_on"));
    if (on > today) return fail(Error::invalid("enrolled_on", "the date is in the future"));
  }
  const CitationRules& rules = city_.citations;
  CD_ASSIGN(auto id, db_.write<std::int64_t>([&](store::Connection& c) -> Result<std::int64_t> {
    CD_ASSIGN(auto members, members_for(c, in));
    Money fines, late_fees;
    std::vector<OpenPenalty> penalties;
    for (const auto& m : members) {
      CD_ASSIGN(fines, fines.add(m.fine_balance));
      CD_ASSIGN(auto open, open_penalties(c, m.id));
      for (const auto& p : open) {
        CD_ASSIGN(late_fees, late_fees.add(p.balance));
        penalties.push_back(p);
      }
    }
    CD_ASSIGN(auto plan,
              make_plan(rules.plan, calendar_, {fines, late_fees, in.months, proof, on}));
    const Timestamp now_us = clock_.now_us();
    const Member& first = members.front();
    CD_ASSIGN(
        auto plan_id,
        c.query_int(
            "INSERT INTO citation_plans (status, ledger_party_id, owner_party_id, "
            "plate_state, plate, proof, attested_by, proof_note, enrolled_on, months, "
            "fines_cents, processing_fee_cents, total_cents, max_monthly_cents, "
            "late_fees_waived_cents, created_by_name, created_us, updated_us) VALUES "
            "('active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {first.ledger_party,
             first.owner_party ? store::Value{first.owner_party} : store::null(), first.plate_state,
             first.plate,
             std::string(proof == IndigencyProof::kAttested ? "attested" : "documented"),
             in.attested_by, in.proof_note, on.iso(), std::int64_t{in.months}, plan.fines.cents(),
             plan.processing_fee.cents(), plan.total.cents(), plan.max_monthly.cents(),
             plan.late_fees_waived.cents(), actor.username, now_us, now_us}));
    for (const auto& i : plan.installments)
      CD_TRY(
          c.exec("INSERT INTO citation_plan_installments (plan_id, number, due_on, "
                 "amount_cents) VALUES (?, ?, ?, ?)",
                 {plan_id, std::int64_t{i.number}, i.due_on.iso(), i.amount.cents()}));
    if (plan.processing_fee.is_positive()) {
      ledger::ChargeRequest fee;
      fee.party_id = first.ledger_party;
      fee.account_ref =
          "plate:" + (first.plate_state.empty() ? std::string("XX") : first.plate_state) + ":" +
          first.plate;
      fee.kind = rules.obligation_kind;
      fee.description = "Payment plan " + std::to_string(plan_id) + " processing fee";
      fee.due_date = on;
      fee.source_ref = "citation-plan:" + std::to_string(plan_id) + ":fee";
      fee.lines.push_back(
          {"Payment plan processing fee", rules.plan_fee_account, plan.processing_fee, false});
      fee.apply_credit = false;  // the holding party's credit belongs to many plates
      CD_ASSIGN(auto o, ledger_.charge_within(c, actor, fee));
      CD_TRY(
          c.exec("UPDATE citation_plans SET fee_obligation_id = ? WHERE id = ?", {o.id, plan_id}));
    }
    ledger::detail::Posting p{c, city_, actor, now_us, today};
    for (const auto& pen : penalties) {
      CD_ASSIGN(auto entry, post_penalty_adjustment(p, pen.obligation_id, pen.balance, true,
                                                    "Late fees waived on payment plan " +
                                                        std::to_string(plan_id) + " (VC 40220)"));
      CD_TRY(
          c.exec("INSERT INTO citation_plan_waivers (plan_id, citation_id, obligation_id, "
                 "amount_cents, entry_id) VALUES (?, ?, ?, ?, ?)",
                 {plan_id, pen.citation_id, pen.obligation_id, pen.balance.cents(), entry}));
    }
    for (const auto& m : members) {
      CD_TRY(
          c.exec("INSERT INTO citation_plan_citations (plan_id, citation_id, fine_cents) "
                 "VALUES (?, ?, ?)",
                 {plan_id, m.id, m.fine_balance.cents()}));
      CD_TRY(move_citation(c, actor, m.id, m.state, CitationEvent::kEnrolPlan, on,
                           "payment plan " + std::to_string(plan_id), now_us));
      CD_TRY(
          c.exec("INSERT INTO citation_suspensions (citation_id, reason, from_on) VALUES "
                 "(?, 'plan', ?)",
                 {m.id, on.iso()}));
      CD_TRY(c.exec("UPDATE citations SET next_step_due_on = NULL WHERE id = ?", {m.id}));
    }
    CD_TRY(audit::append(
        c, actor, now_us,
        {"citation_plan.enrol", "citation_plan", std::to_string(plan_id), std::nullopt,
         json::serialize(json::object{{"citations", static_cast<std::int64_t>(members.size())},
                                      {"total", format_plain(plan.total)},
                                      {"months", in.months},
                                      {"late_fees_waived", format_plain(plan.late_fees_waived)},
                                      {"attested_by", in.attested_by}})}));
    return plan_id;
  }));
  return plan(id);
}

Result<PlanView> PlanBook::plan(std::int64_t id) {
  return db_.read<PlanView>([&](store::Connection& c) {
    return load_plan(c, city_.citations.plan, id, ledger_.today());
  });
}

Result<std::vector<PlanView>> PlanBook::plans(const std::string& status) {
  if (!status.empty() && status != "active" && status != "kept" && status != "defaulted")
    return fail(Error::invalid("status", "status is active, kept or defaulted"));
  return db_.read<std::vector<PlanView>>(
      [&](store::Connection& c) -> Result<std::vector<PlanView>> {
        CD_ASSIGN(auto rows,
                  c.query("SELECT id FROM citation_plans WHERE (? = '' OR status = ?) ORDER BY id "
                          "DESC LIMIT ?",
                          {status, status, std::int64_t{kMaxPlansListed}}));
        std::vector<PlanView> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto v, load_plan(c, city_.citations.plan, r.integer(0), ledger_.today()));
          out.push_back(std::move(v));
        }
        return out;
      });
}

Result<PlanCheckResult> PlanBook::check_plans(const Actor& actor, CivilDate as_of) {
  PlanCheckResult out;
  CD_ASSIGN(auto ids, db_.read<std::vector<std::int64_t>>(
                          [&](store::Connection& c) -> Result<std::vector<std::int64_t>> {
                            CD_ASSIGN(auto rows, c.query("SELECT id FROM citation_plans WHERE "
                                                         "status = 'active' ORDER BY id"));
                            std::vector<std::int64_t> v;
                            for (const auto& r : rows) v.push_back(r.integer(0));
                            return v;
                          }));
  for (auto id : ids) {
    CD_ASSIGN(
        auto step, db_.write<PlanCheckResult>([&](store::Connection& c) -> Result<PlanCheckResult> {
          PlanCheckResult k;
          CD_ASSIGN(auto v, load_plan(c, city_.citations.plan, id, as_of));
          if (v.status != "active") return k;  // another run got here first
          ++k.examined;
          PaymentPlan plan{.enrolled_on = v.enrolled_on,
                           .fines = v.fines,
                           .processing_fee = v.processing_fee,
                           .total = v.total,
                           .max_monthly = v.max_monthly,
                           .late_fees_waived = v.late_fees_waived,
                           .installments = v.installments};
          const PlanCheck check = check_plan(city_.citations.plan, plan, v.paid, as_of);
          if (check.standing == PlanStanding::kCurrent) return k;
          const bool kept = check.standing == PlanStanding::kCompleted;
          const Timestamp now_us = clock_.now_us();
          if (!kept) {
            ledger::detail::Posting p{c, city_, actor, now_us, ledger_.today()};
            CD_ASSIGN(auto waivers, c.query("SELECT obligation_id, amount_cents FROM "
                                            "citation_plan_waivers WHERE plan_id = ? ORDER BY id",
                                            {id}));
            for (const auto& w : waivers) {
              const Money amount = Money::from_cents(w.integer(1));
              CD_TRY(post_penalty_adjustment(p, w.integer(0), amount, false,
                                             "Late fees reinstated: payment plan " +
                                                 std::to_string(id) + " defaulted (VC 40220)"));
              CD_ASSIGN(k.reinstated, k.reinstated.add(amount));
            }
          }
          CD_TRY(c.exec(
              "UPDATE citation_plans SET status = ?, closed_on = ?, missed_installment = ?, "
              "updated_us = ? WHERE id = ?",
              {std::string(kept ? "kept" : "defaulted"), as_of.iso(),
               check.missed_installment ? store::Value{std::int64_t{*check.missed_installment}}
                                        : store::null(),
               now_us, id}));
          CD_ASSIGN(auto members, c.query("SELECT c.id, c.status, c.dmv_hold FROM "
                                          "citation_plan_citations pc JOIN citations c ON c.id = "
                                          "pc.citation_id WHERE pc.plan_id = ? ORDER BY c.id",
                                          {id}));
          for (const auto& m : members) {
            CitationState state;
            CD_ASSIGN(state.status, parse_citation_status(m.text(1)));
            state.dmv_hold = m.integer(2) != 0;
            if (state.status != CitationStatus::kOnPlan) continue;
            CD_TRY(
                c.exec("UPDATE citation_suspensions SET until_on = ? WHERE citation_id = ? AND "
                       "reason = 'plan' AND until_on IS NULL",
                       {as_of.iso(), m.integer(0)}));
            CD_TRY(move_citation(
                c, actor, m.integer(0), state,
                kept ? CitationEvent::kCompletePlan : CitationEvent::kDefaultPlan, as_of,
                kept ? "payment plan " + std::to_string(id) + " kept"
                     : "payment plan " + std::to_string(id) + " defaulted: " + "installment " +
                           std::to_string(check.missed_installment.value_or(0)) + " unpaid",
                now_us));
            CD_TRY(recompute_next(c, city_, calendar_, m.integer(0)));
          }
          (kept ? k.kept : k.defaulted) += 1;
          CD_TRY(audit::append(
              c, actor, now_us,
              {kept ? "citation_plan.kept" : "citation_plan.defaulted", "citation_plan",
               std::to_string(id), std::nullopt,
               json::serialize(json::object{{"as_of", as_of.iso()},
                                            {"paid", format_plain(v.paid)},
                                            {"reinstated", format_plain(k.reinstated)}})}));
          return k;
        }));
    out.examined += step.examined;
    out.kept += step.kept;
    out.defaulted += step.defaulted;
    CD_ASSIGN(out.reinstated, out.reinstated.add(step.reinstated));
  }
  return out;
}

}  // namespace civicdesk::citations
