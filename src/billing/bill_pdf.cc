// The bill PDF (libharu): layout constants here, positions documented in docs/formats/bill-stub.md.
#include <hpdf.h>
#include <qrencode.h>
#include <zint.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "billing/bill_document.h"
#include "documents/pdf_document.h"
#include "remittance/scanline.h"
#include "reports/statement_pdf.h"

namespace civicdesk::billing {
namespace {

using reports::to_win_ansi;

// Layout in PDF points (1/72 inch) on US Letter; layout only, never money.
constexpr float kPageWidth = 612, kPageHeight = 792;
constexpr float kLeft = 36, kRight = 576, kTop = 756;
constexpr float kBottom = 54;  // later pages
// The stub is the bottom 3.5 inches of page 1: folded in thirds, the cut line is the lower fold.
constexpr float kStubTop = 252;
constexpr float kPage1Bottom = kStubTop + 20;
// A #10 window envelope's address window: 7/8" from the left, 2" to 3-1/8" from the top.
constexpr float kWindowX = 63, kWindowTop = kPageHeight - 144, kWindowLines = 6;
constexpr float kSummaryX = 396;  // the account summary box, top right (right of the window)
// Page 1 below the window: reads and usage chart on the left, charges and messages on the right.
constexpr float kBodyTop = kWindowTop - 14 - 12 * kWindowLines - 14;
constexpr float kLeftColumnRight = 300, kRightColumnLeft = 318;
constexpr float kChartHeight = 84;
// Code 128: one module is 0.9 pt (12.5 mil, within what lockbox scanners read), 36 pt tall.
constexpr float kBarModule = 0.9f, kBarHeight = 36, kBarQuietModules = 10;
constexpr float kQrSize = 72;       // 1 inch
constexpr int kQrQuietModules = 4;  // the QR standard's quiet zone
constexpr std::int64_t kMaxScanlineAmountCents = 9'999'999'999;

using documents::HaruError;
using Doc = documents::PdfDoc;

struct ZintDeleter {
  void operator()(zint_symbol* s) const { ZBarcode_Delete(s); }
};
using ZintSymbol = std::unique_ptr<zint_symbol, ZintDeleter>;

struct QrDeleter {
  void operator()(QRcode* q) const { QRcode_free(q); }
};
using QrCode = std::unique_ptr<QRcode, QrDeleter>;

// Fonts are looked up once per document and shared by every bill of a batch: only base-14
// fonts (no font files to ship or parse). Courier-Bold stands in for OCR-B: monospaced, heavy
// strokes, and every lockbox scanner's OCR reads it; the scanline is also in the Code 128.
struct Fonts {
  HPDF_Font regular = nullptr;
  HPDF_Font bold = nullptr;
  HPDF_Font italic = nullptr;
  HPDF_Font mono = nullptr;
};

std::string format_ccf(std::int64_t mccf) {
  const bool negative = mccf < 0;
  const std::uint64_t m = negative ? 0 - static_cast<std::uint64_t>(mccf) : mccf;
  std::string out = (negative ? "-" : "") + std::to_string(m / 1000);
  if (const std::uint64_t frac = m % 1000; frac != 0) {
    std::string digits = std::to_string(frac);
    digits.insert(0, 3 - digits.size(), '0');
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

std::string period_text(CivilDate from, CivilDate to) {
  return from.iso() + " to " + to.iso();
}

Result<void> validate(const BillDocument& b) {
  if (b.account_number < 1 || b.account_number > remittance::kMaxScanlineAccountNumber)
    return fail(ErrorCode::kInvalidInput, "the account number must be 1 to 10 digits",
                "account_number");
  if (b.amount_due.cents() > kMaxScanlineAmountCents)
    return fail(ErrorCode::kInvalidInput,
                "the amount due is larger than a stub can carry ($99,999,999.99)", "amount_due");
  std::size_t lines = 0;
  for (const auto& s : b.charges) lines += s.lines.size() + 1;
  if (lines > kMaxBillChargeLines)
    return fail(ErrorCode::kTooLarge,
                "a bill holds at most " + std::to_string(kMaxBillChargeLines) +
                    " charge lines (services count as one line each)",
                "charges");
  if (b.reads.size() > kMaxBillReads)
    return fail(ErrorCode::kTooLarge,
                "a bill holds at most " + std::to_string(kMaxBillReads) + " meter reads", "reads");
  if (b.messages.size() > kMaxBillMessages)
    return fail(ErrorCode::kTooLarge,
                "a bill holds at most " + std::to_string(kMaxBillMessages) + " messages",
                "messages");
  return {};
}

// Draws one bill into a document; every drawing call goes through here so page breaks are in
// one place. The stub is drawn on the bill's first page whatever follows.
class BillRenderer {
 public:
  BillRenderer(HPDF_Doc doc, const Fonts& fonts, zint_symbol* barcode)
      : doc_(doc), f_(fonts), barcode_(barcode) {}

  Result<void> render(const BillDocument& b) {
    b_ = &b;
    pages_.clear();
    new_page();
    first_page_ = page_;
    header();
    window();
    y_ = kBodyTop;
    reads();
    chart();
    const float left_column_y = y_;
    // The flowing part: the right column of page 1, then full width on continuation pages.
    x0_ = kRightColumnLeft;
    y_ = kBodyTop;
    charges();
    // Messages go under the chart when they fit there, so a bill with many charge lines does
    // not take a second page for its messages alone.
    if (pages_.size() == 1 && left_column_y - messages_height(kLeft) >= bottom_) {
      x0_ = kLeft;
      y_ = left_column_y;
    }
    messages();
    CD_TRY(stub());
    footers();
    return {};
  }

 private:
  const BillDocument& bill() const { return *b_; }

  void new_page() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetWidth(page_, kPageWidth);
    HPDF_Page_SetHeight(page_, kPageHeight);
    pages_.push_back(page_);
    bottom_ = pages_.size() == 1 ? kPage1Bottom : kBottom;
    x0_ = kLeft;
    y_ = kTop;
  }

  // Starts a continuation page unless `height` fits above this page's bottom.
  void need(float height) {
    if (y_ - height >= bottom_) return;
    new_page();
    text(f_.bold, 10, kLeft,
         bill().city.name + " - account " + std::to_string(bill().account_number) + ", bill of " +
             bill().bill_date.iso() + " (continued)");
    y_ -= 24;
    if (!service_.empty()) {
      text(f_.bold, 8.5f, x0_, service_ + " (continued)");
      y_ -= 10;
    }
  }

  float width_of(HPDF_Font font, float size, const std::string& win_ansi) const {
    HPDF_TextWidth w =
        HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(win_ansi.data()),
                            static_cast<HPDF_UINT>(win_ansi.size()));
    return static_cast<float>(w.width) * size / 1000.0f;
  }

  void raw_text(HPDF_Font font, float size, float x, float y, const std::string& win_ansi) {
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, font, size);
    HPDF_Page_TextOut(page_, x, y, win_ansi.c_str());
    HPDF_Page_EndText(page_);
  }

