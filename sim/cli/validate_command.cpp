// gigsim validate: the calibrated baseline (or any scenario) against the published figures, with
// replications (docs/validation.md).
#include <oneapi/tbb/info.h>

#include <boost/program_options.hpp>
#include <iostream>
#include <limits>
#include <optional>

#include "calibrated_scenario.hpp"
#include "common.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/validate.hpp"

namespace po = boost::program_options;

namespace gigsim::cli {

int validate_command(const std::vector<std::string>& args, const Context& ctx) {
  std::string scenario_path, format = "table";
  std::vector<std::string> overrides;
  int replications = 10, threads = 0;
  std::uint64_t seed = 0;
  bool quiet = false;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "replications,r", whole_number_option("replications", &replications, 1, 10000),
      "independent replications (seeds derived from the scenario seed)")(
      "seed",
      whole_number_option("seed", &seed, std::uint64_t{0},
                          std::numeric_limits<std::uint64_t>::max(), false),
      "base seed (overrides run.seed in the scenario)")(
      "threads,t", whole_number_option("threads", &threads, 0, kMaxThreads),
      "worker threads; 0 = all cores (at most 4096). Results are identical for any value")(
      "format", po::value(&format)->default_value("table"), "output: table or json")(
      "quiet,q", po::bool_switch(&quiet), "no progress on stderr")(
      "set", po::value(&overrides)->composing(),
      "override a scenario value: key.path=value (repeatable)");
  po::options_description all;
  all.add(opts).add_options()("scenario", po::value(&scenario_path));
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse("validate", args, all, pos);
  if (vm.count("help")) {
    ctx.out << "Usage: gigsim validate [SCENARIO.yaml] [options]\n\n"
            << "Runs the scenario (default: the calibrated baseline, " << kCalibratedScenarioName
            << ",\nbuilt in) with independent replications and compares the last 12 months with "
               "the published\nfigures of docs/validation.md: target, simulated mean with 95% "
               "interval across\nreplications, tolerance, verdict. Targets the model has no "
               "counterpart for are listed\nas 'not modelled' and do not count.\n\n"
            << opts
            << "\nExit codes: 0 every modelled target passes, 3 at least one fails, 2 bad input, "
               "1 the runs failed.\n\nExamples:\n  gigsim validate\n"
               "  gigsim validate scenarios/with_umbrella_coop.yaml -r 20\n"
               "  gigsim validate --format json --set training.consider_probability=0.03\n";
    return kExitOk;
  }
  if (format != "table" && format != "json")
    throw UsageError("validate", "--format must be 'table' or 'json', not '" + format + "'");
  if (vm.count("seed")) overrides.push_back("run.seed=" + std::to_string(seed));
  const ScenarioSpec spec =
      scenario_path.empty()
          ? scenario::load_string(calibrated_scenario_yaml(),
                                  std::string(kCalibratedScenarioName) + " (built in)", overrides)
          : scenario::load_file(scenario_path, overrides);
  if (spec.run.weeks < validate::kWindowWeeks)
    throw UsageError("validate", "the scenario runs " + std::to_string(spec.run.weeks) +
                                     " weeks; validation takes its moments over the last " +
                                     std::to_string(validate::kWindowWeeks) +
                                     " (set run.weeks to at least that)");
  const int n_threads = threads == 0 ? tbb::info::default_concurrency() : threads;
  check_memory(spec, static_cast<std::uint64_t>(validate::concurrent_runs(replications, n_threads)),
               n_threads);
  if (!quiet) {
    ctx.err << "gigsim: validating "
            << (scenario_path.empty() ? kCalibratedScenarioName : scenario_path) << ": "
            << replications << " replication(s) of " << spec.workers.count << " workers x "
            << spec.run.weeks << " weeks on " << n_threads << " thread(s)\n";
  }
  const validate::Report report = validate::run(spec, replications, n_threads, [&](int done) {
    if (!quiet) ctx.err << "gigsim: replication " << done << "/" << replications << " done\n";
  });
  ctx.out << (format == "json" ? validate::format_json(report) : validate::format_table(report));
  return report.all_pass() ? kExitOk : kExitValidationFailed;
}

}  // namespace gigsim::cli
