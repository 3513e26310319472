// Property tests of the ledger (rapidcheck): random sequences of operations run through the real
// Ledger service on SQLite and PostgreSQL, each step checked against a small independent model
// that predicts every balance.
//
// The model (below, no database) knows obligations with their charge lines, payments with what
// each pays per charge line, the parties' returned-payment counts and the pending approvals. It
// re-implements the documented rules on its own: allocation order (kind priority, due date, age,
// penalties first, line order; directed payments only the named obligations in order), credit
// applied to new charges oldest payment first, adjustments (credit spread in line order, debit on
// the first line), write-off and recovery, cancel (payments become credit), transfer and return
// (unwind what the payment pays, then re-post or charge the fee), refunds (a second person).
//
// After every step: `ledger::check` finds nothing; every obligation, charge line, payment and
// party balance equals the model's; no line balance is negative; a retry with the same key
// returns the same payment and writes no journal entry.
//
// Size: a case is a fresh database and one sequence of at most kMaxOps operations.
//   default        kSqliteCases on SQLite, kPostgresCases on PostgreSQL
//   CIVICDESK_SOAK=1             x10 cases
//   CIVICDESK_PROPERTY_CASES=N   exactly N cases per backend
//   RC_PARAMS="seed=123"         reproduce: the seed is printed on failure, with the shrunk
//                                sequence of operations
#include <rapidcheck.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>

#include "ledger/ledger_check.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

constexpr int kSqliteCases = 40;
constexpr int kPostgresCases = 12;
constexpr int kMaxOps = 30;
constexpr std::int64_t kFeeCents = 2500;        // config/demo-city.yaml returned_payment.fee
constexpr std::int64_t kCsr2LimitCents = 2500;  // adjustment_limits.csr2
constexpr int kCashOnlyAfter = 2;               // returned_payment.cash_only_after
const CivilDate kToday{2026, 11, 26};           // kTestStartUs in Riverton

// --- operations --------------------------------------------------------------------------------

enum OpKind {
  kCharge,
  kPay,
  kRetry,
  kAdjust,
  kDecide,
  kWriteOff,
  kRecover,
  kCancel,
  kTransfer,
  kReturn,
  kRefund,
  kOpKinds
};
constexpr const char* kOpNames[kOpKinds] = {"charge",   "pay",      "retry",   "adjust",
                                            "decide",   "writeoff", "recover", "cancel",
                                            "transfer", "return",   "refund"};

// An operation; its numbers pick among what exists when it runs (x % count), so any sequence is
// valid and shrinks well.
struct Op {
  int kind = kCharge;
  int a = 0, b = 0, c = 0;
  std::int64_t amount = 1;
};

void showValue(const Op& op, std::ostream& os) {
  os << kOpNames[op.kind] << "(a=" << op.a << " b=" << op.b << " c=" << op.c
     << " amount=" << op.amount << ")";
}

rc::Gen<Op> op_gen() {
  auto kind = rc::gen::weightedElement<int>({{5, kCharge},
                                             {6, kPay},
                                             {2, kRetry},
                                             {3, kAdjust},
                                             {3, kDecide},
                                             {1, kWriteOff},
                                             {1, kRecover},
                                             {1, kCancel},
                                             {2, kTransfer},
                                             {2, kReturn},
                                             {3, kRefund}});
  auto small = rc::gen::inRange(0, 1000);
  return rc::gen::apply(
      [](int k, int a, int b, int c, std::int64_t amount) {
        return Op{k, a, b, c, amount};
      },
      kind, small, small, small, rc::gen::inRange<std::int64_t>(1, 20001));
}

// --- the model ---------------------------------------------------------------------------------

struct MLine {
  std::int64_t id = 0;
  int line_no = 0;
  bool penalty = false;
  std::string fund;
  std::int64_t balance = 0;
  std::int64_t written_off = 0;  // net amount of the last write-off not yet recovered
};

struct MObligation {
  std::int64_t id = 0, party = 0;
  int priority = 0;
  CivilDate due;
  std::string status = "open";
  std::vector<MLine> lines;
  std::int64_t balance() const {
    std::int64_t b = 0;
    for (const auto& l : lines) b += l.balance;
    return b;
  }
};

struct MPayment {
  std::int64_t id = 0, party = 0, amount = 0, unapplied = 0, refunded = 0;
  std::string status = "posted", tender, channel;
  std::map<std::int64_t, std::int64_t> applied;  // charge line id -> cents it pays now
  std::set<std::int64_t> touched;                // obligations it ever paid
};

struct MApproval {
  std::int64_t id = 0, party = 0, obligation = 0, amount = 0, line_id = 0, refund_id = 0;
  std::string kind, direction;
  std::int64_t requested_by = 0;
};

