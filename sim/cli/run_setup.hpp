// One run of `gigsim run` or `gigsim branch`, and `gigsim run -r R`'s folder of replications.
// Private to the CLI.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "gigsim/checkpoint.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/output.hpp"

namespace gigsim::cli {

// Everything one run needs: a new run, a resumed one or a branch.
struct RunSetup {
  ScenarioSpec spec;
  output::Provenance provenance;
  std::string output_path;
  // Where the output will be once its folder is renamed into place (a replication); empty: here.
  std::string shown_output_path;
  int threads = 0;
  LogFormat format = LogFormat::text;
  bool quiet = false;
  std::string checkpoint_path;  // where checkpoints go (periodic and on a stop signal)
  std::uint32_t checkpoint_every = 0;
  std::optional<checkpoint::Checkpoint> from;  // resume or branch from this state
  bool open_umbrella_coop = false;
  int replications = 1;  // > 1: a folder of runs with independent seeds (replications.cpp)
};

// Runs `setup` into its HDF5 file, with progress on stderr and checkpoints. The end-of-run table
// goes to ctx.out, unless `summaries` is given: then that observer hears the run instead. Returns
// 0, or 128 + the signal that stopped it (the partial file is then written, marked incomplete,
// with a checkpoint).
int execute(RunSetup& setup, const Context& ctx, Observer* summaries = nullptr);

// Refuses (ResourceError) a run whose estimated peak memory or output exceeds what this machine
// has, naming the estimate and the setting that reduces it (run_checks.cpp).
void check_resources(const RunSetup& setup);

// Before anything is read further or written: the outputs must not be `inputs` (nor each other)
// and must be writable files; what killed runs left beside them is removed (run_checks.cpp).
void check_outputs(const std::string& command, const RunSetup& setup,
                   const std::vector<FileRole>& inputs, bool checkpoint_is_input,
                   const Context& ctx);

// "run.h5" -> "run.h5.ckpt".
std::string default_checkpoint_path(const std::string& output_path);

// `gigsim run -r R`: R runs with independent seeds into the folder setup.output_path, with a
// manifest (manifest.json); prints the table across replications.
int execute_replications(RunSetup& setup, const Context& ctx);

// Keeps what the summary table needs of a run.
struct SummaryKeeper final : Observer {
  RunInfo info;
  WorkerSummaries summaries;
  void on_start(const RunInfo& i) override { info = i; }
  void on_end(const WorkerSummaries& s) override { summaries = s; }
};

}  // namespace gigsim::cli
