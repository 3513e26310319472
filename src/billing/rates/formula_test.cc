#include "billing/rates/formula.h"

#include <gtest/gtest.h>

#include <map>

#include "billing/rates/rate_limits.h"

namespace civicdesk::rates {
namespace {

Decimal D(std::string_view text) {
  return Decimal::parse(text, "test").value();
}

Result<Decimal> eval(std::string_view text, const std::map<std::string, Decimal>& vars = {}) {
  CD_ASSIGN(const Formula f, Formula::parse(text));
  return f.evaluate([&](std::string_view name) -> Result<Decimal> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return fail(Error::invalid(std::string(name), "no " + std::string(name)));
    return it->second;
  });
}

TEST(FormulaEval, Precedence) {
  struct Case {
    const char* text;
    const char* value;
  };
  const Case cases[] = {
      {"1+2*3", "7"},      {"(1+2)*3", "9"},   {"2*3-4/2", "4"},   {"-2*3", "-6"},
      {"2--3", "5"},       {"8/4/2", "1"},     {"2-3-4", "-5"},    {"-(2+3)", "-5"},
      {"+4", "4"},         {"2*-3", "-6"},     {"1/748*748", "1"}, {"10-2*3+4", "8"},
      {"((1))", "1"},      {" 1 +\t2\n", "3"}, {"1e-3*1000", "1"}, {".5+.25", "0.75"},
      {"2*(3+4)*5", "70"}, {"100/8", "12.5"},  {"-(-(-1))", "-1"},
  };
  for (const auto& c : cases) {
    auto v = eval(c.text);
    ASSERT_TRUE(v.has_value()) << c.text << ": " << v.error().message;
    EXPECT_EQ(*v, D(c.value)) << c.text;
  }
}

TEST(FormulaEval, TheFormulasTheTariffsUse) {
  const std::map<std::string, Decimal> vars = {
      {"gpcd", D("60")},
      {"hhsize", D("3")},
      {"days_in_period", D("30.4")},
      {"landscape_factor", D("0.7")},
      {"et_amount", D("4.8")},
      {"irrigable_area", D("1300")},
      {"service_charge", D("11")},
      {"commodity_charge", D("121.281")},
      {"sewer_charge", D("20")},
  };
  // Indoor budget of the peer's row 8: 60*3*30.4/748 = 7.3155...
  auto indoor = eval("gpcd*hhsize*days_in_period*(1/748)", vars);
  ASSERT_TRUE(indoor);
  EXPECT_EQ(indoor->to_fraction_string(), "1368/187");
  EXPECT_EQ(indoor->round_to_integer(RoundingMode::kHalfEven), D("7"));
  auto outdoor = eval("landscape_factor*et_amount*irrigable_area*0.62*(1/748)", vars);
  ASSERT_TRUE(outdoor);
  EXPECT_EQ(outdoor->round_to_integer(RoundingMode::kHalfEven), D("4"));
  EXPECT_EQ(*eval("commodity_charge + service_charge + sewer_charge", vars), D("152.281"));
  EXPECT_EQ(*eval("round(60*hhsize*30.4/748)", vars), D("7"));
}

TEST(FormulaEval, Functions) {
  EXPECT_EQ(*eval("round(2.5)"), D("2"));  // half-even, as R
  EXPECT_EQ(*eval("round(3.5)"), D("4"));
  EXPECT_EQ(*eval("round(1.005, 2)"), D("1"));
  EXPECT_EQ(*eval("round(-2.5)"), D("-2"));
  EXPECT_EQ(*eval("floor(-2.5)"), D("-3"));
  EXPECT_EQ(*eval("ceiling(2.1)"), D("3"));
  EXPECT_EQ(*eval("ceil(2.1)"), D("3"));
  EXPECT_EQ(*eval("abs(-4.07)"), D("4.07"));
  EXPECT_EQ(*eval("min(3, 1, 2)"), D("1"));
  EXPECT_EQ(*eval("max(3, 1, 2)"), D("3"));
  EXPECT_EQ(*eval("min(10, 2*usage)", {{"usage", D("7")}}), D("10"));
  EXPECT_FALSE(eval("round(1.5, 0.5)").has_value());
  EXPECT_FALSE(eval("round(1.5, 10)").has_value());
}

TEST(FormulaParse, VariablesAndTerms) {
  auto f = Formula::parse("commodity_charge + service_charge - discount + 2*sewer_charge");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->variables(), (std::vector<std::string>{"commodity_charge", "discount",
                                                      "service_charge", "sewer_charge"}));
  const auto terms = f->additive_terms();
  ASSERT_EQ(terms.size(), 4u);
  EXPECT_EQ(terms[0].formula.as_variable(), "commodity_charge");
  EXPECT_FALSE(terms[0].negative);
  EXPECT_EQ(terms[2].formula.as_variable(), "discount");
  EXPECT_TRUE(terms[2].negative);
  EXPECT_EQ(terms[3].formula.as_variable(), std::nullopt);
  EXPECT_EQ(terms[3].formula.text(), "2*sewer_charge");
  auto single = Formula::parse("(a + b) * 2");
  ASSERT_TRUE(single);
  ASSERT_EQ(single->additive_terms().size(), 1u);
  EXPECT_EQ(single->additive_terms()[0].formula.text(), "(a + b) * 2");
  EXPECT_EQ(Formula::parse("round(x) + y")->variables(), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(Formula::parse("4.07")->is_constant());
  EXPECT_EQ(Formula().text(), "0");
}

// Deterministic odd inputs: every one is refused with a message, never a crash.
TEST(FormulaParse, OddInputsAreRefusedWithAReason) {
  const char* refused[] = {
      "",          " ",        "()",     "(",       ")",
      "1+",        "+",        "*1",     "1 2",     "a b",
      "1..2",      "1e",       "foo(1)", "round()", "round(1,2,3)",
      "min()",     "a(",       "1 +* 2", "a.b",     "1,2",
      "%",         "101%",     "1 = 2",  "a > b",   "x ? 1 : 2",
      "2^3",       "'a'",      "\"a\"",  "é",       "3x",
      "round(1,)", "min(,1)",  "((1)",   "(1))",    "1e400",
      "--",        "Tiered()", "\x01",   "a\nb",
  };
  for (const char* text : refused) {
    auto f = Formula::parse(text);
    EXPECT_FALSE(f.has_value()) << "'" << text << "' parsed";
    if (!f) {
      EXPECT_EQ(f.error().code, ErrorCode::kInvalidInput);
      EXPECT_NE(f.error().message.find("formula '"), std::string::npos) << f.error().message;
    }
  }
  std::string with_nul("1+\0", 3);
  EXPECT_FALSE(Formula::parse(with_nul).has_value());
}

TEST(FormulaEval, EvaluationErrors) {
  auto zero = eval("1/(2-2)");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("division by zero"), std::string::npos);
  auto missing = eval("a + service_charge", {{"a", D("1")}});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().field, "service_charge");  // the resolver's error, unchanged
  auto huge = eval("1000000000000000000*1000000000000000000");
  EXPECT_FALSE(huge.has_value());
}

