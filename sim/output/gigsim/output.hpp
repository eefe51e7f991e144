// Output writers: the self-describing HDF5 run file (docs/output-format.md) and the plain-text
// end-of-run summary. Both are Observers; the engine knows nothing about them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <stdexcept>
#include <string>

#include "gigsim/metrics.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/spec.hpp"

namespace gigsim::output {

// Any failure to create, write or commit an output file; the message names the file and the
// HDF5 call that failed.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr const char* kFileType = "gigsim-run";
// 2: money in EUR everywhere, categories as HDF5 enumerations, group names as the summary's
// coordinate (with an "all" row), scenario_hash and label.
inline constexpr int kFormatVersion = 2;

// What the run file records about where it came from (STYLE.md "Reproducibility and provenance").
struct Provenance {
  std::string gigsim_version;  // e.g. "0.1.0"
  std::string git_commit;      // full hash or "unknown"
  std::string scenario_file;   // path as given
  std::string scenario_yaml;   // full resolved scenario text
  std::string seed_source;     // "scenario", "command line" or "default"
  std::string branched_from;   // "CHECKPOINT at step N" for a branch, else empty
  std::string resumed_from;    // checkpoint a resumed run continued from, else empty
  std::string scenario_hash;   // scenario::scenario_hash (the scenario apart from its seed)
  std::string label;           // --label: the run's name in reports, may be empty
};

// Writes one run to `path`. Everything goes to a temporary file in the same directory
// (path + ".tmp-<pid>-<random>"), and commit() closes it and renames it onto `path` atomically.
// If the writer is destroyed without commit() (exception, failure), the temporary file is removed
// and any existing file at `path` is untouched. Constructor throws OutputError if the directory
// is not writable. Not thread-safe: call it from one thread (serial HDF5).
class Hdf5Writer final : public Observer {
 public:
  Hdf5Writer(std::filesystem::path path, Provenance provenance);
  ~Hdf5Writer() override;
  Hdf5Writer(const Hdf5Writer&) = delete;
  Hdf5Writer& operator=(const Hdf5Writer&) = delete;

  void on_start(const RunInfo& info) override;
  void on_step(const StepTotals& totals) override;
  void on_month(const PanelMonth& month) override;
  void on_end(const WorkerSummaries& summaries) override;

  // Marks the file as the record of a run that stopped early (attribute complete = 0 and the
  // reason); call before commit().
  void mark_incomplete(const std::string& reason);

  // Closes the file and renames it onto the final path. Throws OutputError if on_end was not
  // called, if an earlier call failed, or if closing or renaming fails.
  void commit();

  // The temporary file being written (for diagnostics and tests).
  const std::filesystem::path& temporary_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Upper bound of the run file's size in bytes before compression: series, the monthly panel for
// the panel workers, per-worker summaries and the scenario text.
std::uint64_t estimate_file_bytes(const ScenarioSpec& spec);

// Memory the run file's writer holds while it writes (the panel's chunk caches and buffers), on
// top of the run's own (Simulation::estimate_peak_bytes).
std::uint64_t estimate_writer_bytes(const ScenarioSpec& spec);

// Group summaries of several replications of one scenario (independent seeds), combined: each
// statistic is the mean over replications of the group mean, with the 95% half-width of that mean
// across replications (Student's t; 0 with one replication). Groups absent from any replication
// are left out; `workers` is the mean head count, rounded.
std::vector<GroupSummary> combine_replications(const std::vector<std::vector<GroupSummary>>& runs);

// Prints the end-of-run table of several replications (gigsim run --replications).
void print_replicated_summary(std::ostream& out, const RunInfo& info,
                              const std::vector<std::uint64_t>& seeds,
                              const std::vector<WorkerSummaries>& runs);

// Prints the end-of-run table: for each group with workers (platform-only workers, cooperative
// members) the number of workers and the group means of the outcome metrics, each as
// mean ± 95% CI half-width (summarize_groups), plus the poverty line.
class SummaryPrinter final : public Observer {
 public:
  explicit SummaryPrinter(std::ostream& out);
  void on_start(const RunInfo& info) override;
  void on_end(const WorkerSummaries& summaries) override;

 private:
  std::ostream* out_;
  std::uint64_t seed_ = 0;
  std::uint32_t workers_ = 0;
  std::uint32_t weeks_ = 0;
  bool started_ = false;
};

}  // namespace gigsim::output
