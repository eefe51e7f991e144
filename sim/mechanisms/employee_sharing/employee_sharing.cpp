#include "employee_sharing/employee_sharing.hpp"

#include <algorithm>

#include "gigsim/engine.hpp"
#include "gigsim/money.hpp"
#include "gigsim/rng.hpp"

namespace gigsim {

namespace {
using T = EmployeeSharingTotals;
const TotalsField<T> kFields[] = {
    integer_field<T>("pooled_workers", "workers", "workers employed by the employee-sharing pool",
                     Role::count, &T::pooled_workers),
    real_field<T>("sharing_demand_hours", "hours/week",
                  "hours the pool's member employers needed this week", Role::measure,
                  &T::demand_hours),
    real_field<T>(
        "sharing_hours_used", "hours/week",
        "hours of pooled workers the employers used: the smaller of need and contract hours",
        Role::measure, &T::hours_used),
    integer_field<T>("sharing_charges", "EUR cents",
                     "what the employers paid the pool for hours used", Role::inflow, &T::charges),
    integer_field<T>("sharing_wages", "EUR cents", "wages the pool paid (part of worker_net_pay)",
                     Role::memo, &T::wages),
    integer_field<T>("sharing_wages_unpaid", "EUR cents",
                     "wages due but not paid because the fund ran short", Role::memo,
                     &T::wages_unpaid),
    integer_field<T>("sharing_training_spent", "EUR cents",
                     "course costs the pool paid for its workers (payer: employer)", Role::outflow,
                     &T::training_spent),
    integer_field<T>("sharing_fund_balance", "EUR cents", "the pool's fund, end of step",
                     Role::stock, &T::fund_balance),
};
}  // namespace

std::span<const TotalsField<T>> EmployeeSharingTotals::fields() {
  return kFields;
}

void EmployeeSharing::attach(Engine& engine, Declarations& d) {
  engine_ = &engine;
  code_ = d.employer(*this);
  d.course_funder(*this);
  d.group(kGroup, [this](std::uint32_t i) { return pooled(i); });
  fund_ = to_cents(spec_.initial_fund);
  d.on_block(Phase::initialise, [this](const Block& b) { draw_workers(b); });
  d.on(Phase::settle, [this] { settle(); });
  d.on(Phase::report, [this] { totals_.fund_balance = fund_; });
}

void EmployeeSharing::state(StateVisitor& v) {
  v.value("fund", &fund_, kMoneyNonNegative);
}

bool EmployeeSharing::pooled(std::uint32_t i) const {
  return engine_->workers().employer[i] == code_;
}

// The pool's workers at the start, drawn on their own stream.
void EmployeeSharing::draw_workers(const Block& b) {
  WorkerState& w = engine_->workers();
  const std::uint64_t seed = engine_->seed();
  for (std::uint32_t i = b.lo; i < b.hi; ++i) {
    if (RandomStream(seed, Stream::init_employee_sharing, i, 0)
            .bernoulli(spec_.initial_worker_share))
      w.employer[i] = code_;
  }
}

void EmployeeSharing::refresh() {
  members_.clear();
  const WorkerState& w = engine_->workers();
  for (std::uint32_t i = 0; i < w.count; ++i)
    if (w.employer[i] == code_) members_.push_back(i);
}

double EmployeeSharing::hours_worked(std::uint32_t i) const {
  return engine_->workers().absent_weeks_left[i] == 0 ? utilisation_ * spec_.contract_hours : 0.0;
}

double EmployeeSharing::course_share(std::uint32_t i) const {
  return pooled(i) ? spec_.training_cost_share : 0.0;
}

bool EmployeeSharing::pay_course(std::uint32_t, std::int64_t cents) {
  if (fund_ < cents) return false;
  fund_ -= cents;
  totals_.training_spent += cents;
  return true;
}

// Sequential in worker id order. Each member employer needs a gamma-distributed number of hours
// this week (own stream, keyed by employer and week); the employers use the smaller of their total
// need and the healthy pooled workers' contract hours, shared equally among those workers
// (rotation), and pay the pool for the hours used. Every pooled worker, sick or not, is owed its
// weekly wage for its contract; the fund pays them in full when it can, otherwise each
// floor(wage * fund / wages due), and the rest lapses, so the fund never goes below zero.
void EmployeeSharing::settle() {
  const EmployeeSharingSpec& es = spec_;
  WorkerState& w = engine_->workers();
  const std::uint32_t t = engine_->week().step;
  double demand = 0;
  if (es.demand_cv > 0) {
    const double shape = 1.0 / (es.demand_cv * es.demand_cv);
    for (std::uint32_t e = 0; e < es.employers; ++e) {
      RandomStream r(engine_->seed(), Stream::employer_demand, e, t);
      demand += es.demand_hours_mean * r.gamma(shape) / shape;
    }
  } else {
    demand = es.demand_hours_mean * es.employers;
  }
  std::int64_t healthy = 0;
  for (const std::uint32_t i : members_) healthy += w.absent_weeks_left[i] == 0 ? 1 : 0;
  const double supply = static_cast<double>(healthy) * es.contract_hours;
  const double used = std::min(demand, supply);
  utilisation_ = supply > 0 ? used / supply : 0.0;
  const std::int64_t charges = to_cents(used * es.charge_per_hour);
  fund_ += charges;
  const std::int64_t wage = to_cents(es.contract_hours * es.hourly_wage);
  const std::int64_t due = wage * static_cast<std::int64_t>(members_.size());
  const std::int64_t available = fund_;
  const std::int64_t paid_each = due <= available ? wage : pro_rata(wage, available, due);
  // The wage does not enter the earnings expectations (recent_weekly/hourly_earnings): they price
  // what skill and hours earn on platforms, which the contract's fixed wage does not depend on.
  for (const std::uint32_t i : members_) {
    w.cash[i] += paid_each;
    w.month_income[i] += paid_each;
  }
  const std::int64_t paid = paid_each * static_cast<std::int64_t>(members_.size());
  fund_ -= paid;
  engine_->totals().worker_net_pay += paid;
  totals_.pooled_workers = static_cast<std::int64_t>(members_.size());
  totals_.demand_hours = demand;
  totals_.hours_used = used;
  totals_.charges = charges;
  totals_.wages = paid;
  totals_.wages_unpaid = due - paid;
}

}  // namespace gigsim
