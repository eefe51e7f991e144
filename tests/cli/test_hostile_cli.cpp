// Hostile input to the gigsim command, part two (issue 18): special files, paths, numbers,
// signals and resources. Every case is a clear message with the documented exit code (2 for bad
// input), never a crash, a hang or a touched input. Cases that could hang or crash run the real
// executable under `timeout`; the others call the application in-process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gigsim/app.hpp"
#include "in_process.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

const std::string kExe = GIGSIM_EXE;
const std::string kScenarios = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/";
const std::string kBaseline = kScenarios + "baseline.yaml";

using Result = testing::CliResult;

class Hostile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gigsim-hostile-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }
  static std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  static Result gigsim(std::vector<std::string> args) {  // in-process
    return testing::run_in_process(std::move(args));
  }
  // The real executable under `timeout` (so a hang fails the test at once), in the scratch
  // folder; `shell_prefix` runs before it (e.g. "ulimit -v 400000;").
  Result exe(const std::vector<std::string>& args, const std::string& shell_prefix = "",
             int seconds = 60) const {
    std::string command = "cd '" + dir_.string() + "' && " + shell_prefix + " timeout -s KILL " +
                          std::to_string(seconds) + " '" + kExe + "'";
    for (const std::string& a : args) {
      std::string quoted = "'";
      for (char c : a) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      command += " " + quoted + "'";
    }
    command += " >'" + path("stdout") + "' 2>'" + path("stderr") + "' </dev/null";
    const int status = std::system(command.c_str());
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return {code, read(path("stdout")), read(path("stderr"))};
  }
  // The shipped baseline, small enough for a test.
  static std::vector<std::string> small(std::vector<std::string> args) {
    for (const char* s : {"--set", "workers.count=400", "--set", "run.weeks=8", "-q"})
      args.emplace_back(s);
    return args;
  }
  // A run of a minute or more writing `output` in the scratch folder, under way: its temporary
  // output exists (waited for, up to 60 s: a sanitizer build starts slowly) and a week has passed.
  pid_t long_run(const std::string& output) const {
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (::chdir(dir_.c_str()) != 0) ::_exit(97);
      ::execl(kExe.c_str(), kExe.c_str(), "run", kBaseline.c_str(), "--set", "workers.count=20000",
              "--set", "run.weeks=2000", "-q", "--threads", "1", "-o", output.c_str(), nullptr);
      ::_exit(98);
    }
    const auto started = [&] {
      for (const auto& e : fs::directory_iterator(dir_))
        if (e.path().filename().string().starts_with(output + ".tmp-")) return true;
      return false;
    };
    for (int i = 0; i < 600 && !started(); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    return pid;
  }
  std::string fifo(const std::string& name) const {
    EXPECT_EQ(::mkfifo(path(name).c_str(), 0600), 0);
    return path(name);
  }
  std::string sweep_file(const std::string& name, const std::string& body) const {
    return write(name, "base: " + kBaseline + "\nset: {workers.count: 60, run.weeks: 8}\n" + body);
  }
  fs::path dir_;
};

// ---- 3. Hangs and unbounded reads: only regular files are read, with a size cap ------------

TEST_F(Hostile, AFifoAsAnyInputIsRefusedAtOnce) {
  const std::string pipe = fifo("pipe.yaml");
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run", pipe},
                                             {"scenario", "check", pipe},
                                             {"scenario", "show", pipe},
                                             {"validate", pipe},
                                             {"run", "--resume", pipe},
                                             {"branch", pipe, "-o", path("b.h5")},
                                             {"sweep", pipe, "--list"},
                                             {"report", pipe, "-o", path("report")}}) {
    const Result r = exe(args, "", 30);
    EXPECT_EQ(r.code, 2) << args[0] << " " << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("FIFO"), std::string::npos) << args[0] << ": " << r.err;
  }
  EXPECT_FALSE(fs::exists(path("b.h5")));
  EXPECT_FALSE(fs::exists(path("report")));
}

