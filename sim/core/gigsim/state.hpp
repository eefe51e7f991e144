// Agent state as structures of arrays. Money is integer EUR cents so flows balance exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "gigsim/calendar.hpp"
#include "gigsim/columns.hpp"
#include "gigsim/market_spec.hpp"

namespace gigsim {

inline constexpr std::int32_t kNever = -1;

struct WorkerState {
  std::uint32_t count = 0;
  int sectors = 0;           // columns of skill
  int platforms = 0;         // columns of reputation/reviews
  int ring = 0;              // slots of the payout rings (max payout lag + 1, at least 2)
  int patronage_width = 0;   // columns of patronage: the platforms, if any is a cooperative, else 0
  int affiliation_bits = 0;  // affiliations declared by the mechanisms that are on
  int employer_kinds = 0;    // employer kinds declared by the mechanisms that are on

  // Endowments
  std::vector<float> hours_budget;        // hours/week
  std::vector<std::int64_t> fixed_costs;  // cents/week
  // Skills and reputation
  std::vector<float> skill;       // [count * sectors], 0..1
  std::vector<float> reputation;  // [count * platforms], rating average 0..1
  std::vector<float> reviews;     // [count * platforms], ratings received
  // Affiliations
  std::vector<std::uint16_t> platform_mask;  // bit p set: registered on platform p
  std::vector<std::uint8_t> coop_member;     // 1: umbrella cooperative member
  std::vector<std::uint8_t> employer;        // employer kind of the worker's contract, 0: none
  std::vector<float> distance;               // distance from the labour market, 0..1
  // Affiliations (bit k: the k-th declared, e.g. linked to the intermediary node): they cut unpaid
  // search time and recruitment bias (engine concept; Declarations::affiliation).
  std::vector<std::uint8_t> affiliations;
  // [count * patronage_width] cents of gross earned on each platform cooperative this year, the
  // basis of its patronage dividend (zero-width when no platform is a cooperative)
  std::vector<std::int64_t> patronage;
  // Sickness
  std::vector<std::uint16_t> absent_weeks_left;     // weeks of the current spell still to come
  std::vector<std::uint16_t> absent_weeks_elapsed;  // weeks of the current spell already passed
  // Money
  std::vector<std::int64_t> cash;  // cents, end of step (may be negative: debt)
  // Payout rings, slot-major ([ring][count], slot = due step % ring) so that a phase touching one
  // slot streams one contiguous column.
  std::vector<std::int64_t> platform_due;    // cents the platforms owe, by due step
  std::vector<std::int64_t> coop_due;        // cents the cooperative owes, by due step
  std::vector<std::int64_t> salary_account;  // cents held for a member's averaged salary
  std::size_t ring_index(int slot, std::uint32_t worker) const {
    return static_cast<std::size_t>(slot) * count + worker;
  }
  // Expectations used in decisions (exponential moving averages of earned net pay)
  std::vector<float> recent_weekly_earnings;  // EUR/week
  std::vector<float> recent_hourly_earnings;  // EUR/paid hour
  // Training
  std::vector<std::uint8_t> training_weeks_left;  // weeks of the current course still to attend
  std::vector<std::uint8_t> training_sector;
  std::vector<std::uint8_t> training_payer;      // TrainingPayer of the latest course
  std::vector<std::int32_t> last_training_step;  // last step spent in training, kNever if none
  // Current week (work_sector set by the offer phase; hours by the settlement pass, which reads
  // them in the same pass and leaves them for tests and checkpoints)
  std::vector<std::uint8_t> work_sector;  // sector the worker offers this week
  std::vector<float> week_paid_hours;     // hours
  std::vector<float> week_unpaid_hours;   // hours
  // Current month accumulators
  std::vector<std::int64_t> month_income;  // cents received in the month
  std::vector<float> month_paid_hours;
  std::vector<float> month_unpaid_hours;
  std::vector<float> month_training_hours;
  std::vector<std::uint8_t> month_trained;
  // Rolling 12-month history, ring indexed by month % 12
  std::vector<std::int64_t> income_history;   // [count * 12] cents
  std::vector<float> training_hours_history;  // [count * 12] hours

  void resize(std::uint32_t n, int n_sectors, int n_platforms, int ring_slots, int n_patronage = 0);
  std::size_t bytes() const;  // resident bytes of all columns

