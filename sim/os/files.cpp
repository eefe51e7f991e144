#include "gigsim/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <random>
#include <system_error>

namespace gigsim::os {

namespace {

std::string mode_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// "4 MiB", "1.25 GiB", "380.2 MiB" or "123 bytes".
std::string size_text(std::uint64_t bytes) {
  constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
  char text[48];
  if (bytes >= kMiB && bytes % kMiB == 0 && bytes < (kMiB << 10)) {
    std::snprintf(text, sizeof text, "%llu MiB", static_cast<unsigned long long>(bytes / kMiB));
  } else if (bytes >= (kMiB << 10)) {
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (kMiB << 10));
  } else if (bytes >= kMiB) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / kMiB);
  } else {
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return text;
}

// Why `path` could not be reached, from the errno of a failed stat or open.
std::string errno_reason(int error, const std::filesystem::path& path) {
  switch (error) {
    case ENOENT: {
      struct stat link {};
      if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode))
        return "no such file (a symbolic link to something that does not exist)";
      return "no such file";
    }
    case ELOOP:
      return "too many levels of symbolic links (a symlink loop?)";
    case EACCES:
      return "permission denied";
    case ENOTDIR:
      return "a folder in the path is not a folder";
    case ENAMETOOLONG:
      return "the path is too long";
    default:
      return std::strerror(error);
  }
}

std::string host_tag() {
  std::array<char, 256> name{};
  std::string tag;
  if (::gethostname(name.data(), name.size() - 1) == 0) tag = name.data();
  for (char& c : tag) {
    const bool keep =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.';
    if (!keep) c = '_';
  }
  return tag.empty() ? std::string("localhost") : tag;
}

const std::string& this_host() {
  static const std::string host = host_tag();  // computed once; never changes in a process
  return host;
}

