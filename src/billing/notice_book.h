// Utility late notices and shut-off notices (issue 4, "billing notices"): the notice run for a
// mailing date, its batch and PDF, an account's notice history and the field crews' shut-off
// list. The rules are bill_notice_rules.h (pure); the letters bill_notice_pdf.h; the tables
// store/migration_014_bill_notices.cc.
//
// A run for mailing date D (run):
//   - finds or starts THE batch of D (bill_notice_batches UNIQUE (mailed_on)): a finished batch
//     is returned as it is (already_run), a running one (a crash, a kill) is resumed;
//   - walks, in account-number order from the batch's cursor, every account with something
//     past due on D (an open ledger item of account_ref utility:N due before D) or an open
//     shut-off notice, `billing.notices.batch_size` accounts per write transaction; the
//     notices, the closed notices and the batch row (cursor and counts) commit together, so a
//     crash loses at most the transaction in flight and the rerun continues after the last
//     committed account. The partial unique indexes refuse a second late notice for a bill and
//     a second open shut-off notice for an account whatever path tries;
//   - per account (decide_notices): a late notice per bill newly late; a shut-off notice with
//     its shut-off date; a held account counted by reason (no_shutoff, in_dispute,
//     payment_arrangement, below_minimum, account_closed); an open shut-off notice of an
//     account with nothing past due any more is closed ("brought current") — the next
//     delinquency may get a new one.
//   Each notice keeps the addressee, mailing address (or the service address when the account
//   has none), service address and the items past due, so the PDF is the same letters each time.
//   Audit: bill_notice_batch.start, bill_notice.issue (per transaction that wrote or closed
//   notices, with its counts), bill_notice_batch.finish.
//
// The shut-off list for date D: open shut-off notices whose shut-off date is D or earlier and
// an item they listed is still unpaid, on active accounts not flagged (no_shutoff, in dispute,
// payment arrangement). A notice whose items were all paid is not a notice for what is owed now:
// the next run closes it, and a new delinquency needs its own notice.
//
// Result codes: kInvalidInput (field named: date, format), kNotFound (batch, account),
// kUnprocessable (a batch that printed no notice has no PDF), kStorage.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "billing/bill_notice_pdf.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/money.h"
#include "core/time_zone.h"
#include "store/db.h"

namespace civicdesk::billing {

inline constexpr int kMaxNoticeBatchesListed = 100;
inline constexpr int kMaxAccountNoticesListed = 200;
inline constexpr int kMaxShutoffListRows = 5'000;
// A batch may be prepared for a mailing date this far ahead (the print shop's lead time, a
// planned mailing); a date further out would notice bills that may well be paid by then.
inline constexpr int kMaxNoticeDaysAhead = 400;

struct BillNotice {
  std::int64_t id = 0;
  std::int64_t batch_id = 0;
  std::string kind;  // late | shutoff
  std::int64_t account_number = 0;
  std::optional<std::int64_t> bill_id;  // late notices
  std::string addressee;
  std::vector<std::string> address_lines;
  std::string service_address;
  Money past_due;
  CivilDate delinquent_since;
  CivilDate mailed_on;
  std::optional<CivilDate> shutoff_on;  // shut-off notices
  std::string status;                   // sent (late) | open | closed (shut-off)
  std::string closed_on, closed_reason;
  std::string created_by;
  std::vector<NoticeItem> items;
};

struct NoticeBatchView {
  std::int64_t id = 0;
  CivilDate mailed_on;
  std::string status;         // running | finished
  std::int64_t accounts = 0;  // accounts examined
  std::int64_t late = 0, shutoff = 0;
  std::int64_t held_no_shutoff = 0, held_in_dispute = 0, held_payment_arrangement = 0,
               held_below_minimum = 0, held_account_closed = 0;
  std::int64_t brought_current = 0;  // open shut-off notices closed
  std::string created_by;
  Timestamp created_us = 0;
  std::optional<Timestamp> finished_us;
  bool already_run = false;  // run(): the date's batch was finished before; nothing changed
  std::int64_t notices() const { return late + shutoff; }
};

struct ShutoffListRow {
  std::int64_t notice_id = 0;
  std::int64_t account_number = 0;
  std::string customer_name;
  std::string service_address;
  std::string meters;  // serials of the meters installed now, "M-1 M-2"
  Money past_due;      // on the list's date
  CivilDate delinquent_since;
  CivilDate mailed_on, shutoff_on;
};

class NoticeBook {
 public:
  NoticeBook(store::Database& db, const CityConfig& city, const Clock& clock, const TimeZone& tz);

  // Called after each committed transaction with the batch's counts (the CLI's progress).
  using Progress = std::function<void(const NoticeBatchView&)>;

  // The batch of mailing date `date` (YYYY-MM-DD, at most kMaxNoticeDaysAhead after today):
  // run now, resumed, or found finished.
  [[nodiscard]] Result<NoticeBatchView> run(const Actor& actor, const std::string& date,
                                            const Progress& progress = {});
  [[nodiscard]] Result<NoticeBatchView> batch(std::int64_t id);
  // Newest mailing date first, at most kMaxNoticeBatchesListed.
  [[nodiscard]] Result<std::vector<NoticeBatchView>> batches();
  // The batch's notices in print order (account number, late before shut-off, id).
  [[nodiscard]] Result<std::vector<BillNotice>> notices_in(std::int64_t batch_id);
  // The batch's letters as one PDF. kUnprocessable when it has no notice.
  [[nodiscard]] Result<std::string> batch_pdf(std::int64_t batch_id,
                                              const BillNoticePdfOptions& options = {});
  // An account's notices, newest first (at most kMaxAccountNoticesListed).
  [[nodiscard]] Result<std::vector<BillNotice>> notices_of(std::int64_t account_number);
  // The field crews' list for `date` ("" = today), by shut-off date then account.
  [[nodiscard]] Result<std::vector<ShutoffListRow>> shutoff_list(const std::string& date);

  CivilDate today() const;

 private:
  store::Database& db_;
  const CityConfig& city_;
  const Clock& clock_;
  const TimeZone& tz_;
  BusinessCalendar calendar_;
};

// The shut-off list as CSV (header: account_number, customer_name, service_address, meters,
// past_due, delinquent_since, notice_mailed_on, shutoff_on, notice_id); text fields quoted.
std::string shutoff_list_csv(const std::vector<ShutoffListRow>& rows);

}  // namespace civicdesk::billing