  void text(HPDF_Font font, float size, float x, const std::string& utf8) {
    raw_text(font, size, x, y_, to_win_ansi(utf8));
  }

  void right(HPDF_Font font, float size, float right_edge, const std::string& utf8) {
    const std::string t = to_win_ansi(utf8);
    raw_text(font, size, right_edge - width_of(font, size, t), y_, t);
  }

  void centre(HPDF_Font font, float size, float mid, float y, const std::string& utf8) {
    const std::string t = to_win_ansi(utf8);
    raw_text(font, size, mid - width_of(font, size, t) / 2, y, t);
  }

  // `utf8` cut (with "...") to fit `width`.
  std::string fit(HPDF_Font font, float size, const std::string& utf8, float width) const {
    std::string t = to_win_ansi(utf8);
    if (width_of(font, size, t) <= width) return t;
    while (!t.empty() && width_of(font, size, t + "...") > width) t.pop_back();
    return t + "...";
  }

  // Word-wraps `utf8` to lines of at most `width`; a word longer than a line is cut.
  std::vector<std::string> wrap(HPDF_Font font, float size, const std::string& utf8,
                                float width) const {
    std::vector<std::string> lines;
    std::string line;
    const std::string t = to_win_ansi(utf8);
    std::size_t i = 0;
    while (i < t.size()) {
      std::size_t j = t.find(' ', i);
      if (j == std::string::npos) j = t.size();
      const std::string word = t.substr(i, j - i);
      i = j + 1;
      if (word.empty()) continue;
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (width_of(font, size, candidate) <= width) {
        line = candidate;
        continue;
      }
      if (!line.empty()) lines.push_back(line);
      line = word;
      while (!line.empty() && width_of(font, size, line) > width) line.pop_back();
    }
    if (!line.empty()) lines.push_back(line);
    return lines;
  }

