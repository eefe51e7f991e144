// Executing a sweep's runs: on one machine (runs in parallel, or threads within large runs) or
// over MPI ranks with dynamic load balancing (docs/sweeps.md "MPI and Slurm"). Either way every
// finished run goes to the spool at once, so a killed sweep resumes where it stopped.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "gigsim/sweep.hpp"

namespace gigsim::sweep {

// Indices of the runs that still need doing: no valid record in the spool, one per identity.
std::vector<std::size_t> pending_runs(const std::vector<RunPlan>& runs, const Spool& spool);

struct ExecuteOptions {
  int threads = 1;  // threads inside each run
  int jobs = 1;     // runs at once (local execution)
  // Checked before each run starts and after every week of a run: a run stopped part-way leaves
  // a checkpoint in the spool and continues from it when the sweep is started again.
  std::function<bool()> stop_requested;
  std::string gigsim_version, git_commit;  // recorded in (and required of) those checkpoints
  // Called after every finished run (serialised; from any thread): the run, its record, wall
  // seconds, runs finished so far and the number to do.
  std::function<void(const RunPlan&, const RunRecord&, double, std::size_t, std::size_t)> progress;
};

struct ExecuteSummary {
  std::size_t ran = 0;
  std::size_t failed = 0;
  bool stopped = false;  // stop_requested() cut the sweep short
};

ExecuteSummary execute_local(const RunScenarios& scenarios, const std::vector<RunPlan>& runs,
                             const std::vector<std::size_t>& pending, const Spool& spool,
                             const ExecuteOptions& options);

// True when this process was started by an MPI launcher (mpirun, srun with PMI/PMIx).
bool mpi_launched();
// Whether this build has MPI support.
bool mpi_available();

// MPI_Init / MPI_Finalize for the lifetime of the object.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }
  // Ends every rank at once (after an error on one of them).
  [[noreturn]] void abort(int code) const;
  // Rank 0's value of `value` on every rank.
  int broadcast(int value) const;

 private:
  int rank_ = 0;
  int size_ = 1;
};

// Rank 0 hands out the pending runs one at a time to ranks 1..size-1 as they ask for work
// (`pending` is only read on rank 0); those ranks run them and write their records. Returns when
// every run is done or the sweep was stopped. With one rank, runs everything locally.
ExecuteSummary execute_mpi(const MpiSession& mpi, const RunScenarios& scenarios,
                           const std::vector<RunPlan>& runs,
                           const std::vector<std::size_t>& pending, const Spool& spool,
                           const ExecuteOptions& options);

}  // namespace gigsim::sweep
