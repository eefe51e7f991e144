// Runs of a sweep: their seeds, resolved scenarios and identities; executing one; the records
// they leave in the spool (docs/sweeps.md "Runs, seeds and identities", "The run spool").
#include <fcntl.h>
#include <oneapi/tbb/parallel_for.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "gigsim/checkpoint.hpp"
#include "gigsim/files.hpp"
#include "gigsim/metrics.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/rng.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/section.hpp"
#include "gigsim/simulation.hpp"
#include "gigsim/sweep.hpp"

namespace gigsim::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Planning holds every run's resolved scenario in memory (a few KiB each).
constexpr std::uint64_t kMaxRuns = 1'000'000;

using scenario::Hash128;

std::uint64_t checksum(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return mix64(h);
}

// A record is a few MiB at most (weeks x step columns x 8 bytes); a larger file is not one.
constexpr std::uint64_t kMaxRecordBytes = std::uint64_t{64} << 20;

// The record file's bytes, or nothing if it is missing, not a regular file or too large (then the
// run is simply done again).
std::optional<std::string> read_record(const std::filesystem::path& path) {
  try {
    return os::read_regular_file(path, kMaxRecordBytes, "run record");
  } catch (const os::FileError&) {
    return std::nullopt;
  }
}

// Collects what the sweep keeps of a run: the step series and the end-of-run metrics.
class Collector final : public Observer {
 public:
  explicit Collector(RunRecord& record) : record_(&record) {}
  void on_step(const StepTotals& t) override { steps_.push_back(t); }
  // Forgets what it heard (a resumed run whose replay failed starts over).
  void reset() { steps_.clear(); }
  void on_end(const WorkerSummaries& s) override {
    RunRecord& r = *record_;
    const auto columns = step_columns();
    r.weeks = static_cast<std::uint32_t>(steps_.size());
    r.series.clear();
    r.series.reserve(columns.size() * steps_.size());
    for (const StepColumn& c : columns) {
      for (const StepTotals& t : steps_) r.series.push_back(t.value(c));
    }
    r.metrics = group_metrics(s);
  }

 private:
  // metrics x groups (all, then each WorkerGroup), the order of metric_infos().
  static std::vector<double> group_metrics(const WorkerSummaries& s) {
    std::vector<MetricSums> acc(kMetricGroups);
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      acc[0].add(s, i);
      acc.at(std::size_t{1} + s.group[i]).add(s, i);
    }
    std::vector<double> out;
    const auto per_group = [&](auto&& f) {
      for (const MetricSums& a : acc) out.push_back(a.workers > 0 ? f(a) : kNaN);
    };
    for (const MetricSums& a : acc) out.push_back(a.workers);
    per_group([](const MetricSums& a) { return a.income.mean(); });
    per_group([](const MetricSums& a) { return a.cv.mean(); });
    per_group([](const MetricSums& a) { return a.dips.mean(); });
    per_group([](const MetricSums& a) { return a.swings.mean(); });
    per_group([](const MetricSums& a) { return a.poverty.mean(); });
    per_group([](const MetricSums& a) { return a.trained.mean(); });
    return out;
  }

  RunRecord* record_;
  std::vector<StepTotals> steps_;
};

// Little-endian-host binary writer/reader for records.
struct Out {
  std::string bytes;
  template <class T>
  void pod(T v) {
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void text(const std::string& s) {
    pod(static_cast<std::uint32_t>(s.size()));
    bytes += s;
  }
};
struct In {
  std::string_view bytes;
  bool ok = true;
  template <class T>
  T pod() {
    T v{};
    if (bytes.size() < sizeof v) {
      ok = false;
      return v;
    }
    std::memcpy(&v, bytes.data(), sizeof v);
    bytes.remove_prefix(sizeof v);
    return v;
  }
  std::string text() {
    const auto n = pod<std::uint32_t>();
    if (!ok || bytes.size() < n) {
      ok = false;
      return {};
    }
    std::string s(bytes.substr(0, n));
    bytes.remove_prefix(n);
    return s;
  }
};

constexpr char kMagic[8] = {'G', 'S', 'R', 'U', 'N', '\n', '\x1a', '\0'};
constexpr std::uint32_t kRecordVersion = 2;  // 2: platform_coop_member and pooled_worker groups

}  // namespace

std::vector<std::string> metric_groups() {
  std::vector<std::string> groups = {"all"};
  for (int g = 0; g < kGroupCount; ++g)
    groups.emplace_back(group_name(static_cast<WorkerGroup>(g)));
  return groups;
}

