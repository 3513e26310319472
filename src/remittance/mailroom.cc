// The mail log and the department work queues, and the helpers the batch and lockbox code share.
#include "remittance/mailroom.h"

#include <algorithm>
#include <boost/json.hpp>

#include "audit/audit_log.h"
#include "core/limits.h"
#include "remittance/mailroom_internal.h"
#include "remittance/scanline.h"

namespace civicdesk::remittance {
namespace json = boost::json;
using namespace detail;

namespace detail {

const char* const kItemColumns =
    "i.id, i.batch_id, i.seq, i.entry_method, i.scanline, i.account_number, i.account_ref, "
    "i.party_id, i.stub_amount_cents, i.check_amount_cents, i.check_number, i.payer, i.mail_id, "
    "i.status, i.exception_reason, i.payment_id, "
    "(SELECT e.id FROM remittance_exceptions e WHERE e.item_id = i.id), i.posting_key";

BatchItem item_from_row(const store::Row& r) {
  BatchItem i;
  i.id = r.integer(0);
  i.batch_id = r.integer(1);
  i.seq = static_cast<int>(r.integer(2));
  i.entry_method = r.text(3);
  i.scanline = r.text(4);
  i.account_number = r.text(5);
  i.account_ref = r.text(6);
  i.party_id = r.opt_integer(7).value_or(0);
  if (auto s = r.opt_integer(8)) i.stub_amount = Money::from_cents(*s);
  i.check_amount = Money::from_cents(r.integer(9));
  i.check_number = r.text(10);
  i.payer = r.text(11);
  i.mail_id = r.opt_integer(12).value_or(0);
  i.status = r.text(13);
  i.exception_reason = r.text(14);
  i.payment_id = r.opt_integer(15).value_or(0);
  i.exception_id = r.opt_integer(16).value_or(0);
  i.posting_key = r.text(17);
  return i;
}

store::Value id_or_null(std::int64_t id) {
  return id ? store::Value{id} : store::null();
}

Result<BatchItem> load_item(store::Connection& c, std::int64_t id) {
  CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kItemColumns +
                                   " FROM remittance_items i WHERE i.id = ?",
                               {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no batch item " + std::to_string(id));
  return item_from_row(rows[0]);
}

Result<Batch> load_batch(store::Connection& c, std::int64_t id, bool with_items) {
  CD_ASSIGN(auto rows,
            c.query("SELECT id, source, batch_date, control_count, control_total_cents, status, "
                    "note, posted_count, posted_total_cents, lockbox_import_id, bank_batch, "
                    "created_by_name, created_us, posted_us FROM remittance_batches WHERE id = ?",
                    {id}));
  if (rows.empty()) return fail(ErrorCode::kNotFound, "no batch " + std::to_string(id));
  const auto& r = rows[0];
  Batch b;
  b.id = r.integer(0);
  b.source = r.text(1);
  b.batch_date = r.text(2);
  b.control_count = r.integer(3);
  b.control_total = Money::from_cents(r.integer(4));
  b.status = r.text(5);
  b.note = r.text(6);
  b.posted_count = r.integer(7);
  b.posted_total = Money::from_cents(r.integer(8));
  b.lockbox_import_id = r.opt_integer(9).value_or(0);
  b.bank_batch = r.opt_integer(10).value_or(0);
  b.created_by_name = r.text(11);
  b.created_us = r.integer(12);
  b.posted_us = r.opt_integer(13).value_or(0);
  CD_ASSIGN(auto counts, c.query("SELECT status, COUNT(*), COALESCE(SUM(check_amount_cents), 0) "
                                 "FROM remittance_items WHERE batch_id = ? GROUP BY status",
                                 {id}));
  std::int64_t total = 0;
  for (const auto& s : counts) {
    std::string status = s.text(0);
    if (status == "removed") continue;
    b.item_count += s.integer(1);
    total += s.integer(2);
    if (status == "ready") b.ready_count = s.integer(1);
    if (status == "exception") b.exception_count = s.integer(1);
    if (status == "returned") b.returned_count = s.integer(1);
  }
  b.item_total = Money::from_cents(total);
  b.count_difference = b.control_count - b.item_count;
  b.total_difference = Money::from_cents(b.control_total.cents() - total);
  b.balanced = b.count_difference == 0 && b.total_difference.is_zero();
  if (with_items) {
    CD_ASSIGN(auto items, c.query(std::string("SELECT ") + kItemColumns +
                                      " FROM remittance_items i WHERE i.batch_id = ? "
                                      "ORDER BY i.seq LIMIT ?",
                                  {id, static_cast<std::int64_t>(kMaxBatchItems)}));
    for (const auto& i : items) b.items.push_back(item_from_row(i));
  }
  return b;
}

Result<std::optional<std::int64_t>> party_for_account(store::Connection& c,
                                                      std::int64_t account_number) {
  CD_ASSIGN(auto rows, c.query("SELECT party_id FROM obligations WHERE account_ref = ? "
                               "ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, id DESC "
                               "LIMIT 1",
                               {account_ref_for(account_number)}));
  if (rows.empty()) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{rows[0].integer(0)};
}

Result<std::int64_t> queue_exception(store::Connection& c, std::int64_t item_id,
                                     const std::string& reason, const std::string& message,
                                     Timestamp now_us) {
  CD_TRY(
      c.exec("UPDATE remittance_items SET status = 'exception', exception_reason = ? "
             "WHERE id = ?",
             {reason, item_id}));
  return c.query_int(
      "INSERT INTO remittance_exceptions (item_id, reason, message, status, "
      "created_us) VALUES (?, ?, ?, 'open', ?) RETURNING id",
      {item_id, reason, message, now_us});
}

namespace {
bool is_refusal(ErrorCode code) {
  return code == ErrorCode::kUnprocessable || code == ErrorCode::kInvalidInput ||
         code == ErrorCode::kNotFound || code == ErrorCode::kForbidden;
}
}  // namespace

Result<PostOutcome> post_item(store::Connection& c, ledger::Ledger& ledger, const Actor& actor,
                              const BatchItem& item, const std::string& channel, Timestamp now_us) {
  (void)now_us;
  ledger::PaymentRequest r;
  r.party_id = item.party_id;
  r.amount = item.check_amount;
  r.tender = "check";
  r.channel = channel;
  r.payer = item.payer;
  r.reference = (item.check_number.empty() ? std::string("check") : "check " + item.check_number)
                    .substr(0, kMaxReferenceLength);
  r.account_ref = item.account_ref;
  r.idempotency_key = item.posting_key;
  CD_TRY(c.exec_script("SAVEPOINT remittance_item"));
  auto paid = ledger.pay_within(c, actor, r);
  if (!paid) {
    if (!is_refusal(paid.error().code)) return std::unexpected(paid.error());
    CD_TRY(
        c.exec_script("ROLLBACK TO SAVEPOINT remittance_item; RELEASE SAVEPOINT remittance_item"));
    return PostOutcome{false, 0, paid.error()};
  }
  CD_TRY(c.exec_script("RELEASE SAVEPOINT remittance_item"));
  CD_TRY(c.exec("UPDATE remittance_items SET status = 'posted', payment_id = ? WHERE id = ?",
                {paid->payment.id, item.id}));
  return PostOutcome{true, paid->payment.id, {}};
}

Result<PostOutcome> post_or_queue(store::Connection& c, ledger::Ledger& ledger, const Actor& actor,
                                  const BatchItem& item, const std::string& channel,
                                  Timestamp now_us) {
  CD_ASSIGN(PostOutcome o, post_item(c, ledger, actor, item, channel, now_us));
  if (!o.posted)
    CD_TRY(queue_exception(c, item.id, std::string("refused"),
                           "the ledger refused the payment: " + o.refusal.message, now_us));
  return o;
}

Result<void> audit(store::Connection& c, const Actor& actor, Timestamp now_us,
                   const std::string& action, const std::string& entity, std::int64_t id,
                   const std::string& after_json) {
  return audit::append(c, actor, now_us,
                       {action, entity, std::to_string(id), std::nullopt, after_json});
}

}  // namespace detail

namespace {

constexpr std::string_view kMailKinds[] = {"payment", "correspondence", "returned_mail", "dispute",
                                           "application"};

std::vector<CivilDate> holiday_dates(const CityConfig& city) {
  std::vector<CivilDate> out;
  for (const auto& h : city.holidays) out.push_back(h.date);
  return out;
}

int due_business_days(const std::string& kind) {
  if (kind == "dispute") return kDisputeDueBusinessDays;
  if (kind == "application") return kApplicationDueBusinessDays;
  if (kind == "returned_mail") return kReturnedMailDueBusinessDays;
  return kCorrespondenceDueBusinessDays;
}

bool is_department(const CityConfig& city, const std::string& code) {
  return std::any_of(city.departments.begin(), city.departments.end(),
                     [&](const Department& d) { return d.code == code; });
}

bool is_supervisor(const Actor& a) {
  return a.role == "supervisor";
}

Result<std::string> department_of(store::Connection& c, const Actor& a) {
  if (a.user_id.value == 0) return std::string();
  CD_ASSIGN(auto rows, c.query("SELECT department FROM users WHERE id = ?", {a.user_id.value}));
  return rows.empty() ? std::string() : rows[0].text(0);
}

Result<void> validate_mail(const MailInput& in, const CityConfig& city) {
  if (std::find(std::begin(kMailKinds), std::end(kMailKinds), in.kind) == std::end(kMailKinds))
    return fail(Error::invalid("kind",
                               "kind must be payment, correspondence, returned_mail, "
                               "dispute or application"));
  if (in.from_name.empty()) return fail(Error::invalid("from_name", "say who the mail is from"));
  CD_TRY(check_length(in.from_name, kMaxNameLength, "from_name"));
  CD_TRY(check_length(in.subject, kMaxSubjectLength, "subject"));
  CD_TRY(check_length(in.note, kMaxNoteLength, "note"));
  if (in.kind == "payment") {
    if (in.batch_id <= 0)
      return fail(Error::invalid("batch_id", "a payment goes to an open remittance batch"));
    if (!in.department.empty())
      return fail(Error::invalid("department", "payments go to a batch, not a department"));
  } else {
    if (in.batch_id)
      return fail(Error::invalid("batch_id", "only payments go to a remittance batch"));
    std::string dept = in.department.empty() && in.kind == "returned_mail"
                           ? std::string(kReturnedMailDepartment)
                           : in.department;
    if (dept.empty())
      return fail(Error::invalid("department", "route it to a department's work queue"));
    if (!is_department(city, dept))
      return fail(Error::invalid("department", "no department " + dept));
  }
  return {};
}

MailPiece mail_from_row(const store::Row& r) {
  MailPiece m;
  m.id = r.integer(0);
  m.received_date = r.text(1);
  m.kind = r.text(2);
  m.from_name = r.text(3);
  m.party_id = r.opt_integer(4).value_or(0);
  m.subject = r.text(5);
  m.note = r.text(6);
  m.routed_to = r.text(7);
  m.batch_id = r.opt_integer(8).value_or(0);
  m.department = r.text(9);
  m.logged_by_name = r.text(10);
  m.logged_us = r.integer(11);
  m.queue_item_id = r.opt_integer(12).value_or(0);
  m.due_date = r.text(13);
  return m;
}

constexpr const char* kMailSelect =
    "SELECT m.id, m.received_date, m.kind, m.from_name, m.party_id, m.subject, m.note, "
    "m.routed_to, m.batch_id, m.department, m.logged_by_name, m.logged_us, q.id, q.due_date "
    "FROM mail_log m LEFT JOIN work_queue_items q ON q.mail_id = m.id ";

constexpr const char* kQueueSelect =
    "SELECT id, mail_id, department, kind, subject, from_name, party_id, received_date, "
    "due_date, status, completed_by_name, resolution, completed_us FROM work_queue_items ";

QueueItem queue_from_row(const store::Row& r, const CivilDate& today) {
  QueueItem q;
  q.id = r.integer(0);
  q.mail_id = r.integer(1);
  q.department = r.text(2);
  q.kind = r.text(3);
  q.subject = r.text(4);
  q.from_name = r.text(5);
  q.party_id = r.opt_integer(6).value_or(0);
  q.received_date = r.text(7);
  q.due_date = r.text(8);
  q.status = r.text(9);
  q.completed_by_name = r.text(10);
  q.resolution = r.text(11);
  q.completed_us = r.opt_integer(12).value_or(0);
  q.overdue = q.status == "open" && q.due_date < today.iso();
  return q;
}

}  // namespace

MailRoom::MailRoom(store::Database& db, ledger::Ledger& ledger, const CityConfig& city,
                   const Clock& clock)
    : db_(db), ledger_(ledger), city_(city), clock_(clock), calendar_(holiday_dates(city)) {}

Result<MailPiece> MailRoom::log_mail(const Actor& actor, const MailInput& input) {
  CD_TRY(validate_mail(input, city_));
  CivilDate today = ledger_.today();
  CivilDate received = today;
  if (!input.received_date.empty()) {
    CD_ASSIGN(received, parse_date(input.received_date, "received_date"));
    if (received > today)
      return fail(Error::invalid("received_date", "mail cannot be received after today"));
  }
  MailInput in = input;
  if (in.kind == "returned_mail" && in.department.empty())
    in.department = std::string(kReturnedMailDepartment);
  Timestamp now = clock_.now_us();
  return db_.write<MailPiece>([&](store::Connection& c) -> Result<MailPiece> {
    if (in.party_id) {
      CD_ASSIGN(auto n, c.query_int("SELECT COUNT(*) FROM parties WHERE id = ?", {in.party_id}));
      if (n == 0)
        return fail(Error::invalid("party_id", "no customer " + std::to_string(in.party_id)));
    }
    if (in.kind == "payment") {
      auto b = c.query("SELECT status, source FROM remittance_batches WHERE id = ?", {in.batch_id});
      if (!b) return std::unexpected(b.error());
      if (b->empty() || (*b)[0].text(1) != "mail")
        return fail(Error::invalid("batch_id", "no mail batch " + std::to_string(in.batch_id)));
      if ((*b)[0].text(0) != "open")
        return fail(ErrorCode::kUnprocessable,
                    "batch " + std::to_string(in.batch_id) + " is no longer open", "batch_id");
    }
    CD_ASSIGN(
        auto id,
        c.query_int("INSERT INTO mail_log (received_date, kind, from_name, party_id, "
                    "subject, note, routed_to, batch_id, department, logged_by, "
                    "logged_by_name, logged_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    "?) RETURNING id",
                    {received.iso(), in.kind, in.from_name, id_or_null(in.party_id), in.subject,
                     in.note, in.kind == "payment" ? "batch" : "queue", id_or_null(in.batch_id),
                     in.department, id_or_null(actor.user_id.value), actor.username, now}));
    json::object after{{"kind", in.kind}, {"from_name", in.from_name}};
    if (in.kind != "payment") {
      CivilDate due = calendar_.add_business_days(received, due_business_days(in.kind));
      std::string kind_words = in.kind;
      std::replace(kind_words.begin(), kind_words.end(), '_', ' ');
      std::string subject = in.subject.empty() ? kind_words + " from " + in.from_name : in.subject;
      CD_TRY(
          c.exec("INSERT INTO work_queue_items (mail_id, department, kind, subject, "
                 "from_name, party_id, received_date, due_date, status, created_us) VALUES "
                 "(?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                 {id, in.department, in.kind, subject, in.from_name, id_or_null(in.party_id),
                  received.iso(), due.iso(), now}));
      after["department"] = in.department;
      after["due_date"] = due.iso();
    } else {
      after["batch_id"] = in.batch_id;
    }
    CD_TRY(audit(c, actor, now, "mail.log", "mail", id, json::serialize(after)));
    CD_ASSIGN(auto row, c.query_one(std::string(kMailSelect) + "WHERE m.id = ?", {id}));
    return mail_from_row(row);
  });
}

