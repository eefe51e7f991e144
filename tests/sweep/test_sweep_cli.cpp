// `gigsim sweep` as a process: identical results for any jobs and threads, a SIGKILLed sweep
// resumes to the same file, failed runs are recorded, SIGTERM stops it resumably (checkpointing
// the run under way), a finished sweep is never redone, one sweep at a time per output, chunks
// and a join give the file of one sweep, and the Slurm scripts.
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

TEST_F(SweepCli, SigtermCheckpointsTheRunUnderWayAndTheSameCommandFinishes) {
  const std::string s = sweep("", 4000, 80);
  const std::string out = path("stopped.h5");
  const pid_t pid = spawn({"sweep", s, "-o", out, "--jobs", "1", "--threads", "1", "-q"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  const auto wait_for = [&](std::size_t n) {
    while (records(out) < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return std::chrono::steady_clock::now();
  };
  // The signal goes half a run after the second record, so that it lands inside the third run
  // however loaded the machine is (a signal between two runs leaves nothing to checkpoint).
  const auto first = wait_for(1);
  const auto second = wait_for(2);
  std::this_thread::sleep_for((second - first) / 2);
  ::kill(pid, SIGTERM);
  const int code = wait_exit(pid);
  if (code == 0) GTEST_SKIP() << "the sweep finished before the signal";
  EXPECT_EQ(code, 128 + SIGTERM);
  EXPECT_NE(read_file(path("stderr")).find("run the same command again"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  const std::size_t kept = records(out);
  EXPECT_GE(kept, 2u);
  // The run under way (the signal comes in the middle of one) is checkpointed, not lost.
  std::size_t checkpoints = 0;
  for (const auto& e : fs::directory_iterator(out + ".runs"))
    if (e.path().extension() == ".ckpt") ++checkpoints;
  EXPECT_EQ(checkpoints, 1u);
  ASSERT_EQ(run({"sweep", s, "-o", out, "--list"}), 0);
  EXPECT_NE(read_file(path("stdout")).find("\tstopped\t"), std::string::npos);
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

TEST_F(SweepCli, ListShowsRunsAndSlurmWritesAJobArrayAndADependentJoin) {
  const std::string s = sweep();
  ASSERT_EQ(run({"sweep", s, "-o", path("l.h5"), "--list"}), 0);
  const std::string list = read_file(path("stdout"));
  EXPECT_NE(list.find("run\tpoint\treplication\tvariant\tseed\tidentity\tstate\t"
                      "umbrella_coop.fee_rate\ttraining.course_cost"),
            std::string::npos);
  EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 17);
  EXPECT_NE(list.find("\tpending\t"), std::string::npos);
  ASSERT_EQ(run({"sweep", s, "-o", path("l.h5"), "--slurm", "--slurm-array", "5", "--slurm-cpus",
                 "2", "--slurm-partition", "debug", "--slurm-account", "proj7", "--slurm-module",
                 "hdf5/1.10", "--slurm-setup", "source /opt/env.sh", "--slurm-signal", "120"}),
            0)
      << read_file(path("stderr"));
  const std::string array = read_file(path("l.h5.sbatch"));
  for (const std::string& line :
       {std::string("#SBATCH --array=0-4\n"), std::string("#SBATCH --cpus-per-task=2\n"),
        std::string("#SBATCH --partition=debug\n"), std::string("#SBATCH --account=proj7\n"),
        std::string("#SBATCH --requeue\n"), std::string("#SBATCH --signal=B:USR1@120\n"),
        std::string("module load hdf5/1.10\n"), std::string("source /opt/env.sh\n"),
        std::string("--chunk \"${SLURM_ARRAY_TASK_ID}/5\" --jobs 2 --threads 1"),
        std::string("scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"")})
    EXPECT_NE(array.find(line), std::string::npos) << line << "\n" << array;
  // 16 runs of 1,500 workers x 60 weeks: the estimate is the ten-minute floor.
  EXPECT_NE(array.find("#SBATCH --time=00:10:00\n"), std::string::npos) << array;
  const std::string join = read_file(path("l.h5.join.sbatch"));
  EXPECT_NE(join.find(" sweep '" + s + "' -o '" + path("l.h5") + "' --join-only"),
            std::string::npos)
      << join;
  const std::string submit = read_file(path("l.h5.submit.sh"));
  EXPECT_NE(submit.find("--dependency=afterany:\"$array\""), std::string::npos) << submit;
  for (const char* f : {"l.h5.sbatch", "l.h5.join.sbatch", "l.h5.submit.sh"})
    EXPECT_TRUE((fs::status(path(f)).permissions() & fs::perms::owner_exec) != fs::perms::none);
  // The single MPI job is still there for those who prefer it.
  ASSERT_EQ(run({"sweep", s, "-o", path("m.h5"), "--slurm", "--slurm-mpi", "--slurm-tasks", "5",
                 "--slurm-time", "01:00:00"}),
            0);
  const std::string mpi = read_file(path("m.h5.sbatch"));
  EXPECT_NE(mpi.find("#SBATCH --ntasks=5"), std::string::npos) << mpi;
  EXPECT_NE(mpi.find("#SBATCH --time=01:00:00"), std::string::npos) << mpi;
  EXPECT_NE(mpi.find("#SBATCH --mem-per-cpu="), std::string::npos);
  EXPECT_NE(mpi.find(" sweep '" + s + "' -o '" + path("m.h5") + "'"), std::string::npos) << mpi;
}

TEST_F(SweepCli, SlurmTimeIsEstimatedFromTheWork) {
  // 4 x 2 x 2 runs of 200,000 workers x 520 weeks: about 1.7e11 worker-steps.
  const std::string s = sweep("", 200000, 520);
  ASSERT_EQ(run({"sweep", s, "-o", path("t.h5"), "--slurm", "--slurm-array", "4"}), 0)
      << read_file(path("stderr"));
  const std::string array = read_file(path("t.h5.sbatch"));
  // A task does 4 runs of 1.04e8 worker-steps one at a time on its CPU (4 x 104 s at 1e6 a
  // second), times 1.5, plus 5 minutes: 16 minutes.
  EXPECT_NE(array.find("#SBATCH --time=00:16:00\n"), std::string::npos) << array;
}

TEST_F(SweepCli, AFinishedSweepIsListedDoneNeverRedoneAndGrowsByTheMissingRunsOnly) {
  const std::string s = sweep();
  const std::string out = path("done.h5");
  ASSERT_EQ(run({"sweep", s, "-o", out, "-q"}), 0) << read_file(path("stderr"));
  const std::string joined = read_file(out);
  ASSERT_EQ(run({"sweep", s, "-o", out, "--list"}), 0);
  const std::string list = read_file(path("stdout"));
  EXPECT_EQ(std::count(list.begin(), list.end(), '\n'), 17);
  EXPECT_EQ(list.find("\tpending\t"), std::string::npos) << list;
  EXPECT_NE(list.find("\tdone\t"), std::string::npos) << list;
  // Started again: nothing to do, the file stays as it is, no lock or spool is left behind.
  ASSERT_EQ(run({"sweep", s, "-o", out}), 0) << read_file(path("stderr"));
  EXPECT_NE(read_file(path("stdout")).find("is up to date"), std::string::npos);
  EXPECT_TRUE(read_file(out) == joined);
  EXPECT_FALSE(fs::exists(out + ".runs"));
  EXPECT_FALSE(fs::exists(out + ".lock"));
  // One more replication: the 16 joined runs are read back, only the 8 new ones are run, and the
  // file is the one a fresh sweep of the grown design writes.
  std::string text = read_file(s);
  text.replace(text.find("replications: 2"), 15, "replications: 3");
  std::ofstream(s) << text;
  ASSERT_EQ(run({"sweep", s, "-o", out}), 0) << read_file(path("stderr"));
  EXPECT_NE(read_file(path("stderr")).find("16 finished runs recovered"), std::string::npos)
      << read_file(path("stderr"));
  EXPECT_NE(read_file(path("stderr")).find("24 runs, 8 to do"), std::string::npos)
      << read_file(path("stderr"));
  ASSERT_EQ(run({"sweep", s, "-o", path("fresh.h5"), "-q"}), 0);
  EXPECT_TRUE(read_file(path("fresh.h5")) == read_file(out));
}

TEST_F(SweepCli, ASecondSweepOnTheSameOutputIsRefused) {
  const std::string s = sweep("", 4000, 80);
  const std::string out = path("busy.h5");
  const pid_t first = spawn({"sweep", s, "-o", out, "--jobs", "1", "-q"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(out + ".lock") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::string first_stderr = path("stderr");
  fs::rename(first_stderr, path("first_stderr"));  // spawn() writes stderr to the same file
  const int second = run({"sweep", s, "-o", out, "-q"});
  const std::string why = read_file(path("stderr"));
  ::kill(first, SIGKILL);
  wait_exit(first);
  if (records(out) == 16) GTEST_SKIP() << "the first sweep finished before the second started";
  EXPECT_EQ(second, 2) << why;
  EXPECT_NE(why.find("in use by another gigsim sweep (process " + std::to_string(first)),
            std::string::npos)
      << why;
  // The lock dies with its holder: the same command now finishes the sweep.
  EXPECT_EQ(run({"sweep", s, "-o", out, "-q"}), 0) << read_file(path("stderr"));
}

TEST_F(SweepCli, ChunksThenAJoinGiveTheFileOfOneSweep) {
  const std::string s = sweep();
  ASSERT_EQ(run({"sweep", s, "-o", path("whole.h5"), "-q"}), 0);
  const std::string out = path("chunked.h5");
  ASSERT_EQ(run({"sweep", s, "-o", out, "--chunk", "0/3", "-q"}), 0) << read_file(path("stderr"));
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(run({"sweep", s, "-o", out, "--join-only"}), 1) << "two chunks are missing";
  EXPECT_NE(read_file(path("stderr")).find("have no record"), std::string::npos);
  EXPECT_FALSE(fs::exists(out));
  ASSERT_EQ(run({"sweep", s, "-o", out, "--chunk", "2/3", "-q"}), 0);
  ASSERT_EQ(run({"sweep", s, "-o", out, "--chunk", "1/3", "-q"}), 0);
  EXPECT_EQ(records(out), 16u);
  ASSERT_EQ(run({"sweep", s, "-o", out, "--join-only"}), 0) << read_file(path("stderr"));
  EXPECT_TRUE(read_file(path("whole.h5")) == read_file(out));
  EXPECT_EQ(run({"sweep", s, "-o", out, "--chunk", "3/3"}), 2);
  EXPECT_EQ(run({"sweep", s, "-o", out, "--chunk", "x"}), 2);
}

}  // namespace
}  // namespace gigsim
