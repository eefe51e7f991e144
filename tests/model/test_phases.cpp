// The phase table `gigsim schedule` prints (sim/model/phases.cpp) against what the engine does: a
// probe mechanism hooks every phase both ways (once, and per block) and counts which hooks the
// engine calls, and when.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "core/small_market.hpp"
#include "gigsim/engine.hpp"
#include "gigsim/phases.hpp"
#include "gigsim/registry.hpp"

namespace gigsim {
namespace {

class Probe final : public MechanismWith<NoTotals> {
 public:
  static constexpr std::string_view kKey = "probe";
  Probe() : MechanismWith<NoTotals>(kKey) {}
  void attach(Engine&, Declarations& d) override {
    for (int p = 0; p < kPhaseCount; ++p) {
      const auto phase = static_cast<Phase>(p);
      d.on(phase, [this, p] { ++sequential[static_cast<std::size_t>(p)]; });
      d.on_block(phase, [this, p](const Block&) { ++per_block[static_cast<std::size_t>(p)]; });
    }
  }
  std::array<int, kPhaseCount> sequential{};
  std::array<int, kPhaseCount> per_block{};
};

TEST(Phases, TheTableSaysHowAndWhenTheEngineRunsEveryPhase) {
  constexpr std::uint32_t kWorkers = 3 * kBlockSize;  // three blocks
  constexpr std::uint32_t kWeeks = 2 * kWeeksPerMonth;
  const ScenarioSpec spec = testing::small_market(kWorkers, kWeeks);
  Schedule probe_everywhere;
  for (auto& line : probe_everywhere.phases) line = {Probe::kKey};
  Probe probe;
  ModelParts parts;
  parts.mechanisms = {&probe};
  parts.schedule = &probe_everywhere;
  parts.layout = &step_layout();
  parts.core_totals = core_totals_block();
  Engine engine(engine_spec(spec), ExecutionContext{2}, parts);

  // Calls of phase p's hooks of the kind the table does not name are an error; of the kind it
  // names, one per block (per_block) or one (sequential) each time the phase runs.
  const auto calls = [&](int p) {
    const PhaseInfo& info = phase_info(static_cast<Phase>(p));
    const auto i = static_cast<std::size_t>(p);
    const int wrong =
        info.hooks == PhaseHooks::per_block ? probe.sequential[i] : probe.per_block[i];
    EXPECT_EQ(wrong, 0) << phase_name(info.phase) << " runs the other kind of hook";
    return info.hooks == PhaseHooks::per_block ? probe.per_block[i] / 3 : probe.sequential[i];
  };
  for (int p = 0; p < kPhaseCount; ++p) {
    const PhaseInfo& info = phase_info(static_cast<Phase>(p));
    // At construction: the start phases, and the report phase (opening balances).
    const int expected = info.when == PhaseWhen::at_start || info.phase == Phase::report ? 1 : 0;
    EXPECT_EQ(calls(p), expected) << phase_name(info.phase) << " at construction";
  }
  std::array<int, kPhaseCount> before{};
  for (std::uint32_t t = 0; t < kWeeks; ++t) {
    for (int p = 0; p < kPhaseCount; ++p) before[static_cast<std::size_t>(p)] = calls(p);
    ASSERT_TRUE(engine.step());
    const bool month_end = (t + 1) % kWeeksPerMonth == 0;
    for (int p = 0; p < kPhaseCount; ++p) {
      const PhaseInfo& info = phase_info(static_cast<Phase>(p));
      const int expected = info.when == PhaseWhen::every_week               ? 1
                           : info.when == PhaseWhen::month_end && month_end ? 1
                                                                            : 0;
      EXPECT_EQ(calls(p) - before[static_cast<std::size_t>(p)], expected)
          << phase_name(info.phase) << " in week " << t;
    }
  }
}

TEST(Phases, PhasesHookedByAreTheScheduleLinesNamingTheMechanism) {
  EXPECT_TRUE(phases_hooked_by("no_such_mechanism").empty());
  for (const MechanismInfo& m : mechanisms()) {
    for (int p = 0; p < kPhaseCount; ++p) {
      const auto& line = schedule().phases[static_cast<std::size_t>(p)];
      const bool named = std::find(line.begin(), line.end(), m.key) != line.end();
      const auto hooked = phases_hooked_by(m.key);
      EXPECT_EQ(named,
                std::find(hooked.begin(), hooked.end(), static_cast<Phase>(p)) != hooked.end())
          << m.key << " in " << phase_name(static_cast<Phase>(p));
    }
  }
}

}  // namespace
}  // namespace gigsim