std::vector<MetricInfo> metric_infos() {
  return {
      {"workers", "workers", "workers in the group"},
      {"mean_monthly_income", "EUR/month", "mean monthly net income over the last 12 months"},
      {"income_cv", "1", "mean coefficient of variation of monthly income (workers with one)"},
      {"dip_months", "months", "mean months more than 25% below the worker's own mean"},
      {"large_swings", "count", "mean month-to-month income changes above 30%"},
      {"months_below_poverty", "months", "mean months below the poverty line"},
      {"trained_last_12m", "1", "share of workers trained in the last 12 months"},
  };
}

std::uint64_t run_seed(std::uint64_t sweep_seed, std::uint64_t point, std::uint64_t replication) {
  return hash_combine(hash_combine(hash_combine(sweep_seed, 0x7377656570ULL), point),
                      replication) >>
         1;  // below 2^63: fits every signed 64-bit reader
}

struct RunScenarios::Impl {
  const SweepSpec* spec;
  const Design* design;
  // One per variant: the base with the sweep's set and the variant's, or why it is refused.
  std::vector<std::optional<scenario::ResolvedScenario>> variants;
  std::vector<std::string> variant_errors;
};

RunScenarios::RunScenarios(const SweepSpec& spec, const Design& design) {
  auto impl = std::make_shared<Impl>();
  impl->spec = &spec;
  impl->design = &design;
  for (const Variant& variant : spec.variants) {
    std::vector<std::string> overrides = spec.overrides;
    overrides.insert(overrides.end(), variant.overrides.begin(), variant.overrides.end());
    try {
      impl->variants.emplace_back(
          scenario::ResolvedScenario(spec.base_text, spec.base.string(), overrides));
      impl->variant_errors.emplace_back();
    } catch (const scenario::ScenarioError& e) {  // load_sweep checks them: not expected
      impl->variants.emplace_back();
      impl->variant_errors.emplace_back(e.what());
    }
  }
  impl_ = std::move(impl);
}

ScenarioSpec RunScenarios::at(std::uint32_t point, std::uint32_t variant,
                              std::optional<std::uint64_t> seed) const {
  const Impl& impl = *impl_;
  const std::optional<scenario::ResolvedScenario>& resolved = impl.variants.at(variant);
  if (!resolved)
    throw scenario::ScenarioError(impl.spec->base.string(), 0, 0, "", impl.variant_errors[variant]);
  const std::size_t k = impl.design->parameters.size();
  std::vector<std::pair<std::string, std::string>> values;
  values.reserve(k + 1);
  for (std::size_t j = 0; j < k; ++j)
    values.emplace_back(impl.design->parameters[j], impl.design->text[point * k + j]);
  if (seed) values.emplace_back("run.seed", std::to_string(*seed));
  return resolved->with(values);
}

std::string RunScenarios::variant_yaml(std::uint32_t variant) const {
  const std::optional<scenario::ResolvedScenario>& resolved = impl_->variants.at(variant);
  return resolved ? scenario::to_yaml(resolved->spec()) : std::string();
}

