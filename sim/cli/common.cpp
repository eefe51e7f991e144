#include "common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "gigsim/memory.hpp"
#include "gigsim/simulation.hpp"
#include "gigsim/terminal.hpp"

namespace gigsim::cli {

namespace po = boost::program_options;

std::string json_line(const nlohmann::ordered_json& object) {
  // Invalid UTF-8 (a path from the command line) is replaced, not thrown; everything outside
  // printable ASCII is escaped (\uXXXX), so the line is valid JSON and printable (no C1 control
  // character from a name reaches the terminal).
  return object.dump(-1, ' ', true, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

po::variables_map parse(const std::string& command, const std::vector<std::string>& args,
                        const po::options_description& opts,
                        const po::positional_options_description& pos) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(command, e.what());
  }
  return vm;
}

volatile std::sig_atomic_t g_stop_signal = 0;

namespace {
extern "C" void request_stop(int signal) {
  g_stop_signal = signal;
}
}  // namespace

StopOnSignals::StopOnSignals() {
  g_stop_signal = 0;
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &old_int_);
  sigaction(SIGTERM, &action, &old_term_);
  sigaction(SIGHUP, &action, &old_hup_);  // the terminal closed: stop as cleanly as for SIGTERM
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
  sigaction(SIGHUP, &old_hup_, nullptr);
}

std::string gib(std::uint64_t bytes) {
  if (bytes >= (1ull << 30))
    return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / (1ull << 30));
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1ull << 20));
}

std::uint64_t check_memory(const ScenarioSpec& spec, std::uint64_t concurrent_runs, int threads,
                           std::uint64_t extra_bytes) {
  const std::uint64_t memory =
      Simulation::estimate_peak_bytes(spec) * concurrent_runs + extra_bytes;
  const os::MemoryBudget budget = os::memory_budget(static_cast<std::uint64_t>(threads));
  if (memory > budget.bytes) {
    throw ResourceError(
        "the run" + std::string(concurrent_runs > 1 ? "s need" : " needs") + " about " +
        gib(memory) + " of memory (" + std::to_string(spec.workers.count) + " workers" +
        (concurrent_runs > 1 ? " x " + std::to_string(concurrent_runs) + " runs at once" : "") +
        ") but " + gib(budget.bytes) + " is available (" + budget.limited_by +
        "); lower workers.count (--set workers.count=N), use fewer threads, or run on a larger "
        "machine");
  }
  return memory;
}

int jobs_that_fit(std::uint64_t peak_bytes, int jobs, int threads, const std::string& run) {
  const os::MemoryBudget budget =
      os::memory_budget(static_cast<std::uint64_t>(jobs) * static_cast<std::uint64_t>(threads));
  if (peak_bytes == 0 || peak_bytes * static_cast<std::uint64_t>(jobs) <= budget.bytes) return jobs;
  if (peak_bytes > budget.bytes) {
    throw ResourceError(run + " needs about " + gib(peak_bytes) + " of memory but " +
                        gib(budget.bytes) + " is available (" + budget.limited_by +
                        "); lower workers.count in the sweep, or run it on a larger machine");
  }
  return static_cast<int>(std::max<std::uint64_t>(1, budget.bytes / peak_bytes));
}

}  // namespace gigsim::cli
