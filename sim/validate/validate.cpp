#include "gigsim/validate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "gigsim/observer.hpp"
#include "gigsim/simulation.hpp"
#include "gigsim/stats.hpp"
#include "gigsim/sweep.hpp"

namespace gigsim::validate {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const Target kTargets[] = {
    {"take_rate", "platform commission / client payments", "share", 0.25, 0.10,
     "[TakeRates]: ride-hailing about 25% advertised; food delivery 15-35%; Upwork 20%/10%/5%", ""},
    {"weekly_hours", "paid + unpaid hours a week, workers with work", "h/week", 27, 4,
     "[ILO2021]: online web-based workers about 27 h a week", ""},
    {"weekly_unpaid_hours", "unpaid hours a week, workers with work", "h/week", 8, 2,
     "[ILO2021]: about 8 of 27 weekly hours unpaid", ""},
    {"unpaid_minutes_per_paid_hour", "unpaid search minutes per paid hour", "min/h", 21.5, 1.5,
     "[ILO2021]: 20-23 unpaid minutes per paid hour", ""},
    {"income_cv", "monthly income CV, all workers", "ratio", 0.39, 0.05,
     "[HM2015] (US Financial Diaries): mean 39%, low/moderate income", ""},
    {"income_cv_below_poverty", "monthly income CV, below the poverty line", "ratio", 0.55, 0.08,
     "[HM2015]: 55% below the poverty line", ""},
    {"income_cv_1_3_poverty", "monthly income CV, 100-300% of the poverty line", "ratio", 0.34,
     0.05, "[HM2015]: 33-35% at 100-300% of the poverty line", ""},
    {"training_self_employed", "trained in last 12 months, platform-only (self-paid)", "share",
     0.221, 0.04, "[EWCS2010]: self-employed 22.1%", ""},
    {"training_other_contracts", "trained in last 12 months, umbrella coop members", "share", 0.26,
     0.04, "[EWCS2010]: other (non-permanent) contracts 26.0%", ""},
    {"health_insurance", "platform workers with health insurance", "share", 0.60, 0.05,
     "[ILO2021]: survey of platform workers", "no social-protection status in the model yet"},
    {"pension", "platform workers with pension coverage", "share", 0.35, 0.05,
     "[ILO2021]: survey of platform workers", "no social-protection status in the model yet"},
    {"employment_injury", "platform workers with employment injury cover", "share", 0.21, 0.05,
     "[ILO2021]: survey of platform workers", "no social-protection status in the model yet"},
};

// Flows over the window and the end-of-run summaries of one run.
struct MomentObserver final : Observer {
  std::uint32_t weeks = 0;
  WindowFlows flows;
  WorkerSummaries end;
  void on_start(const RunInfo& info) override { weeks = info.weeks; }
  void on_step(const StepTotals& t) override {
    if (static_cast<std::uint32_t>(t.step) + kWindowWeeks < weeks) return;
    flows.commission += static_cast<double>(t.integer("platform_commission"));
    flows.client_paid += static_cast<double>(t.integer("client_paid"));
    flows.paid_hours += t.real("paid_hours");
    flows.unpaid_hours += t.real("unpaid_hours");
    flows.worker_weeks += static_cast<double>(t.integer("workers_with_work"));
  }
  void on_end(const WorkerSummaries& s) override { end = s; }
};

double ratio(double a, double b) {
  return b > 0 ? a / b : kNaN;
}

// Mean of income_cv over workers whose mean income, relative to the poverty line, is in [lo, hi).
double mean_cv(const WorkerSummaries& s, double lo, double hi) {
  double sum = 0, n = 0;
  for (std::size_t i = 0; i < s.income_cv.size(); ++i) {
    const double cv = s.income_cv[i];
    const double rel = s.poverty_line > 0 ? s.mean_monthly_income[i] / s.poverty_line : kNaN;
    if (std::isnan(cv) || !(rel >= lo && rel < hi)) continue;
    sum += cv;
    n += 1;
  }
  return ratio(sum, n);
}

double trained_share(const WorkerSummaries& s, WorkerGroup g) {
  double trained = 0, n = 0;
  for (std::size_t i = 0; i < s.group.size(); ++i) {
    if (s.group[i] != static_cast<std::uint8_t>(g)) continue;
    trained += s.trained_last_12m[i];
    n += 1;
  }
  return ratio(trained, n);
}

double moment(std::string_view id, const WindowFlows& m, const WorkerSummaries& s) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (id == "take_rate") return ratio(m.commission, m.client_paid);
  if (id == "weekly_hours") return ratio(m.paid_hours + m.unpaid_hours, m.worker_weeks);
  if (id == "weekly_unpaid_hours") return ratio(m.unpaid_hours, m.worker_weeks);
  if (id == "unpaid_minutes_per_paid_hour") return 60 * ratio(m.unpaid_hours, m.paid_hours);
  if (id == "income_cv") return mean_cv(s, -inf, inf);
  if (id == "income_cv_below_poverty") return mean_cv(s, -inf, 1);
  if (id == "income_cv_1_3_poverty") return mean_cv(s, 1, 3);
  if (id == "training_self_employed") return trained_share(s, WorkerGroup::platform_only);
  if (id == "training_other_contracts") return trained_share(s, WorkerGroup::coop_member);
  return kNaN;  // not modelled
}

