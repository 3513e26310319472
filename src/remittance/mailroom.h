// The mail room: the mail log, department work queues, remittance batches with their exception
// queue, and lockbox file imports. One service over the store and the ledger; every change is
// one write transaction with its audit record. Payments post only through
// ledger::Ledger::pay_within, inside this service's transaction, so an item and its payment
// commit together.
//
// Mail log. Every piece opened is logged (date, kind, from whom, optional party). A payment is
// routed to an open remittance batch; correspondence, disputes, applications and returned mail
// go to a department's work queue with a due date in business days (City holidays skipped):
// kDueBusinessDays below. A queue is visible to the users of its department (users.department)
// and to supervisors (role "supervisor"), who see every department's.
//
// Remittance batches. A batch is opened with its control count and control total (the adding-
// machine tape), then items are scanned or keyed: the stub's scanline (docs/formats/scanline.md)
// or a keyed account number, plus the check amount and number. An item that cannot post as is —
// unknown account, no stub, paid amount ≠ stub amount, check digit wrong — is queued as an
// exception for a CSR III. POST .../post posts only when the items match the control count and
// total; it posts the ready items in chunks, each item with its own ledger idempotency key
// (posting_key), so a retry or a run after a crash continues where it stopped and never posts an
// item twice. Exceptions post when resolved (after the batch has posted) or with the batch
// (before it has).
//
// Lockbox imports. The whole file is parsed and validated first (remittance/lockbox.h); then
// one batch per bank batch, and the items in file order, kLockboxItemsPerTransaction per
// transaction; the import row counts what is done, so a resumed import (same file, after a
// crash or an error) starts at the first item not yet committed. The same file twice posts
// nothing the second time (keyed by its BLAKE2b hash; the bank's file id + date + origin must not
// reappear with other content).
//
// Result codes: kInvalidInput (field named: JSON field, or "line N: FIELD" for a lockbox file),
// kNotFound, kForbidden (another department's queue item), kUnprocessable (batch does not
// balance, not open, exception already resolved...), kConflict (file id reused with other
// content), kTooLarge (file over its limits), kStorage.
//
// Thread-safety: like every service, safe to share; writes are serialized by the store.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "city/city_config.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "core/money.h"
#include "ledger/ledger.h"
#include "store/db.h"

namespace civicdesk::remittance {

// Business days from receipt to due, by kind of mail.
inline constexpr int kCorrespondenceDueBusinessDays = 10;
inline constexpr int kDisputeDueBusinessDays = 5;
inline constexpr int kApplicationDueBusinessDays = 10;
inline constexpr int kReturnedMailDueBusinessDays = 5;
// Returned mail goes here unless the clerk names a department.
inline constexpr std::string_view kReturnedMailDepartment = "CS";
// A mail batch is what one clerk opens in a sitting; the cap bounds one batch's page and post.
inline constexpr std::int64_t kMaxBatchItems = 5'000;
// Items per write transaction when posting a batch or importing a lockbox file: large enough
// that the commit (an fsync) is a small share, small enough that a transaction stays short.
inline constexpr int kLockboxItemsPerTransaction = 1'000;
inline constexpr std::size_t kMaxSubjectLength = 200;

struct MailInput {
  std::string received_date;  // YYYY-MM-DD; "" = today (City time); never in the future
  std::string kind;           // payment | correspondence | returned_mail | dispute | application
  std::string from_name;      // required
  std::int64_t party_id = 0;  // optional
  std::string subject;
  std::string note;
  std::int64_t batch_id = 0;  // payment: the open mail batch it goes to (required)
  std::string department;     // other kinds: a configured department (returned mail: CS)
};

struct MailPiece {
  std::int64_t id = 0;
  std::string received_date, kind, from_name;
  std::int64_t party_id = 0;
  std::string subject, note;
  std::string routed_to;  // batch | queue
  std::int64_t batch_id = 0;
  std::string department;
  std::int64_t queue_item_id = 0;
  std::string due_date;  // for queued mail
  std::string logged_by_name;
  Timestamp logged_us = 0;
};

struct QueueItem {
  std::int64_t id = 0;
  std::int64_t mail_id = 0;
  std::string department, kind, subject, from_name;
  std::int64_t party_id = 0;
  std::string received_date, due_date, status;  // status: open | done
  bool overdue = false;                         // open and due before today
  std::string completed_by_name, resolution;
  Timestamp completed_us = 0;
};

struct BatchInput {
  std::string batch_date;  // "" = today
  std::int64_t control_count = 0;
  Money control_total;
  std::string note;
};

struct ItemInput {
  std::string scanline;             // as the scanner typed it (spaces allowed); or ""
  std::string account_number;       // keyed instead of a scanline; or ""
  std::optional<Money> amount_due;  // keyed with the account number (optional)
  Money check_amount;               // required, > 0
  std::string check_number;
  std::string payer;
  std::int64_t mail_id = 0;  // optional: the mail log entry of this envelope
};

struct BatchItem {
  std::int64_t id = 0, batch_id = 0;
  int seq = 0;
  std::string entry_method;  // scanned | keyed | none | lockbox
  std::string scanline, account_number, account_ref;
  std::int64_t party_id = 0;
  std::optional<Money> stub_amount;
  Money check_amount;
  std::string check_number, payer;
  std::int64_t mail_id = 0;
  std::string status;            // ready | exception | posted | returned | removed
  std::string exception_reason;  // when queued
  std::int64_t exception_id = 0;
  std::int64_t payment_id = 0;
  std::string posting_key;  // the ledger idempotency key this item posts under (internal)
};

struct Batch {
  std::int64_t id = 0;
  std::string source;  // mail | lockbox
  std::string batch_date;
  std::int64_t control_count = 0;
  Money control_total;
  std::string status;  // open | posting | posted
  std::string note;
  std::int64_t item_count = 0;
  Money item_total;
  std::int64_t count_difference = 0;  // control_count - item_count
  Money total_difference;             // control_total - item_total
  bool balanced = false;
  std::int64_t ready_count = 0, exception_count = 0, returned_count = 0;
  std::int64_t posted_count = 0;
  Money posted_total;
  std::int64_t lockbox_import_id = 0;
  std::int64_t bank_batch = 0;
  std::string created_by_name;
  Timestamp created_us = 0, posted_us = 0;
  std::vector<BatchItem> items;  // filled by batch(id, true)
};

struct PostResult {
  Batch batch;
  std::int64_t posted_now = 0;  // items this call posted (0 on a repeat)
  Money posted_now_total;
};

struct RemittanceException {
  std::int64_t id = 0;
  std::string reason;  // unknown_account | no_stub | amount_mismatch | bad_check_digit |
                       // unreadable_scanline | refused
  std::string message;
  std::string status;  // open | accepted | assigned | rejected
  BatchItem item;
  std::string source;  // mail | lockbox
  Timestamp created_us = 0;
  std::string resolved_by_name, resolution_note;
  Timestamp resolved_us = 0;
};

struct Resolution {
  std::string action;          // accept | assign | reject
  std::string account_number;  // assign: the account to pay, or
  std::int64_t party_id = 0;   // assign: the customer to pay (allocated by the City's rules)
  std::string note;
};

struct LockboxImport {
  std::int64_t id = 0;
  std::string file_hash, origin, file_id, file_date, status;  // status: importing | complete
  std::int64_t batch_count = 0, item_count = 0;
  Money total;
  std::int64_t processed_count = 0;
  std::int64_t posted_count = 0;
  Money posted_total;
  std::int64_t exception_count = 0;
  Money exception_total;
  std::vector<std::int64_t> batch_ids;
  std::string created_by_name;
  Timestamp created_us = 0, completed_us = 0;
  std::int64_t posted_now = 0;  // items this call posted; 0 when the file was already imported
  bool already_imported = false;
};

class MailRoom {
 public:
  MailRoom(store::Database& db, ledger::Ledger& ledger, const CityConfig& city, const Clock& clock);

