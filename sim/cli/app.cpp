#include "gigsim/app.hpp"

#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fmt/format.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "branch_rules.hpp"
#include "common.hpp"
#include "gigsim/build_info.hpp"
#include "gigsim/checkpoint.hpp"
#include "gigsim/files.hpp"
#include "gigsim/memory.hpp"
#include "gigsim/output.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/section.hpp"
#include "gigsim/simulation.hpp"
#include "gigsim/sweep.hpp"
#include "gigsim/terminal.hpp"
#include "gigsim/validate.hpp"
#include "run_setup.hpp"

namespace po = boost::program_options;

namespace gigsim::cli {

namespace {

constexpr const char* kTopUsage =
    R"(gigsim - agent-based simulation of gig labour markets with and without cooperatives

Usage:
  gigsim run SCENARIO.yaml [-o OUT.h5] [--threads N] [--seed S] [-r R] [--set key.path=value]...
  gigsim run --resume CHECKPOINT [-o OUT.h5]
  gigsim branch CHECKPOINT -o OUT.h5 [--set key.path=value]...
  gigsim scenario check SCENARIO.yaml [--set key.path=value]...
  gigsim scenario show SCENARIO.yaml [--set key.path=value]...
  gigsim params [--format text|markdown|tsv]
  gigsim schedule [SCENARIO.yaml] [--format text|markdown]
  gigsim report RUN.h5|RUNS_DIR... -o DIR [--baseline NAME] [--allow-partial]
  gigsim report SWEEP.h5 -o DIR
  gigsim export RUN.h5|RUNS_DIR|SWEEP.h5... -o DIR
  gigsim sensitivity SWEEP.h5 --metric M [--group G] [--variant V]
  gigsim sweep SWEEP.yaml -o SWEEP.h5 [--jobs J] [--threads N] [--slurm]
  gigsim validate [SCENARIO.yaml] [--replications R] [--format table|json]
  gigsim --version

Commands:
  run       simulate one scenario and write its trajectories to HDF5 (or resume a stopped run)
  branch    continue a checkpointed market with changed parameters (a counterfactual)
  scenario  check a scenario without running it, or show it with every default filled in
  params    list every scenario parameter with type, default, unit, range and source
  schedule  print the order of the week: each phase and the mechanisms' hooks in it, in order
  report    compare runs (with and without cooperatives), or a sweep, in an HTML report
  export    write runs or a sweep as tidy CSV tables (one value per row)
  sensitivity  Morris, Sobol or grid main effects of a sweep's parameters on a metric
  sweep     run a parameter sweep with replications (locally, under mpirun, or as a Slurm job)
  validate  compare the calibrated baseline (or a scenario) with published figures, replicated

Example:
  gigsim run scenarios/with_umbrella_coop.yaml -o coop.h5 --set umbrella_coop.fee_rate=0.05

'gigsim COMMAND --help' describes each command.
Exit codes: 0 success, 1 the run failed, 2 bad scenario or arguments, 3 a validation target missed.
)";

// Progress on stderr: a bar with rate and ETA on a terminal; plain periodic lines otherwise
// (no carriage returns, so log files stay readable); JSON lines with --log-format json.
class Progress final : public Observer {
 public:
  Progress(std::ostream& err, LogFormat format, bool terminal)
      : err_(&err), format_(format), terminal_(terminal && format == LogFormat::text) {}

  void on_start(const RunInfo& info) override {
    weeks_ = std::max<std::uint32_t>(1, info.weeks);
    workers_ = info.workers;
    start_ = last_ = std::chrono::steady_clock::now();
  }