// NaN (no value, or no interval with one replication) as JSON null.
nlohmann::ordered_json json_number(double x) {
  return std::isfinite(x) ? nlohmann::ordered_json(x) : nlohmann::ordered_json(nullptr);
}

}  // namespace

std::span<const Target> targets() {
  return kTargets;
}

std::string_view verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass:
      return "pass";
    case Verdict::fail:
      return "FAIL";
    case Verdict::absent:
      return "absent";
    case Verdict::not_modelled:
      return "not modelled";
  }
  return "?";
}

std::vector<double> run_moments(const ScenarioSpec& spec, int threads) {
  if (spec.run.weeks < kWindowWeeks)
    throw std::invalid_argument("validation needs a run of at least " +
                                std::to_string(kWindowWeeks) + " weeks (run.weeks is " +
                                std::to_string(spec.run.weeks) + ")");
  ScenarioSpec quiet = spec;
  quiet.output.panel = PanelMode::none;  // the moments need no panel
  Simulation sim(std::move(quiet), ExecutionContext{threads, kCheckConservation});
  MomentObserver m;
  sim.add_observer(m);
  sim.run();
  return moments(m.flows, m.end);
}

std::vector<double> moments(const WindowFlows& flows, const WorkerSummaries& summaries) {
  std::vector<double> values;
  for (const Target& t : kTargets)
    values.push_back(t.not_modelled.empty() ? moment(t.id, flows, summaries) : kNaN);
  return values;
}

std::uint64_t replication_seed(std::uint64_t base_seed, std::uint64_t replication) {
  return sweep::run_seed(base_seed, 0, replication);
}

bool Report::all_pass() const {
  const auto judged = [](const Row& r) {
    return r.verdict == Verdict::pass || r.verdict == Verdict::fail;
  };
  return std::any_of(rows.begin(), rows.end(), judged) &&
         std::none_of(rows.begin(), rows.end(),
                      [](const Row& r) { return r.verdict == Verdict::fail; });
}

int concurrent_runs(int replications, int threads) {
  return std::max(1, std::min(std::max(1, threads), replications));
}

