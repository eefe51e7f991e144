// Stopping, killing, resuming and branching runs of the real gigsim executable.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "h5_compare.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

const std::string kExe = GIGSIM_EXE;
const std::string kScenario = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/with_umbrella_coop.yaml";

class Resume : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gigsim-resume-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // Starts gigsim with `args`; stdout and stderr go to files in the scratch folder.
  pid_t spawn(const std::vector<std::string>& args) const {
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::vector<char*> argv;
      std::string exe = kExe;
      argv.push_back(exe.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      const std::string out = path("stdout"), err = path("stderr");
      if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "a", stderr))
        _exit(99);
      ::execv(kExe.c_str(), argv.data());
      _exit(98);
    }
    return pid;
  }
  static int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  int run(const std::vector<std::string>& args) const { return wait_exit(spawn(args)); }

  // A market big enough that a run lasts a few seconds on one thread.
  static std::vector<std::string> market(std::vector<std::string> args, int weeks = 150) {
    for (const char* s : {"--set", "workers.count=12000", "-q"}) args.emplace_back(s);
    args.emplace_back("--set");
    args.emplace_back("run.weeks=" + std::to_string(weeks));
    return args;
  }
  fs::path dir_;
};

void expect_same_datasets(const std::string& a, const std::string& b) {
  const auto fa = testing::read_all_datasets(a);
  const auto fb = testing::read_all_datasets(b);
  ASSERT_EQ(fa.size(), fb.size());
  for (const auto& [name, bytes] : fa) EXPECT_TRUE(fb.at(name) == bytes) << name;
}

