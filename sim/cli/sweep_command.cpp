// gigsim sweep: a parameter sweep with replications, on this machine, under mpirun, or written
// out as a Slurm batch script (docs/sweeps.md).
#include <fmt/format.h>
#include <oneapi/tbb/info.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>

#include "common.hpp"
#include "gigsim/build_info.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/simulation.hpp"
#include "gigsim/sweep.hpp"
#include "gigsim/sweep_exec.hpp"

namespace po = boost::program_options;

namespace gigsim::cli {

namespace {

// Runs below this many worker-steps are done several at once, one thread each; larger ones one
// at a time with every thread (a 10,000-worker, 260-week run is 2.6 million).
constexpr double kSmallRunWorkerSteps = 5e7;

std::string program_identity() {
  return std::string(version()) + " " + git_commit();
}

struct SweepOptions {
  std::string sweep_path, output_path, log_format = "text";
  int threads = 0, jobs = 0;
  bool quiet = false, keep_runs = false, list = false, slurm = false;
  sweep::SlurmOptions slurm_options;
  std::string slurm_script_path;
};

// Progress of a sweep on stderr: a redrawn bar on a terminal, a line per run (thinned for
// large sweeps) otherwise, JSON lines with --log-format json.
class SweepProgress {
 public:
  SweepProgress(const Context& ctx, LogFormat format, bool quiet, std::size_t total,
                const sweep::SweepSpec& spec)
      : ctx_(&ctx),
        format_(format),
        quiet_(quiet),
        total_(total),
        spec_(&spec),
        start_(std::chrono::steady_clock::now()) {}

  void operator()(const sweep::RunPlan& plan, const sweep::RunRecord& record, double seconds,
                  std::size_t done, std::size_t) {
    if (!record.ok) ++failed_;
    if (quiet_) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
    const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    const std::string& variant = spec_->variants[plan.variant].name;
    if (format_ == LogFormat::json) {
      ctx_->err << json_line({{"event", "run"},
                              {"run", plan.index},
                              {"point", plan.point},
                              {"replication", plan.replication},
                              {"variant", variant},
                              {"ok", record.ok},
                              {"seconds", seconds},
                              {"done", done},
                              {"total", total_},
                              {"eta_s", eta}});
    } else if (ctx_->stderr_is_terminal) {
      constexpr int kWidth = 30;
      const int filled = total_ ? static_cast<int>(kWidth * done / total_) : kWidth;
      ctx_->err << fmt::format("\r[{}{}] {}/{} runs, {:.2f} runs/s, ETA {:.0f} s, {} failed ",
                               std::string(static_cast<std::size_t>(filled), '#'),
                               std::string(static_cast<std::size_t>(kWidth - filled), '.'), done,
                               total_, rate, eta, failed_)
                << (done == total_ ? "\n" : "") << std::flush;
    } else {
      const std::size_t every = std::max<std::size_t>(1, total_ / 50);
      if (done % every != 0 && done != total_ && record.ok) return;
      ctx_->err << fmt::format(
          "gigsim: sweep: {}/{} runs done; run {} (point {}, replication {}, {}) {}; {:.1f} s "
          "elapsed, ETA {:.0f} s\n",
          done, total_, plan.index, plan.point, plan.replication, variant,
          record.ok ? "ok" : "FAILED", elapsed, eta);
    }
  }