  void on_step(const StepTotals& t) override {
    const auto done = static_cast<std::uint32_t>(t.step + 1);
    const auto now = std::chrono::steady_clock::now();
    const bool last_step = done == weeks_;
    if (terminal_) {
      if (!last_step && now - last_ < std::chrono::milliseconds(200)) return;
    } else {
      const std::uint32_t tenth = std::max<std::uint32_t>(1, weeks_ / 10);
      if (done % tenth != 0 && !last_step) return;
    }
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) * workers_ / elapsed : 0.0;
    const double eta = done > 0 ? elapsed * (weeks_ - done) / done : 0.0;
    const unsigned percent = 100u * done / weeks_;
    if (format_ == LogFormat::json) {
      *err_ << json_line({{"event", "progress"},
                          {"week", done},
                          {"weeks", weeks_},
                          {"percent", percent},
                          {"elapsed_s", elapsed},
                          {"eta_s", eta},
                          {"worker_steps_per_s", std::llround(rate)}});
    } else if (terminal_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(kWidth * done / weeks_);
      *err_ << fmt::format("\r[{}{}] {:3}% week {}/{}  {:.2f}M worker-steps/s  ETA {:.0f} s ",
                           std::string(static_cast<std::size_t>(filled), '#'),
                           std::string(static_cast<std::size_t>(kWidth - filled), '.'), percent,
                           done, weeks_, rate / 1e6, eta)
            << (last_step ? "\n" : "") << std::flush;
    } else {
      *err_ << fmt::format(
          "gigsim: week {}/{} ({}%), {:.1f} s elapsed, ETA {:.0f} s, {:.2f}M worker-steps/s\n",
          done, weeks_, percent, elapsed, eta, rate / 1e6);
    }
  }

 private:
  std::ostream* err_;
  LogFormat format_;
  bool terminal_;
  std::uint32_t weeks_ = 1;
  std::uint32_t workers_ = 0;
  std::chrono::steady_clock::time_point start_, last_;
};

po::options_description scenario_options(std::vector<std::string>& overrides) {
  po::options_description opts("Scenario options");
  opts.add_options()("set", po::value(&overrides)->composing(),
                     "override a scenario value: key.path=value, e.g. platforms[0].take_rate=0.3 "
                     "(repeatable; 'gigsim params' lists the keys)");
  return opts;
}

// Warns (stderr) when client demand and the workers' hours are far apart.
void warn_market_balance(const ScenarioSpec& spec, const Context& ctx, bool quiet) {
  const std::string warning = scenario::market_balance_warning(spec);
  if (!warning.empty() && !quiet) ctx.err << "gigsim: warning: " << warning << "\n";
}

}  // namespace

std::string default_checkpoint_path(const std::string& output_path) {
  return output_path + ".ckpt";
}

