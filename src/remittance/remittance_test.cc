// The mail room's pure core: scanlines (Luhn check digit, keyboard-wedge spacing), stub
// matching, and the lockbox parser — including a deterministic corruption run over the sample
// files in tests/data/lockbox, so `make test` exercises the parser on bad input without
// libFuzzer (fuzz/lockbox_fuzz.cc does the long runs).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "remittance/lockbox.h"
#include "remittance/lockbox_gen.h"
#include "remittance/matching.h"
#include "remittance/scanline.h"
#include "tests/app_fixture.h"

namespace civicdesk::remittance {
namespace {

TEST(Luhn, KnownValues) {
  // The classic example: 7992739871 has check digit 3.
  EXPECT_EQ(luhn_check_digit("7992739871"), 3);
  EXPECT_TRUE(luhn_valid("79927398713"));
  EXPECT_FALSE(luhn_valid("79927398710"));
  EXPECT_FALSE(luhn_valid(""));
  EXPECT_FALSE(luhn_valid("12a"));
  EXPECT_EQ(luhn_check_digit("00000000000000000000"), 0);
}

TEST(Scanline, MakeAndParseRoundTrip) {
  std::string s = make_scanline(1001, 4250);
  ASSERT_EQ(s.size(), kScanlineDigits);
  EXPECT_EQ(s.substr(0, 20), "00000010010000004250");
  auto p = parse_scanline(s);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->account_number, 1001);
  EXPECT_EQ(p->amount_due_cents, 4250);
  EXPECT_EQ(format_scanline(*p), s.substr(0, 10) + " " + s.substr(10, 10) + " " + s.substr(20));
  EXPECT_EQ(account_ref_for(p->account_number), "utility:1001");
}

TEST(Scanline, KeyboardWedgeSpacingIsIgnored) {
  std::string s = make_scanline(987654, 123456);
  std::string spaced =
      "  " + s.substr(0, 10) + " " + s.substr(10, 10) + "\t" + s.substr(20) + "\r\n";
  auto p = parse_scanline(spaced);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_EQ(p->digits, s);
}

TEST(Scanline, EveryErrorHasItsCode) {
  std::string s = make_scanline(1001, 4250);
  std::string wrong = s;
  wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + 1) % 10);
  EXPECT_EQ(parse_scanline(wrong).error().code, ScanlineError::kBadCheckDigit);
  EXPECT_EQ(parse_scanline("   ").error().code, ScanlineError::kEmpty);
  EXPECT_EQ(parse_scanline(s.substr(0, 20)).error().code, ScanlineError::kWrongLength);
  EXPECT_EQ(parse_scanline(s + "0").error().code, ScanlineError::kWrongLength);
  std::string letter = s;
  letter[5] = 'O';
  auto bad = parse_scanline(letter);
  EXPECT_EQ(bad.error().code, ScanlineError::kBadCharacter);
  EXPECT_NE(bad.error().message.find("position 6"), std::string::npos);
  EXPECT_EQ(parse_scanline("000000000000000042500").error().code, ScanlineError::kZeroAccount);
  // At the input limit (digits padded with spaces) and one past it.
  std::string at_limit = s + std::string(kMaxScanlineInputLength - s.size(), ' ');
  EXPECT_TRUE(parse_scanline(at_limit));
  EXPECT_EQ(parse_scanline(at_limit + " ").error().code, ScanlineError::kTooLong);
}

TEST(Scanline, EverySingleDigitErrorIsCaught) {
  // Luhn catches every single-digit substitution.
  std::string s = make_scanline(4242, 9999);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (char d = '0'; d <= '9'; ++d) {
      if (d == s[i]) continue;
      std::string t = s;
      t[i] = d;
      auto p = parse_scanline(t);
      EXPECT_FALSE(p && p->digits == t) << t;
    }
}

TEST(AccountNumber, Parses) {
  EXPECT_EQ(parse_account_number(" 0001001 ").value(), 1001);
  EXPECT_FALSE(parse_account_number("0"));
  EXPECT_FALSE(parse_account_number("12345678901"));
  EXPECT_FALSE(parse_account_number("12a"));
  EXPECT_FALSE(parse_account_number(""));
}

TEST(Matching, DecidesEachReason) {
  auto ok = read_mail_stub(make_scanline(1001, 4250), "", std::nullopt);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->entry_method, "scanned");
  EXPECT_EQ(decide(*ok, true, 4250).reason, "");
  EXPECT_EQ(decide(*ok, true, 4251).reason, kReasonAmountMismatch);
  EXPECT_EQ(decide(*ok, false, 4250).reason, kReasonUnknownAccount);
  auto none = read_mail_stub("", "", std::nullopt);
  EXPECT_EQ(decide(*none, false, 100).reason, kReasonNoStub);
  std::string wrong = make_scanline(1001, 4250);
  wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + 3) % 10);
  auto bad = read_mail_stub(wrong, "", std::nullopt);
  ASSERT_TRUE(bad);
  EXPECT_EQ(decide(*bad, true, 4250).reason, kReasonBadCheckDigit);
  // A malformed scan is refused at once (the clerk rescans); in a lockbox file it is queued.
  EXPECT_EQ(read_mail_stub("12345", "", std::nullopt).error().field, "scanline");
  EXPECT_EQ(read_lockbox_stub("12345").problem, kReasonUnreadable);
  EXPECT_EQ(read_lockbox_stub("").problem, kReasonNoStub);
  // Keyed: the amount due is optional.
  auto keyed = read_mail_stub("", "1001", std::nullopt);
  EXPECT_EQ(keyed->entry_method, "keyed");
  EXPECT_EQ(decide(*keyed, true, 777).reason, "");
  EXPECT_EQ(decide(*read_mail_stub("", "1001", 500), true, 777).reason, kReasonAmountMismatch);
  EXPECT_EQ(read_mail_stub(make_scanline(1, 1), "1", std::nullopt).error().field, "account_number");
}

