#include "core/money.h"

#include <limits>
#include <ostream>

#include "core/assert.h"

namespace civicdesk {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

std::unexpected<Error> overflow(std::string_view operation) {
  return fail(ErrorCode::kInvalidInput, std::string("amount is too large: ") +
                                            std::string(operation) +
                                            " would exceed the largest amount civicdesk can hold");
}

// Rounds n/d (d > 0) with `mode`. C++ division truncates toward zero and the remainder takes
// the sign of n, so we step the truncated quotient one unit away from zero when the discarded
// part is more than half, or exactly half and the rule says so.
__int128 divide_rounded(__int128 n, __int128 d, RoundingMode mode) {
  CD_ASSERT(d > 0);
  __int128 q = n / d;
  const __int128 r = n % d;
  const __int128 twice_r = (r < 0 ? -r : r) * 2;  // |r| < d < 2^63, so no overflow
  const bool tie = twice_r == d;
  bool away = twice_r > d;
  if (tie) away = mode == RoundingMode::kHalfUp || (q % 2 != 0);
  if (away) q += n < 0 ? -1 : 1;
  return q;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::unexpected<Error> bad_amount(std::string_view field, std::string message) {
  return fail(ErrorCode::kInvalidInput, std::string(field) + " " + message, std::string(field));
}

// Whole-number part: plain digits, or digits grouped by commas in threes ("1,234,567").
// Returns false when the grouping is wrong.
bool whole_part_is_well_formed(std::string_view whole) {
  if (whole.empty()) return false;
  std::size_t group = 0;
  bool seen_comma = false;
  for (char c : whole) {
    if (c == ',') {
      if (group == 0 || (seen_comma && group != 3) || (!seen_comma && group > 3)) return false;
      seen_comma = true;
      group = 0;
    } else if (is_digit(c)) {
      ++group;
    } else {
      return false;
    }
  }
  return !seen_comma || group == 3;
}

// Accumulates the digits of `whole` (commas skipped) and `fraction` scaled to `scale` decimals.
// Returns false once the magnitude exceeds `max_abs`, before anything can overflow.
bool accumulate(std::string_view whole, std::string_view fraction, int scale, std::int64_t max_abs,
                std::int64_t* out) {
  __int128 value = 0;
  for (char c : whole) {
    if (c == ',') continue;
    value = value * 10 + (c - '0');
    if (value > max_abs) return false;
  }
  for (int i = 0; i < scale; ++i) {
    const int digit = i < static_cast<int>(fraction.size()) ? fraction[i] - '0' : 0;
    value = value * 10 + digit;
    if (value > max_abs) return false;
  }
  *out = static_cast<std::int64_t>(value);
  return true;
}

// Strips the sign forms parse_money accepts: "-", "(...)", then an optional "$". Rates accept
// only "-".
bool strip_sign(std::string_view* s, bool money_forms) {
  bool negative = false;
  if (money_forms && s->size() >= 2 && s->front() == '(' && s->back() == ')') {
    negative = true;
    *s = s->substr(1, s->size() - 2);
  } else if (!s->empty() && s->front() == '-') {
    negative = true;
    s->remove_prefix(1);
  }
  if (money_forms && !s->empty() && s->front() == '$') s->remove_prefix(1);
  return negative;
}

// The shared body of parse_money and parse_rate: a signed decimal with at most `scale` decimals,
// returned as an integer in units of 10^-scale.
Result<std::int64_t> parse_scaled(std::string_view text, std::string_view field, int scale,
                                  bool money_forms, std::int64_t max_abs) {
  std::string_view s = trim_spaces(text);
  if (s.empty()) return bad_amount(field, "is required");
  const bool negative = strip_sign(&s, money_forms);
  const std::size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
  const bool commas_ok = money_forms || whole.find(',') == std::string_view::npos;
  if (!commas_ok || !whole_part_is_well_formed(whole)) {
    return bad_amount(field, "is not an amount (expected a number like 1,234.56)");
  }
  for (char c : fraction) {
    if (!is_digit(c))
      return bad_amount(field, "is not an amount (expected a number like 1,234.56)");
  }
  if (dot != std::string_view::npos && fraction.empty()) {
    return bad_amount(field, "has a decimal point with no digits after it");
  }
  if (static_cast<int>(fraction.size()) > scale) {
    return bad_amount(field,
                      "has more than " + std::to_string(scale) + " digits after the decimal point");
  }
  std::int64_t magnitude = 0;
  if (!accumulate(whole, fraction, scale, max_abs, &magnitude)) {
    return bad_amount(field, "is larger than the limit");
  }
  return negative ? -magnitude : magnitude;
}

// Digits of |cents| as "D...D.CC" with optional thousands separators.
std::string format_magnitude(std::int64_t cents, bool group) {
  // Unsigned magnitude so the most negative int64 formats instead of overflowing.
  const std::uint64_t magnitude =
      cents < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(cents) : cents;
  const std::string whole = std::to_string(magnitude / 100);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (group && i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  const unsigned rest = static_cast<unsigned>(magnitude % 100);
  out += '.';
  out += static_cast<char>('0' + rest / 10);
  out += static_cast<char>('0' + rest % 10);
  return out;
}

}  // namespace

Result<Money> Money::add(Money other) const {
  std::int64_t out = 0;
  if (__builtin_add_overflow(cents_, other.cents_, &out)) return overflow("adding");
  return Money(out);
}

Result<Money> Money::sub(Money other) const {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(cents_, other.cents_, &out)) return overflow("subtracting");
  return Money(out);
}

Result<Money> Money::mul(std::int64_t factor) const {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(cents_, factor, &out)) return overflow("multiplying");
  return Money(out);
}