int execute(RunSetup& setup, const Context& ctx, Observer* summaries) {
  check_resources(setup);
  const ScenarioSpec& spec = setup.spec;
  const int threads = setup.threads == 0 ? tbb::info::default_concurrency() : setup.threads;
  const checkpoint::Provenance ck_prov{
      setup.provenance.gigsim_version, setup.provenance.git_commit, setup.provenance.scenario_file,
      setup.provenance.scenario_yaml, setup.provenance.seed_source};
  // The writer is created before the run so an unwritable destination fails at once.
  output::Hdf5Writer writer(setup.output_path, setup.provenance);
  output::SummaryPrinter summary(ctx.out);
  Progress progress(ctx.stderr_is_terminal && ctx.progress ? *ctx.progress : ctx.err, setup.format,
                    ctx.stderr_is_terminal);
  checkpoint::EventLog log;
  Simulation sim(spec, ExecutionContext{threads, kCheckConservation});
  if (setup.from) {
    checkpoint::Checkpoint& ck = *setup.from;
    try {
      sim.restore(ck.state);
      if (sim.current_step() != ck.step)
        throw RestoreError("the engine's section is at week " + std::to_string(sim.current_step()) +
                           ", the checkpoint at week " + std::to_string(ck.step));
    } catch (const std::invalid_argument& e) {
      throw checkpoint::CheckpointError("checkpoint does not fit the scenario: " +
                                        std::string(e.what()));
    }
    if (setup.open_umbrella_coop) sim.open_umbrella_coop();
    log = std::move(ck.log);
    // Observers that were not there before the checkpoint hear the run's history first.
    log.replay(writer, sim.run_info());
    summary.on_start(sim.run_info());
    progress.on_start(sim.run_info());
  }
  sim.add_observer(writer);
  sim.add_observer(summaries != nullptr ? *summaries : summary);
  sim.add_observer(log);
  if (!setup.quiet) sim.add_observer(progress);
  if (!setup.quiet && setup.format == LogFormat::text) {
    ctx.err << "gigsim: " << spec.name << ": " << spec.workers.count << " workers, "
            << spec.run.weeks << " weeks, seed " << spec.run.seed << " ("
            << setup.provenance.seed_source << "), " << threads << " thread(s)";
    if (setup.from) ctx.err << ", continuing from week " << sim.current_step();
    ctx.err << "\n";
  } else if (!setup.quiet) {
    ctx.err << json_line({{"event", "start"},
                          {"scenario", spec.name},
                          {"workers", spec.workers.count},
                          {"weeks", spec.run.weeks},
                          {"seed", spec.run.seed},
                          {"threads", threads},
                          {"from_week", sim.current_step()}});
  }

  // A checkpoint that cannot be written (a full disk) fails the run (exit 1); CheckpointError
  // is for checkpoints that cannot be read (bad input, exit 2).
  const auto save_checkpoint = [&] {
    try {
      checkpoint::save(setup.checkpoint_path, ck_prov, sim, log);
    } catch (const checkpoint::CheckpointError& e) {
      throw std::runtime_error(e.what());
    }
  };
  StopOnSignals stop_on_signals;
  while (g_stop_signal == 0 && sim.step()) {
    const std::uint32_t done = sim.current_step();
    if (setup.checkpoint_every > 0 && done % setup.checkpoint_every == 0 && done < spec.run.weeks)
      save_checkpoint();
  }
  const int stop_signal = g_stop_signal;
  if (stop_signal != 0 && sim.current_step() < spec.run.weeks) {
    save_checkpoint();
    // Where the files will be once written (a replication folder is renamed into place after).
    const std::string& shown_output =
        setup.shown_output_path.empty() ? setup.output_path : setup.shown_output_path;
    const std::string shown_checkpoint = default_checkpoint_path(shown_output);
    const std::string& checkpoint_path =
        setup.shown_output_path.empty() ? setup.checkpoint_path : shown_checkpoint;
    writer.mark_incomplete("stopped by signal " + std::to_string(stop_signal) + " after week " +
                           std::to_string(sim.current_step()) +
                           "; continue with: gigsim run "
                           "--resume " +
                           checkpoint_path);
    sim.finish();
    writer.commit();
    ctx.err << "gigsim: stopped after week " << sim.current_step() << " of " << spec.run.weeks
            << "; wrote the partial run (marked incomplete) to " << shown_output
            << " and a checkpoint to " << checkpoint_path
            << "\ngigsim: continue with: gigsim run --resume " << checkpoint_path << " -o "
            << shown_output << "\n";
    return 128 + stop_signal;
  }
  sim.finish();
  writer.commit();
  const std::string& written =
      setup.shown_output_path.empty() ? setup.output_path : setup.shown_output_path;
  if (!setup.quiet && setup.format == LogFormat::text) {
    ctx.err << "gigsim: wrote " << written << "\n";
  } else if (!setup.quiet) {
    ctx.err << json_line({{"event", "done"}, {"output", written}});
  }
  return kExitOk;
}

namespace {

// Options shared by run, resume and branch.
struct CommonOptions {
  std::string output_path;
  int threads = 0;
  bool quiet = false;
  std::string log_format = "text";
  std::uint32_t checkpoint_every = 0;
  std::string checkpoint_path;
  std::string label;

  void add_to(po::options_description& opts) {
    opts.add_options()("output,o", po::value(&output_path), "output HDF5 file")(
        "label", po::value(&label),
        "name of this run in reports (stored in the file; runs of one scenario share it), e.g. "
        "--label 'fee 5.5%'")(
        "threads,t", whole_number_option("threads", &threads, 0, kMaxThreads),
        "worker threads; 0 = all cores (at most 4096). Results are identical for any value")(
        "quiet,q", po::bool_switch(&quiet), "no progress on stderr")(
        "log-format", po::value(&log_format)->default_value("text"),
        "progress format: text (a bar on a terminal, lines otherwise) or json (one object per "
        "line)")("checkpoint-every",
                 whole_number_option("checkpoint-every", &checkpoint_every, std::uint32_t{0},
                                     std::numeric_limits<std::uint32_t>::max()),
                 "write a checkpoint every K weeks (0: only when stopped by a signal: SIGINT, "
                 "SIGTERM, SIGHUP)")(
        "checkpoint", po::value(&checkpoint_path),
        "checkpoint file (default: OUT.h5.ckpt); the last good one is kept");
  }
  void apply(const std::string& command, RunSetup& setup) const {
    if (log_format != "text" && log_format != "json")
      throw UsageError(command, "--log-format must be 'text' or 'json', not '" + log_format + "'");
    if (label.size() > 200 || !scenario::valid_utf8(label) ||
        std::any_of(label.begin(), label.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; }))
      throw UsageError(command, "--label must be UTF-8 text of at most 200 bytes on one line");
    setup.provenance.label = label;
    setup.threads = threads;
    setup.quiet = quiet;
    setup.format = log_format == "json" ? LogFormat::json : LogFormat::text;
    setup.checkpoint_every = checkpoint_every;
    setup.checkpoint_path =
        checkpoint_path.empty() ? default_checkpoint_path(setup.output_path) : checkpoint_path;
  }
};

