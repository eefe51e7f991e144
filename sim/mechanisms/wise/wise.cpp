#include "wise/wise.hpp"

#include <limits>

#include <algorithm>
#include <cmath>

#include "gigsim/engine.hpp"
#include "gigsim/money.hpp"
#include "gigsim/rng.hpp"
#include "gigsim/section.hpp"

namespace gigsim {

namespace {
using T = WiseTotals;
const TotalsField<T> kFields[] = {
    integer_field<T>("wise_open", "WISEs", "work-integrating social enterprises still trading",
                     Role::count, &T::open),
    integer_field<T>("wise_employees", "workers",
                     "supported employees of the WISEs during the week", Role::count,
                     &T::employees),
    real_field<T>("wise_hours", "hours/week", "hours the healthy supported employees worked",
                  Role::measure, &T::hours),
    integer_field<T>("wise_hires", "workers", "supported employees hired at the end of the week",
                     Role::count, &T::hires),
    integer_field<T>("wise_transitions", "workers",
                     "supported employees who moved on to the open market", Role::count,
                     &T::transitions),
    integer_field<T>("wise_closures", "WISEs", "WISEs that closed this week (insolvent)",
                     Role::count, &T::closures),
    integer_field<T>("wise_released", "workers",
                     "supported employees who lost their job in a closure", Role::count,
                     &T::released),
    integer_field<T>("wise_sales", "EUR cents", "what private buyers paid the WISEs", Role::inflow,
                     &T::sales),
    integer_field<T>("wise_contracts", "EUR cents",
                     "what public buyers paid the WISEs on reserved contracts", Role::inflow,
                     &T::contracts),
    integer_field<T>("procurement_reserved", "EUR cents",
                     "public purchases reserved for WISEs this week (what they could not deliver "
                     "is not spent)",
                     Role::memo, &T::procurement_reserved),
    integer_field<T>("wise_subsidy", "EUR cents", "public wage subsidy paid to the WISEs",
                     Role::inflow, &T::subsidy),
    integer_field<T>("wise_wages", "EUR cents", "wages the WISEs paid (part of worker_net_pay)",
                     Role::memo, &T::wages),
    integer_field<T>("wise_wages_unpaid", "EUR cents",
                     "wages due but not paid because capital ran short", Role::memo,
                     &T::wages_unpaid),
    integer_field<T>("wise_supervision_costs", "EUR cents", "supervision the WISEs paid",
                     Role::outflow, &T::supervision_costs),
    integer_field<T>("wise_training_spent", "EUR cents",
                     "course costs the WISEs paid for their employees (payer: employer)",
                     Role::outflow, &T::training_spent),
    integer_field<T>("wise_capital", "EUR cents",
                     "capital of all WISEs, open or closed, end of step", Role::stock, &T::capital),
};
}  // namespace

std::span<const TotalsField<T>> WiseTotals::fields() {
  return kFields;
}

void Wise::attach(Engine& engine, Declarations& d) {
  engine_ = &engine;
  code_ = d.employer(*this);
  d.course_funder(*this);
  d.group(kGroup, [this](std::uint32_t i) { return employer_of_[i] >= 0; });
  capital_.assign(spec_.count, to_cents(spec_.initial_capital));
  weeks_unpaid_.assign(spec_.count, 0);
  open_.assign(spec_.count, 1);
  d.on(Phase::setup, [this] { std::fill(employer_of_.begin(), employer_of_.end(), -1); });
  d.on(Phase::settle, [this] { settle(); });
  d.on(Phase::week_end, [this] { turnover(); });
  d.on(Phase::report, [this] {
    totals_.capital = 0;
    for (const std::int64_t c : capital_) totals_.capital += c;
  });
}

void Wise::state(StateVisitor& v) {
  v.column("wise_employer", &employer_of_, 1, ValueRule{-1, spec_.count - 1.0});
  v.values("wise_capital", &capital_, spec_.count, kMoneyNonNegative);
  // Consecutive unpaid weeks: at most the weeks run so far (the engine's section is read first),
  // so the count never wraps.
  v.values("wise_weeks_unpaid", &weeks_unpaid_, spec_.count,
           ValueRule{0, engine_ ? static_cast<double>(engine_->current_step())
                                : std::numeric_limits<double>::infinity()});
  v.values("wise_open", &open_, spec_.count, kFlag);
}

void Wise::refresh() {
  staff_.assign(spec_.count, {});
  for (std::uint32_t i = 0; i < employer_of_.size(); ++i)
    if (employer_of_[i] >= 0) staff_[static_cast<std::size_t>(employer_of_[i])].push_back(i);
}

// Every employee works for an open WISE under the WISEs' contract code, and no WISE has more
// staff than its supervisors can take.
void Wise::check_restored() const {
  const WorkerState& w = engine_->workers();
  std::vector<std::uint32_t> staff(spec_.count, 0);
  for (std::uint32_t i = 0; i < w.count; ++i) {
    const std::int16_t e = employer_of_[i];
    if ((e >= 0) != (w.employer[i] == code_))
      throw RestoreError("saved state, section 'wise': worker " + std::to_string(i) +
                         "'s WISE and employment contract disagree");
    if (e < 0) continue;
    if (open_[static_cast<std::size_t>(e)] == 0)
      throw RestoreError("saved state, section 'wise': worker " + std::to_string(i) +
                         " is employed by a closed WISE");
    ++staff[static_cast<std::size_t>(e)];
  }
  for (std::size_t e = 0; e < staff.size(); ++e) {
    if (staff[e] > spec_.supervisors * spec_.places_per_supervisor)
      throw RestoreError("saved state, section 'wise': WISE " + std::to_string(e) +
                         " has more staff than its supervisors can take");
  }
}

// Weekly contract hours of a supported employee: the WISE's hours, or fewer for a worker whose
// hours budget is smaller (supported employment fits the person's capacity).
double Wise::contract_hours(std::uint32_t i) const {
  return std::min(spec_.hours_per_week, static_cast<double>(engine_->workers().hours_budget[i]));
}

double Wise::hours_worked(std::uint32_t i) const {
  return engine_->workers().absent_weeks_left[i] == 0 ? contract_hours(i) : 0.0;
}

double Wise::course_share(std::uint32_t i) const {
  return employer_of_[i] >= 0 ? spec_.training_cost_share : 0.0;
}

bool Wise::pay_course(std::uint32_t i, std::int64_t cents) {
  std::int64_t& capital = capital_[static_cast<std::size_t>(employer_of_[i])];
  if (capital < cents) return false;
  capital -= cents;
  totals_.training_spent += cents;
  return true;
}

std::int64_t Wise::wage_of(std::uint32_t i) const {
  return to_cents(contract_hours(i) * spec_.hourly_wage);
}

void Wise::employ(std::uint32_t i, std::int16_t e) {
  employer_of_[i] = e;
  engine_->workers().employer[i] = code_;
}

void Wise::release(std::uint32_t i) {
  employer_of_[i] = -1;
  engine_->workers().employer[i] = 0;
}

// Sequential in WISE and worker id order. Each open WISE's healthy employees work their contract
// hours and produce value_per_hour times their skill in the WISE's sector per hour; the WISE sells
// that output first on the reserved public contracts (the reserved budget split equally among the
// open WISEs whose staff are at least min_disadvantaged_share supported employees, each capped by
// its output) and then to private buyers up to their gamma-distributed demand (own stream, keyed
// by WISE and week). With the public wage subsidy on the wages due, it pays every employee, sick
// or not, its wage in full when its capital can, otherwise each floor(wage * capital / wages
// due), then supervision up to what is left: capital never goes below zero. A week with anything
// unpaid counts towards closure. Healthy employees' distance from the labour market falls by
// distance_reduction_per_week.
void Wise::settle() {
  const WiseSpec& ws = spec_;
  const PublicBuyersSpec& pb = buyers_;
  WorkerState& w = engine_->workers();
  T& tot = totals_;
  const auto S = static_cast<std::size_t>(w.sectors);
  const auto sector = static_cast<std::size_t>(sector_);
  const std::int64_t supervision =
      to_cents(ws.supervision_cost_per_week) * static_cast<std::int64_t>(ws.supervisors);
  // Reserved contracts: for the open WISEs that meet the art. 20 staff condition.
  const auto qualifies = [&](std::size_t e) {
    const auto employees = static_cast<double>(staff_[e].size());
    return open_[e] != 0 && employees > 0 &&
           employees >= pb.min_disadvantaged_share * (employees + ws.supervisors);
  };
  std::int64_t reserved = 0, qualifying = 0;
  if (pb.enabled) {
    reserved = to_cents(pb.purchases_per_week * pb.reserved_share);
    for (std::size_t e = 0; e < staff_.size(); ++e) qualifying += qualifies(e) ? 1 : 0;
  }
  tot.procurement_reserved = reserved;
  const double shape = ws.sales_cv > 0 ? 1.0 / (ws.sales_cv * ws.sales_cv) : 0.0;
  for (std::size_t e = 0; e < staff_.size(); ++e) {
    if (open_[e] == 0) continue;
    ++tot.open;
    const auto& staff = staff_[e];
    double output_eur = 0;
    std::int64_t due = 0;
    for (const std::uint32_t i : staff) {
      due += wage_of(i);
      if (w.absent_weeks_left[i] > 0) continue;
      const double hours = contract_hours(i);
      tot.hours += hours;
      output_eur += hours * ws.value_per_hour * w.skill[i * S + sector];
    }
    const std::int64_t output = to_cents(output_eur);
    const std::int64_t contract =
        qualifying > 0 && qualifies(e) ? std::min(reserved / qualifying, output) : 0;
    double demand_eur = ws.sales_per_week;
    if (shape > 0) {
      RandomStream r(engine_->seed(), Stream::wise_sales, static_cast<std::uint32_t>(e),
                     engine_->week().step);
      demand_eur *= r.gamma(shape) / shape;
    }
    const std::int64_t sales = std::min(to_cents(demand_eur), output - contract);
    const std::int64_t subsidy = std::llround(static_cast<double>(due) * ws.wage_subsidy_share);
    std::int64_t& capital = capital_[e];
    capital += contract + sales + subsidy;
    const std::int64_t available = capital;
    std::int64_t paid = 0;
    for (const std::uint32_t i : staff) {
      const std::int64_t wage = wage_of(i);
      const std::int64_t paid_i = due <= available ? wage : pro_rata(wage, available, due);
      w.cash[i] += paid_i;
      w.month_income[i] += paid_i;
      paid += paid_i;
      if (w.absent_weeks_left[i] == 0)
        w.distance[i] =
            std::max(0.f, w.distance[i] - static_cast<float>(ws.distance_reduction_per_week));
    }
    capital -= paid;
    const std::int64_t supervision_paid = std::min(supervision, capital);
    capital -= supervision_paid;
    weeks_unpaid_[e] = paid < due || supervision_paid < supervision ? weeks_unpaid_[e] + 1 : 0;
    tot.employees += static_cast<std::int64_t>(staff.size());
    tot.contracts += contract;
    tot.sales += sales;
    tot.subsidy += subsidy;
    tot.wages += paid;
    tot.wages_unpaid += due - paid;
    tot.supervision_costs += supervision_paid;
  }
  engine_->totals().worker_net_pay += tot.wages;
}

// At the end of the week, after the books and enrolment: a WISE insolvent for insolvency_weeks
// weeks in a row closes and releases its employees; a job-ready employee (distance below
// min_distance) moves on to the open market with probability transition_rate (own stream, keyed by
// worker and week); then each open WISE, in order, fills its vacancies (supervisors times
// places_per_supervisor) with eligible workers drawn uniformly at random (own stream, keyed by
// WISE and week): healthy, without an employment contract, at distance min_distance or more. So
// supervision capacity is never exceeded.
void Wise::turnover() {
  const WiseSpec& ws = spec_;
  WorkerState& w = engine_->workers();
  T& tot = totals_;
  const std::uint64_t seed = engine_->seed();
  const std::uint32_t t = engine_->week().step;
  for (std::size_t e = 0; e < staff_.size(); ++e) {
    auto& staff = staff_[e];
    if (open_[e] != 0 && weeks_unpaid_[e] >= static_cast<std::int32_t>(ws.insolvency_weeks)) {
      open_[e] = 0;
      ++tot.closures;
      tot.released += static_cast<std::int64_t>(staff.size());
      for (const std::uint32_t i : staff) release(i);
      staff.clear();
      continue;
    }
    std::erase_if(staff, [&](std::uint32_t i) {
      if (!(w.distance[i] < static_cast<float>(ws.min_distance))) return false;
      if (!RandomStream(seed, Stream::wise_transition, i, t).bernoulli(ws.transition_rate))
        return false;
      release(i);
      ++tot.transitions;
      return true;
    });
  }
  candidates_.clear();
  for (std::uint32_t i = 0; i < w.count; ++i) {
    if (w.employer[i] == 0 && w.distance[i] >= static_cast<float>(ws.min_distance) &&
        w.absent_weeks_left[i] == 0)
      candidates_.push_back(i);
  }
  const std::size_t capacity = static_cast<std::size_t>(ws.supervisors) * ws.places_per_supervisor;
  for (std::size_t e = 0; e < staff_.size(); ++e) {
    auto& staff = staff_[e];
    if (open_[e] == 0 || staff.size() >= capacity || candidates_.empty()) continue;
    RandomStream r(seed, Stream::wise_hiring, static_cast<std::uint32_t>(e), t);
    while (staff.size() < capacity && !candidates_.empty()) {
      const std::uint32_t k = r.below(static_cast<std::uint32_t>(candidates_.size()));
      const std::uint32_t i = candidates_[k];
      candidates_[k] = candidates_.back();
      candidates_.pop_back();
      employ(i, static_cast<std::int16_t>(e));
      staff.push_back(i);
      ++tot.hires;
    }
    std::sort(staff.begin(), staff.end());
  }
}

}  // namespace gigsim
