// `gigsim sweep` as a process: identical results for any jobs and threads, a SIGKILLed sweep
// resumes to the same file, failed runs are recorded, SIGTERM stops it resumably.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace gigsim {
namespace {

const std::string kExe = GIGSIM_EXE;
const std::string kBase = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/with_umbrella_coop.yaml";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class SweepCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gigsim-sweepcli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // 4 points x 2 replications x 2 variants = 16 runs of a small market.
  std::string sweep(const std::string& extra_parameters = "", int workers = 1500,
                    int weeks = 60) const {
    const std::string p = path("sweep.yaml");
    std::ofstream(p) << "base: " << kBase << "\nseed: 11\nreplications: 2\n"
                     << "set: {run.weeks: " << weeks << ", workers.count: " << workers
                     << ", output.panel: none}\n"
                     << "design: {method: lhs, points: 4}\nparameters:\n"
                     << "  umbrella_coop.fee_rate: {min: 0.03, max: 0.12}\n"
                     << "  training.course_cost: {min: 200, max: 800}\n"
                     << extra_parameters
                     << "variants:\n  - {name: off, set: {umbrella_coop.enabled: false}}\n"
                     << "  - {name: on, set: {umbrella_coop.enabled: true}}\n";
    return p;
  }

  pid_t spawn(const std::vector<std::string>& args) const {
    const pid_t pid = ::fork();
    if (pid == 0) {
      std::vector<std::string> copy = args;
      std::string exe = kExe;
      std::vector<char*> argv{exe.data()};
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      const std::string out = path("stdout"), err = path("stderr");
      if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(err.c_str(), "w", stderr))
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
  std::size_t records(const std::string& out) const {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(out + ".runs", ec))
      if (e.path().extension() == ".run") ++n;
    return n;
  }
  fs::path dir_;
};

TEST_F(SweepCli, SameFileForAnyJobsAndThreads) {
  const std::string s = sweep();
  ASSERT_EQ(run({"sweep", s, "-o", path("a.h5"), "--jobs", "1", "--threads", "1", "-q"}), 0)
      << read_file(path("stderr"));
  ASSERT_EQ(run({"sweep", s, "-o", path("b.h5"), "--jobs", "2", "--threads", "1", "-q"}), 0);
  ASSERT_EQ(run({"sweep", s, "-o", path("c.h5"), "--jobs", "1", "--threads", "3", "-q"}), 0);
  const std::string a = read_file(path("a.h5"));
  ASSERT_GT(a.size(), 1000u);
  EXPECT_TRUE(a == read_file(path("b.h5")));
  EXPECT_TRUE(a == read_file(path("c.h5")));
  EXPECT_FALSE(fs::exists(path("a.h5.runs"))) << "the spool goes after a successful join";
  EXPECT_NE(
      read_file(path("stdout")).find("16 runs (4 points x 2 replications x 2 variants), 0 failed"),
      std::string::npos);
}

