#pragma once

#include <iosfwd>

namespace gigsim::cli {

// Exit codes of the gigsim command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;   // the run failed (I/O, resources, internal error)
inline constexpr int kExitBadInput = 2;  // bad scenario or bad arguments

// Runs the command line; writes results to out and diagnostics to err; returns the exit code.
int main(int argc, char** argv);
int main(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace gigsim::cli
