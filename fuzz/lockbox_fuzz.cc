// libFuzzer target for the lockbox parser (remittance/lockbox.h) and the stub reading of every
// detail it accepts. Built with -DCIVICDESK_FUZZ=ON (libFuzzer with clang; else the standalone
// main at the end, which `make test` runs as lockbox_fuzz_smoke):
//
//   build/fuzz/lockbox_fuzz -max_len=4096 tests/data/lockbox
//
// Invariants checked on every input: the parser returns a value or an error naming a line or
// the file (never crashes, never asserts); a parsed file's items add up to its totals, and
// formatting it and parsing that again gives the same counts and totals.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "remittance/lockbox.h"
#include "remittance/matching.h"

using namespace civicdesk::remittance;

#ifdef CIVICDESK_FUZZ_STANDALONE
#include <random>
#include "remittance/lockbox_gen.h"
namespace {
// A small valid file (1..20 items over 50 accounts), some of whose scanlines a mutation breaks.
std::string random_seed_input(std::mt19937_64& rng) {
  return generate_lockbox_file(rng(), 1 + static_cast<std::int64_t>(rng() % 20), 50);
}
}  // namespace
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = parse_lockbox(text);
  if (!file) {
    const std::string& f = file.error().field;
    if (f != "file" && f.rfind("line ", 0) != 0) std::abort();
    return 0;
  }
  std::int64_t total = 0, count = 0;
  for (const auto& b : file->batches) {
    std::int64_t batch_total = 0;
    for (const auto& i : b.items) {
      batch_total += i.amount_cents;
      (void)read_lockbox_stub(i.scanline);
    }
    if (batch_total != b.total_cents) std::abort();
    total += batch_total;
    count += static_cast<std::int64_t>(b.items.size());
  }
  if (total != file->total_cents || count != file->item_count) std::abort();
  auto again = parse_lockbox(format_lockbox(*file));
  if (!again || again->total_cents != file->total_cents || again->item_count != file->item_count)
    std::abort();
  return 0;
}

#ifdef CIVICDESK_FUZZ_STANDALONE
#include "standalone_driver.h"
#endif
