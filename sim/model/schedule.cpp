// The order of the week (docs/ODD.md §1.3, generated from this table by `gigsim schedule`): for
// each phase, the mechanisms whose hooks run in it, in this order. Part of the reproducibility
// contract: reordering changes results. The engine refuses a mechanism that hooks a phase whose
// line does not name it, and a test checks that every name here is registered and hooks its phase.
#include "gigsim/registry.hpp"

namespace gigsim {

const Schedule& schedule() {
  static const Schedule s = [] {
    Schedule t;
    auto phase = [&t](Phase p) -> std::vector<std::string_view>& {
      return t.phases[static_cast<std::size_t>(p)];
    };
    phase(Phase::initialise) = {"sickness_pool", "employee_sharing", "intermediary"};
    phase(Phase::setup) = {"sickness_pool", "wise"};
    phase(Phase::offer) = {"sickness", "sickness_pool"};
    phase(Phase::settle) = {"sickness_pool", "employee_sharing", "wise"};
    phase(Phase::month_end) = {"unemployment_insurance"};
    phase(Phase::week_end) = {"wise"};
    phase(Phase::books_reduce) = {"unemployment_insurance"};
    phase(Phase::report) = {"sickness_pool", "employee_sharing", "wise", "intermediary",
                            "unemployment_insurance"};
    // Course funders in the order a course is offered to them: an employer first.
    t.course_funders = {"wise", "employee_sharing"};
    // Reporting groups: an employee first, then a cooperative member.
    t.groups = {"wise", "employee_sharing"};
    return t;
  }();
  return s;
}

}  // namespace gigsim
