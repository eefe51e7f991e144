// The batch scripts `gigsim sweep --slurm` writes (docs/sweeps.md "Slurm"): a job array whose
// tasks each do one chunk of the runs, a join job that depends on it, and a script submitting
// both; or, with --slurm-mpi, one MPI job.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>
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
bool is_slurm_time(const std::string& t) {
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

std::string absolute_text(const std::filesystem::path& p) {
  return std::filesystem::absolute(p).lexically_normal().string();
}

// #SBATCH lines every job shares, then the environment hooks.
void common_header(std::ostringstream& s, const SlurmOptions& o, const std::string& time) {
  s << "#SBATCH --time=" << time << "\n";
  if (!o.partition.empty()) s << "#SBATCH --partition=" << o.partition << "\n";
  if (!o.account.empty()) s << "#SBATCH --account=" << o.account << "\n";
}

void environment(std::ostringstream& s, const SlurmOptions& o,
                 const std::filesystem::path& workdir) {
  s << "set -euo pipefail\n";
  for (const std::string& m : o.modules) s << "module load " << m << "\n";
  for (const std::string& line : o.setup) s << line << "\n";
  s << "cd " << shell_quote(absolute_text(workdir)) << "\n";
}

// Runs the command in the background so that the signal Slurm sends before the wall time
// (--signal=B:USR1@N) reaches this shell at once; gigsim stops its runs at the end of the week,
// checkpoints them, and the task goes back into the queue to finish later.
void run_requeueable(std::ostringstream& s, const std::string& command, const std::string& job) {
  s << command << " &\n"
    << "pid=$!\n"
    << "stop() { kill -TERM \"$pid\" 2>/dev/null || true; }\n"
    << "trap stop USR1 TERM\n"
    << "set +e\n"
    << "wait \"$pid\"; code=$?\n"
    << "while kill -0 \"$pid\" 2>/dev/null; do wait \"$pid\"; code=$?; done\n"
    << "set -e\n"
    << "if [ \"$code\" -ge 128 ]; then\n"
    << "  echo \"gigsim-sweep: stopped before the work was done (exit $code); requeueing " << job
    << "\" >&2\n"
    << "  scontrol requeue \"" << job << "\"\n"
    << "  exit 0\n"
    << "fi\n"
    << "exit \"$code\"\n";
}

// Refuses (std::invalid_argument) every value that would change the scripts' meaning.
void check_values(const SlurmOptions& o, const SlurmRun& run) {
  check_value("--slurm-time", run.time, "", "");  // a newline is named, not echoed
  if (!is_slurm_time(run.time))
    throw std::invalid_argument("--slurm-time '" + run.time +
                                "': expected minutes, HH:MM:SS or D-HH:MM:SS");
  check_value("--slurm-partition", o.partition, "_.,-", "letters, digits and _ . , - only");
  check_value("--slurm-account", o.account, "_.-", "letters, digits and _ . - only");
  check_value("--slurm-mem", run.memory, "KMGT", "a number with an optional unit K, M, G or T");
  check_value("the job name", o.job_name, "_.-", "letters, digits and _ . - only");
  for (const std::string& m : o.modules) check_value("--slurm-module", m, "", "");
  for (const std::string& line : o.setup) check_value("--slurm-setup", line, "", "");
  check_value("the output path", absolute_text(run.output), "", "");
  check_value("the sweep file path", absolute_text(run.sweep_file), "", "");
  check_value("the gigsim path", absolute_text(run.gigsim), "", "");
  check_value("the working folder", absolute_text(run.workdir), "", "");
}

}  // namespace

std::vector<std::size_t> chunk_runs(const std::vector<RunPlan>& runs, std::uint32_t chunk,
                                    std::uint32_t chunks) {
  std::vector<std::size_t> unique;
  std::set<std::string> seen;
  for (const RunPlan& r : runs)
    if (seen.insert(r.identity).second) unique.push_back(r.index);
  const std::size_t n = unique.size();
  const std::size_t begin = n * chunk / std::max<std::uint32_t>(1, chunks);
  const std::size_t end = n * (chunk + 1) / std::max<std::uint32_t>(1, chunks);
  return std::vector<std::size_t>(unique.begin() + static_cast<std::ptrdiff_t>(begin),
                                  unique.begin() + static_cast<std::ptrdiff_t>(end));
}

double estimate_seconds(const std::vector<RunPlan>& runs, const std::vector<std::size_t>& which,
                        int jobs, int threads) {
  double total = 0, largest = 0;
  for (const std::size_t i : which) {
    const RunPlan& r = runs.at(i);
    if (!r.accepted()) continue;
    const double steps = static_cast<double>(r.workers) * r.weeks;
    total += steps;
    largest = std::max(largest, steps);
  }
  const double cores = static_cast<double>(std::max(1, jobs) * std::max(1, threads));
  const double work = std::max(total / cores, largest / std::max(1, threads));
  return work / kWorkerStepsPerCoreSecond;
}

std::string slurm_time(double seconds) {
  // Half again for slower nodes and I/O, five minutes to start; at least ten minutes, whole
  // minutes.
  const auto minutes = static_cast<long>(
      std::max(10.0, std::ceil((seconds * kSlurmTimeMargin + kSlurmStartSeconds) / 60.0)));
  const long days = minutes / (24 * 60);
  const long hours = (minutes / 60) % 24;
  const long mins = minutes % 60;
  return days > 0 ? fmt::format("{}-{:02}:{:02}:00", days, hours, mins)
                  : fmt::format("{:02}:{:02}:00", hours, mins);
}