struct Model {
  std::map<std::int64_t, MObligation> obligations;
  std::map<std::int64_t, MPayment> payments;
  std::map<std::int64_t, int> returns;  // party -> returned payments
  std::vector<MApproval> pending;

  MLine* line(std::int64_t id, MObligation** owner = nullptr) {
    for (auto& [_, o] : obligations)
      for (auto& l : o.lines)
        if (l.id == id) {
          if (owner) *owner = &o;
          return &l;
        }
    return nullptr;
  }
  bool cash_only(std::int64_t party) const {
    auto it = returns.find(party);
    return it != returns.end() && it->second >= kCashOnlyAfter;
  }
  std::int64_t credit(std::int64_t party) const {
    std::int64_t c = 0;
    for (const auto& [_, p] : payments)
      if (p.party == party) c += p.unapplied;
    return c;
  }
  std::int64_t receivable(std::int64_t party) const {
    std::int64_t r = 0;
    for (const auto& [_, o] : obligations)
      if (o.party == party) r += o.balance();
    return r;
  }
  std::vector<std::int64_t> open_obligations(std::int64_t party) const {
    std::vector<std::int64_t> out;
    for (const auto& [id, o] : obligations)
      if (o.party == party && o.status == "open") out.push_back(id);
    return out;
  }

  // ledger/posting.cc refresh_status, as documented: cancelled stays; a balance reopens; an open
  // obligation with nothing left is paid.
  static void refresh(MObligation& o) {
    if (o.status == "cancelled") return;
    if (o.balance() > 0)
      o.status = "open";
    else if (o.status == "open")
      o.status = "paid";
  }

  struct Take {
    std::int64_t obligation, line, cents;
  };
  // The allocation rules, written out again: open obligations' lines with a balance, by (kind
  // priority, due date, obligation id, penalty first, line number); directed: only those
  // obligations, in the order named.
  std::vector<Take> allocate(std::int64_t party, std::int64_t amount,
                             const std::vector<std::int64_t>& directed,
                             std::int64_t only_obligation, std::int64_t& remainder) {
    struct Key {
      std::size_t directed_rank;
      int priority;
      CivilDate due;
      std::int64_t obligation;
      int penalty_rank, line_no;
      std::int64_t line;
      auto operator<=>(const Key&) const = default;
    };
    std::vector<Key> keys;
    for (const auto& [id, o] : obligations) {
      if (o.party != party || o.status != "open") continue;
      if (only_obligation && id != only_obligation) continue;
      std::size_t rank = 0;
      if (!directed.empty()) {
        auto it = std::find(directed.begin(), directed.end(), id);
        if (it == directed.end()) continue;
        rank = static_cast<std::size_t>(it - directed.begin());
      }
      for (const auto& l : o.lines)
        if (l.balance > 0)
          keys.push_back({rank, o.priority, o.due, id, l.penalty ? 0 : 1, l.line_no, l.id});
    }
    std::sort(keys.begin(), keys.end());
    std::vector<Take> out;
    std::int64_t left = amount;
    for (const auto& k : keys) {
      if (left == 0) break;
      MLine* l = line(k.line);
      std::int64_t take = std::min(left, l->balance);
      out.push_back({k.obligation, k.line, take});
      left -= take;
    }
    remainder = left;
    return out;
  }

  void apply(MPayment& p, const Take& t) {
    line(t.line)->balance -= t.cents;
    p.applied[t.line] += t.cents;
    p.touched.insert(t.obligation);
  }

  // Consumes the party's credit, oldest payment first, against one obligation's lines.
  void apply_credit(std::int64_t party, std::int64_t obligation) {
    std::int64_t credit = this->credit(party), remainder = 0;
    if (credit <= 0) return;
    auto takes = allocate(party, credit, {}, obligation, remainder);
    auto next = payments.begin();
    for (const auto& t : takes) {
      for (std::int64_t left = t.cents; left > 0;) {
        while (next->second.party != party || next->second.unapplied == 0) ++next;
        std::int64_t take = std::min(left, next->second.unapplied);
        next->second.unapplied -= take;
        apply(next->second, {t.obligation, t.line, take});
        left -= take;
      }
    }
    refresh(obligations.at(obligation));
  }

  // What a transfer or return takes back: every line the payment pays reopens; its credit goes.
  void unwind(MPayment& p, const std::string& status) {
    for (auto& [line_id, cents] : p.applied) line(line_id)->balance += cents;
    p.applied.clear();
    p.unapplied = 0;
    p.status = status;
    for (auto o : p.touched) refresh(obligations.at(o));
  }
};

// --- the system under test ---------------------------------------------------------------------

Actor actor(std::int64_t id, const std::string& role) {
  return Actor{UserId{id}, role + std::to_string(id), role, "property", "test"};
}
const Actor kCsr2 = actor(11, "csr2");
const Actor kCsr3 = actor(13, "csr3");
const Actor kSupervisor = actor(14, "supervisor");

