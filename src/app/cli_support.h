// What the file-importing CLI commands (`lockbox import`, `citations import`) share: reading the
// file with a size limit, and printing an Error with the exit code scripts can test.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk {

// Prints "civicdesk: message [field]" to stderr; returns 2 for bad input or a file too large,
// 1 otherwise.
int report_cli_error(const Error& e);

// The whole file; kNotFound when it cannot be read, kTooLarge above `max_bytes` (the message
// says "PATH is larger than WHAT may be"). Errors name the field "file".
[[nodiscard]] Result<std::string> read_input_file(const std::string& path, std::uintmax_t max_bytes,
                                                  std::string_view what);

}  // namespace civicdesk
