// Delinquency notices to the registered owner (VC 40215): the notice records and their print
// batches. The thin service around notice_pdf.h.
//
// A notice is recorded by the nightly run (record_notice, called by CitationBook::escalate in
// the transaction that posts the notice step), one per (citation, step): status 'ready' when
// the citation has a registered owner (citations.owner_party_id, set by the DMV owner lookup),
// else 'held' with addressee "Registered owner unknown". Nothing is mailed to nobody: a held
// notice waits.
//
// Printing a batch for date D (print_batch) takes, in one transaction, every held or ready
// notice dated D or earlier: a notice whose citation was closed meanwhile (paid, dismissed,
// void, written off) is withdrawn; one whose owner is still unknown, or has no address, stays
// held (counted); the
// rest get the owner's name and mailing address, the amount due and the review deadline as of
// D (14 days after mailing, VC 40215(a)), are marked printed in the batch, and their citations'
// notice_mailed_on becomes D. One batch per date: printing D again returns the same batch (its
// PDF is drawn from the stored notices, so it is the same letters), never a second notice.
//
// Result codes: kInvalidInput (field named), kNotFound (batch), kUnprocessable (a batch with
// no notices has no PDF), kStorage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "citations/notice_pdf.h"
#include "city/city_config.h"
#include "core/actor.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "store/db.h"

namespace civicdesk::citations {

inline constexpr std::string_view kOwnerUnknown = "Registered owner unknown";
inline constexpr int kMaxNoticeBatchesListed = 100;

struct NoticeRecord {
  std::int64_t id = 0;
  std::int64_t citation_id = 0;
  std::string citation_number;
  int step_number = 0;
  std::string kind;    // delinquency
  std::string status;  // held | ready | printed | withdrawn
  std::string notice_on;
  std::int64_t addressee_party_id = 0;  // 0: unknown
  std::string addressee_name;
  std::vector<std::string> address_lines;
  Money fine, penalties, amount_due;
  std::string review_deadline;  // the last day to pay or request a review
  std::int64_t batch_id = 0;
  std::string mailed_on;  // "" until printed
  std::string note;
};

struct NoticeBatch {
  std::int64_t id = 0;
  std::string batch_on;
  std::int64_t notice_count = 0;  // printed in it
  Money total_due;
  std::int64_t held_count = 0;  // waiting for an owner when it was printed
  std::string created_by_name;
  Timestamp created_us = 0;
  bool already_printed = false;       // print_batch: the date's batch existed; nothing changed
  std::vector<NoticeRecord> notices;  // filled by batch(id) and print_batch
};

// Inside the nightly run's transaction: the notice of `step_number` for the citation, dated
// `notice_on`. A second call for the same step changes nothing.
[[nodiscard]] Result<void> record_notice(store::Connection& c, const CitationRules& rules,
                                         const BusinessCalendar& calendar, std::int64_t citation_id,
                                         int step_number, CivilDate notice_on, Timestamp now_us);

// A citation's notices, oldest first (the citation page's notice history).
[[nodiscard]] Result<std::vector<NoticeRecord>> notices_of(store::Connection& c,
                                                           std::int64_t citation_id);

class NoticeBook {
 public:
  NoticeBook(store::Database& db, const CityConfig& city, const Clock& clock,
             const BusinessCalendar& calendar);

  // The batch of `batch_on` (today or earlier; kInvalidInput "date" otherwise), printed now or
  // before.
  [[nodiscard]] Result<NoticeBatch> print_batch(const Actor& actor, CivilDate batch_on,
                                                CivilDate today);
  [[nodiscard]] Result<NoticeBatch> batch(std::int64_t id);
  // Newest first, at most kMaxNoticeBatchesListed.
  [[nodiscard]] Result<std::vector<NoticeBatch>> batches();
  // The batch's letters as one PDF. kUnprocessable when it printed no notice.
  [[nodiscard]] Result<std::string> batch_pdf(std::int64_t id,
                                              const NoticePdfOptions& options = {});

 private:
  store::Database& db_;
  const CityConfig& city_;
  const Clock& clock_;
  const BusinessCalendar& calendar_;
};

}  // namespace civicdesk::citations
