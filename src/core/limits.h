// Every input limit, named in one place (TigerBeetle: "a limit on everything").
//
// Each constant says why it has the value it has. Code that accepts input from people, files or
// the network checks against these names, never against a literal; each limit is tested at the
// limit and one past it (here for the helpers, in http/ for the body and header limits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk {

// --- HTTP --------------------------------------------------------------------------------------
// The largest legitimate request is a batch of mail payments; 1 MiB holds thousands of them and
// keeps a single request from exhausting memory.
inline constexpr std::size_t kMaxRequestBodyBytes = 1024 * 1024;
// Browsers send a few KiB of headers; 16 KiB matches common proxies (nginx large buffers).
inline constexpr std::size_t kMaxHeaderBytes = 16 * 1024;

// --- Parties (people and businesses) -----------------------------------------------------------
// Long enough for any legal business name; short enough for a receipt line and an index key.
inline constexpr std::size_t kMaxNameLength = 200;
// USPS address lines are far shorter; 200 leaves room for foreign addresses.
inline constexpr std::size_t kMaxAddressLineLength = 200;
// RFC 5321: a forward path is at most 256 octets including the angle brackets, so 254.
inline constexpr std::size_t kMaxEmailLength = 254;
// E.164 is 15 digits; 32 leaves room for formatting and an extension.
inline constexpr std::size_t kMaxPhoneLength = 32;
// A household or business rarely has more than a few of each; the cap bounds a party's page.
inline constexpr std::size_t kMaxAddressesPerParty = 10;
inline constexpr std::size_t kMaxPhonesPerParty = 10;
inline constexpr std::size_t kMaxEmailsPerParty = 10;
// A contact-log note is a paragraph or two; longer text belongs in an attachment.
inline constexpr std::size_t kMaxNoteLength = 4000;

// --- Search and paging -------------------------------------------------------------------------
// Nobody types more than this into a search box; it bounds the cost of a query.
inline constexpr std::size_t kMaxSearchQueryLength = 200;
// A person at the counter scans one screen of matches; beyond that they should refine.
inline constexpr std::size_t kMaxSearchResults = 50;
// Bounds memory and response size for any listing.
inline constexpr std::size_t kMaxPageSize = 200;
// Auditors page through long histories; rows are small, so a larger page is still cheap.
inline constexpr std::size_t kMaxAuditPageSize = 500;

// --- Users and sign-in -------------------------------------------------------------------------
inline constexpr std::size_t kMaxUsernameLength = 64;
// NIST SP 800-63B: at least 8; the City's policy is 12 (a passphrase, not a password).
inline constexpr std::size_t kMinPasswordLength = 12;
// Allows long passphrases while bounding the cost of hashing a hostile input.
inline constexpr std::size_t kMaxPasswordLength = 256;

// --- Money and requests ------------------------------------------------------------------------
// One hundred million dollars: above any single payment a City receives, far below int64 cents,
// so sums of many payments cannot overflow before a limit check refuses them.
inline constexpr std::int64_t kMaxPaymentCents = 100'000'000'00;
// Ten years of monthly installments: longer plans are not offered, and the cap bounds the
// schedule a single request can create.
inline constexpr int kMaxInstallments = 120;
// Charge lines on one obligation: a utility bill has a dozen; a hundred means a bug upstream.
inline constexpr std::size_t kMaxChargeLines = 100;
// Obligations one payment may be directed to, or one counter cart may hold.
inline constexpr std::size_t kMaxDirectedObligations = 50;
// Free-text references (check number, card authorisation, payer name).
inline constexpr std::size_t kMaxReferenceLength = 100;
// Ledger entries shown on a party's ledger tab or statement page at once.
inline constexpr int kMaxLedgerRows = 10'000;
// The IETF idempotency-key draft sets no limit; 255 fits a UUID or a client's own scheme and an
// index column.
inline constexpr std::size_t kMaxIdempotencyKeyLength = 255;

// --- Configuration -----------------------------------------------------------------------------
// The City's YAML file is a few hundred lines; a cap keeps a wrong path from loading a huge file.
inline constexpr std::size_t kMaxCityConfigBytes = 1024 * 1024;
// Holidays, funds, GL accounts, departments, roles, permissions: each list is far shorter.
inline constexpr std::size_t kMaxCityConfigListLength = 10'000;

// --- Demo data ---------------------------------------------------------------------------------
// The demo generator's ceiling: a large City's population, and what a laptop can hold.
// Transactions listed for one cashier session (a busy window takes a few hundred a day).
inline constexpr std::int64_t kMaxSessionTransactionsListed = 5'000;

inline constexpr std::int64_t kMaxDemoParties = 5'000'000;

// Refuses `value` longer than `max` bytes: kInvalidInput, "FIELD is longer than N characters",
// field = `field`. Exactly `max` is accepted. Inline so this header stays the only file.
[[nodiscard]] inline Result<void> check_length(std::string_view value, std::size_t max,
                                               std::string_view field) {
  if (value.size() <= max) return {};
  return fail(ErrorCode::kInvalidInput,
              std::string(field) + " is longer than " + std::to_string(max) + " characters",
              std::string(field));
}

// Refuses `value` outside [min, max] (inclusive): kInvalidInput, "FIELD must be between MIN and
// MAX", field = `field`.
[[nodiscard]] inline Result<void> check_range(std::int64_t value, std::int64_t min,
                                              std::int64_t max, std::string_view field) {
  if (value >= min && value <= max) return {};
  return fail(ErrorCode::kInvalidInput,
              std::string(field) + " must be between " + std::to_string(min) + " and " +
                  std::to_string(max),
              std::string(field));
}

}  // namespace civicdesk