Result<std::vector<MailPiece>> MailRoom::mail_on(const CivilDate& date) {
  return db_.read<std::vector<MailPiece>>(
      [&](store::Connection& c) -> Result<std::vector<MailPiece>> {
        CD_ASSIGN(auto rows, c.query(std::string(kMailSelect) +
                                         "WHERE m.received_date = ? ORDER BY m.id LIMIT ?",
                                     {date.iso(), static_cast<std::int64_t>(kMaxPageSize)}));
        std::vector<MailPiece> out;
        for (const auto& r : rows) out.push_back(mail_from_row(r));
        return out;
      });
}

Result<std::vector<QueueItem>> MailRoom::queue(const Actor& actor, const std::string& department,
                                               const std::string& status) {
  if (status != "open" && status != "done" && status != "all")
    return fail(Error::invalid("status", "status must be open, done or all"));
  CivilDate today = ledger_.today();
  return db_.read<std::vector<QueueItem>>(
      [&](store::Connection& c) -> Result<std::vector<QueueItem>> {
        CD_ASSIGN(std::string own, department_of(c, actor));
        std::string dept = department;
        if (!is_supervisor(actor)) {
          if (!dept.empty() && dept != own)
            return fail(ErrorCode::kForbidden,
                        "the " + dept + " queue is visible to its own department's users",
                        "department");
          dept = own;
          if (dept.empty()) return std::vector<QueueItem>{};
        }
        std::string sql = kQueueSelect;
        store::Params params;
        std::string where;
        if (!dept.empty()) {
          where += "department = ?";
          params.push_back(dept);
        }
        if (status != "all") {
          where += std::string(where.empty() ? "" : " AND ") + "status = ?";
          params.push_back(status);
        }
        if (!where.empty()) sql += "WHERE " + where;
        sql += " ORDER BY due_date, id LIMIT ?";
        params.push_back(static_cast<std::int64_t>(kMaxPageSize));
        CD_ASSIGN(auto rows, c.query(sql, params));
        std::vector<QueueItem> out;
        for (const auto& r : rows) out.push_back(queue_from_row(r, today));
        return out;
      });
}

