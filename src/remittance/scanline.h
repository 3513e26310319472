// Scanlines: the OCR line printed on the bottom of a City bill's remittance stub, read back by a
// keyboard-wedge scanner (it "types" the line into the focused field), keyed by a clerk, or
// delivered by the bank in a lockbox file. Layout and check digit: docs/formats/scanline.md.
//
//   AAAAAAAAAA DDDDDDDDDD C   21 digits: account number (10, zero-padded), amount due in cents
//                             (10, zero-padded), check digit (1, Luhn mod 10 over the 20 digits)
//
// Pure functions, no I/O, thread-safe. parse_scanline never asserts on its input (it is fuzzed:
// fuzz/scanline_fuzz.cc).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace civicdesk::remittance {

inline constexpr std::size_t kScanlineDigits = 21;
inline constexpr std::size_t kScanlineAccountDigits = 10;
inline constexpr std::size_t kScanlineAmountDigits = 10;
// What a scanner or a person may type into the field: the 21 digits with spaces between groups,
// a trailing CR/LF from the scanner, a few stray spaces. Longer input is refused unread.
inline constexpr std::size_t kMaxScanlineInputLength = 64;
// The largest account number a scanline can carry (10 digits).
inline constexpr std::int64_t kMaxScanlineAccountNumber = 9'999'999'999;

struct Scanline {
  std::string digits;                 // the 21 digits, no spaces
  std::int64_t account_number = 0;    // > 0
  std::int64_t amount_due_cents = 0;  // >= 0
  int check_digit = 0;
};

enum class ScanlineError {
  kEmpty,          // nothing but blanks: no stub
  kBadCharacter,   // something other than a digit, space, tab, CR or LF
  kWrongLength,    // not 21 digits
  kZeroAccount,    // account number 0000000000
  kBadCheckDigit,  // well-formed, but the check digit does not match (a misread or a typo)
  kTooLong,        // input over kMaxScanlineInputLength
};

struct ScanlineProblem {
  ScanlineError code = ScanlineError::kEmpty;
  std::string message;  // for the clerk: what is wrong and where
};

// Parses what the scanner typed: ASCII spaces, tabs, CR and LF anywhere are ignored, so
// "0000001001 0000004250 7", "000000100100000042507" and "  0000001001 0000004250 7\r\n" are
// the same scanline. Every other character is refused (kBadCharacter names its position).
[[nodiscard]] std::expected<Scanline, ScanlineProblem> parse_scanline(std::string_view text);

// The Luhn (mod 10) check digit for a string of digits: the digit that, appended, makes the
// whole string pass the Luhn test. `digits` must be all digits (asserted: callers pass their
// own formatted numbers).
int luhn_check_digit(std::string_view digits);
// Whether a string of digits (check digit last) passes the Luhn test; false for non-digits.
bool luhn_valid(std::string_view digits);

// The 21-digit scanline for a stub (account 1..kMaxScanlineAccountNumber and amount due
// 0..9,999,999,999 cents, both asserted).
std::string make_scanline(std::int64_t account_number, std::int64_t amount_due_cents);
// As printed on the stub: "0000001001 0000004250 7".
std::string format_scanline(const Scanline& s);

// The ledger account_ref a scanline's account number identifies: "utility:" followed by the
// number without leading zeros ("utility:1001"). Utility billing creates its obligations with
// the same account_ref.
std::string account_ref_for(std::int64_t account_number);
// Parses an account number typed by a person ("1001", "0000001001"); nullopt-like error text
// when it is not 1..10 digits or is zero.
[[nodiscard]] std::expected<std::int64_t, std::string> parse_account_number(std::string_view text);

std::string_view to_string(ScanlineError e);

}  // namespace civicdesk::remittance
