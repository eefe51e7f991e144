#include "gigsim/state.hpp"

namespace gigsim {

namespace {
template <class T>
std::size_t column_bytes(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
}  // namespace

void WorkerState::resize(std::uint32_t n, int n_sectors, int n_platforms, int ring_slots) {
  count = n;
  sectors = n_sectors;
  platforms = n_platforms;
  ring = ring_slots;
  const std::size_t N = n;
  hours_budget.assign(N, 0.f);
  fixed_costs.assign(N, 0);
  skill.assign(N * static_cast<std::size_t>(n_sectors), 0.f);
  reputation.assign(N * static_cast<std::size_t>(n_platforms), 0.f);
  reviews.assign(N * static_cast<std::size_t>(n_platforms), 0.f);
  platform_mask.assign(N, 0);
  coop_member.assign(N, 0);
  cash.assign(N, 0);
  platform_due.assign(N * static_cast<std::size_t>(ring_slots), 0);
  coop_due.assign(N * static_cast<std::size_t>(ring_slots), 0);
  recent_weekly_earnings.assign(N, 0.f);
  recent_hourly_earnings.assign(N, 0.f);
  training_weeks_left.assign(N, 0);
  training_sector.assign(N, 0);
  training_payer.assign(N, 0);
  last_training_step.assign(N, kNever);
  work_sector.assign(N, 0);
  week_paid_hours.assign(N, 0.f);
  week_unpaid_hours.assign(N, 0.f);
  week_earned.assign(N, 0.f);
  month_income.assign(N, 0);
  month_paid_hours.assign(N, 0.f);
  month_unpaid_hours.assign(N, 0.f);
  month_training_hours.assign(N, 0.f);
  month_trained.assign(N, 0);
  income_history.assign(N * kHistoryMonths, 0);
  training_hours_history.assign(N * kHistoryMonths, 0.f);
}

std::size_t WorkerState::bytes() const {
  return column_bytes(hours_budget) + column_bytes(fixed_costs) + column_bytes(skill) +
         column_bytes(reputation) + column_bytes(reviews) + column_bytes(platform_mask) +
         column_bytes(coop_member) + column_bytes(cash) + column_bytes(platform_due) +
         column_bytes(coop_due) + column_bytes(recent_weekly_earnings) +
         column_bytes(recent_hourly_earnings) + column_bytes(training_weeks_left) +
         column_bytes(training_sector) + column_bytes(training_payer) +
         column_bytes(last_training_step) + column_bytes(work_sector) +
         column_bytes(week_paid_hours) + column_bytes(week_unpaid_hours) +
         column_bytes(week_earned) + column_bytes(month_income) + column_bytes(month_paid_hours) +
         column_bytes(month_unpaid_hours) + column_bytes(month_training_hours) +
         column_bytes(month_trained) + column_bytes(income_history) +
         column_bytes(training_hours_history);
}

}  // namespace gigsim
