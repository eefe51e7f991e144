// Hostile input to the gigsim command, part two (issue 18): special files, paths, numbers,
// signals and resources. Every case is a clear message with the documented exit code (2 for bad
// input), never a crash, a hang or a touched input. Cases that could hang or crash run the real
// executable under `timeout`; the others call the application in-process.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gigsim/app.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

const std::string kExe = GIGSIM_EXE;
const std::string kScenarios = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/";
const std::string kBaseline = kScenarios + "baseline.yaml";

struct Result {
  int code;
  std::string out;
  std::string err;
};

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
  // In-process, as the tests of test_cli.cpp.
  static Result gigsim(std::vector<std::string> args) {
    args.insert(args.begin(), "gigsim");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream out, err;
    const int code = cli::main(static_cast<int>(argv.size()), argv.data(), out, err);
    return {code, out.str(), err.str()};
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
    const Result r = exe(args, "ulimit -v 2000000;", 30);
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

}  // namespace
}  // namespace gigsim