// For the part of a temporary's name after ".tmp-": the process that wrote it if it was this
// host's (HOST-PID-RANDOM with RANDOM 8 hex digits), else nothing.
std::optional<pid_t> writer_on_this_host(std::string_view rest) {
  const std::size_t random_at = rest.rfind('-');
  if (random_at == std::string_view::npos || rest.size() - random_at - 1 != 8) return std::nullopt;
  for (char c : rest.substr(random_at + 1))
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  const std::string_view head = rest.substr(0, random_at);
  const std::size_t pid_at = head.rfind('-');
  if (pid_at == std::string_view::npos) return std::nullopt;
  const std::string_view digits = head.substr(pid_at + 1);
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  long pid = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    pid = pid * 10 + (c - '0');
  }
  if (head.substr(0, pid_at) != this_host() || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

// Removes `entry` if it is a temporary whose writer on this host is gone.
bool remove_if_stale(const std::filesystem::path& entry, std::string_view rest) {
  const std::optional<pid_t> pid = writer_on_this_host(rest);
  if (!pid || *pid == ::getpid()) return false;
  if (::kill(*pid, 0) == 0 || errno != ESRCH) return false;  // alive (or not ours to ask)
  struct stat st {};
  if (::lstat(entry.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid())
    return false;
  return ::unlink(entry.c_str()) == 0;
}

constexpr std::string_view kTemporaryTag = ".tmp-";

}  // namespace

FileError::FileError(const std::filesystem::path& path, const std::string& reason)
    : std::runtime_error(path.string() + ": " + reason), path_(path.string()), reason_(reason) {}

std::string read_regular_file(const std::filesystem::path& path, std::uint64_t max_bytes,
                              std::string_view kind, std::string_view why_the_cap) {
  struct stat before {};
  if (::stat(path.c_str(), &before) != 0) throw FileError(path, errno_reason(errno, path));
  if (S_ISDIR(before.st_mode)) throw FileError(path, "is a directory, not a " + std::string(kind));
  if (!S_ISREG(before.st_mode)) {
    throw FileError(path, "is " + mode_kind(before.st_mode) + ", not a regular file (a " +
                              std::string(kind) + " is read only from a regular file)");
  }
  // O_NONBLOCK: should the path have been swapped for a FIFO since the stat, opening it must not
  // wait for a writer; fstat below then refuses it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) throw FileError(path, errno_reason(errno, path));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw FileError(path, errno_reason(errno, path));
  if (!S_ISREG(st.st_mode)) {
    throw FileError(path, "is " + mode_kind(st.st_mode) + ", not a regular file (a " +
                              std::string(kind) + " is read only from a regular file)");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  std::string too_large = "a " + std::string(kind) + " is at most " + size_text(max_bytes);
  if (!why_the_cap.empty()) too_large += " (" + std::string(why_the_cap) + ")";
  if (size > max_bytes) throw FileError(path, "is " + size_text(size) + "; " + too_large);
  std::string bytes;
  bytes.resize(static_cast<std::size_t>(size));
  std::size_t done = 0;
  while (true) {
    if (done == bytes.size()) {
      if (bytes.size() > max_bytes) throw FileError(path, "grew while read; " + too_large);
      bytes.resize(bytes.size() + 4096);  // the file grew since fstat: read on, up to the cap
    }
    const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw FileError(path, std::string("cannot read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  bytes.resize(done);
  if (bytes.size() > max_bytes) throw FileError(path, "grew while read; " + too_large);
  return bytes;
}

std::string non_regular_kind(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return "";
  return mode_kind(st.st_mode);
}

std::optional<FileIdentity> identity_of(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return FileIdentity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
}

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  const std::optional<FileIdentity> ia = identity_of(a);
  const std::optional<FileIdentity> ib = identity_of(b);
  if (ia && ib) return *ia == *ib;
  if (ia || ib) return false;  // one exists, the other does not
  const auto resolved = [](const std::filesystem::path& p) {
    std::error_code ec;
    std::filesystem::path r = std::filesystem::weakly_canonical(std::filesystem::absolute(p), ec);
    if (ec) r = std::filesystem::absolute(p, ec).lexically_normal();
    return r;
  };
  return resolved(a) == resolved(b);
}

void check_output_path(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISREG(st.st_mode)) return;  // replaced atomically when the output is complete
    if (S_ISDIR(st.st_mode))
      throw FileError(path,
                      "is a directory; give a file name (e.g. " + (path / "out.h5").string() + ")");
    throw FileError(path, "is " + mode_kind(st.st_mode) +
                              "; outputs are written only as regular files, never onto " +
                              mode_kind(st.st_mode));
  }
  if (errno != ENOENT) throw FileError(path, errno_reason(errno, path));
}

void check_output_folder(const std::filesystem::path& path) {
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  struct stat dir {};
  if (::stat(folder.c_str(), &dir) != 0) {
    const int error = errno;
    throw FileError(path, error == ENOENT
                              ? "is in a folder that does not exist ('" + folder.string() + "')"
                              : "cannot use its folder '" + folder.string() +
                                    "': " + errno_reason(error, folder));
  }
  if (!S_ISDIR(dir.st_mode))
    throw FileError(path, "is in '" + folder.string() + "', which is not a folder");
}

std::filesystem::path temporary_path(const std::filesystem::path& final_path) {
  std::random_device entropy;  // names the file only; never enters a result
  char tail[48];
  std::snprintf(tail, sizeof tail, "-%ld-%08x", static_cast<long>(::getpid()),
                static_cast<unsigned>(entropy()));
  std::filesystem::path temp = final_path;
  temp += std::string(kTemporaryTag) + this_host() + tail;
  return temp;
}

std::size_t remove_stale_temporaries(const std::filesystem::path& final_path) {
  const std::filesystem::path folder =
      final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  const std::string prefix = final_path.filename().string() + std::string(kTemporaryTag);
  std::size_t removed = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        remove_if_stale(it->path(), std::string_view(name).substr(prefix.size())))
      ++removed;
  }
  return removed;
}

std::size_t remove_stale_temporaries_in(const std::filesystem::path& folder) {
  std::size_t removed = 0;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::size_t tag = name.rfind(kTemporaryTag);
    if (tag != std::string::npos && tag > 0 &&
        remove_if_stale(it->path(), std::string_view(name).substr(tag + kTemporaryTag.size())))
      ++removed;
  }
  return removed;
}

}  // namespace gigsim::os
