// Scenario parsing: shipped scenarios, every error kind with its exact message and position,
// round trips through to_yaml, --set overrides and the parameter list.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <functional>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "gigsim/scenario.hpp"

namespace gigsim::scenario {
namespace {

const std::string kScenarioDir = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/";

// The smallest valid scenario: the two required lists with named entries (two sectors, because
// the default sectors_per_worker is 2).
constexpr const char* kMinimal = R"(sectors:
  - name: delivery
  - name: care
platforms:
  - name: app
)";

// Field-by-field comparison, written out independently of the schema so that a field the schema
// forgets shows up as a failed round trip.
void expect_same(const ScenarioSpec& a, const ScenarioSpec& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.run.weeks, b.run.weeks);
  EXPECT_EQ(a.run.seed, b.run.seed);
  EXPECT_EQ(a.workers.count, b.workers.count);
  EXPECT_EQ(a.workers.sectors_per_worker, b.workers.sectors_per_worker);
  EXPECT_EQ(a.workers.hours_budget_mean, b.workers.hours_budget_mean);
  EXPECT_EQ(a.workers.hours_budget_sd, b.workers.hours_budget_sd);
  EXPECT_EQ(a.workers.fixed_costs_mean, b.workers.fixed_costs_mean);
  EXPECT_EQ(a.workers.initial_cash_mean, b.workers.initial_cash_mean);
  EXPECT_EQ(a.workers.skill_mean, b.workers.skill_mean);
  EXPECT_EQ(a.workers.skill_sd, b.workers.skill_sd);
  EXPECT_EQ(a.workers.search_minutes_per_paid_hour, b.workers.search_minutes_per_paid_hour);
  EXPECT_EQ(a.workers.rating_noise, b.workers.rating_noise);
  EXPECT_EQ(a.workers.sector_review_probability, b.workers.sector_review_probability);
  EXPECT_EQ(a.workers.far_from_market_share, b.workers.far_from_market_share);
  EXPECT_EQ(a.workers.recruitment_bias, b.workers.recruitment_bias);
  ASSERT_EQ(a.sectors.size(), b.sectors.size());
  for (std::size_t i = 0; i < a.sectors.size(); ++i) {
    SCOPED_TRACE("sector " + std::to_string(i));
    const SectorSpec& x = a.sectors[i];
    const SectorSpec& y = b.sectors[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.tasks_per_week, y.tasks_per_week);
    EXPECT_EQ(x.base_price, y.base_price);
    EXPECT_EQ(x.skill_premium, y.skill_premium);
    EXPECT_EQ(x.task_hours, y.task_hours);
    EXPECT_EQ(x.seasonal_amplitude, y.seasonal_amplitude);
    EXPECT_EQ(x.seasonal_peak_week, y.seasonal_peak_week);
    EXPECT_EQ(x.client_default_rate, y.client_default_rate);
    EXPECT_EQ(x.shock_sd, y.shock_sd);
    EXPECT_EQ(x.shock_persistence, y.shock_persistence);
  }
  ASSERT_EQ(a.platforms.size(), b.platforms.size());
  for (std::size_t i = 0; i < a.platforms.size(); ++i) {
    SCOPED_TRACE("platform " + std::to_string(i));
    const PlatformSpec& x = a.platforms[i];
    const PlatformSpec& y = b.platforms[i];
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.take_rate, y.take_rate);
    EXPECT_EQ(x.payout_lag_weeks, y.payout_lag_weeks);
    EXPECT_EQ(x.market_share, y.market_share);
    EXPECT_EQ(x.worker_share, y.worker_share);
    EXPECT_EQ(x.reputation_exponent, y.reputation_exponent);
    EXPECT_EQ(x.review_exponent, y.review_exponent);
    EXPECT_EQ(x.initial_reputation, y.initial_reputation);
    EXPECT_EQ(x.reoffer_rounds, y.reoffer_rounds);
    EXPECT_EQ(x.deactivation_rating, y.deactivation_rating);
    EXPECT_EQ(x.deactivation_min_reviews, y.deactivation_min_reviews);
    EXPECT_EQ(x.bid_elasticity, y.bid_elasticity);
    EXPECT_EQ(x.bid_floor, y.bid_floor);
  }
  EXPECT_EQ(a.skills.practice_gain_per_hour, b.skills.practice_gain_per_hour);
  EXPECT_EQ(a.skills.decay_per_week, b.skills.decay_per_week);
  EXPECT_EQ(a.skills.reputation_learning_rate, b.skills.reputation_learning_rate);
  EXPECT_EQ(a.training.consider_probability, b.training.consider_probability);
  EXPECT_EQ(a.training.course_weeks, b.training.course_weeks);
  EXPECT_EQ(a.training.course_hours_per_week, b.training.course_hours_per_week);
  EXPECT_EQ(a.training.course_cost, b.training.course_cost);
  EXPECT_EQ(a.training.skill_gain, b.training.skill_gain);
  EXPECT_EQ(a.training.horizon_weeks, b.training.horizon_weeks);
  EXPECT_EQ(a.training.discount_per_week, b.training.discount_per_week);
  const UmbrellaCoopSpec& u = a.umbrella_coop;
  const UmbrellaCoopSpec& v = b.umbrella_coop;
  EXPECT_EQ(u.enabled, v.enabled);
  EXPECT_EQ(u.initial_member_share, v.initial_member_share);
  EXPECT_EQ(u.fee_rate, v.fee_rate);
  EXPECT_EQ(u.guarantee_fund_share, v.guarantee_fund_share);
  EXPECT_EQ(u.training_fund_share, v.training_fund_share);
  EXPECT_EQ(u.initial_guarantee_fund, v.initial_guarantee_fund);
  EXPECT_EQ(u.initial_training_fund, v.initial_training_fund);
  EXPECT_EQ(u.payout_lag_weeks, v.payout_lag_weeks);
  EXPECT_EQ(u.training_cost_share, v.training_cost_share);
  EXPECT_EQ(u.search_time_reduction, v.search_time_reduction);
  EXPECT_EQ(u.salary_smoothing_months, v.salary_smoothing_months);
  EXPECT_EQ(a.sickness.enabled, b.sickness.enabled);
  EXPECT_EQ(a.sickness.weekly_onset_probability, b.sickness.weekly_onset_probability);
  EXPECT_EQ(a.sickness.mean_duration_weeks, b.sickness.mean_duration_weeks);
  EXPECT_EQ(a.sickness_pool.enabled, b.sickness_pool.enabled);
  EXPECT_EQ(a.sickness_pool.initial_member_share, b.sickness_pool.initial_member_share);
  EXPECT_EQ(a.sickness_pool.group_size, b.sickness_pool.group_size);
  EXPECT_EQ(a.sickness_pool.contribution_rate, b.sickness_pool.contribution_rate);
  EXPECT_EQ(a.sickness_pool.replacement_rate, b.sickness_pool.replacement_rate);
  EXPECT_EQ(a.sickness_pool.max_monthly_benefit, b.sickness_pool.max_monthly_benefit);
  EXPECT_EQ(a.sickness_pool.waiting_weeks, b.sickness_pool.waiting_weeks);
  EXPECT_EQ(a.sickness_pool.max_benefit_weeks, b.sickness_pool.max_benefit_weeks);
  EXPECT_EQ(a.peer_learning.enabled, b.peer_learning.enabled);
  EXPECT_EQ(a.peer_learning.ties_per_member, b.peer_learning.ties_per_member);
  EXPECT_EQ(a.peer_learning.rate_per_week, b.peer_learning.rate_per_week);
  EXPECT_EQ(a.peer_learning.cross_sector_share, b.peer_learning.cross_sector_share);
  const EmployeeSharingSpec &es = a.employee_sharing, &fs = b.employee_sharing;
  EXPECT_EQ(es.enabled, fs.enabled);
  EXPECT_EQ(es.initial_worker_share, fs.initial_worker_share);
  EXPECT_EQ(es.employers, fs.employers);
  EXPECT_EQ(es.demand_hours_mean, fs.demand_hours_mean);
  EXPECT_EQ(es.demand_cv, fs.demand_cv);
  EXPECT_EQ(es.contract_hours, fs.contract_hours);
  EXPECT_EQ(es.hourly_wage, fs.hourly_wage);
  EXPECT_EQ(es.charge_per_hour, fs.charge_per_hour);
  EXPECT_EQ(es.initial_fund, fs.initial_fund);
  EXPECT_EQ(es.training_cost_share, fs.training_cost_share);
  const WiseSpec &wa = a.wise, &wb = b.wise;
  EXPECT_EQ(wa.enabled, wb.enabled);
  EXPECT_EQ(wa.count, wb.count);
  EXPECT_EQ(wa.sector, wb.sector);
  EXPECT_EQ(wa.supervisors, wb.supervisors);
  EXPECT_EQ(wa.places_per_supervisor, wb.places_per_supervisor);
  EXPECT_EQ(wa.min_distance, wb.min_distance);
  EXPECT_EQ(wa.hours_per_week, wb.hours_per_week);
  EXPECT_EQ(wa.hourly_wage, wb.hourly_wage);
  EXPECT_EQ(wa.wage_subsidy_share, wb.wage_subsidy_share);
  EXPECT_EQ(wa.value_per_hour, wb.value_per_hour);
  EXPECT_EQ(wa.sales_per_week, wb.sales_per_week);
  EXPECT_EQ(wa.sales_cv, wb.sales_cv);
  EXPECT_EQ(wa.supervision_cost_per_week, wb.supervision_cost_per_week);
  EXPECT_EQ(wa.initial_capital, wb.initial_capital);
  EXPECT_EQ(wa.distance_reduction_per_week, wb.distance_reduction_per_week);
  EXPECT_EQ(wa.transition_rate, wb.transition_rate);
  EXPECT_EQ(wa.training_cost_share, wb.training_cost_share);
  EXPECT_EQ(wa.insolvency_weeks, wb.insolvency_weeks);
  EXPECT_EQ(a.public_buyers.enabled, b.public_buyers.enabled);
  EXPECT_EQ(a.public_buyers.purchases_per_week, b.public_buyers.purchases_per_week);
  EXPECT_EQ(a.public_buyers.reserved_share, b.public_buyers.reserved_share);
  EXPECT_EQ(a.public_buyers.min_disadvantaged_share, b.public_buyers.min_disadvantaged_share);
  EXPECT_EQ(a.umbrella_coop.membership_review_probability,
            b.umbrella_coop.membership_review_probability);
  EXPECT_EQ(a.umbrella_coop.risk_aversion, b.umbrella_coop.risk_aversion);
  EXPECT_EQ(a.umbrella_coop.switching_cost, b.umbrella_coop.switching_cost);
  const UnemploymentInsuranceSpec &ua = a.unemployment_insurance, &ub = b.unemployment_insurance;
  EXPECT_EQ(ua.enabled, ub.enabled);
  EXPECT_EQ(ua.contribution_rate, ub.contribution_rate);
  EXPECT_EQ(ua.replacement_rate, ub.replacement_rate);
  EXPECT_EQ(ua.shortfall_threshold, ub.shortfall_threshold);
  EXPECT_EQ(ua.benefit_cap, ub.benefit_cap);
  EXPECT_EQ(ua.qualifying_months, ub.qualifying_months);
  EXPECT_EQ(a.intermediary.enabled, b.intermediary.enabled);
  EXPECT_EQ(a.intermediary.reach, b.intermediary.reach);
  EXPECT_EQ(a.intermediary.bias_reduction, b.intermediary.bias_reduction);
  EXPECT_EQ(a.intermediary.search_time_reduction, b.intermediary.search_time_reduction);
  EXPECT_EQ(a.intermediary.cost_per_linked_worker, b.intermediary.cost_per_linked_worker);
  EXPECT_EQ(a.policy.training_subsidy_share, b.policy.training_subsidy_share);
  EXPECT_EQ(a.output.panel, b.output.panel);
  EXPECT_EQ(a.output.panel_workers, b.output.panel_workers);
}

