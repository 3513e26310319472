#include "core/time_zone.h"

#include <fstream>

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;

TimeZone load_or_die(std::string_view name) {
  auto tz = TimeZone::load(name);
  EXPECT_TRUE(tz.has_value()) << (tz ? "" : tz.error().message);
  return tz ? *tz : TimeZone::utc();
}

// Expected values below were computed independently with Python's zoneinfo.
TEST(TimeZone, LosAngelesAcrossDaylightSavingChanges) {
  const TimeZone la = load_or_die("America/Los_Angeles");
  EXPECT_EQ(la.name(), "America/Los_Angeles");
  const std::int64_t spring = 1772964000;  // 2026-03-08 02:00 PST = 10:00 UTC
  EXPECT_EQ(la.utc_offset_seconds(spring - 1), -8 * kHour);
  EXPECT_EQ(la.utc_offset_seconds(spring), -7 * kHour);
  EXPECT_EQ(la.abbreviation(spring - 1), "PST");
  EXPECT_EQ(la.abbreviation(spring), "PDT");
  EXPECT_EQ(la.format_local((spring - 1) * 1'000'000), "2026-03-08 01:59:59 PST");
  EXPECT_EQ(la.format_local(spring * 1'000'000), "2026-03-08 03:00:00 PDT");
  const std::int64_t fall = 1793523600;  // 2026-11-01 02:00 PDT = 09:00 UTC
  EXPECT_EQ(la.utc_offset_seconds(fall - 1), -7 * kHour);
  EXPECT_EQ(la.utc_offset_seconds(fall), -8 * kHour);
  EXPECT_EQ(la.format_local((fall - 1) * 1'000'000), "2026-11-01 01:59:59 PDT");
  EXPECT_EQ(la.format_local(fall * 1'000'000), "2026-11-01 01:00:00 PST");
}

