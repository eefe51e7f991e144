#include "gigsim/totals.hpp"

#include <stdexcept>
#include <string>

namespace gigsim {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::inflow:
      return "inflow";
    case Role::outflow:
      return "outflow";
    case Role::to_workers:
      return "to_workers";
    case Role::from_workers:
      return "from_workers";
    case Role::worker_spending:
      return "worker_spending";
    case Role::stock:
      return "stock";
    case Role::memo:
      return "memo";
    case Role::count:
      return "count";
    case Role::measure:
      return "measure";
  }
  return "unknown";
}

const StepColumn* TotalsLayout::find(std::string_view name) const {
  for (const StepColumn& c : columns_)
    if (c.name == name) return &c;
  return nullptr;
}

StepTotals TotalsLayout::empty_record() const {
  StepTotals t;
  t.integers.assign(integers_, 0);
  t.reals.assign(reals_, 0.0);
  t.layout = this;
  return t;
}

namespace {
const StepColumn& column_of(const StepTotals& t, std::string_view name, bool integer) {
  const StepColumn* c = t.layout ? t.layout->find(name) : nullptr;
  if (!c || c->is_integer != integer)
    throw std::out_of_range("no " + std::string(integer ? "integer" : "real") + " step column '" +
                            std::string(name) + "'");
  return *c;
}
}  // namespace

std::int64_t StepTotals::integer(std::string_view name) const {
  return integers[column_of(*this, name, true).index];
}

double StepTotals::real(std::string_view name) const {
  return reals[column_of(*this, name, false).index];
}

ConservationResidual conservation_residual(const StepTotals& before, const StepTotals& now,
                                           std::int64_t cash_change, std::int64_t fixed_costs) {
  ConservationResidual r;
  std::int64_t to_workers = 0, from_workers = 0, spending = 0;
  for (const StepColumn& c : now.layout->columns()) {
    if (!c.is_integer) continue;
    const std::int64_t v = now.integers[c.index];
    switch (c.role) {
      case Role::inflow:
        r.books += v;
        break;
      case Role::outflow:
        r.books -= v;
        break;
      case Role::to_workers:
        r.books -= v;
        to_workers += v;
        break;
      case Role::from_workers:
        r.books += v;
        from_workers += v;
        break;
      case Role::worker_spending:
        spending += v;
        break;
      case Role::stock:
        r.books -= v - before.integers[c.index];
        break;
      default:
        break;
    }
  }
  r.workers = cash_change - (to_workers - from_workers - spending - fixed_costs);
  return r;
}

}  // namespace gigsim