// The error a load throws; fails the test if none is thrown.
ScenarioError error_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const ScenarioError& error) {
    return error;
  }
  ADD_FAILURE() << "no ScenarioError thrown";
  return ScenarioError("", 0, 0, "", "");
}

ScenarioError error_of(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  return error_of([&] { load_string(yaml, "t.yaml", overrides); });
}

// --- shipped scenarios --------------------------------------------------------------------------

TEST(ScenarioShipped, BaselineLoadsWithTheValuesInTheFile) {
  const ScenarioSpec spec = load_file(kScenarioDir + "baseline.yaml");
  EXPECT_EQ(spec.name, "baseline");
  EXPECT_EQ(spec.run.weeks, 260u);
  EXPECT_EQ(spec.run.seed, 20240611u);
  EXPECT_EQ(spec.workers.count, 10'000u);
  EXPECT_EQ(spec.workers.search_minutes_per_paid_hour, 21.5);
  ASSERT_EQ(spec.sectors.size(), 3u);
  EXPECT_EQ(spec.sectors[0].name, "delivery");
  EXPECT_EQ(spec.sectors[1].name, "creative_digital");
  EXPECT_EQ(spec.sectors[2].name, "care_cleaning");
  EXPECT_EQ(spec.sectors[1].base_price, 60.0);
  ASSERT_EQ(spec.platforms.size(), 2u);
  EXPECT_EQ(spec.platforms[0].take_rate, 0.25);
  EXPECT_EQ(spec.platforms[1].take_rate, 0.20);
  EXPECT_EQ(spec.platforms[1].payout_lag_weeks, 2u);
  EXPECT_FALSE(spec.umbrella_coop.enabled);
  EXPECT_EQ(spec.output.panel, PanelMode::sampled);
  EXPECT_EQ(spec.output.panel_workers, 1'000u);
}

TEST(ScenarioShipped, WithUmbrellaCoopIsTheBaselinePlusTheCooperative) {
  const ScenarioSpec baseline = load_file(kScenarioDir + "baseline.yaml");
  ScenarioSpec coop = load_file(kScenarioDir + "with_umbrella_coop.yaml");
  EXPECT_EQ(coop.name, "with_umbrella_coop");
  EXPECT_TRUE(coop.umbrella_coop.enabled);
  EXPECT_EQ(coop.umbrella_coop.initial_member_share, 0.3);
  EXPECT_EQ(coop.umbrella_coop.fee_rate, 0.065);
  EXPECT_EQ(coop.umbrella_coop.payout_lag_weeks, 1u);
  EXPECT_EQ(coop.umbrella_coop.initial_guarantee_fund, 250'000.0);
  // Everything else is the same market.
  coop.name = baseline.name;
  coop.description = baseline.description;
  coop.umbrella_coop = baseline.umbrella_coop;
  expect_same(coop, baseline);
}

TEST(ScenarioShipped, RoundTripThroughToYaml) {
  for (const char* file : {"baseline.yaml", "with_umbrella_coop.yaml", "siv_employee_sharing.yaml",
                           "all_cooperative_forms.yaml"}) {
    SCOPED_TRACE(file);
    const ScenarioSpec spec = load_file(kScenarioDir + file);
    const std::string text = to_yaml(spec);
    expect_same(load_string(text, "resolved.yaml"), spec);
    EXPECT_EQ(to_yaml(load_string(text, "resolved.yaml")), text);
  }
}

// --- defaults and round trips -------------------------------------------------------------------

TEST(ScenarioLoad, MinimalScenarioTakesEveryDefault) {
  const ScenarioSpec spec = load_string(kMinimal, "t.yaml");
  ScenarioSpec expected;
  expected.sectors.push_back(SectorSpec{.name = "delivery"});
  expected.sectors.push_back(SectorSpec{.name = "care"});
  expected.platforms.push_back(PlatformSpec{.name = "app"});
  expect_same(spec, expected);
  EXPECT_EQ(spec.run.seed, kDefaultSeed);
}

TEST(ScenarioLoad, EmptyMappingsAndNullDescriptionAreAccepted) {
  const ScenarioSpec spec =
      load_string(std::string(kMinimal) + "description:\nrun: {}\nworkers:\n", "t.yaml");
  EXPECT_EQ(spec.description, "");
  EXPECT_EQ(spec.run.weeks, RunSpec{}.weeks);
}

TEST(ScenarioLoad, SeedTakesTheFullUint64Range) {
  const ScenarioSpec spec =
      load_string(std::string(kMinimal) + "run: {seed: 18446744073709551615}\n", "t.yaml");
  EXPECT_EQ(spec.run.seed, std::numeric_limits<std::uint64_t>::max());
}

TEST(ScenarioLoad, PanelAcceptsAnIntegerMeaningSampled) {
  const ScenarioSpec spec = load_string(std::string(kMinimal) + "output: {panel: 500}\n", "t.yaml");
  EXPECT_EQ(spec.output.panel, PanelMode::sampled);
  EXPECT_EQ(spec.output.panel_workers, 500u);
  const std::string text = to_yaml(spec);
  EXPECT_NE(text.find("panel: sampled"), std::string::npos) << text;
  EXPECT_NE(text.find("panel_workers: 500"), std::string::npos) << text;
  for (const char* mode : {"all", "none"}) {
    const ScenarioSpec other =
        load_string(std::string(kMinimal) + "output: {panel: " + mode + "}\n", "t.yaml");
    EXPECT_EQ(to_yaml(load_string(to_yaml(other), "r.yaml")), to_yaml(other));
  }
}

TEST(ScenarioLoad, RoundTripOfNonDefaultValues) {
  ScenarioSpec spec;
  spec.name = "true";  // must stay a string
  spec.description = "multi\nline: with 'quotes' and \"double quotes\" # not a comment";
  spec.run = RunSpec{.weeks = 17, .seed = 12'345'678'901'234'567'890u};
  spec.workers = WorkerSpec{.count = 123,
                            .sectors_per_worker = 3,
                            .hours_budget_mean = 0.1 + 0.2,
                            .hours_budget_sd = 1.0 / 3.0,
                            .fixed_costs_mean = 123'456.789,
                            .initial_cash_mean = 1e-7,
                            .skill_mean = 0.3,
                            .skill_sd = 0.2,
                            .search_minutes_per_paid_hour = 22.999999999999996,
                            .rating_noise = 5e-324};
  for (const char* name : {"a", "b b", "~"}) {
    spec.sectors.push_back(SectorSpec{.name = name,
                                      .tasks_per_week = 1e8,
                                      .base_price = 2.0 / 7.0,
                                      .skill_premium = 0,
                                      .task_hours = 0.01,
                                      .seasonal_amplitude = 1,
                                      .seasonal_peak_week = 51,
                                      .client_default_rate = 0.123456789012345678});
  }
  spec.platforms.push_back(PlatformSpec{.name = "p1",
                                        .take_rate = 0.3,
                                        .payout_lag_weeks = 12,
                                        .market_share = 0.45,
                                        .worker_share = 0.55,
                                        .reputation_exponent = 3.5,
                                        .review_exponent = 0.7,
                                        .initial_reputation = 0.6});
  spec.platforms.push_back(PlatformSpec{.name = "123", .market_share = 0.55});
  spec.skills = SkillSpec{0.01, 0.02, 0.03};
  spec.training = TrainingSpec{0.5, 7, 9.5, 1234.5, 0.33, 104, 0.01};
  spec.umbrella_coop = UmbrellaCoopSpec{.enabled = true,
                                        .initial_member_share = 0.3,
                                        .fee_rate = 0.055,
                                        .guarantee_fund_share = 0.6,
                                        .training_fund_share = 0.4,
                                        .initial_guarantee_fund = 1e6,
                                        .initial_training_fund = 2.5e5,
                                        .payout_lag_weeks = 0,
                                        .training_cost_share = 1,
                                        .search_time_reduction = 0.5,
                                        .salary_smoothing_months = 3,
                                        .membership_review_probability = 0.125,
                                        .risk_aversion = 2.5,
                                        .switching_cost = 17};
  spec.workers.far_from_market_share = 0.125;
  spec.workers.recruitment_bias = 0.3;
  spec.employee_sharing = EmployeeSharingSpec{.enabled = true,
                                              .initial_worker_share = 0.07,
                                              .employers = 9,
                                              .demand_hours_mean = 33.3,
                                              .demand_cv = 0.25,
                                              .contract_hours = 17.5,
                                              .hourly_wage = 13.1,
                                              .charge_per_hour = 15.9,
                                              .initial_fund = 777,
                                              .training_cost_share = 0.6};
  spec.wise = WiseSpec{.enabled = true,
                       .count = 3,
                       .sector = "b b",
                       .supervisors = 4,
                       .places_per_supervisor = 6,
                       .min_distance = 0.45,
                       .hours_per_week = 25,
                       .hourly_wage = 11.5,
                       .wage_subsidy_share = 0.8,
                       .value_per_hour = 19,
                       .sales_per_week = 2222,
                       .sales_cv = 0.1,
                       .supervision_cost_per_week = 950,
                       .initial_capital = 1234,
                       .distance_reduction_per_week = 0.005,
                       .transition_rate = 0.02,
                       .training_cost_share = 0.5,
                       .insolvency_weeks = 13};
  spec.public_buyers = PublicBuyersSpec{.enabled = true,
                                        .purchases_per_week = 1e6,
                                        .reserved_share = 0.015,
                                        .min_disadvantaged_share = 0.4};
  spec.unemployment_insurance = UnemploymentInsuranceSpec{.enabled = true,
                                                          .contribution_rate = 0.015,
                                                          .replacement_rate = 0.65,
                                                          .shortfall_threshold = 0.55,
                                                          .benefit_cap = 999.5,
                                                          .qualifying_months = 9};
  spec.intermediary = IntermediarySpec{.enabled = true,
                                       .reach = 0.66,
                                       .bias_reduction = 0.3,
                                       .search_time_reduction = 0.2,
                                       .cost_per_linked_worker = 7.5};
  spec.output = OutputSpec{.panel = PanelMode::all, .panel_workers = 7};
  const std::string text = to_yaml(spec);
  expect_same(load_string(text, "resolved.yaml"), spec);
}

// --- errors: message format and position --------------------------------------------------------

TEST(ScenarioErrors, UnknownKeySuggestsTheNearestValidKey) {
  const ScenarioError error = error_of(R"(sectors:
  - name: delivery
platforms:
  - name: app
    take_rte: 0.3
)");
  EXPECT_STREQ(error.what(),
               "t.yaml:5:5: platforms[0].take_rte: unknown key 'take_rte' (did you mean "
               "'take_rate'?)");
  EXPECT_EQ(error.file(), "t.yaml");
  EXPECT_EQ(error.line(), 5);
  EXPECT_EQ(error.column(), 5);
  EXPECT_EQ(error.key_path(), "platforms[0].take_rte");
  EXPECT_EQ(error.message(), "unknown key 'take_rte' (did you mean 'take_rate'?)");
}

TEST(ScenarioErrors, UnknownKeyInASectionAndFarFromAnyKey) {
  EXPECT_STREQ(error_of(std::string(kMinimal) + "umbrella_coop:\n  fee_rat: 0.1\n").what(),
               "t.yaml:7:3: umbrella_coop.fee_rat: unknown key 'fee_rat' (did you mean "
               "'fee_rate'?)");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "zebra_crossing: 1\n").what(),
               "t.yaml:6:1: zebra_crossing: unknown key 'zebra_crossing'");
}

TEST(ScenarioErrors, WrongTypes) {
  const std::string sectors = "sectors:\n  - name: delivery\n";
  EXPECT_STREQ(error_of(sectors + "platforms:\n  - name: app\n    take_rate: abc\n").what(),
               "t.yaml:5:16: platforms[0].take_rate: expected a number, got 'abc'");
  EXPECT_STREQ(error_of("sectors: {name: a}\nplatforms:\n  - name: app\n").what(),
               "t.yaml:1:10: sectors: expected a list, got a mapping");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "run:\n  weeks: 2.5\n").what(),
               "t.yaml:7:10: run.weeks: expected an integer, got '2.5'");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "umbrella_coop:\n  enabled: maybe\n").what(),
               "t.yaml:7:12: umbrella_coop.enabled: expected true or false, got 'maybe'");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "run: [1, 2]\n").what(),
               "t.yaml:6:6: run: expected a mapping, got a list");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "name: {a: 1}\n").what(),
               "t.yaml:6:7: name: expected a string, got a mapping");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "workers: {skill_mean: '0.5'}\n").what(),
               "t.yaml:6:23: workers.skill_mean: expected a number, got '0.5' (quoted, so a "
               "string)");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "output: {panel: some}\n").what(),
               "t.yaml:6:17: output.panel: expected one of all, sampled, none or a number of "
               "workers, got 'some'");
  EXPECT_STREQ(error_of("- a\n- b\n").what(),
               "t.yaml:1:1: expected a mapping of scenario keys at the top level, got a list");
}

