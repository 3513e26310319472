// The audit trail: every state change appends one record, in the same transaction as the change.
//
// Records are hash-chained: hash = BLAKE2b-256(prev_hash || canonical(record)), and audit_head
// holds the last sequence number and hash so truncating the tail is caught too. The tables refuse
// UPDATE and DELETE (triggers); verify_audit() recomputes the chain and reports the first record
// that was edited, inserted, deleted or reordered.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/actor.h"
#include "core/clock.h"
#include "core/result.h"
#include "store/db.h"

namespace civicdesk::audit {

struct AuditEntry {
  std::string action;     // e.g. "party.create", "user.role_change", "session.login"
  std::string entity;     // e.g. "party"
  std::string entity_id;  // the entity's id as text
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
};

struct AuditRecord {
  std::int64_t seq = 0;
  Timestamp at_us = 0;
  std::int64_t user_id = 0;
  std::string username, role, action, entity, entity_id;
  std::optional<std::string> before_json, after_json;
  std::string request_id, client, prev_hash, hash;
};

// Appends within the caller's (write) transaction.
[[nodiscard]] Result<void> append(store::Connection& c, const Actor& actor, Timestamp at_us,
                                  const AuditEntry& entry);

struct AuditFilter {
  std::string username;
  std::string entity;
  std::string entity_id;
  std::optional<Timestamp> from_us;  // inclusive
  std::optional<Timestamp> to_us;    // exclusive
  int page = 1;
  int page_size = 50;
};

struct AuditPage {
  std::vector<AuditRecord> items;
  std::int64_t total = 0;
};

[[nodiscard]] Result<AuditPage> list(store::Database& db, const AuditFilter& filter);

struct VerifyReport {
  bool ok = true;
  std::int64_t records = 0;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;             // for people: what is wrong at first_bad_seq
};

[[nodiscard]] Result<VerifyReport> verify(store::Database& db);

// The canonical bytes hashed for a record (exposed for tests).
std::string canonical(const AuditRecord& r);

}  // namespace civicdesk::audit