TEST(FormulaParse, LengthAtTheLimitAndOnePast) {
  std::string at_limit = "1";
  while (at_limit.size() + 2 <= kMaxFormulaLength) at_limit += "+1";
  at_limit.resize(kMaxFormulaLength, ' ');
  auto ok = Formula::parse(at_limit);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(*eval(at_limit),
            Decimal::from_int64(static_cast<std::int64_t>((kMaxFormulaLength + 1) / 2)).value());
  EXPECT_FALSE(Formula::parse(at_limit + " ").has_value());
}

TEST(FormulaParse, NestingAtTheLimitAndOnePast) {
  auto nested = [](int depth) {
    return std::string(static_cast<std::size_t>(depth), '(') + "1" +
           std::string(static_cast<std::size_t>(depth), ')');
  };
  EXPECT_TRUE(Formula::parse(nested(kMaxFormulaDepth)).has_value());
  auto deep = Formula::parse(nested(kMaxFormulaDepth + 1));
  ASSERT_FALSE(deep);
  EXPECT_NE(deep.error().message.find("nested too deeply"), std::string::npos);
  const std::string minus(static_cast<std::size_t>(kMaxFormulaDepth), '-');
  EXPECT_TRUE(Formula::parse(minus + "1").has_value());
  EXPECT_FALSE(Formula::parse(minus + "-1").has_value());
  std::string calls;
  for (int i = 0; i < kMaxFormulaDepth; ++i) calls += "abs(";
  calls += "1" + std::string(static_cast<std::size_t>(kMaxFormulaDepth), ')');
  EXPECT_TRUE(Formula::parse(calls).has_value());
  EXPECT_FALSE(Formula::parse("abs(" + calls + ")").has_value());
}

TEST(FormulaParse, ArgumentsAtTheLimitAndOnePast) {
  std::string args = "1";
  for (std::size_t i = 1; i < kMaxFunctionArguments; ++i) args += ",1";
  EXPECT_TRUE(Formula::parse("max(" + args + ")").has_value());
  EXPECT_FALSE(Formula::parse("max(" + args + ",1)").has_value());
}

}  // namespace
}  // namespace civicdesk::rates