TEST(ScenarioErrors, OutOfRange) {
  const std::string sectors = "sectors:\n  - name: delivery\n";
  EXPECT_STREQ(error_of(sectors + "platforms:\n  - name: app\n    take_rate: 1.5\n").what(),
               "t.yaml:5:16: platforms[0].take_rate: value 1.5 out of range [0, 1]");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "run: {weeks: 0}\n").what(),
               "t.yaml:6:14: run.weeks: value 0 out of range [1, 5200]");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "workers: {count: -5}\n").what(),
               "t.yaml:6:18: workers.count: value -5 out of range [1, 100000000]");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "run: {seed: 18446744073709551616}\n").what(),
               "t.yaml:6:13: run.seed: value 18446744073709551616 out of range [0, "
               "18446744073709551615]");
  EXPECT_STREQ(error_of("sectors:\n  - {name: a, task_hours: 0}\nplatforms: [{name: p}]\n").what(),
               "t.yaml:2:27: sectors[0].task_hours: value 0 out of range (0, 168]");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "umbrella_coop: {payout_lag_weeks: 13}\n").what(),
               "t.yaml:6:35: umbrella_coop.payout_lag_weeks: value 13 out of range [0, 12]");
}

TEST(ScenarioErrors, NanAndInfinityAreRejected) {
  const std::string head =
      "sectors:\n  - name: delivery\nplatforms:\n  - name: app\n    take_rate: ";
  EXPECT_STREQ(error_of(head + ".nan\n").what(),
               "t.yaml:5:16: platforms[0].take_rate: expected a finite number, got '.nan'");
  EXPECT_STREQ(error_of(head + "-.inf\n").what(),
               "t.yaml:5:16: platforms[0].take_rate: expected a finite number, got '-.inf'");
  EXPECT_STREQ(error_of(head + "nan\n").what(),
               "t.yaml:5:16: platforms[0].take_rate: expected a finite number, got 'nan'");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "workers: {fixed_costs_mean: .inf}\n").what(),
               "t.yaml:6:29: workers.fixed_costs_mean: expected a finite number, got '.inf'");
}

