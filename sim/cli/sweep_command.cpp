// gigsim sweep: a parameter sweep with replications, on this machine, under mpirun, or written
// out as a Slurm batch script (docs/sweeps.md).
#include <fmt/format.h>
#include <oneapi/tbb/info.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <set>
#include <unordered_set>

#include "common.hpp"
#include "gigsim/build_info.hpp"
#include "gigsim/files.hpp"
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
  std::string sweep_path, output_path, log_format = "text", chunk;
  int threads = 0, jobs = 0;
  bool quiet = false, keep_runs = false, list = false, slurm = false, join_only = false;
  sweep::SlurmOptions slurm_options;
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
      std::ostream& bar = ctx_->progress ? *ctx_->progress : ctx_->err;  // needs its '\r'
      bar << fmt::format("\r[{}{}] {}/{} runs, {:.2f} runs/s, ETA {:.0f} s, {} failed ",
                         std::string(static_cast<std::size_t>(filled), '#'),
                         std::string(static_cast<std::size_t>(kWidth - filled), '.'), done, total_,
                         rate, eta, failed_)
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
                const std::vector<sweep::RunPlan>& runs, const sweep::Spool& spool,
                const std::set<std::string>& joined) {
  ctx.out << "run\tpoint\treplication\tvariant\tseed\tidentity\tstate";
  for (const auto& p : design.parameters) ctx.out << "\t" << p;
  ctx.out << "\n";
  const std::size_t k = design.parameters.size();
  const std::unordered_set<std::string> listed = spool.listed();
  for (const auto& r : runs) {
    const bool done =
        joined.count(r.identity) > 0 || (listed.count(r.identity) > 0 && spool.has(r.identity));
    std::error_code ec;
    const bool stopped =
        !done && std::filesystem::exists(sweep::checkpoint_path(spool, r.identity), ec);
    ctx.out << r.index << "\t" << r.point << "\t" << r.replication << "\t"
            << spec.variants[r.variant].name << "\t" << r.seed << "\t" << r.identity << "\t"
            << (!r.accepted() ? "rejected"
                : done        ? "done"
                : stopped     ? "stopped"
                              : "pending");
    for (std::size_t j = 0; j < k; ++j) ctx.out << "\t" << design.text[r.point * k + j];
    ctx.out << "\n";
  }
}

// The runs with distinct identities (each is done once), in index order.
std::vector<std::size_t> distinct_runs(const std::vector<sweep::RunPlan>& runs) {
  return sweep::chunk_runs(runs, 0, 1);
}

// Writes `text` to `path` through a temporary file, executable when `executable`.
void write_script(const std::string& path, const std::string& text, bool executable) {
  const std::filesystem::path temp = os::temporary_path(path);
  {
    std::ofstream out(temp);
    out << text;
    out.close();  // a failed final flush shows only now
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(temp, ec);
      throw std::runtime_error("cannot write " + temp.string());
    }
  }
  std::filesystem::rename(temp, path);
  if (executable)
    std::filesystem::permissions(path, std::filesystem::perms::owner_exec,
                                 std::filesystem::perm_options::add);
}

// Memory for `runs_at_once` of the largest run, shared by `cpus` CPUs: gigsim's own estimate plus
// half again for the process and libraries, as a Slurm size (per task, or per CPU for an MPI
// job's --mem-per-cpu, which Slurm multiplies by the CPUs of each rank).
std::string memory_estimate(const std::vector<sweep::RunPlan>& runs, int runs_at_once,
                            int cpus = 1) {
  std::uint64_t peak = 0;
  for (const auto& r : runs) peak = std::max(peak, r.peak_bytes);
  const std::uint64_t mib =
      (peak + peak / 2) / (1u << 20) * static_cast<std::uint64_t>(runs_at_once) + 256;
  const auto per = static_cast<std::uint64_t>(std::max(1, cpus));
  return std::to_string((mib + per - 1) / per) + "M";
}

// The scripts; a value that cannot go into one (a newline in a path, a bad time) is a usage error.
sweep::SlurmScripts scripts_or_usage_error(const sweep::SlurmOptions& so,
                                           const sweep::SlurmRun& run) {
  try {
    return sweep::slurm_scripts(so, run);
  } catch (const std::invalid_argument& e) {
    throw UsageError("sweep", e.what());
  }
}

