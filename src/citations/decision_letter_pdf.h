// The decision letter of a contest (VC 40215 initial review, administrative hearing, VC 40230
// court appeal) as a one-page PDF (libharu), in the style of the delinquency notice
// (notice_pdf.h): the City's name, the addressee in the window-envelope position, the citation,
// the decision (upheld, dismissed, or reduced) with its reason, the day and who decided, the
// amount due now, and what the owner may do next: after a review that did not dismiss, request
// a hearing by its deadline (VC 40215(b)); after a hearing, appeal to court by its deadline
// (VC 40230).
//
// `decision_letter` builds the letter from a citation read with CitationBook::citation and one
// of its decision events; `decision_letter_pdf` draws it. Both pure: no I/O, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "citations/citation_book.h"
#include "citations/citation_rules.h"
#include "core/calendar.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::citations {

// The event names that are decisions (uphold_review, reduce_review, dismiss_on_review, the
// three at a hearing, the two in court).
bool is_decision_event(std::string_view event);

struct DecisionLetter {
  std::string city_name;
  std::string reference;  // "Citation 954556436, decision 3"
  std::string addressee_name;
  std::vector<std::string> address_lines;  // at most 4 used
  std::string citation_number;
  CivilDate issued_on;
  std::string violation_code, violation_description;
  std::string plate_state, plate;
  std::string stage;    // review | hearing | court
  std::string outcome;  // upheld | dismissed | reduced
  std::string reason;
  CivilDate decided_on;
  std::string decided_by;  // the name of who recorded the decision
  Money fine;              // the fine owed now (after any reduction)
  Money amount_due;        // fine and penalties still owed now
  // The next step's last day and why it is that day (deadlines.h describe()); absent after a
  // dismissal or a court decision.
  std::string next_step;  // "request an administrative hearing" | "appeal to the court"
  std::optional<CivilDate> next_by;
  std::string next_by_reason;
};

// `event_number` is the 1-based position of the event in ct.events (the order the citation
// page lists them); 0 picks the latest decision. kNotFound (field "event") when the citation
// has no decision or the event named is not one. `addressee_name` empty: "Registered owner of
// <STATE> <PLATE>".
[[nodiscard]] Result<DecisionLetter> decision_letter(const Citation& ct, std::size_t event_number,
                                                     const std::string& city_name,
                                                     const ContestRules& rules,
                                                     const BusinessCalendar& calendar,
                                                     const std::string& addressee_name,
                                                     const std::vector<std::string>& address_lines);

struct DecisionLetterPdfOptions {
  bool compress = true;  // false: readable content streams (tests look for the text)
};

// kInternal when libharu reports a failure (its error number).
[[nodiscard]] Result<std::string> decision_letter_pdf(const DecisionLetter& letter,
                                                      const DecisionLetterPdfOptions& options = {});

}  // namespace civicdesk::citations
