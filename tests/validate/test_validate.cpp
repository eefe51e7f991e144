// gigsim validate: moments, replications and verdicts (docs/validation.md).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "../core/small_market.hpp"
#include "gigsim/validate.hpp"

namespace gigsim {
namespace {

std::size_t index_of(std::string_view id) {
  const auto t = validate::targets();
  for (std::size_t k = 0; k < t.size(); ++k)
    if (t[k].id == id) return k;
  ADD_FAILURE() << "no target " << id;
  return 0;
}

TEST(Validate, MomentsFollowTheirDefinitions) {
  // Four workers, poverty line 100: incomes 50 (below), 150 and 250 (100-300%), 400 (above);
  // workers 0 and 1 platform-only, 2 and 3 cooperative members.
  WorkerSummaries s;
  s.poverty_line = 100;
  s.mean_monthly_income = {50, 150, 250, 400};
  s.income_cv = {0.8f, 0.3f, 0.2f, 0.1f};
  s.trained_last_12m = {1, 0, 1, 1};
  s.group = {0, 0, 1, 1};
  validate::WindowFlows f;
  f.commission = 25;
  f.client_paid = 100;
  f.paid_hours = 60;
  f.unpaid_hours = 20;
  f.worker_weeks = 4;
  const std::vector<double> m = validate::moments(f, s);
  EXPECT_DOUBLE_EQ(m[index_of("take_rate")], 0.25);
  EXPECT_DOUBLE_EQ(m[index_of("weekly_hours")], 20);
  EXPECT_DOUBLE_EQ(m[index_of("weekly_unpaid_hours")], 5);
  EXPECT_DOUBLE_EQ(m[index_of("unpaid_minutes_per_paid_hour")], 20);
  EXPECT_NEAR(m[index_of("income_cv")], (0.8 + 0.3 + 0.2 + 0.1) / 4, 1e-7);
  EXPECT_NEAR(m[index_of("income_cv_below_poverty")], 0.8, 1e-7);
  EXPECT_NEAR(m[index_of("income_cv_1_3_poverty")], 0.25, 1e-7);
  EXPECT_DOUBLE_EQ(m[index_of("training_self_employed")], 0.5);
  EXPECT_DOUBLE_EQ(m[index_of("training_other_contracts")], 1.0);
  EXPECT_TRUE(std::isnan(m[index_of("pension")]));
  // No cooperative members: that moment is absent, not zero.
  s.group = {0, 0, 0, 0};
  EXPECT_TRUE(std::isnan(validate::moments(f, s)[index_of("training_other_contracts")]));
}

TEST(Validate, EveryTargetHasASourceAndAPositiveTolerance) {
  for (const validate::Target& t : validate::targets()) {
    EXPECT_FALSE(t.source.empty()) << t.id;
    EXPECT_GT(t.tolerance, 0) << t.id;
  }
}

TEST(Validate, ReportDoesNotDependOnThreadsAndReplicationsAreIndependent) {
  ScenarioSpec spec = testing::busy_market(1500, 60);
  const validate::Report one = validate::run(spec, 3, 1);
  const validate::Report two = validate::run(spec, 3, 2);
  ASSERT_EQ(one.rows.size(), validate::targets().size());
  EXPECT_EQ(one.seeds, two.seeds);
  for (int r = 0; r < 3; ++r)
    EXPECT_EQ(one.seeds[static_cast<std::size_t>(r)], validate::replication_seed(spec.run.seed, r));
  EXPECT_NE(one.seeds[0], one.seeds[1]);
  for (std::size_t k = 0; k < one.rows.size(); ++k) {
    const validate::Row& a = one.rows[k];
    const validate::Row& b = two.rows[k];
    ASSERT_EQ(a.values.size(), 3u);
    EXPECT_EQ(std::memcmp(a.values.data(), b.values.data(), 3 * sizeof(double)), 0) << a.target->id;
    if (a.verdict == validate::Verdict::pass || a.verdict == validate::Verdict::fail) {
      EXPECT_EQ(a.verdict == validate::Verdict::pass,
                std::abs(a.mean - a.target->value) <= a.target->tolerance);
      EXPECT_LE(a.ci_low, a.mean);
      EXPECT_GE(a.ci_high, a.mean);
    }
  }
  // One replication with four threads inside the engine gives the same moments as with one.
  const validate::Report wide = validate::run(spec, 1, 4);
  const validate::Report narrow = validate::run(spec, 1, 1);
  for (std::size_t k = 0; k < wide.rows.size(); ++k) {
    EXPECT_EQ(std::memcmp(wide.rows[k].values.data(), narrow.rows[k].values.data(), sizeof(double)),
              0)
        << wide.rows[k].target->id;
  }
  // Independent seeds: the income CV differs between replications.
  const validate::Row& cv = one.rows[index_of("income_cv")];
  EXPECT_NE(cv.values[0], cv.values[1]);
  EXPECT_GT(cv.sd, 0);
  EXPECT_EQ(one.rows[index_of("pension")].verdict, validate::Verdict::not_modelled);
  EXPECT_EQ(one.rows[index_of("training_other_contracts")].verdict == validate::Verdict::absent,
            false)
      << "busy_market has cooperative members";
}

TEST(Validate, AllPassNeedsAJudgedTargetAndNoFailure) {
  validate::Report report;
  validate::Row row;
  row.verdict = validate::Verdict::not_modelled;
  report.rows.push_back(row);
  row.verdict = validate::Verdict::absent;
  report.rows.push_back(row);
  EXPECT_FALSE(report.all_pass()) << "nothing was compared";
  row.verdict = validate::Verdict::pass;
  report.rows.push_back(row);
  EXPECT_TRUE(report.all_pass());
  row.verdict = validate::Verdict::fail;
  report.rows.push_back(row);
  EXPECT_FALSE(report.all_pass());
}

TEST(Validate, RunsShorterThanTheWindowAreRejected) {
  EXPECT_THROW(validate::run_moments(testing::small_market(50, 20), 1), std::invalid_argument);
}

}  // namespace
}  // namespace gigsim
