#include "gigsim/app.hpp"

#include <oneapi/tbb/info.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "gigsim/build_info.hpp"
#include "gigsim/output.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/simulation.hpp"

namespace po = boost::program_options;

namespace gigsim::cli {

namespace {

// Bad command-line arguments: exit 2 with a hint naming the command's help.
struct UsageError : std::runtime_error {
  UsageError(const std::string& command, const std::string& what)
      : std::runtime_error(command + ": " + what), help_command(command) {}
  std::string help_command;
};

constexpr const char* kTopUsage =
    R"(gigsim - agent-based simulation of gig labour markets with and without cooperatives

Usage:
  gigsim run SCENARIO.yaml [-o OUT.h5] [--threads N] [--seed S] [--set key.path=value]...
  gigsim scenario check SCENARIO.yaml [--set key.path=value]...
  gigsim scenario show SCENARIO.yaml [--set key.path=value]...
  gigsim params [--format text|markdown|tsv]
  gigsim report RUN.h5... -o DIR [--baseline NAME]
  gigsim --version

Commands:
  run       simulate one scenario and write its trajectories to HDF5
  scenario  check a scenario without running it, or show it with every default filled in
  params    list every scenario parameter with type, default, unit, range and source
  report    compare runs (with and without cooperatives) in an HTML report (Python, analysis/)

Example:
  gigsim run scenarios/with_umbrella_coop.yaml -o coop.h5 --set umbrella_coop.fee_rate=0.05

'gigsim COMMAND --help' describes each command.
Exit codes: 0 success, 1 the run failed, 2 bad scenario or arguments.
)";

enum class LogFormat { text, json };

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
    char line[256];
    if (format_ == LogFormat::json) {
      std::snprintf(line, sizeof line,
                    "{\"event\":\"progress\",\"week\":%u,\"weeks\":%u,\"percent\":%u,"
                    "\"elapsed_s\":%.3f,\"eta_s\":%.3f,\"worker_steps_per_s\":%.0f}\n",
                    done, weeks_, percent, elapsed, eta, rate);
      *err_ << line;
    } else if (terminal_) {
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(kWidth * done / weeks_);
      std::snprintf(line, sizeof line,
                    "\r[%s%s] %3u%% week %u/%u  %.2fM worker-steps/s  ETA %.0f s ",
                    std::string(static_cast<std::size_t>(filled), '#').c_str(),
                    std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(), percent,
                    done, weeks_, rate / 1e6, eta);
      *err_ << line << (last_step ? "\n" : "") << std::flush;
    } else {
      std::snprintf(line, sizeof line,
                    "gigsim: week %u/%u (%u%%), %.1f s elapsed, ETA %.0f s, %.2fM worker-steps/s\n",
                    done, weeks_, percent, elapsed, eta, rate / 1e6);
      *err_ << line;
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

std::string json_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

// Parses args against `opts` (plus positionals); throws UsageError for the command.
po::variables_map parse(const std::string& command, const std::vector<std::string>& args,
                        const po::options_description& opts,
                        const po::positional_options_description& pos) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(command, e.what());
  }
  return vm;
}

po::options_description scenario_options(std::vector<std::string>& overrides) {
  po::options_description opts("Scenario options");
  opts.add_options()("set", po::value(&overrides)->composing(),
                     "override a scenario value: key.path=value, e.g. platforms[0].take_rate=0.3 "
                     "(repeatable; 'gigsim params' lists the keys)");
  return opts;
}

