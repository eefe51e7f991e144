// Executing a sweep's runs locally or over MPI ranks. Results never depend on where or in which
// order runs execute: each run's record is a pure function of its plan, and the join reads them
// in run order.
#include "gigsim/sweep_exec.hpp"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_set>

#ifdef GIGSIM_WITH_MPI
#include <mpi.h>
#endif

namespace gigsim::sweep {

namespace {

// Runs one plan and stores its record (unless the run was stopped part-way: then its checkpoint
// waits in the spool); the wall time goes to the progress callback only (it is not part of the
// result, which must not depend on the machine).
std::pair<RunRecord, double> run_and_store(const RunScenarios& scenarios, const RunPlan& plan,
                                           const Spool& spool, const ExecuteOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  RunControl control{options.stop_requested, checkpoint_path(spool, plan.identity),
                     options.gigsim_version, options.git_commit};
  if (control.stop_requested) {
    std::error_code ec;
    std::filesystem::create_directories(spool.folder(), ec);
  }
  RunRecord record = execute_run(scenarios, plan, options.threads, &control);
  if (!record.interrupted) spool.write(record);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {std::move(record), seconds};
}

}  // namespace

std::vector<std::size_t> pending_runs(const std::vector<RunPlan>& runs, const Spool& spool) {
  std::vector<std::size_t> pending;
  std::unordered_set<std::string> seen;
  const std::unordered_set<std::string> listed = spool.listed();
  for (const auto& r : runs) {
    if (!seen.insert(r.identity).second) continue;  // same identity, same result: once
    if (listed.count(r.identity) == 0 || !spool.has(r.identity)) pending.push_back(r.index);
  }
  return pending;
}

ExecuteSummary execute_local(const RunScenarios& scenarios, const std::vector<RunPlan>& runs,
                             const std::vector<std::size_t>& pending, const Spool& spool,
                             const ExecuteOptions& options) {
  ExecuteSummary summary;
  std::mutex mutex;
  std::atomic<bool> stopped{false};
  const auto one = [&](std::size_t k) {
    if (stopped.load() || (options.stop_requested && options.stop_requested())) {
      stopped = true;
      return;
    }
    const RunPlan& plan = runs[pending[k]];
    auto [record, seconds] = run_and_store(scenarios, plan, spool, options);
    if (record.interrupted) {
      stopped = true;
      return;
    }
    const std::lock_guard lock(mutex);
    ++summary.ran;
    if (!record.ok) ++summary.failed;
    if (options.progress) options.progress(plan, record, seconds, summary.ran, pending.size());
  };
  if (options.jobs <= 1) {
    for (std::size_t k = 0; k < pending.size() && !stopped; ++k) one(k);
  } else {
    tbb::task_arena arena(options.jobs);
    arena.execute([&] {
      tbb::parallel_for(
          tbb::blocked_range<std::size_t>(0, pending.size(), 1),
          [&](const tbb::blocked_range<std::size_t>& r) {
            for (std::size_t k = r.begin(); k != r.end(); ++k) one(k);
          },
          tbb::simple_partitioner());
    });
  }
  summary.stopped = stopped;
  return summary;
}

bool mpi_launched() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

#ifdef GIGSIM_WITH_MPI

bool mpi_available() {
  return true;
}

namespace {
constexpr int kTagReady = 1;           // worker -> rank 0: {finished run or -1, ok}
constexpr int kTagWork = 2;            // rank 0 -> worker: run index or -1 (no more)
constexpr std::int64_t kLeaving = -2;  // worker -> rank 0 instead of a finished run
}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) {
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  MPI_Finalize();
}

void MpiSession::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

int MpiSession::broadcast(int value) const {
  MPI_Bcast(&value, 1, MPI_INT, 0, MPI_COMM_WORLD);
  return value;
}

ExecuteSummary execute_mpi(const MpiSession& mpi, const RunScenarios& scenarios,
                           const std::vector<RunPlan>& runs,
                           const std::vector<std::size_t>& pending, const Spool& spool,
                           const ExecuteOptions& options) {
  ExecuteSummary summary;
  if (mpi.size() == 1) return execute_local(scenarios, runs, pending, spool, options);
  if (mpi.rank() == 0) {
    std::size_t next = 0;
    int active = mpi.size() - 1;
    while (active > 0) {
      std::int64_t report[2];
      MPI_Status status;
      MPI_Recv(report, 2, MPI_INT64_T, MPI_ANY_SOURCE, kTagReady, MPI_COMM_WORLD, &status);
      if (report[0] == kLeaving) {  // stopped part-way by a signal: it asks for nothing more
        summary.stopped = true;
        --active;
        continue;
      }
      if (report[0] >= 0) {
        ++summary.ran;
        if (report[1] == 0) ++summary.failed;
        if (options.progress) {
          RunRecord status_only;  // the record stays on the worker's side
          status_only.ok = report[1] != 0;
          options.progress(runs[static_cast<std::size_t>(report[0])], status_only, 0.0, summary.ran,
                           pending.size());
        }
      }
      std::int64_t work = -1;
      if (next < pending.size()) {
        if (options.stop_requested && options.stop_requested()) {
          summary.stopped = true;
        } else {
          work = static_cast<std::int64_t>(pending[next++]);
        }
      }
      if (work < 0) --active;
      MPI_Send(&work, 1, MPI_INT64_T, status.MPI_SOURCE, kTagWork, MPI_COMM_WORLD);
    }
    if (next < pending.size()) summary.stopped = true;
  } else {
    std::int64_t report[2] = {-1, 0};
    while (true) {
      MPI_Send(report, 2, MPI_INT64_T, 0, kTagReady, MPI_COMM_WORLD);
      std::int64_t work = -1;
      MPI_Recv(&work, 1, MPI_INT64_T, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (work < 0) break;
      auto [record, seconds] =
          run_and_store(scenarios, runs[static_cast<std::size_t>(work)], spool, options);
      if (record.interrupted) {
        // Stopped part-way (its checkpoint is in the spool): leave, telling rank 0.
        summary.stopped = true;
        const std::int64_t leaving[2] = {kLeaving, 0};
        MPI_Send(leaving, 2, MPI_INT64_T, 0, kTagReady, MPI_COMM_WORLD);
        break;
      }
      ++summary.ran;
      if (!record.ok) ++summary.failed;
      report[0] = work;
      report[1] = record.ok ? 1 : 0;
    }
  }
  return summary;
}

#else

bool mpi_available() {
  return false;
}
MpiSession::MpiSession(int*, char***) {}
MpiSession::~MpiSession() = default;
void MpiSession::abort(int code) const {
  std::_Exit(code);
}
int MpiSession::broadcast(int value) const {
  return value;
}
ExecuteSummary execute_mpi(const MpiSession&, const RunScenarios& scenarios,
                           const std::vector<RunPlan>& runs,
                           const std::vector<std::size_t>& pending, const Spool& spool,
                           const ExecuteOptions& options) {
  return execute_local(scenarios, runs, pending, spool, options);
}

#endif

}  // namespace gigsim::sweep