struct Account {
  const char* code;
  const char* fund;
  bool penalty;
};
constexpr Account kAccounts[] = {{"4000-WATER", "WATER", false},
                                 {"4100-WATER", "WATER", true},
                                 {"4000-SEWER", "SEWER", false},
                                 {"4000-PARKING", "PARKING", false},
                                 {"4020-GENERAL", "GENERAL", false}};
struct Kind {
  const char* code;
  int priority;
};
constexpr Kind kKinds[] = {
    {"utility_bill", 10}, {"citation", 30}, {"damage_claim", 50}, {"fee", 70}};

// Two bugs this test found are fixed and have regression tests at the end of this file:
// a transfer of a partly refunded payment re-posted its whole amount, and an approval of an
// adjustment whose obligation had been cancelled or written off meanwhile still posted it.

void require(bool ok, const std::string& what) {
  if (!ok) RC_FAIL(what);
}

template <class T>
std::string why(const Result<T>& r) {
  return r ? std::string("succeeded") : r.error().message + " [" + r.error().field + "]";
}

// One case: a fresh database, two parties, a sequence of operations.
class SequenceRun {
 public:
  SequenceRun(App& app, std::int64_t p, std::int64_t q)
      : app_(app), ledger_(app.ledger()), parties_{p, q} {}

  void step(const Op& op, int n) {
    key_ = "k" + std::to_string(n);
    std::int64_t before = journal_entries();
    switch (op.kind) {
      case kCharge:
        charge(op);
        break;
      case kPay:
        pay(op);
        break;
      case kRetry:
        retry(op);
        break;
      case kAdjust:
        adjust(op);
        break;
      case kDecide:
        decide(op);
        break;
      case kWriteOff:
        write_off(op);
        break;
      case kRecover:
        recover(op);
        break;
      case kCancel:
        cancel(op);
        break;
      case kTransfer:
        transfer(op);
        break;
      case kReturn:
        return_payment(op);
        break;
      case kRefund:
        refund(op);
        break;
    }
    // What the sequences exercised, printed at the end: an operation that never posts is a
    // generator that tests nothing.
    ++tally()[std::string(kOpNames[op.kind]) +
              (journal_entries() > before ? " posted" : " no entry")];
    compare();
  }

  static std::map<std::string, int>& tally() {
    static std::map<std::string, int> counts;
    return counts;
  }

 private:
  std::int64_t party(int x) const { return parties_[x % 4 == 3 ? 1 : 0]; }

  MObligation* pick_obligation(int x) {
    if (m_.obligations.empty()) return nullptr;
    auto it = m_.obligations.begin();
    std::advance(it, x % static_cast<int>(m_.obligations.size()));
    return &it->second;
  }
  MPayment* pick_payment(int x) {
    if (m_.payments.empty()) return nullptr;
    auto it = m_.payments.begin();
    std::advance(it, x % static_cast<int>(m_.payments.size()));
    return &it->second;
  }

  void add_obligation(const ledger::Obligation& o, int priority) {
    MObligation mo;
    mo.id = o.id;
    mo.party = o.party_id;
    mo.priority = priority;
    mo.due = o.due_date;
    for (const auto& l : o.lines)
      mo.lines.push_back({l.id, l.line_no, l.is_penalty, l.fund, l.amount.cents(), 0});
    m_.obligations[o.id] = mo;
  }

  void charge(const Op& op) {
    const Kind& kind = kKinds[op.b % 4];
    ledger::ChargeRequest r;
    r.party_id = party(op.a);
    r.kind = kind.code;
    r.description = std::string(kind.code) + " charge";
    r.due_date = kToday.plus_days(-10 * ((op.b / 4) % 5));
    int lines = 1 + op.c % 3;
    for (int i = 0; i < lines; ++i) {
      const Account& a = kAccounts[(op.c / 3 + i) % 5];
      r.lines.push_back({"line " + std::to_string(i + 1), a.code,
                         Money::from_cents(i == 0 ? op.amount : op.amount / (i + 2) + 1),
                         a.penalty});
    }
    r.idempotency_key = key_;
    auto o = ledger_.charge(kCsr2, r);
    require(o.has_value(), "charge refused: " + why(o));
    add_obligation(*o, kind.priority);  // the ids as the ledger gave them, the full amounts
    m_.apply_credit(r.party_id, o->id);
    require(o->balance.cents() == m_.obligations[o->id].balance(),
            "new obligation balance " + std::to_string(o->balance.cents()) + ", model " +
                std::to_string(m_.obligations[o->id].balance()));
    last_charge_ = r;
  }

