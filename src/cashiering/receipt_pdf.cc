// A receipt as a PDF (libharu): the receipt's own lines in Courier, so the PDF and the thermal
// print say the same thing. Base-14 font, WinAnsiEncoding (text converted from UTF-8).
#include <hpdf.h>

#include <memory>
#include <type_traits>

#include "cashiering/receipt.h"
#include "documents/pdf_document.h"
#include "reports/statement_pdf.h"

namespace civicdesk::cashiering {
namespace {

// Layout in PDF points on US Letter; layout only, never money.
constexpr float kPageWidth = 612, kPageHeight = 792;
constexpr float kLeft = 72, kTop = 720, kLineHeight = 11, kFontSize = 9.5f;
constexpr std::size_t kLinesPerPage = 60;

}  // namespace

Result<std::string> receipt_pdf(const ReceiptView& r) {
  using documents::HaruError, documents::PdfDoc, documents::new_pdf, documents::pdf_bytes;
  HaruError err;
  CD_ASSIGN(PdfDoc doc, new_pdf(err, "Receipt " + r.label));
  HPDF_Font font = HPDF_GetFont(doc.get(), "Courier", "WinAnsiEncoding");
  HPDF_Font bold = HPDF_GetFont(doc.get(), "Courier-Bold", "WinAnsiEncoding");
  auto lines = receipt_lines(r);
  HPDF_Page page = nullptr;
  float y = kTop;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i % kLinesPerPage == 0) {
      page = HPDF_AddPage(doc.get());
      HPDF_Page_SetWidth(page, kPageWidth);
      HPDF_Page_SetHeight(page, kPageHeight);
      y = kTop;
    }
    bool strong = i == 0 || lines[i].starts_with("TOTAL") || lines[i].starts_with("***");
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, strong ? bold : font, kFontSize);
    HPDF_Page_TextOut(page, kLeft, y, reports::to_win_ansi(lines[i]).c_str());
    HPDF_Page_EndText(page);
    y -= kLineHeight;
  }
  return pdf_bytes(doc.get(), err, "receipt PDF");
}

}  // namespace civicdesk::cashiering