TEST(ScenarioErrors, RequiredListsAndNames) {
  EXPECT_STREQ(error_of("platforms:\n  - name: app\n").what(),
               "t.yaml:1:1: sectors: missing required key 'sectors' (a list of sectors)");
  EXPECT_STREQ(error_of("sectors: []\nplatforms:\n  - name: app\n").what(),
               "t.yaml:1:10: sectors: expected at least 1 sector, got 0");
  EXPECT_STREQ(error_of("sectors:\n  - name: a\nplatforms:\n  - take_rate: 0.2\n").what(),
               "t.yaml:4:5: platforms[0].name: missing required key 'name'");
  EXPECT_STREQ(error_of("sectors:\n  - name: ''\nplatforms:\n  - name: p\n").what(),
               "t.yaml:2:11: sectors[0].name: expected a non-empty string, got '' (quoted, so a "
               "string)");
  EXPECT_STREQ(error_of("sectors:\n  - name: a\nplatforms:\n  - 7\n").what(),
               "t.yaml:4:5: platforms[0]: expected a mapping, got '7'");
  std::string many = "sectors: [{name: a}]\nplatforms:\n";
  for (int i = 0; i <= kMaxPlatforms; ++i) many += "  - name: p" + std::to_string(i) + "\n";
  EXPECT_STREQ(error_of(many).what(), "t.yaml:3:3: platforms: expected at most 8 platforms, got 9");
  EXPECT_EQ(error_of("").message(), "missing required key 'sectors' (a list of sectors)");
}