SlurmScripts slurm_scripts(const SlurmOptions& o, const SlurmRun& run) {
  check_values(o, run);
  const std::string gigsim = shell_quote(absolute_text(run.gigsim));
  const std::string sweep_file = shell_quote(absolute_text(run.sweep_file));
  const std::string output = shell_quote(absolute_text(run.output));
  const std::string log_stem = absolute_text(run.output);
  SlurmScripts scripts;
  std::ostringstream a;
  if (o.mpi) {
    a << "#!/bin/bash\n"
      << "# Written by 'gigsim sweep --slurm --slurm-mpi'. Submit with: sbatch " << log_stem
      << ".sbatch\n"
      << "# One MPI job: rank 0 hands out runs, the other ranks do them. Finished runs are kept "
         "in\n# "
      << log_stem << ".runs/; runs stopped before the wall time are checkpointed there and the\n"
      << "# job requeues itself, so it finishes however often it is stopped.\n"
      << "#SBATCH --job-name=" << o.job_name << "\n"
      << "#SBATCH --ntasks=" << o.tasks << "\n"
      << "#SBATCH --cpus-per-task=" << run.threads << "\n";
    common_header(a, o, run.time);
    if (!run.memory.empty()) a << "#SBATCH --mem-per-cpu=" << run.memory << "\n";
    a << "#SBATCH --requeue\n#SBATCH --open-mode=append\n"
      << "#SBATCH --signal=B:USR1@" << o.signal_seconds << "\n"
      << "#SBATCH --output=" << sbatch_file_name(log_stem, ".slurm-%j.log") << "\n";
    environment(a, o, run.workdir);
    a << "# GIGSIM_MPIRUN replaces the launcher, e.g. 'srun --mpi=pmix' on clusters that prefer "
         "it.\n";
    run_requeueable(
        a,
        fmt::format("${{GIGSIM_MPIRUN:-mpirun -np ${{SLURM_NTASKS}}}} {} sweep {} -o {} "
                    "--threads {} --log-format json",
                    gigsim, sweep_file, output, run.threads),
        "${SLURM_JOB_ID}");
    scripts.array = a.str();
    return scripts;
  }

  a << "#!/bin/bash\n"
    << "# Written by 'gigsim sweep --slurm'. Submit with: bash " << log_stem << ".submit.sh\n"
    << "# A job array: task K does chunk K of " << run.array_tasks
    << " of the runs and keeps every finished run in\n# " << log_stem
    << ".runs/. Before the wall time a task checkpoints the runs it is doing there and\n"
    << "# requeues itself; started again it does only what is missing. The join job (" << log_stem
    << ".join.sbatch)\n# writes " << log_stem << " once every task has ended.\n"
    << "#SBATCH --job-name=" << o.job_name << "\n"
    << "#SBATCH --array=0-" << run.array_tasks - 1 << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=" << run.jobs * run.threads << "\n";
  common_header(a, o, run.time);
  if (!run.memory.empty()) a << "#SBATCH --mem=" << run.memory << "\n";
  a << "#SBATCH --requeue\n#SBATCH --open-mode=append\n"
    << "#SBATCH --signal=B:USR1@" << o.signal_seconds << "\n"
    << "#SBATCH --output=" << sbatch_file_name(log_stem, ".slurm-%A_%a.log") << "\n";
  environment(a, o, run.workdir);
  run_requeueable(a,
                  fmt::format("{} sweep {} -o {} --chunk \"${{SLURM_ARRAY_TASK_ID}}/{}\" --jobs {} "
                              "--threads {} --log-format json",
                              gigsim, sweep_file, output, run.array_tasks, run.jobs, run.threads),
                  "${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}");
  scripts.array = a.str();

  std::ostringstream j;
  j << "#!/bin/bash\n"
    << "# Written by 'gigsim sweep --slurm': joins the runs the job array left in " << log_stem
    << ".runs/\n# into " << log_stem
    << " (submitted by the .submit.sh script to start when the array has ended).\n"
    << "#SBATCH --job-name=" << o.job_name << "-join\n"
    << "#SBATCH --ntasks=1\n#SBATCH --cpus-per-task=1\n";
  common_header(j, o, run.join_time);
  j << "#SBATCH --mem=" << run.join_memory << "\n"
    << "#SBATCH --output=" << sbatch_file_name(log_stem, ".slurm-join-%j.log") << "\n";
  environment(j, o, run.workdir);
  j << gigsim << " sweep " << sweep_file << " -o " << output << " --join-only\n";
  scripts.join = j.str();

  std::ostringstream u;
  const std::string array_script = shell_quote(log_stem + ".sbatch");
  const std::string join_script = shell_quote(log_stem + ".join.sbatch");
  u << "#!/bin/bash\n"
    << "# Written by 'gigsim sweep --slurm': submits the job array, then the join as a job that\n"
    << "# starts when every task of the array has ended (afterany: the join lists runs that are\n"
    << "# still missing). Arguments are passed to the join's sbatch (e.g. --wait).\n"
    << "set -euo pipefail\n"
    << "array=$(sbatch --parsable " << array_script << ")\n"
    << "array=${array%%;*}\n"
    << "join=$(sbatch --parsable --dependency=afterany:\"$array\" \"$@\" " << join_script << ")\n"
    << "echo \"submitted job array $array (" << run.array_tasks
    << " tasks) and join job ${join%%;*}; the result will be " << log_stem << "\"\n";
  scripts.submit = u.str();
  return scripts;
}

}  // namespace gigsim::sweep
