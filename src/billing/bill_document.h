// The bill document: everything printed on one utility bill, and its PDF (issue 4).
//
// BillDocument is plain data (strings, dates, Money, integer mccf) so the renderer does not
// depend on how a bill is calculated or stored: the bill run (or bill_document_builder) fills it
// from a stored bill, and render_bill_pdf lays it out on US Letter:
//
//   page 1   City header with the service address and period; the account summary box (top
//            right: account, bill date, due date, previous balance, payments, adjustments,
//            current charges, amount due); the customer's name and mailing address in the #10
//            window position; below, on the left, the meter reads and a 12-period usage history
//            chart, on the right the charges by service (each line's explanation under it) and
//            the messages; at the bottom a detachable remittance stub (dashed cut line):
//            account, amount due, due date, remit-to address, a QR code of the pay link, a Code
//            128 barcode of the scanline and the scanline in monospace.
//            Layout: docs/formats/bill-stub.md.
//   page 2+  only when the charges and messages do not fit beside the chart: they continue at
//            full width with "page N of M"; the stub stays on page 1.
//
// Limits: at most kMaxBillChargeLines charge lines (each service counts one more),
// kMaxBillReads reads (they must fit page 1) and kMaxBillMessages messages, else kTooLarge
// naming the field; history beyond kMaxBillHistoryPeriods periods is cut to the newest 12. An
// amount due below zero is a credit: the bill and stub say "do not pay", the scanline and the
// pay link carry zero.
//
// Pure apart from memory: no I/O, thread-safe (each call builds its own libharu document).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/money.h"
#include "core/result.h"

namespace civicdesk::billing {

// Beyond these a bill is not a bill but a report; refusing keeps one render bounded.
inline constexpr std::size_t kMaxBillChargeLines = 200;
inline constexpr std::size_t kMaxBillReads = 8;
inline constexpr std::size_t kMaxBillMessages = 8;
inline constexpr std::size_t kMaxBillHistoryPeriods = 12;
// A print batch is one PDF; bounds its memory (10,000 bills are ~100 MB of PDF).
inline constexpr std::size_t kMaxBillsPerPrintBatch = 10'000;

struct BillCityHeader {
  std::string name;      // "City of Springfield — Utility Billing"
  std::string address;   // one or two lines, '\n' separates them
  std::string phone;     // "(555) 555-0100"
  std::string pay_url;   // "https://pay.springfield.gov/utility" (City config)
  std::string remit_to;  // the lockbox address printed on the stub, '\n' separates lines
};

struct BillRead {
  std::string meter_serial;
  CivilDate previous_date;
  std::int64_t previous_read = 0;  // register units as the dials show them
  CivilDate current_date;
  std::int64_t current_read = 0;
  bool estimated = false;       // kind = 'estimated' (the bill says so)
  std::int64_t usage_mccf = 0;  // thousandths of a CCF (negative for a true-up)
};

struct BillUsagePeriod {
  std::string label;            // "Nov 25" (short: printed under the bar)
  std::int64_t usage_mccf = 0;  // < 0 is drawn as 0
  bool estimated = false;
};

struct BillChargeLine {
  std::string description;  // "Water usage tier 1 (0-5 CCF)"
  std::string explanation;  // "5.000 CCF x $3.12" — printed under the line; may be empty
  Money amount;             // may be negative (a credit)
};

struct BillServiceCharges {
  std::string service;  // "Water", "Sewer", "Refuse", "Stormwater"
  std::vector<BillChargeLine> lines;
  Money subtotal;  // printed as given; the renderer does not re-add
};

struct BillDocument {
  BillCityHeader city;
  std::int64_t account_number = 0;  // 1..9,999,999,999 (the scanline's account)
  std::string customer_name;
  std::string mailing_address;  // lines separated by '\n' (printed in the window)
  std::string service_address;
  CivilDate bill_date;
  CivilDate period_start;
  CivilDate period_end;
  CivilDate due_date;
  std::vector<BillRead> reads;
  std::vector<BillUsagePeriod> history;  // oldest first, the current period last
  std::vector<BillServiceCharges> charges;
  Money previous_balance;
  Money payments;     // received since the last bill, as a positive amount
  Money adjustments;  // signed
  Money current_charges;
  Money amount_due;  // < 0: a credit balance
  std::vector<std::string> messages;
};

struct BillPdfOptions {
  bool compress = true;  // Flate streams; tests turn it off to read the page text
};

// The PDF bytes of one bill. Errors: kInvalidInput (field named) for an account number out of
// range; kTooLarge over the limits above; kInternal when libharu fails.
[[nodiscard]] Result<std::string> render_bill_pdf(const BillDocument& bill,
                                                  const BillPdfOptions& options = {});

// A print batch: every bill in order in one PDF, each starting on a new page (fonts and images
// shared). Errors as render_bill_pdf (the message names the bill's index and account), and
// kTooLarge over kMaxBillsPerPrintBatch.
[[nodiscard]] Result<std::string> render_bills_pdf(const std::vector<BillDocument>& bills,
                                                   const BillPdfOptions& options = {});

// The stub's QR payload: "{pay_url}?account=N&amount=X.XX" (amount 0.00 for a credit).
std::string bill_pay_link(const BillDocument& bill);

}  // namespace civicdesk::billing
