// Delinquency notices to the registered owner (VC 40215) as PDF letters (libharu), one page per
// notice, a whole print batch in one file.
//
// Each page: the City's name and the notice's reference at the top; the addressee's name and
// mailing address where a #10 window envelope shows it (0.9" from the left, 2" from the top of
// a letter folded in three); the citation (number, date and time, place, violation, plate);
// the money (fine, penalties, paid so far, amount due); the date by which to pay or request a
// review (deadlines.h: 14 days after this notice's mailing, or 21 after the issue date,
// whichever is later, moved off weekends and City holidays) with why it is that day; how to
// pay and how to contest.
//
// No remittance stub with a scanline: the scanline (remittance/scanline.h) carries a numeric
// 10-digit account that means "utility:N", and a citation's account is "plate:STATE:PLATE". The
// letter asks the owner to write the citation number on the check instead.
//
// Only base-14 Helvetica in WinAnsiEncoding (reports::to_win_ansi). Pure apart from memory:
// thread-safe, no I/O.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::citations {

struct NoticeLetter {
  std::string city_name;
  std::string reference;  // "Notice 12, batch 2026-11-26"
  CivilDate mailed_on;
  std::string addressee_name;
  std::vector<std::string> address_lines;  // at most 4 used: street, street 2, "CITY, ST ZIP"
  std::string citation_number;
  CivilDate issued_on;
  std::optional<int> issued_minute;  // minutes after midnight
  std::string location;
  std::string violation_code, violation_description;
  std::string plate_state, plate;
  Money fine;       // owed (after a reduction)
  Money penalties;  // late penalties posted
  Money amount_due;
  CivilDate respond_by;           // pay or request a review by the end of this day
  std::string respond_by_reason;  // deadlines.h describe()
};

struct NoticePdfOptions {
  bool compress = true;  // false: readable content streams (tests look for the text)
};

// One page per letter, in order. kInvalidInput (field "letters") for an empty batch; kInternal
// when libharu reports a failure (its error number).
[[nodiscard]] Result<std::string> notice_pdf(std::span<const NoticeLetter> letters,
                                             const NoticePdfOptions& options = {});

}  // namespace civicdesk::citations