// `small`: the runs are small enough to do several at once, one thread each.
int write_slurm(const SweepOptions& o, const Context& ctx, const std::vector<sweep::RunPlan>& runs,
                bool small) {
  sweep::SlurmOptions so = o.slurm_options;
  sweep::SlurmRun run;
  // The scripts name this very binary.
  run.gigsim = std::filesystem::canonical("/proc/self/exe");
  run.sweep_file = o.sweep_path;
  run.output = o.output_path;
  run.workdir = std::filesystem::current_path();
  const std::vector<std::size_t> distinct = distinct_runs(runs);
  if (so.mpi) {
    if (so.tasks < 2)
      throw UsageError("sweep", "--slurm-tasks must be at least 2 (rank 0 hands out runs)");
    run.threads = std::max(1, o.threads);
    const int workers = static_cast<int>(so.tasks) - 1;
    run.time =
        so.time.empty()
            ? sweep::slurm_time(sweep::estimate_seconds(runs, distinct, workers, run.threads))
            : so.time;
    run.memory = so.memory.empty() ? memory_estimate(runs, 1, run.threads) : so.memory;
    const std::string path = o.output_path + ".sbatch";
    write_script(path, scripts_or_usage_error(so, run).array, true);
    ctx.out << "wrote " << path << " (" << runs.size() << " runs on " << workers
            << " worker ranks, " << run.threads << " thread(s) each, time limit " << run.time
            << ")\nsubmit it with:\n  sbatch " << path << "\nthe result will be " << o.output_path
            << "\n";
    return kExitOk;
  }
  if (so.cpus < 1) throw UsageError("sweep", "--slurm-cpus must be at least 1");
  // Small runs: one per CPU of the task; large ones: one at a time on every CPU.
  run.threads = o.threads != 0 ? o.threads : small ? 1 : static_cast<int>(so.cpus);
  run.jobs = std::max(1, static_cast<int>(so.cpus) / run.threads);
  std::uint32_t tasks = so.array_tasks;
  if (tasks == 0) {
    // About an hour of (estimated) work per task.
    const double seconds = sweep::estimate_seconds(runs, distinct, run.jobs, run.threads);
    tasks = static_cast<std::uint32_t>(std::clamp(std::ceil(seconds / 3600.0), 1.0, 1000.0));
  }
  run.array_tasks = std::max<std::uint32_t>(
      1, std::min<std::uint32_t>(tasks, static_cast<std::uint32_t>(distinct.size())));
  double longest = 0;
  for (std::uint32_t t = 0; t < run.array_tasks; ++t)
    longest =
        std::max(longest, sweep::estimate_seconds(runs, sweep::chunk_runs(runs, t, run.array_tasks),
                                                  run.jobs, run.threads));
  run.time = so.time.empty() ? sweep::slurm_time(longest) : so.time;
  run.memory = so.memory.empty() ? memory_estimate(runs, run.jobs) : so.memory;
  const sweep::SlurmScripts scripts = scripts_or_usage_error(so, run);
  const std::string array = o.output_path + ".sbatch";
  const std::string join = o.output_path + ".join.sbatch";
  const std::string submit = o.output_path + ".submit.sh";
  write_script(array, scripts.array, true);
  write_script(join, scripts.join, true);
  write_script(submit, scripts.submit, true);
  ctx.out << "wrote " << array << " (a job array of " << run.array_tasks << " task(s), "
          << distinct.size() << " runs, " << run.jobs << " at a time with " << run.threads
          << " thread(s) each, time limit " << run.time << (so.time.empty() ? " estimated" : "")
          << "), " << join << " (the join) and " << submit << "\nsubmit both with:\n  bash "
          << submit << "\nthe result will be " << o.output_path
          << "; a task stopped before its time limit checkpoints its runs and requeues itself\n";
  return kExitOk;
}

