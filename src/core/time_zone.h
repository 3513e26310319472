// TimeZone: the City's local time, read from the system's IANA time zone database.
//
// g++ 12's libstdc++ has no std::chrono::tzdb, so this is a small reader of TZif files (RFC 8536,
// versions 1 to 4) from /usr/share/zoneinfo (Debian's `tzdata` package). Times after the file's
// last transition follow the POSIX TZ rule in the file's footer (e.g. "PST8PDT,M3.2.0,M11.1.0").
// Leap-second records are ignored: civicdesk counts Unix seconds.
//
// A TimeZone is an immutable value, cheap enough to copy, safe to share between threads. Load it
// once at start-up (from the City's config); the lookups never touch the file system.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/result.h"

namespace civicdesk {

inline constexpr std::string_view kDefaultZoneInfoDir = "/usr/share/zoneinfo";

class TimeZone {
 public:
  // Loads `iana_name` (e.g. "America/Los_Angeles") from `zoneinfo_dir`. Errors:
  //   kInvalidInput (field "time_zone"): the name is empty, too long, contains "..", starts with
  //     "/", or has characters no IANA name has; no such zone; the file is not valid TZif.
  //   kUnavailable: the file exists but could not be read.
  [[nodiscard]] static Result<TimeZone> load(std::string_view iana_name,
                                             std::string_view zoneinfo_dir = kDefaultZoneInfoDir);

  // Parses TZif bytes already in memory (tests, embedded data); errors as for load.
  [[nodiscard]] static Result<TimeZone> from_tzif(std::string_view name, std::string_view bytes);

  // Parses a POSIX TZ string alone, e.g. "PST8PDT,M3.2.0,M11.1.0" or "UTC0".
  [[nodiscard]] static Result<TimeZone> from_posix(std::string_view name, std::string_view rule);

  // Coordinated Universal Time, with no file needed.
  static TimeZone utc();

  const std::string& name() const { return name_; }

  // Seconds to add to UTC to get local time at the instant `unix_seconds` (-28800 for PST).
  std::int64_t utc_offset_seconds(std::int64_t unix_seconds) const;
  // The abbreviation in effect at that instant ("PST", "PDT", "UTC").
  std::string abbreviation(std::int64_t unix_seconds) const;
  // The local calendar date at that instant.
  CivilDate local_date(std::int64_t unix_seconds) const;
  // "2026-11-26 08:15:02 PST" for a time in microseconds since the epoch (the Clock's unit).
  std::string format_local(std::int64_t unix_us) const;
  // The first instant (Unix seconds) of local day `date`: local midnight, or when midnight falls
  // in a spring-forward gap, the first instant after the gap; when midnight happens twice (a
  // fall-back at midnight), the earlier one.
  std::int64_t local_midnight_utc(CivilDate date) const;

  // A POSIX TZ rule ("std offset [dst [offset] [,start[/time],end[/time]]]"); public so the
  // parser can be tested on its own.
  struct PosixRule {
    // A transition date: Mm.w.d, Jn (1..365, no Feb 29) or n (0..365, counting Feb 29).
    struct When {
      enum class Kind { kMonthWeekDay, kJulianNoLeap, kJulianZero } kind = Kind::kMonthWeekDay;
      int month = 0, week = 0, weekday = 0;  // for Mm.w.d
      int day = 0;                           // for Jn and n
      std::int64_t time_seconds = 7200;      // local wall time of the change; default 02:00
    };
    std::string std_abbr;
    std::int64_t std_offset = 0;  // seconds east of UTC (the string's sign is inverted)
    std::optional<std::string> dst_abbr;
    std::int64_t dst_offset = 0;
    When start, end;
  };
  [[nodiscard]] static Result<PosixRule> parse_posix_rule(std::string_view rule);

 private:
  struct LocalType {
    std::int64_t offset = 0;
    bool is_dst = false;
    std::string abbr;
  };
  // The local time type in effect at an instant, from the transitions or the footer rule.
  LocalType type_at(std::int64_t unix_seconds) const;
  bool footer_is_dst(std::int64_t unix_seconds) const;

  std::string name_;
  std::vector<std::int64_t> transitions_;       // ascending Unix seconds
  std::vector<std::uint8_t> transition_types_;  // index into types_, one per transition
  std::vector<LocalType> types_;                // at least one
  std::optional<PosixRule> footer_;
};

}  // namespace civicdesk
