#pragma once

#include <iosfwd>

namespace gigsim::cli {

// Exit codes of the gigsim command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitRuntime = 1;           // the run failed (I/O, resources, internal error)
inline constexpr int kExitBadInput = 2;          // bad scenario or bad arguments
inline constexpr int kExitValidationFailed = 3;  // `gigsim validate`: a modelled target missed

// Where a command writes: results to out, diagnostics and progress to err.
struct Context {
  std::ostream& out;
  std::ostream& err;
  bool stderr_is_terminal = false;  // progress as a redrawn bar instead of lines
  // Where the redrawn bar goes, unescaped (it needs '\r'; main() makes everything else printable
  // text, so a name from a file cannot send control characters to the terminal); err if null.
  std::ostream* progress = nullptr;
};

// Runs the command line and returns the exit code. The two-stream form is for tests.
int main(int argc, char** argv);
int main(int argc, char** argv, std::ostream& out, std::ostream& err);
int main(int argc, char** argv, const Context& ctx);

}  // namespace gigsim::cli
