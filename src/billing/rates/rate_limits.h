// Limits for tariffs, formulas and rate what-ifs (TigerBeetle: "a limit on everything").
//
// Kept beside the rate engine while billing is being built; they belong in core/limits.h once the
// lead merges the billing context. Each constant says why it has its value; each is tested at the
// limit and one past it in the rates tests.
#pragma once

#include <cstddef>
#include <cstdint>

namespace civicdesk::rates {

// The largest real OWRS file we hold (Irvine Ranch, 10 classes) is about 30 KiB; 1 MiB keeps a
// wrong path (a log, a dump) from being read into memory.
inline constexpr std::size_t kMaxOwrsFileBytes = 1024 * 1024;
// Utilities publish a dozen classes; a few hundred means a generated or broken file.
inline constexpr std::size_t kMaxCustomerClasses = 500;
// Keys in one class (charges, factors, tables): real files have fewer than 30.
inline constexpr std::size_t kMaxKeysPerClass = 500;
// Rows in one depends_on table: LADWP's season x lot size x zone table has 30.
inline constexpr std::size_t kMaxLookupEntries = 10'000;
// Tiers in one block structure: real tariffs have at most 6.
inline constexpr std::size_t kMaxTiers = 50;
// Characters in one formula: the longest real one is under 100.
inline constexpr std::size_t kMaxFormulaLength = 2000;
// Nesting of parentheses, unary signs and calls; bounds the parser's and evaluator's recursion.
inline constexpr int kMaxFormulaDepth = 64;
// Arguments of min()/max().
inline constexpr std::size_t kMaxFunctionArguments = 32;
// Significant digits in one number literal: an exact value must fit the Decimal's int64 parts.
inline constexpr int kMaxLiteralDigits = 18;
// |exponent| in a literal such as 1e-3; beyond this the value cannot be held exactly.
inline constexpr int kMaxLiteralExponent = 18;
// Decimal places round(x, n) may ask for.
inline constexpr int kMaxRoundPlaces = 9;
// --set KEY=VALUE inputs on one what-if, and the length of a key or a value.
inline constexpr std::size_t kMaxCustomerInputs = 100;
inline constexpr std::size_t kMaxInputKeyLength = 100;
inline constexpr std::size_t kMaxInputValueLength = 200;
// A customer class name, as typed on the command line.
inline constexpr std::size_t kMaxClassNameLength = 100;
// Usage on one bill, in CCF: a billion CCF is ~2.3 million acre-feet, more than a large City
// uses in a year; anything larger is a misread meter or a typo.
inline constexpr std::int64_t kMaxUsageCcf = 1'000'000'000;
// A proration factor scales fixed charges and block widths for a short or long period; a period
// of up to four standard periods covers a quarterly catch-up read on a monthly tariff.
inline constexpr std::int32_t kMaxProrationFactor = 4;

}  // namespace civicdesk::rates
