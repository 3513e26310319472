#include "billing/rates/decimal.h"

#include <algorithm>
#include <ostream>

#include "billing/rates/rate_limits.h"
#include "core/assert.h"

namespace civicdesk::rates {
namespace {

using i128 = __int128;

i128 abs128(i128 v) {
  return v < 0 ? -v : v;
}

i128 gcd128(i128 a, i128 b) {
  a = abs128(a);
  b = abs128(b);
  while (b != 0) {
    const i128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// Floor of n/d for d > 0.
i128 floor_div(i128 n, i128 d) {
  CD_ASSERT(d > 0);
  i128 q = n / d;
  if ((n % d != 0) && (n < 0)) --q;
  return q;
}

// n/d rounded to an integer with `mode`, d > 0. Half-up means ties away from zero.
i128 divide_round(i128 n, i128 d, RoundingMode mode) {
  const i128 q = floor_div(n, d);
  const i128 r = n - q * d;  // 0 <= r < d
  const i128 twice = 2 * r;
  if (twice < d) return q;
  if (twice > d) return q + 1;
  if (mode == RoundingMode::kHalfUp) return n >= 0 ? q + 1 : q;
  return (q % 2 == 0) ? q : q + 1;
}

i128 pow10(int k) {
  CD_ASSERT(k >= 0 && k <= 36);
  i128 p = 1;
  for (int i = 0; i < k; ++i) p *= 10;
  return p;
}

std::string int128_digits(i128 v) {
  CD_ASSERT(v >= 0);
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s += static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  std::reverse(s.begin(), s.end());
  return s;
}

// |scaled| / 10^places as "I.FFF" with exactly `places` fraction digits.
std::string format_scaled(i128 scaled, int places) {
  const bool negative = scaled < 0;
  const i128 magnitude = abs128(scaled);
  const i128 unit = pow10(places);
  std::string out = negative ? "-" : "";
  out += int128_digits(magnitude / unit);
  if (places > 0) {
    std::string fraction = int128_digits(magnitude % unit);
    out += '.';
    out += std::string(static_cast<std::size_t>(places) - fraction.size(), '0');
    out += fraction;
  }
  return out;
}

std::unexpected<Error> too_big(std::string_view field = {}) {
  std::string message = "the result is too large or too precise to compute exactly";
  if (!field.empty()) message = std::string(field) + ": " + message;
  return fail(Error::invalid(std::string(field), std::move(message)));
}

std::unexpected<Error> not_a_number(std::string_view text, std::string_view field,
                                    std::string_view why) {
  return fail(Error::invalid(std::string(field), std::string(field) + ": '" + std::string(text) +
                                                     "' is not a number (" + std::string(why) +
                                                     ")"));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<Decimal> Decimal::from_fraction(i128 numerator, i128 denominator) {
  if (denominator == 0) return fail(Error::invalid("", "division by zero"));
  if (denominator < 0) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const i128 g = gcd128(numerator, denominator);
  if (g > 1) {
    numerator /= g;
    denominator /= g;
  }
  if (abs128(numerator) > kMaxPart || denominator > kMaxPart) return too_big();
  return Decimal(static_cast<std::int64_t>(numerator), static_cast<std::int64_t>(denominator));
}

Result<Decimal> Decimal::from_int64(std::int64_t value) {
  return from_fraction(value, 1);
}

Result<Decimal> Decimal::parse(std::string_view text, std::string_view field) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) return not_a_number(text, field, "it is empty");
  bool negative = false;
  if (s.front() == '+' || s.front() == '-') {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  // Mantissa: digits with at most one '.', at least one digit.
  std::string digits;
  int fraction_digits = 0;
  bool seen_dot = false;
  std::size_t i = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c)) {
      digits += c;
      if (seen_dot) ++fraction_digits;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (digits.empty()) return not_a_number(text, field, "expected digits such as 4.07");
  int exponent = 0;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return not_a_number(text, field, "unexpected character");
    ++i;
    bool exponent_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      exponent_negative = s[i] == '-';
      ++i;
    }
    if (i == s.size()) return not_a_number(text, field, "the exponent has no digits");
    for (; i < s.size(); ++i) {
      if (!is_digit(s[i])) return not_a_number(text, field, "unexpected character");
      exponent = exponent * 10 + (s[i] - '0');
      if (exponent > kMaxLiteralExponent) {
        return not_a_number(text, field,
                            "the exponent is beyond " + std::to_string(kMaxLiteralExponent));
      }
    }
    if (exponent_negative) exponent = -exponent;
  }
  // Significant digits: drop leading zeros, move trailing zeros into the scale.
  const std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal();
  digits.erase(0, first);
  int scale = exponent - fraction_digits;  // value = digits * 10^scale
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++scale;
  }
  if (static_cast<int>(digits.size()) > kMaxLiteralDigits) {
    return not_a_number(text, field,
                        "more than " + std::to_string(kMaxLiteralDigits) + " significant digits");
  }
  i128 mantissa = 0;
  for (char c : digits) mantissa = mantissa * 10 + (c - '0');
  if (negative) mantissa = -mantissa;
  if (scale > kMaxLiteralDigits || scale < -kMaxLiteralDigits) {
    return not_a_number(text, field, "too large or too small to hold exactly");
  }
  auto value = scale >= 0 ? from_fraction(mantissa * pow10(scale), 1)
                          : from_fraction(mantissa, pow10(-scale));
  if (!value) return not_a_number(text, field, "too large or too small to hold exactly");
  return value;
}