  void rule(float x0, float x1, float y, float thickness) {
    HPDF_Page_SetLineWidth(page_, thickness);
    HPDF_Page_MoveTo(page_, x0, y);
    HPDF_Page_LineTo(page_, x1, y);
    HPDF_Page_Stroke(page_);
  }

  // A label on the left and a value right-aligned at `right_edge`, then one row down.
  void label_value(float x, float right_edge, const std::string& label, const std::string& value,
                   bool strong = false) {
    text(strong ? f_.bold : f_.regular, strong ? 10 : 8.5f, x, label);
    right(strong ? f_.bold : f_.regular, strong ? 10 : 8.5f, right_edge, value);
    y_ -= strong ? 14 : 11;
  }

  bool credit() const { return bill().amount_due.is_negative(); }

  std::string amount_due_text() const {
    if (!credit()) return format_money(bill().amount_due);
    return format_money(Money::from_cents(-bill().amount_due.cents())) + " credit";
  }

  void header() {
    const auto& c = bill().city;
    text(f_.bold, 14, kLeft, c.name);
    y_ -= 13;
    for (const auto& line : split_lines(c.address)) {
      text(f_.regular, 9, kLeft, line);
      y_ -= 11;
    }
    if (!c.phone.empty()) {
      text(f_.regular, 9, kLeft, "Phone " + c.phone);
      y_ -= 11;
    }
    if (!c.pay_url.empty()) {
      text(f_.regular, 9, kLeft, "Pay online: " + c.pay_url);
      y_ -= 11;
    }
    y_ = std::min(y_, kTop - 58) - 4;
    raw_text(f_.regular, 8.5f, kLeft, y_,
             fit(f_.regular, 8.5f, "Service address: " + bill().service_address, 340));
    y_ -= 11;
    text(f_.regular, 8.5f, kLeft,
         "Service period: " + period_text(bill().period_start, bill().period_end));

    // The account summary box, top right: who, when, and the balance that makes the amount due.
    y_ = kTop;
    right(f_.bold, 14, kRight, "Utility Bill");
    y_ -= 20;
    const float box_top = y_ + 11;
    const float x = kSummaryX + 6, r = kRight - 6;
    label_value(x, r, "Account number", std::to_string(bill().account_number));
    label_value(x, r, "Bill date", bill().bill_date.iso());
    label_value(x, r, "Due date", bill().due_date.iso());
    y_ -= 3;
    label_value(x, r, "Previous balance", format_money(bill().previous_balance));
    label_value(x, r, "Payments received",
                format_money(Money::from_cents(-bill().payments.cents())));
    if (!bill().adjustments.is_zero())
      label_value(x, r, "Adjustments", format_money(bill().adjustments));
    label_value(x, r, "Current charges", format_money(bill().current_charges));
    rule(x, r, y_ + 9, 0.5f);
    y_ -= 2;
    label_value(x, r, credit() ? "Credit balance" : "Amount due", amount_due_text(), true);
    if (credit()) {
      text(f_.bold, 7.5f, x, "Do not pay: the credit applies to your next bill.");
      y_ -= 10;
    }
    HPDF_Page_SetLineWidth(page_, 0.75f);
    HPDF_Page_Rectangle(page_, kSummaryX, y_ + 6, kRight - kSummaryX, box_top - (y_ + 6));
    HPDF_Page_Stroke(page_);
  }

