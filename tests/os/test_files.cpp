// Files at the OS boundary: inputs only from regular files (a FIFO must not block), size caps,
// identity comparison, output paths, temporary names and the cleanup of killed runs' temporaries.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "gigsim/files.hpp"

namespace fs = std::filesystem;

namespace gigsim::os {
namespace {

class Files : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gigsim-os-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }
  static std::string reason_of(const fs::path& path, std::uint64_t cap = 1 << 20) {
    try {
      (void)read_regular_file(path, cap, "scenario file");
    } catch (const FileError& e) {
      EXPECT_EQ(e.path(), path.string());
      EXPECT_EQ(std::string(e.what()), path.string() + ": " + e.reason());
      return e.reason();
    }
    return "read";
  }
  // The pid of a process that has exited (and been reaped): no process has it for now.
  static pid_t dead_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    int status = 0;
    ::waitpid(child, &status, 0);
    return child;
  }
  fs::path dir_;
};

TEST_F(Files, ReadsARegularFileWhole) {
  const std::string text = "name: x\n" + std::string(100000, 'y');
  EXPECT_EQ(read_regular_file(write("a.yaml", text), 1 << 20, "scenario file"), text);
  EXPECT_EQ(read_regular_file(write("empty.yaml", ""), 1 << 20, "scenario file"), "");
  fs::create_symlink(dir_ / "a.yaml", dir_ / "link.yaml");
  EXPECT_EQ(read_regular_file(dir_ / "link.yaml", 1 << 20, "scenario file"), text);
}