TEST_F(Hostile, DevicesAreNeverReadAsInputs) {
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"run", "/dev/zero"},
                                             {"scenario", "check", "/dev/urandom"},
                                             {"run", "--resume", "/dev/zero"},
                                             {"branch", "/dev/zero", "-o", path("b.h5")},
                                             {"sweep", "/dev/zero", "--list"}}) {
    const Result r = exe(args, "", 30);
    EXPECT_EQ(r.code, 2) << args[1] << ": " << r.err;
    EXPECT_NE(r.err.find("is a character device, not a regular file"), std::string::npos) << r.err;
  }
}

TEST_F(Hostile, SpecialFilesInsideASweepAreRefusedWithTheirPosition) {
  const std::string pipe = fifo("base.yaml");
  Result r =
      gigsim({"sweep", write("s.yaml", "base: base.yaml\ndesign: {method: grid}\n"), "--list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("s.yaml:1:7: base: scenario file '" + pipe +
                       "' (relative to the sweep file) is a FIFO (named pipe)"),
            std::string::npos)
      << r.err;
  fifo("table.csv");
  r = gigsim(
      {"sweep", sweep_file("t.yaml", "design: {method: table, file: table.csv}\n"), "--list"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("design.file: '" + path("table.csv") +
                       "' is a FIFO (named pipe), not a "
                       "CSV file"),
            std::string::npos)
      << r.err;
}

TEST_F(Hostile, CheckpointsThatAreNotFilesGetClearMessages) {
  fs::create_directory(path("dir.ckpt"));
  Result r = gigsim({"run", "--resume", path("dir.ckpt")});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("dir.ckpt: is a directory, not a checkpoint"), std::string::npos) << r.err;
  fs::create_symlink(path("b.ckpt"), path("a.ckpt"));
  fs::create_symlink(path("a.ckpt"), path("b.ckpt"));
  r = gigsim({"branch", path("a.ckpt"), "-o", path("x.h5")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("too many levels of symbolic links (a symlink loop?)"), std::string::npos)
      << r.err;
  r = gigsim({"run", "--resume", path("missing.ckpt")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("missing.ckpt: no such file"), std::string::npos) << r.err;
}

TEST_F(Hostile, OversizedInputsAreRefusedBeforeTheyAreRead) {
  { std::ofstream(path("huge.yaml")); }
  fs::resize_file(path("huge.yaml"), std::uintmax_t{1} << 36);  // sparse: 64 GiB of nothing
  Result r = gigsim({"scenario", "check", path("huge.yaml")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is 64.00 GiB; a scenario file is at most 4 MiB"), std::string::npos)
      << r.err;
  { std::ofstream(path("huge.ckpt")); }
  fs::resize_file(path("huge.ckpt"), std::uintmax_t{1} << 43);  // 8 TiB: beyond any memory
  r = exe({"run", "--resume", path("huge.ckpt")}, "", 30);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("a checkpoint is at most"), std::string::npos) << r.err;
}

// ---- 1. Crashes: thread counts the pool cannot take, HDF5's exit after a full disk ---------

TEST_F(Hostile, ThreadCountsAboveTheCapAreRefusedNotCrashed) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           small({"run", kBaseline, "-o", "t.h5", "--threads", "70000"}),
           {"validate", "--threads", "100000", "-r", "1"},
           {"sweep",
            sweep_file("s.yaml",
                       "design: {method: grid}\nparameters:\n"
                       "  umbrella_coop.fee_rate: {values: [0.05]}\n"),
            "--threads", "70000"},
           {"sweep", path("s.yaml"), "--jobs", "70000"}}) {
    const Result r = exe(args, "", 60);
    EXPECT_EQ(r.code, 2) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("expected a whole number from 0 to 4096"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(path("t.h5")));
  EXPECT_EQ(exe(small({"run", kBaseline, "-o", "t.h5", "--threads", "4096"})).code, 0);
}

TEST_F(Hostile, AFullDiskFailsCleanlyWithoutACrashOrLeftovers) {
  fs::create_directory(path("disk"));
  const std::string mount = "mount -t tmpfs -o size=24m tmpfs '" + path("disk") + "' 2>/dev/null";
  if (::geteuid() != 0 || std::system(mount.c_str()) != 0) GTEST_SKIP() << "needs root (mount)";
  // The run passes the free-space check, then the disk fills while it runs.
  const pid_t filler = ::fork();
  if (filler == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    const std::string fill = "dd if=/dev/zero of='" + path("disk/fill") + "' bs=1M 2>/dev/null";
    ::_exit(std::system(fill.c_str()) == 0 ? 0 : 1);
  }
  const Result r = exe({"run", kBaseline, "--set", "workers.count=20000", "--set", "run.weeks=260",
                        "-o", "disk/x.h5", "-q", "--threads", "1"});
  ::waitpid(filler, nullptr, 0);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(path("disk")))
    if (e.path().filename() != "fill") left.push_back(e.path().filename().string());
  std::system(("umount '" + path("disk") + "'").c_str());
  EXPECT_EQ(r.code, 1) << r.err;  // the run failed (not 139: SIGSEGV in HDF5's exit cleanup)
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("the disk (or quota) where the output goes is full"), std::string::npos)
      << r.err;
  EXPECT_TRUE(left.empty()) << left.front();
}

