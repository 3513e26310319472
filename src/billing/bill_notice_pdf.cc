#include "billing/bill_notice_pdf.h"

#include <hpdf.h>

#include <memory>
#include <type_traits>

#include "documents/letter_page.h"
#include "reports/statement_pdf.h"

namespace civicdesk::billing {
namespace {

using namespace documents::letter;  // the page, its constants and libharu helpers

constexpr float kDueX = 330;

std::string phone_or_office(const BillNoticeLetter& n) {
  return n.contact.phone.empty() ? "the utility billing office" : n.contact.phone;
}

void header(Page& p, const BillNoticeLetter& n) {
  float y = kPageHeight - 56;
  p.text(true, 14, kLeft, y, n.city_name);
  if (!n.contact.office.empty()) p.text(false, kBody, kLeft, y - 13, n.contact.office);
  // The contact block, right-aligned above the window.
  std::vector<std::string> lines = n.contact.address;
  if (!n.contact.phone.empty()) lines.push_back("Phone " + n.contact.phone);
  if (!n.contact.email.empty()) lines.push_back(n.contact.email);
  if (!n.contact.hours.empty()) lines.push_back(n.contact.hours);
  for (const auto& line : lines) {
    p.right(false, kSmall, kRight, y, line);
    y -= 10;
  }
}

// The items past due and their total; returns the y below.
float items(Page& p, const BillNoticeLetter& n, float y) {
  p.text(true, kBody, kLeft, y, "Past due");
  p.text(true, kBody, kDueX, y, "Due date");
  p.right(true, kBody, kMoneyRight, y, "Amount");
  y -= 4;
  p.rule(y);
  const std::size_t shown = std::min(n.items.size(), kMaxNoticeItemsPrinted);
  // When there are more than fit, the oldest are summed on one line first.
  Money earlier;
  const std::size_t folded = n.items.size() - shown;
  for (std::size_t i = 0; i < folded; ++i)
    earlier = earlier.add(n.items[i].amount).value_or(earlier);
  if (folded > 0) {
    y -= kLine;
    p.text(false, kBody, kLeft, y, "and " + std::to_string(folded) + " earlier items");
    p.right(false, kBody, kMoneyRight, y, format_money(earlier));
  }
  for (std::size_t i = folded; i < n.items.size(); ++i) {
    const NoticeItem& item = n.items[i];
    y -= kLine;
    p.text(false, kBody, kLeft, y, item.description);
    p.text(false, kBody, kDueX, y, item.due_date.iso());
    p.right(false, kBody, kMoneyRight, y, format_money(item.amount));
  }
  y -= 6;
  p.rule(y);
  y -= kLine;
  p.text(true, kBody, kDueX, y, "TOTAL PAST DUE");
  p.right(true, kBody, kMoneyRight, y, format_money(n.past_due));
  return y - kLine;
}

float how_to_pay(Page& p, const BillNoticeLetter& n, float y) {
  y -= 8;
  p.text(true, kBody, kLeft, y, "How to pay");
  y -= kLine;
  std::string ways = "Pay the total past due";
  if (!n.contact.pay_url.empty()) ways += " online at " + n.contact.pay_url + ",";
  ways += " in person at the City's customer service counter (cash, check, money order, card)";
  if (!n.contact.remit_to.empty()) {
    ways += ", or by mail to";
    for (const auto& line : n.contact.remit_to) ways += " " + line;
  }
  ways += ". Write account number " + std::to_string(n.account_number) +
          " on your check. If you have already paid, thank you: please disregard this notice.";
  return p.paragraph(y, kRight - kLeft, ways);
}

void draw_late(Page& p, const BillNoticeLetter& n) {
  float y = kPageHeight - 262;
  p.text(true, 12, kLeft, y, "LATE NOTICE - YOUR UTILITY BILL IS PAST DUE");
  p.right(false, kSmall, kRight, y, n.reference);
  y -= kLine + 2;
  p.text(false, kBody, kLeft, y, "Account " + std::to_string(n.account_number));
  p.right(false, kBody, kRight, y, "Mailed " + n.mailed_on.iso());
  y -= kLine;
  p.text(false, kBody, kLeft, y, "Service address: " + n.service_address);
  y -= kLine + 8;
  y = items(p, n, y);
  y = p.paragraph(y, kRight - kLeft,
                  "Our records show the amount above was not paid by its due date. Late "
                  "penalties may be added to what is left unpaid, and water service to a "
                  "property whose bill stays unpaid may be shut off after written notice. If you "
                  "cannot pay in full, call " +
                      phone_or_office(n) + " to ask about a payment arrangement.");
  how_to_pay(p, n, y);
}

void draw_shutoff(Page& p, const BillNoticeLetter& n) {
  float y = kPageHeight - 262;
  p.text(true, 12, kLeft, y, "SHUT-OFF NOTICE - WATER SERVICE DISCONNECTION");
  p.right(false, kSmall, kRight, y, n.reference);
  y -= kLine + 2;
  p.text(false, kBody, kLeft, y, "Account " + std::to_string(n.account_number));
  p.right(false, kBody, kRight, y, "Mailed " + n.mailed_on.iso());
  y -= kLine;
  p.text(false, kBody, kLeft, y, "Service address: " + n.service_address);
  y -= kLine + 8;
  y = items(p, n, y);
  y -= 6;
  p.text(true, 13, kLeft, y,
         "Water service will be shut off on or after " + (n.shutoff_on ? n.shutoff_on->iso() : ""));
  y -= kLine + 2;
  p.text(true, kBody, kLeft, y,
         "unless the total past due is paid or one of the steps below is taken.");
  y -= kLine + 4;
  p.text(true, kBody, kLeft, y, "What stops the shut-off");
  y -= kLine;
  const std::string call = "call " + phone_or_office(n);
  y = p.paragraph(y, kRight - kLeft, "- Pay the total past due before that date.");
  y = p.paragraph(y, kRight - kLeft,
                  "- Ask for a payment arrangement (an alternative payment schedule, an amortized "
                  "plan or a reduced balance where you qualify): " +
                      call + ".");
  y = p.paragraph(y, kRight - kLeft,
                  "- Medical: a physician's certificate that a shut-off would endanger the life "
                  "or health of someone living at the property, with a statement that you cannot "
                  "pay within the billing cycle: " +
                      call + ".");
  y = p.paragraph(y, kRight - kLeft,
                  "- Dispute the bill: contest or appeal it in writing or by phone before that "
                  "date; service is not shut off while your dispute is being reviewed: " +
                      call + ".");
  y = p.paragraph(y, kRight - kLeft,
                  "California law (Health and Safety Code 116908, SB 998) does not allow "
                  "residential water service to be shut off until a payment has been delinquent "
                  "for at least 60 days, and requires this written notice at least 7 business "
                  "days before. Restoring service after a shut-off may carry a reconnection fee.");
  how_to_pay(p, n, y);
}

}  // namespace

Result<std::string> render_bill_notices_pdf(std::span<const BillNoticeLetter> letters,
                                            const BillNoticePdfOptions& options) {
  if (letters.empty()) return fail(Error::invalid("letters", "a notice batch has no notices"));
  if (letters.size() > kMaxNoticesPerPdf)
    return fail(Error::invalid("letters", "a notice batch prints at most " +
                                              std::to_string(kMaxNoticesPerPdf) + " notices"));
  HaruError err;
  CD_ASSIGN(PdfDoc doc,
            new_pdf(err, "Utility notices " + letters.front().mailed_on.iso(), options.compress));
  HPDF_Font regular = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(doc.get(), "Helvetica-Bold", "WinAnsiEncoding");
  for (const BillNoticeLetter& n : letters) {
    if (err.error_no != 0) break;
    Page page(doc.get(), regular, bold);
    header(page, n);
    page.address(n.addressee_name, n.address_lines);
    if (n.kind == "shutoff") {
      draw_shutoff(page, n);
    } else {
      draw_late(page, n);
    }
  }
  return pdf_bytes(doc.get(), err, "notice PDF");
}

}  // namespace civicdesk::billing