  [[nodiscard]] Result<MailPiece> log_mail(const Actor& actor, const MailInput& input);
  // Mail logged on `date`, oldest first; at most kMaxPageSize.
  [[nodiscard]] Result<std::vector<MailPiece>> mail_on(const CivilDate& date);

  // The actor's department's queue (or, for a supervisor, `department` or every department),
  // by due date. status: open | done | all. kForbidden for another department's queue.
  [[nodiscard]] Result<std::vector<QueueItem>> queue(const Actor& actor,
                                                     const std::string& department,
                                                     const std::string& status);
  [[nodiscard]] Result<QueueItem> complete_queue_item(const Actor& actor, std::int64_t id,
                                                      const std::string& resolution);

  [[nodiscard]] Result<Batch> open_batch(const Actor& actor, const BatchInput& input);
  [[nodiscard]] Result<BatchItem> add_item(const Actor& actor, std::int64_t batch_id,
                                           const ItemInput& input);
  // Takes a mistyped item out of an open batch (kept, marked removed; its exception closes).
  [[nodiscard]] Result<Batch> remove_item(const Actor& actor, std::int64_t batch_id,
                                          std::int64_t item_id);
  [[nodiscard]] Result<Batch> batch(std::int64_t id, bool with_items);
  // status: open | posting | posted | all; newest first, at most kMaxPageSize.
  [[nodiscard]] Result<std::vector<Batch>> batches(const std::string& status);
  [[nodiscard]] Result<PostResult> post_batch(const Actor& actor, std::int64_t batch_id);

  // status: open | resolved | all; oldest first, at most kMaxPageSize.
  [[nodiscard]] Result<std::vector<RemittanceException>> exceptions(const std::string& status);
  [[nodiscard]] Result<RemittanceException> exception(std::int64_t id);
  [[nodiscard]] Result<RemittanceException> resolve_exception(const Actor& actor, std::int64_t id,
                                                              const Resolution& resolution);

  [[nodiscard]] Result<LockboxImport> import_lockbox(const Actor& actor, std::string_view content);
  [[nodiscard]] Result<LockboxImport> lockbox_import(std::int64_t id);
  // The newest imports first, at most `limit` (≤ kMaxPageSize).
  [[nodiscard]] Result<std::vector<LockboxImport>> lockbox_imports(std::int64_t limit);

  // Tests: items per transaction in posting and imports (default kLockboxItemsPerTransaction).
  void set_items_per_transaction(int n) { items_per_tx_ = n; }

  ledger::Ledger& ledger() { return ledger_; }

 private:
  store::Database& db_;
  ledger::Ledger& ledger_;
  const CityConfig& city_;
  const Clock& clock_;
  BusinessCalendar calendar_;
  int items_per_tx_ = kLockboxItemsPerTransaction;
};

}  // namespace civicdesk::remittance