// "3/8" -> (3, 8).
std::pair<std::uint32_t, std::uint32_t> parse_chunk(const std::string& text) {
  const std::size_t slash = text.find('/');
  std::uint32_t chunk = 0, chunks = 0;
  const auto number = [](std::string_view digits, std::uint32_t& out) {
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    out = static_cast<std::uint32_t>(std::stoul(std::string(digits)));
    return true;
  };
  if (slash == std::string::npos || !number(std::string_view(text).substr(0, slash), chunk) ||
      !number(std::string_view(text).substr(slash + 1), chunks) || chunks == 0 || chunk >= chunks)
    throw UsageError("sweep",
                     "--chunk must be I/N with 0 <= I < N, e.g. --chunk 3/8, not '" + text + "'");
  return {chunk, chunks};
}

}  // namespace

int sweep_command(const std::vector<std::string>& args, const Context& ctx) {
  SweepOptions o;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value(&o.output_path),
      "result file (default: SWEEP.h5 beside the sweep file)")(
      "threads,t", whole_number_option("threads", &o.threads, 0, kMaxThreads),
      "threads inside each run; 0 = automatic (1 for small runs done in parallel, all cores for "
      "large ones; 1 under MPI)")("jobs,j", whole_number_option("jobs", &o.jobs, 0, kMaxThreads),
                                  "runs at once on this machine; 0 = automatic")(
      "keep-runs", po::bool_switch(&o.keep_runs),
      "keep the per-run records (OUT.h5.runs/) after the join")(
      "list", po::bool_switch(&o.list),
      "print the runs (seeds, identities, parameter values, done, stopped or pending) and stop")(
      "chunk", po::value(&o.chunk),
      "I/N: do chunk I of N of the runs and keep their records for a later join (a Slurm array "
      "task)")("join-only", po::bool_switch(&o.join_only),
               "run nothing: join the records into OUT.h5 if every run has one, else list the "
               "missing")("quiet,q", po::bool_switch(&o.quiet), "no progress on stderr")(
      "log-format", po::value(&o.log_format)->default_value("text"),
      "progress format: text or json");
  po::options_description slurm("Slurm (writes batch scripts instead of running)");
  slurm.add_options()("slurm", po::bool_switch(&o.slurm),
                      "write OUT.h5.sbatch (a job array), OUT.h5.join.sbatch and "
                      "OUT.h5.submit.sh")(
      "slurm-array",
      whole_number_option("slurm-array", &o.slurm_options.array_tasks, std::uint32_t{0},
                          std::uint32_t{1000}),
      "array tasks, each a chunk of the runs; 0 = about an hour of estimated work each")(
      "slurm-cpus",
      whole_number_option("slurm-cpus", &o.slurm_options.cpus, std::uint32_t{1},
                          static_cast<std::uint32_t>(kMaxThreads)),
      "CPUs per array task (runs at once, or threads of a large run)")(
      "slurm-time", po::value(&o.slurm_options.time),
      "time limit per task, HH:MM:SS or D-HH:MM:SS (default: estimated from the work)")(
      "slurm-mem", po::value(&o.slurm_options.memory),
      "memory per task, e.g. 2G; per CPU with --slurm-mpi (default: gigsim's estimate for the "
      "largest run)")("slurm-partition", po::value(&o.slurm_options.partition),
                      "partition (default: the cluster's)")(
      "slurm-account", po::value(&o.slurm_options.account), "account to charge (default: yours)")(
      "slurm-module", po::value(&o.slurm_options.modules)->composing(),
      "environment module to load first (repeatable), e.g. --slurm-module hdf5")(
      "slurm-setup", po::value(&o.slurm_options.setup)->composing(),
      "shell line to run first (repeatable), e.g. --slurm-setup 'source ~/env.sh'")(
      "slurm-signal",
      whole_number_option("slurm-signal", &o.slurm_options.signal_seconds, std::uint32_t{0},
                          std::uint32_t{86400}),
      "seconds before the time limit at which a task checkpoints its runs and requeues itself")(
      "slurm-mpi", po::bool_switch(&o.slurm_options.mpi),
      "one MPI job instead of an array (rank 0 hands out runs)")(
      "slurm-tasks",
      whole_number_option("slurm-tasks", &o.slurm_options.tasks, std::uint32_t{0},
                          std::uint32_t{1'000'000}),
      "with --slurm-mpi: MPI ranks; rank 0 hands out runs, the others do them");
  opts.add(slurm);
  po::options_description all;
  all.add(opts).add_options()("sweep", po::value(&o.sweep_path));
  po::positional_options_description pos;
  pos.add("sweep", 1);
  const po::variables_map vm = parse("sweep", args, all, pos);
  if (vm.count("help")) {
    ctx.out << "Usage: gigsim sweep SWEEP.yaml [-o SWEEP.h5] [options]\n"
               "       mpirun -np K gigsim sweep SWEEP.yaml -o SWEEP.h5\n"
               "       gigsim sweep SWEEP.yaml -o SWEEP.h5 --slurm [--slurm-array N ...]\n\n"
               "Runs every design point of the sweep file, with replications and variants on "
               "shared seeds,\nand joins the results into one HDF5 file (docs/sweeps.md). "
               "Finished runs are kept in\nSWEEP.h5.runs/ as they finish and are never done "
               "twice: after a kill the same command\ndoes only the missing runs, and after the "
               "join it finds them in SWEEP.h5. SIGINT or\nSIGTERM checkpoints the runs under "
               "way. One sweep at a time per output (SWEEP.h5.lock).\nFailed runs are recorded "
               "with their message; the sweep then exits 1.\n\n"
            << opts
            << "\nExamples:\n"
               "  gigsim sweep scenarios/sweeps/coop_fee_grid.yaml -o fee.h5\n"
               "  mpirun -np 8 gigsim sweep scenarios/sweeps/coop_fee_grid.yaml -o fee.h5\n"
               "    (as root: OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1; more "
               "ranks than cores:\n     mpirun --oversubscribe)\n"
               "  gigsim sweep scenarios/sweeps/morris_screening.yaml -o m.h5 --slurm "
               "--slurm-cpus 8 --slurm-account proj123\n"
               "  gigsim report fee.h5 -o fee_report/\n";
    return kExitOk;
  }
  if (o.sweep_path.empty()) throw UsageError("sweep", "missing SWEEP.yaml");
  if (o.log_format != "text" && o.log_format != "json")
    throw UsageError("sweep", "--log-format must be 'text' or 'json'");
  if (o.output_path.empty())
    o.output_path = std::filesystem::path(o.sweep_path).replace_extension(".h5").string();
  std::optional<std::pair<std::uint32_t, std::uint32_t>> chunk;
  if (!o.chunk.empty()) chunk = parse_chunk(o.chunk);
  if (chunk && o.join_only) throw UsageError("sweep", "--chunk and --join-only exclude each other");

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
  if (!o.list) {
    // What the sweep writes must not be what it reads (compared by file identity).
    std::vector<FileRole> inputs{{o.sweep_path, "the sweep file"},
                                 {spec.base.string(), "the base scenario"}};
    if (spec.method == sweep::Method::table)
      inputs.push_back({spec.table.string(), "the design table"});
    std::vector<FileRole> outputs{
        {o.output_path, "the result file (-o)"},
        {sweep::spool_folder(o.output_path).string(), "the run spool", true}};
    if (o.slurm)
      for (const char* suffix : {".sbatch", ".join.sbatch", ".submit.sh"})
        outputs.push_back({o.output_path + suffix, "a batch script (--slurm)"});
    check_file_roles("sweep", inputs, outputs);
    const std::size_t removed = remove_stale_temporaries(outputs);
    if (removed > 0 && !o.quiet)
      ctx.err << "gigsim: removed " << removed << " temporary file(s) that a killed sweep left\n";
  }
  const sweep::Design design = sweep::build_design(spec);
  const std::vector<sweep::RunPlan> runs = sweep::plan_runs(spec, design, program_identity());
  const sweep::RunScenarios scenarios(spec, design);
  const sweep::Spool spool(sweep::spool_folder(o.output_path));

  // Automatic threads and jobs from the size of the largest run.
  double largest = 0;
  for (const auto& r : runs) largest = std::max(largest, static_cast<double>(r.workers) * r.weeks);
  const int cores = tbb::info::default_concurrency();
  const bool small = largest < kSmallRunWorkerSteps;
  const bool under_mpi = sweep::mpi_launched();
  int threads = o.threads != 0 ? o.threads : (small || under_mpi) ? 1 : cores;
  int jobs = o.jobs != 0 ? o.jobs : small ? std::max(1, cores / threads) : 1;

  if (o.list) {
    const sweep::JoinedRuns joined = sweep::joined_runs(o.output_path);
    print_plan(ctx, spec, design, runs, spool,
               std::set<std::string>(joined.identities.begin(), joined.identities.end()));
    return kExitOk;
  }
  // Memory, per run: the largest run, as many at once as go on this machine (under MPI one per
  // rank), must fit; fewer at once if not all do, none if not even one.
  if (!o.slurm) {
    const sweep::RunPlan* largest_run = nullptr;
    for (const auto& r : runs)
      if (r.accepted() && (!largest_run || r.peak_bytes > largest_run->peak_bytes))
        largest_run = &r;
    if (largest_run) {
      const int fit = jobs_that_fit(largest_run->peak_bytes, under_mpi ? 1 : jobs, threads,
                                    "run " + std::to_string(largest_run->index) + " (point " +
                                        std::to_string(largest_run->point) + ", " +
                                        std::to_string(largest_run->workers) + " workers)");
      if (!under_mpi && fit < jobs) {
        if (!o.quiet)
          ctx.err << "gigsim: sweep: " << fit << " run(s) at once instead of " << jobs
                  << ": more would not fit in memory\n";
        jobs = fit;
      }
    }
  }
  if (o.slurm) return write_slurm(o, ctx, runs, small);

  const LogFormat format = o.log_format == "json" ? LogFormat::json : LogFormat::text;
  StopOnSignals stop_on_signals;
  sweep::ExecuteOptions exec;
  exec.threads = threads;
  exec.jobs = jobs;
  exec.stop_requested = [] { return g_stop_signal != 0; };
  exec.gigsim_version = program_identity();
  exec.git_commit = git_commit();
  std::vector<std::string> planned;
  for (const auto& r : runs) planned.push_back(r.identity);

  // Everything this process does not share: the whole output (exclusive), or one chunk of it.
  std::optional<sweep::FileLock> lock, chunk_lock;
  const auto take_locks = [&] {
    if (chunk) {
      lock.emplace(sweep::lock_path(o.output_path), sweep::FileLock::Mode::shared, o.output_path);
      std::error_code ec;
      std::filesystem::create_directories(spool.folder(), ec);
      chunk_lock.emplace(
          spool.folder() / fmt::format("chunk-{}-of-{}.lock", chunk->first, chunk->second),
          sweep::FileLock::Mode::exclusive,
          fmt::format("chunk {} of {} of {}", chunk->first, chunk->second, o.output_path));
    } else {
      lock.emplace(sweep::lock_path(o.output_path), sweep::FileLock::Mode::exclusive,
                   o.output_path);
    }
  };

  // Rank 0 (or the only process) decides; returns an exit code when there is nothing to run.
  const auto prepare = [&]() -> std::optional<int> {
    take_locks();
    if (!chunk) {
      const sweep::JoinedRuns joined = sweep::joined_runs(o.output_path);
      if (joined.identities == planned) {
        lock->remove_file();
        ctx.out << o.output_path << " is up to date: its " << runs.size()
                << " runs are this sweep's (" << joined.failed << " failed); nothing to do\n";
        return joined.failed > 0 ? kExitRuntime : kExitOk;
      }
    }
    const std::vector<std::size_t> wanted =
        chunk ? sweep::chunk_runs(runs, chunk->first, chunk->second) : distinct_runs(runs);
    const std::size_t recovered = sweep::recover_joined_runs(runs, wanted, spool, o.output_path);
    if (recovered > 0 && !o.quiet && format == LogFormat::text)
      ctx.err << "gigsim: sweep: " << recovered << " finished runs recovered from " << o.output_path
              << "\n";
    return std::nullopt;
  };

  const auto finish = [&](const sweep::ExecuteSummary& summary, bool rank0) -> int {
    if (!rank0) return kExitOk;
    if (summary.stopped || g_stop_signal != 0) {
      ctx.err << "gigsim: sweep stopped by signal " << static_cast<int>(g_stop_signal) << "; "
              << summary.ran << " runs finished and kept in " << spool.folder().string()
              << ", runs under way checkpointed there\ngigsim: run the same command again to do "
                 "the rest\n";
      return 128 + (g_stop_signal != 0 ? static_cast<int>(g_stop_signal) : SIGTERM);
    }
    if (chunk) {
      if (!o.quiet)
        ctx.err << "gigsim: sweep: chunk " << chunk->first << " of " << chunk->second
                << " done; its records are in " << spool.folder().string() << "\n";
      return kExitOk;
    }
    const auto failures =
        sweep::join(spec, design, runs, spool, o.output_path, {version(), git_commit()});
    const std::size_t failed = failures.size();
    if (!o.keep_runs) {
      std::error_code ec;
      std::filesystem::remove_all(spool.folder(), ec);
    }
    if (lock) lock->remove_file();
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

  const auto pending_here = [&] {
    std::vector<std::size_t> pending = sweep::pending_runs(runs, spool);
    if (chunk) {
      const std::vector<std::size_t> mine = sweep::chunk_runs(runs, chunk->first, chunk->second);
      const std::set<std::size_t> in_chunk(mine.begin(), mine.end());
      std::erase_if(pending, [&](std::size_t i) { return in_chunk.count(i) == 0; });
    }
    return pending;
  };

  if (o.join_only) {
    if (const std::optional<int> done = prepare()) return *done;
    const std::vector<std::size_t> missing = sweep::pending_runs(runs, spool);
    if (!missing.empty()) {
      ctx.err << "gigsim: sweep: " << missing.size() << " of " << distinct_runs(runs).size()
              << " runs have no record in " << spool.folder().string()
              << "; nothing was joined. Do them with the same command without --join-only "
                 "(or resubmit the job array)\n";
      return kExitRuntime;
    }
    return finish(sweep::ExecuteSummary{}, true);
  }

  if (under_mpi && !chunk) {
    sweep::MpiSession mpi(nullptr, nullptr);
    const bool rank0 = mpi.rank() == 0;
    int early = -1;
    std::vector<std::size_t> pending;
    if (rank0) {
      try {
        if (const std::optional<int> done = prepare()) early = *done;
      } catch (const sweep::LockError& e) {
        ctx.err << "gigsim: refused: " << e.what() << "\n";
        early = kExitBadInput;
      }
      if (early < 0) pending = pending_here();
    }
    early = mpi.broadcast(early);
    if (early >= 0) return early;
    if (rank0 && !o.quiet && format == LogFormat::text)
      ctx.err << "gigsim: sweep: " << runs.size() << " runs, " << pending.size() << " to do, on "
              << mpi.size() - 1 << " worker rank(s) with " << threads << " thread(s) each\n";
    SweepProgress progress(ctx, format, o.quiet || !rank0, pending.size(), spec);
    exec.progress = std::ref(progress);
    int code = kExitRuntime;
    try {
      const sweep::ExecuteSummary summary =
          sweep::execute_mpi(mpi, scenarios, runs, pending, spool, exec);
      code = finish(summary, rank0);
    } catch (const std::exception& e) {
      ctx.err << "gigsim: sweep failed on rank " << mpi.rank() << ": " << e.what() << "\n";
      mpi.abort(kExitRuntime);
    }
    return mpi.broadcast(code);
  }

  if (const std::optional<int> done = prepare()) return *done;
  const std::vector<std::size_t> pending = pending_here();
  if (!o.quiet && format == LogFormat::text)
    ctx.err << "gigsim: sweep: " << (chunk ? "chunk " + o.chunk + ": " : std::string())
            << runs.size() << " runs, " << pending.size() << " to do here, " << jobs
            << " at a time with " << threads << " thread(s) each\n";
  SweepProgress progress(ctx, format, o.quiet, pending.size(), spec);
  exec.progress = std::ref(progress);
  return finish(sweep::execute_local(scenarios, runs, pending, spool, exec), true);
}

}  // namespace gigsim::cli
