#include "citations/deadlines.h"

namespace civicdesk::citations {
namespace {

constexpr const char* kWeekdays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};

std::string long_date(CivilDate d) {
  return std::string(kWeekdays[d.weekday()]) + " " + d.iso();
}

Deadline period(const BusinessCalendar& calendar, CivilDate from, int days, std::string rule) {
  const CivilDate counted = from.plus_days(days);
  return Deadline{calendar.next_business_day_on_or_after(counted), counted, std::move(rule)};
}

std::string days_after(int days, const char* event, const char* statute) {
  return std::to_string(days) + " days after " + event + " (" + statute + ")";
}

}  // namespace

std::string describe(const Deadline& deadline, const BusinessCalendar& calendar) {
  std::string text = long_date(deadline.last_day) + ": " + deadline.rule;
  if (deadline.moved()) {
    text += "; the last counted day, " + long_date(deadline.counted_to) + ", is " +
            (calendar.is_holiday(deadline.counted_to) ? "a City holiday" : "a weekend");
  }
  return text;
}

Deadline review_request_deadline(const ContestRules& rules, const BusinessCalendar& calendar,
                                 CivilDate issued_on, std::optional<CivilDate> notice_mailed_on) {
  Deadline after_issue =
      period(calendar, issued_on, rules.review_days_after_issue,
             days_after(rules.review_days_after_issue, "the issue date", "VC 40215(a)"));
  if (!notice_mailed_on) return after_issue;
  Deadline after_notice = period(calendar, *notice_mailed_on, rules.review_days_after_notice,
                                 days_after(rules.review_days_after_notice,
                                            "the delinquency notice was mailed", "VC 40215(a)"));
  return after_notice.last_day > after_issue.last_day ? after_notice : after_issue;
}

Deadline hearing_request_deadline(const ContestRules& rules, const BusinessCalendar& calendar,
                                  CivilDate review_decision_mailed_on) {
  return period(
      calendar, review_decision_mailed_on, rules.hearing_days_after_review,
      days_after(rules.hearing_days_after_review, "the review decision was mailed", "VC 40215(b)"));
}

Deadline court_appeal_deadline(const ContestRules& rules, const BusinessCalendar& calendar,
                               CivilDate hearing_decision_served_on) {
  return period(
      calendar, hearing_decision_served_on, rules.court_days_after_hearing,
      days_after(rules.court_days_after_hearing, "the hearing decision was served", "VC 40230"));
}

Result<void> check_on_time(const Deadline& deadline, CivilDate period_began, CivilDate acted_on,
                           std::string_view field) {
  if (acted_on < period_began)
    return fail(ErrorCode::kInvalidInput,
                std::string(field) + " " + acted_on.iso() + " is before the period began on " +
                    period_began.iso(),
                std::string(field));
  if (acted_on <= deadline.last_day) return {};
  return fail(ErrorCode::kUnprocessable,
              "too late: the deadline was " + long_date(deadline.last_day) + ", " + deadline.rule,
              std::string(field));
}

}  // namespace civicdesk::citations