TEST_F(Hostile, AFullDiskAtASweepsJoinSaysSoAndKeepsTheFinishedRuns) {
  fs::create_directory(path("disk"));
  const std::string mount = "mount -t tmpfs -o size=8m tmpfs '" + path("disk") + "' 2>/dev/null";
  if (::geteuid() != 0 || std::system(mount.c_str()) != 0) GTEST_SKIP() << "needs root (mount)";
  const std::string sweep =
      sweep_file("s.yaml",
                 "design: {method: grid}\nparameters:\n  umbrella_coop.fee_rate: "
                 "{values: [0.05, 0.06]}\n");
  // Every run done and kept, then the disk filled: the join alone is left, and fails.
  Result r = exe({"sweep", sweep, "-o", "disk/o.h5", "-q", "--keep-runs"});
  ASSERT_EQ(r.code, 0) << r.err;
  fs::remove(path("disk/o.h5"));
  std::system(("dd if=/dev/zero of='" + path("disk/fill") + "' bs=64k 2>/dev/null").c_str());
  r = exe({"sweep", sweep, "-o", "disk/o.h5", "-q"});
  const bool runs_kept = fs::exists(path("disk/o.h5.runs"));
  bool leftovers = false;
  for (const auto& e : fs::directory_iterator(path("disk")))
    leftovers = leftovers || e.path().filename().string().find(".tmp-") != std::string::npos;
  std::system(("umount '" + path("disk") + "'").c_str());
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.err.find("the disk (or quota) where the output goes is full"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("check that the output folder exists"), std::string::npos) << r.err;
  EXPECT_TRUE(runs_kept) << "the finished runs stay for the next try";
  EXPECT_FALSE(leftovers);
}

// ---- 14. Memory: ulimit -v and cgroup limits honoured, per sweep run, bad_alloc a refusal ------

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer =
    true;  // its shadow memory needs more address space than any limit
#else
constexpr bool kAddressSanitizer = false;
#endif

TEST_F(Hostile, ARunBeyondTheAddressSpaceLimitIsRefusedBeforeItStarts) {
  if (kAddressSanitizer) GTEST_SKIP() << "ulimit -v and AddressSanitizer do not mix";
  const Result r = exe(
      {"run", kBaseline, "--set", "workers.count=2000000", "-o", "u.h5", "-q", "--threads", "1"},
      "ulimit -v 600000;");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("is available (the address-space limit (ulimit -v))"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(path("u.h5")));
}

