// Money: an amount of US dollars held as int64 cents (TigerBeetle: integers in the smallest unit).
//
// There is no conversion from double, anywhere. Text becomes Money only through parse_money (at
// the edges: forms, files, config) and Money becomes text only through format_money (for people)
// or format_plain (for JSON and CSV). Arithmetic is checked: an overflow is an error value
// (kInvalidInput), never a wrapped amount. Every rounding step is a named function with a stated
// rule. Money is a trivially copyable value; all functions are pure and thread-safe.
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/limits.h"
#include "core/result.h"

namespace civicdesk {

// How a quotient with a remainder becomes whole cents.
enum class RoundingMode {
  // Ties go away from zero: 0.5 -> 1, -0.5 -> -1, 2.5 -> 3. Symmetric, so a charge and its
  // reversal round to the same magnitude. The usual rule for bills and fees.
  kHalfUp,
  // Ties go to the even neighbour: 0.5 -> 0, 1.5 -> 2, -2.5 -> -2 ("banker's rounding"), so
  // many rounded ties do not drift in one direction. Used where a rule or statute asks for it.
  kHalfEven,
};

class Money {
 public:
  constexpr Money() = default;  // zero

  // Integral only: from_cents(12.5) does not compile, so no double slips in by conversion.
  template <std::integral T>
  static constexpr Money from_cents(T cents) {
    return Money(static_cast<std::int64_t>(cents));
  }
  static constexpr Money zero() { return Money(0); }
  constexpr std::int64_t cents() const { return cents_; }
  constexpr bool is_zero() const { return cents_ == 0; }
  constexpr bool is_negative() const { return cents_ < 0; }
  constexpr bool is_positive() const { return cents_ > 0; }

  constexpr auto operator<=>(const Money&) const = default;

  // Checked arithmetic; each returns kInvalidInput naming the operation on overflow.
  [[nodiscard]] Result<Money> add(Money other) const;
  [[nodiscard]] Result<Money> sub(Money other) const;
  [[nodiscard]] Result<Money> mul(std::int64_t factor) const;
  [[nodiscard]] Result<Money> negate() const;  // fails only for the most negative int64

  // `amount` * basis_points / 10000 (1 basis point = 0.01%), rounded once with `mode`.
  // Fails (kInvalidInput) only when the result does not fit in int64 cents.
  [[nodiscard]] static Result<Money> percent_of(Money amount, std::int64_t basis_points,
                                                RoundingMode mode);

 private:
  explicit constexpr Money(std::int64_t cents) : cents_(cents) {}
  std::int64_t cents_ = 0;
};

// Sum of many amounts; kInvalidInput on overflow.
[[nodiscard]] Result<Money> sum(std::span<const Money> amounts);

// numerator / denominator rounded to a whole number with the stated rule; the denominator must
// be positive (asserted: it is always a constant of the calling code, never user input). The
// result always fits in int64.
std::int64_t round_half_up(std::int64_t numerator, std::int64_t denominator);
std::int64_t round_half_even(std::int64_t numerator, std::int64_t denominator);

// The 128-bit form used by percent_of and Rate: a product of two int64 values as numerator.
// kInvalidInput when the rounded quotient does not fit in int64. Denominator positive (asserted).
[[nodiscard]] Result<std::int64_t> round_quotient(__int128 numerator, std::int64_t denominator,
                                                  RoundingMode mode);

// Splits `total` into `n` installments of total/n (truncated toward zero); the remainder goes on
// the last installment, so the parts always sum to `total` exactly. For a negative total every
// part is negative or zero. kInvalidInput unless 1 <= n <= kMaxInstallments.
[[nodiscard]] Result<std::vector<Money>> split_evenly(Money total, int n);

// A price per unit (e.g. per CCF of water, per day of a fine) in millionths of a dollar, so
// tariffs like $3.456789 per unit are exact. One named rounding step turns it into Money.
class Rate {
 public:
  static constexpr std::int64_t kMicrosPerCent = 10'000;

  constexpr Rate() = default;
  template <std::integral T>
  static constexpr Rate from_micros(T micro_dollars) {
    return Rate(static_cast<std::int64_t>(micro_dollars));
  }
  constexpr std::int64_t micros() const { return micros_; }
  constexpr auto operator<=>(const Rate&) const = default;

  // quantity * rate, rounded once to cents with `mode`; kInvalidInput when it does not fit.
  [[nodiscard]] Result<Money> times(std::int64_t quantity, RoundingMode mode) const;

 private:
  explicit constexpr Rate(std::int64_t micros) : micros_(micros) {}
  std::int64_t micros_ = 0;
};

// Parses an amount typed by a person or read from a file. Accepts, with optional surrounding
// spaces: "1234.56", "1,234.56", "$1,234.56", "-$1,234.56", "-1234.56", "(1,234.56)" (negative,
// accounting style), "12" and "12.5" (= 12.50). Refuses more than two decimals, misplaced
// commas ("1,23.00"), anything else, and a magnitude above `max_abs_cents` (by default the
// largest payment: no amount a person types is larger). Errors are kInvalidInput naming `field`.
[[nodiscard]] Result<Money> parse_money(std::string_view text, std::string_view field,
                                        std::int64_t max_abs_cents = kMaxPaymentCents);

// Parses a rate such as "3.456789" or "-0.25" (at most six decimals, no '$' or commas) into
// micro-dollars; kInvalidInput naming `field`. The magnitude is capped at $10 billion per unit,
// far above any tariff.
[[nodiscard]] Result<Rate> parse_rate(std::string_view text, std::string_view field);

// For people: "$1,234.56", "-$1,234.56", "$0.05".
std::string format_money(Money amount);
// For JSON and CSV: "1234.56", "-1234.56", "0.05" (no symbol, no grouping).
std::string format_plain(Money amount);

// Writes format_money(amount); for logs and test failure messages.
std::ostream& operator<<(std::ostream& out, Money amount);

}  // namespace civicdesk
