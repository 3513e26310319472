#include "documents/pdf_document.h"

#include "reports/statement_pdf.h"

namespace civicdesk::documents {
namespace {

void HPDF_STDCALL keep_first_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* e = static_cast<HaruError*>(user_data);
  if (e->error_no == 0) *e = {error_no, detail_no};
}

}  // namespace

Result<PdfDoc> new_pdf(HaruError& error, const std::string& title, bool compress) {
  PdfDoc doc(HPDF_New(keep_first_error, &error));
  if (!doc) return fail(ErrorCode::kInternal, "could not start a PDF (out of memory)");
  HPDF_SetCompressionMode(doc.get(), compress ? HPDF_COMP_ALL : HPDF_COMP_NONE);
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_CREATOR, "civicdesk");
  HPDF_SetInfoAttr(doc.get(), HPDF_INFO_TITLE, reports::to_win_ansi(title).c_str());
  return doc;
}

Result<std::string> pdf_bytes(HPDF_Doc doc, const HaruError& error, std::string_view what) {
  if (error.error_no == 0) HPDF_SaveToStream(doc);
  if (error.error_no != 0)
    return fail(ErrorCode::kInternal, "could not draw the " + std::string(what) +
                                          " (libharu error " + std::to_string(error.error_no) +
                                          ", detail " + std::to_string(error.detail_no) + ")");
  std::string out(HPDF_GetStreamSize(doc), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
  HPDF_ReadFromStream(doc, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
  out.resize(size);
  if (error.error_no != 0 || size == 0)
    return fail(ErrorCode::kInternal,
                "could not read the " + std::string(what) + " back from libharu");
  return out;
}

}  // namespace civicdesk::documents
