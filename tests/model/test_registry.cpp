// The registry and the schedule: one list of mechanisms, one order of the week. These checks run
// for every registered mechanism at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "gigsim/registry.hpp"
#include "gigsim/simulation.hpp"
#include "support/every_mechanism.hpp"

namespace gigsim {
namespace {

ScenarioSpec everything_on() {
  return testing::every_mechanism_on();
}

TEST(Registry, KeysAreUniqueAndEveryMechanismOfTheTestScenarioIsOn) {
  std::set<std::string_view> keys;
  const ScenarioSpec spec = everything_on();
  for (const MechanismInfo& m : mechanisms()) {
    EXPECT_TRUE(keys.insert(m.key).second) << m.key;
    EXPECT_TRUE(m.is_on(spec)) << m.key << " is off in the test scenario";
    EXPECT_FALSE(m.labels(spec).empty()) << m.key;
    EXPECT_TRUE(m.labels(ScenarioSpec{}).empty()) << m.key << " is on by default";
  }
  EXPECT_EQ(keys.size(), mechanisms().size());
}

TEST(Schedule, NamesOnlyRegisteredMechanismsAndEveryHookTheyDefine) {
  // Every name in the schedule is registered.
  const Schedule& s = schedule();
  for (int p = 0; p < kPhaseCount; ++p) {
    for (const std::string_view key : s.phases[static_cast<std::size_t>(p)])
      EXPECT_NE(find_mechanism(key), nullptr)
          << key << " in phase " << phase_name(static_cast<Phase>(p));
  }
  // With every mechanism on, the hooks that run are exactly the schedule's lines, in order: the
  // engine refuses a hook its phase's line does not name, and a line naming a mechanism that does
  // not hook the phase would be missing here.
  const Simulation sim(everything_on(), ExecutionContext{1});
  std::vector<std::pair<Phase, std::string_view>> lines;
  for (int p = 0; p < kPhaseCount; ++p) {
    for (const std::string_view key : s.phases[static_cast<std::size_t>(p)])
      lines.emplace_back(static_cast<Phase>(p), key);
  }
  EXPECT_EQ(sim.hook_order(), lines);
}

TEST(StepLayout, HasTheEngineBlockThenEachMechanismsColumnsInRegistryOrder) {
  std::set<std::string_view> names;
  for (const StepColumn& c : step_columns()) EXPECT_TRUE(names.insert(c.name).second) << c.name;
  EXPECT_EQ(step_columns().front().name, "step");
  // Owners appear in blocks: the engine's (""), then mechanisms in registry order.
  std::vector<std::string_view> owners;
  for (const StepColumn& c : step_columns())
    if (owners.empty() || owners.back() != c.owner) owners.push_back(c.owner);
  std::vector<std::string_view> expected{""};
  for (const MechanismInfo& m : mechanisms()) {
    const bool owns_a_column = std::any_of(step_columns().begin(), step_columns().end(),
                                           [&](const StepColumn& c) { return c.owner == m.key; });
    if (owns_a_column) expected.push_back(m.key);
  }
  EXPECT_EQ(owners, expected);
}

}  // namespace
}  // namespace gigsim