 private:
  const Context* ctx_;
  LogFormat format_;
  bool quiet_;
  std::size_t total_;
  const sweep::SweepSpec* spec_;
  std::chrono::steady_clock::time_point start_;
  std::size_t failed_ = 0;
};

void print_plan(const Context& ctx, const sweep::SweepSpec& spec, const sweep::Design& design,
                const std::vector<sweep::RunPlan>& runs, const sweep::Spool& spool) {
  ctx.out << "run\tpoint\treplication\tvariant\tseed\tidentity\tstate";
  for (const auto& p : design.parameters) ctx.out << "\t" << p;
  ctx.out << "\n";
  const std::size_t k = design.parameters.size();
  for (const auto& r : runs) {
    ctx.out << r.index << "\t" << r.point << "\t" << r.replication << "\t"
            << spec.variants[r.variant].name << "\t" << r.seed << "\t" << r.identity << "\t"
            << (!r.scenario             ? "rejected"
                : spool.has(r.identity) ? "done"
                                        : "pending");
    for (std::size_t j = 0; j < k; ++j) ctx.out << "\t" << design.text[r.point * k + j];
    ctx.out << "\n";
  }
}

int write_slurm(const SweepOptions& o, const Context& ctx, const std::vector<sweep::RunPlan>& runs,
                int threads) {
  sweep::SlurmOptions so = o.slurm_options;
  if (so.tasks < 2)
    throw UsageError("sweep", "--slurm-tasks must be at least 2 (rank 0 hands out runs)");
  if (so.memory.empty()) {
    // gigsim's own estimate for the largest run, plus half again for the process and libraries.
    std::uint64_t peak = 0;
    for (const auto& r : runs)
      if (r.scenario) peak = std::max(peak, Simulation::estimate_peak_bytes(*r.scenario));
    const std::uint64_t mib = (peak + peak / 2) / (1u << 20) + 256;
    so.memory = std::to_string((mib + static_cast<std::uint64_t>(threads) - 1) /
                               static_cast<std::uint64_t>(threads)) +
                "M";
  }
  const std::string script_path =
      o.slurm_script_path.empty() ? o.output_path + ".sbatch" : o.slurm_script_path;
  // The script names this very binary.
  const std::string resolved = sweep::slurm_script(so, std::filesystem::canonical("/proc/self/exe"),
                                                   o.sweep_path, o.output_path, threads);
  const std::string temp = script_path + ".tmp";
  {
    std::ofstream out(temp);
    out << resolved;
    if (!out) throw std::runtime_error("cannot write " + temp);
  }
  std::filesystem::rename(temp, script_path);
  std::filesystem::permissions(script_path, std::filesystem::perms::owner_exec,
                               std::filesystem::perm_options::add);
  ctx.out << "wrote " << script_path << " (" << runs.size() << " runs on " << so.tasks - 1
          << " worker ranks, " << threads << " thread(s) each)\nsubmit it with:\n  sbatch "
          << script_path << "\nthe result will be " << o.output_path
          << "; resubmit the same script to finish a killed job\n";
  return kExitOk;
}

}  // namespace

int sweep_command(const std::vector<std::string>& args, const Context& ctx) {
  SweepOptions o;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&o.output_path),
      "result file (default: SWEEP.h5 beside the sweep file)")(
      "threads,t", po::value(&o.threads)->default_value(0),
      "threads inside each run; 0 = automatic (1 for small runs done in parallel, all cores for "
      "large ones; 1 under MPI)")("jobs,j", po::value(&o.jobs)->default_value(0),
                                  "runs at once on this machine; 0 = automatic")(
      "keep-runs", po::bool_switch(&o.keep_runs),
      "keep the per-run records (OUT.h5.runs/) after the join")(
      "list", po::bool_switch(&o.list),
      "print the runs (seeds, identities, parameter values, done or pending) and stop")(
      "quiet,q", po::bool_switch(&o.quiet), "no progress on stderr")(
      "log-format", po::value(&o.log_format)->default_value("text"),
      "progress format: text or json");
  po::options_description slurm("Slurm (writes a batch script instead of running)");
  slurm.add_options()("slurm", po::bool_switch(&o.slurm), "write OUT.h5.sbatch for sbatch")(
      "slurm-tasks", po::value(&o.slurm_options.tasks)->default_value(4),
      "MPI ranks; rank 0 hands out runs, the others do them")(
      "slurm-time", po::value(&o.slurm_options.time)->default_value("04:00:00"),
      "wall-time limit, HH:MM:SS or D-HH:MM:SS")(
      "slurm-mem", po::value(&o.slurm_options.memory),
      "memory per CPU, e.g. 2G (default: gigsim's estimate for the largest run)")(
      "slurm-partition", po::value(&o.slurm_options.partition),
      "partition (default: the cluster's)")("slurm-script", po::value(&o.slurm_script_path),
                                            "where to write the script");
  opts.add(slurm);
  po::options_description all;
  all.add(opts).add_options()("sweep", po::value(&o.sweep_path));
  po::positional_options_description pos;
  pos.add("sweep", 1);
  const po::variables_map vm = parse("sweep", args, all, pos);
  if (vm.count("help")) {
    ctx.out << "Usage: gigsim sweep SWEEP.yaml [-o SWEEP.h5] [options]\n"
               "       mpirun -np K gigsim sweep SWEEP.yaml -o SWEEP.h5\n"
               "       gigsim sweep SWEEP.yaml -o SWEEP.h5 --slurm [--slurm-tasks K ...]\n\n"
               "Runs every design point of the sweep file, with replications and variants on "
               "shared seeds,\nand joins the results into one HDF5 file (docs/sweeps.md). "
               "Finished runs are kept in\nSWEEP.h5.runs/ as they finish: after a kill, the "
               "same command does only the missing runs.\nFailed runs are recorded with their "
               "message; the sweep then exits 1.\n\n"
            << opts
            << "\nExamples:\n"
               "  gigsim sweep scenarios/sweeps/coop_fee.yaml -o fee.h5\n"
               "  mpirun -np 8 gigsim sweep scenarios/sweeps/coop_fee.yaml -o fee.h5\n"
               "  gigsim sweep scenarios/sweeps/coop_fee.yaml -o fee.h5 --slurm --slurm-tasks 33 "
               "--slurm-time 12:00:00\n"
               "  python3 -m gigsim_analysis sensitivity fee.h5 --metric income_cv --group "
               "coop_member\n";
    return kExitOk;
  }
  if (o.sweep_path.empty()) throw UsageError("sweep", "missing SWEEP.yaml");
  if (o.threads < 0 || o.jobs < 0) throw UsageError("sweep", "--threads and --jobs must be >= 0");
  if (o.log_format != "text" && o.log_format != "json")
    throw UsageError("sweep", "--log-format must be 'text' or 'json'");
  if (o.output_path.empty())
    o.output_path = std::filesystem::path(o.sweep_path).replace_extension(".h5").string();

  sweep::SweepSpec spec;
  try {
    spec = sweep::load_sweep(o.sweep_path);
  } catch (const scenario::ScenarioError& e) {
    ctx.err << e.what()
            << "\ngigsim: nothing was run or written; fix the sweep file and try again "
               "(docs/sweeps.md describes it; 'gigsim sweep FILE --list' re-checks it "
               "and lists the runs).\n";
    return kExitBadInput;
  }
  const sweep::Design design = sweep::build_design(spec);
  const std::vector<sweep::RunPlan> runs = sweep::plan_runs(spec, design, program_identity());
  const sweep::Spool spool(sweep::spool_folder(o.output_path));

  // Automatic threads and jobs from the size of the largest run.
  double largest = 0;
  for (const auto& r : runs) {
    if (r.scenario)
      largest =
          std::max(largest, static_cast<double>(r.scenario->workers.count) * r.scenario->run.weeks);
  }
  const int cores = tbb::info::default_concurrency();
  const bool small = largest < kSmallRunWorkerSteps;
  const bool under_mpi = sweep::mpi_launched();
  int threads = o.threads != 0 ? o.threads : (small || under_mpi || o.slurm) ? 1 : cores;
  int jobs = o.jobs != 0 ? o.jobs : small ? std::max(1, cores / threads) : 1;

  if (o.list) {
    print_plan(ctx, spec, design, runs, spool);
    return kExitOk;
  }
  if (o.slurm) return write_slurm(o, ctx, runs, threads);

  const LogFormat format = o.log_format == "json" ? LogFormat::json : LogFormat::text;
  StopOnSignals stop_on_signals;
  sweep::ExecuteOptions exec;
  exec.threads = threads;
  exec.jobs = jobs;
  exec.stop_requested = [] { return g_stop_signal != 0; };

  const auto finish = [&](const sweep::ExecuteSummary& summary, bool rank0) -> int {
    if (!rank0) return kExitOk;
    if (summary.stopped || g_stop_signal != 0) {
      ctx.err << "gigsim: sweep stopped by signal " << static_cast<int>(g_stop_signal) << "; "
              << summary.ran << " runs finished and kept in " << spool.folder().string()
              << "\ngigsim: run the same command again to do the rest\n";
      return 128 + (g_stop_signal != 0 ? static_cast<int>(g_stop_signal) : SIGTERM);
    }
    const auto failures =
        sweep::join(spec, design, runs, spool, o.output_path, {version(), git_commit()});
    const std::size_t failed = failures.size();
    if (!o.keep_runs) {
      std::error_code ec;
      std::filesystem::remove_all(spool.folder(), ec);
    }
    if (format == LogFormat::json) {
      ctx.err << json_line({{"event", "done"},
                            {"output", o.output_path},
                            {"runs", runs.size()},
                            {"failed", failed}});
    }
    ctx.out << "wrote " << o.output_path << ": " << runs.size() << " runs (" << design.points
            << " points x " << spec.replications << " replications x " << spec.variants.size()
            << " variants), " << failed << " failed\n";
    if (failed > 0) {
      ctx.err << "gigsim: " << failed << " run(s) failed; their messages are in /runs/message of "
              << o.output_path << ":\n";
      for (std::size_t k = 0; k < failures.size() && k < 10; ++k)
        ctx.err << "  run " << failures[k].first << ": " << failures[k].second << "\n";
      if (failures.size() > 10) ctx.err << "  ...\n";
      return kExitRuntime;
    }
    return kExitOk;
  };

  if (under_mpi) {
    sweep::MpiSession mpi(nullptr, nullptr);
    const bool rank0 = mpi.rank() == 0;
    const std::vector<std::size_t> pending =
        rank0 ? sweep::pending_runs(runs, spool) : std::vector<std::size_t>{};
    if (rank0 && !o.quiet && format == LogFormat::text)
      ctx.err << "gigsim: sweep: " << runs.size() << " runs, " << pending.size() << " to do, on "
              << mpi.size() - 1 << " worker rank(s) with " << threads << " thread(s) each\n";
    SweepProgress progress(ctx, format, o.quiet || !rank0, pending.size(), spec);
    exec.progress = std::ref(progress);
    int code = kExitRuntime;
    try {
      const sweep::ExecuteSummary summary = sweep::execute_mpi(mpi, runs, pending, spool, exec);
      code = finish(summary, rank0);
    } catch (const std::exception& e) {
      ctx.err << "gigsim: sweep failed on rank " << mpi.rank() << ": " << e.what() << "\n";
      mpi.abort(kExitRuntime);
    }
    return mpi.broadcast(code);
  }

  const std::vector<std::size_t> pending = sweep::pending_runs(runs, spool);
  if (!o.quiet && format == LogFormat::text)
    ctx.err << "gigsim: sweep: " << runs.size() << " runs, " << pending.size() << " to do ("
            << runs.size() - pending.size() << " already in " << spool.folder().string() << "), "
            << jobs << " at a time with " << threads << " thread(s) each\n";
  SweepProgress progress(ctx, format, o.quiet, pending.size(), spec);
  exec.progress = std::ref(progress);
  return finish(sweep::execute_local(runs, pending, spool, exec), true);
}

}  // namespace gigsim::cli
