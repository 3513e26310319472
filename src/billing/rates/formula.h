// Formula: a small, safe arithmetic expression from an OWRS tariff, e.g.
//   service_charge + commodity_charge + sewer_charge
//   landscape_factor*et_amount*irrigable_area*0.62*(1/748)
//   round(60*hhsize*30.4/748)
//
// Grammar (what the 14 real tariffs, the templates and the peer tests use, plus the rounding and
// capping functions a rate analyst reaches for):
//   expression := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := ('-' | '+') unary | primary
//   primary    := number | name | name '(' expression (',' expression)* ')' | '(' expression ')'
//   number     := digits with an optional '.', optional exponent: 4.07  .75  1e-3
//   name       := [A-Za-z_][A-Za-z0-9_]*
// Functions: round(x) and round(x, places) (half-even, as R's round), floor(x), ceiling(x) (alias
// ceil), abs(x), min(a, b, ...), max(a, b, ...). There are no comparisons, conditionals, powers,
// strings or assignments: no real tariff uses them, and OWRS expresses conditions as depends_on
// tables. Evaluation is exact (Decimal); nothing is ever converted to floating point.
//
// Safety: parse() refuses text longer than kMaxFormulaLength and nesting deeper than
// kMaxFormulaDepth, so parsing and evaluation use bounded stack. A Formula is immutable and cheap
// to copy (the parsed tree is shared); it is thread-safe to evaluate concurrently.
//
// Errors: parse() returns kInvalidInput "formula 'TEXT': WHAT at character N"; evaluate() returns
// the resolver's error unchanged, or kInvalidInput "formula 'TEXT': WHAT" for division by zero and
// results too large to hold exactly. Callers prefix the customer class and key.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billing/rates/decimal.h"
#include "core/result.h"

namespace civicdesk::rates {

class Formula {
 public:
  // Returns the value of a variable, or the error to report (e.g. a missing key).
  using Resolver = std::function<Result<Decimal>(std::string_view name)>;

  // One top-level additive part of a formula: in "a + b - 2*c" the terms are +a, +b and -(2*c).
  struct Term;
  // The parsed form, shared by a formula and its terms; defined in formula.cc.
  struct Tree;

  // The formula "0".
  Formula() = default;

  [[nodiscard]] static Result<Formula> parse(std::string_view text);

  // The text this formula covers (for a term, its slice of the original text).
  std::string text() const;
  // Names the formula reads, sorted and without duplicates (function names excluded).
  std::vector<std::string> variables() const;
  // The name when the whole formula is one variable ("service_charge"); nullopt otherwise.
  std::optional<std::string> as_variable() const;
  bool is_constant() const { return variables().empty(); }

  [[nodiscard]] Result<Decimal> evaluate(const Resolver& resolve) const;

  // The top-level additive terms; a formula that is not a sum is one positive term.
  std::vector<Term> additive_terms() const;

 private:
  Formula(std::shared_ptr<const Tree> tree, int root) : tree_(std::move(tree)), root_(root) {}
  [[nodiscard]] Result<Decimal> evaluate_node(int node, const Resolver& resolve) const;

  std::shared_ptr<const Tree> tree_;
  int root_ = 0;
};

struct Formula::Term {
  bool negative = false;
  Formula formula;
};

}  // namespace civicdesk::rates
