// Parameter sweeps (docs/sweeps.md): a sweep file names a base scenario, the parameters to vary
// and a design; every (design point, replication, variant) is one run with a seed derived by
// hashing. Each finished run is stored as a record in a spool folder, so a killed sweep resumes
// where it stopped; the records are joined, in run order, into one HDF5 file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "gigsim/groups.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/spec.hpp"

namespace gigsim::sweep {

enum class Method { grid, zip, table, random, lhs, sobol, morris, saltelli };
std::string_view method_name(Method m);

// How one parameter varies.
struct Parameter {
  std::string path;  // scenario key path, e.g. "platforms[0].take_rate"
  enum class Kind { values, range, normal } kind = Kind::values;
  std::vector<double> values;  // Kind::values, or the `steps` points of a range
  double min = 0, max = 0;     // Kind::range
  bool log_scale = false;      // Kind::range: log-uniform / logarithmic steps
  std::uint32_t steps = 0;     // Kind::range: 0 = continuous (sampling designs only)
  double mean = 0, sd = 0;     // Kind::normal
  bool integer = false;        // the scenario key is an integer: values are rounded
  bool boolean = false;        // the scenario key is a bool: values are 0/1
  int line = 0, column = 0;    // where it is given, for errors
};

struct Variant {
  std::string name;
  std::vector<std::string> overrides;  // "key.path=value", applied after the sweep's `set`
};

struct SweepSpec {
  std::string file;            // the sweep file as given
  std::string text;            // its full text (recorded in the result)
  std::filesystem::path base;  // base scenario, resolved against the sweep file's folder
  std::string base_text;       // its text, read once: every run resolves from the same text
  std::uint64_t seed = 1;      // sweep seed
  std::uint32_t replications = 1;
  std::vector<std::string> overrides;  // the sweep's `set`, as "key.path=value"
  Method method = Method::grid;
  std::uint32_t points = 0;         // random, lhs, sobol; saltelli: base samples
  std::uint32_t trajectories = 10;  // morris
  std::uint32_t levels = 4;         // morris
  std::filesystem::path table;      // table: CSV file, resolved against the sweep file's folder
  std::vector<Parameter> parameters;
  std::vector<Variant> variants;  // at least one ("base" with no overrides by default)
};

// Reads and checks a sweep file; throws scenario::ScenarioError ("FILE:LINE:COL: key: message")
// for every bad-input case, including parameters the scenario schema does not have.
SweepSpec load_sweep(const std::string& path);
// Same from text; `path` names it in errors and relative paths in it resolve against its folder.
SweepSpec load_sweep_text(std::string text, const std::string& path);

// The design: one row per point.
struct Design {
  std::vector<std::string> parameters;
  std::size_t points = 0;
  std::vector<double> values;     // points x parameters, row-major
  std::vector<double> unit;       // points x parameters: unit-cube coordinates (NaN if not sampled)
  std::vector<std::string> text;  // points x parameters: the value as given to --set
  std::vector<std::int32_t> trajectory;      // morris; else -1
  std::vector<std::int32_t> step_parameter;  // morris; else -1
  std::vector<std::int32_t> saltelli_block;  // saltelli; else -1
};
Design build_design(const SweepSpec& spec);

// Seed of every variant of (point, replication): a hash of the sweep seed and both indices,
// below 2^63.
std::uint64_t run_seed(std::uint64_t sweep_seed, std::uint64_t point, std::uint64_t replication);

// One run of the sweep. Its scenario is not kept (a sweep has up to 10^6 runs); RunScenarios
// gives it when the run is done.
struct RunPlan {
  std::uint64_t index = 0;  // (point * replications + replication) * variants + variant
  std::uint32_t point = 0, replication = 0, variant = 0;
  std::uint64_t seed = 0;
  std::string error;     // why the scenario rejects the run's values; empty if it accepts them
  std::string identity;  // 32 hex digits
  // Of the resolved scenario (0 if rejected): for threads, jobs, memory and the result's weeks.
  std::uint32_t workers = 0, weeks = 0;
  std::uint64_t peak_bytes = 0;  // Simulation::estimate_peak_bytes
  bool accepted() const { return error.empty(); }
};

// Every run's scenario, resolved on demand: the base with the sweep's set, the variant's set,
// the point's parameter values and the run seed, as scenario::load_string resolves those
// overrides, but from one resolution per variant (scenario::ResolvedScenario), so a run costs
// microseconds, not a parse. Immutable; use it from any thread.
class RunScenarios {
 public:
  // Keeps references to `spec` and `design`: they must outlive it.
  RunScenarios(const SweepSpec& spec, const Design& design);
  // The scenario of `point` and `variant`, with run.seed = *seed if given. Throws
  // scenario::ScenarioError when the scenario rejects the values.
  ScenarioSpec at(std::uint32_t point, std::uint32_t variant,
                  std::optional<std::uint64_t> seed) const;
  ScenarioSpec operator()(const RunPlan& plan) const {
    return at(plan.point, plan.variant, plan.seed);
  }
  // The variant's scenario before any point's values, as YAML; "" if the scenario refuses the
  // variant itself.
  std::string variant_yaml(std::uint32_t variant) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

// Every run in index order with its seed and identity, checked against the scenario (a point
// whose values it rejects is a rejected run). Each (point, variant) is resolved once, through
// RunScenarios; replications differ only in the seed. A run's identity hashes the variant's
// resolved scenario, the point's parameter values, the seed and `gigsim_version`.
std::vector<RunPlan> plan_runs(const SweepSpec& spec, const Design& design,
                               const std::string& gigsim_version);

// Summary metrics of a run, per group (all, then each WorkerGroup by its group_name).
inline constexpr int kMetricGroups = 1 + kGroupCount;  // all, then each WorkerGroup
std::vector<std::string> metric_groups();
struct MetricInfo {
  const char* name;
  const char* units;
  const char* long_name;
};
std::vector<MetricInfo> metric_infos();

// What a finished run leaves: status, metrics and every aggregate step column.
struct RunRecord {
  std::string identity;
  bool ok = false;
  std::string message;  // why it failed
  std::uint32_t weeks = 0;
  std::vector<double> metrics;  // metric-major: metrics x kMetricGroups
  std::vector<double> series;   // column-major: step_columns() x weeks
  bool interrupted = false;     // stopped before its last week (not a result: never spooled)
};
// How a run may be stopped part-way: `stop_requested` is asked after every week; when it says
// yes the run's whole state goes to `checkpoint` and the record comes back `interrupted`. A run
// whose checkpoint exists (of the same scenario and gigsim version) continues from it, with the
// same result as without the stop.
struct RunControl {
  std::function<bool()> stop_requested;
  std::filesystem::path checkpoint;
  std::string gigsim_version, git_commit;
};
// Runs one planned run (threads inside the run); never throws for a failing run: the record
// says so. Running out of memory is not a property of the run but of the machine, so
// std::bad_alloc is not recorded: it propagates, and so does a stopped run's checkpoint that
// cannot be written (a full disk).
struct CheckpointWriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
RunRecord execute_run(const RunScenarios& scenarios, const RunPlan& plan, int threads,
                      const RunControl* control = nullptr);

// The spool: one record file per identity in a folder beside the output.
class Spool {
 public:
  explicit Spool(std::filesystem::path folder);
  const std::filesystem::path& folder() const { return folder_; }
  // A valid record of this identity, or nothing (missing, damaged or from another format).
  std::optional<RunRecord> read(const std::string& identity) const;
  bool has(const std::string& identity) const { return read(identity).has_value(); }
  // The identities of the record files in the folder, from one listing (not checked: has() does
  // that), so that finding a million runs' records does not try to open a million files.
  std::unordered_set<std::string> listed() const;
  // Writes atomically (temporary name, fsync, rename). Throws std::runtime_error on I/O failure.
  void write(const RunRecord& record) const;

