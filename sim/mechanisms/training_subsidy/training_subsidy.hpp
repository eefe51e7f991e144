// The public training subsidy (docs/ODD.md "Training decision"): the public budget pays a share of
// whatever part of a course the worker would pay itself, after any fund or employer share. It is
// the engine's course co-payer: the worker weighs a course at its own remaining share, and a
// course the worker pays with the subsidy counts as publicly paid when the subsidy pays more than
// half.
#pragma once

#include <cstdint>
#include <span>

#include "gigsim/mechanism.hpp"
#include "training_subsidy/spec.hpp"

namespace gigsim {

struct TrainingSubsidyTotals {
  std::int64_t spent = 0;  // cents of courses the subsidy paid this week
  static std::span<const TotalsField<TrainingSubsidyTotals>> fields();
};

class TrainingSubsidy final : public MechanismWith<TrainingSubsidyTotals>, public CourseCopayer {
 public:
  static constexpr std::string_view kKey = "policy";
  explicit TrainingSubsidy(const PolicySpec& spec) : MechanismWith(kKey), spec_(spec) {}
  void attach(Engine& engine, Declarations& d) override;

  double copaid_share() const override { return spec_.training_subsidy_share; }
  void copay(std::uint32_t i, std::int64_t cents) override;
  TrainingPayer payer() const override { return TrainingPayer::public_; }

 private:
  PolicySpec spec_;
};

}  // namespace gigsim
