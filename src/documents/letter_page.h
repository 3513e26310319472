// The page of a letter — the citations' delinquency notice and decision letter, utility
// billing's late and shut-off notices: US Letter, the #10 window-envelope address block, and the
// few drawing steps every letter uses. One copy, so the letters keep the same margins and the
// same text wrapping. (Moved here from citations/ when billing's notices came to share it.)
#pragma once

#include <hpdf.h>

#include <cstddef>
#include <string>
#include <vector>

#include "documents/pdf_document.h"
#include "reports/statement_pdf.h"

namespace civicdesk::documents::letter {

// Layout in PDF points (1/72 inch) on US Letter; layout only, never money.
inline constexpr float kPageWidth = 612, kPageHeight = 792;
inline constexpr float kLeft = 64, kRight = 548;
// The window of a #10 envelope shows a block 0.9" from the left and 2" to 3" from the top.
inline constexpr float kAddressX = 65, kAddressTop = kPageHeight - 144;
inline constexpr float kBody = 10, kSmall = 8.5f, kLine = 13;
inline constexpr float kMoneyLabelX = 330, kMoneyRight = kRight;
inline constexpr std::size_t kMaxAddressLines = 4;

// The document around the pages (documents/pdf_document.h), for the letters' `using namespace`.
using documents::HaruError, documents::PdfDoc, documents::new_pdf, documents::pdf_bytes;

class Page {
 public:
  Page(HPDF_Doc doc, HPDF_Font regular, HPDF_Font bold)
      : page_(HPDF_AddPage(doc)), regular_(regular), bold_(bold) {
    HPDF_Page_SetWidth(page_, kPageWidth);
    HPDF_Page_SetHeight(page_, kPageHeight);
  }

  void text(bool strong, float size, float x, float y, const std::string& s) {
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, strong ? bold_ : regular_, size);
    HPDF_Page_TextOut(page_, x, y, reports::to_win_ansi(s).c_str());
    HPDF_Page_EndText(page_);
  }
  void right(bool strong, float size, float x_right, float y, const std::string& s) {
    const std::string t = reports::to_win_ansi(s);
    HPDF_Page_SetFontAndSize(page_, strong ? bold_ : regular_, size);
    const float w = HPDF_Page_TextWidth(page_, t.c_str());
    text(strong, size, x_right - w, y, s);
  }
  // The addressee in bold and up to kMaxAddressLines non-empty lines, where the window of a #10
  // envelope shows them.
  void address(const std::string& name, const std::vector<std::string>& lines) {
    float y = kAddressTop;
    text(true, kBody, kAddressX, y, name);
    std::size_t shown = 0;
    for (const auto& line : lines) {
      if (line.empty() || shown == kMaxAddressLines) continue;
      y -= kLine;
      text(false, kBody, kAddressX, y, line);
      ++shown;
    }
  }
  void rule(float y) {
    HPDF_Page_SetLineWidth(page_, 0.5f);
    HPDF_Page_MoveTo(page_, kLeft, y);
    HPDF_Page_LineTo(page_, kRight, y);
    HPDF_Page_Stroke(page_);
  }
  // Left-aligned words wrapped to `width`; returns the y below the last line. A reason is free
  // text of any length, so it wraps rather than runs off the page.
  float paragraph(float y, float width, const std::string& s, float size = kSmall) {
    std::string line, word;
    auto flush_word = [&] {
      if (word.empty()) return;
      std::string candidate = line.empty() ? word : line + " " + word;
      HPDF_Page_SetFontAndSize(page_, regular_, size);
      if (!line.empty() &&
          HPDF_Page_TextWidth(page_, reports::to_win_ansi(candidate).c_str()) > width) {
        text(false, size, kLeft, y, line);
        y -= kLine - 2;
        line = word;
      } else {
        line = candidate;
      }
      word.clear();
    };
    for (char ch : s) {
      if (ch == ' ' || ch == '\n') {
        flush_word();
      } else {
        word += ch;
      }
    }
    flush_word();
    if (!line.empty()) {
      text(false, size, kLeft, y, line);
      y -= kLine - 2;
    }
    return y;
  }

 private:
  HPDF_Page page_;
  HPDF_Font regular_, bold_;
};

}  // namespace civicdesk::documents::letter
