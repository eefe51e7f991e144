#include "gigsim/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gigsim {

std::string_view payer_name(TrainingPayer p) {
  switch (p) {
    case TrainingPayer::none:
      return "none";
    case TrainingPayer::self:
      return "self";
    case TrainingPayer::cooperative:
      return "cooperative";
    case TrainingPayer::employer:
      return "employer";
    case TrainingPayer::public_:
      return "public";
  }
  return "unknown";
}

IncomeMetrics income_metrics(const double* x, int months, double poverty_line) {
  IncomeMetrics r;
  if (months <= 0) {
    r.cv = std::numeric_limits<double>::quiet_NaN();
    return r;
  }
  double sum = 0;
  for (int j = 0; j < months; ++j) sum += x[j];
  r.mean = sum / months;
  double ss = 0;
  for (int j = 0; j < months; ++j) ss += (x[j] - r.mean) * (x[j] - r.mean);
  const double sd = std::sqrt(ss / months);
  r.cv = r.mean > 0 ? sd / r.mean : std::numeric_limits<double>::quiet_NaN();
  for (int j = 0; j < months; ++j) {
    // Dip: more than 25% below the worker's own 12-month mean (US Financial Diaries).
    if (r.mean > 0 && x[j] < 0.75 * r.mean) ++r.dip_months;
    // Below the poverty line: 60% of median income (Eurostat).
    if (x[j] < poverty_line) ++r.months_below;
    // Large swing: month-to-month change above 30% (JPMorgan Chase Institute); a change from
    // zero to any income counts as a swing, zero to zero does not.
    if (j > 0) {
      const double prev = x[j - 1];
      const double change = std::fabs(x[j] - prev);
      if (prev > 0 ? change > 0.3 * prev : x[j] > 0) ++r.large_swings;
    }
  }
  return r;
}

double MetricSums::Acc::mean() const {
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

GroupSummary::Stat MetricSums::Acc::stat() const {
  if (n == 0) return {};
  const double m = sum / n;
  const double var = n > 1 ? std::max(0.0, (sum_sq - n * m * m) / (n - 1)) : 0.0;
  return {m, 1.96 * std::sqrt(var / n)};
}

void MetricSums::add(const WorkerSummaries& s, std::size_t i) {
  ++workers;
  income.add(s.mean_monthly_income[i]);
  if (!std::isnan(s.income_cv[i])) cv.add(s.income_cv[i]);
  dips.add(s.dip_months[i]);
  swings.add(s.large_swings[i]);
  poverty.add(s.months_below_poverty[i]);
  trained.add(s.trained_last_12m[i]);
}

std::vector<MetricSums> sum_by_group(const WorkerSummaries& s, std::size_t group_count) {
  std::vector<MetricSums> acc(group_count);
  for (std::size_t i = 0; i < s.group.size(); ++i) acc.at(s.group[i]).add(s, i);
  return acc;
}

std::vector<GroupSummary> summarize_groups(const WorkerSummaries& s, std::size_t group_count) {
  const std::vector<MetricSums> acc = sum_by_group(s, group_count);
  std::vector<GroupSummary> out;
  for (std::size_t g = 0; g < group_count; ++g) {
    const MetricSums& a = acc[g];
    GroupSummary gs{};
    gs.group = static_cast<std::uint8_t>(g);
    gs.workers = a.workers;
    gs.mean_monthly_income = a.income.stat();
    gs.income_cv = a.cv.stat();
    gs.dip_months = a.dips.stat();
    gs.large_swings = a.swings.stat();
    gs.months_below_poverty = a.poverty.stat();
    gs.trained_last_12m = a.trained.stat();
    out.push_back(gs);
  }
  return out;
}

}  // namespace gigsim
