// Sends ESC/POS bytes to a network receipt printer (raw TCP, "JetDirect" port 9100 by
// convention). The only network I/O of the cashiering context; blocking, bounded by a timeout.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace civicdesk::cashiering {

// Connect within, and each send within, this long: a printer that is off must not hold a
// counter request.
inline constexpr int kPrinterTimeoutMs = 3000;

// Connects to `address` ("host:port"), writes all of `bytes`, closes. kUnavailable (the
// message names the printer) when it cannot connect or the write fails or times out;
// kInvalidInput naming "printer" for a malformed address.
[[nodiscard]] Result<void> send_to_printer(std::string_view address, std::string_view bytes,
                                           int timeout_ms = kPrinterTimeoutMs);

}  // namespace civicdesk::cashiering
