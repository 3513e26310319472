#include "citations/notice_pdf.h"

#include <hpdf.h>

#include <cstdio>
#include <memory>
#include <type_traits>

#include "documents/letter_page.h"
#include "reports/statement_pdf.h"

namespace civicdesk::citations {
namespace {

using namespace documents::letter;  // the page, its constants and libharu helpers

std::string time_text(const NoticeLetter& n) {
  if (!n.issued_minute) return n.issued_on.iso();
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d", *n.issued_minute / 60, *n.issued_minute % 60);
  return n.issued_on.iso() + buf;
}

void money_row(Page& p, float y, const std::string& label, Money m, bool strong) {
  p.text(strong, kBody, kMoneyLabelX, y, label);
  p.right(strong, kBody, kMoneyRight, y, format_money(m));
}

void draw(Page& p, const NoticeLetter& n) {
  float y = kPageHeight - 56;
  p.text(true, 14, kLeft, y, n.city_name);
  p.right(false, kSmall, kRight, y, n.reference);
  y -= 16;
  p.text(true, 11, kLeft, y, "NOTICE OF DELINQUENT PARKING VIOLATION");
  p.right(false, kSmall, kRight, y, "Mailed " + n.mailed_on.iso());
  y -= 12;
  p.text(false, kSmall, kLeft, y, "To the registered owner (California Vehicle Code 40215)");

  p.address(n.addressee_name, n.address_lines);

  y = kPageHeight - 262;
  p.rule(y + 14);
  p.text(true, kBody, kLeft, y, "Citation " + n.citation_number);
  money_row(p, y, "Fine", n.fine, false);
  y -= kLine;
  p.text(false, kBody, kLeft, y, "Issued " + time_text(n));
  money_row(p, y, "Late penalties", n.penalties, false);
  y -= kLine;
  p.text(false, kBody, kLeft, y, "At " + n.location);
  auto owed = n.fine.add(n.penalties);
  auto paid = owed ? owed->sub(n.amount_due) : owed;
  if (paid && paid->is_positive()) money_row(p, y, "Paid so far", *paid, false);
  y -= kLine;
  p.text(false, kBody, kLeft, y,
         "Violation " + n.violation_code +
             (n.violation_description.empty() ? "" : " - " + n.violation_description));
  money_row(p, y, "AMOUNT DUE", n.amount_due, true);
  y -= kLine;
  p.text(false, kBody, kLeft, y, "Vehicle plate " + n.plate_state + " " + n.plate);
  y -= 10;
  p.rule(y);

  y -= 22;
  p.text(true, 11, kLeft, y, "Pay or request a review by " + n.respond_by.iso());
  y -= kLine;
  y = p.paragraph(y, kRight - kLeft, "(" + n.respond_by_reason + ")");
  y = p.paragraph(y, kRight - kLeft,
                  "If the amount due is not paid and no review is requested by that day, the "
                  "citation becomes delinquent: more late penalties are added, a hold may be "
                  "placed on the vehicle's registration with the DMV, and the debt may be "
                  "referred to collections.");

  y -= 12;
  p.text(true, kBody, kLeft, y, "How to pay");
  y -= kLine;
  y = p.paragraph(y, kRight - kLeft,
                  "In person at the City's customer service counter (cash, check, money order, "
                  "card), or by mail: a check or money order payable to " +
                      n.city_name + ", with the citation number " + n.citation_number +
                      " written on it. Do not mail cash. One payment may pay several citations "
                      "of the same plate.");
  y = p.paragraph(y, kRight - kLeft,
                  "If you cannot afford to pay, ask about an indigent payment plan (California "
                  "Vehicle Code 40220): monthly installments, with late fees waived while the "
                  "plan is kept.");

  y -= 12;
  p.text(true, kBody, kLeft, y, "How to contest");
  y -= kLine;
  y = p.paragraph(y, kRight - kLeft,
                  "Request a free initial review, in writing, in person or by mail, by the date "
                  "above, and say why the citation should be cancelled. If the review upholds "
                  "it, you may request an administrative hearing within 21 days of the review "
                  "decision; a hearing may require the amount due to be deposited first. Late "
                  "penalties do not accrue while a contest is pending.");
  y = p.paragraph(y, kRight - kLeft,
                  "If this vehicle was sold or transferred before the citation was issued, tell "
                  "us with the date and the buyer's name and address.");
}

}  // namespace

Result<std::string> notice_pdf(std::span<const NoticeLetter> letters,
                               const NoticePdfOptions& options) {
  if (letters.empty()) return fail(Error::invalid("letters", "a notice batch has no notices"));
  HaruError err;
  CD_ASSIGN(PdfDoc doc, new_pdf(err, "Delinquency notices " + letters.front().mailed_on.iso(),
                                options.compress));
  HPDF_Font regular = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(doc.get(), "Helvetica-Bold", "WinAnsiEncoding");
  for (const NoticeLetter& n : letters) {
    if (err.error_no != 0) break;
    Page page(doc.get(), regular, bold);
    draw(page, n);
  }
  return pdf_bytes(doc.get(), err, "notice PDF");
}

}  // namespace civicdesk::citations