TEST_F(Hostile, RunningOutOfMemoryIsARefusalNotACrash) {
  if (kAddressSanitizer) GTEST_SKIP() << "ulimit -v and AddressSanitizer do not mix";
  // A 3.4 MB scenario that YAML needs about 500 MB to hold, under a limit of 250 MB.
  std::ostringstream yaml;
  yaml << "name: x\n";
  for (int i = 0; i < 130000; ++i) yaml << "k" << i << ": [1, 2, 3, {a: b}]\n";
  write("big.yaml", yaml.str());
  const Result r = exe({"scenario", "check", "big.yaml"}, "ulimit -v 250000;");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("gigsim: refused: out of memory (the limit: the address-space limit "
                       "(ulimit -v))"),
            std::string::npos)
      << r.err;
}

TEST_F(Hostile, ASweepChecksMemoryPerRun) {
  const std::string sweep = sweep_file(
      "s.yaml", "design: {method: grid}\nparameters:\n  workers.count: {values: [60, 3000000]}\n");
  Result r = exe({"sweep", sweep, "-o", "o.h5", "-q"}, "GIGSIM_MEMORY_LIMIT=500000000");
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("refused: run 1 (point 1, 3000000 workers) needs about"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("(GIGSIM_MEMORY_LIMIT)"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(path("o.h5.runs")));
  // Runs that fit a few at a time but not four: fewer at once, and the sweep finishes.
  const std::string two = sweep_file(
      "t.yaml",
      "design: {method: grid}\nparameters:\n  workers.count: {values: [200000, 200001]}\n");
  r = exe({"sweep", two, "-o", "t.h5", "--jobs", "4", "--threads", "1"},
          "GIGSIM_MEMORY_LIMIT=250000000");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(" run(s) at once instead of 4: more would not fit in memory"),
            std::string::npos)
      << r.err;
}

// ---- 5. Outputs never overwrite inputs (compared by file identity), nor device nodes -------

TEST_F(Hostile, NoOutputMayBeAnInput) {
  const std::string scenario = path("s.yaml");
  fs::copy_file(kBaseline, scenario);
  fs::create_symlink(scenario, path("link.yaml"));
  fs::create_hard_link(scenario, path("hard.yaml"));
  const std::string original = read(scenario);
  const auto refused = [&](std::vector<std::string> args, const std::string& what) {
    const Result r = gigsim(small(std::move(args)));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  };
  refused({"run", scenario, "-o", scenario}, "the output file (-o) '" + scenario +
                                                 "' is the scenario file '" + scenario +
                                                 "' itself: writing it would destroy the input");
  refused({"run", scenario, "-o", path("link.yaml")}, "is the scenario file");
  refused({"run", scenario, "-o", path("hard.yaml")}, "is the scenario file");
  refused({"run", scenario, "-o", dir_.string() + "/./s.yaml"}, "is the scenario file");
  refused({"run", scenario, "-o", path("x.h5"), "--checkpoint", path("link.yaml")},
          "the checkpoint (--checkpoint) '" + path("link.yaml") + "' is the scenario file");
  refused({"run", scenario, "-o", path("x.h5"), "--checkpoint", path("x.h5")},
          "the checkpoint (--checkpoint) and the output file (-o) are the same file");
  EXPECT_EQ(read(scenario), original);
  EXPECT_FALSE(fs::exists(path("x.h5")));

  // Checkpoints: a branch or a resume may not write its output over the checkpoint it reads.
  ASSERT_EQ(gigsim(small({"run", scenario, "-o", path("w.h5"), "--checkpoint-every", "4"})).code,
            0);
  const std::string ck = path("w.h5.ckpt");
  const std::string ck_bytes = read(ck);
  refused({"branch", ck, "-o", ck}, "is the checkpoint it branches from");
  refused({"branch", ck, "-o", path("b.h5"), "--checkpoint", ck},
          "the checkpoint (--checkpoint) '" + ck + "' is the checkpoint it branches from");
  Result r = gigsim({"run", "--resume", ck, "-o", ck, "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is the checkpoint it resumes from"), std::string::npos) << r.err;
  EXPECT_EQ(read(ck), ck_bytes);
  // The resumed run's own checkpoints still replace the one it started from, as documented.
  r = gigsim({"run", "--resume", ck, "-o", path("r.h5"), "-q"});
  EXPECT_EQ(r.code, 0) << r.err;
}

