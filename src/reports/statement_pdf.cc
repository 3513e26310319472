#include "reports/statement_pdf.h"

#include <hpdf.h>

#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "documents/pdf_document.h"

namespace civicdesk::reports {
namespace {

// Layout in PDF points (1/72 inch) on US Letter; layout only, never money.
constexpr float kPageWidth = 612, kPageHeight = 792;
constexpr float kLeft = 48, kRight = 564, kTop = 744, kBottom = 60;
constexpr float kRowHeight = 13, kTableFontSize = 8.5f;
// Table columns: left edges of the text columns, right edges of the money columns.
constexpr float kDateX = kLeft, kEntryX = 102, kDetailX = 150, kDetailWidth = 222;
constexpr float kChargesRight = 436, kPaymentsRight = 500, kBalanceRight = kRight;

constexpr std::array<std::pair<std::uint32_t, unsigned char>, 27> kWinAnsiExtras = {{
    {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85}, {0x2020, 0x86},
    {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A}, {0x2039, 0x8B}, {0x0152, 0x8C},
    {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95},
    {0x2013, 0x96}, {0x2014, 0x97}, {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B},
    {0x0153, 0x9C}, {0x017E, 0x9E}, {0x0178, 0x9F},
}};
constexpr std::uint32_t kMalformed = 0xFFFFFFFF;

// Decodes the code point at s[i] and advances i; kMalformed for bad or overlong UTF-8.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t len = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return kMalformed;
  }
  std::uint32_t cp = len == 1 ? c : c & (0x7Fu >> len);
  for (std::size_t k = 1; k < len; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return kMalformed;
    }
    cp = (cp << 6) | (cc & 0x3Fu);
  }
  i += len;
  static constexpr std::array<std::uint32_t, 5> kSmallest = {0, 0, 0x80, 0x800, 0x10000};
  return cp < kSmallest[len] || cp > 0x10FFFF ? kMalformed : cp;
}

char win_ansi_char(std::uint32_t cp) {
  if (cp == kMalformed) return '?';
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return ' ';
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<char>(cp);
  for (const auto& [from, to] : kWinAnsiExtras)
    if (from == cp) return static_cast<char>(to);
  return '?';
}

using documents::HaruError;
using Doc = documents::PdfDoc;

// Draws one statement; every drawing call goes through here so page breaks are in one place.
class Renderer {
 public:
  Renderer(const Statement& s, HPDF_Doc doc) : s_(s), doc_(doc) {
    regular_ = HPDF_GetFont(doc, "Helvetica", "WinAnsiEncoding");
    bold_ = HPDF_GetFont(doc, "Helvetica-Bold", "WinAnsiEncoding");
  }

  void render() {
    new_page();
    heading();
    summary_row("Opening balance on " + s_.from.iso(), s_.opening_balance);
    y_ -= 6;
    table_header();
    for (const auto& line : s_.lines) entry_row(line);
    if (s_.lines.empty()) text(regular_, kTableFontSize, kDetailX, "No activity in this period.");
    if (s_.lines.empty()) y_ -= kRowHeight;
    closing();
    aging();
    footers();
  }

