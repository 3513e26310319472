// Decimal: an exact number for rates, usage, budgets and formula results. No floating point.
//
// A Decimal is a reduced fraction numerator/denominator of two int64 values (denominator > 0),
// each at most kMaxPart in magnitude, computed through __int128. Every sum, difference, product
// and quotient of two Decimals is therefore computed exactly; when the exact result does not fit
// (a numerator or denominator above kMaxPart after reduction) the operation returns an error
// instead of rounding silently. Tariff arithmetic such as 0.7*4.8*4500*0.62*(1/748) stays exact
// (1/748 is held as a fraction, not as 0.001336...), so the whole-unit rounding of a water budget
// and the cent rounding of a bill line each happen once, at a named step, and ties are real ties.
//
// Rounding is explicit: round_to_integer / round_to_places / to_money take a RoundingMode
// (core/money.h). Which mode the rate engine uses where is documented in
// docs/decisions/006-rate-rounding.md.
//
// Decimal is a trivially copyable value; all functions are pure and thread-safe. Errors are
// kInvalidInput (a literal that is not a number, division by zero, a result too large or too
// precise to hold exactly); the message names `field` where one is given.
#pragma once

#include <compare>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/result.h"

namespace civicdesk::rates {

class Decimal {
 public:
  // 2^62: products of two parts fit in __int128 with room for a sum of two such products.
  static constexpr std::int64_t kMaxPart = std::int64_t{1} << 62;

  constexpr Decimal() = default;  // zero
  static constexpr Decimal from_integer(std::int32_t value) { return Decimal(value, 1); }
  // numerator/denominator reduced; kInvalidInput when the denominator is zero or the reduced
  // parts exceed kMaxPart.
  [[nodiscard]] static Result<Decimal> from_fraction(__int128 numerator, __int128 denominator);
  // Exact integer; kInvalidInput beyond kMaxPart.
  [[nodiscard]] static Result<Decimal> from_int64(std::int64_t value);

  // Parses a YAML or command-line number: optional sign, digits with an optional decimal point
  // (".75", "00.68" and "5." are accepted, as YAML reads them), optional exponent ("1e-3",
  // "2.5E+2"). Refused: empty text, "inf"/".nan", hexadecimal, digit separators, spaces inside,
  // more than kMaxLiteralDigits significant digits, |exponent| above kMaxLiteralExponent.
  [[nodiscard]] static Result<Decimal> parse(std::string_view text, std::string_view field);

  constexpr std::int64_t numerator() const { return numerator_; }
  constexpr std::int64_t denominator() const { return denominator_; }
  constexpr bool is_zero() const { return numerator_ == 0; }
  constexpr bool is_negative() const { return numerator_ < 0; }
  constexpr bool is_positive() const { return numerator_ > 0; }
  constexpr bool is_integer() const { return denominator_ == 1; }
  // True when the value has a finite decimal expansion (denominator = 2^a * 5^b).
  bool is_terminating() const;

  // Exact comparison (cross-multiplied in __int128, cannot overflow).
  std::strong_ordering operator<=>(const Decimal& other) const;
  bool operator==(const Decimal& other) const = default;

  [[nodiscard]] Result<Decimal> add(Decimal other) const;
  [[nodiscard]] Result<Decimal> sub(Decimal other) const;
  [[nodiscard]] Result<Decimal> mul(Decimal other) const;
  [[nodiscard]] Result<Decimal> div(Decimal other) const;  // kInvalidInput on division by zero
  Decimal negate() const { return Decimal(-numerator_, denominator_); }  // parts are symmetric
  Decimal abs() const { return is_negative() ? negate() : *this; }

  Decimal floor() const;
  Decimal ceil() const;
  // To a whole number with `mode`: half-up (ties away from zero) or half-even (ties to even).
  Decimal round_to_integer(RoundingMode mode) const;
  // To `places` decimal places (0..kMaxRoundPlaces) with `mode`; kInvalidInput outside that range
  // or when the scaled value does not fit.
  [[nodiscard]] Result<Decimal> round_to_places(int places, RoundingMode mode) const;
  // To whole cents with `mode`; kInvalidInput when the amount does not fit in Money.
  [[nodiscard]] Result<Money> to_money(RoundingMode mode) const;

  // Exact text when the value terminates within max_places decimals ("152.281", "7", "-0.5");
  // otherwise rounded half-even to max_places and followed by "..." ("7.315508021...").
  // max_places is clamped to 0..18.
  std::string to_string(int max_places = 12) const;
  // "numerator/denominator", or just the integer ("2092761/1000", "11").
  std::string to_fraction_string() const;

 private:
  constexpr Decimal(std::int64_t numerator, std::int64_t denominator)
      : numerator_(numerator), denominator_(denominator) {}
  std::int64_t numerator_ = 0;
  std::int64_t denominator_ = 1;
};

// Writes to_string(); for test failure messages.
std::ostream& operator<<(std::ostream& out, const Decimal& value);

}  // namespace civicdesk::rates
