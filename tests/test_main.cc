// The test binary's main: libsodium must start before any test hashes or draws randomness.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "security/crypto.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  spdlog::set_level(spdlog::level::warn);  // request logs would drown the test output
  if (!civicdesk::security::init_crypto()) return 1;
  civicdesk::security::use_minimum_password_cost_for_tests();
  return RUN_ALL_TESTS();
}
