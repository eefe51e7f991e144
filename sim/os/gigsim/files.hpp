// Files at the operating-system boundary. Inputs are read only from regular files: a FIFO, a
// device, a socket or a directory is refused before anything blocks on it, and a size cap bounds
// what is read. Outputs are compared with inputs by file identity (device and inode), never by
// name, and never go to a directory or a device node. Temporary files are named
// FINAL.tmp-HOST-PID-RANDOM, so a later run can remove what a killed one left, and only that.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gigsim::os {

// A file that cannot be read or written as asked. what() is "PATH: REASON".
class FileError : public std::runtime_error {
 public:
  FileError(const std::filesystem::path& path, const std::string& reason);
  const std::string& path() const { return path_; }
  // Without the path, e.g. "is a FIFO (named pipe), not a regular file".
  const std::string& reason() const { return reason_; }

 private:
  std::string path_;
  std::string reason_;
};

// The whole content of the regular file at `path` (symlinks followed). Refuses, with a FileError
// whose reason says what is wrong, anything that is not a regular file (without opening it, so a
// FIFO cannot block and a device is never read), a file larger than `max_bytes`, a symlink loop
// and a missing or unreadable file. `kind` names the file in messages ("scenario file");
// `why_the_cap`, if given, says in the too-large message where `max_bytes` comes from.
std::string read_regular_file(const std::filesystem::path& path, std::uint64_t max_bytes,
                              std::string_view kind, std::string_view why_the_cap = {});

// "a directory", "a FIFO (named pipe)", "a character device" ... for what is at `path` when it is
// not a regular file; "" for a regular file or when nothing is there.
std::string non_regular_kind(const std::filesystem::path& path);

// Device and inode of the file at `path` (symlinks followed), or nothing when there is none.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  bool operator==(const FileIdentity&) const = default;
};
std::optional<FileIdentity> identity_of(const std::filesystem::path& path);

// Whether `a` and `b` name the same file: the same device and inode when both exist (hard links
// and symlinks included); otherwise the same absolute path once the folders that exist are
// resolved (two outputs not yet written).
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

// Throws FileError when an output must not be written at `path`: something other than a regular
// file is there (a directory, a device node, a FIFO, a socket).
void check_output_path(const std::filesystem::path& path);
// Throws FileError when the folder `path` would go into does not exist or is not a folder.
void check_output_folder(const std::filesystem::path& path);

// A fresh temporary name beside `final_path`: FINAL.tmp-HOST-PID-RANDOM (HOST with every
// character outside [A-Za-z0-9.] replaced by '_').
std::filesystem::path temporary_path(const std::filesystem::path& final_path);

// Removes the temporaries of `final_path` (see temporary_path) that processes of this host left
// when they were killed: only regular files owned by this user whose process no longer exists.
// Returns how many were removed; never throws (what cannot be removed stays).
std::size_t remove_stale_temporaries(const std::filesystem::path& final_path);
// The same for every temporary in `folder`, whatever its final name (a spool of run records).
std::size_t remove_stale_temporaries_in(const std::filesystem::path& folder);

}  // namespace gigsim::os