std::vector<RunPlan> plan_runs(const SweepSpec& spec, const Design& design,
                               const std::string& gigsim_version) {
  const std::size_t V = spec.variants.size();
  const std::size_t k = design.parameters.size();
  const std::uint64_t total = static_cast<std::uint64_t>(design.points) * spec.replications * V;
  if (total > kMaxRuns)
    throw scenario::ScenarioError(spec.file, 0, 0, "design",
                                  std::to_string(total) +
                                      " runs (points x replications x "
                                      "variants); a sweep has at most " +
                                      std::to_string(kMaxRuns) + ": split it into several sweeps");
  const RunScenarios scenarios(spec, design);
  // Identity: the variant's resolved scenario, then the point's values, then the seed.
  std::vector<Hash128> variant_hash(V);
  for (std::uint32_t v = 0; v < V; ++v) {
    const std::string yaml = scenarios.variant_yaml(v);
    if (!yaml.empty()) {
      variant_hash[v].add(yaml);
    } else {  // a refused variant: what it is made of
      variant_hash[v].add("refused variant\n").add(spec.base_text);
      for (const auto& o : spec.overrides) variant_hash[v].add("\n").add(o);
      for (const auto& o : spec.variants[v].overrides) variant_hash[v].add("\n").add(o);
    }
  }
  struct Outcome {
    Hash128 hash;
    std::string error;
    std::uint32_t workers = 0, weeks = 0;
    std::uint64_t peak_bytes = 0;
  };
  // Each (point, variant) once, on every core: the outcomes are pure functions of the point, so
  // the plan is the same however the points are shared out.
  std::vector<Outcome> outcomes(design.points * V);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, design.points, 64),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t point = range.begin(); point != range.end(); ++point) {
          for (std::uint32_t v = 0; v < V; ++v) {
            Outcome& o = outcomes[point * V + v];
            o.hash = variant_hash[v];
            for (std::size_t j = 0; j < k; ++j)
              o.hash.add("\n").add(design.parameters[j]).add("=").add(design.text[point * k + j]);
            try {
              const ScenarioSpec resolved =
                  scenarios.at(static_cast<std::uint32_t>(point), v, std::nullopt);
              o.workers = resolved.workers.count;
              o.weeks = resolved.run.weeks;
              o.peak_bytes = Simulation::estimate_peak_bytes(resolved);
            } catch (const scenario::ScenarioError& e) {
              o.error = e.what();
            }
          }
        }
      });
  std::vector<RunPlan> runs;
  runs.reserve(total);
  for (std::uint32_t point = 0; point < design.points; ++point) {
    for (std::uint32_t rep = 0; rep < spec.replications; ++rep) {
      const std::uint64_t seed = run_seed(spec.seed, point, rep);
      const std::string seed_text = std::to_string(seed);
      for (std::uint32_t v = 0; v < V; ++v) {
        const Outcome& o = outcomes[point * V + v];
        RunPlan plan;
        plan.index = runs.size();
        plan.point = point;
        plan.replication = rep;
        plan.variant = v;
        plan.seed = seed;
        plan.error = o.error;
        plan.workers = o.workers;
        plan.weeks = o.weeks;
        plan.peak_bytes = o.peak_bytes;
        plan.identity = Hash128(o.hash)
                            .add("\nrun.seed=")
                            .add(seed_text)
                            .add("\ngigsim ")
                            .add(gigsim_version)
                            .hex();
        runs.push_back(std::move(plan));
      }
    }
  }
  return runs;
}

RunRecord execute_run(const RunScenarios& scenarios, const RunPlan& plan, int threads,
                      const RunControl* control) {
  RunRecord record;
  record.identity = plan.identity;
  const auto failed = [&](const std::string& why) {
    record.ok = false;
    record.message = why;
    record.weeks = 0;
    record.series.clear();
    record.metrics.assign(metric_infos().size() * kMetricGroups, kNaN);
    return record;
  };
  if (!plan.accepted()) return failed(plan.error);
  try {
    const ScenarioSpec scenario = scenarios(plan);
    const std::string scenario_yaml = scenario::to_yaml(scenario);
    Collector collector(record);
    auto sim =
        std::make_unique<Simulation>(scenario, ExecutionContext{threads, kCheckConservation});
    checkpoint::EventLog log;
    std::error_code ec;
    const bool stoppable = control != nullptr && control->stop_requested;
    if (stoppable && std::filesystem::exists(control->checkpoint, ec)) {
      // Continue a run stopped earlier, if its checkpoint is of this very scenario and version
      // and restores cleanly; anything else starts the run over.
      std::optional<checkpoint::Checkpoint> ck;
      try {
        ck = checkpoint::load(control->checkpoint, control->gigsim_version);
      } catch (const checkpoint::CheckpointError&) {
        ck.reset();  // damaged or from another version
      }
      if (ck && ck->provenance.scenario_yaml == scenario_yaml) {
        // A checkpoint is input: anything in it that does not restore or replay cleanly
        // starts the run over rather than failing it.
        bool resumed = false;
        try {
          sim->restore(ck->state);
          if (sim->current_step() == ck->step) {
            log = std::move(ck->log);
            log.replay(collector, sim->run_info());
            resumed = true;
          }
        } catch (const std::bad_alloc&) {
          throw;
        } catch (const std::exception&) {
        }
        if (!resumed) {
          collector.reset();
          log = checkpoint::EventLog{};
          sim =
              std::make_unique<Simulation>(scenario, ExecutionContext{threads, kCheckConservation});
        }
      }
    }
    sim->add_observer(collector);
    if (stoppable) sim->add_observer(log);
    while (sim->step()) {
      if (stoppable && sim->current_step() < scenario.run.weeks && control->stop_requested()) {
        const checkpoint::Provenance provenance{control->gigsim_version, control->git_commit,
                                                "sweep run", scenario_yaml, "sweep"};
        // A checkpoint that cannot be written (a full disk) is the machine's failure, not the
        // run's: it stops the sweep instead of being recorded as this run's result.
        try {
          checkpoint::save(control->checkpoint, provenance, *sim, log);
        } catch (const std::exception& e) {
          throw CheckpointWriteError("cannot checkpoint the run " + plan.identity + ": " +
                                     e.what());
        }
        record.interrupted = true;
        return record;
      }
    }
    sim->finish();
    record.ok = true;
    if (stoppable) std::filesystem::remove(control->checkpoint, ec);
  } catch (const std::bad_alloc&) {
    throw;  // this machine's memory, not the run: recorded, it would never be tried again
  } catch (const CheckpointWriteError&) {
    throw;
  } catch (const std::exception& e) {
    return failed(e.what());
  }
  return record;
}