TEST(ScenarioErrors, DuplicatePlatformNameAndDuplicateKey) {
  EXPECT_STREQ(error_of(R"(sectors:
  - name: delivery
  - name: care
platforms:
  - name: app
  - name: other
  - name: app
)")
                   .what(),
               "t.yaml:7:11: platforms[2].name: duplicate platform name 'app' (also "
               "platforms[0].name)");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "run:\n  weeks: 5\n  weeks: 6\n").what(),
               "t.yaml:8:3: run.weeks: duplicate key 'weeks' (first at line 7)");
}

TEST(ScenarioErrors, CrossFieldRules) {
  const std::string one_sector = "sectors: [{name: a}]\nplatforms: [{name: p}]\n";
  EXPECT_STREQ(error_of(one_sector + "workers:\n  sectors_per_worker: 2\n").what(),
               "t.yaml:4:23: workers.sectors_per_worker: value 2 exceeds the number of sectors "
               "(1)");
  // Defaults are checked too: the default sectors_per_worker (2) needs two sectors; the error
  // then points at the top-level mapping.
  EXPECT_STREQ(error_of(one_sector).what(),
               "t.yaml:1:1: workers.sectors_per_worker: value 2 exceeds the number of sectors (1)");
  EXPECT_NO_THROW(load_string(one_sector + "workers: {sectors_per_worker: 1}\n", "t.yaml"));
  EXPECT_STREQ(error_of(std::string(kMinimal) +
                        "workers: {far_from_market_share: 0.1}\nwise:\n  enabled: true\n"
                        "  sector: cleaning\n")
                   .what(),
               "t.yaml:9:11: wise.sector: 'cleaning' is not a sector (sectors: 'delivery', "
               "'care')");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "wise:\n  enabled: true\n  sector: care\n").what(),
               "t.yaml:7:12: wise.enabled: no worker is far enough from the labour market for a "
               "WISE to hire: set workers.far_from_market_share above 0 (or wise.min_distance to "
               "0)");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "intermediary:\n  enabled: true\n").what(),
               "t.yaml:7:12: intermediary.enabled: the node links workers far from the labour "
               "market, and there are none: set workers.far_from_market_share above 0");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "public_buyers:\n  enabled: true\n").what(),
               "t.yaml:7:12: public_buyers.enabled: public buyers reserve contracts for WISEs: set "
               "wise.enabled: true as well");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "peer_learning:\n  enabled: true\n").what(),
               "t.yaml:7:12: peer_learning.enabled: peer learning runs among umbrella-cooperative "
               "members: set umbrella_coop.enabled: true as well");
  EXPECT_STREQ(
      error_of(std::string(kMinimal) +
               "umbrella_coop:\n  guarantee_fund_share: 0.75\n  training_fund_share: 0.5\n")
          .what(),
      "t.yaml:8:24: umbrella_coop.training_fund_share: guarantee_fund_share + "
      "training_fund_share = 1.25 exceeds 1");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "output: {panel_workers: 0}\n").what(),
               "t.yaml:6:25: output.panel_workers: must be at least 1 when panel is sampled");
  EXPECT_NO_THROW(
      load_string(std::string(kMinimal) + "output: {panel: all, panel_workers: 0}\n", "t.yaml"));
  EXPECT_STREQ(
      error_of(std::string(kMinimal) + "workers: {skill_mean: 0.1, skill_sd: 0.4}\n").what(),
      "t.yaml:6:38: workers.skill_sd: skill_sd 0.4 too large for a beta distribution "
      "with skill_mean 0.1 (needs skill_sd^2 < skill_mean * (1 - skill_mean))");
  EXPECT_STREQ(error_of(std::string(kMinimal) + "output: {panel: 5, panel_workers: 3}\n").what(),
               "t.yaml:6:17: output.panel: a number here sets panel_workers; give panel_workers "
               "or a number, not both");
}

