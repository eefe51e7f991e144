// Outcome metrics (docs/ODD.md "Outcome metrics"): a worker's income stability over its monthly
// incomes, and group statistics of the end-of-run summaries, shared by the summary printer, the
// sweeps' run records and `gigsim validate`.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "gigsim/observer.hpp"

namespace gigsim {

// Income-stability metrics of one worker's monthly incomes in chronological order; exposed for
// tests against hand-computed values.
struct IncomeMetrics {
  double mean = 0;
  double cv = 0;  // population sd / mean; NaN when mean <= 0
  int dip_months = 0;
  int large_swings = 0;
  int months_below = 0;
};
IncomeMetrics income_metrics(const double* monthly, int months, double poverty_line);

// Group means of the summaries, with 95% intervals across workers (normal approximation).
struct GroupSummary {
  std::uint8_t group = kPlatformOnlyGroup;
  std::uint32_t workers = 0;
  struct Stat {
    double mean = 0;
    double ci95 = 0;  // half-width
  };
  Stat mean_monthly_income, income_cv, dip_months, large_swings, months_below_poverty,
      trained_last_12m;
};

// Sums of the six summary metrics over a set of workers, in worker order (bit-identical at any
// thread count).
struct MetricSums {
  struct Acc {
    double n = 0, sum = 0, sum_sq = 0;
    void add(double x) {
      n += 1;
      sum += x;
      sum_sq += x * x;
    }
    double mean() const;              // NaN without values
    GroupSummary::Stat stat() const;  // mean and 95% half-width; zeros without values
  };
  std::uint32_t workers = 0;
  Acc income, cv, dips, swings, poverty, trained;
  void add(const WorkerSummaries& s, std::size_t i);
};

// Per group code (0 .. group_count - 1), in worker order.
std::vector<MetricSums> sum_by_group(const WorkerSummaries& s, std::size_t group_count);
std::vector<GroupSummary> summarize_groups(const WorkerSummaries& s, std::size_t group_count);

}  // namespace gigsim