int run_command(const std::vector<std::string>& args, const Context& ctx) {
  std::string scenario_path;
  std::string output_path;
  std::string log_format = "text";
  int threads = 0;
  std::vector<std::string> overrides;
  bool quiet = false;

  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&output_path),
      "output HDF5 file (default: <scenario name>.h5 in the current directory)")(
      "threads,t", po::value(&threads)->default_value(0),
      "worker threads; 0 = all cores. Results are identical for any value")(
      "seed", po::value<std::uint64_t>(), "run seed (overrides run.seed in the scenario)")(
      "quiet,q", po::bool_switch(&quiet), "no progress on stderr")(
      "log-format", po::value(&log_format)->default_value("text"),
      "progress format: text (a bar on a terminal, lines otherwise) or json (one object per "
      "line)");
  opts.add(scenario_options(overrides));
  po::options_description all;
  all.add(opts).add_options()("scenario", po::value(&scenario_path));
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse("run", args, all, pos);

  if (vm.count("help")) {
    ctx.out << "Usage: gigsim run SCENARIO.yaml [options]\n\n"
            << "Simulates the scenario week by week and writes an HDF5 file "
               "(docs/output-format.md),\nthen prints income stability and training access by "
               "group.\n\n"
            << opts
            << "\nExamples:\n  gigsim run scenarios/baseline.yaml -o baseline.h5 --threads 2\n"
               "  gigsim run scenarios/with_umbrella_coop.yaml --set run.weeks=104 --seed 7\n";
    return kExitOk;
  }
  if (scenario_path.empty()) throw UsageError("run", "missing SCENARIO.yaml");
  if (threads < 0) throw UsageError("run", "--threads must be 0 (all cores) or positive");
  if (log_format != "text" && log_format != "json")
    throw UsageError("run", "--log-format must be 'text' or 'json', not '" + log_format + "'");
  const LogFormat format = log_format == "json" ? LogFormat::json : LogFormat::text;
  std::optional<std::uint64_t> seed;
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
  output::SummaryPrinter summary(ctx.out);
  Progress progress(ctx.err, format, ctx.stderr_is_terminal);
  Simulation sim(spec, ExecutionContext{threads});
  sim.add_observer(writer);
  sim.add_observer(summary);
  if (!quiet) sim.add_observer(progress);
  if (!quiet && format == LogFormat::text) {
    ctx.err << "gigsim: " << spec.name << ": " << spec.workers.count << " workers, "
            << spec.run.weeks << " weeks, seed " << spec.run.seed << " (" << seed_source << "), "
            << threads << " thread(s)\n";
  } else if (!quiet) {
    ctx.err << "{\"event\":\"start\",\"scenario\":\"" << json_escape(spec.name)
            << "\",\"workers\":" << spec.workers.count << ",\"weeks\":" << spec.run.weeks
            << ",\"seed\":" << spec.run.seed << ",\"threads\":" << threads << "}\n";
  }
  sim.run();
  writer.commit();
  if (!quiet && format == LogFormat::text) {
    ctx.err << "gigsim: wrote " << output_path << "\n";
  } else if (!quiet) {
    ctx.err << "{\"event\":\"done\",\"output\":\"" << json_escape(output_path) << "\"}\n";
  }
  return kExitOk;
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
    ctx.out << path << ": ok: scenario '" << spec.name << "', " << spec.workers.count
            << " workers, " << spec.sectors.size() << " sectors, " << spec.platforms.size()
            << " platforms, " << spec.run.weeks << " weeks, umbrella cooperative "
            << (spec.umbrella_coop.enabled ? "on" : "off") << "\n";
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

// The report is written by the Python analysis package (Debian's python3 with h5py, pandas,
// matplotlib); this command only finds it and runs it with the same arguments.
int report_command(const std::vector<std::string>& args, const Context& ctx) {
  const char* env_dir = std::getenv("GIGSIM_ANALYSIS_DIR");
  const std::string analysis_dir = env_dir ? env_dir : GIGSIM_ANALYSIS_DIR;
  if (!std::filesystem::exists(std::filesystem::path(analysis_dir) / "gigsim_analysis")) {
    ctx.err << "gigsim: report: the analysis package is not at " << analysis_dir
            << "; set GIGSIM_ANALYSIS_DIR to the folder that holds gigsim_analysis/\n";
    return kExitRuntime;
  }
  std::vector<std::string> argv_strings = {"/usr/bin/python3", "-m", "gigsim_analysis", "report"};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string pythonpath = analysis_dir;
  ::setenv("PYTHONPATH", pythonpath.c_str(), 1);
  ctx.out.flush();
  ctx.err.flush();
  ::execv(argv[0], argv.data());
  ctx.err << "gigsim: report: cannot run /usr/bin/python3 (install python3, python3-h5py, "
             "python3-pandas and python3-matplotlib)\n";
  return kExitRuntime;
}

}  // namespace

int main(int argc, char** argv, const Context& ctx) {
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
    if (command == "scenario") return scenario_command(args, ctx);
    if (command == "params") return params_command(args, ctx);
    if (command == "report") return report_command(args, ctx);
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
  } catch (const output::OutputError& e) {
    ctx.err << "gigsim: output error: " << e.what()
            << "\ngigsim: check that the output folder exists and is writable (-o PATH).\n";
    return kExitRuntime;
  } catch (const std::exception& e) {
    ctx.err << "gigsim: run failed: " << e.what() << "\n";
    return kExitRuntime;
  }
}

int main(int argc, char** argv, std::ostream& out, std::ostream& err) {
  return main(argc, argv, Context{out, err, false});
}

int main(int argc, char** argv) {
  return main(argc, argv, Context{std::cout, std::cerr, ::isatty(STDERR_FILENO) == 1});
}

}  // namespace gigsim::cli
