// libFuzzer target for the OWRS formula evaluator and the OWRS loader (billing/rates).
//
// Input: arbitrary bytes. The first byte picks the target: even -> the bytes after it are a
// formula, parsed and evaluated with every variable bound to a value derived from its name;
// odd -> they are an OWRS YAML file, loaded, and every class billed for a fixed customer.
// Properties checked (abort on violation): no crash, no exception escapes, parse errors carry a
// message, evaluation is deterministic, and a parsed formula's terms re-evaluate to the same sum.
//
// Build with clang and libFuzzer (see the CMake lines in the rates report), or, where the
// compiler has no libFuzzer, with -DCIVICDESK_FUZZ_STANDALONE: main() then runs each file named
// on the command line once, N seeded random inputs with `--random N SEED`, or N seeded
// mutations of seed files with `--mutate N SEED FILE...` (a failing seed reproduces exactly).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "billing/rates/calculator.h"
#include "billing/rates/formula.h"
#include "billing/rates/owrs.h"

namespace {

using civicdesk::Result;
using civicdesk::rates::Decimal;
using civicdesk::rates::Formula;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "formula_fuzz: property violated: %s\n", what);
    std::abort();
  }
}

Result<Decimal> value_of(std::string_view name) {
  // Deterministic, small, sometimes zero (to reach division by zero) and sometimes negative.
  std::int32_t h = 0;
  for (char c : name) h = (h * 31 + static_cast<unsigned char>(c)) % 1000;
  return Decimal::from_fraction(h - 100, 1 + h % 7);
}

void fuzz_formula(std::string_view text) {
  auto f = Formula::parse(text);
  if (!f) {
    check(!f.error().message.empty(), "a parse error has a message");
    return;
  }
  auto first = f->evaluate(value_of);
  auto second = f->evaluate(value_of);
  check(first.has_value() == second.has_value(), "evaluation is deterministic");
  if (!first) return;
  check(*first == *second, "evaluation is deterministic");
  Decimal sum;
  for (const auto& term : f->additive_terms()) {
    auto v = term.formula.evaluate(value_of);
    if (!v) return;  // a term may overflow where the sum, evaluated left to right, did not
    auto next = term.negative ? sum.sub(*v) : sum.add(*v);
    if (!next) return;
    sum = *next;
  }
  check(sum == *first, "the terms add up to the formula");
}

void fuzz_owrs(std::string_view text) {
  auto tariff = civicdesk::rates::parse_owrs(text, "fuzz.owrs");
  if (!tariff) {
    check(!tariff.error().message.empty(), "a refusal has a message");
    return;
  }
  for (const auto& cls : tariff->classes) {
    civicdesk::rates::BillRequest r;
    r.customer_class = cls.name;
    r.usage_ccf = Decimal::from_integer(20);
    r.meter_size = "5/8\"";
    auto bill = civicdesk::rates::compute_bill(*tariff, r);
    if (!bill) check(!bill.error().message.empty(), "a bill error has a message");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      fuzz_formula(text);
    } else {
      fuzz_owrs(text);
    }
  } catch (...) {
    check(false, "no exception escapes");
  }
  return 0;
}

#ifdef CIVICDESK_FUZZ_STANDALONE
int main(int argc, char** argv) {
  if (argc == 4 && std::string_view(argv[1]) == "--random") {
    const long runs = std::strtol(argv[2], nullptr, 10);
    std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
    const std::string alphabet = "0123456789.+-*/(), e_abcxyz%round min max floor\n:-|\"";
    for (long i = 0; i < runs; ++i) {
      std::string input(1, static_cast<char>(rng() % 2));
      const std::size_t length = rng() % 64;
      for (std::size_t j = 0; j < length; ++j) input += alphabet[rng() % alphabet.size()];
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    }
    return 0;
  }
  if (argc >= 5 && std::string_view(argv[1]) == "--mutate") {
    // --mutate N SEED FILE...: N inputs, each a seed file (an OWRS tariff, or a formula when the
    // file ends in .formula) with up to 8 random byte edits.
    const long runs = std::strtol(argv[2], nullptr, 10);
    std::mt19937_64 rng(std::strtoull(argv[3], nullptr, 10));
    std::vector<std::string> seeds;
    for (int i = 4; i < argc; ++i) {
      std::ifstream in(argv[i], std::ios::binary);
      const bool formula = std::string_view(argv[i]).ends_with(".formula");
      seeds.push_back(
          std::string(1, formula ? '\0' : '\1') +
          std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    }
    const std::string alphabet = "0123456789.+-*/()%:|\"' \n\t-abcdefghijklmnopqrstuvwxyz_{}[]#";
    for (long i = 0; i < runs; ++i) {
      std::string input = seeds[rng() % seeds.size()];
      const int edits = 1 + static_cast<int>(rng() % 8);
      for (int e = 0; e < edits && input.size() > 1; ++e) {
        const std::size_t at = 1 + rng() % (input.size() - 1);
        const char c = alphabet[rng() % alphabet.size()];
        switch (rng() % 3) {
          case 0:
            input[at] = c;
            break;
          case 1:
            input.insert(input.begin() + static_cast<long>(at), c);
            break;
          default:
            input.erase(at, 1 + rng() % 4);
            break;
        }
      }
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
    }
    return 0;
  }
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    const std::string input((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  return 0;
}
#endif
