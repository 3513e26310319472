#include "remittance/matching.h"

#include "core/money.h"
#include "remittance/scanline.h"

namespace civicdesk::remittance {
namespace {

StubReading from_scanline(std::string_view text, std::string method, bool* malformed,
                          std::string* malformed_message) {
  StubReading r;
  r.entry_method = std::move(method);
  auto parsed = parse_scanline(text);
  if (parsed) {
    r.scanline = parsed->digits;
    r.account_number = parsed->account_number;
    r.amount_due_cents = parsed->amount_due_cents;
    return r;
  }
  const ScanlineProblem& p = parsed.error();
  if (p.code == ScanlineError::kEmpty) {
    r.entry_method = "none";
    r.problem = kReasonNoStub;
    r.message = "no stub: nothing says which account to pay";
    return r;
  }
  r.scanline = std::string(text.substr(0, kMaxScanlineInputLength));
  if (p.code == ScanlineError::kBadCheckDigit) {
    r.problem = kReasonBadCheckDigit;
    r.message = p.message;
    return r;
  }
  *malformed = true;
  *malformed_message = p.message;
  r.problem = kReasonUnreadable;
  r.message = "the scanline cannot be read: " + p.message;
  return r;
}

}  // namespace

Result<StubReading> read_mail_stub(std::string_view scanline, std::string_view account_number,
                                   std::optional<std::int64_t> amount_due_cents) {
  bool has_scan = scanline.find_first_not_of(" \t\r\n") != std::string_view::npos;
  bool has_account = account_number.find_first_not_of(" \t\r\n") != std::string_view::npos;
  if (has_scan && has_account)
    return fail(
        Error::invalid("account_number", "give the scanline or a keyed account number, not both"));
  if (has_scan) {
    if (amount_due_cents)
      return fail(Error::invalid("amount_due", "the amount due comes from the scanline"));
    bool malformed = false;
    std::string why;
    StubReading r = from_scanline(scanline, "scanned", &malformed, &why);
    if (malformed) return fail(Error::invalid("scanline", why));
    return r;
  }
  StubReading r;
  if (!has_account) {
    r.entry_method = "none";
    r.problem = kReasonNoStub;
    r.message = "no stub: nothing says which account to pay";
    if (amount_due_cents)
      return fail(Error::invalid("amount_due", "an amount due needs its account number"));
    return r;
  }
  auto n = parse_account_number(account_number);
  if (!n) return fail(Error::invalid("account_number", n.error()));
  if (amount_due_cents && (*amount_due_cents < 0 || *amount_due_cents > kMaxPaymentCents))
    return fail(Error::invalid("amount_due", "the amount due is out of range"));
  r.entry_method = "keyed";
  r.account_number = *n;
  r.amount_due_cents = amount_due_cents;
  return r;
}

StubReading read_lockbox_stub(std::string_view scanline) {
  bool malformed = false;
  std::string why;
  StubReading r = from_scanline(scanline, "lockbox", &malformed, &why);
  if (r.entry_method == "none") r.entry_method = "lockbox";
  return r;
}

Decision decide(const StubReading& r, bool account_found, std::int64_t check_amount_cents) {
  if (!r.problem.empty()) return {r.problem, r.message};
  if (!account_found)
    return {std::string(kReasonUnknownAccount), "no account " + std::to_string(r.account_number) +
                                                    " (" + account_ref_for(r.account_number) + ")"};
  if (r.amount_due_cents && *r.amount_due_cents != check_amount_cents)
    return {std::string(kReasonAmountMismatch),
            "the check pays " + format_money(Money::from_cents(check_amount_cents)) +
                "; the stub says " + format_money(Money::from_cents(*r.amount_due_cents))};
  return {};
}

}  // namespace civicdesk::remittance