std::string encode(const RunRecord& r) {
  Out out;
  out.bytes.append(kMagic, sizeof kMagic);
  out.pod(kRecordVersion);
  out.text(r.identity);
  out.pod<std::uint8_t>(r.ok ? 1 : 0);
  out.text(r.message);
  out.pod(r.weeks);
  out.pod(static_cast<std::uint32_t>(r.metrics.size()));
  for (double m : r.metrics) out.pod(m);
  out.pod(static_cast<std::uint64_t>(r.series.size()));
  for (double x : r.series) out.pod(x);
  out.pod(checksum(out.bytes));
  return std::move(out.bytes);
}

std::optional<RunRecord> decode(const std::string& bytes) {
  if (bytes.size() < sizeof kMagic + 8 || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    return std::nullopt;
  const std::string_view body(bytes.data(), bytes.size() - 8);
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + body.size(), 8);
  if (stored != checksum(body)) return std::nullopt;
  In in{body.substr(sizeof kMagic)};
  if (in.pod<std::uint32_t>() != kRecordVersion) return std::nullopt;
  RunRecord r;
  r.identity = in.text();
  r.ok = in.pod<std::uint8_t>() == 1;
  r.message = in.text();
  r.weeks = in.pod<std::uint32_t>();
  const auto n_metrics = in.pod<std::uint32_t>();
  if (!in.ok || n_metrics != metric_infos().size() * kMetricGroups) return std::nullopt;
  for (std::uint32_t i = 0; i < n_metrics; ++i) r.metrics.push_back(in.pod<double>());
  const auto n_series = in.pod<std::uint64_t>();
  if (!in.ok || n_series != static_cast<std::uint64_t>(r.weeks) * step_columns().size() ||
      n_series * 8 != in.bytes.size())
    return std::nullopt;
  r.series.resize(n_series);
  if (n_series > 0) std::memcpy(r.series.data(), in.bytes.data(), n_series * 8);
  return r;
}

std::filesystem::path checkpoint_path(const Spool& spool, const std::string& identity) {
  return spool.folder() / (identity + ".ckpt");
}

std::filesystem::path spool_folder(const std::filesystem::path& output) {
  std::filesystem::path folder = output;
  folder += ".runs";
  return folder;
}

Spool::Spool(std::filesystem::path folder) : folder_(std::move(folder)) {}

std::unordered_set<std::string> Spool::listed() const {
  std::unordered_set<std::string> identities;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(folder_, ec), end; !ec && it != end;
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".run") == 0)
      identities.insert(name.substr(0, name.size() - 4));
  }
  return identities;
}

std::optional<RunRecord> Spool::read(const std::string& identity) const {
  const std::optional<std::string> bytes = read_record(folder_ / (identity + ".run"));
  if (!bytes) return std::nullopt;
  auto record = decode(*bytes);
  if (!record || record->identity != identity) return std::nullopt;
  return record;
}

void Spool::write(const RunRecord& record) const {
  std::error_code ec;
  std::filesystem::create_directories(folder_, ec);
  if (ec)
    throw std::runtime_error("cannot create the run spool " + folder_.string() + ": " +
                             ec.message());
  const std::string bytes = encode(record);
  const std::filesystem::path final_path = folder_ / (record.identity + ".run");
  const std::filesystem::path temp = os::temporary_path(final_path);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    throw std::runtime_error("cannot write " + temp.string() + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      std::filesystem::remove(temp, ec);
      throw std::runtime_error("cannot write " + temp.string() + ": " + why);
    }
    done += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) {
    std::filesystem::remove(temp, ec);
    throw std::runtime_error("cannot sync " + temp.string());
  }
  std::filesystem::rename(temp, final_path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    throw std::runtime_error("cannot rename the run record into " + final_path.string());
  }
}

}  // namespace gigsim::sweep
