// Statutory deadlines of a parking citation, counted on the City's calendar.
//
// California VC 40215 and 40230, with the periods from the City config (ContestRules):
//   - initial review: within 21 calendar days of the issue date, or within 14 calendar days of
//     the mailing of the delinquency notice, whichever ends later;
//   - administrative hearing: within 21 calendar days of the mailing of the review decision;
//   - court appeal: within 20 calendar days of the service of the hearing decision.
// How a period is counted: the day of the act (issue, mailing) is day 0 and the period ends at
// the end of day N. When day N is a Saturday, Sunday or City holiday, the period ends at the end
// of the next business day instead (as California Code of Civil Procedure §12a extends a last
// day that falls on a holiday). The citation page shows the date and why it moved.
//
// While a contest is pending, penalties do not accrue: the citation service records a
// Suspension (citation_rules.h) from the request to the decision, and the escalation clock
// resumes (or restarts, per ContestRules) when it ends.
//
// Pure and thread-safe.
#pragma once

#include <optional>
#include <string>

#include "citations/citation_rules.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/result.h"

namespace civicdesk::citations {

struct Deadline {
  CivilDate last_day;    // the act is on time through the end of this day
  CivilDate counted_to;  // the N-th calendar day, before moving off a weekend or holiday
  std::string rule;      // "21 days after the issue date (VC 40215(a))"
  bool moved() const { return last_day != counted_to; }
};

// For people: "Monday 2026-03-23: 21 days after the issue date (VC 40215(a)); the last counted
// day, Saturday 2026-03-21, is a weekend" (or "is a City holiday").
std::string describe(const Deadline& deadline, const BusinessCalendar& calendar);

// The later of the two periods when the delinquency notice was mailed, else the first.
Deadline review_request_deadline(const ContestRules& rules, const BusinessCalendar& calendar,
                                 CivilDate issued_on,
                                 std::optional<CivilDate> notice_mailed_on = std::nullopt);
Deadline hearing_request_deadline(const ContestRules& rules, const BusinessCalendar& calendar,
                                  CivilDate review_decision_mailed_on);
Deadline court_appeal_deadline(const ContestRules& rules, const BusinessCalendar& calendar,
                               CivilDate hearing_decision_served_on);

// On time when `acted_on` <= deadline.last_day. kUnprocessable naming `field` otherwise, with
// the deadline and its rule in the message. An act dated before the period began is an input
// error (kInvalidInput): a review cannot be requested before the citation was issued.
[[nodiscard]] Result<void> check_on_time(const Deadline& deadline, CivilDate period_began,
                                         CivilDate acted_on, std::string_view field);

}  // namespace civicdesk::citations
