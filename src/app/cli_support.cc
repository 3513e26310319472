#include "app/cli_support.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

namespace civicdesk {

int report_cli_error(const Error& e) {
  std::cerr << "civicdesk: " << e.message;
  if (!e.field.empty()) std::cerr << " [" << e.field << "]";
  std::cerr << "\n";
  return e.code == ErrorCode::kInvalidInput || e.code == ErrorCode::kTooLarge ? 2 : 1;
}

Result<std::string> read_input_file(const std::string& path, std::uintmax_t max_bytes,
                                    std::string_view what) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::kNotFound, "cannot read " + path + ": " + ec.message(), "file");
  if (size > max_bytes)
    return fail(ErrorCode::kTooLarge, path + " is larger than " + std::string(what) + " may be",
                "file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kNotFound, "cannot open " + path, "file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace civicdesk
