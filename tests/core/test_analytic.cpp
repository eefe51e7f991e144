// Analytic special cases (docs/validation.md "Analytic checks"): configurations in which the model
// reduces to a process with a closed form, and the simulation must land on it within a stated
// number of standard errors. Each expected value and standard error below is derived in the doc.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "gigsim/simulation.hpp"
#include "small_market.hpp"

namespace gigsim {
namespace {

using testing::Recorder;
using testing::small_market;

// Tolerance of every check: 4.5 standard errors (a false alarm about once in 150,000 runs).
constexpr double kSigmas = 4.5;

// The Poisson market: one sector and one platform, every worker with the same skill and ranking
// weight (gamma = delta = 0, no practice, no decay), hours that never bind, a fixed task price,
// no defaults, no seasonality, no training. Each worker then gets Poisson(lambda) tasks a week,
// lambda = demand / workers, independently of every other worker and week.
ScenarioSpec poisson_market(std::uint32_t workers, std::uint32_t weeks, double lambda) {
  ScenarioSpec spec = small_market(workers, weeks);
  spec.sectors[0].tasks_per_week = lambda * workers;
  spec.sectors[0].skill_premium = 0;
  spec.sectors[0].base_price = 20;
  spec.sectors[0].task_hours = 0.5;
  spec.platforms[0].take_rate = 0.25;
  spec.platforms[0].payout_lag_weeks = 1;
  spec.platforms[0].reputation_exponent = 0;
  spec.platforms[0].review_exponent = 0;
  spec.workers.hours_budget_mean = 80;  // room for 117 tasks a week
  spec.workers.hours_budget_sd = 0;
  spec.skills.practice_gain_per_hour = 0;
  spec.skills.decay_per_week = 0;
  spec.training.consider_probability = 0;
  return spec;
}

Recorder run_equal_skills(const ScenarioSpec& spec) {
  Simulation sim(spec, ExecutionContext{2});
  WorkerState& w = sim.mutable_workers();
  for (float& k : w.skill) k = 0.5f;
  Recorder rec;
  sim.add_observer(rec);
  sim.run();
  return rec;
}

TEST(Analytic, PoissonTasksAtAFixedPriceGiveTheMonthlyIncomeMeanAndVariance) {
  // Monthly net income = a * X with a = price * (1 - take rate) and X ~ Poisson(4 lambda):
  // mean 4 lambda a, variance 4 lambda a^2. With the one-week payout lag every month from the
  // second on receives exactly four weeks of pay.
  const double lambda = 3, a = 20 * (1 - 0.25), m = 4 * lambda;
  const Recorder rec = run_equal_skills(poisson_market(2000, 26 * 4, lambda));
  double n = 0, sum = 0, sum_sq = 0;
  for (std::size_t k = 1; k < rec.months.size(); ++k) {
    for (const float x : rec.months[k].net_income) {
      n += 1;
      sum += x;
      sum_sq += static_cast<double>(x) * x;
    }
  }
  ASSERT_EQ(n, 2000.0 * 25);
  const double mean = sum / n, var = (sum_sq - n * mean * mean) / (n - 1);
  const double se_mean = std::sqrt(m * a * a / n);
  // Var(s^2) = (mu4 - sigma^4) / n, with mu4 - sigma^4 = a^4 (m + 2 m^2) for a Poisson count.
  const double se_var = a * a * std::sqrt((m + 2 * m * m) / n);
  EXPECT_NEAR(mean, m * a, kSigmas * se_mean);
  EXPECT_NEAR(var, m * a * a, kSigmas * se_var);
}

TEST(Analytic, ShareOfWorkersWithoutWorkInAWeekIsExpOfMinusTheRate) {
  // P(no task in a week) = exp(-lambda); N T worker-weeks, independent Bernoulli trials.
  const double lambda = 1.5;
  const std::uint32_t N = 2000;
  const Recorder rec = run_equal_skills(poisson_market(N, 200, lambda));
  double without = 0, n = 0;
  for (const auto& t : rec.steps) {
    without += static_cast<double>(N - static_cast<std::uint32_t>(t.integer("workers_with_work")));
    n += N;
  }
  const double q = std::exp(-lambda);
  EXPECT_NEAR(without / n, q, kSigmas * std::sqrt(q * (1 - q) / n));
}

TEST(Analytic, GuaranteeFundDriftsAsACompoundPoissonProcess) {
  // Every worker is a member; tasks arrive at D a week in total, each paid task adds
  // c_in = net * fee * gf_share to the guarantee fund and each defaulted one takes out
  // c_out = net * (1 - fee), net = price * (1 - take rate). The fund is then a compound Poisson
  // process: weekly drift D ((1 - delta) c_in - delta c_out), weekly variance
  // D ((1 - delta) c_in^2 + delta c_out^2). Payout lags only shift flows by a few weeks.
  const std::uint32_t N = 500;
  const double lambda = 4, D = lambda * N, delta = 0.01;
  ScenarioSpec spec = poisson_market(N, 1000, lambda);
  spec.sectors[0].client_default_rate = delta;
  spec.platforms[0].payout_lag_weeks = 2;
  spec.umbrella_coop.enabled = true;
  spec.umbrella_coop.initial_member_share = 1;
  spec.umbrella_coop.initial_guarantee_fund = 1e6;  // never short: members are paid in full
  const auto& coop = spec.umbrella_coop;
  const double net = 2000 * (1 - 0.25);  // cents
  const double c_in = net * coop.fee_rate * coop.guarantee_fund_share;
  const double c_out = net * (1 - coop.fee_rate);
  const Recorder rec = run_equal_skills(spec);
  const std::size_t from = 20, to = rec.steps.size() - 1;
  const double weeks = static_cast<double>(to - from);
  const double slope = static_cast<double>(rec.steps[to].integer("guarantee_fund_balance") -
                                           rec.steps[from].integer("guarantee_fund_balance")) /
                       weeks;
  const double drift = D * ((1 - delta) * c_in - delta * c_out);
  const double weekly_var = D * ((1 - delta) * c_in * c_in + delta * c_out * c_out);
  // Rounding to cents per weekly batch adds at most a cent per member and week either way.
  const double rounding = 2.0 * N;
  EXPECT_NEAR(slope, drift, kSigmas * std::sqrt(weekly_var / weeks) + rounding);
  for (const auto& t : rec.steps) ASSERT_GT(t.integer("guarantee_fund_balance"), 0);
}

TEST(Analytic, SicknessPoolCollectsAndPaysTheRenewalShares) {
  // Sickness is an alternating renewal process: healthy runs with mean (1 - p) / p weeks, spells
  // geometric with mean d. A member pays c while healthy and claims B in spell weeks w + 1 ..
  // w + M. Long-run shares of member-weeks:
  //   healthy   h = ((1 - p) / p) / (d + (1 - p) / p)
  //   claiming  q = d r^w (1 - r^M) / (d + (1 - p) / p),  r = 1 - 1 / d.
  // The cap binds for every member (B = cap / 4), so contributions and benefits are fixed
  // amounts. The standard error comes from eight independent runs.
  const double p = 0.02, d = 6;
  const std::uint32_t w = 2, M = 10, N = 1000;
  ScenarioSpec spec = poisson_market(N, 400, 3);
  spec.sickness.enabled = true;
  spec.sickness.weekly_onset_probability = p;
  spec.sickness.mean_duration_weeks = d;
  spec.sickness_pool.enabled = true;
  spec.sickness_pool.initial_member_share = 1;
  spec.sickness_pool.max_monthly_benefit = 4;  // B = 1 EUR a week
  spec.sickness_pool.contribution_rate = 0.5;  // c = 0.50 EUR a week
  spec.sickness_pool.waiting_weeks = w;
  spec.sickness_pool.max_benefit_weeks = M;
  const double B = 100, c = 50;  // cents
  const double r = 1 - 1 / d, cycle = d + (1 - p) / p;
  const double h = ((1 - p) / p) / cycle;
  const double q = d * std::pow(r, w) * (1 - std::pow(r, M)) / cycle;
  const std::size_t burn_in = 40;
  std::vector<double> contributions, benefits;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    spec.run.seed = seed;
    const Recorder rec = run_equal_skills(spec);
    double in = 0, out = 0, member_weeks = 0;
    for (std::size_t k = burn_in; k < rec.steps.size(); ++k) {
      const StepTotals& t = rec.steps[k];
      ASSERT_EQ(t.integer("sickness_pool_claims_unpaid"), 0) << "pots never run short here";
      in += static_cast<double>(t.integer("sickness_pool_contributions"));
      out += static_cast<double>(t.integer("sickness_pool_benefits"));
      member_weeks += static_cast<double>(t.integer("sickness_pool_members"));
    }
    contributions.push_back(in / member_weeks);
    benefits.push_back(out / member_weeks);
  }
  const auto mean_se = [](const std::vector<double>& x) {
    const double n = static_cast<double>(x.size());
    const double mean = std::accumulate(x.begin(), x.end(), 0.0) / n;
    double ss = 0;
    for (const double v : x) ss += (v - mean) * (v - mean);
    return std::pair{mean, std::sqrt(ss / (n - 1) / n)};
  };
  const auto [in_mean, in_se] = mean_se(contributions);
  const auto [out_mean, out_se] = mean_se(benefits);
  // Eight runs: the spread estimate has 7 degrees of freedom, so allow Student's t (99.9%: 5.4).
  EXPECT_NEAR(in_mean, c * h, 5.4 * in_se + 0.01 * c * h);
  EXPECT_NEAR(out_mean, B * q, 5.4 * out_se + 0.01 * B * q);
  EXPECT_GT(in_se, 0);
  EXPECT_GT(out_se, 0);
}

TEST(Analytic, DemandShocksAreAStationaryLogNormalAr1WithMeanOne) {
  // With hours that never bind (40 tasks a week on average, room for 117, so even a multiplier of
  // 2.9, four sd out, fits), a month's completed tasks are Poisson around 4 D x_m, where
  // log x_m = sd z_m - sd^2 / 2 and z is a unit-variance AR(1) with correlation rho. So the
  // multipliers have mean 1, their logs sd `sd` and lag-1 correlation rho. 260 months; the
  // tolerances are about four standard errors of each estimate (mean: about
  // sd sqrt((1+rho)/(1-rho)/n) = 0.032; sd: about 0.015; correlation: sqrt((1-rho^2)/n) = 0.054).
  const double sd = 0.3, rho = 0.5, D = 40'000;
  ScenarioSpec spec = poisson_market(1000, 260 * 4, D / 1000);
  spec.sectors[0].shock_sd = sd;
  spec.sectors[0].shock_persistence = rho;
  const Recorder rec = run_equal_skills(spec);
  std::vector<double> x;
  for (std::size_t k = 0; k + 4 <= rec.steps.size(); k += 4) {
    double done = 0;
    for (std::size_t j = k; j < k + 4; ++j)
      done += static_cast<double>(rec.steps[j].integer("tasks_completed"));
    x.push_back(done / (4 * D));
  }
  const double n = static_cast<double>(x.size());
  double mean = 0, log_mean = 0;
  for (const double v : x) {
    mean += v / n;
    log_mean += std::log(v) / n;
  }
  double var = 0, cov = 0;
  for (std::size_t m = 0; m < x.size(); ++m) {
    const double a = std::log(x[m]) - log_mean;
    var += a * a / n;
    if (m + 1 < x.size()) cov += a * (std::log(x[m + 1]) - log_mean) / n;
  }
  EXPECT_NEAR(mean, 1.0, 0.12);
  EXPECT_NEAR(std::sqrt(var), sd, 0.06);
  EXPECT_NEAR(cov / var, rho, 0.22);
  // Without shocks the monthly totals are Poisson only: relative sd 1 / sqrt(4 D), 0.002.
  spec.sectors[0].shock_sd = 0;
  const Recorder calm = run_equal_skills(spec);
  double calm_var = 0;
  for (std::size_t k = 0; k + 4 <= calm.steps.size(); k += 4) {
    double done = 0;
    for (std::size_t j = k; j < k + 4; ++j)
      done += static_cast<double>(calm.steps[j].integer("tasks_completed"));
    calm_var += std::pow(done / (4 * D) - 1, 2) / n;
  }
  EXPECT_LT(std::sqrt(calm_var), 0.01);
}

}  // namespace
}  // namespace gigsim
