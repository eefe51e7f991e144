#include "common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "gigsim/simulation.hpp"

namespace gigsim::cli {

namespace po = boost::program_options;

std::string json_line(const nlohmann::ordered_json& object) {
  // Invalid UTF-8 (a path from the command line) is replaced, not thrown.
  return object.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
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
}

StopOnSignals::~StopOnSignals() {
  sigaction(SIGINT, &old_int_, nullptr);
  sigaction(SIGTERM, &old_term_, nullptr);
}

std::string gib(std::uint64_t bytes) {
  if (bytes >= (1ull << 30))
    return fmt::format("{:.2f} GiB", static_cast<double>(bytes) / (1ull << 30));
  return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1ull << 20));
}

namespace {

// Memory this process may use: MemAvailable, lowered by a cgroup limit (a Slurm job's) and by
// GIGSIM_MEMORY_LIMIT (bytes) when set.
std::uint64_t available_memory_bytes() {
  std::uint64_t available = std::numeric_limits<std::uint64_t>::max();
  if (std::FILE* f = std::fopen("/proc/meminfo", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
      unsigned long long kib = 0;
      if (std::sscanf(line, "MemAvailable: %llu kB", &kib) == 1) available = kib * 1024ull;
    }
    std::fclose(f);
  }
  if (std::FILE* f = std::fopen("/sys/fs/cgroup/memory.max", "r")) {
    unsigned long long limit = 0;
    if (std::fscanf(f, "%llu", &limit) == 1) available = std::min<std::uint64_t>(available, limit);
    std::fclose(f);
  }
  if (const char* env = std::getenv("GIGSIM_MEMORY_LIMIT"))
    available = std::min<std::uint64_t>(available, std::strtoull(env, nullptr, 10));
  return available;
}

}  // namespace

std::uint64_t check_memory(const ScenarioSpec& spec, std::uint64_t concurrent_runs) {
  const std::uint64_t memory = Simulation::estimate_peak_bytes(spec) * concurrent_runs;
  const std::uint64_t available = available_memory_bytes();
  if (memory > available) {
    throw ResourceError(
        "the run" + std::string(concurrent_runs > 1 ? "s need" : " needs") + " about " +
        gib(memory) + " of memory (" + std::to_string(spec.workers.count) + " workers" +
        (concurrent_runs > 1 ? " x " + std::to_string(concurrent_runs) + " runs at once" : "") +
        ") but " + gib(available) +
        " is available; lower workers.count (--set workers.count=N), use fewer threads, or run "
        "on a larger machine");
  }
  return memory;
}

}  // namespace gigsim::cli