  void pay(const Op& op) {
    static const char* kTenders[] = {"cash", "check", "card"};
    ledger::PaymentRequest r;
    r.party_id = party(op.a);
    r.amount = Money::from_cents(op.amount);
    r.tender = kTenders[op.b % 3];
    r.channel = r.tender == "cash" ? "counter" : "mail";
    r.payer = "Payer";
    r.idempotency_key = key_;
    bool directed_at_closed = false;
    if (op.c % 3 == 0) {
      auto open = m_.open_obligations(r.party_id);
      if (!open.empty()) {
        r.directed_obligations.push_back(open[(op.c / 3) % open.size()]);
        if (open.size() > 1 && op.c % 2 == 0)
          r.directed_obligations.push_back(open[(op.c / 3 + 1) % open.size()]);
      }
    } else if (op.c % 7 == 1) {
      for (const auto& [id, o] : m_.obligations)
        if (o.party == r.party_id && o.status != "open") {
          r.directed_obligations.push_back(id);
          directed_at_closed = true;
          break;
        }
    }
    auto p = ledger_.pay(kCsr2, r);
    if (m_.cash_only(r.party_id) && r.tender != "cash") {
      require(!p && p.error().code == ErrorCode::kUnprocessable,
              "a non-cash payment from a cash-only party: " + why(p));
      return;
    }
    if (directed_at_closed) {
      require(!p && p.error().code == ErrorCode::kInvalidInput,
              "a payment directed at a closed obligation: " + why(p));
      return;
    }
    require(p.has_value(), "payment refused: " + why(p));
    require(!p->replayed, "a new key replayed");
    expect_posted(*p, r.party_id, op.amount, r.tender, r.channel, r.directed_obligations);
    last_pay_ = r;
    last_pay_id_ = p->payment.id;
  }

  // Predicts the allocation of a new payment and checks the service's answer against it.
  void expect_posted(const ledger::PaymentResult& p, std::int64_t party, std::int64_t amount,
                     const std::string& tender, const std::string& channel,
                     const std::vector<std::int64_t>& directed) {
    std::int64_t remainder = 0;
    auto takes = m_.allocate(party, amount, directed, 0, remainder);
    MPayment mp;
    mp.id = p.payment.id;
    mp.party = party;
    mp.amount = amount;
    mp.unapplied = remainder;
    mp.tender = tender;
    mp.channel = channel;
    require(!m_.payments.contains(mp.id), "payment id reused");
    require(p.allocations.size() == takes.size(),
            "allocations: " + std::to_string(p.allocations.size()) + ", model " +
                std::to_string(takes.size()));
    for (std::size_t i = 0; i < takes.size(); ++i) {
      const auto& got = p.allocations[i];
      require(got.line_id == takes[i].line && got.amount_cents == takes[i].cents &&
                  got.obligation_id == takes[i].obligation,
              "allocation " + std::to_string(i) + ": line " + std::to_string(got.line_id) + " " +
                  std::to_string(got.amount_cents) + "c, model line " +
                  std::to_string(takes[i].line) + " " + std::to_string(takes[i].cents) + "c");
      m_.apply(mp, takes[i]);
    }
    m_.payments[mp.id] = mp;
    for (const auto& t : takes) Model::refresh(m_.obligations.at(t.obligation));
  }

  std::int64_t journal_entries() {
    return app_.db()
        .read<std::int64_t>([](store::Connection& c) {
          return c.query_int("SELECT COUNT(*) FROM journal_entries");
        })
        .value();
  }

  // The same key again: the same payment (or obligation), nothing new in the journal. With
  // b % 3 == 1 the retry changes the amount, and with b % 3 == 2 the party: still nothing posts.
  void retry(const Op& op) {
    std::int64_t before = journal_entries();
    if (op.a % 3 == 0 && last_charge_) {
      auto o = ledger_.charge(kCsr2, *last_charge_);
      require(o.has_value(), "charge retry refused: " + why(o));
      require(m_.obligations.contains(o->id),
              "charge retry made obligation " + std::to_string(o->id));
    } else if (last_pay_) {
      ledger::PaymentRequest r = *last_pay_;
      if (op.b % 3 == 1) r.amount = Money::from_cents(r.amount.cents() + 1);
      if (op.b % 3 == 2) r.party_id = parties_[r.party_id == parties_[0] ? 1 : 0];
      auto p = ledger_.pay(kCsr2, r);
      if (p) {
        require(p->replayed, "retry with the same key was not a replay");
        require(p->payment.id == last_pay_id_,
                "the retry answered with payment " + std::to_string(p->payment.id) +
                    ", the first request made " + std::to_string(last_pay_id_));
      }
      if (op.b % 3 == 0) require(p.has_value(), "exact retry refused: " + why(p));
    }
    require(journal_entries() == before, "a retry wrote a journal entry");
  }

