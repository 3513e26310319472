// Typed ids: a PartyId cannot be passed where a UserId is expected.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>

namespace civicdesk {

template <class Tag>
struct Id {
  std::int64_t value = 0;
  constexpr explicit Id(std::int64_t v = 0) : value(v) {}
  constexpr bool valid() const { return value > 0; }
  auto operator<=>(const Id&) const = default;
};

using PartyId = Id<struct PartyTag>;
using UserId = Id<struct UserTag>;
using AddressId = Id<struct AddressTag>;
using AuditSeq = Id<struct AuditSeqTag>;

}  // namespace civicdesk

template <class Tag>
struct std::hash<civicdesk::Id<Tag>> {
  std::size_t operator()(const civicdesk::Id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
