// `gigsim validate`: the calibration targets of docs/validation.md, the moments a run produces for
// them, and the replicated comparison of the two. Library form so tests and the CLI share it.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/observer.hpp"
#include "gigsim/spec.hpp"

namespace gigsim::validate {

// A published figure the calibrated baseline should land near (sources: docs/references.md).
struct Target {
  std::string_view id;
  std::string_view description;
  std::string_view unit;
  double value;      // the published figure
  double tolerance;  // acceptance half-width: pass when |simulated mean - value| <= tolerance
  std::string_view source;
  // Empty when the model has a counterpart; otherwise why it has none (the row is reported and
  // can never pass: a target the model cannot reach is not tuned away).
  std::string_view not_modelled;
};
std::span<const Target> targets();

// Months over which the moments are taken: the last 12 (48 weeks) of the run.
inline constexpr std::uint32_t kWindowWeeks = 48;

// Market flows summed over the window.
struct WindowFlows {
  double commission = 0, client_paid = 0;  // cents
  double paid_hours = 0, unpaid_hours = 0;
  double worker_weeks = 0;  // sum over the window's weeks of workers with work
};

// The value of every target (targets() order) from a run's window flows and end-of-run summaries;
// NaN where the model has no counterpart or the run has none (e.g. no cooperative members).
std::vector<double> moments(const WindowFlows& flows, const WorkerSummaries& summaries);

// One run's value for every target, in targets() order; NaN where the model has no counterpart or
// the run has none (e.g. no cooperative members). Throws std::invalid_argument when the run is
// shorter than the window.
std::vector<double> run_moments(const ScenarioSpec& spec, int threads);

enum class Verdict { pass, fail, absent, not_modelled };
std::string_view verdict_name(Verdict v);

struct Row {
  const Target* target = nullptr;
  std::vector<double> values;  // one per replication (NaN where absent)
  double mean = 0, sd = 0;
  double ci_low = 0, ci_high = 0;  // 95% interval of the mean (Student's t across replications)
  Verdict verdict = Verdict::absent;
};

struct Report {
  std::vector<std::uint64_t> seeds;  // one per replication
  std::vector<Row> rows;
  // At least one modelled target is present in the runs and every one present passes.
  bool all_pass() const;
};

// Seed of replication r: the sweep's run_seed(base seed, point 0, r), so a sweep of the same
// scenario and seed reproduces these runs.
std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t replication);

// How many replications run() runs at once on `threads` threads (for memory checks).
int concurrent_runs(int replications, int threads);

// Runs `replications` independent replications of `spec` (seeds from replication_seed) on up to
// `threads` threads and compares their moments with the targets. Results do not depend on
// `threads`. `on_done(r)` is called (serially) as each replication finishes.
Report run(const ScenarioSpec& spec, int replications, int threads,
           const std::function<void(int done)>& on_done = {});

// Prints the report as a table, or as JSON (for scripts such as analysis' calibration).
std::string format_table(const Report& report);
std::string format_json(const Report& report);

}  // namespace gigsim::validate
