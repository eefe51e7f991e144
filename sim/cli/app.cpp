#include "gigsim/app.hpp"

#include <oneapi/tbb/info.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "gigsim/build_info.hpp"
#include "gigsim/output.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/simulation.hpp"

namespace po = boost::program_options;

namespace gigsim::cli {

namespace {

// Bad command-line arguments: exit 2 with a hint.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

constexpr const char* kTopUsage =
    R"(gigsim - agent-based simulation of gig labour markets with and without cooperatives

Usage:
  gigsim run SCENARIO.yaml [-o OUT.h5] [--threads N] [--seed S] [--set key.path=value]...
  gigsim --version
  gigsim COMMAND --help

Commands:
  run      simulate one scenario and write its trajectories to HDF5

Example:
  gigsim run scenarios/with_umbrella_coop.yaml -o coop.h5 --set umbrella_coop.fee_rate=0.05

Exit codes: 0 success, 1 the run failed, 2 bad scenario or arguments.
)";

// Periodic progress lines on stderr (no carriage returns, so logs stay readable).
class ProgressLines final : public Observer {
 public:
  explicit ProgressLines(std::ostream& err) : err_(&err) {}
  void on_start(const RunInfo& info) override {
    weeks_ = info.weeks;
    start_ = std::chrono::steady_clock::now();
  }
  void on_step(const StepTotals& t) override {
    const auto done = static_cast<std::uint32_t>(t.step + 1);
    const std::uint32_t tenth = std::max<std::uint32_t>(1, weeks_ / 10);
    if (done % tenth != 0 && done != weeks_) return;
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = done > 0 ? s * (weeks_ - done) / done : 0.0;
    *err_ << "gigsim: week " << done << "/" << weeks_ << " (" << (100 * done / weeks_) << "%), "
          << static_cast<int>(s) << " s elapsed, ETA " << static_cast<int>(eta) << " s\n";
  }

 private:
  std::ostream* err_;
  std::uint32_t weeks_ = 1;
  std::chrono::steady_clock::time_point start_;
};

int run_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::string scenario_path;
  std::string output_path;
  int threads = 0;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> overrides;
  bool quiet = false;

  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&output_path),
      "output HDF5 file (default: <scenario name>.h5 in the current directory)")(
      "threads,t", po::value(&threads)->default_value(0),
      "worker threads; 0 = all cores. Results are identical for any value")(
      "seed", po::value<std::uint64_t>(), "run seed (overrides run.seed in the scenario)")(
      "set", po::value(&overrides)->composing(),
      "override a scenario value: key.path=value, e.g. platforms[0].take_rate=0.3 (repeatable)")(
      "quiet,q", po::bool_switch(&quiet), "no progress lines on stderr");
  po::options_description hidden;
  hidden.add_options()("scenario", po::value(&scenario_path));
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("scenario", 1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("run: ") + e.what());
  }
  if (vm.count("help")) {
    out << "Usage: gigsim run SCENARIO.yaml [options]\n\n"
        << "Simulates the scenario week by week and writes an HDF5 file (docs/output-format.md),\n"
        << "then prints income stability and training access by group.\n\n"
        << opts << "\nExample:\n  gigsim run scenarios/baseline.yaml -o baseline.h5 --threads 2 "
        << "--set run.weeks=104\n";
    return kExitOk;
  }
  if (scenario_path.empty()) throw UsageError("run: missing SCENARIO.yaml");
  if (threads < 0) throw UsageError("run: --threads must be 0 (all cores) or positive");
  if (vm.count("seed")) {
    seed = vm["seed"].as<std::uint64_t>();
    overrides.push_back("run.seed=" + std::to_string(*seed));
  }

  const ScenarioSpec spec = scenario::load_file(scenario_path, overrides);
  std::string seed_source = "default";
  if (seed) {
    seed_source = "command line";
  } else if (scenario::sets_key(scenario_path, "run.seed", overrides)) {
    seed_source = "scenario";
  }

  if (output_path.empty()) output_path = spec.name + ".h5";
  if (threads == 0) threads = tbb::info::default_concurrency();

  output::Provenance prov;
  prov.gigsim_version = version();
  prov.git_commit = git_commit();
  prov.scenario_file = scenario_path;
  prov.scenario_yaml = scenario::to_yaml(spec);
  prov.seed_source = seed_source;

  // The writer is created before the run so an unwritable destination fails at once.
  output::Hdf5Writer writer(output_path, prov);
  output::SummaryPrinter summary(out);
  ProgressLines progress(err);
  Simulation sim(spec, ExecutionContext{threads});
  sim.add_observer(writer);
  sim.add_observer(summary);
  if (!quiet) sim.add_observer(progress);
  if (!quiet) {
    err << "gigsim: " << spec.name << ": " << spec.workers.count << " workers, " << spec.run.weeks
        << " weeks, seed " << spec.run.seed << " (" << seed_source << "), " << threads
        << " thread(s)\n";
  }
  sim.run();
  writer.commit();
  if (!quiet) err << "gigsim: wrote " << output_path << "\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      (args.empty() ? err : out) << kTopUsage;
      return args.empty() ? kExitBadInput : kExitOk;
    }
    if (args[0] == "--version") {
      out << "gigsim " << version() << " (" << git_commit() << ")\n";
      return kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "run") return run_command(args, out, err);
    throw UsageError("unknown command '" + command + "'");
  } catch (const UsageError& e) {
    err << "gigsim: " << e.what() << "\nTry 'gigsim --help' or 'gigsim run --help'.\n";
    return kExitBadInput;
  } catch (const scenario::ScenarioError& e) {
    err << e.what() << "\n";
    err << "gigsim: no output was written; fix the scenario and run again "
           "('gigsim run --help' lists the options).\n";
    return kExitBadInput;
  } catch (const output::OutputError& e) {
    err << "gigsim: output error: " << e.what() << "\n";
    return kExitRuntime;
  } catch (const std::exception& e) {
    err << "gigsim: run failed: " << e.what() << "\n";
    return kExitRuntime;
  }
}

int main(int argc, char** argv) {
  return main(argc, argv, std::cout, std::cerr);
}

}  // namespace gigsim::cli