TEST_F(Files, RefusesAFifoAtOnceInsteadOfBlocking) {
  ASSERT_EQ(::mkfifo((dir_ / "pipe.yaml").c_str(), 0600), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(reason_of(dir_ / "pipe.yaml"),
            "is a FIFO (named pipe), not a regular file (a scenario file is read only from a "
            "regular file)");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  fs::create_symlink(dir_ / "pipe.yaml", dir_ / "to_pipe.yaml");  // behind a symlink too
  EXPECT_NE(reason_of(dir_ / "to_pipe.yaml").find("FIFO"), std::string::npos);
}

TEST_F(Files, RefusesDevicesDirectoriesAndSymlinkLoops) {
  EXPECT_NE(reason_of("/dev/zero").find("is a character device, not a regular file"),
            std::string::npos);
  EXPECT_NE(reason_of("/dev/urandom").find("character device"), std::string::npos);
  fs::create_symlink("/dev/zero", dir_ / "zero.yaml");
  EXPECT_NE(reason_of(dir_ / "zero.yaml").find("character device"), std::string::npos);
  EXPECT_EQ(reason_of(dir_), "is a directory, not a scenario file");
  fs::create_symlink(dir_ / "loop_b", dir_ / "loop_a");
  fs::create_symlink(dir_ / "loop_a", dir_ / "loop_b");
  EXPECT_EQ(reason_of(dir_ / "loop_a"), "too many levels of symbolic links (a symlink loop?)");
  EXPECT_EQ(reason_of(dir_ / "missing.yaml"), "no such file");
  fs::create_symlink(dir_ / "missing.yaml", dir_ / "dangling.yaml");
  EXPECT_EQ(reason_of(dir_ / "dangling.yaml"),
            "no such file (a symbolic link to something that does not exist)");
  EXPECT_EQ(reason_of(write("f", "x") / "below"), "a folder in the path is not a folder");
}

TEST_F(Files, CapsTheSize) {
  const fs::path big = write("big.yaml", std::string(5000, 'x'));
  EXPECT_EQ(reason_of(big, 4096), "is 5000 bytes; a scenario file is at most 4096 bytes");
  EXPECT_EQ(read_regular_file(big, 5000, "scenario file").size(), 5000u);
  // A sparse file claims its size without any data on disk: refused before anything is read.
  { std::ofstream(dir_ / "sparse.yaml"); }
  fs::resize_file(dir_ / "sparse.yaml", std::uintmax_t{1} << 40);
  EXPECT_EQ(reason_of(dir_ / "sparse.yaml", std::uint64_t{4} << 20),
            "is 1024.00 GiB; a scenario file is at most 4 MiB");
  try {
    (void)read_regular_file(big, 100, "checkpoint", "half the memory available");
    ADD_FAILURE();
  } catch (const FileError& e) {
    EXPECT_EQ(e.reason(),
              "is 5000 bytes; a checkpoint is at most 100 bytes (half the memory available)");
  }
}

TEST_F(Files, NonRegularKindNamesWhatIsThere) {
  EXPECT_EQ(non_regular_kind(write("a", "x")), "");
  EXPECT_EQ(non_regular_kind(dir_ / "missing"), "");
  EXPECT_EQ(non_regular_kind(dir_), "a directory");
  EXPECT_EQ(non_regular_kind("/dev/null"), "a character device");
}

TEST_F(Files, SameFileComparesIdentityNotNames) {
  const fs::path a = write("a.yaml", "x");
  fs::create_symlink(a, dir_ / "sym.yaml");
  fs::create_hard_link(a, dir_ / "hard.yaml");
  EXPECT_TRUE(same_file(a, dir_ / "sym.yaml"));
  EXPECT_TRUE(same_file(a, dir_ / "hard.yaml"));
  EXPECT_TRUE(same_file(a, dir_ / "." / "a.yaml"));
  EXPECT_FALSE(same_file(a, write("b.yaml", "x")));  // same content, another file
  // Outputs not written yet: the same path once folders are resolved.
  EXPECT_TRUE(same_file(dir_ / "new.h5", dir_ / "sub" / ".." / "new.h5"));
  fs::create_directories(dir_ / "sub");
  fs::create_directory_symlink(dir_ / "sub", dir_ / "alias");
  EXPECT_TRUE(same_file(dir_ / "sub" / "new.h5", dir_ / "alias" / "new.h5"));
  EXPECT_FALSE(same_file(dir_ / "new.h5", dir_ / "other.h5"));
  EXPECT_FALSE(same_file(a, dir_ / "new.h5"));
}

TEST_F(Files, OutputPathsAreRegularFilesInExistingFolders) {
  EXPECT_NO_THROW(check_output_path(dir_ / "new.h5"));
  EXPECT_NO_THROW(check_output_path(write("old.h5", "x")));
  // The reason `check` refuses `p`, or "accepted".
  const auto reason_of_check = [](void (*check)(const fs::path&), const fs::path& p) {
    try {
      check(p);
    } catch (const FileError& e) {
      return e.reason();
    }
    return std::string("accepted");
  };
  const auto reason = [&](const fs::path& p) { return reason_of_check(check_output_path, p); };
  const auto folder = [&](const fs::path& p) { return reason_of_check(check_output_folder, p); };
  EXPECT_EQ(reason(dir_),
            "is a directory; give a file name (e.g. " + (dir_ / "out.h5").string() + ")");
  EXPECT_EQ(reason("/dev/null"),
            "is a character device; outputs are written only as regular files, never onto a "
            "character device");
  ASSERT_EQ(::mkfifo((dir_ / "pipe").c_str(), 0600), 0);
  EXPECT_NE(reason(dir_ / "pipe").find("is a FIFO (named pipe); outputs are written only"),
            std::string::npos);
  EXPECT_EQ(reason(write("plain", "x") / "x.h5"), "a folder in the path is not a folder");
  EXPECT_EQ(folder(dir_ / "x.h5"), "accepted");
  EXPECT_EQ(folder("x.h5"), "accepted");  // the working folder
  EXPECT_EQ(folder(dir_ / "nowhere" / "x.h5"),
            "is in a folder that does not exist ('" + (dir_ / "nowhere").string() + "')");
  EXPECT_EQ(folder(dir_ / "plain" / "x.h5"),
            "is in '" + (dir_ / "plain").string() + "', which is not a folder");
}

TEST_F(Files, TemporaryNamesCarryHostPidAndRandom) {
  const fs::path final_path = dir_ / "run.h5";
  const std::string a = temporary_path(final_path).filename().string();
  const std::string b = temporary_path(final_path).filename().string();
  EXPECT_NE(a, b);
  ASSERT_EQ(a.rfind("run.h5.tmp-", 0), 0u) << a;
  EXPECT_NE(a.find("-" + std::to_string(::getpid()) + "-"), std::string::npos) << a;
  EXPECT_EQ(a.find('/'), std::string::npos);
}

TEST_F(Files, StaleTemporariesOfDeadProcessesAreRemovedAndNothingElse) {
  const fs::path final_path = dir_ / "run.h5";
  const std::string mine = temporary_path(final_path).filename().string();   // this process
  const std::string host_and_pid = mine.substr(0, mine.rfind('-'));          // ...-HOST-PID
  const std::string host = host_and_pid.substr(0, host_and_pid.rfind('-'));  // run.h5.tmp-HOST
  const std::string dead = host + "-" + std::to_string(dead_pid()) + "-0badc0de";
  write(dead, "left by a SIGKILL");
  write(mine, "being written");
  write(host + "-1-0badc0de", "pid 1 is alive");  // init: alive
  write("run.h5.tmp-otherhost-" + std::to_string(dead_pid()) + "-0badc0de", "NFS neighbour");
  write("run.h5.tmp-12345-0badc0de", "old pattern without a host");
  write("other.h5" + dead.substr(6), "another output's");  // other.h5.tmp-HOST-PID-RANDOM
  write("run.h5", "the output itself");
  fs::create_directory(dir_ / (host + "-" + std::to_string(dead_pid()) + "-00000001"));
  fs::create_symlink(dir_ / "run.h5",
                     dir_ / (host + "-" + std::to_string(dead_pid()) + "-00000002"));

  EXPECT_EQ(remove_stale_temporaries(final_path), 1u);
  EXPECT_FALSE(fs::exists(dir_ / dead));
  EXPECT_TRUE(fs::exists(dir_ / mine));
  EXPECT_TRUE(fs::exists(dir_ / (host + "-1-0badc0de")));
  EXPECT_TRUE(fs::exists(dir_ / "run.h5.tmp-12345-0badc0de"));
  EXPECT_TRUE(fs::exists(dir_ / "run.h5"));
  EXPECT_TRUE(fs::exists(dir_ / ("other.h5" + dead.substr(6))));
  EXPECT_EQ(remove_stale_temporaries(final_path), 0u);

  // A spool: every record's temporaries, whatever the record.
  fs::create_directory(dir_ / "spool");
  const std::string tail = dead.substr(std::string("run.h5").size());  // .tmp-HOST-PID-RANDOM
  std::ofstream(dir_ / "spool" / ("a.run" + tail)) << "x";
  std::ofstream(dir_ / "spool" / ("b.run" + tail)) << "x";
  std::ofstream(dir_ / "spool" / "c.run") << "a record";
  EXPECT_EQ(remove_stale_temporaries_in(dir_ / "spool"), 2u);
  EXPECT_TRUE(fs::exists(dir_ / "spool" / "c.run"));
  EXPECT_EQ(remove_stale_temporaries_in(dir_ / "no-such-folder"), 0u);
}

}  // namespace
}  // namespace gigsim::os
