// The gigsim command run in this process, its exit code and what it printed: for the CLI tests.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "gigsim/app.hpp"

namespace gigsim::testing {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

// `args` without the program name ("run", "x.yaml", ...).
inline CliResult run_in_process(std::vector<std::string> args) {
  args.insert(args.begin(), "gigsim");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  const int code = cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace gigsim::testing
