#include "search/text.h"

#include <gtest/gtest.h>

namespace civicdesk::search {
namespace {

TEST(Tokenize, LowercasesFoldsAndSplits) {
  EXPECT_EQ(tokenize("José  O'Brien-Núñez, 1420 Oak St."),
            (std::vector<std::string>{"jose", "o", "brien", "nunez", "1420", "oak", "st"}));
  EXPECT_EQ(tokenize("Straße"), (std::vector<std::string>{"strasse"}));
  EXPECT_TRUE(tokenize("  ,;  ").empty());
  EXPECT_EQ(tokenize("maria@example.org"),
            (std::vector<std::string>{"maria", "example", "org"}));
}

TEST(Tokenize, OtherScriptsSeparateWordsAndNeverCrash) {
  EXPECT_EQ(tokenize("ab\xe4\xb8\xad""cd"), (std::vector<std::string>{"ab", "cd"}));
  EXPECT_EQ(tokenize("x\xf0\x9f\x98\x80y"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(tokenize("\xe4"), (std::vector<std::string>{}));  // truncated sequence at the end
}

TEST(PhoneDigits, DropsPunctuationAndCountryCode) {
  EXPECT_EQ(phone_digits("(555) 201-3344"), "5552013344");
  EXPECT_EQ(phone_digits("+1 555 201 3344"), "5552013344");
  EXPECT_EQ(phone_digits("201-3344"), "2013344");
}

TEST(EditDistance, CountsEditsAndTranspositions) {
  struct Case { const char* a; const char* b; int max; int want; };
  for (const auto& c : std::vector<Case>{{"gonzalez", "gonzalez", 2, 0},
                                         {"gonzalex", "gonzalez", 2, 1},
                                         {"gonzlaez", "gonzalez", 2, 1},  // transposition
                                         {"lopze", "lopez", 1, 1},
                                         {"smith", "smyth", 1, 1},
                                         {"smith", "jones", 1, 2},        // capped at max + 1
                                         {"ab", "abcdef", 2, 3},
                                         {"", "abc", 3, 3}}) {
    EXPECT_EQ(edit_distance(c.a, c.b, c.max), c.want) << c.a << " vs " << c.b;
  }
}

TEST(TypoBudget, GrowsWithLength) {
  EXPECT_EQ(typo_budget(3), 0);
  EXPECT_EQ(typo_budget(4), 1);
  EXPECT_EQ(typo_budget(7), 1);
  EXPECT_EQ(typo_budget(8), 2);
}

}  // namespace
}  // namespace civicdesk::search
