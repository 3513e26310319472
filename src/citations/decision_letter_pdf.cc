#include "citations/decision_letter_pdf.h"

#include <hpdf.h>

#include <memory>
#include <type_traits>

#include "citations/deadlines.h"
#include "documents/letter_page.h"
#include "reports/statement_pdf.h"

namespace civicdesk::citations {
namespace {

using namespace documents::letter;  // the page, its constants and libharu helpers

struct DecisionKind {
  std::string_view event, stage, outcome;
};
constexpr DecisionKind kDecisions[] = {
    {"uphold_review", "review", "upheld"},        {"reduce_review", "review", "reduced"},
    {"dismiss_on_review", "review", "dismissed"}, {"uphold_at_hearing", "hearing", "upheld"},
    {"reduce_at_hearing", "hearing", "reduced"},  {"dismiss_at_hearing", "hearing", "dismissed"},
    {"uphold_in_court", "court", "upheld"},       {"dismiss_in_court", "court", "dismissed"},
};

const DecisionKind* kind_of(std::string_view event) {
  for (const auto& k : kDecisions)
    if (k.event == event) return &k;
  return nullptr;
}

std::string stage_title(const std::string& stage) {
  if (stage == "hearing") return "NOTICE OF ADMINISTRATIVE HEARING DECISION";
  if (stage == "court") return "NOTICE OF COURT DECISION";
  return "NOTICE OF INITIAL REVIEW DECISION";
}

std::string decision_line(const DecisionLetter& l) {
  if (l.outcome == "dismissed") return "Decision: DISMISSED - the citation is cancelled";
  if (l.outcome == "reduced") return "Decision: REDUCED - the fine is now " + format_money(l.fine);
  return "Decision: UPHELD - the citation stands";
}

void draw(Page& p, const DecisionLetter& l) {
  float y = kPageHeight - 56;
  p.text(true, 14, kLeft, y, l.city_name);
  p.right(false, kSmall, kRight, y, l.reference);
  y -= 16;
  p.text(true, 11, kLeft, y, stage_title(l.stage));
  p.right(false, kSmall, kRight, y, "Decided " + l.decided_on.iso());
  y -= 12;
  p.text(false, kSmall, kLeft, y, "Parking citation contest (California Vehicle Code 40215)");

  p.address(l.addressee_name, l.address_lines);

  y = kPageHeight - 262;
  p.rule(y + 14);
  p.text(true, kBody, kLeft, y, "Citation " + l.citation_number);
  p.text(false, kBody, kMoneyLabelX, y, "Fine owed");
  p.right(false, kBody, kMoneyRight, y, format_money(l.fine));
  y -= kLine;
  p.text(false, kBody, kLeft, y, "Issued " + l.issued_on.iso());
  p.text(true, kBody, kMoneyLabelX, y, "AMOUNT DUE NOW");
  p.right(true, kBody, kMoneyRight, y, format_money(l.amount_due));
  y -= kLine;
  p.text(false, kBody, kLeft, y,
         "Violation " + l.violation_code +
             (l.violation_description.empty() ? "" : " - " + l.violation_description));
  y -= kLine;
  p.text(false, kBody, kLeft, y, "Vehicle plate " + l.plate_state + " " + l.plate);
  y -= 10;
  p.rule(y);

  y -= 22;
  p.text(true, 12, kLeft, y, decision_line(l));
  y -= kLine + 2;
  p.text(false, kBody, kLeft, y,
         "Decided on " + l.decided_on.iso() + " by " +
             (l.decided_by.empty() ? std::string("the City") : l.decided_by));
  y -= kLine + 4;
  p.text(true, kBody, kLeft, y, "Reason for the decision");
  y -= kLine;
  y = p.paragraph(y, kRight - kLeft, l.reason, kBody);

  y -= 12;
  p.text(true, kBody, kLeft, y, "What happens next");
  y -= kLine;
  if (l.outcome == "dismissed") {
    y = p.paragraph(y, kRight - kLeft,
                    "The citation is cancelled: nothing more is owed for it. Any amount you "
                    "deposited for it stays on your account as a credit; ask the City's customer "
                    "service counter for a refund.");
    return;
  }
  if (l.amount_due.is_positive())
    y = p.paragraph(y, kRight - kLeft,
                    "Pay the amount due at the City's customer service counter or by mail, with "
                    "the citation number " +
                        l.citation_number + " written on the check.");
  if (l.next_by) {
    p.text(true, 11, kLeft, y - 4, "To " + l.next_step + ", do so by " + l.next_by->iso());
    y -= kLine + 4;
    y = p.paragraph(y, kRight - kLeft, "(" + l.next_by_reason + ")");
    if (l.stage == "review")
      y = p.paragraph(y, kRight - kLeft,
                      "Request the hearing in writing, in person or by mail (California Vehicle "
                      "Code 40215(b)); the hearing may require the amount due to be deposited "
                      "first unless you cannot afford it.");
    else
      y = p.paragraph(y, kRight - kLeft,
                      "File the appeal with the superior court (California Vehicle Code 40230) "
                      "and tell the City, with the date it was filed.");
  } else {
    y = p.paragraph(y, kRight - kLeft, "This decision is final.");
  }
}

}  // namespace

bool is_decision_event(std::string_view event) {
  return kind_of(event) != nullptr;
}

Result<DecisionLetter> decision_letter(const Citation& ct, std::size_t event_number,
                                       const std::string& city_name, const ContestRules& rules,
                                       const BusinessCalendar& calendar,
                                       const std::string& addressee_name,
                                       const std::vector<std::string>& address_lines) {
  const std::string& number = ct.record.citation_number;
  std::size_t index = ct.events.size();  // none
  if (event_number == 0) {
    for (std::size_t i = ct.events.size(); i-- > 0;)
      if (is_decision_event(ct.events[i].event)) {
        index = i;
        break;
      }
    if (index == ct.events.size())
      return fail(ErrorCode::kNotFound, "citation " + number + " has no decision yet", "event");
  } else {
    if (event_number > ct.events.size() || !is_decision_event(ct.events[event_number - 1].event))
      return fail(
          ErrorCode::kNotFound,
          "event " + std::to_string(event_number) + " of citation " + number + " is not a decision",
          "event");
    index = event_number - 1;
  }
  const CitationEventRecord& e = ct.events[index];
  const DecisionKind& k = *kind_of(e.event);

  DecisionLetter l;
  l.city_name = city_name;
  l.reference = "Citation " + number + ", event " + std::to_string(index + 1);
  l.addressee_name = addressee_name.empty()
                         ? "Registered owner of " + ct.record.plate_state + " " + ct.record.plate
                         : addressee_name;
  l.address_lines = address_lines;
  l.citation_number = number;
  l.issued_on = ct.record.issued_on;
  l.violation_code = ct.record.violation_code;
  l.plate_state = ct.record.plate_state;
  l.plate = ct.record.plate;
  l.stage = std::string(k.stage);
  l.outcome = std::string(k.outcome);
  l.reason = e.reason;
  CD_ASSIGN(l.decided_on, parse_date(e.event_on, "event_on"));
  l.decided_by = e.actor_name;
  l.fine = l.outcome == "dismissed" ? Money{} : ct.fine;
  l.amount_due = ct.amount_due;
  if (l.outcome != "dismissed" && l.stage != "court") {
    // The period runs from the decision's mailing; the letter is mailed on the decision day, as
    // CitationBook counts it (decision_on).
    const Deadline d = l.stage == "review" ? hearing_request_deadline(rules, calendar, l.decided_on)
                                           : court_appeal_deadline(rules, calendar, l.decided_on);
    l.next_step = l.stage == "review" ? "request an administrative hearing" : "appeal to the court";
    l.next_by = d.last_day;
    l.next_by_reason = describe(d, calendar);
  }
  return l;
}

Result<std::string> decision_letter_pdf(const DecisionLetter& letter,
                                        const DecisionLetterPdfOptions& options) {
  HaruError err;
  CD_ASSIGN(PdfDoc doc,
            new_pdf(err, "Decision letter, citation " + letter.citation_number, options.compress));
  HPDF_Font regular = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(doc.get(), "Helvetica-Bold", "WinAnsiEncoding");
  if (err.error_no == 0) {
    Page page(doc.get(), regular, bold);
    draw(page, letter);
  }
  return pdf_bytes(doc.get(), err, "decision letter PDF");
}

}  // namespace civicdesk::citations
