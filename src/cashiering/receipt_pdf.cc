// A receipt as a PDF (libharu): the receipt's own lines in Courier, so the PDF and the thermal
// print say the same thing. Base-14 font, WinAnsiEncoding (text converted from UTF-8).
#include <hpdf.h>

#include <memory>
#include <type_traits>

#include "cashiering/receipt.h"
#include "reports/statement_pdf.h"

namespace civicdesk::cashiering {
namespace {

// Layout in PDF points on US Letter; layout only, never money.
constexpr float kPageWidth = 612, kPageHeight = 792;
constexpr float kLeft = 72, kTop = 720, kLineHeight = 11, kFontSize = 9.5f;
constexpr std::size_t kLinesPerPage = 60;

struct HaruError {
  HPDF_STATUS error_no = 0;
};

void HPDF_STDCALL on_error(HPDF_STATUS error_no, HPDF_STATUS, void* user_data) {
  auto* e = static_cast<HaruError*>(user_data);
  if (e->error_no == 0) e->error_no = error_no;
}

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};

}  // namespace

Result<std::string> receipt_pdf(const ReceiptView& r) {
  HaruError err;
  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter> doc(HPDF_New(on_error, &err));
  if (!doc) return fail(ErrorCode::kInternal, "libharu could not start");
  HPDF_SetCompressionMode(doc.get(), HPDF_COMP_ALL);
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "civicdesk");
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, reports::to_win_ansi("Receipt " + r.label).c_str());
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
  if (err.error_no == 0) HPDF_SaveToStream(doc.get());
  if (err.error_no != 0)
    return fail(ErrorCode::kInternal, "could not draw the receipt PDF (libharu error " +
                                          std::to_string(err.error_no) + ")");
  std::string out(HPDF_GetStreamSize(doc.get()), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
  HPDF_ReadFromStream(doc.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
  out.resize(size);
  if (err.error_no != 0 || size == 0)
    return fail(ErrorCode::kInternal, "could not read the receipt PDF back from libharu");
  return out;
}

}  // namespace civicdesk::cashiering