TEST_F(SweepCli, SigkilledSweepResumesToTheSameFileDoingOnlyMissingRuns) {
  const std::string s = sweep("", 4000, 80);
  const std::string reference = path("reference.h5");
  ASSERT_EQ(run({"sweep", s, "-o", reference, "--jobs", "2", "-q"}), 0);
  const std::string out = path("killed.h5");
  const pid_t pid = spawn({"sweep", s, "-o", out, "--jobs", "1", "--threads", "1", "-q"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (records(out) < 5 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  ASSERT_EQ(wait_exit(pid), 128 + SIGKILL);
  const std::size_t kept = records(out);
  ASSERT_GE(kept, 5u);
  ASSERT_LT(kept, 16u) << "the sweep finished before the kill; machine too fast for this test";
  EXPECT_FALSE(fs::exists(out));
  // Started again with the same command: only the missing runs are done.
  ASSERT_EQ(run({"sweep", s, "-o", out, "--jobs", "1", "--threads", "1"}), 0)
      << read_file(path("stderr"));
  EXPECT_NE(read_file(path("stderr")).find("16 runs, " + std::to_string(16 - kept) + " to do"),
            std::string::npos)
      << read_file(path("stderr"));
  EXPECT_TRUE(read_file(reference) == read_file(out));
}

TEST_F(SweepCli, SigtermStopsBetweenRunsAndTheSameCommandFinishes) {
  const std::string s = sweep("", 4000, 80);
  const std::string out = path("stopped.h5");
  const pid_t pid = spawn({"sweep", s, "-o", out, "--jobs", "1", "--threads", "1", "-q"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (records(out) < 2 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGTERM);
  const int code = wait_exit(pid);
  if (code == 0) GTEST_SKIP() << "the sweep finished before the signal";
  EXPECT_EQ(code, 128 + SIGTERM);
  EXPECT_NE(read_file(path("stderr")).find("run the same command again"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  const std::size_t kept = records(out);
  EXPECT_GE(kept, 2u);
  // The same command again does only the runs the stopped sweep had not finished.
  ASSERT_EQ(run({"sweep", s, "-o", out}), 0) << read_file(path("stderr"));
  EXPECT_NE(read_file(path("stderr")).find("16 runs, " + std::to_string(16 - kept) + " to do"),
            std::string::npos)
      << read_file(path("stderr"));
  const std::string reference = path("reference.h5");
  ASSERT_EQ(run({"sweep", s, "-o", reference, "-q"}), 0);
  EXPECT_TRUE(read_file(reference) == read_file(out));
}

TEST_F(SweepCli, FailedRunsAreRecordedAndTheSweepExitsOne) {
  const std::string p = path("bad.yaml");
  std::ofstream(p) << "base: " << kBase << "\n"
                   << "set: {run.weeks: 8, workers.count: 100}\n"
                   << "design: {method: grid}\nparameters:\n"
                   << "  umbrella_coop.fee_rate: {values: [0.05, 1.5, 0.08]}\n";
  const std::string out = path("bad.h5");
  EXPECT_EQ(run({"sweep", p, "-o", out, "-q"}), 1);
  ASSERT_TRUE(fs::exists(out)) << "the result is written with the failure in it";
  EXPECT_NE(read_file(path("stderr")).find("1 run(s) failed"), std::string::npos)
      << read_file(path("stderr"));
  EXPECT_NE(read_file(path("stderr")).find("run 1: --set:1:24: umbrella_coop.fee_rate"),
            std::string::npos)
      << read_file(path("stderr"));

  const hid_t file = H5Fopen(out.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  ASSERT_GE(file, 0);
  std::uint8_t status[3] = {9, 9, 9};
  const hid_t ds = H5Dopen2(file, "/runs/status", H5P_DEFAULT);
  ASSERT_GE(H5Dread(ds, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, status), 0);
  H5Dclose(ds);
  EXPECT_EQ(status[0], 0);
  EXPECT_EQ(status[1], 1);
  EXPECT_EQ(status[2], 0);
  // (run, group), sized from the file: the number of groups is the file's to say.
  const hid_t m = H5Dopen2(file, "/metrics/income_cv", H5P_DEFAULT);
  const hid_t space = H5Dget_space(m);
  ASSERT_EQ(H5Sget_simple_extent_ndims(space), 2);
  hsize_t dims[2] = {};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  H5Sclose(space);
  ASSERT_EQ(dims[0], 3u);
  std::vector<double> cv(dims[0] * dims[1]);
  ASSERT_GE(H5Dread(m, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, cv.data()), 0);
  H5Dclose(m);
  EXPECT_FALSE(std::isnan(cv[0]));
  EXPECT_TRUE(std::isnan(cv[dims[1]])) << "a failed run's metrics are NaN";
  std::uint64_t failed = 0;
  const hid_t a = H5Aopen(file, "failed_runs", H5P_DEFAULT);
  ASSERT_GE(H5Aread(a, H5T_NATIVE_UINT64, &failed), 0);
  H5Aclose(a);
  EXPECT_EQ(failed, 1u);
  H5Fclose(file);
}

TEST_F(SweepCli, BadSweepFileExitsTwoAndWritesNothing) {
  const std::string p = path("typo.yaml");
  std::ofstream(p) << "base: " << kBase << "\nreplicatons: 2\n";
  const std::string out = path("typo.h5");
  EXPECT_EQ(run({"sweep", p, "-o", out}), 2);
  EXPECT_NE(read_file(path("stderr"))
                .find("typo.yaml:2:1: replicatons: unknown key 'replicatons' "
                      "(did you mean 'replications'?)"),
            std::string::npos)
      << read_file(path("stderr"));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(out + ".runs"));
}

TEST_F(SweepCli, ListShowsRunsAndSlurmWritesABatchScript) {
  const std::string s = sweep();
  ASSERT_EQ(run({"sweep", s, "-o", path("l.h5"), "--list"}), 0);
  const std::string list = read_file(path("stdout"));
  EXPECT_NE(list.find("run\tpoint\treplication\tvariant\tseed\tidentity\tstate\t"
                      "umbrella_coop.fee_rate\ttraining.course_cost"),
            std::string::npos);
  EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 17);
  EXPECT_NE(list.find("\tpending\t"), std::string::npos);
  ASSERT_EQ(run({"sweep", s, "-o", path("l.h5"), "--slurm", "--slurm-tasks", "5", "--slurm-time",
                 "01:00:00", "--slurm-partition", "debug"}),
            0);
  const std::string script = read_file(path("l.h5.sbatch"));
  EXPECT_NE(script.find("#SBATCH --ntasks=5"), std::string::npos) << script;
  EXPECT_NE(script.find("#SBATCH --partition=debug"), std::string::npos);
  EXPECT_NE(script.find("#SBATCH --mem-per-cpu="), std::string::npos);
  EXPECT_NE(script.find(" sweep '" + s + "' -o '" + path("l.h5") + "'"), std::string::npos)
      << script;
  EXPECT_TRUE((fs::status(path("l.h5.sbatch")).permissions() & fs::perms::owner_exec) !=
              fs::perms::none);
}

}  // namespace
}  // namespace gigsim