  void adjust(const Op& op) {
    MObligation* o = pick_obligation(op.a);
    if (!o) return;
    ledger::AdjustmentRequest r;
    r.obligation_id = o->id;
    r.direction = op.b % 2 == 0 ? "credit" : "debit";
    bool credit = r.direction == "credit";
    const MLine* line = nullptr;
    if (op.c % 3 == 1) {
      line = &o->lines[(op.c / 3) % o->lines.size()];
      r.line_id = line->id;
    }
    std::int64_t owed = line ? line->balance : o->balance();
    std::int64_t amount = op.amount;
    if (credit && op.c % 5 != 0 && owed > 0) amount = std::min(amount, owed);
    r.amount = Money::from_cents(amount);
    r.reason_code = "BILLING_ERROR";
    r.idempotency_key = key_;
    const Actor& who = op.b % 4 < 2 ? kCsr2 : kSupervisor;
    auto res = ledger_.adjust(who, r);
    bool adjustable = o->status == "open" || o->status == "paid";
    if (!adjustable || (credit && amount > o->balance())) {
      require(!res && res.error().code == ErrorCode::kUnprocessable,
              "adjustment of " + o->status + " obligation, " + std::to_string(amount) +
                  "c against " + std::to_string(o->balance()) + "c owed: " + why(res));
      return;
    }
    if (who.role == "csr2" && amount > kCsr2LimitCents) {
      require(res && !res->posted && res->approval, "above the limit: " + why(res));
      m_.pending.push_back({res->approval->id, o->party, o->id, amount, r.line_id, 0, "adjustment",
                            r.direction, who.user_id.value});
      return;
    }
    bool fits = post_adjustment(*o, r.line_id, credit, amount, /*dry_run=*/true);
    if (!fits) {
      require(!res && res.error().code == ErrorCode::kUnprocessable,
              "credit more than the line owes: " + why(res));
      return;
    }
    require(res && res->posted, "adjustment not posted: " + why(res));
    post_adjustment(*o, r.line_id, credit, amount, false);
  }

  // Credit: spread over the lines with a balance in line order (or the one line); debit: the
  // first line (or the one line). False when a credit does not fit.
  bool post_adjustment(MObligation& o, std::int64_t line_id, bool credit, std::int64_t amount,
                       bool dry_run) {
    std::int64_t left = amount;
    std::vector<std::pair<MLine*, std::int64_t>> takes;
    for (auto& l : o.lines) {
      if (left == 0) break;
      if (line_id && l.id != line_id) continue;
      std::int64_t take = credit ? std::min(left, l.balance) : left;
      if (take <= 0) continue;
      takes.push_back({&l, take});
      left -= take;
    }
    if (left != 0) return false;
    if (dry_run) return true;
    for (auto& [l, take] : takes) l->balance += credit ? -take : take;
    Model::refresh(o);
    return true;
  }

