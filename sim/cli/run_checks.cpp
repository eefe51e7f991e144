// Checks a run makes before it starts (gigsim run, branch and run -r): resources and outputs.
#include <oneapi/tbb/info.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "common.hpp"
#include "gigsim/output.hpp"
#include "gigsim/simulation.hpp"
#include "run_setup.hpp"

namespace gigsim::cli {

// Refuses a run whose estimated peak memory or output exceeds what this machine has, naming the
// estimate and the setting that reduces it, instead of failing hours later.
void check_resources(const RunSetup& setup) {
  const ScenarioSpec& spec = setup.spec;
  const int threads = setup.threads == 0 ? tbb::info::default_concurrency() : setup.threads;
  (void)check_memory(spec, 1, threads, output::estimate_writer_bytes(spec));
  // The output file, plus a checkpoint (written on a stop signal even without --checkpoint-every).
  const std::uint64_t disk =
      output::estimate_file_bytes(spec) + Simulation::estimate_peak_bytes(spec);
  const std::filesystem::path out(setup.output_path);
  std::error_code ec;
  const auto space = std::filesystem::space(
      out.has_parent_path() ? out.parent_path() : std::filesystem::path("."), ec);
  if (!ec && disk > space.available) {
    throw ResourceError("the output and a checkpoint need about " + gib(disk) + " of disk but " +
                        gib(space.available) + " is free where " + setup.output_path +
                        " goes; use output.panel: sampled or none (--set output.panel=none), fewer "
                        "workers, or another folder (-o)");
  }
}

// Before anything is read further or written: the outputs must not be `inputs` (nor each other)
// and must be writable files; what killed runs left beside them is removed.
void check_outputs(const std::string& command, const RunSetup& setup,
                   const std::vector<FileRole>& inputs, bool checkpoint_is_input,
                   const Context& ctx) {
  std::vector<FileRole> outputs{{setup.output_path, "the output file (-o)"}};
  if (!checkpoint_is_input)
    outputs.push_back({setup.checkpoint_path, "the checkpoint (--checkpoint)"});
  check_file_roles(command, inputs, outputs);
  if (checkpoint_is_input) outputs.push_back({setup.checkpoint_path, "the checkpoint"});
  const std::size_t removed = remove_stale_temporaries(outputs);
  if (removed > 0 && !setup.quiet)
    ctx.err << "gigsim: removed " << removed << " temporary file(s) that a killed run left beside "
            << setup.output_path << "\n";
}

}  // namespace gigsim::cli
