#include "audit/audit_log.h"

#include <algorithm>

#include "core/crash_point.h"
#include "core/limits.h"
#include "security/crypto.h"

namespace civicdesk::audit {
namespace {

constexpr char kSep = '\x1f';
constexpr std::int64_t kVerifyBatch = 10'000;

void put(std::string& out, std::string_view s) {
  out.append(s);
  out.push_back(kSep);
}

void put_opt(std::string& out, const std::optional<std::string>& s) {
  // NULL and "" must hash differently.
  if (s) {
    out.push_back('+');
    put(out, *s);
  } else {
    put(out, "-");
  }
}

constexpr const char* kColumns =
    "seq, at_us, user_id, username, role, action, entity, entity_id, before_json, after_json, "
    "request_id, client, prev_hash, hash";

AuditRecord from_row(const store::Row& r) {
  AuditRecord a;
  a.seq = r.integer(0);
  a.at_us = r.integer(1);
  a.user_id = r.opt_integer(2).value_or(0);
  a.username = r.text(3);
  a.role = r.text(4);
  a.action = r.text(5);
  a.entity = r.text(6);
  a.entity_id = r.text(7);
  a.before_json = r.opt_text(8);
  a.after_json = r.opt_text(9);
  a.request_id = r.text(10);
  a.client = r.text(11);
  a.prev_hash = r.text(12);
  a.hash = r.text(13);
  return a;
}

}  // namespace

std::string canonical(const AuditRecord& r) {
  std::string out;
  out.reserve(256);
  put(out, std::to_string(r.seq));
  put(out, std::to_string(r.at_us));
  put(out, std::to_string(r.user_id));
  put(out, r.username);
  put(out, r.role);
  put(out, r.action);
  put(out, r.entity);
  put(out, r.entity_id);
  put_opt(out, r.before_json);
  put_opt(out, r.after_json);
  put(out, r.request_id);
  put(out, r.client);
  put(out, r.prev_hash);
  return out;
}

Result<void> append(store::Connection& c, const Actor& actor, Timestamp at_us,
                    const AuditEntry& entry) {
  CD_ASSIGN(auto head, c.query_one("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
  AuditRecord r;
  r.seq = head.integer(0) + 1;
  r.at_us = at_us;
  r.user_id = actor.user_id.value;
  r.username = actor.username;
  r.role = actor.role;
  r.action = entry.action;
  r.entity = entry.entity;
  r.entity_id = entry.entity_id;
  r.before_json = entry.before_json;
  r.after_json = entry.after_json;
  r.request_id = actor.request_id;
  r.client = actor.client;
  r.prev_hash = head.text(1);
  r.hash = security::blake2b_hex(r.prev_hash + canonical(r));
  CD_TRY(c.exec(
      "INSERT INTO audit_log (seq, at_us, user_id, username, role, action, entity, entity_id, "
      "before_json, after_json, request_id, client, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.seq, r.at_us, r.user_id ? store::Value{r.user_id} : store::null(), r.username, r.role,
       r.action, r.entity, r.entity_id, store::opt_text(r.before_json),
       store::opt_text(r.after_json), r.request_id, r.client, r.prev_hash, r.hash}));
  CRASH_POINT("audit.append.after_insert");  // record written, head not yet moved
  CD_TRY(c.exec("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1",
                {r.seq, r.hash}));
  return {};
}

Result<AuditPage> list(store::Database& db, const AuditFilter& f) {
  std::string where = " WHERE 1 = 1";
  store::Params params;
  if (!f.username.empty()) { where += " AND username = ?"; params.push_back(f.username); }
  if (!f.entity.empty()) { where += " AND entity = ?"; params.push_back(f.entity); }
  if (!f.entity_id.empty()) { where += " AND entity_id = ?"; params.push_back(f.entity_id); }
  if (f.from_us) { where += " AND at_us >= ?"; params.push_back(*f.from_us); }
  if (f.to_us) { where += " AND at_us < ?"; params.push_back(*f.to_us); }
  int page_size = std::clamp(f.page_size, 1, static_cast<int>(kMaxAuditPageSize));
  int page = std::max(f.page, 1);
  return db.read<AuditPage>([&](store::Connection& c) -> Result<AuditPage> {
    AuditPage out;
    CD_ASSIGN(out.total, c.query_int("SELECT COUNT(*) FROM audit_log" + where, params));
    store::Params p = params;
    p.push_back(std::int64_t{page_size});
    p.push_back(std::int64_t{(page - 1) * static_cast<std::int64_t>(page_size)});
    CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kColumns + " FROM audit_log" + where +
                                     " ORDER BY seq DESC LIMIT ? OFFSET ?",
                                 p));
    for (const auto& r : rows) out.items.push_back(from_row(r));
    return out;
  });
}

Result<VerifyReport> verify(store::Database& db) {
  return db.read<VerifyReport>([&](store::Connection& c) -> Result<VerifyReport> {
    VerifyReport rep;
    std::string prev_hash;
    std::int64_t expected_seq = 1;
    for (;;) {
      CD_ASSIGN(auto rows, c.query(std::string("SELECT ") + kColumns +
                                       " FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?",
                                   {expected_seq, kVerifyBatch}));
      for (const auto& row : rows) {
        AuditRecord r = from_row(row);
        auto bad = [&](std::int64_t seq, std::string problem) {
          rep.ok = false;
          rep.first_bad_seq = seq;
          rep.problem = std::move(problem);
        };
        if (r.seq != expected_seq) {
          bad(expected_seq, "record " + std::to_string(expected_seq) +
                                " is missing (deleted); the next record is " +
                                std::to_string(r.seq));
          return rep;
        }
        if (r.prev_hash != prev_hash) {
          bad(r.seq, "record " + std::to_string(r.seq) +
                         " does not follow the previous record (inserted or reordered)");
          return rep;
        }
        if (security::blake2b_hex(r.prev_hash + canonical(r)) != r.hash) {
          bad(r.seq, "record " + std::to_string(r.seq) + " was edited (its hash does not match)");
          return rep;
        }
        prev_hash = r.hash;
        ++expected_seq;
        ++rep.records;
      }
      if (static_cast<std::int64_t>(rows.size()) < kVerifyBatch) break;
    }
    CD_ASSIGN(auto head, c.query_one("SELECT last_seq, last_hash FROM audit_head WHERE id = 1"));
    if (head.integer(0) != rep.records || head.text(1) != prev_hash) {
      rep.ok = false;
      rep.first_bad_seq = rep.records + 1;
      rep.problem = "the trail ends at record " + std::to_string(rep.records) +
                    " but the head says " + std::to_string(head.integer(0)) +
                    " (records deleted from the end, or the head was edited)";
    }
    return rep;
  });
}

}  // namespace civicdesk::audit
