// FaultyDatabase: a Database wrapper for fault-loop tests (SQLite's I/O-error loops, LevelDB's
// Env seam). It forwards everything to the wrapped database and, when asked, makes the N-th later
// store call fail, so a test can fail the 1st, 2nd, ... call of an operation until it succeeds and
// check that each attempt had its full effect or none.
//
// Store calls are Connection::exec, query, exec_script and commit (transaction begin and rollback
// are not counted). The injected error is kStorage "injected fault" (field "faulty_database"),
// which is not retryable, so Database::write() rolls back and returns it.
//
// Ownership and threads: holds a shared_ptr to the wrapped database; connections taken from a
// FaultyDatabase hold one of the wrapped database's connections and return it when they close.
// The call counter is shared by all connections and threads; with several threads, which call is
// "the N-th" depends on scheduling.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "store/db.h"

namespace civicdesk::store {

enum class FaultTiming {
  kBeforeCall,  // the call never reaches the database
  kAfterCall,   // the call runs, then reports failure (a lost response; on commit, the data stays)
};

class FaultyDatabase final : public Database {
 public:
  explicit FaultyDatabase(std::shared_ptr<Database> inner);

  Dialect dialect() const override { return inner_->dialect(); }
  std::string describe() const override { return "faulty(" + inner_->describe() + ")"; }
  bool is_retryable(const Error& e) const override { return inner_->is_retryable(e); }

  // Makes the n-th store call from now (n >= 1) fail once; replaces any pending fault.
  void fail_call(std::int64_t n, FaultTiming timing = FaultTiming::kBeforeCall);
  // Cancels a pending fault.
  void clear_fault();
  // Store calls seen since construction, and faults injected so far.
  std::int64_t calls() const { return plan_->calls.load(); }
  std::int64_t faults_injected() const { return plan_->injected.load(); }

  // Shared by the database and its connections, which may outlive each other in the pool.
  struct FaultPlan {
    std::atomic<std::int64_t> calls{0};
    std::atomic<std::int64_t> fail_at{0};  // 0: no fault pending
    std::atomic<FaultTiming> timing{FaultTiming::kBeforeCall};
    std::atomic<std::int64_t> injected{0};
  };

 protected:
  Result<std::unique_ptr<Connection>> open_connection() override;

 private:
  std::shared_ptr<Database> inner_;
  std::shared_ptr<FaultPlan> plan_;
};

}  // namespace civicdesk::store