TEST(ScenarioErrors, MissingFile) {
  const ScenarioError error = error_of([] { load_file("/nonexistent/dir/x.yaml"); });
  EXPECT_STREQ(error.what(), "/nonexistent/dir/x.yaml: no such file");
  EXPECT_EQ(error.line(), 0);
  EXPECT_EQ(error_of([] { load_file(GIGSIM_SOURCE_DIR); }).message(),
            "is a directory, not a scenario file");
}

TEST(ScenarioErrors, YamlSyntaxErrorCarriesTheParserPosition) {
  const ScenarioError error = error_of("sectors:\n  - name: a\nplatforms: [{name: p}\n");
  EXPECT_EQ(error.file(), "t.yaml");
  EXPECT_EQ(error.line(), 4);
  EXPECT_EQ(error.column(), 1);
  EXPECT_EQ(error.key_path(), "");
  EXPECT_FALSE(error.message().empty());
  EXPECT_EQ(std::string(error.what()), "t.yaml:4:1: " + error.message());

  const ScenarioError tab = error_of("run:\n  weeks: 5\n bad: [\n");
  EXPECT_EQ(tab.file(), "t.yaml");
  EXPECT_GE(tab.line(), 3);
}

TEST(ScenarioErrors, ASecondYamlDocumentIsRejected) {
  EXPECT_STREQ(error_of(std::string(kMinimal) + "---\nfoo: 1\n").what(),
               "t.yaml:6:1: expected one YAML document, found more than one");
}

// --- --set overrides ----------------------------------------------------------------------------

const std::string kTwoPlatforms = R"(sectors:
  - name: a
  - name: b
platforms:
  - name: app
    take_rate: 0.25
  - {name: market, market_share: 0}
run:
  weeks: 260
)";

TEST(ScenarioOverrides, NestedAndIndexedValuesTakeEffect) {
  const ScenarioSpec spec =
      load_string(kTwoPlatforms, "t.yaml",
                  {"umbrella_coop.fee_rate=0.05", "platforms[1].take_rate=0.3", "run.weeks=52",
                   "output.panel=all", "umbrella_coop.enabled=true",
                   "platforms[0].name=\"renamed app\"", "run.weeks=53"});
  EXPECT_EQ(spec.umbrella_coop.fee_rate, 0.05);
  EXPECT_TRUE(spec.umbrella_coop.enabled);
  EXPECT_EQ(spec.platforms[0].take_rate, 0.25);
  EXPECT_EQ(spec.platforms[1].take_rate, 0.3);
  EXPECT_EQ(spec.platforms[0].name, "renamed app");
  EXPECT_EQ(spec.run.weeks, 53u);  // the later override wins
  EXPECT_EQ(spec.output.panel, PanelMode::all);
}

TEST(ScenarioOverrides, CanReplaceAWholeListOrSection) {
  const ScenarioSpec spec =
      load_string(kTwoPlatforms, "t.yaml",
                  {"sectors=[{name: x}, {name: y, base_price: 9}]", "run={weeks: 4, seed: 9}"});
  ASSERT_EQ(spec.sectors.size(), 2u);
  EXPECT_EQ(spec.sectors[1].name, "y");
  EXPECT_EQ(spec.sectors[1].base_price, 9.0);
  EXPECT_EQ(spec.run.weeks, 4u);
  EXPECT_EQ(spec.run.seed, 9u);
}

TEST(ScenarioOverrides, CanBuildAScenarioFromAnEmptyFile) {
  const ScenarioSpec spec =
      load_string("", "empty.yaml",
                  {"sectors=[{name: a}]", "platforms=[{name: b}]", "workers.sectors_per_worker=1"});
  ASSERT_EQ(spec.sectors.size(), 1u);
  EXPECT_EQ(spec.platforms[0].name, "b");
}

TEST(ScenarioOverrides, BadPathsNameTheOverrideAndColumn) {
  EXPECT_STREQ(error_of(kTwoPlatforms, {"umbrella_coop.fe_rate=0.05"}).what(),
               "--set:1:15: umbrella_coop.fe_rate: unknown key 'fe_rate' (did you mean "
               "'fee_rate'?)");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"platforms[2].take_rate=0.3"}).what(),
               "--set:1:10: platforms[2]: index 2 out of range ('platforms' has 2 entries)");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"platforms.take_rate=0.3"}).what(),
               "--set:1:11: platforms: 'platforms' is a list; use platforms[N].take_rate");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"run.weeks.x=1"}).what(),
               "--set:1:11: run.weeks: 'run.weeks' is a value, not a mapping");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"run[0]=1"}).what(), "--set:1:4: run: 'run' is not a list");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"run.weeks"}).what(),
               "--set:1:1: expected key.path=value, got 'run.weeks'");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"run..weeks=1"}).what(),
               "--set:1:5: run: expected a key name in key.path=value");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"platforms[x].name=1"}).what(),
               "--set:1:10: platforms: expected [N] with a non-negative integer N");
  EXPECT_EQ(error_of(kTwoPlatforms, {"run.weeks=[1"}).file(), "--set");
}

