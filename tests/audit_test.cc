// The audit chain: every change is recorded with who, what, before and after, and
// `audit verify` finds the first record that was edited, deleted, inserted or cut from the end.
#include "audit/audit_log.h"
#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

class AuditTest : public AppTest {
 protected:
  // Five records: a user, then four parties.
  void make_history() {
    make_user("csr2");
    std::vector<customers::DuplicateCandidate> dups;
    for (int i = 0; i < 4; ++i) {
      customers::PartyInput p;
      p.first_name = "Ann" + std::string(1, static_cast<char>('a' + i));
      p.last_name = "Audit";
      auto party = app_->parties().create(actor(), p, false, dups);
      ASSERT_TRUE(party) << party.error().message;
    }
  }
  Actor actor() { return Actor{UserId{1}, "csr2", "csr2", "req-1", "127.0.0.1"}; }

  // Tampering needs the append-only triggers out of the way, as an attacker with DB access would.
  void exec_as_attacker(const std::string& sql) {
    auto c = app_->db().acquire();
    ASSERT_TRUE(c);
    bool sqlite = app_->db().dialect() == store::Dialect::kSqlite;
    std::string drop = sqlite ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                              : "ALTER TABLE audit_log DISABLE TRIGGER USER;";
    ASSERT_TRUE((*c)->exec_script(drop + sql));
  }

  audit::VerifyReport verify() {
    auto rep = audit::verify(app_->db());
    EXPECT_TRUE(rep) << rep.error().message;
    return rep ? *rep : audit::VerifyReport{};
  }
};

TEST_P(AuditTest, IntactChainVerifies) {
  make_history();
  auto rep = verify();
  EXPECT_TRUE(rep.ok) << rep.problem;
  EXPECT_EQ(rep.records, 5);
}

TEST_P(AuditTest, RecordsWhoWhatBeforeAndAfter) {
  make_history();
  auto page = audit::list(app_->db(), {.entity = "party"});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->total, 4);
  const auto& last = page->items.front();
  EXPECT_EQ(last.action, "party.create");
  EXPECT_EQ(last.username, "csr2");
  EXPECT_EQ(last.role, "csr2");
  EXPECT_EQ(last.request_id, "req-1");
  EXPECT_EQ(last.client, "127.0.0.1");
  EXPECT_FALSE(last.before_json.has_value());
  ASSERT_TRUE(last.after_json.has_value());
  EXPECT_NE(last.after_json->find("Annd"), std::string::npos);
}

TEST_P(AuditTest, DatabaseRefusesEditsAndDeletes) {
  make_history();
  auto c = app_->db().acquire();
  ASSERT_TRUE(c);
  EXPECT_FALSE((*c)->exec("UPDATE audit_log SET username = 'mallory' WHERE seq = 2"));
  EXPECT_FALSE((*c)->exec("DELETE FROM audit_log WHERE seq = 2"));
}

TEST_P(AuditTest, EditedRecordIsFound) {
  make_history();
  exec_as_attacker("UPDATE audit_log SET username = 'mallory' WHERE seq = 3;");
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 3);
  EXPECT_NE(rep.problem.find("edited"), std::string::npos) << rep.problem;
}

TEST_P(AuditTest, DeletedRecordIsFound) {
  make_history();
  exec_as_attacker("DELETE FROM audit_log WHERE seq = 2;");
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 2);
}

TEST_P(AuditTest, InsertedRecordIsFound) {
  make_history();
  // Renumber 4 and 5 to make room, then forge a record 4 chained to the real record 3.
  exec_as_attacker(
      "UPDATE audit_log SET seq = seq + 1 WHERE seq >= 4 AND seq = 5;"
      "UPDATE audit_log SET seq = seq + 1 WHERE seq = 4;"
      "INSERT INTO audit_log SELECT 4, at_us, user_id, username, role, 'party.delete', entity, "
      "entity_id, before_json, after_json, request_id, client, hash, hash FROM audit_log "
      "WHERE seq = 3;");
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 4);
}

TEST_P(AuditTest, CutTailIsFound) {
  make_history();
  exec_as_attacker("DELETE FROM audit_log WHERE seq = 5;");
  auto rep = verify();
  EXPECT_FALSE(rep.ok);
  EXPECT_EQ(rep.first_bad_seq, 5);
}

TEST_P(AuditTest, CanonicalFormSeparatesNullFromEmpty) {
  audit::AuditRecord a, b;
  a.before_json = std::nullopt;
  b.before_json = std::string();
  EXPECT_NE(audit::canonical(a), audit::canonical(b));
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(AuditTest);

}  // namespace
}  // namespace civicdesk::testing
