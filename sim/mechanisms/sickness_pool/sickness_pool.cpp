#include "sickness_pool/sickness_pool.hpp"

#include <algorithm>
#include <cmath>

#include "gigsim/engine.hpp"
#include "gigsim/money.hpp"
#include "gigsim/rng.hpp"
#include "gigsim/section.hpp"

namespace gigsim {

namespace {
using T = SicknessPoolTotals;
const TotalsField<T> kFields[] = {
    integer_field<T>("sickness_pool_members", "workers", "mutual sickness pool members",
                     Role::count, &T::members),
    integer_field<T>("sickness_pool_contributions", "EUR cents",
                     "members' contributions to the pots", Role::from_workers, &T::contributions),
    integer_field<T>("sickness_pool_benefits", "EUR cents", "benefits the pots paid sick members",
                     Role::to_workers, &T::benefits),
    integer_field<T>("sickness_pool_claims_unpaid", "EUR cents",
                     "benefits due but not paid because a pot ran short", Role::memo,
                     &T::claims_unpaid),
    integer_field<T>("sickness_pool_balance", "EUR cents", "sum of the pots, end of step",
                     Role::stock, &T::balance),
};
}  // namespace

std::span<const TotalsField<T>> SicknessPoolTotals::fields() {
  return kFields;
}

void SicknessPool::attach(Engine& engine, Declarations& d) {
  engine_ = &engine;
  d.on_block(Phase::initialise, [this](const Block& b) { draw_members(b); });
  d.on(Phase::setup, [this] { form_groups(); });
  d.on_block(Phase::offer, [this](const Block& b) { insure_new_spells(b); });
  d.on(Phase::settle, [this] { settle(); });
  d.on(Phase::report, [this] {
    totals_.members = static_cast<std::int64_t>(members_.size());
    totals_.balance = 0;
    for (const std::int64_t pot : pots_) totals_.balance += pot;
  });
}

void SicknessPool::state(StateVisitor& v) {
  const double last_worker = static_cast<double>(engine_ ? engine_->workers().count : 1) - 1;
  v.column("pool_group", &group_, 1, ValueRule{-1, last_worker});
  v.column("sick_benefit", &spell_benefit_, 1, kMoneyNonNegative);
  v.values("pots", &pots_, kAnyLength, kMoneyNonNegative);
}

// Members are drawn on their own stream, so opening the pool leaves every other draw unchanged.
void SicknessPool::draw_members(const Block& b) {
  const std::uint64_t seed = engine_->seed();
  for (std::uint32_t i = b.lo; i < b.hi; ++i) {
    RandomStream r(seed, Stream::init_pool_membership, i, 0);
    group_[i] = r.bernoulli(spec_.initial_member_share) ? 0 : -1;
  }
}

// Groups are consecutive members, group_size to a group (the last may be smaller).
void SicknessPool::form_groups() {
  std::uint32_t members = 0;
  for (std::int32_t& g : group_) {
    if (g < 0) continue;
    g = static_cast<std::int32_t>(members / spec_.group_size);
    ++members;
  }
  pots_.assign((members + spec_.group_size - 1) / spec_.group_size, 0);
}

void SicknessPool::refresh() {
  members_.clear();
  group_start_.clear();
  for (std::uint32_t i = 0; i < group_.size(); ++i) {
    const std::int32_t g = group_[i];
    if (g < 0) continue;
    while (group_start_.size() <= static_cast<std::size_t>(g))
      group_start_.push_back(members_.size());
    members_.push_back(i);
  }
  group_start_.push_back(members_.size());
}

// A restored state must have the groups this pool forms: consecutive members in id order, at
// most group_size each, and a pot for every group.
void SicknessPool::check_restored() const {
  std::int32_t last = -1;
  std::uint32_t in_group = 0;
  for (const std::int32_t g : group_) {
    if (g < 0) continue;
    if (g != last && g != last + 1)
      throw RestoreError("saved state, section 'sickness_pool': groups are not consecutive");
    in_group = g == last ? in_group + 1 : 1;
    if (in_group > spec_.group_size)
      throw RestoreError("saved state, section 'sickness_pool': a group has more than " +
                         std::to_string(spec_.group_size) + " members");
    last = g;
  }
  if (pots_.size() != static_cast<std::size_t>(last + 1))
    throw RestoreError("saved state, section 'sickness_pool': " + std::to_string(pots_.size()) +
                       " pots for " + std::to_string(last + 1) + " groups");
}

std::int64_t SicknessPool::insured_benefit(std::uint32_t i) const {
  const float recent = engine_->workers().recent_weekly_earnings[i];
  return to_cents(std::min(spec_.replacement_rate * static_cast<double>(std::max(0.0f, recent)),
                           spec_.max_monthly_benefit / kWeeksPerMonth));
}

// A member whose spell began this week (absent, no week of it elapsed) insures what it earns now.
void SicknessPool::insure_new_spells(const Block& b) {
  const WorkerState& w = engine_->workers();
  for (std::uint32_t i = b.lo; i < b.hi; ++i) {
    if (group_[i] >= 0 && w.absent_weeks_left[i] > 0 && w.absent_weeks_elapsed[i] == 0)
      spell_benefit_[i] = static_cast<std::int32_t>(insured_benefit(i));
  }
}

// Sequential in member order. Healthy members pay contribution_rate times the benefit they insure
// into the group's pot; absent members past the waiting period claim the benefit insured when
// their spell began; a pot pays every claim in full when it can, otherwise each claim
// floor(claim * pot / claims), and the unpaid rest lapses. No pot ever goes below zero, so a group
// never pays out more than its members paid in.
void SicknessPool::settle() {
  WorkerState& w = engine_->workers();
  const std::uint32_t first_week = spec_.waiting_weeks;
  const std::uint32_t end_week = spec_.waiting_weeks + spec_.max_benefit_weeks;
  const auto claims_benefit = [&](std::uint32_t i) {
    return w.absent_weeks_left[i] > 0 && w.absent_weeks_elapsed[i] >= first_week &&
           w.absent_weeks_elapsed[i] < end_week;
  };
  T& tot = totals_;
  for (std::size_t g = 0; g + 1 < group_start_.size(); ++g) {
    std::int64_t& pot = pots_[g];
    std::int64_t claims = 0;
    for (std::size_t k = group_start_[g]; k < group_start_[g + 1]; ++k) {
      const std::uint32_t i = members_[k];
      if (w.absent_weeks_left[i] == 0) {
        const std::int64_t contribution =
            std::llround(spec_.contribution_rate * static_cast<double>(insured_benefit(i)));
        w.cash[i] -= contribution;
        w.month_income[i] -= contribution;  // income net of the contribution, as of fees
        pot += contribution;
        tot.contributions += contribution;
      } else if (claims_benefit(i)) {
        claims += spell_benefit_[i];
      }
    }
    if (claims <= 0) continue;
    const std::int64_t available = pot;
    const bool in_full = claims <= available;
    for (std::size_t k = group_start_[g]; k < group_start_[g + 1]; ++k) {
      const std::uint32_t i = members_[k];
      if (!claims_benefit(i)) continue;
      const std::int64_t benefit = spell_benefit_[i];
      const std::int64_t paid = in_full ? benefit : pro_rata(benefit, available, claims);
      w.cash[i] += paid;
      w.month_income[i] += paid;
      pot -= paid;
      tot.benefits += paid;
      tot.claims_unpaid += benefit - paid;
    }
  }
}

}  // namespace gigsim
