// The `mekong` command line: serve, migrate, demo, user add.
#pragma once

namespace mekong::cli {

// Runs one command; returns the process exit code (0 ok, 1 failed, 2 bad usage).
int Main(int argc, char** argv);

}  // namespace mekong::cli
