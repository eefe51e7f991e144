// Pieces every gigsim command shares: usage errors, option parsing, progress formats and the
// stop-on-signal flag. Private to the CLI.
#pragma once

#include <csignal>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "gigsim/app.hpp"
#include "gigsim/spec.hpp"

namespace gigsim::cli {

// Bad command-line arguments: exit 2 with a hint naming the command's help.
struct UsageError : std::runtime_error {
  UsageError(const std::string& command, const std::string& what)
      : std::runtime_error(command + ": " + what), help_command(command) {}
  std::string help_command;
};

enum class LogFormat { text, json };

// The run would not fit this machine: refused before anything is allocated or written (exit 2).
struct ResourceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "1.25 GiB" or "380.2 MiB".
std::string gib(std::uint64_t bytes);

// Throws ResourceError when `concurrent_runs` runs of `spec` at once would not fit in memory;
// returns the estimate (bytes) otherwise.
std::uint64_t check_memory(const ScenarioSpec& spec, std::uint64_t concurrent_runs);

// One JSON log line (--log-format json): the object's keys in the order given, then a newline.
std::string json_line(const nlohmann::ordered_json& object);

// Parses args against `opts` (plus positionals); throws UsageError for the command.
boost::program_options::variables_map parse(
    const std::string& command, const std::vector<std::string>& args,
    const boost::program_options::options_description& opts,
    const boost::program_options::positional_options_description& pos);

// The signal that asked the run to stop (SIGINT or SIGTERM), or 0. A signal handler can only set
// a flag; the run loop checks it after every week (a sweep: before every run).
extern volatile std::sig_atomic_t g_stop_signal;

// Installs the stop handlers for the lifetime of a run and restores the previous ones after.
class StopOnSignals {
 public:
  StopOnSignals();
  ~StopOnSignals();
  StopOnSignals(const StopOnSignals&) = delete;
  StopOnSignals& operator=(const StopOnSignals&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

// gigsim sweep (sweep_command.cpp).
int sweep_command(const std::vector<std::string>& args, const Context& ctx);

// gigsim validate (validate_command.cpp).
int validate_command(const std::vector<std::string>& args, const Context& ctx);

}  // namespace gigsim::cli
