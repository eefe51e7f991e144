// What every command checks on its command line before it reads or writes anything: numbers
// parsed strictly, thread counts within what the thread pool survives, and the files it will
// write compared with the files it reads, by identity (common.hpp).
#include <charconv>
#include <limits>

#include "common.hpp"
#include "gigsim/files.hpp"
#include "gigsim/output.hpp"

namespace gigsim::cli {

namespace po = boost::program_options;

namespace {

// `text` as a whole number in [min, max]: decimal digits only, so "-1" is not 2^64 - 1 (as
// boost's lexical_cast makes it) and "1e3", "+5", "0x10" or " 7" are not numbers.
template <class T>
T whole_number(const std::string& option, const std::string& text, T min, T max) {
  const auto range = "a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  const bool digits = !text.empty() && text.size() <= 20 &&
                      text.find_first_not_of("0123456789") == std::string::npos;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (!digits || error != std::errc() || end != text.data() + text.size() ||
      value < static_cast<std::uint64_t>(min) || value > static_cast<std::uint64_t>(max)) {
    throw po::error("--" + option + ": expected " + range + ", got '" + text + "'");
  }
  return static_cast<T>(value);
}

}  // namespace

template <class T>
po::typed_value<std::string>* whole_number_option(const std::string& option, T* target, T min,
                                                  T max, bool with_default) {
  static_assert(std::is_integral_v<T>);
  auto* value = po::value<std::string>();
  value->notifier(
      [=](const std::string& text) { *target = whole_number<T>(option, text, min, max); });
  if (with_default) value->default_value(std::to_string(*target));
  return value;
}

template po::typed_value<std::string>* whole_number_option<int>(const std::string&, int*, int, int,
                                                                bool);
template po::typed_value<std::string>* whole_number_option<std::uint32_t>(const std::string&,
                                                                          std::uint32_t*,
                                                                          std::uint32_t,
                                                                          std::uint32_t, bool);
template po::typed_value<std::string>* whole_number_option<std::uint64_t>(const std::string&,
                                                                          std::uint64_t*,
                                                                          std::uint64_t,
                                                                          std::uint64_t, bool);

std::string file_name_from(const std::string& name) {
  std::string file;
  for (char c : name) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || c == '.';
    file += safe ? c : '_';
  }
  // No hidden file, no "." or ".." and nothing longer than a file name may be.
  for (char& c : file) {
    if (c != '.') break;
    c = '_';
  }
  if (file.size() > 200) file.resize(200);
  return file.empty() ? std::string("gigsim_run") : file;
}

void check_file_roles(const std::string& command, const std::vector<FileRole>& inputs,
                      const std::vector<FileRole>& outputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const FileRole& out = outputs[i];
    try {
      // A folder that is missing or not writable is an I/O failure (exit 1), as when the writer
      // finds it so; what the path names is the argument's fault (exit 2).
      os::check_output_folder(out.path);
    } catch (const os::FileError& e) {
      throw output::OutputError("cannot create " + out.role + " '" + out.path + "': it " +
                                e.reason());
    }
    try {
      if (!out.folder) {
        os::check_output_path(out.path);
      } else if (const std::string kind = os::non_regular_kind(out.path);
                 !kind.empty() && kind != "a directory") {
        throw os::FileError(out.path, "is " + kind + ", not a folder");
      } else if (kind.empty() && os::identity_of(out.path)) {
        throw os::FileError(out.path, "is a file, not a folder");
      }
    } catch (const os::FileError& e) {
      throw UsageError(command, out.role + " '" + out.path + "' " + e.reason());
    }
    for (const FileRole& in : inputs) {
      if (os::same_file(out.path, in.path)) {
        throw UsageError(command, out.role + " '" + out.path + "' is " + in.role + " '" + in.path +
                                      "' itself: writing it would destroy the input; choose "
                                      "another path");
      }
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (os::same_file(out.path, outputs[j].path)) {
        throw UsageError(command, out.role + " and " + outputs[j].role + " are the same file '" +
                                      out.path + "'; give them different paths");
      }
    }
  }
}

std::size_t remove_stale_temporaries(const std::vector<FileRole>& outputs) {
  std::size_t removed = 0;
  for (const FileRole& out : outputs)
    removed += out.folder ? os::remove_stale_temporaries_in(out.path)
                          : os::remove_stale_temporaries(out.path);
  return removed;
}

}  // namespace gigsim::cli