// "run.h5.ckpt" -> "run.h5": where a resumed run writes unless told otherwise.
std::string output_beside(const std::string& checkpoint_path) {
  const std::string suffix = ".ckpt";
  if (checkpoint_path.size() > suffix.size() &&
      checkpoint_path.compare(checkpoint_path.size() - suffix.size(), suffix.size(), suffix) == 0)
    return checkpoint_path.substr(0, checkpoint_path.size() - suffix.size());
  return checkpoint_path + ".h5";
}

int run_command(const std::vector<std::string>& args, const Context& ctx) {
  std::string scenario_path, resume_path;
  int replications = 1;
  std::uint64_t seed_value = 0;
  std::vector<std::string> overrides;
  CommonOptions common;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "seed",
      whole_number_option("seed", &seed_value, std::uint64_t{0},
                          std::numeric_limits<std::uint64_t>::max(), false),
      "run seed (overrides run.seed in the scenario)")(
      "resume", po::value(&resume_path),
      "continue a stopped or killed run from its checkpoint (no SCENARIO, --seed or --set)")(
      "replications,r", whole_number_option("replications", &replications, 1, 10000),
      "R runs with independent seeds (the first is the scenario's): -o names a folder that "
      "receives them all (rep000.h5 ... and manifest.json; default NAME_runs/), which gigsim "
      "report reads as it is; the table shows means and 95% intervals across them");
  common.add_to(opts);
  opts.add(scenario_options(overrides));
  po::options_description all;
  all.add(opts).add_options()("scenario", po::value(&scenario_path));
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse("run", args, all, pos);

  if (vm.count("help")) {
    ctx.out << "Usage: gigsim run SCENARIO.yaml [options]\n"
               "       gigsim run --resume CHECKPOINT [-o OUT.h5] [options]\n\n"
            << "Simulates the scenario week by week and writes an HDF5 file "
               "(docs/output-format.md),\nthen prints income stability and training access by "
               "group. SIGINT, SIGTERM or SIGHUP stops it\nafter the current week with a "
               "checkpoint and a partial output marked incomplete.\nWithout -o the output is "
               "named after the scenario, in the working folder.\n\n"
            << opts
            << "\nExamples:\n  gigsim run scenarios/baseline.yaml -o baseline.h5 --threads 2\n"
               "  gigsim run scenarios/with_umbrella_coop.yaml --set run.weeks=104 --seed 7\n"
               "  gigsim run scenarios/with_umbrella_coop.yaml -r 10 -o coop_runs   # 10 seeds\n"
               "  gigsim run scenarios/baseline.yaml -o b.h5 --checkpoint-every 52\n"
               "  gigsim run --resume b.h5.ckpt\n";
    return kExitOk;
  }

  RunSetup setup;
  setup.replications = replications;
  if (!resume_path.empty()) {
    if (replications > 1)
      throw UsageError("run", "--replications cannot be combined with --resume");
    if (!scenario_path.empty() || vm.count("seed") || !overrides.empty())
      throw UsageError("run",
                       "--resume continues the checkpoint's own scenario; to change "
                       "parameters use 'gigsim branch'");
    checkpoint::Checkpoint ck = checkpoint::load(resume_path, version());
    setup.spec = scenario::load_string(ck.provenance.scenario_yaml, resume_path + " (scenario)");
    setup.output_path =
        common.output_path.empty() ? output_beside(resume_path) : common.output_path;
    setup.provenance = {version(),
                        git_commit(),
                        ck.provenance.scenario_file,
                        ck.provenance.scenario_yaml,
                        ck.provenance.seed_source,
                        "",
                        resume_path,
                        "",
                        ""};
    // The checkpoint does not record a branch point: a resumed branch counts as a fresh run of
    // its scenario.
    setup.provenance.scenario_hash = scenario::scenario_hash(setup.spec);
    if (ck.provenance.git_commit != git_commit() && !common.quiet)
      ctx.err << "gigsim: warning: the checkpoint was written by commit "
              << ck.provenance.git_commit << ", this is " << git_commit()
              << "; results may differ from an uninterrupted run\n";
    setup.from = std::move(ck);
    common.apply("run", setup);
    if (common.checkpoint_path.empty()) setup.checkpoint_path = resume_path;
    // The run's checkpoints replace the one it continues from (by design); nothing else may.
    check_outputs("run", setup, {{resume_path, "the checkpoint it resumes from"}},
                  os::same_file(setup.checkpoint_path, resume_path), ctx);
    return execute(setup, ctx);
  }

  if (scenario_path.empty()) throw UsageError("run", "missing SCENARIO.yaml (or --resume CKPT)");
  std::optional<std::uint64_t> seed;
  if (vm.count("seed")) {
    seed = seed_value;
    overrides.push_back("run.seed=" + std::to_string(*seed));
  }
  setup.spec = scenario::load_file(scenario_path, overrides);
  std::string seed_source = "default";
  if (seed) {
    seed_source = "command line";
  } else if (scenario::sets_key(scenario_path, "run.seed", overrides)) {
    seed_source = "scenario";
  }
  // Named after the scenario unless -o says otherwise: in the working folder, whatever the name.
  const std::string default_output =
      file_name_from(setup.spec.name) + (replications > 1 ? "_runs" : ".h5");
  setup.output_path = common.output_path.empty() ? default_output : common.output_path;
  setup.provenance = {version(),
                      git_commit(),
                      scenario_path,
                      scenario::to_yaml(setup.spec),
                      seed_source,
                      "",
                      "",
                      "",
                      ""};
  setup.provenance.scenario_hash = scenario::scenario_hash(setup.spec);
  common.apply("run", setup);
  warn_market_balance(setup.spec, ctx, common.quiet);
  if (replications > 1) {
    if (!common.checkpoint_path.empty())
      throw UsageError("run",
                       "--checkpoint names one file; with -r R each run's checkpoint goes "
                       "beside it in the folder");
    if (setup.output_path.ends_with(".h5"))
      throw UsageError("run", "with -r R, -o names a folder for the R run files (e.g. -o " +
                                  setup.output_path.substr(0, setup.output_path.size() - 3) +
                                  "_runs), not a .h5 file");
    check_file_roles("run", {{scenario_path, "the scenario file"}},
                     {{setup.output_path, "the output folder (-o)", true}});
    return execute_replications(setup, ctx);
  }
  check_outputs("run", setup, {{scenario_path, "the scenario file"}}, false, ctx);
  return execute(setup, ctx);
}