 private:
  void new_page() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetWidth(page_, kPageWidth);
    HPDF_Page_SetHeight(page_, kPageHeight);
    pages_.push_back(page_);
    y_ = kTop;
  }

  // Starts a new page (repeating the table header inside the table) unless `height` fits.
  void need(float height, bool in_table) {
    if (y_ - height >= kBottom) return;
    new_page();
    text(bold_, 10, kLeft,
         s_.party_name + " - statement " + s_.from.iso() + " to " + s_.to.iso() + " (continued)");
    y_ -= 20;
    if (in_table) table_header();
  }

  void text(HPDF_Font font, float size, float x, const std::string& utf8) {
    std::string t = to_win_ansi(utf8);
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font, size);
    HPDF_Page_TextOut(page_, x, y_, t.c_str());
    HPDF_Page_EndText(page_);
  }

  void right(HPDF_Font font, float size, float right_edge, const std::string& utf8) {
    std::string t = to_win_ansi(utf8);
    HPDF_Page_SetFontAndSize(page_, font, size);
    float w = HPDF_Page_TextWidth(page_, t.c_str());
    HPDF_Page_BeginText(page_);
    HPDF_Page_TextOut(page_, right_edge - w, y_, t.c_str());
    HPDF_Page_EndText(page_);
  }

  // `utf8` cut (with "...") to fit `width` in the table font.
  std::string fit(const std::string& utf8, float width) {
    std::string t = to_win_ansi(utf8);
    HPDF_Page_SetFontAndSize(page_, regular_, kTableFontSize);
    if (HPDF_Page_TextWidth(page_, t.c_str()) <= width) return t;
    while (!t.empty() && HPDF_Page_TextWidth(page_, (t + "...").c_str()) > width) t.pop_back();
    return t + "...";
  }

  void rule(float thickness) {
    HPDF_Page_SetLineWidth(page_, thickness);
    HPDF_Page_MoveTo(page_, kLeft, y_);
    HPDF_Page_LineTo(page_, kRight, y_);
    HPDF_Page_Stroke(page_);
  }

  void heading() {
    text(bold_, 16, kLeft, s_.city_name);
    right(bold_, 14, kRight, "Statement of Account");
    y_ -= 18;
    right(regular_, 10, kRight, s_.from.iso() + " to " + s_.to.iso());
    y_ -= 28;
    text(bold_, 11, kLeft, s_.party_name);
    right(regular_, 10, kRight, "Customer no. " + std::to_string(s_.party_id));
    for (const auto& line : s_.address_lines) {
      y_ -= 14;
      text(regular_, 10, kLeft, line);
    }
    y_ -= 30;
  }

  void summary_row(const std::string& label, Money amount) {
    need(kRowHeight * 2, false);
    text(bold_, 10, kLeft, label);
    right(bold_, 10, kBalanceRight, format_money(amount));
    y_ -= kRowHeight + 4;
  }

  void table_header() {
    text(bold_, kTableFontSize, kDateX, "Date");
    text(bold_, kTableFontSize, kEntryX, "Entry");
    text(bold_, kTableFontSize, kDetailX, "Description");
    right(bold_, kTableFontSize, kChargesRight, "Charges");
    right(bold_, kTableFontSize, kPaymentsRight, "Payments");
    right(bold_, kTableFontSize, kBalanceRight, "Balance");
    y_ -= 4;
    rule(0.5f);
    y_ -= kRowHeight - 2;
  }

  void entry_row(const StatementLine& l) {
    need(kRowHeight, true);
    // Memos often start with the kind already ("Payment of $40.00 ..."): say it once.
    std::string detail = l.memo.starts_with(l.description) ? l.memo : l.description + ": " + l.memo;
    if (l.memo.empty()) detail = l.description;
    text(regular_, kTableFontSize, kDateX, l.posting_date.iso());
    text(regular_, kTableFontSize, kEntryX, std::to_string(l.entry_id));
    text(regular_, kTableFontSize, kDetailX, fit(detail, kDetailWidth));
    if (!l.charges.is_zero())
      right(regular_, kTableFontSize, kChargesRight, format_money(l.charges));
    if (!l.payments.is_zero())
      right(regular_, kTableFontSize, kPaymentsRight, format_money(l.payments));
    right(regular_, kTableFontSize, kBalanceRight, format_money(l.balance));
    y_ -= kRowHeight;
  }

  void closing() {
    need(kRowHeight * 4, false);
    rule(0.5f);
    y_ -= kRowHeight;
    text(regular_, kTableFontSize, kDetailX, "Totals for the period");
    right(regular_, kTableFontSize, kChargesRight, format_money(s_.total_charges));
    right(regular_, kTableFontSize, kPaymentsRight, format_money(s_.total_payments));
    y_ -= kRowHeight + 8;
    summary_row("Closing balance on " + s_.to.iso(), s_.closing_balance);
    if (!s_.closing_credit.is_zero()) {
      text(regular_, 9, kLeft, "Includes unapplied credit of " + format_money(s_.closing_credit));
      y_ -= kRowHeight;
    }
  }

  void aging() {
    need(kRowHeight * 5, false);
    y_ -= 12;
    text(bold_, 10, kLeft, "Aging of open charges on " + s_.to.iso());
    y_ -= kRowHeight + 2;
    constexpr float kColumn = (kRight - kLeft) / (kAgingBucketCount + 1);
    float edge = kLeft + kColumn;
    for (AgingBucket b : kAgingBuckets) {
      right(bold_, 9, edge, std::string(bucket_label(b)));
      edge += kColumn;
    }
    right(bold_, 9, edge, "Total");
    y_ -= kRowHeight;
    edge = kLeft + kColumn;
    for (AgingBucket b : kAgingBuckets) {
      right(regular_, 9, edge, format_money(s_.aging.at(b)));
      edge += kColumn;
    }
    right(regular_, 9, edge, format_money(s_.aging.total));
    y_ -= kRowHeight;
  }

  void footers() {
    const std::string of = " of " + std::to_string(pages_.size());
    for (std::size_t i = 0; i < pages_.size(); ++i) {
      page_ = pages_[i];
      y_ = kBottom - 24;
      text(regular_, 8, kLeft, s_.city_name + " - " + s_.party_name);
      right(regular_, 8, kRight, "Page " + std::to_string(i + 1) + of);
    }
  }

  const Statement& s_;
  HPDF_Doc doc_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  HPDF_Page page_ = nullptr;
  std::vector<HPDF_Page> pages_;
  float y_ = kTop;
};

}  // namespace

std::string to_win_ansi(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) out += win_ansi_char(next_code_point(utf8, i));
  return out;
}

Result<std::string> statement_pdf(const Statement& s) {
  HaruError error;
  CD_ASSIGN(Doc doc, documents::new_pdf(error, "Statement of account - " + s.party_name));
  if (error.error_no == 0) Renderer(s, doc.get()).render();
  return documents::pdf_bytes(doc.get(), error, "statement PDF");
}

}  // namespace civicdesk::reports
