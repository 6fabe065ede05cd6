// `mekong trace`: the tracing queries from the command line, on the same services the API uses
// (the engine starts from the server's snapshot and the change feed after it, or the store).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "mekong/cli/cli.h"

namespace mekong::cli {

struct TraceArgs {
  int64_t id = 0;  // person, or venue for occupancy
  std::string from, to, at, day;
  int depth = 1;
  int min_overlap_minutes = -1;  // -1: the policy's
  int rows = 2;
  bool json = false;
};

enum class TraceKind { kContacts, kCoTravellers, kOccupancy };

// Runs one query and prints it (a table, or JSON with --json); bad arguments are
// InvalidArgument naming the option.
Status RunTrace(Services& s, TraceKind kind, const TraceArgs& args, std::ostream& out);

}  // namespace mekong::cli