 private:
  std::filesystem::path folder_;
};
std::filesystem::path spool_folder(const std::filesystem::path& output);
// Where a stopped run's checkpoint waits in the spool.
std::filesystem::path checkpoint_path(const Spool& spool, const std::string& identity);

// The runs in an existing result file: their identities in run order and how many failed (none
// when there is no file, or it is not a sweep file this version reads).
struct JoinedRuns {
  std::vector<std::string> identities;
  std::size_t failed = 0;
};
JoinedRuns joined_runs(const std::filesystem::path& output);
// Writes to the spool the record of every run in `wanted` (indices into runs) that the result
// file `output` holds and the spool lacks, read back from the file: a sweep started again after
// its join, or grown by more points or replications, does none of its finished runs again.
// Returns how many it recovered.
std::size_t recover_joined_runs(const std::vector<RunPlan>& runs,
                                const std::vector<std::size_t>& wanted, const Spool& spool,
                                const std::filesystem::path& output);

// One process at a time per result file: `gigsim sweep` holds an exclusive lock on OUT.h5.lock
// (flock; released when the process ends, however it ends); the tasks of a Slurm job array hold
// it shared, each with an exclusive lock on its own chunk. Throws LockError naming the holder.
struct LockError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
class FileLock {
 public:
  enum class Mode { exclusive, shared };
  FileLock(std::filesystem::path path, Mode mode, const std::string& what);
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  // Removes the lock file while holding the lock (after a finished join).
  void remove_file();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};
std::filesystem::path lock_path(const std::filesystem::path& output);

// Encoding of a record (also what a checksum covers); decode returns nothing for damaged bytes.
std::string encode(const RunRecord& record);
std::optional<RunRecord> decode(const std::string& bytes);

// Provenance recorded in the result file.
struct SweepProvenance {
  std::string gigsim_version;
  std::string git_commit;
};

// Joins every run's record (in index order) into the result file, written under a temporary
// name and renamed. Returns the failed runs as (run index, message). Throws std::runtime_error
// naming the runs whose records are missing.
std::vector<std::pair<std::uint64_t, std::string>> join(const SweepSpec& spec, const Design& design,
                                                        const std::vector<RunPlan>& runs,
                                                        const Spool& spool,
                                                        const std::filesystem::path& output,
                                                        const SweepProvenance& provenance);

// The runs chunk `chunk` of `chunks` does (a Slurm array task): contiguous blocks of the runs
// with distinct identities, in index order (indices into runs).
std::vector<std::size_t> chunk_runs(const std::vector<RunPlan>& runs, std::uint32_t chunk,
                                    std::uint32_t chunks);

// Wall time of the runs `which` with `jobs` at once of `threads` each, in seconds, at
// kWorkerStepsPerCoreSecond: about half of what one core does on the development machine
// (benchmarks/README.md: 2.3-2.5 million), to allow for slower cluster cores and richer scenarios.
inline constexpr double kWorkerStepsPerCoreSecond = 1e6;
inline constexpr double kSlurmTimeMargin = 1.5;
inline constexpr double kSlurmStartSeconds = 300;
double estimate_seconds(const std::vector<RunPlan>& runs, const std::vector<std::size_t>& which,
                        int jobs, int threads);
// An estimate in seconds as a Slurm time limit (HH:MM:SS or D-HH:MM:SS): with the margin and
// start-up time above, whole minutes, at least ten.
std::string slurm_time(double seconds);

// The batch scripts `gigsim sweep --slurm` writes.
struct SlurmOptions {
  std::uint32_t array_tasks = 0;       // array tasks; 0: about one hour of work each
  std::uint32_t cpus = 1;              // CPUs per array task
  std::string time;                    // per task; empty: estimated from the work
  std::string memory;                  // per task (per CPU with mpi); empty: estimated
  std::string partition, account;      // empty: the cluster's defaults
  std::vector<std::string> modules;    // `module load M` before gigsim starts
  std::vector<std::string> setup;      // shell lines run before gigsim starts
  std::uint32_t signal_seconds = 300;  // USR1 this long before the wall time: checkpoint, requeue
  bool mpi = false;                    // one MPI job instead of an array
  std::uint32_t tasks = 4;             // mpi: ranks (rank 0 hands out runs)
  std::string job_name = "gigsim-sweep";
};
// What the scripts run, resolved by the command.
struct SlurmRun {
  std::filesystem::path gigsim, sweep_file, output, workdir;
  std::uint32_t array_tasks = 1;
  int jobs = 1, threads = 1;           // runs at once per task, threads per run
  std::string time, memory;            // per task
  std::string join_time = "00:30:00";  // the join reads records: seconds per thousand runs
  std::string join_memory = "2G";
};
struct SlurmScripts {
  std::string array;   // OUT.h5.sbatch (with mpi: the one job)
  std::string join;    // OUT.h5.join.sbatch (empty with mpi)
  std::string submit;  // OUT.h5.submit.sh (empty with mpi)
};
SlurmScripts slurm_scripts(const SlurmOptions& options, const SlurmRun& run);

}  // namespace gigsim::sweep
