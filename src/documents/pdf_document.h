// What every PDF civicdesk prints (bills, notices, letters, receipts, statements) does with
// libharu around the drawing: a document that keeps its first error (libharu reports errors
// through a callback, not through return values), is freed when it goes out of scope, and is
// read back into bytes once drawn. One copy, so every document fails the same way and says
// which document it was.
#pragma once

#include <hpdf.h>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.h"

namespace civicdesk::documents {

struct HaruError {
  HPDF_STATUS error_no = 0;
  HPDF_STATUS detail_no = 0;
};

struct DocDeleter {
  void operator()(HPDF_Doc d) const { HPDF_Free(d); }
};
using PdfDoc = std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, DocDeleter>;

// A new document reporting into `error` (which must outlive it), made by civicdesk, with its
// title (UTF-8, printed in WinAnsi) and its content streams compressed unless `compress` is false
// (the tests read them). kInternal when libharu cannot start (out of memory).
[[nodiscard]] Result<PdfDoc> new_pdf(HaruError& error, const std::string& title,
                                     bool compress = true);

// The drawn document's bytes. kInternal naming `what` (e.g. "bill PDF") when drawing failed or
// the stream came back empty.
[[nodiscard]] Result<std::string> pdf_bytes(HPDF_Doc doc, const HaruError& error,
                                            std::string_view what);

}  // namespace civicdesk::documents
