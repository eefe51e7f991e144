// What makes a sweep safe to start again: finished runs are found in the spool or in an earlier
// result file and never done twice, and one process at a time works on one result file
// (docs/sweeps.md "Robustness").
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "gigsim/output.hpp"
#include "gigsim/sweep.hpp"
#include "gigsim/sweep_file.hpp"

namespace gigsim::sweep {

JoinedRuns joined_runs(const std::filesystem::path& output) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(output, ec)) return {};
  try {
    const output::SweepFileReader file(output);
    return {file.identities(), file.failed()};
  } catch (const output::OutputError&) {
    return {};  // another version or not a sweep file: nothing to recover
  }
}

std::size_t recover_joined_runs(const std::vector<RunPlan>& runs,
                                const std::vector<std::size_t>& wanted, const Spool& spool,
                                const std::filesystem::path& output) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(output, ec)) return 0;
  std::optional<output::SweepFileReader> file;
  try {
    file.emplace(output);
  } catch (const output::OutputError&) {
    return 0;
  }
  std::map<std::string, std::uint64_t> row_of;
  const std::vector<std::string>& ids = file->identities();
  for (std::uint64_t r = 0; r < ids.size(); ++r) row_of.emplace(ids[r], r);
  std::vector<std::string> metric_names;
  for (const MetricInfo& m : metric_infos()) metric_names.emplace_back(m.name);
  std::size_t recovered = 0;
  for (const std::size_t i : wanted) {
    const RunPlan& plan = runs.at(i);
    const auto found = row_of.find(plan.identity);
    if (found == row_of.end() || spool.has(plan.identity)) continue;
    const std::uint32_t weeks = plan.weeks;  // 0 for a rejected run
    output::SweepFileReader::Run run = file->read_run(found->second, metric_names, weeks);
    RunRecord record;
    record.identity = plan.identity;
    record.ok = run.ok;
    record.message = std::move(run.message);
    record.weeks = run.ok ? weeks : 0;
    record.metrics = std::move(run.metrics);
    record.series = std::move(run.series);
    spool.write(record);
    ++recovered;
  }
  return recovered;
}

std::filesystem::path lock_path(const std::filesystem::path& output) {
  std::filesystem::path path = output;
  path += ".lock";
  return path;
}

FileLock::FileLock(std::filesystem::path path, Mode mode, const std::string& what)
    : path_(std::move(path)) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw LockError(
        fmt::format("cannot create the lock file {}: {}", path_.string(), std::strerror(errno)));
  const int how = (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB;
  if (::flock(fd_, how) != 0) {
    const int error = errno;
    char holder[256] = {};
    const ssize_t n = ::pread(fd_, holder, sizeof holder - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK) {
      std::string who = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "";
      while (!who.empty() && (who.back() == '\n' || who.back() == '\0')) who.pop_back();
      throw LockError(
          fmt::format("{} is in use by another gigsim sweep{} (lock {}); wait for it "
                      "to finish, or stop it, then start this again",
                      what, who.empty() ? "" : " (" + who + ")", path_.string()));
    }
    throw LockError(fmt::format("cannot lock {}: {}", path_.string(), std::strerror(error)));
  }
  if (mode == Mode::exclusive) {
    char host[128] = {};
    ::gethostname(host, sizeof host - 1);
    const std::string holder = fmt::format("process {} on {}\n", ::getpid(), host);
    if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, holder.data(), holder.size(), 0);
  }
}

FileLock::~FileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

void FileLock::remove_file() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace gigsim::sweep