Result<QueueItem> MailRoom::complete_queue_item(const Actor& actor, std::int64_t id,
                                                const std::string& resolution) {
  CD_TRY(check_length(resolution, kMaxNoteLength, "resolution"));
  if (resolution.empty()) return fail(Error::invalid("resolution", "say how the item was handled"));
  CivilDate today = ledger_.today();
  Timestamp now = clock_.now_us();
  return db_.write<QueueItem>([&](store::Connection& c) -> Result<QueueItem> {
    CD_ASSIGN(auto rows, c.query(std::string(kQueueSelect) + "WHERE id = ?", {id}));
    if (rows.empty()) return fail(ErrorCode::kNotFound, "no work queue item " + std::to_string(id));
    QueueItem q = queue_from_row(rows[0], today);
    CD_ASSIGN(std::string own, department_of(c, actor));
    if (!is_supervisor(actor) && own != q.department)
      return fail(ErrorCode::kForbidden,
                  "this item belongs to the " + q.department + " department's queue");
    if (q.status != "open")
      return fail(ErrorCode::kUnprocessable, "this item was already completed");
    CD_TRY(
        c.exec("UPDATE work_queue_items SET status = 'done', completed_by = ?, "
               "completed_by_name = ?, completed_us = ?, resolution = ? WHERE id = ?",
               {id_or_null(actor.user_id.value), actor.username, now, resolution, id}));
    CD_TRY(audit(c, actor, now, "queue.complete", "work_queue_item", id,
                 json::serialize(json::object{{"resolution", resolution}})));
    CD_ASSIGN(auto row, c.query_one(std::string(kQueueSelect) + "WHERE id = ?", {id}));
    return queue_from_row(row, today);
  });
}

}  // namespace civicdesk::remittance