int branch_command(const std::vector<std::string>& args, const Context& ctx) {
  std::string checkpoint_path;
  std::vector<std::string> overrides;
  CommonOptions common;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help");
  common.add_to(opts);
  opts.add(scenario_options(overrides));
  po::options_description all;
  all.add(opts).add_options()("checkpoint-in", po::value(&checkpoint_path));
  po::positional_options_description pos;
  pos.add("checkpoint-in", 1);
  const po::variables_map vm = parse("branch", args, all, pos);
  if (vm.count("help")) {
    ctx.out << "Usage: gigsim branch CHECKPOINT -o OUT.h5 [--set key.path=value]... [options]\n\n"
            << "Starts a counterfactual from a warmed-up market: the checkpoint's state with "
               "changed\nparameters (a policy or a cooperative introduced mid-run). Branches share "
               "the run's seed,\nso with and without a policy see the same random draws. "
               "Parameters that only shape the\ninitial market, the payout schedules, the seed "
               "and the output panel cannot change.\n\n"
            << opts
            << "\nExamples:\n  gigsim run scenarios/baseline.yaml -o warm.h5 --set run.weeks=520 "
               "--checkpoint-every 156\n"
               "  gigsim branch warm.h5.ckpt -o coop.h5 --set umbrella_coop.enabled=true --set "
               "umbrella_coop.initial_member_share=0.3\n"
               "  gigsim branch warm.h5.ckpt -o no_coop.h5\n";
    return kExitOk;
  }
  if (checkpoint_path.empty()) throw UsageError("branch", "missing CHECKPOINT");
  if (common.output_path.empty()) throw UsageError("branch", "missing -o OUT.h5");
  checkpoint::Checkpoint ck = checkpoint::load(checkpoint_path, version());
  const ScenarioSpec before =
      scenario::load_string(ck.provenance.scenario_yaml, checkpoint_path + " (scenario)");
  RunSetup setup;
  setup.spec = scenario::load_string(ck.provenance.scenario_yaml, checkpoint_path + " (scenario)",
                                     overrides);
  const BranchPlan plan = plan_branch(before, setup.spec, ck.step);
  setup.open_umbrella_coop = plan.opens_umbrella_coop;
  setup.output_path = common.output_path;
  setup.provenance = {version(),
                      git_commit(),
                      ck.provenance.scenario_file,
                      scenario::to_yaml(setup.spec),
                      ck.provenance.seed_source,
                      checkpoint_path + " at week " + std::to_string(ck.step),
                      "",
                      "",
                      ""};
  // A branch is its own experiment: the scenario it continues, the week and its own scenario.
  setup.provenance.scenario_hash = scenario::text_hash128(
      "branch of " + scenario::scenario_hash(before) + " at week " + std::to_string(ck.step) +
      " into " + scenario::scenario_hash(setup.spec));
  common.apply("branch", setup);
  check_outputs("branch", setup, {{checkpoint_path, "the checkpoint it branches from"}}, false,
                ctx);
  if (!common.quiet) {
    for (const auto& change : plan.changed) ctx.err << "gigsim: branch changes " << change << "\n";
  }
  setup.from = std::move(ck);
  return execute(setup, ctx);
}

