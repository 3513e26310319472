#include "ledger/journal.h"

#include <array>
#include <map>

namespace civicdesk::ledger {
namespace {
constexpr std::array<std::pair<EntryKind, std::string_view>, 14> kNames = {{
    {EntryKind::kCharge, "charge"},
    {EntryKind::kPayment, "payment"},
    {EntryKind::kCreditApplication, "credit_application"},
    {EntryKind::kAdjustment, "adjustment"},
    {EntryKind::kRefundApproval, "refund_approval"},
    {EntryKind::kRefundIssue, "refund_issue"},
    {EntryKind::kTransfer, "transfer"},
    {EntryKind::kReturn, "return"},
    {EntryKind::kWriteOff, "write_off"},
    {EntryKind::kRecovery, "recovery"},
    {EntryKind::kCancellation, "cancellation"},
    {EntryKind::kVoid, "void"},
    {EntryKind::kCashMovement, "cash_movement"},
    {EntryKind::kOverShort, "over_short"},
}};
}  // namespace

std::string_view to_string(EntryKind k) {
  for (const auto& [kind, name] : kNames)
    if (kind == k) return name;
  return "unknown";
}

bool parse_entry_kind(std::string_view s, EntryKind& out) {
  for (const auto& [kind, name] : kNames)
    if (name == s) {
      out = kind;
      return true;
    }
  return false;
}

void add_pair(JournalEntry& e, const std::string& fund, const std::string& debit_account,
              const std::string& credit_account, Money amount, const JournalLine& refs) {
  if (amount.is_zero()) return;
  JournalLine dr = refs;
  dr.account = debit_account;
  dr.fund = fund;
  dr.debit = amount;
  dr.credit = Money();
  JournalLine cr = refs;
  cr.account = credit_account;
  cr.fund = fund;
  cr.debit = Money();
  cr.credit = amount;
  e.lines.push_back(std::move(dr));
  e.lines.push_back(std::move(cr));
}

Result<void> check_balanced(const JournalEntry& e) {
  if (e.lines.size() < 2)
    return fail(ErrorCode::kInternal, "a journal entry needs at least two lines");
  std::map<std::string, std::int64_t> net;  // fund -> debits - credits
  for (const auto& l : e.lines) {
    bool one_side = (l.debit.is_positive() && l.credit.is_zero()) ||
                    (l.credit.is_positive() && l.debit.is_zero());
    if (!one_side)
      return fail(ErrorCode::kInternal, "journal line on " + l.account + " must have one positive side");
    if (l.account.empty() || l.fund.empty())
      return fail(ErrorCode::kInternal, "journal line without account or fund");
    auto& n = net[l.fund];
    if (__builtin_add_overflow(n, l.debit.cents(), &n) ||
        __builtin_sub_overflow(n, l.credit.cents(), &n))
      return fail(ErrorCode::kInternal, "journal entry total overflows");
  }
  for (const auto& [fund, n] : net)
    if (n != 0)
      return fail(ErrorCode::kInternal,
                  "journal entry does not balance in fund " + fund + " (off by " +
                      format_money(Money::from_cents(n)) + ")");
  return {};
}

}  // namespace civicdesk::ledger
