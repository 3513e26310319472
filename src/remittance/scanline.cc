#include "remittance/scanline.h"

#include "core/assert.h"

namespace civicdesk::remittance {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::int64_t digits_value(std::string_view d) {
  std::int64_t v = 0;
  for (char c : d) v = v * 10 + (c - '0');
  return v;
}

std::string zero_padded(std::int64_t value, std::size_t width) {
  std::string s = std::to_string(value);
  CD_ASSERT(s.size() <= width);
  return std::string(width - s.size(), '0') + s;
}

// Luhn sum of `digits` where the rightmost digit is doubled when `double_rightmost`.
int luhn_sum(std::string_view digits, bool double_rightmost) {
  int sum = 0;
  bool twice = double_rightmost;
  for (std::size_t i = digits.size(); i-- > 0;) {
    int d = digits[i] - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return sum;
}

ScanlineProblem problem(ScanlineError code, std::string message) {
  return ScanlineProblem{code, std::move(message)};
}

}  // namespace

int luhn_check_digit(std::string_view digits) {
  for (char c : digits) CD_ASSERT(is_digit(c));
  return (10 - luhn_sum(digits, true) % 10) % 10;
}

bool luhn_valid(std::string_view digits) {
  if (digits.empty()) return false;
  for (char c : digits)
    if (!is_digit(c)) return false;
  return luhn_sum(digits, false) % 10 == 0;
}

std::expected<Scanline, ScanlineProblem> parse_scanline(std::string_view text) {
  if (text.size() > kMaxScanlineInputLength)
    return std::unexpected(problem(
        ScanlineError::kTooLong,
        "the scanline is longer than " + std::to_string(kMaxScanlineInputLength) + " characters"));
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (is_blank(c)) continue;
    if (!is_digit(c))
      return std::unexpected(problem(ScanlineError::kBadCharacter,
                                     "the scanline has a character that is not a digit at "
                                     "position " +
                                         std::to_string(i + 1) + "; scan it again"));
    digits.push_back(c);
  }
  if (digits.empty())
    return std::unexpected(problem(ScanlineError::kEmpty, "no scanline (no stub)"));
  if (digits.size() != kScanlineDigits)
    return std::unexpected(problem(ScanlineError::kWrongLength,
                                   "a scanline has 21 digits; this one has " +
                                       std::to_string(digits.size()) + "; scan it again"));
  Scanline s;
  s.account_number = digits_value(std::string_view(digits).substr(0, kScanlineAccountDigits));
  s.amount_due_cents =
      digits_value(std::string_view(digits).substr(kScanlineAccountDigits, kScanlineAmountDigits));
  s.check_digit = digits.back() - '0';
  s.digits = std::move(digits);
  if (s.account_number == 0)
    return std::unexpected(problem(ScanlineError::kZeroAccount, "the scanline's account is 0"));
  if (!luhn_valid(s.digits))
    return std::unexpected(problem(ScanlineError::kBadCheckDigit,
                                   "the scanline's check digit does not match (a misread or a "
                                   "typing error)"));
  return s;
}

std::string make_scanline(std::int64_t account_number, std::int64_t amount_due_cents) {
  CD_ASSERT(account_number >= 1 && account_number <= kMaxScanlineAccountNumber);
  CD_ASSERT(amount_due_cents >= 0 && amount_due_cents <= 9'999'999'999);
  std::string d = zero_padded(account_number, kScanlineAccountDigits) +
                  zero_padded(amount_due_cents, kScanlineAmountDigits);
  d.push_back(static_cast<char>('0' + luhn_check_digit(d)));
  return d;
}

std::string format_scanline(const Scanline& s) {
  if (s.digits.size() != kScanlineDigits) return s.digits;
  return s.digits.substr(0, 10) + " " + s.digits.substr(10, 10) + " " + s.digits.substr(20);
}

std::string account_ref_for(std::int64_t account_number) {
  return "utility:" + std::to_string(account_number);
}

std::expected<std::int64_t, std::string> parse_account_number(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  if (text.empty() || text.size() > kScanlineAccountDigits)
    return std::unexpected("an account number is 1 to 10 digits");
  for (char c : text)
    if (!is_digit(c)) return std::unexpected("an account number is 1 to 10 digits");
  std::int64_t n = digits_value(text);
  if (n == 0) return std::unexpected("account number 0 does not exist");
  return n;
}

std::string_view to_string(ScanlineError e) {
  switch (e) {
    case ScanlineError::kEmpty:
      return "empty";
    case ScanlineError::kBadCharacter:
      return "bad_character";
    case ScanlineError::kWrongLength:
      return "wrong_length";
    case ScanlineError::kZeroAccount:
      return "zero_account";
    case ScanlineError::kBadCheckDigit:
      return "bad_check_digit";
    case ScanlineError::kTooLong:
      return "too_long";
  }
  return "unknown";
}

}  // namespace civicdesk::remittance