bool Decimal::is_terminating() const {
  std::int64_t d = denominator_;
  while (d % 2 == 0) d /= 2;
  while (d % 5 == 0) d /= 5;
  return d == 1;
}

std::strong_ordering Decimal::operator<=>(const Decimal& other) const {
  const i128 left = static_cast<i128>(numerator_) * other.denominator_;
  const i128 right = static_cast<i128>(other.numerator_) * denominator_;
  if (left < right) return std::strong_ordering::less;
  if (left > right) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

Result<Decimal> Decimal::add(Decimal other) const {
  const i128 n = static_cast<i128>(numerator_) * other.denominator_ +
                 static_cast<i128>(other.numerator_) * denominator_;
  const i128 d = static_cast<i128>(denominator_) * other.denominator_;
  return from_fraction(n, d);
}

Result<Decimal> Decimal::sub(Decimal other) const {
  return add(other.negate());
}

Result<Decimal> Decimal::mul(Decimal other) const {
  return from_fraction(static_cast<i128>(numerator_) * other.numerator_,
                       static_cast<i128>(denominator_) * other.denominator_);
}

Result<Decimal> Decimal::div(Decimal other) const {
  if (other.is_zero()) return fail(Error::invalid("", "division by zero"));
  return from_fraction(static_cast<i128>(numerator_) * other.denominator_,
                       static_cast<i128>(denominator_) * other.numerator_);
}

Decimal Decimal::floor() const {
  return Decimal(static_cast<std::int64_t>(floor_div(numerator_, denominator_)), 1);
}

Decimal Decimal::ceil() const {
  return Decimal(
      static_cast<std::int64_t>(-floor_div(-static_cast<i128>(numerator_), denominator_)), 1);
}

Decimal Decimal::round_to_integer(RoundingMode mode) const {
  // |result| <= |numerator| when denominator >= 2, and the value itself when it is an integer.
  return Decimal(static_cast<std::int64_t>(divide_round(numerator_, denominator_, mode)), 1);
}

Result<Decimal> Decimal::round_to_places(int places, RoundingMode mode) const {
  if (places < 0 || places > kMaxRoundPlaces) {
    return fail(Error::invalid(
        "", "round() places must be between 0 and " + std::to_string(kMaxRoundPlaces)));
  }
  const i128 unit = pow10(places);
  const i128 scaled = divide_round(static_cast<i128>(numerator_) * unit, denominator_, mode);
  return from_fraction(scaled, unit);
}

Result<Money> Decimal::to_money(RoundingMode mode) const {
  const i128 cents = divide_round(static_cast<i128>(numerator_) * 100, denominator_, mode);
  if (cents > INT64_MAX || cents < -INT64_MAX) {
    return fail(Error::invalid("", "the amount is too large for a bill"));
  }
  return Money::from_cents(static_cast<std::int64_t>(cents));
}

std::string Decimal::to_string(int max_places) const {
  // 18 places keep numerator * 10^places inside __int128 (2^62 * 10^18 < 2^127).
  max_places = std::clamp(max_places, 0, 18);
  for (int k = 0; k <= max_places; ++k) {
    const i128 unit = pow10(k);
    if (unit % denominator_ == 0) {
      return format_scaled(static_cast<i128>(numerator_) * (unit / denominator_), k);
    }
  }
  const i128 scaled = divide_round(static_cast<i128>(numerator_) * pow10(max_places), denominator_,
                                   RoundingMode::kHalfEven);
  return format_scaled(scaled, max_places) + "...";
}

std::string Decimal::to_fraction_string() const {
  std::string out = std::to_string(numerator_);
  if (denominator_ != 1) out += "/" + std::to_string(denominator_);
  return out;
}

std::ostream& operator<<(std::ostream& out, const Decimal& value) {
  return out << value.to_string();
}

}  // namespace civicdesk::rates
