// libFuzzer target for scanline parsing (remittance/scanline.h) and mail-stub reading.
// Built with -DCIVICDESK_FUZZ=ON (libFuzzer with clang; else the standalone main below):
// build/fuzz/scanline_fuzz -max_len=80
//
// Invariants: never crashes; a scanline that parses is 21 digits that pass the Luhn test, and
// make_scanline of its account and amount gives the same digits back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "remittance/matching.h"
#include "remittance/scanline.h"

using namespace civicdesk::remittance;

#ifdef CIVICDESK_FUZZ_STANDALONE
#include <random>
namespace {
// A valid scanline, spaced as a scanner types it about half the time.
std::string random_seed_input(std::mt19937_64& rng) {
  std::string s = make_scanline(1 + static_cast<std::int64_t>(rng() % kMaxScanlineAccountNumber),
                                static_cast<std::int64_t>(rng() % 10'000'000));
  if (rng() % 2) s = s.substr(0, 10) + " " + s.substr(10, 10) + " " + s.substr(20);
  return s;
}
}  // namespace
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = parse_scanline(text);
  if (s) {
    if (s->digits.size() != kScanlineDigits || !luhn_valid(s->digits)) std::abort();
    if (make_scanline(s->account_number, s->amount_due_cents) != s->digits) std::abort();
  }
  (void)read_mail_stub(text, "", std::nullopt);
  (void)read_mail_stub("", text, std::nullopt);
  (void)read_lockbox_stub(text);
  (void)parse_account_number(text);
  return 0;
}

#ifdef CIVICDESK_FUZZ_STANDALONE
#include "standalone_driver.h"
#endif