TEST_F(Hostile, ASweepWritesNothingOverItsInputs) {
  const std::string sweep =
      sweep_file("s.yaml",
                 "design: {method: grid}\nparameters:\n  umbrella_coop.fee_rate: "
                 "{values: [0.05]}\n");
  const std::string original = read(sweep);
  Result r = gigsim({"sweep", sweep, "-o", sweep, "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("the result file (-o) '" + sweep + "' is the sweep file"), std::string::npos)
      << r.err;
  fs::copy_file(sweep, path("s.h5"));  // a sweep file named .h5: the default output is itself
  r = gigsim({"sweep", path("s.h5"), "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is the sweep file"), std::string::npos) << r.err;
  fs::copy_file(kBaseline, path("base.yaml"));
  const std::string on_base = write("b.yaml",
                                    "base: base.yaml\ndesign: {method: grid}\n"
                                    "parameters:\n  run.weeks: {values: [8]}\n");
  r = gigsim({"sweep", on_base, "-o", path("base.yaml"), "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is the base scenario"), std::string::npos) << r.err;
  // The batch scripts are OUT.h5.sbatch, OUT.h5.join.sbatch and OUT.h5.submit.sh.
  const std::string script_named = path("o.h5.submit.sh");
  fs::copy_file(sweep, script_named);
  r = gigsim({"sweep", script_named, "-o", path("o.h5"), "--slurm"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("a batch script (--slurm) '" + script_named + "' is the sweep file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(read(script_named), original);
  write("table.csv", "umbrella_coop.fee_rate\n0.05\n");
  const std::string table = sweep_file("t.yaml", "design: {method: table, file: table.csv}\n");
  r = gigsim({"sweep", table, "-o", path("table.csv"), "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is the design table"), std::string::npos) << r.err;
  EXPECT_EQ(read(sweep), original);
  EXPECT_EQ(read(path("s.h5")), original);
  write("o.h5.runs", "a file where the spool folder goes");
  r = gigsim({"sweep", sweep, "-o", path("o.h5"), "-q"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("the run spool '" + path("o.h5.runs") + "' is a file, not a folder"),
            std::string::npos)
      << r.err;
}

TEST_F(Hostile, OutputsAreNeverWrittenOntoDevicesOrDirectories) {
  Result r = gigsim(small({"run", kBaseline, "-o", "/dev/null"}));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("'/dev/null' is a character device; outputs are written only as regular "
                       "files"),
            std::string::npos)
      << r.err;
  if (::geteuid() == 0) {  // as root a rename would replace a device node with a file
    ASSERT_EQ(::mknod(path("null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
    r = gigsim(small({"run", kBaseline, "-o", path("null")}));
    EXPECT_EQ(r.code, 2) << r.err;
    struct stat st {};
    ASSERT_EQ(::stat(path("null").c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode)) << "the device node was replaced";
    r = gigsim(small({"run", kBaseline, "-o", path("x.h5"), "--checkpoint", path("null")}));
    EXPECT_EQ(r.code, 2) << r.err;
  }
  // -o naming a folder fails before the run, not after it.
  fs::create_directory(path("folder"));
  r = gigsim({"run", kBaseline, "-o", path("folder"), "-q"});  // a full-size run if not refused
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path("folder") + "' is a directory; give a file name"), std::string::npos)
      << r.err;
  // A missing folder is an I/O failure (exit 1, as test_cli.cpp has it), found before the run.
  r = gigsim({"run", kBaseline, "-o", path("no/such/folder/x.h5"), "-q"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("is in a folder that does not exist"), std::string::npos) << r.err;
}

// ---- 6. The scenario's name never steers where the output goes -----------------------------

TEST_F(Hostile, DefaultOutputNamesStayInTheWorkingFolder) {
  fs::create_directory(path("work"));
  for (const std::string& name : {std::string("../escaped"), dir_.string() + "/absolute",
                                  std::string(".hidden"), std::string("a b/c\\d")}) {
    const Result r = exe(small({"run", kBaseline, "--set", "name=" + name}), "cd work &&");
    EXPECT_EQ(r.code, 0) << name << ": " << r.err;
  }
  EXPECT_TRUE(fs::exists(path("work/___escaped.h5")));
  EXPECT_TRUE(fs::exists(path("work/_hidden.h5")));
  EXPECT_TRUE(fs::exists(path("work/a_b_c_d.h5")));
  std::size_t outputs = 0;
  for (const auto& e : fs::directory_iterator(path("work"))) {
    EXPECT_EQ(e.path().extension(), ".h5");
    EXPECT_NE(e.path().filename().string()[0], '.');
    ++outputs;
  }
  EXPECT_EQ(outputs, 4u) << "every output is in the working folder";
  EXPECT_FALSE(fs::exists(path("escaped.h5")));
  EXPECT_FALSE(fs::exists(path("absolute.h5")));
}

// ---- 7. Nothing from the command line becomes a line of the Slurm script -------------------

TEST_F(Hostile, SlurmValuesCannotInjectLines) {
  const std::string sweep =
      sweep_file("s.yaml",
                 "design: {method: grid}\nparameters:\n  umbrella_coop.fee_rate: "
                 "{values: [0.05]}\n");
  for (const auto& extra :
       std::vector<std::vector<std::string>>{{"--slurm-time", "04:00:00\ntouch " + path("pwned")},
                                             {"--slurm-partition", "batch\ntouch " + path("pwned")},
                                             {"--slurm-partition", "a b"},
                                             {"--slurm-mem", "2G\n#SBATCH --uid=0"},
                                             {"--slurm-time", "soon"}}) {
    std::vector<std::string> args{"sweep", sweep, "-o", path("o.h5"), "--slurm"};
    args.insert(args.end(), extra.begin(), extra.end());
    const Result r = gigsim(args);
    EXPECT_EQ(r.code, 2) << extra[1] << ": " << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.find("\nTry 'gigsim sweep --help'")) << "no raw newline";
    EXPECT_FALSE(fs::exists(path("o.h5.sbatch")));
  }
  const std::string evil = path("o\ntouch pwned\n.h5");
  const Result r = gigsim({"sweep", sweep, "-o", evil, "--slurm"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("the output path contains a control character"), std::string::npos) << r.err;
  EXPECT_EQ(gigsim({"sweep", sweep, "-o", path("o.h5"), "--slurm", "--slurm-time", "1-12:00"}).code,
            0);
  const std::string script = read(path("o.h5.sbatch"));
  EXPECT_NE(script.find("#SBATCH --time=1-12:00\n"), std::string::npos) << script;
}

// ---- 8. Numbers on the command line never wrap ----------------------------------------------

TEST_F(Hostile, NegativeAndMalformedNumbersAreRefused) {
  const auto refused = [&](std::vector<std::string> args, const std::string& what) {
    const Result r = gigsim(std::move(args));
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find(what), std::string::npos) << r.err;
  };
  const std::string u64 = "from 0 to 18446744073709551615";
  refused(small({"run", kBaseline, "--seed", "-1"}),
          "--seed: expected a whole number " + u64 + ", got '-1'");
  refused(small({"run", kBaseline, "--seed=-18446744073709551615"}), "got '-18446744073709551615'");
  refused(small({"run", kBaseline, "--seed", "18446744073709551616"}), "--seed: expected");
  refused(small({"run", kBaseline, "--seed", "1e3"}), "--seed: expected");
  refused(small({"run", kBaseline, "--seed", "+5"}), "--seed: expected");
  refused(small({"run", kBaseline, "--seed", "0x10"}), "--seed: expected");
  refused(small({"run", kBaseline, "--checkpoint-every", "-1"}),
          "--checkpoint-every: expected a whole number from 0 to 4294967295, got '-1'");
  refused(small({"run", kBaseline, "-r", "-1"}), "--replications: expected");
  refused({"validate", "--seed", "-1"}, "--seed: expected");
  refused({"sweep", path("x.yaml"), "--slurm-tasks", "-1"}, "--slurm-tasks: expected");
  refused({"sweep", path("x.yaml"), "--jobs", "-2"}, "--jobs: expected");
  // The largest seed is a seed, not an error.
  const Result r =
      gigsim(small({"run", kBaseline, "-o", path("s.h5"), "--seed", "18446744073709551615"}));
  EXPECT_EQ(r.code, 0) << r.err;
}

// ---- 12. Messages carry no terminal escapes ----------------------------------------------

TEST_F(Hostile, ControlCharactersInKeysAndNamesArePrintedEscaped) {
  Result r =
      gigsim({"scenario", "check", write("k.yaml", read(kBaseline) + "workers\x01: {count: 5}\n")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("unknown key 'workers\\x01' (did you mean 'workers'?)"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  EXPECT_EQ(r.err.find('\x01'), std::string::npos);
  r = gigsim({"scenario", "check", kBaseline, "--set", "name=\"\\e[2J\\e]0;owned\\a\""});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("scenario '\\x1B[2J\\x1B]0;owned\\x07'"), std::string::npos) << r.out;
  r = gigsim({"run", write("\x1b[31mred.yaml", read(kBaseline) + "x: 1\n")});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/\\x1B[31mred.yaml:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": x: unknown key 'x'"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
  // JSON logs stay valid JSON: control characters as \u escapes, never raw.
  std::vector<std::string> json = small({"run", kBaseline, "-o", path("j.h5"), "--log-format",
                                         "json", "--set", "name=\"a\\e]0;x\\a\""});
  json.erase(std::find(json.begin(), json.end(), "-q"));
  r = gigsim(json);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("{\"event\":\"start\",\"scenario\":\"a\\u001b]0;x\\u0007\""),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("\\x"), std::string::npos) << r.err;
}

// ---- 13. Signals: SIGPIPE and SIGHUP, and what a SIGKILL leaves -----------------------------

TEST_F(Hostile, AReaderThatGoesAwayDoesNotKillTheRun) {
  // gigsim run ... | head -c 1: the pipe closes after the first byte of the summary.
  const std::string script =
      write("pipe.sh", "cd '" + dir_.string() + "' && '" + kExe + "' run '" + kBaseline +
                           "' --set workers.count=3000 --set run.weeks=30 -q -o p.h5 | head -c 1 "
                           ">/dev/null\nexit ${PIPESTATUS[0]}\n");
  const int status = std::system(("bash '" + script + "'").c_str());
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  EXPECT_TRUE(fs::exists(path("p.h5")));
  for (const auto& e : fs::directory_iterator(dir_))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST_F(Hostile, SighupStopsARunLikeSigterm) {
  const pid_t pid = long_run("h.h5");
  ::kill(pid, SIGHUP);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGHUP);
  EXPECT_TRUE(fs::exists(path("h.h5")));
  EXPECT_TRUE(fs::exists(path("h.h5.ckpt")));
}

TEST_F(Hostile, TemporariesOfKilledRunsAreCleanedUpAndOnlyThose) {
  // A run killed with SIGKILL while writing leaves its temporary files.
  const pid_t pid = long_run("k.h5");
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().filename().string().starts_with("k.h5.tmp-"))
      left.push_back(e.path().filename().string());
  ASSERT_EQ(left.size(), 1u) << "the killed run's temporary output";
  write("k.h5.tmp-otherhost-1-0badc0de", "another host's: may be alive");
  write("k.h5.tmp-42-0badc0de", "no host: not ours to judge");
  const Result r = gigsim(small({"run", kBaseline, "-o", path("k.h5")}));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_FALSE(fs::exists(path(left[0])));
  EXPECT_TRUE(fs::exists(path("k.h5.tmp-otherhost-1-0badc0de")));
  EXPECT_TRUE(fs::exists(path("k.h5.tmp-42-0badc0de")));
}

}  // namespace
}  // namespace gigsim
