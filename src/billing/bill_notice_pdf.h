// Utility late notices and shut-off (disconnection) notices as PDF letters (libharu), one page
// per notice, a whole print batch in one file. The page is the shared letter page
// (documents/letter_page.h): the addressee where a #10 window envelope shows it.
//
// Each page: the City's name and office with its contact block (address, phone, email, hours,
// pay page); the notice's title and reference; the addressee; the account number and service
// address; the items past due (bills and late penalties, each with its due date and amount) and
// the total past due; how to pay (the pay page, the counter, the remit-to address). A shut-off
// notice also prints the shut-off date in bold and what stops it — paying the past-due balance,
// a payment arrangement, a physician's certificate (medical), a dispute — each "call <phone>",
// and the SB 998 basis (Health and Safety Code 116908).
//
// Only base-14 Helvetica in WinAnsiEncoding (reports::to_win_ansi). Pure apart from memory:
// thread-safe, no I/O. Deterministic: the same letters give the same bytes (no creation date).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "city/city_config.h"
#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::billing {

// A batch prints at most this many notices (one file for the print shop).
inline constexpr std::size_t kMaxNoticesPerPdf = 10'000;
// Items listed on one letter; more are summed into one "and N earlier items" line.
inline constexpr std::size_t kMaxNoticeItemsPrinted = 12;

struct NoticeItem {
  std::optional<std::int64_t> bill_id;  // none: a late penalty or another charge
  std::string description;
  CivilDate due_date;
  Money amount;  // the balance left on it when the notice was written
};

struct BillNoticeLetter {
  std::string kind;  // late | shutoff
  std::string city_name;
  CityContact contact;
  std::string reference;  // "Notice 12, batch 2026-11-26"
  CivilDate mailed_on;
  std::string addressee_name;
  std::vector<std::string> address_lines;  // at most 4 printed
  std::int64_t account_number = 0;
  std::string service_address;
  std::vector<NoticeItem> items;
  Money past_due;
  std::optional<CivilDate> shutoff_on;  // shut-off notices
};

struct BillNoticePdfOptions {
  bool compress = true;  // false: readable content streams (tests look for the text)
};

// One page per letter, in order. kInvalidInput (field "letters") for an empty batch or more than
// kMaxNoticesPerPdf; kInternal when libharu reports a failure (its error number).
[[nodiscard]] Result<std::string> render_bill_notices_pdf(std::span<const BillNoticeLetter> letters,
                                                          const BillNoticePdfOptions& options = {});

}  // namespace civicdesk::billing