Result<Money> Money::negate() const {
  if (cents_ == kInt64Min) return overflow("negating");
  return Money(-cents_);
}

Result<Money> Money::percent_of(Money amount, std::int64_t basis_points, RoundingMode mode) {
  const __int128 product = static_cast<__int128>(amount.cents()) * basis_points;
  CD_ASSIGN(const std::int64_t cents, round_quotient(product, 10'000, mode));
  return Money::from_cents(cents);
}

Result<Money> sum(std::span<const Money> amounts) {
  Money total;
  for (Money m : amounts) {
    CD_ASSIGN(total, total.add(m));
  }
  return total;
}

std::int64_t round_half_up(std::int64_t numerator, std::int64_t denominator) {
  CD_ASSERT(denominator > 0);
  return static_cast<std::int64_t>(divide_rounded(numerator, denominator, RoundingMode::kHalfUp));
}

std::int64_t round_half_even(std::int64_t numerator, std::int64_t denominator) {
  CD_ASSERT(denominator > 0);
  return static_cast<std::int64_t>(divide_rounded(numerator, denominator, RoundingMode::kHalfEven));
}

Result<std::int64_t> round_quotient(__int128 numerator, std::int64_t denominator,
                                    RoundingMode mode) {
  CD_ASSERT(denominator > 0);
  const __int128 q = divide_rounded(numerator, denominator, mode);
  if (q > kInt64Max || q < kInt64Min) return overflow("rounding");
  return static_cast<std::int64_t>(q);
}

Result<std::vector<Money>> split_evenly(Money total, int n) {
  if (n < 1 || n > kMaxInstallments) {
    return fail(ErrorCode::kInvalidInput,
                "installments must be between 1 and " + std::to_string(kMaxInstallments),
                "installments");
  }
  // Truncation toward zero keeps every part the same sign as the total; |remainder| < n.
  const std::int64_t base = total.cents() / n;
  const std::int64_t remainder = total.cents() % n;
  std::vector<Money> parts(static_cast<std::size_t>(n), Money::from_cents(base));
  parts.back() = Money::from_cents(base + remainder);
  return parts;
}

Result<Money> Rate::times(std::int64_t quantity, RoundingMode mode) const {
  const __int128 product = static_cast<__int128>(micros_) * quantity;
  CD_ASSIGN(const std::int64_t cents, round_quotient(product, kMicrosPerCent, mode));
  return Money::from_cents(cents);
}

Result<Money> parse_money(std::string_view text, std::string_view field,
                          std::int64_t max_abs_cents) {
  CD_ASSERT(max_abs_cents >= 0);
  CD_ASSIGN(const std::int64_t cents, parse_scaled(text, field, 2, true, max_abs_cents));
  return Money::from_cents(cents);
}

Result<Rate> parse_rate(std::string_view text, std::string_view field) {
  // 10^16 micro-dollars ($10 billion per unit): far above any tariff, well inside int64.
  constexpr std::int64_t kMaxAbsMicros = kMaxPaymentCents * 1'000'000;
  CD_ASSIGN(const std::int64_t micros, parse_scaled(text, field, 6, false, kMaxAbsMicros));
  return Rate::from_micros(micros);
}

std::string format_money(Money amount) {
  std::string out = amount.is_negative() ? "-$" : "$";
  return out + format_magnitude(amount.cents(), true);
}

std::string format_plain(Money amount) {
  std::string out = amount.is_negative() ? "-" : "";
  return out + format_magnitude(amount.cents(), false);
}

std::ostream& operator<<(std::ostream& out, Money amount) {
  return out << format_money(amount);
}

}  // namespace civicdesk