  void decide(const Op& op) {
    if (m_.pending.empty()) return;
    std::size_t i = static_cast<std::size_t>(op.a) % m_.pending.size();
    MApproval a = m_.pending[i];
    if (op.b % 5 == 0) {  // the requester may not decide
      auto own = ledger_.decide(a.requested_by == kCsr2.user_id.value ? kCsr2 : kSupervisor, a.id,
                                true, "");
      require(!own && own.error().code == ErrorCode::kUnprocessable,
              "the requester decided their own request: " + why(own));
      return;
    }
    bool approve = op.c % 4 != 0;
    auto res = ledger_.decide(kSupervisor, a.id, approve, "");
    if (!approve) {
      require(res && res->status == "denied", "deny: " + why(res));
      m_.pending.erase(m_.pending.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
    if (a.kind == "refund") {
      if (a.amount > m_.credit(a.party)) {
        require(!res && res.error().code == ErrorCode::kUnprocessable,
                "approved a refund above the credit: " + why(res));
        return;
      }
      require(res && res->status == "approved", "refund approval: " + why(res));
      std::int64_t left = a.amount;
      for (auto& [_, p] : m_.payments) {
        if (p.party != a.party || left == 0) continue;
        std::int64_t take = std::min(left, p.unapplied);
        p.unapplied -= take;
        p.refunded += take;
        left -= take;
      }
      m_.pending.erase(m_.pending.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
    MObligation& o = m_.obligations.at(a.obligation);
    bool adjustable = o.status == "open" || o.status == "paid";
    bool credit = a.direction == "credit";
    if (!adjustable || !post_adjustment(o, a.line_id, credit, a.amount, true)) {
      require(!res && res.error().code == ErrorCode::kUnprocessable,
              "approved an adjustment of " + std::to_string(a.amount) + "c on a " + o.status +
                  " obligation owing " + std::to_string(o.balance()) + "c: " + why(res));
      return;
    }
    require(res && res->status == "approved", "adjustment approval: " + why(res));
    post_adjustment(o, a.line_id, credit, a.amount, false);
    m_.pending.erase(m_.pending.begin() + static_cast<std::ptrdiff_t>(i));
  }

  void write_off(const Op& op) {
    MObligation* o = pick_obligation(op.a);
    if (!o) return;
    auto res = ledger_.write_off(kCsr3, o->id, "uncollectible", key_);
    if (o->status != "open" || o->balance() <= 0) {
      require(!res && res.error().code == ErrorCode::kUnprocessable, "write-off: " + why(res));
      return;
    }
    require(res.has_value(), "write-off refused: " + why(res));
    for (auto& l : o->lines) {
      l.written_off += l.balance;  // recovery reinstates every write-off not yet recovered
      l.balance = 0;
    }
    o->status = "written_off";
  }

  void recover(const Op& op) {
    MObligation* o = pick_obligation(op.a);
    if (!o) return;
    auto res = ledger_.recover(kCsr3, o->id, "debtor found", key_);
    if (o->status != "written_off") {
      require(!res && res.error().code == ErrorCode::kUnprocessable, "recovery: " + why(res));
      return;
    }
    require(res.has_value(), "recovery refused: " + why(res));
    for (auto& l : o->lines) {
      l.balance += l.written_off;
      l.written_off = 0;
    }
    o->status = "open";
    Model::refresh(*o);
  }

  void cancel(const Op& op) {
    MObligation* o = pick_obligation(op.a);
    if (!o) return;
    auto res = ledger_.cancel(kCsr3, o->id, "issued in error", key_);
    bool paid_by_someone = false;
    for (const auto& [_, p] : m_.payments)
      for (const auto& l : o->lines)
        if (p.applied.contains(l.id) && p.applied.at(l.id) != 0) paid_by_someone = true;
    if ((o->status != "open" && o->status != "paid") || (o->balance() == 0 && !paid_by_someone)) {
      require(!res && res.error().code == ErrorCode::kUnprocessable, "cancel: " + why(res));
      return;
    }
    require(res.has_value(), "cancel refused: " + why(res));
    for (auto& [_, p] : m_.payments)
      for (const auto& l : o->lines)
        if (auto it = p.applied.find(l.id); it != p.applied.end()) {
          p.unapplied += it->second;
          p.applied.erase(it);
        }
    for (auto& l : o->lines) l.balance = 0;
    o->status = "cancelled";
  }

  void transfer(const Op& op) {
    MPayment* p = pick_payment(op.a);
    if (!p) return;
    ledger::TransferRequest r;
    r.payment_id = p->id;
    r.to_party_id = parties_[op.b % 2];
    r.reason = "misapplied";
    r.idempotency_key = key_;
    if (op.c % 3 == 0) {
      auto open = m_.open_obligations(r.to_party_id);
      if (!open.empty()) r.to_obligations.push_back(open[(op.c / 3) % open.size()]);
    }
    auto res = ledger_.transfer(kCsr3, r);
    // A payment that was partly refunded no longer holds its whole amount: moving all of it
    // would make money (returns refuse this case the same way).
    if (p->status != "posted" || p->refunded > 0) {
      require(!res && res.error().code == ErrorCode::kUnprocessable,
              "transfer of a " + p->status + " payment with " + std::to_string(p->refunded) +
                  "c refunded: " + why(res));
      return;
    }
    require(res.has_value(), "transfer refused: " + why(res));
    std::int64_t amount = p->amount;
    std::string tender = p->tender, channel = p->channel;
    m_.unwind(*p, "transferred");
    expect_posted(*res, r.to_party_id, amount, tender, channel, r.to_obligations);
  }

  void return_payment(const Op& op) {
    MPayment* p = pick_payment(op.a);
    if (!p) return;
    auto res = ledger_.return_payment(kCsr3, {p->id, "nsf", key_});
    if (p->status != "posted" || p->refunded > 0) {
      require(!res && res.error().code == ErrorCode::kUnprocessable, "return: " + why(res));
      return;
    }
    require(res.has_value(), "return refused: " + why(res));
    m_.unwind(*p, "returned");
    int n = ++m_.returns[p->party];
    require(res->returns_on_party == n, "returns on party " +
                                            std::to_string(res->returns_on_party) + ", model " +
                                            std::to_string(n));
    require(res->now_cash_only == (n == kCashOnlyAfter), "cash-only flag at the wrong return");
    auto fee = ledger_.obligation(res->fee_obligation_id);
    require(fee.has_value() && fee->lines.size() == 1, "no returned-payment fee obligation");
    require(fee->original.cents() == kFeeCents, "fee amount");
    MObligation mo;
    mo.id = fee->id;
    mo.party = p->party;
    mo.priority = 70;
    mo.due = kToday;
    mo.lines.push_back({fee->lines[0].id, 1, false, "GENERAL", kFeeCents, 0});
    m_.obligations[mo.id] = mo;  // the fee does not consume credit (insert_charge only)
  }

  void refund(const Op& op) {
    std::int64_t party = this->party(op.a);
    std::int64_t credit = m_.credit(party);
    std::int64_t amount = op.c % 4 == 0 || credit == 0 ? credit + 1 : std::min(op.amount, credit);
    auto res = ledger_.request_refund(kCsr2, {party, Money::from_cents(amount), "check", "", key_});
    if (amount > credit) {
      require(!res && res.error().code == ErrorCode::kUnprocessable,
              "refund above the credit: " + why(res));
      return;
    }
    require(res.has_value(), "refund request refused: " + why(res));
    m_.pending.push_back(
        {res->approval_id, party, 0, amount, 0, res->id, "refund", "", kCsr2.user_id.value});
  }

  void compare() {
    auto rep = ledger::check(app_.db());
    require(rep.has_value(), "ledger check: " + why(rep));
    if (!rep->ok()) {
      std::string all;
      for (const auto& p : rep->problems) all += "\n  " + p;
      RC_FAIL("ledger check found:" + all);
    }
    for (const auto& [id, mo] : m_.obligations) {
      auto o = ledger_.obligation(id);
      require(o.has_value(), "obligation " + std::to_string(id) + ": " + why(o));
      std::string name = "obligation " + std::to_string(id);
      require(o->status == mo.status, name + " is " + o->status + ", model " + mo.status);
      require(o->balance.cents() == mo.balance(), name + " balance " +
                                                      std::to_string(o->balance.cents()) +
                                                      ", model " + std::to_string(mo.balance()));
      require(o->lines.size() == mo.lines.size(), name + " lines");
      for (std::size_t i = 0; i < mo.lines.size(); ++i) {
        require(mo.lines[i].balance >= 0, name + ": the model over-applied a line");
        require(o->lines[i].balance.cents() == mo.lines[i].balance,
                name + " line " + std::to_string(i + 1) + " balance " +
                    std::to_string(o->lines[i].balance.cents()) + ", model " +
                    std::to_string(mo.lines[i].balance));
      }
    }
    for (const auto& [id, mp] : m_.payments) {
      auto p = ledger_.payment(id);
      require(p.has_value(), "payment " + std::to_string(id) + ": " + why(p));
      require(p->status == mp.status,
              "payment " + std::to_string(id) + " is " + p->status + ", model " + mp.status);
      require(p->unapplied.cents() == mp.unapplied,
              "payment " + std::to_string(id) + " unapplied " +
                  std::to_string(p->unapplied.cents()) + ", model " + std::to_string(mp.unapplied));
    }
    for (auto party : parties_) {
      auto b = ledger_.balance_of(party);
      require(b.has_value(), "balance: " + why(b));
      std::string name = "party " + std::to_string(party);
      require(b->receivable.cents() == m_.receivable(party),
              name + " receivable " + std::to_string(b->receivable.cents()) + ", model " +
                  std::to_string(m_.receivable(party)));
      require(b->credit.cents() == m_.credit(party),
              name + " credit " + std::to_string(b->credit.cents()) + ", model " +
                  std::to_string(m_.credit(party)));
      require(b->returned_payments == (m_.returns.contains(party) ? m_.returns[party] : 0),
              name + " returned payments");
    }
  }

  App& app_;
  ledger::Ledger& ledger_;
  std::int64_t parties_[2];
  Model m_;
  std::string key_;
  std::optional<ledger::PaymentRequest> last_pay_;
  std::int64_t last_pay_id_ = 0;
  std::optional<ledger::ChargeRequest> last_charge_;
};

int cases_for(const std::string& backend) {
  if (const char* n = std::getenv("CIVICDESK_PROPERTY_CASES"); n && *n) return std::atoi(n);
  int cases = backend == "sqlite" ? kSqliteCases : kPostgresCases;
  if (const char* soak = std::getenv("CIVICDESK_SOAK"); soak && std::string(soak) == "1")
    cases *= 10;
  return cases;
}

class LedgerPropertyTest : public AppTest {
 protected:
  std::int64_t new_party(const std::string& last) {
    customers::PartyInput p;
    p.first_name = "Pat";
    p.last_name = last;
    std::vector<customers::DuplicateCandidate> dups;
    auto party = app_->parties().create(Actor::system(), p, true, dups);
    if (!party) {
      ADD_FAILURE() << "party: " << party.error().message;
      RC_FAIL("party: " + party.error().message);
    }
    return party->id.value;
  }
};

TEST_P(LedgerPropertyTest, RandomOperationsAgreeWithTheModel) {
  const std::string backend = GetParam();
  rc::detail::TestParams params = rc::detail::configuration().testParams;  // RC_PARAMS
  params.maxSuccess = cases_for(backend);
  rc::detail::TestMetadata meta;
  meta.id = meta.description = "ledger operations on " + backend;
  std::cerr << "- " << meta.description << ": " << params.maxSuccess << " sequences of at most "
            << kMaxOps << " operations, seed " << params.seed
            << " (reproduce: RC_PARAMS=\"seed=" << params.seed << "\")\n";
  auto result = rc::detail::checkTestable(
      [&] {
        // Lengths drawn uniformly (not growing with rapidcheck's size), so a short run on
        // PostgreSQL still tries long sequences.
        int length = *rc::gen::resize(100, rc::gen::inRange(1, kMaxOps + 1));
        auto ops = *rc::gen::container<std::vector<Op>>(static_cast<std::size_t>(length), op_gen());
        url_ = fresh_database_url(backend);
        RC_ASSERT(!url_.empty());
        restart();
        RC_ASSERT(app_ != nullptr);
        SequenceRun run(*app_, new_party("Primary"), new_party("Secondary"));
        for (std::size_t i = 0; i < ops.size(); ++i) run.step(ops[i], static_cast<int>(i));
      },
      meta, params);
  rc::detail::printResultMessage(result, std::cerr);
  std::cerr << "\n  operations run:";
  for (const auto& [what, n] : SequenceRun::tally()) std::cerr << " " << what << " " << n << ";";
  std::cerr << "\n";
  SequenceRun::tally().clear();
  EXPECT_TRUE(result.template is<rc::detail::SuccessResult>())
      << "see the counterexample above; reproduce with RC_PARAMS=\"seed=" << params.seed << "\"";
}

// Regression tests for what the property found. Each names the seed-free minimal sequence.

// Found by RandomOperationsAgreeWithTheModel (e.g. seed 8678858535463046781): pay $10 with
// nothing owed (credit $10), refund $10 (requested, approved by another user), then transfer
// the payment to another customer. Ledger::transfer posts a new $10 payment on the target while
// the $10 also left as a refund: $20 of cash for $10 received. ledger check still passes (each
// entry balances), so only the model notices. Return refuses the same case ("part of this
// payment was refunded"); transfer should too. Enable once Ledger::transfer checks it.
TEST_P(LedgerPropertyTest, TransferOfAPartlyRefundedPaymentIsRefused) {
  std::int64_t from = 0, to = 0;
  [&] { from = new_party("From"), to = new_party("To"); }();
  auto& l = app_->ledger();
  auto paid = l.pay(kCsr2, {from, Money::from_cents(1000), "cash", "counter", "", "", "", {}, "p"});
  ASSERT_TRUE(paid) << paid.error().message;
  auto refund = l.request_refund(kCsr2, {from, Money::from_cents(1000), "check", "", "r"});
  ASSERT_TRUE(refund) << refund.error().message;
  ASSERT_TRUE(l.decide(kSupervisor, refund->approval_id, true, ""));
  auto moved = l.transfer(kCsr3, {paid->payment.id, to, {}, "misapplied", "t"});
  EXPECT_FALSE(moved) << "moved $10 that had already been refunded";
  if (!moved) {
    EXPECT_EQ(moved.error().code, ErrorCode::kUnprocessable);
  }
  EXPECT_EQ(l.balance_of(to)->credit.cents(), 0);
}

// An adjustment waiting for approval whose obligation is cancelled (or written off) meanwhile
// must not post on approval: adjust() refuses such an obligation, and Ledger::decide does not
// check again, so a cancelled obligation ends up owing $50.00 (status still cancelled; the
// party's receivable includes it). ledger check passes. Enable once decide re-checks.
TEST_P(LedgerPropertyTest, ApprovalAfterCancelDoesNotAdjustACancelledObligation) {
  std::int64_t party = 0;
  [&] { party = new_party("Cancelled"); }();
  auto& l = app_->ledger();
  ledger::ChargeRequest charge{
      party,  "",     "utility_bill",
      "Bill", kToday, {{"Water", "4000-WATER", Money::from_cents(10000), false}},
      "",     ""};
  auto o = l.charge(kCsr2, charge);
  ASSERT_TRUE(o) << o.error().message;
  ledger::AdjustmentRequest debit{o->id,           0,  "debit", Money::from_cents(5000),
                                  "BILLING_ERROR", "", "a"};
  auto waiting = l.adjust(kCsr2, debit);
  ASSERT_TRUE(waiting && !waiting->posted);
  ASSERT_TRUE(l.cancel(kCsr3, o->id, "issued in error", "c"));
  auto approved = l.decide(kSupervisor, waiting->approval->id, true, "");
  EXPECT_FALSE(approved) << "a cancelled obligation was adjusted";
  EXPECT_EQ(l.obligation(o->id)->balance.cents(), 0);
  EXPECT_EQ(l.balance_of(party)->receivable.cents(), 0);
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(LedgerPropertyTest);

}  // namespace
}  // namespace civicdesk::testing
