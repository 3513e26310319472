// Lockbox imports: validate the whole file, then post what matches and queue what doesn't, a
// chunk of items per transaction, resumable at the first item not yet committed.
#include <algorithm>
#include <boost/json.hpp>
#include <map>

#include "remittance/lockbox.h"
#include "remittance/mailroom.h"
#include "remittance/mailroom_internal.h"
#include "remittance/matching.h"
#include "remittance/scanline.h"
#include "security/crypto.h"

namespace civicdesk::remittance {
namespace json = boost::json;
using namespace detail;

namespace {

// Enough of the file's BLAKE2b-256 hash to name it in keys (128 bits).
constexpr std::size_t kKeyHashChars = 32;

struct Started {
  std::int64_t import_id = 0;
  bool complete = false;
  std::map<int, std::int64_t> batch_ids;  // bank batch number → remittance batch
};

constexpr const char* kImportSelect =
    "SELECT id, file_hash, origin, file_id, file_date, status, batch_count, item_count, "
    "total_cents, processed_count, posted_count, posted_cents, exception_count, "
    "exception_cents, created_by_name, created_us, completed_us FROM lockbox_imports ";

Result<LockboxImport> load_import(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query(std::string(kImportSelect) + "WHERE id = ?", {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no lockbox import " + std::to_string(id));
  const auto& r = rows[0];
  LockboxImport i;
  i.id = r.integer(0);
  i.file_hash = r.text(1);
  i.origin = r.text(2);
  i.file_id = r.text(3);
  i.file_date = r.text(4);
  i.status = r.text(5);
  i.batch_count = r.integer(6);
  i.item_count = r.integer(7);
  i.total = Money::from_cents(r.integer(8));
  i.processed_count = r.integer(9);
  i.posted_count = r.integer(10);
  i.posted_total = Money::from_cents(r.integer(11));
  i.exception_count = r.integer(12);
  i.exception_total = Money::from_cents(r.integer(13));
  i.created_by_name = r.text(14);
  i.created_us = r.integer(15);
  i.completed_us = r.opt_integer(16).value_or(0);
  CD_ASSIGN(auto batches, c.query("SELECT id FROM remittance_batches WHERE lockbox_import_id = ? "
                                  "ORDER BY bank_batch",
                                  {id}));
  for (const auto& b : batches) i.batch_ids.push_back(b.integer(0));
  return i;
}

Result<std::map<int, std::int64_t>> batch_ids_of(store::Connection& c, std::int64_t import_id) {
  CD_ASSIGN(auto rows, c.query("SELECT bank_batch, id FROM remittance_batches WHERE "
                               "lockbox_import_id = ?",
                               {import_id}));
  std::map<int, std::int64_t> out;
  for (const auto& r : rows) out[static_cast<int>(r.integer(0))] = r.integer(1);
  return out;
}

// Finds the import of this file, or records it with one batch per bank batch.
Result<Started> start_import(store::Connection& c, const Actor& actor, const LockboxFile& f,
                             const std::string& hash, Timestamp now) {
  Started s;
  CD_ASSIGN(auto same,
            c.query("SELECT id, status FROM lockbox_imports WHERE file_hash = ?", {hash}));
  if (!same.empty()) {
    s.import_id = same[0].integer(0);
    s.complete = same[0].text(1) == "complete";
    CD_ASSIGN(s.batch_ids, batch_ids_of(c, s.import_id));
    return s;
  }
  CD_ASSIGN(auto reused, c.query("SELECT id FROM lockbox_imports WHERE origin = ? AND file_id = ? "
                                 "AND file_date = ?",
                                 {f.origin, f.file_id, f.file_date.iso()}));
  if (!reused.empty())
    return fail(ErrorCode::kConflict,
                "file " + f.file_id + " of " + f.file_date.iso() + " from " + f.origin +
                    " was already imported (import " + std::to_string(reused[0].integer(0)) +
                    ") with different content; ask the bank which one is right",
                "file_id");
  CD_ASSIGN(s.import_id,
            c.query_int("INSERT INTO lockbox_imports (file_hash, origin, destination, file_id, "
                        "file_date, status, batch_count, item_count, total_cents, created_by, "
                        "created_by_name, created_us) VALUES (?, ?, ?, ?, ?, 'importing', ?, ?, "
                        "?, ?, ?, ?) RETURNING id",
                        {hash, f.origin, f.destination, f.file_id, f.file_date.iso(),
                         static_cast<std::int64_t>(f.batches.size()), f.item_count, f.total_cents,
                         id_or_null(actor.user_id.value), actor.username, now}));
  for (const auto& b : f.batches) {
    CD_ASSIGN(
        auto id,
        c.query_int("INSERT INTO remittance_batches (source, batch_date, control_count, "
                    "control_total_cents, status, note, lockbox_import_id, bank_batch, "
                    "lockbox_number, created_by, created_by_name, created_us) VALUES "
                    "('lockbox', ?, ?, ?, 'posting', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    {b.deposit_date.iso(), static_cast<std::int64_t>(b.items.size()), b.total_cents,
                     "lockbox file " + f.file_id, s.import_id, static_cast<std::int64_t>(b.number),
                     b.lockbox, id_or_null(actor.user_id.value), actor.username, now}));
    s.batch_ids[b.number] = id;
  }
  CD_TRY(audit(c, actor, now, "lockbox.import_started", "lockbox_import", s.import_id,
               json::serialize(json::object{{"file_id", f.file_id},
                                            {"origin", f.origin},
                                            {"items", f.item_count},
                                            {"total_cents", f.total_cents}})));
  return s;
}

struct ChunkTotals {
  std::int64_t processed = 0, posted = 0, posted_cents = 0, queued = 0, queued_cents = 0;
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> per_batch;  // posted n, cents
};

}  // namespace

Result<LockboxImport> MailRoom::import_lockbox(const Actor& actor, std::string_view content) {
  CD_ASSIGN(LockboxFile file, parse_lockbox(content));
  std::string hash = security::blake2b_hex(content);
  std::string key_prefix = "lockbox:" + hash.substr(0, kKeyHashChars) + ":";
  std::vector<const LockboxItem*> items;
  items.reserve(static_cast<std::size_t>(file.item_count));
  for (const auto& b : file.batches)
    for (const auto& i : b.items) items.push_back(&i);

  CD_ASSIGN(Started started, db_.write<Started>([&](store::Connection& c) {
    return start_import(c, actor, file, hash, clock_.now_us());
  }));
  if (started.complete) {
    CD_ASSIGN(LockboxImport done, lockbox_import(started.import_id));
    done.already_imported = true;
    return done;
  }

  std::int64_t posted_now = 0;
  for (;;) {
    CD_ASSIGN(std::int64_t posted, db_.write<std::int64_t>([&](store::Connection& c)
                                                               -> Result<std::int64_t> {
      CD_ASSIGN(auto from, c.query_int("SELECT processed_count FROM lockbox_imports WHERE id = ?",
                                       {started.import_id}));
      auto size = static_cast<std::int64_t>(items.size());
      if (from >= size) return -1;
      std::int64_t to = std::min(size, from + items_per_tx_);
      Timestamp now = clock_.now_us();
      ChunkTotals t;
      for (std::int64_t k = from; k < to; ++k) {
        const LockboxItem& li = *items[static_cast<std::size_t>(k)];
        std::int64_t batch_id = started.batch_ids.at(li.batch);
        StubReading reading = read_lockbox_stub(li.scanline);
        std::optional<std::int64_t> party;
        if (reading.account_number) {
          CD_ASSIGN(party, party_for_account(c, reading.account_number));
        }
        Decision d = decide(reading, party.has_value(), li.amount_cents);
        BatchItem item;
        item.batch_id = batch_id;
        item.party_id = party.value_or(0);
        item.account_number = reading.account_number ? std::to_string(reading.account_number) : "";
        item.account_ref = party ? account_ref_for(reading.account_number) : "";
        item.check_amount = Money::from_cents(li.amount_cents);
        item.check_number = li.check_number;
        item.payer = li.payer;
        item.posting_key = key_prefix + std::to_string(li.batch) + ":" + std::to_string(li.seq);
        CD_ASSIGN(item.id,
                  c.query_int("INSERT INTO remittance_items (batch_id, seq, entry_method, "
                              "scanline, account_number, account_ref, party_id, "
                              "stub_amount_cents, check_amount_cents, check_number, payer, "
                              "status, posting_key, created_us) VALUES (?, ?, 'lockbox', ?, ?, ?, "
                              "?, ?, ?, ?, ?, 'ready', ?, ?) RETURNING id",
                              {batch_id, static_cast<std::int64_t>(li.seq), reading.scanline,
                               item.account_number, item.account_ref, id_or_null(item.party_id),
                               reading.amount_due_cents ? store::Value{*reading.amount_due_cents}
                                                        : store::null(),
                               li.amount_cents, li.check_number, li.payer, item.posting_key, now}));
        bool posted_item = false;
        if (d.reason.empty()) {
          CD_ASSIGN(PostOutcome o, post_or_queue(c, ledger_, actor, item, "lockbox", now));
          posted_item = o.posted;
        } else {
          CD_TRY(queue_exception(c, item.id, d.reason, d.message, now));
        }
        ++t.processed;
        if (posted_item) {
          ++t.posted;
          t.posted_cents += li.amount_cents;
          t.per_batch[batch_id].first += 1;
          t.per_batch[batch_id].second += li.amount_cents;
        } else {
          ++t.queued;
          t.queued_cents += li.amount_cents;
        }
        CRASH_POINT("lockbox.import.after_item");
      }
      CD_TRY(c.exec(
          "UPDATE lockbox_imports SET processed_count = processed_count + ?, "
          "posted_count = posted_count + ?, posted_cents = posted_cents + ?, "
          "exception_count = exception_count + ?, exception_cents = "
          "exception_cents + ? WHERE id = ?",
          {t.processed, t.posted, t.posted_cents, t.queued, t.queued_cents, started.import_id}));
      for (const auto& [batch_id, sums] : t.per_batch)
        CD_TRY(
            c.exec("UPDATE remittance_batches SET posted_count = posted_count + ?, "
                   "posted_total_cents = posted_total_cents + ? WHERE id = ?",
                   {sums.first, sums.second, batch_id}));
      return t.posted;
    }));
    if (posted < 0) break;
    posted_now += posted;
  }

  CD_ASSIGN(LockboxImport out,
            db_.write<LockboxImport>([&](store::Connection& c) -> Result<LockboxImport> {
              CD_ASSIGN(LockboxImport i, load_import(c, started.import_id));
              if (i.status == "complete") return i;
              Timestamp now = clock_.now_us();
              CD_TRY(
                  c.exec("UPDATE remittance_batches SET status = 'posted', posted_us = ? WHERE "
                         "lockbox_import_id = ?",
                         {now, started.import_id}));
              CD_TRY(c.exec(
                  "UPDATE lockbox_imports SET status = 'complete', completed_us = ? WHERE id = ?",
                  {now, started.import_id}));
              CD_TRY(audit(c, actor, now, "lockbox.import", "lockbox_import", started.import_id,
                           json::serialize(json::object{
                               {"posted_count", i.posted_count},
                               {"posted_total", format_plain(i.posted_total)},
                               {"exception_count", i.exception_count},
                               {"exception_total", format_plain(i.exception_total)}})));
              return load_import(c, started.import_id);
            }));
  out.posted_now = posted_now;
  return out;
}

Result<LockboxImport> MailRoom::lockbox_import(std::int64_t id) {
  return db_.read<LockboxImport>([&](store::Connection& c) { return load_import(c, id); });
}

Result<std::vector<LockboxImport>> MailRoom::lockbox_imports(std::int64_t limit) {
  limit = std::clamp<std::int64_t>(limit, 1, static_cast<std::int64_t>(kMaxPageSize));
  return db_.read<std::vector<LockboxImport>>(
      [&](store::Connection& c) -> Result<std::vector<LockboxImport>> {
        CD_ASSIGN(auto rows,
                  c.query("SELECT id FROM lockbox_imports ORDER BY id DESC LIMIT ?", {limit}));
        std::vector<LockboxImport> out;
        for (const auto& r : rows) {
          CD_ASSIGN(auto i, load_import(c, r.integer(0)));
          out.push_back(std::move(i));
        }
        return out;
      });
}

}  // namespace civicdesk::remittance
