// Assertions for broken invariants: on in every build, never reachable from user input.
#pragma once

#include <cstdio>
#include <cstdlib>

#define CD_ASSERT(cond)                                                                 \
  do {                                                                                  \
    if (!(cond)) {                                                                      \
      std::fprintf(stderr, "civicdesk: assertion failed: %s at %s:%d\n", #cond, __FILE__, \
                   __LINE__);                                                           \
      std::abort();                                                                     \
    }                                                                                   \
  } while (0)
