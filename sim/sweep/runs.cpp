// Runs of a sweep: their seeds, resolved scenarios and identities; executing one; the records
// they leave in the spool (docs/sweeps.md "Runs, seeds and identities", "The run spool").
#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>

#include "gigsim/checkpoint.hpp"
#include "gigsim/observer.hpp"
#include "gigsim/rng.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/simulation.hpp"
#include "gigsim/sweep.hpp"

namespace gigsim::sweep {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Planning holds every run's resolved scenario in memory (a few KiB each).
constexpr std::uint64_t kMaxRuns = 1'000'000;

// 128-bit identity as 32 hex digits (shared with run files' scenario hashes).
std::string hash128(std::string_view text) {
  return scenario::text_hash128(text);
}

std::uint64_t checksum(std::string_view bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return mix64(h);
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Collects what the sweep keeps of a run: the step series and the end-of-run metrics.
class Collector final : public Observer {
 public:
  explicit Collector(RunRecord& record) : record_(&record) {}
  void on_step(const StepTotals& t) override { steps_.push_back(t); }
  void on_end(const WorkerSummaries& s) override {
    RunRecord& r = *record_;
    const auto columns = step_columns();
    r.weeks = static_cast<std::uint32_t>(steps_.size());
    r.series.clear();
    r.series.reserve(columns.size() * steps_.size());
    for (const StepColumn& c : columns) {
      for (const StepTotals& t : steps_) {
        r.series.push_back(c.is_integer ? static_cast<double>(t.*c.int_field) : t.*c.real_field);
      }
    }
    r.metrics = group_metrics(s);
  }

 private:
  // metrics x groups (all, then each WorkerGroup), the order of metric_infos().
  static std::vector<double> group_metrics(const WorkerSummaries& s) {
    struct Mean {
      double n = 0, sum = 0;
      void add(double x) {
        n += 1;
        sum += x;
      }
      double value() const { return n > 0 ? sum / n : kNaN; }
    };
    struct Acc {
      double workers = 0;
      Mean income, cv, dips, swings, poverty, trained;
    };
    std::array<Acc, kMetricGroups> acc{};
    for (std::size_t i = 0; i < s.group.size(); ++i) {
      for (std::size_t g : {std::size_t{0}, std::size_t{1} + s.group[i]}) {
        Acc& a = acc.at(g);
        a.workers += 1;
        a.income.add(s.mean_monthly_income[i]);
        if (!std::isnan(s.income_cv[i])) a.cv.add(s.income_cv[i]);
        a.dips.add(s.dip_months[i]);
        a.swings.add(s.large_swings[i]);
        a.poverty.add(s.months_below_poverty[i]);
        a.trained.add(s.trained_last_12m[i]);
      }
    }
    std::vector<double> out;
    const auto per_group = [&](auto&& f) {
      for (const Acc& a : acc) out.push_back(a.workers > 0 ? f(a) : kNaN);
    };
    for (const Acc& a : acc) out.push_back(a.workers);
    per_group([](const Acc& a) { return a.income.value(); });
    per_group([](const Acc& a) { return a.cv.value(); });
    per_group([](const Acc& a) { return a.dips.value(); });
    per_group([](const Acc& a) { return a.swings.value(); });
    per_group([](const Acc& a) { return a.poverty.value(); });
    per_group([](const Acc& a) { return a.trained.value(); });
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

std::vector<RunPlan> plan_runs(const SweepSpec& spec, const Design& design,
                               const std::string& gigsim_version) {
  const std::string& base_text = spec.base_text;
  const std::string base_name = spec.base.string();
  const std::size_t V = spec.variants.size();
  const std::size_t k = design.parameters.size();
  const std::uint64_t total = static_cast<std::uint64_t>(design.points) * spec.replications * V;
  if (total > kMaxRuns)
    throw scenario::ScenarioError(spec.file, 0, 0, "design",
                                  std::to_string(total) +
                                      " runs (points x replications x "
                                      "variants); a sweep has at most " +
                                      std::to_string(kMaxRuns) + ": split it into several sweeps");
  std::vector<RunPlan> runs;
  runs.reserve(total);
  for (std::uint32_t point = 0; point < design.points; ++point) {
    for (std::uint32_t rep = 0; rep < spec.replications; ++rep) {
      for (std::uint32_t v = 0; v < V; ++v) {
        RunPlan plan;
        plan.index = runs.size();
        plan.point = point;
        plan.replication = rep;
        plan.variant = v;
        plan.seed = run_seed(spec.seed, point, rep);
        plan.overrides = spec.overrides;
        for (const auto& o : spec.variants[v].overrides) plan.overrides.push_back(o);
        for (std::size_t j = 0; j < k; ++j)
          plan.overrides.push_back(design.parameters[j] + "=" + design.text[point * k + j]);
        plan.overrides.push_back("run.seed=" + std::to_string(plan.seed));
        try {
          plan.scenario = scenario::load_string(base_text, base_name, plan.overrides);
          plan.identity = hash128(scenario::to_yaml(*plan.scenario) + "\ngigsim " + gigsim_version);
        } catch (const scenario::ScenarioError& e) {
          plan.error = e.what();
          std::string key = "rejected\n" + base_text;
          for (const auto& o : plan.overrides) key += "\n" + o;
          plan.identity = hash128(key + "\ngigsim " + gigsim_version);
        }
        runs.push_back(std::move(plan));
      }
    }
  }
  return runs;
}

RunRecord execute_run(const RunPlan& plan, int threads, const RunControl* control) {
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
  if (!plan.scenario) return failed(plan.error);
  try {
    Collector collector(record);
    Simulation sim(*plan.scenario, ExecutionContext{threads});
    checkpoint::EventLog log;
    std::error_code ec;
    const bool stoppable = control != nullptr && control->stop_requested;
    if (stoppable && std::filesystem::exists(control->checkpoint, ec)) {
      // Continue a run stopped earlier, if its checkpoint is of this very scenario and version.
      std::optional<checkpoint::Checkpoint> ck;
      try {
        ck = checkpoint::load(control->checkpoint, control->gigsim_version);
      } catch (const checkpoint::CheckpointError&) {
        ck.reset();  // damaged or from another version: start over
      }
      if (ck && ck->provenance.scenario_yaml == scenario::to_yaml(*plan.scenario)) {
        sim.restore(ck->engine, std::move(ck->workers), std::move(ck->market));
        log = std::move(ck->log);
        log.replay(collector, sim.run_info());
      }
    }
    sim.add_observer(collector);
    if (stoppable) sim.add_observer(log);
    while (sim.step()) {
      if (stoppable && sim.current_step() < plan.scenario->run.weeks && control->stop_requested()) {
        const checkpoint::Provenance provenance{control->gigsim_version, control->git_commit,
                                                "sweep run", scenario::to_yaml(*plan.scenario),
                                                "sweep"};
        checkpoint::save(control->checkpoint, provenance, sim, log);
        record.interrupted = true;
        return record;
      }
    }
    sim.finish();
    record.ok = true;
    if (stoppable) std::filesystem::remove(control->checkpoint, ec);
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

std::optional<RunRecord> Spool::read(const std::string& identity) const {
  const std::filesystem::path path = folder_ / (identity + ".run");
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return std::nullopt;
  auto record = decode(read_all(path));
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
  std::filesystem::path temp = final_path;
  temp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}());
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
