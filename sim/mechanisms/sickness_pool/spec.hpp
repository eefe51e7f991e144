// The mutual sickness pool (docs/ODD.md "Mutual sickness pool").
#pragma once

#include <cstdint>

namespace gigsim {

// Mutual sickness pool (Broodfonds type): members in groups of at most 50 insure a share of their
// recent earnings (up to a cap) and, while healthy, pay a fixed share of that insured amount into
// their group's pot every week; a member sick for longer than the waiting period receives the
// amount insured when the spell began, for at most max_benefit_weeks, pro rata when the pot is
// short.
struct SicknessPoolSpec {
  bool enabled = false;
  double initial_member_share = 0.0;      // share of workers who are members at start, 0..1
  std::uint32_t group_size = 50;          // members per group (Broodfonds: 20 to 50)
  double contribution_rate = 0.01;        // weekly contribution as a share of the insured amount
  double replacement_rate = 0.7;          // benefit as a share of recent weekly earnings
  double max_monthly_benefit = 2'500;     // EUR per month, cap of the benefit
  std::uint32_t waiting_weeks = 4;        // weeks of sickness before the benefit starts
  std::uint32_t max_benefit_weeks = 104;  // weeks of benefit per sickness spell
};

}  // namespace gigsim
