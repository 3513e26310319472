// Who is acting: attached to every state change and written to the audit trail.
#pragma once

#include <string>

#include "core/ids.h"

namespace civicdesk {

struct Actor {
  UserId user_id;          // 0 for the system itself (migrations, nightly jobs, demo)
  std::string username;    // "system" for the system
  std::string role;
  std::string request_id;  // ties audit records to log lines and responses
  std::string client;      // client address, or "cli"

  static Actor system(std::string request_id = "cli") {
    return Actor{UserId{0}, "system", "system", std::move(request_id), "cli"};
  }
};

}  // namespace civicdesk
