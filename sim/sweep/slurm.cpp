// The batch script `gigsim sweep --slurm` writes (docs/sweeps.md "MPI and Slurm").
#include <sstream>
#include <stdexcept>
#include <string_view>

#include "gigsim/sweep.hpp"

namespace gigsim::sweep {

namespace {

// Quoted for a POSIX shell: 'text', with embedded single quotes as '\''.
std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Refuses a value that would change the script's meaning: a control character (a newline ends
// the #SBATCH line or the comment and starts a line of its own, which bash would run) anywhere,
// and in `#SBATCH` values anything outside `allowed` (sbatch splits them on blanks and expands %).
void check_value(const std::string& what, const std::string& value, std::string_view allowed,
                 const std::string& expected) {
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F)
      throw std::invalid_argument(what +
                                  " contains a control character (a newline?); it would "
                                  "start a line of its own in the batch script");
    const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!allowed.empty() && !plain && allowed.find(c) == std::string_view::npos)
      throw std::invalid_argument(what + " '" + value +
                                  "' cannot go into an #SBATCH line: " + expected);
  }
}

// A file name for an #SBATCH line, then `pattern` (%j: the job id): '%' in the name doubled (sbatch
// expands %j and the like), and in double quotes with '"' and '\\' escaped when it has a blank, a
// quote, a backslash or a '#' (sbatch splits the line on blanks and reads '#' as a comment, as its
// own parser does).
std::string sbatch_file_name(const std::string& path, const std::string& pattern) {
  std::string name;
  bool quote = false;
  for (const char c : path) {
    if (c == '%') {
      name += "%%";
      continue;
    }
    if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\\' || c == '#') quote = true;
    if (c == '"' || c == '\\') name += '\\';
    name += c;
  }
  name += pattern;
  return quote ? "\"" + name + "\"" : name;
}

// Slurm's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours,
// days-hours:minutes and days-hours:minutes:seconds.
bool slurm_time(const std::string& t) {
  std::size_t i = 0;
  const auto number = [&] {
    const std::size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start && i - start <= 6;
  };
  if (!number()) return false;
  int colons = 0;
  if (i < t.size() && t[i] == '-') {
    ++i;
    if (!number()) return false;
  }
  while (i < t.size() && t[i] == ':' && colons < 2) {
    ++i;
    ++colons;
    if (!number()) return false;
  }
  return i == t.size();
}

}  // namespace

std::string slurm_script(const SlurmOptions& o, const std::filesystem::path& gigsim,
                         const std::filesystem::path& sweep_file,
                         const std::filesystem::path& output, int threads_per_rank) {
  const auto abs = [](const std::filesystem::path& p) {
    return std::filesystem::absolute(p).lexically_normal().string();
  };
  check_value("--slurm-time", o.time, "", "");  // a newline is named, not echoed
  if (!slurm_time(o.time))
    throw std::invalid_argument("--slurm-time '" + o.time +
                                "': expected minutes, HH:MM:SS or D-HH:MM:SS");
  check_value("--slurm-partition", o.partition, "_.,-", "letters, digits and _ . , - only");
  check_value("--slurm-mem", o.memory, "KMGT", "a number with an optional unit K, M, G or T");
  check_value("the job name", o.job_name, "_.-", "letters, digits and _ . - only");
  check_value("the output path", abs(output), "", "");
  check_value("the sweep file path", abs(sweep_file), "", "");
  check_value("the gigsim path", abs(gigsim), "", "");
  check_value("the working folder", abs(std::filesystem::current_path()), "", "");
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Written by 'gigsim sweep --slurm'. Submit with: sbatch " << abs(output) << ".sbatch\n"
    << "# (or wherever --slurm-script put it). One MPI job: rank 0 hands out runs, the other "
       "ranks do them.\n"
    << "# Finished runs are kept in " << abs(output) << ".runs/, so resubmitting this script\n"
    << "# after the job was killed or timed out does only the runs that are missing.\n"
    << "#SBATCH --job-name=" << o.job_name << "\n"
    << "#SBATCH --ntasks=" << o.tasks << "\n"
    << "#SBATCH --cpus-per-task=" << threads_per_rank << "\n"
    << "#SBATCH --time=" << o.time << "\n";
  if (!o.memory.empty()) s << "#SBATCH --mem-per-cpu=" << o.memory << "\n";
  if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << "\n";
  s << "#SBATCH --output=" << sbatch_file_name(abs(output), ".slurm-%j.log") << "\n"
    << "set -euo pipefail\n"
    << "cd " << shell_quote(abs(std::filesystem::current_path())) << "\n"
    << "# GIGSIM_MPIRUN replaces the launcher, e.g. 'srun --mpi=pmix' on clusters that prefer it.\n"
    << "${GIGSIM_MPIRUN:-mpirun -np ${SLURM_NTASKS}} " << shell_quote(abs(gigsim)) << " sweep "
    << shell_quote(abs(sweep_file)) << " -o " << shell_quote(abs(output)) << " --threads "
    << threads_per_rank << " --log-format json\n";
  return s.str();
}

}  // namespace gigsim::sweep
