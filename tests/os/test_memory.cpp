// The memory budget: the smallest of MemAvailable, every cgroup level's limit (v2 and v1), the
// address-space limit less what is mapped and the threads' stacks, and GIGSIM_MEMORY_LIMIT.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "gigsim/memory.hpp"

namespace fs = std::filesystem;

namespace gigsim::os {
namespace {

constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;

class Memory : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("gigsim-memory-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "proc" / "self");
    fs::create_directories(root_ / "cgroup");
    sources_.proc = root_ / "proc";
    sources_.cgroup = root_ / "cgroup";
    put("proc/meminfo", "MemTotal:       33554432 kB\nMemAvailable:   16777216 kB\n");    // 16 GiB
    put("proc/self/status", "Name:\tgigsim\nVmSize:\t  1048576 kB\nVmRSS:\t 1000 kB\n");  // 1 GiB
  }
  void TearDown() override { fs::remove_all(root_); }
  void put(const std::string& name, const std::string& text) {
    fs::create_directories((root_ / name).parent_path());
    std::ofstream(root_ / name) << text;
  }
  fs::path root_;
  MemorySources sources_;
};

TEST_F(Memory, MemAvailableAloneIsTheBudget) {
  const MemoryBudget b = memory_budget(sources_, 1);
  EXPECT_EQ(b.bytes, 16 * kGiB);
  EXPECT_EQ(b.limited_by, "the memory available on this machine (MemAvailable)");
}

TEST_F(Memory, CgroupV2LimitsBindAtEveryLevelLessUsage) {
  put("proc/self/cgroup", "0::/job_7/step_0\n");
  put("cgroup/job_7/step_0/memory.max", "max\n");  // the step itself: no limit
  put("cgroup/job_7/memory.max", "4294967296\n");  // the job: 4 GiB
  put("cgroup/job_7/memory.current", "1073741824\n");
  put("cgroup/job_7/memory.stat", "anon 805306368\ninactive_file 268435456\n");
  const MemoryBudget b = memory_budget(sources_, 1);
  EXPECT_EQ(b.bytes, 4 * kGiB - (kGiB - kGiB / 4));  // limit less usage less reclaimable cache
  EXPECT_EQ(b.limited_by, "the cgroup memory limit (memory.max)");
}

TEST_F(Memory, CgroupV1Limit) {
  put("proc/self/cgroup", "12:cpu,cpuacct:/x\n9:memory:/slurm/uid_0/job_3\n");
  put("cgroup/memory/slurm/uid_0/job_3/memory.limit_in_bytes", "2147483648\n");
  put("cgroup/memory/slurm/uid_0/job_3/memory.usage_in_bytes", "0\n");
  put("cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");  // the root: "no limit"
  const MemoryBudget b = memory_budget(sources_, 1);
  EXPECT_EQ(b.bytes, 2 * kGiB);
  EXPECT_EQ(b.limited_by, "the cgroup memory limit (memory.limit_in_bytes)");
}

TEST_F(Memory, AddressSpaceLimitCountsWhatIsMappedAndThreadStacks) {
  sources_.address_space_limit = 3 * kGiB;  // ulimit -v 3145728
  MemoryBudget b = memory_budget(sources_, 1);
  EXPECT_EQ(b.bytes, 2 * kGiB - kThreadStackBytes);
  EXPECT_EQ(b.limited_by, "the address-space limit (ulimit -v)");
  b = memory_budget(sources_, 64);
  EXPECT_EQ(b.bytes, 2 * kGiB - 64 * kThreadStackBytes);
  sources_.address_space_limit = kGiB / 2;  // less than is mapped already
  EXPECT_EQ(memory_budget(sources_, 1).bytes, 0u);
}

TEST_F(Memory, EnvironmentLimitAndMissingSources) {
  sources_.environment_limit = "1000000";
  EXPECT_EQ(memory_budget(sources_, 1).bytes, 1000000u);
  EXPECT_EQ(memory_budget(sources_, 1).limited_by, "GIGSIM_MEMORY_LIMIT");
  MemorySources nothing;
  nothing.proc = root_ / "absent";
  nothing.cgroup = root_ / "absent";
  EXPECT_EQ(memory_budget(nothing, 1).bytes, UINT64_MAX);
  EXPECT_EQ(memory_budget(nothing, 1).limited_by, "");
}

TEST(MemoryOfThisProcess, IsPositive) {
  EXPECT_GT(memory_budget(1).bytes, 0u);
}

}  // namespace
}  // namespace gigsim::os