  std::vector<std::string> split_lines(const std::string& s) const {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < s.size()) {
      std::size_t end = s.find('\n', start);
      if (end == std::string::npos) end = s.size();
      if (end > start) out.push_back(s.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  void window() {
    y_ = kWindowTop - 14;
    text(f_.bold, 10, kWindowX, bill().customer_name);
    y_ -= 12;
    int n = 1;
    for (const auto& line : split_lines(bill().mailing_address)) {
      if (++n > kWindowLines) break;  // a window shows six lines; the post office reads them
      raw_text(f_.regular, 10, kWindowX, y_, fit(f_.regular, 10, line, 260));
      y_ -= 12;
    }
  }

  // The left column of page 1; at most kMaxBillReads rows, so it always fits above the chart.
  void reads() {
    text(f_.bold, 10, kLeft, "Meter reads");
    y_ -= 12;
    if (bill().reads.empty()) {
      text(f_.regular, 8, kLeft, "No metered service on this bill.");
      y_ -= 14;
      return;
    }
    constexpr float kSize = 7.5f;
    constexpr float kPrevDate = 90, kPrev = 162, kCurDate = 168, kCur = 240, kKind = 246;
    text(f_.bold, kSize, kLeft, "Meter");
    text(f_.bold, kSize, kPrevDate, "Previous");
    text(f_.bold, kSize, kCurDate, "Current");
    text(f_.bold, kSize, kKind, "Kind");
    right(f_.bold, kSize, kLeftColumnRight, "CCF");
    y_ -= 3;
    rule(kLeft, kLeftColumnRight, y_, 0.5f);
    y_ -= 9;
    bool any_estimated = false;
    for (const auto& r : bill().reads) {
      raw_text(f_.regular, kSize, kLeft, y_, fit(f_.regular, kSize, r.meter_serial, 52));
      text(f_.regular, kSize, kPrevDate, r.previous_date.iso());
      right(f_.regular, kSize, kPrev, std::to_string(r.previous_read));
      text(f_.regular, kSize, kCurDate, r.current_date.iso());
      right(f_.regular, kSize, kCur, std::to_string(r.current_read));
      text(r.estimated ? f_.bold : f_.regular, kSize, kKind, r.estimated ? "Est. (E)" : "Actual");
      right(f_.regular, kSize, kLeftColumnRight, format_ccf(r.usage_mccf));
      any_estimated = any_estimated || r.estimated;
      y_ -= 9.5f;
    }
    if (any_estimated) {
      text(f_.italic, 6.5f, kLeft, "E: estimated; the next actual read corrects it (a true-up).");
      y_ -= 9;
    }
    y_ -= 8;
  }

  // The usage history: up to 12 bars, oldest on the left. An estimated period is an outlined
  // (unfilled) bar with "E" above it, so it reads in black and white and to a screen reader's
  // text as well as by shade.
  void chart() {
    text(f_.bold, 10, kLeft, "Usage history (CCF)");
    const float plot_left = kLeft + 24, plot_right = kLeftColumnRight;
    const float plot_top = y_ - 14, plot_bottom = plot_top - kChartHeight;
    const auto& h = bill().history;
    const std::size_t first =
        h.size() > kMaxBillHistoryPeriods ? h.size() - kMaxBillHistoryPeriods : 0;
    std::int64_t max_mccf = 0;
    bool any_estimated = false;
    for (std::size_t i = first; i < h.size(); ++i) {
      max_mccf = std::max(max_mccf, h[i].usage_mccf);
      any_estimated = any_estimated || h[i].estimated;
    }
    // The axis top: the maximum rounded up to whole CCF, at least 1, even so the midpoint is whole.
    std::int64_t axis_ccf = std::max<std::int64_t>(1, (max_mccf + 999) / 1000);
    if (axis_ccf % 2 != 0 && axis_ccf > 1) ++axis_ccf;
    const float axis_mccf = static_cast<float>(axis_ccf) * 1000.0f;

    HPDF_Page_SetGrayStroke(page_, 0);
    rule(plot_left, plot_right, plot_bottom, 0.5f);
    HPDF_Page_MoveTo(page_, plot_left, plot_bottom);
    HPDF_Page_LineTo(page_, plot_left, plot_top);
    HPDF_Page_Stroke(page_);
    for (std::int64_t tick : {std::int64_t{0}, axis_ccf / 2, axis_ccf}) {
      if (tick == axis_ccf / 2 && axis_ccf < 2) continue;
      const float ty =
          plot_bottom + kChartHeight * static_cast<float>(tick) / static_cast<float>(axis_ccf);
      const std::string label = std::to_string(tick);
      raw_text(f_.regular, 6.5f, plot_left - 4 - width_of(f_.regular, 6.5f, label), ty - 2, label);
      rule(plot_left - 2, plot_left, ty, 0.5f);
    }
    if (h.empty()) {
      centre(f_.italic, 8, (plot_left + plot_right) / 2, plot_bottom + kChartHeight / 2,
             "No usage history yet");
    }
    const float slot = (plot_right - plot_left) / static_cast<float>(kMaxBillHistoryPeriods);
    const float bar = slot * 0.62f;
    for (std::size_t i = first; i < h.size(); ++i) {
      const auto& p = h[i];
      const float mid = plot_left + slot * (static_cast<float>(i - first) + 0.5f);
      const float height =
          p.usage_mccf <= 0 ? 0 : kChartHeight * static_cast<float>(p.usage_mccf) / axis_mccf;
      const bool current = i + 1 == h.size();
      // Graphics state (line width, fill) is set before the path: libharu refuses it inside one.
      if (height > 0 && p.estimated) {
        HPDF_Page_SetLineWidth(page_, 0.75f);
        HPDF_Page_Rectangle(page_, mid - bar / 2, plot_bottom, bar, height);
        HPDF_Page_Stroke(page_);
      } else if (height > 0) {
        HPDF_Page_SetGrayFill(page_, current ? 0.15f : 0.55f);
        HPDF_Page_Rectangle(page_, mid - bar / 2, plot_bottom, bar, height);
        HPDF_Page_Fill(page_);
        HPDF_Page_SetGrayFill(page_, 0);
      }
      if (p.estimated) centre(f_.bold, 6.5f, mid, plot_bottom + height + 2, "E");
      // A label such as "2026-10" shrinks to fit its slot before it is cut.
      const std::string full = to_win_ansi(p.label);
      const float natural = width_of(f_.regular, 5.5f, full);
      const float size = natural <= slot - 1 ? 5.5f : std::max(4.0f, 5.5f * (slot - 1) / natural);
      const std::string label = fit(f_.regular, size, p.label, slot);
      raw_text(f_.regular, size, mid - width_of(f_.regular, size, label) / 2, plot_bottom - 8,
               label);
    }
    // Legend.
    float ly = plot_bottom - 19;
    HPDF_Page_SetGrayFill(page_, 0.55f);
    HPDF_Page_Rectangle(page_, plot_left, ly, 6, 6);
    HPDF_Page_Fill(page_);
    HPDF_Page_SetGrayFill(page_, 0);
    raw_text(f_.regular, 6.5f, plot_left + 9, ly + 0.5f, "Actual read");
    if (any_estimated) {
      HPDF_Page_SetLineWidth(page_, 0.75f);
      HPDF_Page_Rectangle(page_, plot_left + 70, ly, 6, 6);
      HPDF_Page_Stroke(page_);
      raw_text(f_.regular, 6.5f, plot_left + 79, ly + 0.5f, "E = estimated read (outlined bar)");
    }
    y_ = ly - 12;
  }

  // Flows from the right column of page 1 onto full-width continuation pages.
  void charges() {
    text(f_.bold, 10, x0_, "Current charges");
    y_ -= 4;
    rule(x0_, kRight, y_, 0.5f);
    y_ -= 11;
    for (const auto& s : bill().charges) {
      need(32);
      text(f_.bold, 8.5f, x0_, s.service);
      y_ -= 10;
      service_ = s.service;
      for (const auto& line : s.lines) {
        need(line.explanation.empty() ? 10 : 18);
        const float text_width = kRight - x0_ - 70;
        raw_text(f_.regular, 8, x0_ + 8, y_, fit(f_.regular, 8, line.description, text_width));
        right(f_.regular, 8, kRight, format_money(line.amount));
        y_ -= 8.5f;
        if (!line.explanation.empty()) {
          raw_text(f_.italic, 7, x0_ + 16, y_, fit(f_.italic, 7, line.explanation, text_width));
          y_ -= 9;
        } else {
          y_ -= 1.5f;
        }
      }
      need(12);
      rule(kRight - 60, kRight, y_ + 7, 0.4f);
      text(f_.bold, 8, x0_ + 8, "Total " + s.service);
      right(f_.bold, 8, kRight, format_money(s.subtotal));
      y_ -= 13;
      service_.clear();
    }
    if (bill().charges.empty()) {
      text(f_.regular, 8, x0_ + 8, "No charges this period.");
      y_ -= 12;
    }
    need(14);
    text(f_.bold, 9, x0_, "Total current charges");
    right(f_.bold, 9, kRight, format_money(bill().current_charges));
    y_ -= 16;
  }

  // The height messages() takes when it starts at `x`.
  float messages_height(float x) const {
    if (bill().messages.empty()) return 0;
    float h = 11;
    for (const auto& m : bill().messages)
      h += 9 * static_cast<float>(wrap(f_.regular, 7.5f, m, column_right(x) - x - 10).size()) + 3;
    return h;
  }

  // The right edge of the column that starts at `x`.
  static float column_right(float x) { return x == kLeft ? kLeftColumnRight : kRight; }

  void messages() {
    if (bill().messages.empty()) return;
    need(24);
    text(f_.bold, 10, x0_, "Messages");
    y_ -= 11;
    // Under the chart on page 1 the column is narrow; anywhere else it runs to the right margin.
    const float right_edge = pages_.size() == 1 && x0_ == kLeft ? kLeftColumnRight : kRight;
    for (const auto& m : bill().messages) {
      // Wrapped to the column the message starts in; a continuation page is wider, never narrower.
      const auto lines = wrap(f_.regular, 7.5f, m, right_edge - x0_ - 10);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        need(10);
        if (i == 0) raw_text(f_.regular, 7.5f, x0_, y_, "\x95");  // WinAnsi bullet
        raw_text(f_.regular, 7.5f, x0_ + 8, y_, lines[i]);
        y_ -= 9;
      }
      y_ -= 3;
    }
  }

  // The remittance stub on the first page, below the dashed cut line (docs/formats/bill-stub.md).
  Result<void> stub() {
    page_ = first_page_;
    const auto& b = bill();
    const std::int64_t stub_cents = credit() ? 0 : b.amount_due.cents();
    const std::string digits = remittance::make_scanline(b.account_number, stub_cents);

    static constexpr std::array<HPDF_UINT16, 2> kDash = {4, 3};
    HPDF_Page_SetDash(page_, kDash.data(), 2, 0);
    rule(0, kPageWidth, kStubTop, 0.75f);
    HPDF_Page_SetDash(page_, nullptr, 0, 0);
    centre(f_.italic, 7, kPageWidth / 2, kStubTop + 4,
           "Detach here and return the lower portion with your payment");

    y_ = kStubTop - 18;
    text(f_.bold, 10, kLeft, b.city.name);
    right(f_.bold, 10, kRight, "Remittance stub");
    y_ -= 18;
    constexpr float kValueRight = 270;
    label_value(kLeft, kValueRight, "Account number", std::to_string(b.account_number));
    raw_text(f_.regular, 9, kLeft, y_, fit(f_.regular, 9, "Customer: " + b.customer_name, 234));
    y_ -= 12;
    raw_text(f_.regular, 9, kLeft, y_, fit(f_.regular, 9, "Service: " + b.service_address, 234));
    y_ -= 12;
    label_value(kLeft, kValueRight, "Due date", b.due_date.iso());
    label_value(kLeft, kValueRight, credit() ? "Credit balance" : "Amount due", amount_due_text(),
                true);
    if (credit()) {
      text(f_.bold, 9, kLeft, "Credit balance - do not pay");
    } else {
      text(f_.regular, 9, kLeft, "Amount enclosed  $ ______________");
    }

    // Remit-to address: shows through the return envelope's window.
    y_ = kStubTop - 50;
    text(f_.bold, 8, 300, "Make checks payable to and mail to:");
    y_ -= 12;
    for (const auto& line : split_lines(
             b.city.remit_to.empty() ? b.city.name + "\n" + b.city.address : b.city.remit_to)) {
      text(f_.regular, 9.5f, 300, line);
      y_ -= 11.5f;
    }

    CD_TRY(draw_qr(b));
    CD_TRY(draw_code128(digits));

    // The scanline, bottom right, in the monospace font the bank's OCR reads.
    const std::string printed =
        digits.substr(0, 10) + " " + digits.substr(10, 10) + " " + digits.substr(20);
    const float mono_width = width_of(f_.mono, 12, printed);
    raw_text(f_.mono, 12, kRight - mono_width, 30, printed);
    return {};
  }

  Result<void> draw_qr(const BillDocument& b) {
    if (b.city.pay_url.empty()) return {};
    const std::string link = bill_pay_link(b);
    QrCode qr(QRcode_encodeString(link.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) return fail(ErrorCode::kInternal, "could not encode the pay link as a QR code");
    // A 1-bit DeviceGray image (0 = black), quiet zone included: one small image per bill
    // instead of hundreds of rectangles.
    const int n = qr->width + 2 * kQrQuietModules;
    const int row_bytes = (n + 7) / 8;
    std::vector<HPDF_BYTE> pixels(static_cast<std::size_t>(row_bytes) * n, 0xFF);
    for (int y = 0; y < qr->width; ++y)
      for (int x = 0; x < qr->width; ++x)
        if (qr->data[y * qr->width + x] & 1) {
          const int px = x + kQrQuietModules, py = y + kQrQuietModules;
          pixels[static_cast<std::size_t>(py) * row_bytes + px / 8] &=
              static_cast<HPDF_BYTE>(~(0x80u >> (px % 8)));
        }
    HPDF_Image image = HPDF_LoadRawImageFromMem(doc_, pixels.data(), static_cast<HPDF_UINT>(n),
                                                static_cast<HPDF_UINT>(n), HPDF_CS_DEVICE_GRAY, 1);
    if (image == nullptr) return {};  // error_ carries libharu's reason
    const float x = kRight - kQrSize, y = kStubTop - 24 - kQrSize - 4;
    HPDF_Page_DrawImage(page_, image, x, y, kQrSize, kQrSize);
    y_ = y - 8;
    centre(f_.regular, 6.5f, x + kQrSize / 2, y_, "Scan to pay online");
    return {};
  }

  Result<void> draw_code128(const std::string& digits) {
    ZBarcode_Clear(barcode_);
    barcode_->symbology = BARCODE_CODE128;
    barcode_->show_hrt = 0;
    barcode_->whitespace_width = 0;
    barcode_->border_width = 0;
    barcode_->height = 50;
    const int rc = ZBarcode_Encode_and_Buffer_Vector(
        barcode_, reinterpret_cast<const unsigned char*>(digits.data()),
        static_cast<int>(digits.size()), 0);
    if (rc >= ZINT_ERROR || barcode_->vector == nullptr || barcode_->vector->width <= 0)
      return fail(ErrorCode::kInternal,
                  std::string("could not encode the scanline as Code 128: ") + barcode_->errtxt);
    // zint's vector units: scale to one module = kBarModule points and kBarHeight tall.
    const float sx = kBarModule * static_cast<float>(barcode_->width) / barcode_->vector->width;
    const float sy = kBarHeight / barcode_->vector->height;
    const float x0 = kLeft + kBarQuietModules * kBarModule, top = 30 + 14 + kBarHeight;
    HPDF_Page_SetGrayFill(page_, 0);
    for (const zint_vector_rect* r = barcode_->vector->rectangles; r != nullptr; r = r->next) {
      HPDF_Page_Rectangle(page_, x0 + r->x * sx, top - (r->y + r->height) * sy, r->width * sx,
                          r->height * sy);
    }
    HPDF_Page_Fill(page_);
    return {};
  }

  void footers() {
    if (pages_.size() < 2) return;
    const std::string of = " of " + std::to_string(pages_.size());
    for (std::size_t i = 0; i < pages_.size(); ++i) {
      page_ = pages_[i];
      // Page 1's footer sits just above the cut line; later pages at the bottom margin.
      y_ = i == 0 ? kStubTop + 12 : kBottom - 24;
      right(f_.regular, 7.5f, kRight,
            "Account " + std::to_string(bill().account_number) + " - page " +
                std::to_string(i + 1) + of);
    }
  }

  HPDF_Doc doc_;
  const Fonts& f_;
  zint_symbol* barcode_;
  const BillDocument* b_ = nullptr;
  HPDF_Page page_ = nullptr;
  HPDF_Page first_page_ = nullptr;
  std::vector<HPDF_Page> pages_;
  float y_ = kTop;
  float x0_ = kLeft;     // the left edge of the flowing part (charges, messages)
  std::string service_;  // the service whose lines are being drawn, for a continuation page
  float bottom_ = kPage1Bottom;
};

// One document for any number of bills: fonts looked up once, one zint symbol reused.
Result<std::string> render(const std::vector<const BillDocument*>& bills,
                           const BillPdfOptions& options) {
  for (std::size_t i = 0; i < bills.size(); ++i) {
    auto valid = validate(*bills[i]);
    if (!valid) {
      Error e = valid.error();
      if (bills.size() > 1)
        e.message = "bill " + std::to_string(i + 1) + " (account " +
                    std::to_string(bills[i]->account_number) + "): " + e.message;
      return std::unexpected(e);
    }
  }
  HaruError error;
  const std::string title =
      bills.size() == 1 ? "Utility bill - account " + std::to_string(bills[0]->account_number)
                        : "Utility bills - " + std::to_string(bills.size()) + " bills";
  CD_ASSIGN(Doc doc, documents::new_pdf(error, title, options.compress));
  ZintSymbol barcode(ZBarcode_Create());
  if (!barcode) return fail(ErrorCode::kInternal, "could not start a barcode (out of memory)");
  Fonts fonts;
  fonts.regular = HPDF_GetFont(doc.get(), "Helvetica", "WinAnsiEncoding");
  fonts.bold = HPDF_GetFont(doc.get(), "Helvetica-Bold", "WinAnsiEncoding");
  fonts.italic = HPDF_GetFont(doc.get(), "Helvetica-Oblique", "WinAnsiEncoding");
  fonts.mono = HPDF_GetFont(doc.get(), "Courier-Bold", "WinAnsiEncoding");
  if (error.error_no == 0) {
    BillRenderer renderer(doc.get(), fonts, barcode.get());
    for (const BillDocument* b : bills) {
      CD_TRY(renderer.render(*b));
      if (error.error_no != 0) break;
    }
  }
  return documents::pdf_bytes(doc.get(), error, "bill PDF");
}

}  // namespace

std::string bill_pay_link(const BillDocument& bill) {
  const Money amount = bill.amount_due.is_negative() ? Money::zero() : bill.amount_due;
  const char sep = bill.city.pay_url.find('?') == std::string::npos ? '?' : '&';
  return bill.city.pay_url + sep + "account=" + std::to_string(bill.account_number) +
         "&amount=" + format_plain(amount);
}

Result<std::string> render_bill_pdf(const BillDocument& bill, const BillPdfOptions& options) {
  return render({&bill}, options);
}

Result<std::string> render_bills_pdf(const std::vector<BillDocument>& bills,
                                     const BillPdfOptions& options) {
  if (bills.empty()) return fail(ErrorCode::kInvalidInput, "a print batch needs a bill", "bills");
  if (bills.size() > kMaxBillsPerPrintBatch)
    return fail(ErrorCode::kTooLarge,
                "a print batch holds at most " + std::to_string(kMaxBillsPerPrintBatch) + " bills",
                "bills");
  std::vector<const BillDocument*> all;
  all.reserve(bills.size());
  for (const auto& b : bills) all.push_back(&b);
  return render(all, options);
}

}  // namespace civicdesk::billing
