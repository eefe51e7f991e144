// How much memory this process may still allocate: the smallest of the memory the system has
// available (MemAvailable), the limit of the cgroup the process runs in (a Slurm job's, a
// container's; cgroup v2 and v1, every level up to the root), the address-space limit
// (RLIMIT_AS, `ulimit -v`) less what the process has mapped already, and GIGSIM_MEMORY_LIMIT.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace gigsim::os {

struct MemoryBudget {
  std::uint64_t bytes = UINT64_MAX;  // what may still be allocated
  std::string limited_by;            // which limit gives `bytes`, for messages; "" if none known
};

// Address space a thread reserves for its stack (glibc's default, 8 MiB), counted against
// RLIMIT_AS for each thread a run starts.
inline constexpr std::uint64_t kThreadStackBytes = std::uint64_t{8} << 20;

// The budget for this process, whose runs will use `threads` threads.
MemoryBudget memory_budget(std::uint64_t threads);

// Where the limits are read (for tests: a fake /proc and /sys/fs/cgroup).
struct MemorySources {
  std::filesystem::path proc = "/proc";             // meminfo, self/cgroup, self/status
  std::filesystem::path cgroup = "/sys/fs/cgroup";  // the cgroup file system
  std::uint64_t address_space_limit = UINT64_MAX;   // RLIMIT_AS soft limit
  const char* environment_limit = nullptr;          // GIGSIM_MEMORY_LIMIT (bytes) or null
};
MemoryBudget memory_budget(const MemorySources& sources, std::uint64_t threads);

}  // namespace gigsim::os