  // Calls f(name, column, values_per_worker, rule) for every column, always in this order: the one
  // list that resizing, memory accounting, checkpoints and their validation share, so no column can
  // be forgotten. `rule` bounds every value a restored checkpoint may hold.
  template <class Self, class F>
  static void for_each_column(Self& s, F&& f) {
    const auto S = static_cast<std::size_t>(s.sectors);
    const auto P = static_cast<std::size_t>(s.platforms);
    const auto R = static_cast<std::size_t>(s.ring);
    const double last_sector = static_cast<double>(s.sectors) - 1;
    const double all_platforms = static_cast<double>((1u << s.platforms) - 1u);
    const ValueRule sector{0, last_sector};
    f("hours_budget", s.hours_budget, 1, ValueRule{2, 80});
    f("fixed_costs", s.fixed_costs, 1, kMoneyNonNegative);
    f("skill", s.skill, S, kShare);
    f("reputation", s.reputation, P, kShare);
    f("reviews", s.reviews, P, kNonNegative);
    f("platform_mask", s.platform_mask, 1, ValueRule{0, all_platforms});
    f("coop_member", s.coop_member, 1, kFlag);
    f("employer", s.employer, 1, ValueRule{0, static_cast<double>(s.employer_kinds)});
    f("distance", s.distance, 1, kShare);
    f("affiliations", s.affiliations, 1, ValueRule{0, (1u << s.affiliation_bits) - 1.0});
    f("patronage", s.patronage, static_cast<std::size_t>(s.patronage_width), kMoneyNonNegative);
    f("absent_weeks_left", s.absent_weeks_left, 1, kAnyValue);
    f("absent_weeks_elapsed", s.absent_weeks_elapsed, 1, kAnyValue);
    f("cash", s.cash, 1, kMoney);
    f("platform_due", s.platform_due, R, kMoneyNonNegative);
    f("coop_due", s.coop_due, R, kMoneyNonNegative);
    f("salary_account", s.salary_account, 1, kMoneyNonNegative);
    f("recent_weekly_earnings", s.recent_weekly_earnings, 1, kNonNegative);
    f("recent_hourly_earnings", s.recent_hourly_earnings, 1, kNonNegative);
    f("training_weeks_left", s.training_weeks_left, 1, kAnyValue);
    f("training_sector", s.training_sector, 1, sector);
    f("training_payer", s.training_payer, 1, ValueRule{0, 4});
    f("last_training_step", s.last_training_step, 1, ValueRule{-1, kAnyValue.max});
    f("work_sector", s.work_sector, 1, sector);
    f("week_paid_hours", s.week_paid_hours, 1, kNonNegative);
    f("week_unpaid_hours", s.week_unpaid_hours, 1, kNonNegative);
    f("month_income", s.month_income, 1, kMoney);
    f("month_paid_hours", s.month_paid_hours, 1, kNonNegative);
    f("month_unpaid_hours", s.month_unpaid_hours, 1, kNonNegative);
    f("month_training_hours", s.month_training_hours, 1, kNonNegative);
    f("month_trained", s.month_trained, 1, kFlag);
    f("income_history", s.income_history, static_cast<std::size_t>(kHistoryMonths), kMoney);
    f("training_hours_history", s.training_hours_history, static_cast<std::size_t>(kHistoryMonths),
      kNonNegative);
  }
};

// Market-level state shared by all workers; only touched in the sequential parts of a step.
struct MarketState {
  std::int64_t escrow_balance = 0;  // cents: completed work not yet paid out
  std::int64_t guarantee_fund = 0;  // cents
  std::int64_t training_fund = 0;   // cents
  // What the platforms will pay the cooperative for members' work, by due slot (step % ring).
  struct CoopReceivable {
    std::int64_t to_guarantee_fund = 0;  // member pay plus the fund's share of the fee
    std::int64_t to_training_fund = 0;
    std::int64_t retained = 0;  // fee kept for operations
  };
  std::vector<CoopReceivable> coop_receivable;
  // Books of each platform cooperative, by platform index (zero for investor-owned platforms).
  struct PlatformCoopBooks {
    std::int64_t operating = 0;      // cents: fee less levy less running costs; may be negative
    std::int64_t training_fund = 0;  // cents
    double training_levy = 0;        // share of gross price, this year's (set by the vote)
  };
  std::vector<PlatformCoopBooks> platform_coops;
};

}  // namespace gigsim
