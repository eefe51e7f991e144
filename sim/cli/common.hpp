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

// Throws ResourceError when `concurrent_runs` runs of `spec` at once, with `threads` threads in
// all, would not fit in the memory this process may use (os::memory_budget: MemAvailable, the
// cgroup's limit, ulimit -v, GIGSIM_MEMORY_LIMIT), with `extra_bytes` more (an output writer's);
// returns the estimate (bytes) otherwise.
std::uint64_t check_memory(const ScenarioSpec& spec, std::uint64_t concurrent_runs, int threads,
                           std::uint64_t extra_bytes = 0);

// How many of a sweep's runs, each estimated at `peak_bytes` and run with `threads` threads, can
// go at once: `jobs` if they fit, fewer if not; throws ResourceError naming `run` (the largest)
// when not even one fits.
int jobs_that_fit(std::uint64_t peak_bytes, int jobs, int threads, const std::string& run);

// One JSON log line (--log-format json): the object's keys in the order given, then a newline.
std::string json_line(const nlohmann::ordered_json& object);

// Parses args against `opts` (plus positionals); throws UsageError for the command.
boost::program_options::variables_map parse(
    const std::string& command, const std::vector<std::string>& args,
    const boost::program_options::options_description& opts,
    const boost::program_options::positional_options_description& pos);

// The most threads (--threads, --jobs) a command accepts: oneTBB's pool crashes at exit above
// 65,536, and far fewer than that already only add overhead.
inline constexpr int kMaxThreads = 4096;

// An option read as a whole number in [min, max] into *target (whose value is the default unless
// !with_default): decimal digits only, so "--seed -1" is refused instead of wrapping to
// 2^64 - 1 (preflight.cpp).
template <class T>
boost::program_options::typed_value<std::string>* whole_number_option(const std::string& option,
                                                                      T* target, T min, T max,
                                                                      bool with_default = true);

// A scenario name made into a file name in the working folder (for outputs named after the
// scenario): characters outside [A-Za-z0-9._-] and leading dots become '_', so "../x" or "/etc/x"
// cannot steer the output elsewhere.
std::string file_name_from(const std::string& name);

// A file (or, with `folder`, a folder) a command reads or writes, with its role in messages
// ("-o", "--checkpoint", "the scenario file").
struct FileRole {
  std::string path;
  std::string role;
  bool folder = false;
};

// Refuses (UsageError) an output that is one of the inputs or another output (compared by file
// identity: device and inode, so links and other spellings of a path are caught), and an output
// that cannot be written: a directory, a device node, a FIFO, a missing folder.
void check_file_roles(const std::string& command, const std::vector<FileRole>& inputs,
                      const std::vector<FileRole>& outputs);

// Removes the temporaries killed runs left beside `outputs` (only this host's, of processes that
// are gone); returns how many.
std::size_t remove_stale_temporaries(const std::vector<FileRole>& outputs);

// The signal that asked the run to stop (SIGINT, SIGTERM or SIGHUP), or 0. A signal handler can
// only set a flag; the run loop checks it after every week (a sweep: before every run).
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
  struct sigaction old_hup_ {};
};

// gigsim sweep (sweep_command.cpp).
int sweep_command(const std::vector<std::string>& args, const Context& ctx);

// gigsim schedule (schedule_command.cpp).
int schedule_command(const std::vector<std::string>& args, const Context& ctx);

// gigsim validate (validate_command.cpp).
int validate_command(const std::vector<std::string>& args, const Context& ctx);

}  // namespace gigsim::cli
