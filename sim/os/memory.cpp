#include "gigsim/memory.hpp"

#include <sys/resource.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>

namespace gigsim::os {

namespace {

// The value of "KEY: N kB" in a /proc file, in bytes.
std::optional<std::uint64_t> kib_field(const std::filesystem::path& file, std::string_view key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0 || line.size() <= key.size() ||
        line[key.size()] != ':')
      continue;
    std::istringstream value(line.substr(key.size() + 1));
    std::uint64_t kib = 0;
    if (value >> kib) return kib * 1024;
  }
  return std::nullopt;
}

// The first number in a cgroup file ("max" reads as no limit).
std::optional<std::uint64_t> number_in(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string word;
  if (!(in >> word) || word == "max") return std::nullopt;
  std::uint64_t value = 0;
  for (char c : word) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

// "KEY N" in a cgroup memory.stat.
std::uint64_t stat_field(const std::filesystem::path& file, std::string_view key) {
  std::ifstream in(file);
  std::string name;
  std::uint64_t value = 0;
  while (in >> name >> value)
    if (name == key) return value;
  return 0;
}

void lower(MemoryBudget& budget, std::uint64_t bytes, const std::string& why) {
  if (bytes < budget.bytes) {
    budget.bytes = bytes;
    budget.limited_by = why;
  }
}

// Limit less usage (reclaimable page cache counted as free) at one cgroup level.
void lower_by_cgroup(MemoryBudget& budget, const std::filesystem::path& dir) {
  if (const auto limit = number_in(dir / "memory.max")) {  // cgroup v2
    const std::uint64_t used = number_in(dir / "memory.current").value_or(0);
    const std::uint64_t cache = stat_field(dir / "memory.stat", "inactive_file");
    const std::uint64_t busy = used > cache ? used - cache : 0;
    lower(budget, *limit > busy ? *limit - busy : 0, "the cgroup memory limit (memory.max)");
  }
  if (const auto limit = number_in(dir / "memory.limit_in_bytes")) {  // cgroup v1
    if (*limit < (std::uint64_t{1} << 62)) {  // v1 writes a huge number for "no limit"
      const std::uint64_t used = number_in(dir / "memory.usage_in_bytes").value_or(0);
      const std::uint64_t cache = stat_field(dir / "memory.stat", "total_inactive_file");
      const std::uint64_t busy = used > cache ? used - cache : 0;
      lower(budget, *limit > busy ? *limit - busy : 0,
            "the cgroup memory limit (memory.limit_in_bytes)");
    }
  }
}

}  // namespace

MemoryBudget memory_budget(const MemorySources& sources, std::uint64_t threads) {
  MemoryBudget budget;
  if (const auto available = kib_field(sources.proc / "meminfo", "MemAvailable"))
    lower(budget, *available, "the memory available on this machine (MemAvailable)");

  // This process's cgroups ("0::/PATH" for v2, "N:memory:/PATH" for v1), every level up to the
  // root: a limit on a parent (a Slurm job above its step) binds as well.
  std::ifstream cgroups(sources.proc / "self/cgroup");
  if (!cgroups.is_open()) lower_by_cgroup(budget, sources.cgroup);
  std::string line;
  while (std::getline(cgroups, line)) {
    const std::size_t first = line.find(':');
    const std::size_t second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    std::filesystem::path root = sources.cgroup;
    if (controllers.empty()) {
    } else if (controllers.find("memory") != std::string::npos) {
      root /= "memory";
    } else {
      continue;
    }
    std::filesystem::path relative = std::filesystem::path(line.substr(second + 1)).relative_path();
    while (true) {
      lower_by_cgroup(budget, root / relative);
      if (relative.empty()) break;
      relative = relative.parent_path();
    }
  }

  if (sources.address_space_limit != UINT64_MAX) {
    const std::uint64_t mapped = kib_field(sources.proc / "self/status", "VmSize").value_or(0);
    const std::uint64_t stacks = threads * kThreadStackBytes;
    const std::uint64_t used = mapped + stacks;
    lower(budget, sources.address_space_limit > used ? sources.address_space_limit - used : 0,
          "the address-space limit (ulimit -v)");
  }
  if (sources.environment_limit != nullptr)
    lower(budget, std::strtoull(sources.environment_limit, nullptr, 10), "GIGSIM_MEMORY_LIMIT");
  return budget;
}

MemoryBudget memory_budget(std::uint64_t threads) {
  MemorySources sources;
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    sources.address_space_limit = static_cast<std::uint64_t>(limit.rlim_cur);
  sources.environment_limit = std::getenv("GIGSIM_MEMORY_LIMIT");
  return memory_budget(sources, threads);
}

}  // namespace gigsim::os
