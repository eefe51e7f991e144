// The batch script `gigsim sweep --slurm` writes (docs/sweeps.md "MPI and Slurm").
#include <sstream>

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

}  // namespace

std::string slurm_script(const SlurmOptions& o, const std::filesystem::path& gigsim,
                         const std::filesystem::path& sweep_file,
                         const std::filesystem::path& output, int threads_per_rank) {
  const auto abs = [](const std::filesystem::path& p) {
    return std::filesystem::absolute(p).lexically_normal().string();
  };
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
  s << "#SBATCH --output=" << abs(output) << ".slurm-%j.log\n"
    << "set -euo pipefail\n"
    << "cd " << shell_quote(abs(std::filesystem::current_path())) << "\n"
    << "# GIGSIM_MPIRUN replaces the launcher, e.g. 'srun --mpi=pmix' on clusters that prefer it.\n"
    << "${GIGSIM_MPIRUN:-mpirun -np ${SLURM_NTASKS}} " << shell_quote(abs(gigsim)) << " sweep "
    << shell_quote(abs(sweep_file)) << " -o " << shell_quote(abs(output)) << " --threads "
    << threads_per_rank << " --log-format json\n";
  return s.str();
}

}  // namespace gigsim::sweep
