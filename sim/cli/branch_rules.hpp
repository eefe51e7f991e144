// Which scenario parameters a branch may change mid-run, and why the others may not.
#pragma once

#include <string>
#include <vector>

#include "gigsim/spec.hpp"

namespace gigsim::cli {

struct BranchPlan {
  std::vector<std::string> changed;  // "key: old -> new", for the log
  bool opens_umbrella_coop = false;  // the branch introduces the cooperative
};

// Compares the checkpoint's scenario with the branch's; throws scenario::ScenarioError (file
// "--set", the key path and the reason) for the first change that cannot happen mid-run.
BranchPlan plan_branch(const ScenarioSpec& before, const ScenarioSpec& after,
                       std::uint32_t branch_step);

}  // namespace gigsim::cli
