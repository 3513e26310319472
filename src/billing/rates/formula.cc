#include "billing/rates/formula.h"

#include <algorithm>
#include <set>

#include "billing/rates/rate_limits.h"
#include "core/assert.h"

namespace civicdesk::rates {

namespace {

enum class Function { kRound, kFloor, kCeiling, kAbs, kMin, kMax };

struct FunctionInfo {
  std::string_view name;
  Function function;
  std::size_t min_arguments;
  std::size_t max_arguments;
};

constexpr FunctionInfo kFunctions[] = {
    {"round", Function::kRound, 1, 2},
    {"floor", Function::kFloor, 1, 1},
    {"ceiling", Function::kCeiling, 1, 1},
    {"ceil", Function::kCeiling, 1, 1},
    {"abs", Function::kAbs, 1, 1},
    {"min", Function::kMin, 1, kMaxFunctionArguments},
    {"max", Function::kMax, 1, kMaxFunctionArguments},
};

const FunctionInfo* find_function(std::string_view name) {
  for (const auto& f : kFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

struct Formula::Tree {
  enum class Kind { kNumber, kVariable, kNegate, kSum, kProduct, kCall };
  struct Node {
    Kind kind = Kind::kNumber;
    Decimal number;
    std::string name;  // variable or function name
    Function function = Function::kRound;
    std::vector<int> children;
    std::vector<bool> inverted;      // kSum: subtract this child; kProduct: divide by it
    std::size_t begin = 0, end = 0;  // span in `source`
  };
  std::string source;
  std::vector<Node> nodes;
};

namespace {

using Tree = Formula::Tree;
using Node = Tree::Node;
using Kind = Tree::Kind;

class Parser {
 public:
  explicit Parser(Tree* tree) : tree_(tree), text_(tree->source) {}

  Result<int> parse_all() {
    CD_ASSIGN(const int root, parse_expression(0));
    skip_spaces();
    if (pos_ < text_.size()) return error("unexpected '" + std::string(1, text_[pos_]) + "'");
    return root;
  }

 private:
  std::unexpected<Error> error(const std::string& what) const {
    return fail(Error::invalid("", "formula '" + std::string(text_) + "': " + what +
                                       " at character " + std::to_string(pos_ + 1)));
  }

  void skip_spaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool accept(char c) {
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  int add(Node node) {
    tree_->nodes.push_back(std::move(node));
    return static_cast<int>(tree_->nodes.size()) - 1;
  }

  Result<int> parse_expression(int depth) {
    if (depth > kMaxFormulaDepth) return error("nested too deeply");
    skip_spaces();
    const std::size_t begin = pos_;
    CD_ASSIGN(const int first, parse_term(depth));
    Node sum{.kind = Kind::kSum, .children = {first}, .inverted = {false}};
    for (;;) {
      skip_spaces();
      if (pos_ >= text_.size() || (text_[pos_] != '+' && text_[pos_] != '-')) break;
      const bool minus = text_[pos_] == '-';
      ++pos_;
      CD_ASSIGN(const int next, parse_term(depth));
      sum.children.push_back(next);
      sum.inverted.push_back(minus);
    }
    if (sum.children.size() == 1) return first;
    sum.begin = begin;
    sum.end = tree_->nodes[sum.children.back()].end;
    return add(std::move(sum));
  }

  Result<int> parse_term(int depth) {
    skip_spaces();
    const std::size_t begin = pos_;
    CD_ASSIGN(const int first, parse_unary(depth));
    Node product{.kind = Kind::kProduct, .children = {first}, .inverted = {false}};
    for (;;) {
      skip_spaces();
      if (pos_ >= text_.size() || (text_[pos_] != '*' && text_[pos_] != '/')) break;
      const bool divide = text_[pos_] == '/';
      ++pos_;
      CD_ASSIGN(const int next, parse_unary(depth));
      product.children.push_back(next);
      product.inverted.push_back(divide);
    }
    if (product.children.size() == 1) return first;
    product.begin = begin;
    product.end = tree_->nodes[product.children.back()].end;
    return add(std::move(product));
  }

  Result<int> parse_unary(int depth) {
    if (depth > kMaxFormulaDepth) return error("nested too deeply");
    skip_spaces();
    if (pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) {
      const bool minus = text_[pos_] == '-';
      const std::size_t begin = pos_++;
      CD_ASSIGN(const int operand, parse_unary(depth + 1));
      if (!minus) return operand;
      Node negate{.kind = Kind::kNegate, .children = {operand}};
      negate.begin = begin;
      negate.end = tree_->nodes[operand].end;
      return add(std::move(negate));
    }
    return parse_primary(depth);
  }

  Result<int> parse_primary(int depth) {
    skip_spaces();
    if (pos_ >= text_.size()) return error("expected a number, a name or '('");
    const std::size_t begin = pos_;
    const char c = text_[pos_];
    if (c == '(') {
      ++pos_;
      skip_spaces();
      if (pos_ < text_.size() && text_[pos_] == ')') return error("empty parentheses");
      CD_ASSIGN(const int inner, parse_expression(depth + 1));
      if (!accept(')')) return error("expected ')'");
      tree_->nodes[inner].begin = begin;  // the span of "(...)" includes its parentheses
      tree_->nodes[inner].end = pos_;
      return inner;
    }
    if (is_digit(c) || c == '.') return parse_number();
    if (is_name_start(c)) return parse_name(depth);
    return error("unexpected '" + std::string(1, c) + "'");
  }

  Result<int> parse_number() {
    const std::size_t begin = pos_;
    while (pos_ < text_.size() && (is_digit(text_[pos_]) || text_[pos_] == '.')) ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && is_name_char(text_[pos_])) {
      return error("a number runs into a name");
    }
    const std::string_view lexeme = text_.substr(begin, pos_ - begin);
    auto value = Decimal::parse(lexeme, "number");
    if (!value) {
      pos_ = begin;
      return error("'" + std::string(lexeme) + "' is not a number");
    }
    return add(Node{.kind = Kind::kNumber, .number = *value, .begin = begin, .end = pos_});
  }

  Result<int> parse_name(int depth) {
    const std::size_t begin = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    std::string name(text_.substr(begin, pos_ - begin));
    const std::size_t after_name = pos_;
    skip_spaces();
    if (pos_ >= text_.size() || text_[pos_] != '(') {
      pos_ = after_name;
      return add(Node{
          .kind = Kind::kVariable, .name = std::move(name), .begin = begin, .end = after_name});
    }
    const FunctionInfo* info = find_function(name);
    if (info == nullptr) {
      pos_ = begin;
      return error("unknown function '" + name + "'");
    }
    ++pos_;  // '('
    Node call{.kind = Kind::kCall, .name = std::move(name), .function = info->function};
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] != ')') {
      do {
        if (call.children.size() >= info->max_arguments) {
          return error(call.name + "() takes at most " + std::to_string(info->max_arguments) +
                       " arguments");
        }
        CD_ASSIGN(const int argument, parse_expression(depth + 1));
        call.children.push_back(argument);
      } while (accept(','));
    }
    if (!accept(')')) return error("expected ')' or ','");
    if (call.children.size() < info->min_arguments) {
      return error(call.name + "() needs at least " + std::to_string(info->min_arguments) +
                   " argument");
    }
    call.begin = begin;
    call.end = pos_;
    return add(std::move(call));
  }

  Tree* tree_;
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Result<Formula> Formula::parse(std::string_view text) {
  if (text.size() > kMaxFormulaLength) {
    return fail(Error::invalid(
        "", "formula is longer than " + std::to_string(kMaxFormulaLength) + " characters"));
  }
  auto tree = std::make_shared<Tree>();
  tree->source = std::string(text);
  Parser parser(tree.get());
  CD_ASSIGN(const int root, parser.parse_all());
  return Formula(std::move(tree), root);
}

std::string Formula::text() const {
  if (!tree_) return "0";
  const Node& node = tree_->nodes[root_];
  return tree_->source.substr(node.begin, node.end - node.begin);
}

std::vector<std::string> Formula::variables() const {
  std::set<std::string> names;
  if (!tree_) return {};
  std::vector<int> stack{root_};
  while (!stack.empty()) {
    const Node& node = tree_->nodes[stack.back()];
    stack.pop_back();
    if (node.kind == Kind::kVariable) names.insert(node.name);
    for (int child : node.children) stack.push_back(child);
  }
  return {names.begin(), names.end()};
}

std::optional<std::string> Formula::as_variable() const {
  if (!tree_ || tree_->nodes[root_].kind != Kind::kVariable) return std::nullopt;
  return tree_->nodes[root_].name;
}

std::vector<Formula::Term> Formula::additive_terms() const {
  if (!tree_ || tree_->nodes[root_].kind != Kind::kSum) return {Term{false, *this}};
  std::vector<Term> terms;
  const Node& sum = tree_->nodes[root_];
  for (std::size_t i = 0; i < sum.children.size(); ++i) {
    terms.push_back(Term{sum.inverted[i], Formula(tree_, sum.children[i])});
  }
  return terms;
}

Result<Decimal> Formula::evaluate(const Resolver& resolve) const {
  if (!tree_) return Decimal();
  return evaluate_node(root_, resolve);
}

Result<Decimal> Formula::evaluate_node(int index, const Resolver& resolve) const {
  const Node& node = tree_->nodes[index];
  auto arithmetic = [&](Result<Decimal> r) -> Result<Decimal> {
    if (r) return r;
    return fail(Error::invalid("", "formula '" + tree_->source + "': " + r.error().message));
  };
  switch (node.kind) {
    case Kind::kNumber:
      return node.number;
    case Kind::kVariable:
      return resolve(node.name);
    case Kind::kNegate: {
      CD_ASSIGN(const Decimal v, evaluate_node(node.children[0], resolve));
      return v.negate();
    }
    case Kind::kSum:
    case Kind::kProduct: {
      CD_ASSIGN(Decimal acc, evaluate_node(node.children[0], resolve));
      for (std::size_t i = 1; i < node.children.size(); ++i) {
        CD_ASSIGN(const Decimal v, evaluate_node(node.children[i], resolve));
        Result<Decimal> next = node.kind == Kind::kSum
                                   ? (node.inverted[i] ? acc.sub(v) : acc.add(v))
                                   : (node.inverted[i] ? acc.div(v) : acc.mul(v));
        CD_ASSIGN(acc, arithmetic(std::move(next)));
      }
      return acc;
    }
    case Kind::kCall: {
      std::vector<Decimal> args;
      for (int child : node.children) {
        CD_ASSIGN(const Decimal v, evaluate_node(child, resolve));
        args.push_back(v);
      }
      switch (node.function) {
        case Function::kRound: {
          if (args.size() == 1) return args[0].round_to_integer(RoundingMode::kHalfEven);
          if (!args[1].is_integer()) {
            return fail(Error::invalid(
                "", "formula '" + tree_->source + "': round() places must be a whole number"));
          }
          return arithmetic(args[0].round_to_places(static_cast<int>(args[1].numerator()),
                                                    RoundingMode::kHalfEven));
        }
        case Function::kFloor:
          return args[0].floor();
        case Function::kCeiling:
          return args[0].ceil();
        case Function::kAbs:
          return args[0].abs();
        case Function::kMin:
          return *std::min_element(args.begin(), args.end());
        case Function::kMax:
          return *std::max_element(args.begin(), args.end());
      }
    }
  }
  CD_ASSERT(false);
  return Decimal();
}

}  // namespace civicdesk::rates
