// The mutual sickness pool, Broodfonds type (docs/ODD.md "Mutual sickness pool"): members in
// groups insure part of their recent earnings against sickness from a pot of their own.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gigsim/mechanism.hpp"
#include "sickness_pool/spec.hpp"

namespace gigsim {

struct SicknessPoolTotals {
  std::int64_t members = 0;
  std::int64_t contributions = 0;
  std::int64_t benefits = 0;
  std::int64_t claims_unpaid = 0;  // benefit due but not paid: pots ran short
  std::int64_t balance = 0;
  static std::span<const TotalsField<SicknessPoolTotals>> fields();
};

class SicknessPool final : public MechanismWith<SicknessPoolTotals> {
 public:
  static constexpr std::string_view kKey = "sickness_pool";
  explicit SicknessPool(const SicknessPoolSpec& spec) : MechanismWith(kKey), spec_(spec) {}

  void attach(Engine& engine, Declarations& d) override;
  void state(StateVisitor& v) override;
  void refresh() override;
  void check_restored() const override;

  // Group of each worker (-1: not a member); the weekly benefit a member's spell insured.
  const std::vector<std::int32_t>& group() const { return group_; }
  const std::vector<std::int32_t>& spell_benefit() const { return spell_benefit_; }
  std::vector<std::int32_t>& spell_benefit() { return spell_benefit_; }
  // Cents in each group's pot.
  const std::vector<std::int64_t>& pots() const { return pots_; }
  std::vector<std::int64_t>& pots() { return pots_; }
  // The weekly benefit member i insures now: a share of recent weekly earnings, up to the cap.
  std::int64_t insured_benefit(std::uint32_t i) const;

 private:
  void draw_members(const Block& b);
  void form_groups();
  void insure_new_spells(const Block& b);
  void settle();

  SicknessPoolSpec spec_;
  Engine* engine_ = nullptr;
  std::vector<std::int32_t> group_;          // per worker
  std::vector<std::int32_t> spell_benefit_;  // per worker, cents/week
  std::vector<std::int64_t> pots_;           // per group, cents
  // Members in id order; group g's are members_[group_start_[g] .. group_start_[g + 1]).
  std::vector<std::uint32_t> members_;
  std::vector<std::size_t> group_start_;
};

}  // namespace gigsim
