// What happens in each phase of the week (Phase, sim/core/gigsim/mechanism.hpp): how its hooks
// run, when, and what the engine does around them. With the schedule's hook order
// (sim/model/schedule.cpp) this is the table `gigsim schedule` prints and docs/ODD.md §1.3 holds.
// Kept beside the model, not in the engine, because it describes the engine as it stands: when a
// legacy mechanism leaves the engine (or a phase starts to run), its line here changes with it.
// Test: `Phases.TheTableSaysHowAndWhenTheEngineRunsEveryPhase` (tests/model/test_phases.cpp)
// hooks a probe mechanism into every phase and checks `hooks` and `when` against the engine.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "gigsim/mechanism.hpp"

namespace gigsim {

// How a phase's hooks run: once per block of workers, blocks in parallel (Declarations::on_block),
// or once, one mechanism after the other (Declarations::on).
enum class PhaseHooks : std::uint8_t { per_block, sequential };

// When the engine runs a phase's hooks.
enum class PhaseWhen : std::uint8_t {
  at_start,    // once, when the engine is built, before the first week
  every_week,  // in every week
  month_end,   // in the last week of every (four-week) month
};

struct PhaseInfo {
  Phase phase;
  PhaseHooks hooks;
  PhaseWhen when;
  std::string_view engine;  // what the engine does there, around the hooks
};

// One entry per phase, in Phase order (the order phases run in).
std::span<const PhaseInfo> phase_infos();
const PhaseInfo& phase_info(Phase p);
std::string_view phase_hooks_name(PhaseHooks h);  // "per block" or "sequential"
std::string_view phase_when_name(PhaseWhen w);    // "at start", "every week", ...

// The phases whose schedule line names `key`, in phase order.
std::vector<Phase> phases_hooked_by(std::string_view key);

// Who is offered a course after the schedule's course funders, and which groups follow the
// schedule's reporting groups: both still held by the engine (legacy mechanisms).
std::string_view engine_course_funders();
std::string_view engine_groups();

}  // namespace gigsim