TEST(ScenarioOverrides, BadValuesPointAtTheValueInTheOverride) {
  EXPECT_STREQ(error_of(kTwoPlatforms, {"run.weeks=abc"}).what(),
               "--set:1:11: run.weeks: expected an integer, got 'abc'");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"platforms[1].take_rate=2"}).what(),
               "--set:1:24: platforms[1].take_rate: value 2 out of range [0, 1]");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"sectors=[{name: x, nme: y}]"}).what(),
               "--set:1:9: sectors[0].nme: unknown key 'nme' (did you mean 'name'?)");
  EXPECT_STREQ(error_of(kTwoPlatforms, {"platforms[1].name=app"}).what(),
               "--set:1:19: platforms[1].name: duplicate platform name 'app' (also "
               "platforms[0].name)");
}

TEST(ScenarioSetsKey, TellsWhetherTheFileOrAnOverrideGivesAKey) {
  const std::string baseline = kScenarioDir + "baseline.yaml";
  EXPECT_TRUE(sets_key(baseline, "run.seed"));
  EXPECT_TRUE(sets_key(baseline, "platforms[1].take_rate"));
  EXPECT_FALSE(sets_key(baseline, "platforms[2].take_rate"));
  EXPECT_FALSE(sets_key(baseline, "umbrella_coop.fee_rate"));
  EXPECT_TRUE(sets_key(baseline, "umbrella_coop.fee_rate", {"umbrella_coop={fee_rate: 0.1}"}));
  EXPECT_TRUE(sets_key(baseline, "run.weeks", {"run.weeks=5"}));
  EXPECT_THROW(sets_key(baseline, "run.sed"), ScenarioError);
  EXPECT_THROW(sets_key("/nonexistent.yaml", "run.seed"), ScenarioError);
}

// --- parameter list -----------------------------------------------------------------------------

TEST(ScenarioListParams, EveryFieldIsListedWithUnitOrDescription) {
  const std::vector<ParamInfo> params = list_params();
  std::set<std::string> paths;
  for (const ParamInfo& param : params) {
    SCOPED_TRACE(param.path);
    EXPECT_TRUE(paths.insert(param.path).second) << "listed twice";
    EXPECT_FALSE(param.unit.empty() && param.description.empty());
    EXPECT_FALSE(param.type.empty());
  }
  // Every key that to_yaml writes (one entry per list) has a row.
  ScenarioSpec spec;
  spec.sectors.push_back(SectorSpec{.name = "s"});
  spec.platforms.push_back(PlatformSpec{.name = "p"});
  const YAML::Node tree = YAML::Load(to_yaml(spec));
  std::size_t leaves = 0;
  const std::function<void(const YAML::Node&, const std::string&)> visit =
      [&](const YAML::Node& node, const std::string& prefix) {
        for (const auto& pair : node) {
          const std::string path = prefix + pair.first.Scalar();
          if (pair.second.IsMap()) {
            visit(pair.second, path + ".");
          } else if (pair.second.IsSequence()) {
            EXPECT_TRUE(paths.count(path)) << path;
            visit(pair.second[0], path + "[].");
          } else {
            ++leaves;
            EXPECT_TRUE(paths.count(path)) << path;
          }
        }
      };
  visit(tree, "");
  // + the two list rows + tasks_per_week_per_worker (input only: resolved into tasks_per_week)
  EXPECT_EQ(params.size(), leaves + 3);

  const auto find = [&](const std::string& path) {
    for (const ParamInfo& param : params) {
      if (param.path == path) return param;
    }
    ADD_FAILURE() << "no row for " << path;
    return ParamInfo{};
  };
  const ParamInfo take_rate = find("platforms[].take_rate");
  EXPECT_EQ(take_rate.type, "real");
  EXPECT_EQ(take_rate.default_value, "0.25");
  EXPECT_EQ(take_rate.range, "[0, 1]");
  EXPECT_FALSE(take_rate.source.empty());
  EXPECT_EQ(find("run.seed").default_value, std::to_string(kDefaultSeed));
  EXPECT_EQ(find("umbrella_coop.payout_lag_weeks").range, "[0, 12]");
  EXPECT_EQ(find("sectors").range, "1..8 entries");
  EXPECT_EQ(find("sectors[].name").default_value, "(required)");
  EXPECT_EQ(find("output.panel").default_value, "sampled");
  EXPECT_EQ(find("workers.search_minutes_per_paid_hour").default_value, "21.5");
}

// --- market scale: demand per worker ------------------------------------------------------------

constexpr const char* kPerWorker = R"(workers: {count: 2000}
sectors:
  - {name: delivery, tasks_per_week_per_worker: 12}
  - {name: care, tasks_per_week: 500}
platforms:
  - name: app
)";

TEST(ScenarioMarketScale, DemandPerWorkerBecomesTasksPerWeekForThePopulation) {
  const ScenarioSpec spec = load_string(kPerWorker, "t.yaml");
  EXPECT_EQ(spec.sectors[0].tasks_per_week, 24000.0);
  EXPECT_EQ(spec.sectors[1].tasks_per_week, 500.0);  // the absolute form stays as given
  // Changing the population keeps the per-worker sector's balance.
  const ScenarioSpec big = load_string(kPerWorker, "t.yaml", {"workers.count=100000"});
  EXPECT_EQ(big.sectors[0].tasks_per_week, 1.2e6);
  EXPECT_EQ(big.sectors[1].tasks_per_week, 500.0);
  // The resolved scenario holds the absolute value and reads back to the same spec.
  const std::string resolved = to_yaml(big);
  EXPECT_EQ(resolved.find("tasks_per_week_per_worker"), std::string::npos);
  expect_same(load_string(resolved, "resolved.yaml"), big);
  // Without workers.count the default population (10,000) multiplies.
  EXPECT_EQ(load_string("sectors: [{name: a, tasks_per_week_per_worker: 1.5}, {name: b}]\n"
                        "platforms: [{name: p}]\n",
                        "t.yaml")
                .sectors[0]
                .tasks_per_week,
            15000.0);
}