TEST_F(Resume, RunKilledWithSigkillAtSeveralPointsResumesToTheSameFile) {
  const std::string reference = path("reference.h5");
  ASSERT_EQ(run(market({"run", kScenario, "-o", reference, "--threads", "2"})), 0);
  // Kill after the first, a middle and a late checkpoint; each time resume from the last good one.
  for (int kills : {1, 3, 6}) {
    const std::string out = path("killed.h5");
    const std::string ckpt = out + ".ckpt";
    fs::remove(out);
    fs::remove(ckpt);
    const pid_t pid =
        spawn(market({"run", kScenario, "-o", out, "--threads", "1", "--checkpoint-every", "20"}));
    // Wait until `kills` checkpoints have been written (each replaces the last), then SIGKILL.
    fs::file_time_type seen{};
    int written = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (written < kills && std::chrono::steady_clock::now() < deadline) {
      std::error_code ec;
      const auto t = fs::last_write_time(ckpt, ec);
      if (!ec && t != seen) {
        seen = t;
        ++written;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(pid, SIGKILL);
    EXPECT_EQ(wait_exit(pid), 128 + SIGKILL);
    ASSERT_TRUE(fs::exists(ckpt)) << "no checkpoint after " << kills << " kills";
    EXPECT_FALSE(fs::exists(out));  // a killed run leaves no half output file
    ASSERT_EQ(run({"run", "--resume", ckpt, "-q", "--threads", "2"}), 0) << "kills " << kills;
    expect_same_datasets(reference, out);
  }
}

TEST_F(Resume, SigintAndSigtermStopAfterTheWeekWithACheckpointAndAnIncompleteOutput) {
  const std::string reference = path("reference.h5");
  ASSERT_EQ(run(market({"run", kScenario, "-o", reference}, 400)), 0);
  for (int sig : {SIGINT, SIGTERM}) {
    const std::string out = path("stopped.h5");
    fs::remove(out);
    const pid_t pid = spawn(market({"run", kScenario, "-o", out, "--threads", "1"}, 400));
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    ::kill(pid, sig);
    const int code = wait_exit(pid);
    if (code == 0) GTEST_SKIP() << "the run finished before the signal; machine too fast";
    EXPECT_EQ(code, 128 + sig);
    ASSERT_TRUE(fs::exists(out)) << "a stopped run writes its partial output";
    ASSERT_TRUE(fs::exists(out + ".ckpt"));
    // The partial file is a valid run file: readable, with fewer weeks than the full run.
    const auto partial = testing::read_all_datasets(out);
    EXPECT_LT(partial.at("series/step").size(),
              testing::read_all_datasets(reference).at("series/step").size());
    ASSERT_EQ(run({"run", "--resume", out + ".ckpt", "-q"}), 0);
    expect_same_datasets(reference, out);
  }
}

TEST_F(Resume, BranchesWithIdenticalSettingsAreBitIdenticalAndEqualTheUnbranchedRun) {
  const std::string warm = path("warm.h5");
  ASSERT_EQ(run({"run", kScenario, "-o", warm, "--set", "workers.count=3000", "--set",
                 "run.weeks=104", "--checkpoint-every", "52", "-q"}),
            0);
  const std::string ckpt = warm + ".ckpt";  // at week 52
  ASSERT_EQ(run({"branch", ckpt, "-o", path("a.h5"), "-q", "--threads", "1"}), 0);
  ASSERT_EQ(run({"branch", ckpt, "-o", path("b.h5"), "-q", "--threads", "2"}), 0);
  expect_same_datasets(path("a.h5"), path("b.h5"));
  expect_same_datasets(path("a.h5"), warm);
}

TEST_F(Resume, APolicyWithoutEffectGivesTheSameDrawsAsNoPolicy) {
  // With nobody weighing courses, the course price cannot matter: if the two branches drew
  // different random numbers their outputs would differ. Identical files show common draws.
  const std::string warm = path("warm.h5");
  ASSERT_EQ(run({"run", kScenario, "-o", warm, "--set", "workers.count=3000", "--set",
                 "run.weeks=52", "--set", "training.consider_probability=0", "--set",
                 "sickness.enabled=true", "--checkpoint-every", "26", "-q"}),
            0);
  const std::string ckpt = warm + ".ckpt";
  ASSERT_EQ(run({"branch", ckpt, "-o", path("without.h5"), "--set", "run.weeks=104", "-q"}), 0);
  ASSERT_EQ(run({"branch", ckpt, "-o", path("with.h5"), "--set", "run.weeks=104", "--set",
                 "training.course_cost=50", "-q"}),
            0);
  expect_same_datasets(path("without.h5"), path("with.h5"));
  // And a policy with effect changes the result.
  ASSERT_EQ(run({"branch", ckpt, "-o", path("fee.h5"), "--set", "run.weeks=104", "--set",
                 "umbrella_coop.fee_rate=0.2", "-q"}),
            0);
  const auto fee = testing::read_all_datasets(path("fee.h5"));
  const auto with = testing::read_all_datasets(path("with.h5"));
  EXPECT_FALSE(fee.at("series/coop_fee_retained") == with.at("series/coop_fee_retained"));
  // Common random numbers: the policy changes incomes, not one sickness draw.
  EXPECT_TRUE(fee.at("series/workers_sick") == with.at("series/workers_sick"));
  const auto& sick = with.at("series/workers_sick");
  EXPECT_TRUE(std::any_of(sick.begin(), sick.end(), [](unsigned char b) { return b != 0; }));
}

TEST_F(Resume, BranchRefusesParametersThatCannotChangeMidRun) {
  const std::string warm = path("warm.h5");
  ASSERT_EQ(run({"run", kScenario, "-o", warm, "--set", "workers.count=500", "--set",
                 "run.weeks=20", "--checkpoint-every", "10", "-q"}),
            0);
  for (const char* change :
       {"workers.count=600", "workers.hours_budget_mean=30", "run.seed=5",
        "platforms[0].payout_lag_weeks=4", "output.panel=all", "umbrella_coop.enabled=false",
        "run.weeks=5", "platforms[1].cooperative.enabled=true",
        "platforms[1].cooperative.training_levy=0.01",
        "platforms[1].cooperative.operating_cost_rate=0.1", "employee_sharing.hourly_wage=20"}) {
    EXPECT_EQ(run({"branch", warm + ".ckpt", "-o", path("x.h5"), "--set", change}), 2) << change;
    EXPECT_FALSE(fs::exists(path("x.h5"))) << change;
  }
}

TEST_F(Resume, ABranchCanBringInSocialProcurementButNotReshapeTheWises) {
  // Public buyers hold no state: reserving contracts for the WISEs from week 26 on is a branch.
  // The WISEs themselves (on or off, their supervision capacity) are fixed for the run.
  const std::string wise = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/asf_wise.yaml";
  const std::string warm = path("warm.h5");
  ASSERT_EQ(run({"run", wise, "-o", warm, "--set", "workers.count=3000", "--set", "run.weeks=52",
                 "--checkpoint-every", "26", "-q"}),
            0);
  const std::string ckpt = warm + ".ckpt";
  ASSERT_EQ(run({"branch", ckpt, "-o", path("without.h5"), "--set", "run.weeks=78", "-q"}), 0);
  ASSERT_EQ(run({"branch", ckpt, "-o", path("with.h5"), "--set", "run.weeks=78", "--set",
                 "public_buyers.enabled=true", "--set", "public_buyers.reserved_share=0.05", "-q"}),
            0);
  const auto without = testing::read_all_datasets(path("without.h5"));
  const auto with = testing::read_all_datasets(path("with.h5"));
  const auto& contracts = with.at("series/wise_contracts");
  EXPECT_TRUE(std::any_of(contracts.begin(), contracts.end(), [](unsigned char b) { return b; }));
  const auto& none = without.at("series/wise_contracts");
  EXPECT_TRUE(std::all_of(none.begin(), none.end(), [](unsigned char b) { return b == 0; }));
  // The first 26 weeks are the shared history; after them the contracts change the WISEs' books.
  const auto& capital_with = with.at("series/wise_capital");
  const auto& capital_without = without.at("series/wise_capital");
  ASSERT_EQ(capital_with.size(), capital_without.size());
  EXPECT_TRUE(
      std::equal(capital_without.begin(), capital_without.begin() + 26 * 8, capital_with.begin()));
  EXPECT_FALSE(capital_with == capital_without);
  for (const char* change :
       {"wise.enabled=false", "wise.supervisors=1", "wise.count=3",
        "public_buyers.reserved_share=0.1", "umbrella_coop.membership_review_probability=0.1"}) {
    EXPECT_EQ(run({"branch", ckpt, "-o", path("x.h5"), "--set", change}), 2) << change;
    EXPECT_FALSE(fs::exists(path("x.h5"))) << change;
  }
}

TEST_F(Resume, DamagedCheckpointIsAClearErrorNotACrash) {
  const std::string ckpt = path("bad.ckpt");
  {
    std::FILE* f = std::fopen(ckpt.c_str(), "wb");
    std::fputs("GIGSIMCK but not really a checkpoint at all", f);
    std::fclose(f);
  }
  EXPECT_EQ(run({"run", "--resume", ckpt, "-o", path("x.h5")}), 2);
  EXPECT_EQ(run({"branch", ckpt, "-o", path("x.h5")}), 2);
  EXPECT_FALSE(fs::exists(path("x.h5")));
}

}  // namespace
}  // namespace gigsim
