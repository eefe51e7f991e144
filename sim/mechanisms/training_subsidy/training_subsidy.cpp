#include "training_subsidy/training_subsidy.hpp"

namespace gigsim {

namespace {
using T = TrainingSubsidyTotals;
const TotalsField<T> kFields[] = {
    integer_field<T>("public_training_spent", "EUR cents",
                     "course costs paid by the public training subsidy", Role::memo, &T::spent),
};
}  // namespace

std::span<const TotalsField<T>> TrainingSubsidyTotals::fields() {
  return kFields;
}

void TrainingSubsidy::attach(Engine& /*engine*/, Declarations& d) {
  d.course_copayer(*this);
}

void TrainingSubsidy::copay(std::uint32_t /*i*/, std::int64_t cents) {
  totals_.spent += cents;
}

}  // namespace gigsim
