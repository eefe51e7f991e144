// The HDF5 sweep result file (docs/sweeps.md "The result file"): the design, a table of runs with
// their summary metrics per group, and every run's aggregate series. Written under a temporary
// name and renamed by commit(); nothing is left behind if it is not committed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace gigsim::output {

inline constexpr const char* kSweepFileType = "gigsim-sweep";
// 2: money in EUR, status and variant as HDF5 enumerations, every group with its own coordinates,
// units of the design parameters.
inline constexpr int kSweepFormatVersion = 2;

struct SweepHeader {
  std::string gigsim_version, git_commit;
  std::string sweep_yaml;     // the sweep file's text
  std::string base_scenario;  // the resolved base scenario as YAML
  std::string design_method;
  std::uint64_t sweep_seed = 0;
  std::uint32_t points = 0, replications = 0;
  std::uint64_t runs = 0;
  std::uint32_t weeks = 0;  // the longest run's weeks (shorter rows are NaN-padded)
  std::vector<std::string> parameters, variants, groups;
  std::vector<std::string> parameter_units;        // one per parameter (scenario schema units)
  std::vector<double> design_values, design_unit;  // points x parameters
  std::vector<std::int32_t> trajectory, step_parameter, saltelli_block;
  struct Metric {
    std::string name, units, long_name;
  };
  std::vector<Metric> metrics;
};

struct SweepRunRow {
  std::uint32_t point = 0, replication = 0, variant = 0;
  std::uint64_t seed = 0;
  std::string identity;
  bool ok = false;
  std::string message;
  const std::vector<double>* metrics = nullptr;  // metrics x groups
  std::uint32_t weeks = 0;
  const std::vector<double>* series = nullptr;  // step_columns() x weeks; money in EUR cents
};

class SweepFileWriter {
 public:
  // Throws OutputError when the destination folder is missing or not writable.
  SweepFileWriter(std::filesystem::path path, const SweepHeader& header);
  ~SweepFileWriter();
  SweepFileWriter(const SweepFileWriter&) = delete;
  SweepFileWriter& operator=(const SweepFileWriter&) = delete;
  // Rows in run order, exactly header.runs of them.
  void add_run(const SweepRunRow& row);
  void commit(std::uint64_t failed_runs);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads back the runs of a sweep file this version wrote, so that a sweep started again after
// its join (or with more replications) finds the runs it has already done. Throws OutputError for
// a file that is not a gigsim sweep file of this format version.
class SweepFileReader {
 public:
  explicit SweepFileReader(const std::filesystem::path& path);
  ~SweepFileReader();
  SweepFileReader(const SweepFileReader&) = delete;
  SweepFileReader& operator=(const SweepFileReader&) = delete;

  const std::vector<std::string>& identities() const;  // in run order
  std::size_t failed() const;                          // runs with status failed
  // What the record of run `row` held: status and message, metrics (names in `metric_names`
  // order, each over the file's groups; metric-major), and `weeks` of every step column
  // (column-major, step_columns() order; money back in EUR cents).
  struct Run {
    bool ok = false;
    std::string message;
    std::vector<double> metrics;
    std::vector<double> series;
  };
  Run read_run(std::uint64_t row, const std::vector<std::string>& metric_names,
               std::uint32_t weeks) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gigsim::output