Report run(const ScenarioSpec& spec, int replications, int threads,
           const std::function<void(int)>& on_done) {
  if (replications < 1) throw std::invalid_argument("replications must be at least 1");
  threads = std::max(1, threads);
  Report report;
  for (int r = 0; r < replications; ++r)
    report.seeds.push_back(replication_seed(spec.run.seed, static_cast<std::uint64_t>(r)));
  // Replications side by side, one thread each, when there are enough of them; otherwise one at
  // a time with every thread. The engine's results do not depend on its thread count.
  const int jobs = concurrent_runs(replications, threads);
  const int threads_per_run = std::max(1, threads / jobs);
  std::vector<std::vector<double>> values(static_cast<std::size_t>(replications));
  std::atomic<int> next{0};
  std::mutex done_mutex;
  int done = 0;
  std::exception_ptr failure;
  const auto worker = [&] {
    for (int r = next++; r < replications; r = next++) {
      try {
        ScenarioSpec s = spec;
        s.run.seed = report.seeds[static_cast<std::size_t>(r)];
        values[static_cast<std::size_t>(r)] = run_moments(s, threads_per_run);
        const std::lock_guard lock(done_mutex);
        ++done;
        if (on_done) on_done(done);
      } catch (...) {
        const std::lock_guard lock(done_mutex);
        if (!failure) failure = std::current_exception();
        next = replications;
        return;
      }
    }
  };
  {
    std::vector<std::jthread> pool;  // joined on scope exit, also if starting one throws
    for (int j = 1; j < jobs; ++j) pool.emplace_back(worker);
    worker();
  }
  if (failure) std::rethrow_exception(failure);

  for (std::size_t k = 0; k < std::size(kTargets); ++k) {
    Row row;
    row.target = &kTargets[k];
    for (const auto& v : values) row.values.push_back(v[k]);
    if (!row.target->not_modelled.empty()) {
      row.verdict = Verdict::not_modelled;
      row.mean = row.sd = row.ci_low = row.ci_high = kNaN;
    } else if (std::any_of(row.values.begin(), row.values.end(),
                           [](double x) { return std::isnan(x); })) {
      row.verdict = Verdict::absent;
      row.mean = row.sd = row.ci_low = row.ci_high = kNaN;
    } else {
      const MeanInterval m = mean_t95(row.values);
      row.mean = m.mean;
      row.sd = m.sd;
      row.ci_low = m.mean - m.half_width;  // NaN with one replication
      row.ci_high = m.mean + m.half_width;
      row.verdict = std::abs(row.mean - row.target->value) <= row.target->tolerance ? Verdict::pass
                                                                                    : Verdict::fail;
    }
    report.rows.push_back(std::move(row));
  }
  return report;
}

std::string format_table(const Report& report) {
  std::ostringstream o;
  o << fmt::format("{:<29} {:<11} {:<26} {:<16} {}\n", "target", "unit", "simulated mean [95% CI]",
                   "published ± tol", "verdict")
    << std::string(96, '-') << '\n';
  for (const Row& r : report.rows) {
    const Target& t = *r.target;
    std::string sim = "-";
    if (!std::isnan(r.mean)) {
      sim = std::isnan(r.ci_low)
                ? fmt::format("{:.3f}", r.mean)
                : fmt::format("{:.3f} [{:.3f}, {:.3f}]", r.mean, r.ci_low, r.ci_high);
    }
    // fmt pads by display width, so "±" (two bytes) counts as one column.
    o << fmt::format("{:<29} {:<11} {:<26} {:<16} {}\n", t.id, t.unit, sim,
                     fmt::format("{:.3f} ± {:.3f}", t.value, t.tolerance), verdict_name(r.verdict));
  }
  o << "\nReplications: " << report.seeds.size()
    << " (independent seeds); moments over the last 12 months of each run.\n";
  o << "Targets and sources (the [KEY]s are in docs/references.md):\n";
  for (const Row& r : report.rows) {
    const Target& t = *r.target;
    o << "  " << t.id << ": " << t.description << ". " << t.source;
    if (!t.not_modelled.empty()) o << ". Not modelled: " << t.not_modelled;
    o << ".\n";
  }
  return o.str();
}

std::string format_json(const Report& report) {
  nlohmann::ordered_json targets = nlohmann::ordered_json::array();
  for (const Row& r : report.rows) {
    const Target& t = *r.target;
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (double v : r.values) values.push_back(json_number(v));
    targets.push_back({{"id", t.id},
                       {"description", t.description},
                       {"unit", t.unit},
                       {"source", t.source},
                       {"not_modelled", t.not_modelled},
                       {"target", json_number(t.value)},
                       {"tolerance", json_number(t.tolerance)},
                       {"mean", json_number(r.mean)},
                       {"sd", json_number(r.sd)},
                       {"ci95", {json_number(r.ci_low), json_number(r.ci_high)}},
                       {"values", values},
                       {"verdict", verdict_name(r.verdict)}});
  }
  const nlohmann::ordered_json out = {{"replications", report.seeds.size()},
                                      {"seeds", report.seeds},
                                      {"all_pass", report.all_pass()},
                                      {"targets", targets}};
  return out.dump() + "\n";
}

}  // namespace gigsim::validate