int scenario_command(const std::vector<std::string>& args, const Context& ctx) {
  std::string action, path;
  std::vector<std::string> overrides;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help");
  opts.add(scenario_options(overrides));
  po::options_description all;
  all.add(opts).add_options()("action", po::value(&action))("scenario", po::value(&path));
  po::positional_options_description pos;
  pos.add("action", 1).add("scenario", 1);
  const po::variables_map vm = parse("scenario", args, all, pos);
  if (vm.count("help")) {
    ctx.out << "Usage: gigsim scenario check|show SCENARIO.yaml [--set key.path=value]...\n\n"
            << "  check  validate the scenario (keys, types, ranges, cross-field rules) without "
               "running it\n"
            << "  show   print the resolved scenario: every parameter, defaults filled in\n\n"
            << opts
            << "\nExamples:\n  gigsim scenario check scenarios/with_umbrella_coop.yaml\n"
               "  gigsim scenario show scenarios/baseline.yaml --set run.weeks=52\n";
    return kExitOk;
  }
  if (action != "check" && action != "show")
    throw UsageError("scenario", action.empty()
                                     ? "missing action: check or show"
                                     : "unknown action '" + action + "' (check or show)");
  if (path.empty()) throw UsageError("scenario", "missing SCENARIO.yaml");
  const ScenarioSpec spec = scenario::load_file(path, overrides);
  if (action == "show") {
    ctx.out << scenario::to_yaml(spec);
  } else {
    // The mechanisms switched on, so a reader sees at once what the scenario compares.
    std::vector<std::string> on;
    if (spec.umbrella_coop.enabled) on.emplace_back("umbrella cooperative");
    if (spec.umbrella_coop.enabled && spec.umbrella_coop.membership_review_probability > 0)
      on.emplace_back("membership decisions");
    for (const auto& p : spec.platforms)
      if (p.cooperative.enabled) on.push_back("platform cooperative " + p.name);
    if (spec.peer_learning.enabled) on.emplace_back("peer learning");
    if (spec.workers.recruitment_bias > 0 && spec.workers.far_from_market_share > 0)
      on.emplace_back("recruitment bias");
    for (const MechanismInfo& m : mechanisms())
      for (std::string& label : m.labels(spec)) on.push_back(std::move(label));
    std::string mechanisms;
    for (const auto& m : on) mechanisms += (mechanisms.empty() ? "" : ", ") + m;
    ctx.out << path << ": ok: scenario '" << spec.name << "', " << spec.workers.count
            << " workers, " << spec.sectors.size() << " sectors, " << spec.platforms.size()
            << " platforms, " << spec.run.weeks << " weeks; on: "
            << (mechanisms.empty() ? "no cooperative or optional mechanism" : mechanisms) << "\n";
    const scenario::MarketBalance balance = scenario::market_balance(spec);
    ctx.out << "  market: client demand " << fmt::format("{:.0f}", balance.demand_hours)
            << " paid hours a week, " << fmt::format("{:.0f}", 100 * balance.ratio)
            << "% of what the workers can work\n";
    warn_market_balance(spec, ctx, false);
  }
  return kExitOk;
}