TEST(ScenarioMarketScale, OverridesOfEitherFormReplaceTheSectorsDemand) {
  EXPECT_EQ(load_string(kPerWorker, "t.yaml", {"sectors[0].tasks_per_week=777"})
                .sectors[0]
                .tasks_per_week,
            777.0);
  EXPECT_EQ(load_string(kPerWorker, "t.yaml", {"sectors[1].tasks_per_week_per_worker=0.5"})
                .sectors[1]
                .tasks_per_week,
            1000.0);
  // The later of two overrides wins.
  EXPECT_EQ(load_string(kPerWorker, "t.yaml",
                        {"sectors[0].tasks_per_week=777", "sectors[0].tasks_per_week_per_worker=2"})
                .sectors[0]
                .tasks_per_week,
            4000.0);
}

TEST(ScenarioMarketScale, BadPerWorkerDemandIsAnErrorAtItsKey) {
  const std::string both =
      "workers: {count: 10}\nsectors:\n  - name: a\n    tasks_per_week: 5\n"
      "    tasks_per_week_per_worker: 1\n  - name: b\nplatforms: [{name: p}]\n";
  EXPECT_STREQ(error_of(both).what(),
               "t.yaml:5:32: sectors[0].tasks_per_week_per_worker: give tasks_per_week (whole "
               "market) or tasks_per_week_per_worker (per worker), not both");
  const std::string negative =
      "sectors:\n  - {name: a, tasks_per_week_per_worker: -1}\n"
      "  - {name: b}\nplatforms: [{name: p}]\n";
  EXPECT_STREQ(error_of(negative).what(),
               "t.yaml:2:42: sectors[0].tasks_per_week_per_worker: value -1 out of range [0, "
               "100000]");
  const std::string text =
      "sectors:\n  - {name: a, tasks_per_week_per_worker: lots}\n"
      "  - {name: b}\nplatforms: [{name: p}]\n";
  EXPECT_NE(std::string(error_of(text).what()).find("expected a finite number, got 'lots'"),
            std::string::npos);
  // More tasks a week than a sector may have.
  EXPECT_NE(std::string(error_of(kPerWorker, {"workers.count=100000000"}).what())
                .find("gives 1200000000 tasks a week with 100000000 workers"),
            std::string::npos);
  // A typo is caught as for any key.
  const std::string typo =
      "sectors:\n  - {name: a, tasks_per_week_per_workr: 1}\n  - {name: b}\n"
      "platforms: [{name: p}]\n";
  EXPECT_NE(std::string(error_of(typo).what()).find("(did you mean 'tasks_per_week_per_worker'?)"),
            std::string::npos);
}

TEST(ScenarioMarketScale, BalanceComparesDemandWithTheWorkersPaidHourCapacity) {
  const ScenarioSpec shipped = load_file(kScenarioDir + "baseline.yaml");
  const MarketBalance b = market_balance(shipped);
  // 120,000 x 0.6 + 12,000 x 3 + 25,000 x 2.5 paid hours; 10,000 x 27 hours less 21.5 minutes of
  // search per paid hour.
  EXPECT_DOUBLE_EQ(b.demand_hours, 170500.0);
  EXPECT_DOUBLE_EQ(b.capacity_hours, 10000.0 * 27 / (1 + 21.5 / 60));
  EXPECT_NEAR(b.ratio, 0.858, 0.001);
  EXPECT_EQ(market_balance_warning(shipped), "");
  // The shipped scenarios give demand per worker: ten times the workers keeps the balance ...
  const ScenarioSpec ten_times =
      load_file(kScenarioDir + "baseline.yaml", {"workers.count=100000"});
  EXPECT_NEAR(market_balance(ten_times).ratio, b.ratio, 1e-12);
  // ... an absolute demand does not, and the warning says what to change.
  const ScenarioSpec flooded =
      load_file(kScenarioDir + "baseline.yaml",
                {"workers.count=100000", "sectors[0].tasks_per_week=120000",
                 "sectors[1].tasks_per_week=12000", "sectors[2].tasks_per_week=25000"});
  EXPECT_NEAR(market_balance(flooded).ratio, b.ratio / 10, 1e-9);
  EXPECT_NE(market_balance_warning(flooded).find("oversupplied"), std::string::npos);
  EXPECT_NE(market_balance_warning(flooded).find("tasks_per_week_per_worker"), std::string::npos);
  const ScenarioSpec starved = load_file(kScenarioDir + "baseline.yaml", {"workers.count=1000"});
  EXPECT_EQ(market_balance_warning(starved), "");  // per worker: still balanced
  const ScenarioSpec short_of_workers =
      load_file(kScenarioDir + "baseline.yaml", {"sectors[0].tasks_per_week_per_worker=40"});
  EXPECT_NE(market_balance_warning(short_of_workers).find("cannot be served"), std::string::npos);
}

// --- scenario identity --------------------------------------------------------------------------

TEST(ScenarioHash, IgnoresTheSeedAndNothingElse) {
  const ScenarioSpec a = load_string(kMinimal, "t.yaml");
  const ScenarioSpec other_seed = load_string(kMinimal, "t.yaml", {"run.seed=99"});
  const ScenarioSpec other_fee = load_string(kMinimal, "t.yaml", {"umbrella_coop.fee_rate=0.05"});
  EXPECT_EQ(scenario_hash(a).size(), 32u);
  EXPECT_EQ(scenario_hash(a), scenario_hash(other_seed));
  EXPECT_NE(scenario_hash(a), scenario_hash(other_fee));
  EXPECT_NE(scenario_hash(a), scenario_hash(load_string(kMinimal, "t.yaml", {"name=x"})));
  // The shipped comparison the old report called "baseline vs. baseline": one --set, one name.
  const std::string pool = kScenarioDir + "broodfonds_sickness_pool.yaml";
  EXPECT_NE(scenario_hash(load_file(pool)),
            scenario_hash(load_file(pool, {"sickness_pool.enabled=false"})));
  EXPECT_EQ(text_hash128("abc"), text_hash128("abc"));
  EXPECT_NE(text_hash128("abc"), text_hash128("abd"));
}

}  // namespace
}  // namespace gigsim::scenario
