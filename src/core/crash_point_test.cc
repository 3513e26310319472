#include "core/crash_point.h"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>

namespace civicdesk {
namespace {

// The variable is cached on first use, so each death test re-executes the binary ("threadsafe"
// style) and sets the variable in the child before any crash point runs.
class CrashPointDeathTest : public ::testing::Test {
 protected:
  void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
};

void reach(std::string_view name, int times) {
  for (int i = 0; i < times; ++i) CRASH_POINT(name);
}

TEST_F(CrashPointDeathTest, KillsAtTheNamedPoint) {
  EXPECT_EXIT(
      {
        setenv("CIVICDESK_CRASH_AT", "test.here", 1);
        CRASH_POINT("test.elsewhere");
        CRASH_POINT("test.here");
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGKILL), "");
}

TEST_F(CrashPointDeathTest, KillsOnTheKthTimeOnly) {
  EXPECT_EXIT(
      {
        setenv("CIVICDESK_CRASH_AT", "test.loop:3", 1);
        reach("test.loop", 2);
        std::_Exit(7);
      },
      ::testing::ExitedWithCode(7), "");
  EXPECT_EXIT(
      {
        setenv("CIVICDESK_CRASH_AT", "test.loop:3", 1);
        reach("test.loop", 3);
        std::_Exit(0);
      },
      ::testing::KilledBySignal(SIGKILL), "");
}

TEST_F(CrashPointDeathTest, MalformedCountStopsLoudly) {
  EXPECT_DEATH(
      {
        setenv("CIVICDESK_CRASH_AT", "test.here:zero", 1);
        CRASH_POINT("test.here");
      },
      "CIVICDESK_CRASH_AT");
}

TEST(CrashPoint, CountsPointsReachedWithoutCrashing) {
  // Runs in the test process, where CIVICDESK_CRASH_AT is not set for test.counted.
  std::int64_t before = crash_points_reached();
  reach("test.counted", 5);
  EXPECT_EQ(crash_points_reached(), before + 5);
}

}  // namespace
}  // namespace civicdesk