int params_command(const std::vector<std::string>& args, const Context& ctx) {
  std::string format = "text";
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "format", po::value(&format)->default_value("text"), "text, markdown or tsv");
  const po::variables_map vm = parse("params", args, opts, {});
  if (vm.count("help")) {
    ctx.out << "Usage: gigsim params [--format text|markdown|tsv]\n\n"
            << "Lists every scenario parameter with its type, default, unit, range and source,\n"
               "generated from the schema the scenario parser uses.\n\n"
            << opts << "\nExample:\n  gigsim params --format markdown > docs/parameters.md\n";
    return kExitOk;
  }
  const std::vector<scenario::ParamInfo> rows = scenario::list_params();
  if (format == "tsv") {
    ctx.out << "path\ttype\tdefault\tunit\trange\tsource\tdescription\n";
    for (const auto& r : rows) {
      ctx.out << r.path << '\t' << r.type << '\t' << r.default_value << '\t' << r.unit << '\t'
              << r.range << '\t' << r.source << '\t' << r.description << '\n';
    }
  } else if (format == "markdown") {
    const auto cell = [](std::string s) {
      std::string out;
      for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
      return out;
    };
    ctx.out << "# Scenario parameters\n\nGenerated by `gigsim params --format markdown` from the "
               "schema the scenario parser uses; do not edit by hand.\n\n"
               "| key | type | default | unit | range | source | description |\n"
               "|---|---|---|---|---|---|---|\n";
    for (const auto& r : rows) {
      ctx.out << "| `" << r.path << "` | " << cell(r.type) << " | " << cell(r.default_value)
              << " | " << cell(r.unit) << " | " << cell(r.range) << " | " << cell(r.source) << " | "
              << cell(r.description) << " |\n";
    }
  } else if (format == "text") {
    for (const auto& r : rows) {
      ctx.out << r.path << " (" << r.type << ", default " << r.default_value;
      if (!r.unit.empty()) ctx.out << ", " << r.unit;
      if (!r.range.empty()) ctx.out << ", range " << r.range;
      ctx.out << ")\n    " << r.description;
      if (!r.source.empty()) ctx.out << "\n    source: " << r.source;
      ctx.out << "\n";
    }
  } else {
    throw UsageError("params", "--format must be text, markdown or tsv, not '" + format + "'");
  }
  return kExitOk;
}

// `gigsim report` and `gigsim export` are the Python analysis package's commands (Debian's
// python3 with h5py, pandas, matplotlib, scipy, jinja2): this only finds the interpreter that has
// gigsim_analysis installed and hands over the arguments. GIGSIM_PYTHON (environment) names it;
// by default it is the one chosen when gigsim was configured (the build's analysis-env).
int analysis_command(const std::string& command, const std::vector<std::string>& args,
                     const Context& ctx) {
  const char* env_python = std::getenv("GIGSIM_PYTHON");
  const std::string python =
      env_python != nullptr && *env_python != '\0' ? env_python : GIGSIM_ANALYSIS_PYTHON;
  if (::access(python.c_str(), X_OK) != 0) {
    ctx.err << "gigsim: " << command << ": no Python interpreter at " << python
            << "; the build installs the analysis package into BUILD/analysis-env "
               "(scripts/install-analysis.sh ENV does it by hand); set GIGSIM_PYTHON to a "
               "python3 that has gigsim_analysis\n";
    return kExitRuntime;
  }
  // A clear message, not a traceback, when the interpreter lacks the package.
  const std::string bootstrap =
      "import sys\n"
      "try:\n"
      "    from gigsim_analysis.__main__ import main\n"
      "except ImportError as e:\n"
      "    sys.exit('gigsim: " +
      command +
      ": ' + sys.executable + ' cannot import the analysis package (' + str(e) + '); install "
      "it with scripts/install-analysis.sh ENV and set GIGSIM_PYTHON=ENV/bin/python3')\n"
      "sys.exit(main(sys.argv[1:]))\n";
  std::vector<std::string> argv_strings = {python, "-c", bootstrap, command};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  ::setenv("GIGSIM_CALLED_AS", "gigsim", 1);
  ctx.out.flush();
  ctx.err.flush();
  std::signal(SIGPIPE, SIG_DFL);  // as a program started from a shell has it
  ::execv(argv[0], argv.data());
  ctx.err << "gigsim: " << command << ": cannot run " << python << ": " << std::strerror(errno)
          << "\n";
  return kExitRuntime;
}

