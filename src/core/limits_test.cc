#include "core/limits.h"

#include <string>

#include <gtest/gtest.h>

namespace civicdesk {
namespace {

TEST(CheckLength, AcceptsAtLimitRefusesOnePast) {
  const std::string at(kMaxNameLength, 'a');
  const std::string past(kMaxNameLength + 1, 'a');
  EXPECT_TRUE(check_length(at, kMaxNameLength, "name").has_value());
  auto r = check_length(past, kMaxNameLength, "name");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().field, "name");
  EXPECT_EQ(r.error().message, "name is longer than 200 characters");
}

TEST(CheckLength, EmptyIsWithinAnyLimit) {
  EXPECT_TRUE(check_length("", 0, "x").has_value());
  EXPECT_FALSE(check_length("a", 0, "x").has_value());
}

// Every string limit, at the limit and one past it.
TEST(CheckLength, EveryStringLimit) {
  struct Case {
    const char* field;
    std::size_t max;
  };
  const Case cases[] = {
      {"name", kMaxNameLength},
      {"address_line", kMaxAddressLineLength},
      {"email", kMaxEmailLength},
      {"phone", kMaxPhoneLength},
      {"q", kMaxSearchQueryLength},
      {"username", kMaxUsernameLength},
      {"password", kMaxPasswordLength},
      {"note", kMaxNoteLength},
      {"idempotency_key", kMaxIdempotencyKeyLength},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    EXPECT_TRUE(check_length(std::string(c.max, 'x'), c.max, c.field).has_value());
    auto r = check_length(std::string(c.max + 1, 'x'), c.max, c.field);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().field, c.field);
  }
}

TEST(CheckRange, BoundsAreInclusive) {
  EXPECT_TRUE(check_range(1, 1, kMaxPageSize, "limit").has_value());
  EXPECT_TRUE(check_range(kMaxPageSize, 1, kMaxPageSize, "limit").has_value());
  auto low = check_range(0, 1, kMaxPageSize, "limit");
  ASSERT_FALSE(low.has_value());
  EXPECT_EQ(low.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(low.error().field, "limit");
  EXPECT_EQ(low.error().message, "limit must be between 1 and 200");
  EXPECT_FALSE(check_range(kMaxPageSize + 1, 1, kMaxPageSize, "limit").has_value());
}

// Every numeric limit, at the limit and one past it.
TEST(CheckRange, EveryNumericLimit) {
  struct Case {
    const char* field;
    std::int64_t min;
    std::int64_t max;
  };
  const Case cases[] = {
      {"page_size", 1, static_cast<std::int64_t>(kMaxPageSize)},
      {"audit_page_size", 1, static_cast<std::int64_t>(kMaxAuditPageSize)},
      {"search_results", 1, static_cast<std::int64_t>(kMaxSearchResults)},
      {"addresses", 0, static_cast<std::int64_t>(kMaxAddressesPerParty)},
      {"phones", 0, static_cast<std::int64_t>(kMaxPhonesPerParty)},
      {"emails", 0, static_cast<std::int64_t>(kMaxEmailsPerParty)},
      {"amount_cents", 1, kMaxPaymentCents},
      {"parties", 0, kMaxDemoParties},
      {"password_length", static_cast<std::int64_t>(kMinPasswordLength),
       static_cast<std::int64_t>(kMaxPasswordLength)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.field);
    EXPECT_TRUE(check_range(c.max, c.min, c.max, c.field).has_value());
    EXPECT_TRUE(check_range(c.min, c.min, c.max, c.field).has_value());
    EXPECT_FALSE(check_range(c.max + 1, c.min, c.max, c.field).has_value());
    EXPECT_FALSE(check_range(c.min - 1, c.min, c.max, c.field).has_value());
  }
}

TEST(Limits, ValuesAreTheDocumentedOnes) {
  static_assert(kMaxRequestBodyBytes == 1'048'576);
  static_assert(kMaxHeaderBytes == 16'384);
  static_assert(kMaxPaymentCents == 10'000'000'000);  // $100,000,000.00
  static_assert(kMinPasswordLength == 12);
  static_assert(kMinPasswordLength < kMaxPasswordLength);
  SUCCEED();
}

}  // namespace
}  // namespace civicdesk