std::string sample(const std::string& name) {
  std::ifstream in(civicdesk::testing::source_dir() + "/tests/data/lockbox/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Lockbox, ParsesTheSample) {
  for (const char* name : {"good.txt", "good_crlf_trimmed.txt"}) {
    auto f = parse_lockbox(sample(name));
    ASSERT_TRUE(f) << name << ": " << f.error().message;
    EXPECT_EQ(f->origin, "BANK0001");
    EXPECT_EQ(f->destination, "RIVERTON");
    EXPECT_EQ(f->file_date.iso(), "2026-11-27");
    ASSERT_EQ(f->batches.size(), 2u);
    EXPECT_EQ(f->item_count, 7);
    EXPECT_EQ(f->total_cents, 33484);
    EXPECT_EQ(f->batches[0].total_cents, 17250);
    const auto& first = f->batches[0].items[0];
    EXPECT_EQ(first.amount_cents, 4250);
    EXPECT_EQ(first.check_number, "1001");
    EXPECT_EQ(first.payer, "ANA APPLE");
    EXPECT_EQ(first.line, 3);
    EXPECT_EQ(f->batches[1].items[0].scanline, "");
  }
}

TEST(Lockbox, ErrorsNameTheLineAndField) {
  struct Case {
    const char* file;
    const char* field;
  };
  for (auto [file, field] :
       {Case{"bad_batch_total.txt", "line 6: batch_total"},
        Case{"bad_file_count.txt", "line 13: item_count"}, Case{"bad_amount.txt", "line 4: amount"},
        Case{"bad_sequence.txt", "line 4: sequence"}, Case{"truncated.txt", "file"}}) {
    auto f = parse_lockbox(sample(file));
    ASSERT_FALSE(f) << file;
    EXPECT_EQ(f.error().field, field) << file << ": " << f.error().message;
  }
}

TEST(Lockbox, StructureErrors) {
  std::string good = sample("good.txt");
  EXPECT_EQ(parse_lockbox("").error().field, "file");
  // A record longer than 80 columns.
  std::string longer = good;
  longer.insert(80, "X");
  EXPECT_EQ(parse_lockbox(longer).error().field, "line 1: record_type");
  // Something after the file trailer.
  EXPECT_EQ(parse_lockbox(good + good.substr(0, 81)).error().field, "line 14: record_type");
  // Blank lines after the trailer are fine.
  EXPECT_TRUE(parse_lockbox(good + "\n\n"));
}

TEST(Lockbox, FileSizeLimit) {
  std::string at_limit(kMaxLockboxFileBytes, ' ');
  auto r = parse_lockbox(at_limit);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);  // read, and refused for its content
  at_limit.push_back(' ');
  EXPECT_EQ(parse_lockbox(at_limit).error().code, ErrorCode::kTooLarge);
}

TEST(Lockbox, FormatParsesBackAndGeneratorIsDeterministic) {
  std::string a = generate_lockbox_file(7, 1234, 1000);
  EXPECT_EQ(a, generate_lockbox_file(7, 1234, 1000));
  EXPECT_NE(a, generate_lockbox_file(8, 1234, 1000));
  auto f = parse_lockbox(a);
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(f->item_count, 1234);
  EXPECT_EQ(f->batches.size(), 3u);
  EXPECT_EQ(format_lockbox(*f), a);
  for (const auto& b : f->batches)
    for (const auto& i : b.items) ASSERT_TRUE(parse_scanline(i.scanline)) << i.scanline;
}

// Deterministic corruption (a poor man's fuzzer, seeded): flip, insert, delete and truncate
// bytes of every sample. The parser must return a value or an error naming a line or the file,
// never crash or assert; whatever parses must have consistent totals.
TEST(Lockbox, CorruptSamplesNeverCrashTheParser) {
  std::uint64_t state = 12345;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::vector<std::string> samples;
  for (const auto& e : std::filesystem::directory_iterator(civicdesk::testing::source_dir() +
                                                           "/tests/data/lockbox"))
    samples.push_back(sample(e.path().filename().string()));
  ASSERT_GE(samples.size(), 5u);
  int parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string s = samples[next() % samples.size()];
    int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      std::size_t at = next() % s.size();
      switch (next() % 4) {
        case 0:
          s[at] = static_cast<char>(next() % 256);
          break;
        case 1:
          s.insert(at, 1, static_cast<char>("0123456789 \n\r69"[next() % 16]));
          break;
        case 2:
          s.erase(at, 1);
          break;
        case 3:
          s.resize(at);
          break;
      }
    }
    auto f = parse_lockbox(s);
    if (f) {
      ++parsed;
      std::int64_t total = 0;
      for (const auto& b : f->batches)
        for (const auto& i : b.items) total += i.amount_cents;
      EXPECT_EQ(total, f->total_cents);
      for (const auto& b : f->batches)
        for (const auto& i : b.items) (void)read_lockbox_stub(i.scanline);
    } else {
      EXPECT_TRUE(f.error().field == "file" || f.error().field.starts_with("line "))
          << f.error().field;
    }
    (void)parse_scanline(s.substr(0, 80));
  }
  EXPECT_GT(parsed, 0);  // some edits land in ignored text (names) and still parse
}

}  // namespace
}  // namespace civicdesk::remittance