// The commands, with the exit codes of every error (main() below makes the text printable).
int run_main(int argc, char** argv, const Context& ctx) {
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      (args.empty() ? ctx.err : ctx.out) << kTopUsage;
      return args.empty() ? kExitBadInput : kExitOk;
    }
    if (args[0] == "--version") {
      ctx.out << "gigsim " << version() << " (" << git_commit() << ")\n";
      return kExitOk;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    if (command == "run") return run_command(args, ctx);
    if (command == "branch") return branch_command(args, ctx);
    if (command == "scenario") return scenario_command(args, ctx);
    if (command == "params") return params_command(args, ctx);
    if (command == "schedule") return schedule_command(args, ctx);
    if (command == "report" || command == "export" || command == "sensitivity")
      return analysis_command(command, args, ctx);
    if (command == "sweep") return sweep_command(args, ctx);
    if (command == "validate") return validate_command(args, ctx);
    throw UsageError("gigsim", "unknown command '" + command + "'");
  } catch (const UsageError& e) {
    ctx.err << "gigsim: " << e.what() << "\nTry 'gigsim "
            << (e.help_command == "gigsim" ? "" : e.help_command + " ") << "--help'.\n";
    return kExitBadInput;
  } catch (const scenario::ScenarioError& e) {
    ctx.err << e.what() << "\n";
    ctx.err << "gigsim: nothing was run or written; fix the scenario and try again ('gigsim "
               "params' lists every key, 'gigsim scenario check FILE' re-checks it).\n";
    return kExitBadInput;
  } catch (const ResourceError& e) {
    ctx.err << "gigsim: refused: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const sweep::LockError& e) {
    ctx.err << "gigsim: refused: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const checkpoint::CheckpointError& e) {
    ctx.err << "gigsim: checkpoint error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const output::OutputError& e) {
    const std::string what = e.what();
    if (what.find("memory allocation failed") != std::string::npos) {  // HDF5 out of memory
      ctx.err << "gigsim: refused: ran out of memory writing the output: " << what
              << "\ngigsim: use output.panel: sampled or none (--set output.panel=none), fewer "
                 "workers, or a larger machine; no partial file was left.\n";
      return kExitBadInput;
    }
    // HDF5 reports the failed write with its errno (28: ENOSPC, 122: EDQUOT).
    const bool disk_full = what.find("No space left on device") != std::string::npos ||
                           what.find("Disk quota exceeded") != std::string::npos;
    ctx.err << "gigsim: output error: " << what
            << (disk_full ? "\ngigsim: the disk (or quota) where the output goes is full; free "
                            "space or write elsewhere (-o PATH); no partial file was left.\n"
                          : "\ngigsim: check that the output folder exists and is writable (-o "
                            "PATH).\n");
    return kExitRuntime;
  } catch (const std::bad_alloc&) {
    // More than the memory checks foresaw (or than a limit set since): refused like what they
    // catch, and like it nothing is left half written.
    std::string limit = "the memory available";
    try {
      limit = os::memory_budget(1).limited_by;
    } catch (...) {  // reading the limits needs memory too
    }
    ctx.err << "gigsim: refused: out of memory (the limit: " << limit
            << "); for a run, lower workers.count (--set workers.count=N) or the threads, or use "
               "a larger machine\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    ctx.err << "gigsim: run failed: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace

int main(int argc, char** argv, const Context& ctx) {
  // Everything goes out as printable text: a key, a name or a path from a file or a checkpoint
  // cannot send control characters (ESC sequences retitle or clear a terminal) through any
  // message, whichever code printed it.
  os::PrintableBuffer out_buffer(ctx.out.rdbuf());
  os::PrintableBuffer err_buffer(ctx.err.rdbuf());
  std::ostream out(&out_buffer);
  std::ostream err(&err_buffer);
  const int code =
      run_main(argc, argv,
               Context{out, err, ctx.stderr_is_terminal, ctx.progress ? ctx.progress : &ctx.err});
  out.flush();
  err.flush();
  return code;
}

int main(int argc, char** argv, std::ostream& out, std::ostream& err) {
  return main(argc, argv, Context{out, err, false});
}

int main(int argc, char** argv) {
  // A reader that goes away (gigsim run ... | head -1) must not kill the run half way: writes to
  // the closed pipe fail instead, and the run finishes its file.
  std::signal(SIGPIPE, SIG_IGN);
  return main(argc, argv, Context{std::cout, std::cerr, ::isatty(STDERR_FILENO) == 1});
}

}  // namespace gigsim::cli