TEST(TimeZone, FormatLocalTruncatesMicroseconds) {
  const TimeZone la = load_or_die("America/Los_Angeles");
  EXPECT_EQ(la.format_local(1795709702LL * 1'000'000 + 999'999), "2026-11-26 08:15:02 PST");
  EXPECT_EQ(TimeZone::utc().format_local(-1), "1969-12-31 23:59:59 UTC");
}

TEST(TimeZone, LocalDate) {
  const TimeZone la = load_or_die("America/Los_Angeles");
  const std::int64_t utc_midnight_jul5 = CivilDate{2026, 7, 5}.days_since_epoch() * kDay;
  EXPECT_EQ(la.local_date(utc_midnight_jul5), (CivilDate{2026, 7, 4}));  // 17:00 PDT on the 4th
  EXPECT_EQ(la.local_date(utc_midnight_jul5 + 7 * kHour - 1), (CivilDate{2026, 7, 4}));
  EXPECT_EQ(la.local_date(utc_midnight_jul5 + 7 * kHour), (CivilDate{2026, 7, 5}));
}

TEST(TimeZone, LocalMidnight) {
  const TimeZone la = load_or_die("America/Los_Angeles");
  EXPECT_EQ(la.local_midnight_utc({2026, 3, 8}), 1772956800);   // PST, DST starts later that day
  EXPECT_EQ(la.local_midnight_utc({2026, 3, 9}), 1773039600);   // PDT
  EXPECT_EQ(la.local_midnight_utc({2026, 11, 1}), 1793516400);  // PDT, DST ends later that day
  EXPECT_EQ(la.local_midnight_utc({2026, 11, 2}), 1793606400);  // PST
  EXPECT_EQ(la.local_midnight_utc({2026, 7, 4}), 1783148400);
  EXPECT_EQ(la.local_midnight_utc({1950, 6, 1}), -618080400);  // from the transition table
  EXPECT_EQ(la.local_midnight_utc({2100, 7, 1}), 4118108400);  // from the footer rule
  // The day is 23 hours long in spring and 25 in autumn.
  EXPECT_EQ(la.local_midnight_utc({2026, 3, 9}) - la.local_midnight_utc({2026, 3, 8}), 23 * kHour);
  EXPECT_EQ(la.local_midnight_utc({2026, 11, 2}) - la.local_midnight_utc({2026, 11, 1}),
            25 * kHour);
}

// Havana changes clocks at midnight: a day whose midnight is skipped, and one where it repeats.
TEST(TimeZone, LocalMidnightInGapsAndOverlaps) {
  const TimeZone havana = load_or_die("America/Havana");
  EXPECT_EQ(havana.local_midnight_utc({2026, 3, 8}), 1772946000);  // starts at 01:00 CDT
  EXPECT_EQ(havana.local_midnight_utc({2026, 3, 7}), 1772859600);
  EXPECT_EQ(havana.local_midnight_utc({2026, 11, 1}), 1793505600);  // the first 00:00 (CDT)
  EXPECT_EQ(havana.local_midnight_utc({2026, 11, 2}), 1793595600);
}

TEST(TimeZone, PastTransitionsAndFarFuture) {
  const TimeZone la = load_or_die("America/Los_Angeles");
  EXPECT_EQ(la.utc_offset_seconds(-618062400), -7 * kHour);  // 1950-06-01, PDT
  EXPECT_EQ(la.utc_offset_seconds(-2745446400), -28378);     // 1883, local mean time
  EXPECT_EQ(la.abbreviation(-2745446400), "LMT");
  EXPECT_EQ(la.utc_offset_seconds(4118083200), -7 * kHour);  // 2100-07-01
  EXPECT_EQ(la.utc_offset_seconds(4131302400), -8 * kHour);  // 2100-12-01
  EXPECT_EQ(la.utc_offset_seconds(2215072799), -8 * kHour);  // 2040-03-11 01:59:59 PST
  EXPECT_EQ(la.utc_offset_seconds(2215072800), -7 * kHour);
}

TEST(TimeZone, SouthernHemisphereFooter) {
  const TimeZone sydney = load_or_die("Australia/Sydney");
  EXPECT_EQ(sydney.utc_offset_seconds(1768435200), 11 * kHour);  // 2026-01-15 AEDT
  EXPECT_EQ(sydney.utc_offset_seconds(1784073600), 10 * kHour);  // 2026-07-15 AEST
  EXPECT_EQ(sydney.utc_offset_seconds(2368051200), 11 * kHour);  // 2045-01-15
  EXPECT_EQ(sydney.abbreviation(2383689600), "AEST");            // 2045-07-15
}

// The footer rule alone must agree with the transition table wherever both apply.
TEST(TimeZone, FooterRuleAgreesWithTransitionTable) {
  struct Case {
    const char* name;
    const char* rule;
  };
  const Case cases[] = {{"America/Los_Angeles", "PST8PDT,M3.2.0,M11.1.0"},
                        {"Australia/Sydney", "AEST-10AEDT,M10.1.0,M4.1.0/3"},
                        {"America/Havana", "CST5CDT,M3.2.0/0,M11.1.0/1"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const TimeZone file = load_or_die(c.name);
    const TimeZone rule = TimeZone::from_posix(c.name, c.rule).value();
    const std::int64_t from = CivilDate{2013, 1, 1}.days_since_epoch() * kDay;
    const std::int64_t to = CivilDate{2037, 1, 1}.days_since_epoch() * kDay;
    for (std::int64_t t = from; t < to; t += 1799) {
      ASSERT_EQ(file.utc_offset_seconds(t), rule.utc_offset_seconds(t)) << t;
    }
  }
}

TEST(TimeZone, Utc) {
  const TimeZone loaded = load_or_die("UTC");
  const TimeZone built = TimeZone::utc();
  for (std::int64_t t : {-5'000'000'000LL, 0LL, 1772964000LL, 4'000'000'000LL}) {
    EXPECT_EQ(loaded.utc_offset_seconds(t), 0);
    EXPECT_EQ(built.utc_offset_seconds(t), 0);
    EXPECT_EQ(loaded.abbreviation(t), "UTC");
  }
  EXPECT_EQ(built.format_local(0), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(loaded.local_midnight_utc({2026, 3, 8}), 1772928000);
  EXPECT_EQ(built.local_date(1772928000 - 1), (CivilDate{2026, 3, 7}));
}

TEST(TimeZone, RefusesUnsafeAndUnknownNames) {
  const char* refused[] = {"",
                           "../etc/passwd",
                           "/etc/passwd",
                           "America/../UTC",
                           "America/Los Angeles",
                           "Nowhere/Atlantis",
                           "America",
                           "UTC\n",
                           "a*b"};
  for (const char* name : refused) {
    SCOPED_TRACE(name);
    auto tz = TimeZone::load(name);
    ASSERT_FALSE(tz.has_value());
    EXPECT_EQ(tz.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(tz.error().field, "time_zone");
  }
  EXPECT_FALSE(TimeZone::load(std::string(300, 'A')).has_value());
}

// A minimal TZif file: one transition from type 0 (+1h, "AAA") to type 1 (+2h, "BBB").
std::string tiny_tzif(char version, const std::string& footer) {
  auto be32 = [](std::int64_t v) {
    std::string s(4, '\0');
    for (int i = 0; i < 4; ++i) s[i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
    return s;
  };
  auto block = [&](int time_size) {
    std::string h = "TZif";
    h += version;
    h += std::string(15, '\0');
    for (std::int64_t c : {0, 0, 0, 1, 2, 8}) h += be32(c);
    const std::string t = be32(1000);
    h += time_size == 4 ? t : std::string(4, '\0') + t;
    h += '\x01';
    h += be32(3600) + '\0' + '\0';
    h += be32(7200) + '\0' + '\x04';
    h += std::string("AAA\0BBB\0", 8);
    return h;
  };
  if (version == 0) return block(4);
  return block(4) + block(8) + "\n" + footer + "\n";
}

TEST(TimeZone, ParsesVersionOneAndTwoFiles) {
  for (char version : {'\0', '2', '3'}) {
    SCOPED_TRACE(static_cast<int>(version));
    const TimeZone tz = TimeZone::from_tzif("Test/Tiny", tiny_tzif(version, "")).value();
    EXPECT_EQ(tz.utc_offset_seconds(999), 3600);
    EXPECT_EQ(tz.abbreviation(999), "AAA");
    EXPECT_EQ(tz.utc_offset_seconds(1000), 7200);
    EXPECT_EQ(tz.abbreviation(5'000'000'000), "BBB");
  }
  const TimeZone with_footer = TimeZone::from_tzif("Test/Tiny", tiny_tzif('2', "<+03>-3")).value();
  EXPECT_EQ(with_footer.utc_offset_seconds(999), 3600);
  EXPECT_EQ(with_footer.utc_offset_seconds(1000), 3 * kHour);
  EXPECT_EQ(with_footer.abbreviation(1000), "+03");
}

TEST(TimeZone, RefusesEveryTruncationAndCorruption) {
  const std::string good = tiny_tzif('2', "EST5EDT,M3.2.0,M11.1.0");
  ASSERT_TRUE(TimeZone::from_tzif("t", good).has_value());
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto tz = TimeZone::from_tzif("t", good.substr(0, n));
    EXPECT_FALSE(tz.has_value()) << n;
  }
  std::string bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_FALSE(TimeZone::from_tzif("t", bad_magic).has_value());
  std::string bad_footer = tiny_tzif('2', "NOT A RULE");
  EXPECT_FALSE(TimeZone::from_tzif("t", bad_footer).has_value());
  std::string bad_type = tiny_tzif('\0', "");
  bad_type[44 + 4] = '\x07';  // transition type index past typecnt
  EXPECT_FALSE(TimeZone::from_tzif("t", bad_type).has_value());
}

TEST(PosixRule, Parses) {
  using Kind = TimeZone::PosixRule::When::Kind;
  const auto la = TimeZone::parse_posix_rule("PST8PDT,M3.2.0,M11.1.0").value();
  EXPECT_EQ(la.std_abbr, "PST");
  EXPECT_EQ(la.std_offset, -8 * kHour);
  EXPECT_EQ(la.dst_abbr, "PDT");
  EXPECT_EQ(la.dst_offset, -7 * kHour);
  EXPECT_EQ(la.start.kind, Kind::kMonthWeekDay);
  EXPECT_EQ(la.start.month, 3);
  EXPECT_EQ(la.start.week, 2);
  EXPECT_EQ(la.end.month, 11);
  EXPECT_EQ(la.end.time_seconds, 2 * kHour);

  const auto india = TimeZone::parse_posix_rule("<+0530>-5:30").value();
  EXPECT_EQ(india.std_abbr, "+0530");
  EXPECT_EQ(india.std_offset, 5 * kHour + 30 * 60);
  EXPECT_FALSE(india.dst_abbr.has_value());

  const auto israel = TimeZone::parse_posix_rule("IST-2IDT,M3.4.4/26,M10.5.0").value();
  EXPECT_EQ(israel.start.time_seconds, 26 * kHour);
  EXPECT_EQ(israel.end.week, 5);

  const auto julian = TimeZone::parse_posix_rule("EST5EDT,J60/-1,100").value();
  EXPECT_EQ(julian.start.kind, Kind::kJulianNoLeap);
  EXPECT_EQ(julian.start.time_seconds, -kHour);
  EXPECT_EQ(julian.end.kind, Kind::kJulianZero);
  EXPECT_EQ(julian.end.day, 100);

  const auto bare = TimeZone::parse_posix_rule("EST5EDT").value();  // US rule assumed
  EXPECT_EQ(bare.start.month, 3);
  EXPECT_EQ(bare.end.month, 11);
  const auto explicit_dst = TimeZone::parse_posix_rule("XST3XDT1:30,M3.2.0,M11.1.0").value();
  EXPECT_EQ(explicit_dst.dst_offset, -(kHour + 30 * 60));
}

TEST(PosixRule, Refuses) {
  for (const char* rule :
       {"", "P8", "PST", "PST8PDT,M13.1.0,M11.1.0", "PST8PDT,M3.6.0,M11.1.0",
        "PST8PDT,M3.2.7,M11.1.0", "PST8PDT,M3.2.0", "PST8PDT,J0,J365", "PST8PDT,M3.2.0,M11.1.0,",
        "PST99", "<+05-5", "PST8PDT,M3.2.0/168,M11.1.0"}) {
    SCOPED_TRACE(rule);
    auto r = TimeZone::parse_posix_rule(rule);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, "time_zone");
  }
}

TEST(PosixRule, JulianDaysAndPermanentDaylightTime) {
  // "J60" is March 1 in every year; "59" (zero-based) is Feb 29 in a leap year.
  const TimeZone j = TimeZone::from_posix("t", "AAA0BBB,J60/0,J300/0").value();
  const std::int64_t mar1_2024 = CivilDate{2024, 3, 1}.days_since_epoch() * kDay;
  EXPECT_EQ(j.utc_offset_seconds(mar1_2024 - 1), 0);
  EXPECT_EQ(j.utc_offset_seconds(mar1_2024), kHour);
  const TimeZone z = TimeZone::from_posix("t", "AAA0BBB,59/0,300/0").value();
  const std::int64_t feb29_2024 = CivilDate{2024, 2, 29}.days_since_epoch() * kDay;
  EXPECT_EQ(z.utc_offset_seconds(feb29_2024 - 1), 0);
  EXPECT_EQ(z.utc_offset_seconds(feb29_2024), kHour);
  // The tz database's way of saying "daylight time all year".
  const TimeZone always = TimeZone::from_posix("t", "EST5EDT,0/0,J365/25").value();
  for (int month = 1; month <= 12; ++month) {
    EXPECT_EQ(always.utc_offset_seconds(CivilDate{2030, month, 15}.days_since_epoch() * kDay),
              -4 * kHour);
  }
}

TEST(TimeZone, LoadsFromAnotherDirectory) {
  const std::string dir = ::testing::TempDir();
  {
    std::ofstream out(dir + "/Tiny", std::ios::binary);
    out << tiny_tzif('2', "");
  }
  const TimeZone tz = TimeZone::load("Tiny", dir).value();
  EXPECT_EQ(tz.utc_offset_seconds(1000), 7200);
}

}  // namespace
}  // namespace civicdesk
