#include "gigsim/phases.hpp"

#include <algorithm>
#include <array>

#include "gigsim/registry.hpp"

namespace gigsim {

namespace {

// In Phase order; each line says what the engine (sim/core/engine.cpp) does at that point,
// legacy mechanisms included (docs/ODD.md §1.3 numbers the engine's stages 1-8).
constexpr std::array<PhaseInfo, kPhaseCount> kPhases{{
    {Phase::initialise, PhaseHooks::per_block, PhaseWhen::at_start,
     "Each worker's initial draws (hours, fixed costs, cash, sectors and skills, platform "
     "registrations, umbrella-cooperative membership, distance from the labour market); then the "
     "hooks make their own initial draws for the block's workers."},
    {Phase::setup, PhaseHooks::sequential, PhaseWhen::at_start,
     "After every block's initial draws: the hooks build what needs every worker's draws "
     "(groups, books); then member lists and every mechanism's caches are rebuilt and the "
     "opening balances recorded (report phase)."},
    {Phase::offer, PhaseHooks::per_block, PhaseWhen::every_week,
     "Stage 2, in each block before its workers are ranked; after the hooks each worker keeps "
     "or re-chooses its sector and gets a ranking weight on each of its platforms (none while "
     "absent); weights and task capacity are summed per (platform, sector), which sets "
     "bidding-mode prices."},
    {Phase::settle, PhaseHooks::sequential, PhaseWhen::every_week,
     "Stage 4: after platforms pay the umbrella cooperative what falls due and its fee is split "
     "into guarantee fund, training fund and operations; before platform cooperatives pay their "
     "running costs (and, at a year end, set aside their patronage dividends and hold their "
     "members' vote on the training levy)."},
    {Phase::month_end, PhaseHooks::per_block, PhaseWhen::month_end,
     "Stage 5, at the end of the block's books pass in a month's last week: after all of the "
     "month's pay; then the month's income and training hours go into the 12-month history and "
     "the panel, and the month's accumulators restart."},
    {Phase::books_reduce, PhaseHooks::sequential, PhaseWhen::every_week,
     "After the books pass: payouts, cooperative payments and dividends have been summed over "
     "blocks in order; next comes course enrolment."},
    {Phase::week_end, PhaseHooks::sequential, PhaseWhen::every_week,
     "Stage 6, after course enrolment (worker id order); then, at a month end, the umbrella "
     "cooperative's membership reviews (when on) and peer learning (stage 7, when on)."},
    {Phase::report, PhaseHooks::sequential, PhaseWhen::every_week,
     "Stage 8, after the engine's balances are taken: the hooks put their balances into their "
     "totals; then the week's record goes to the observers. Also run after initialisation and a "
     "restore, to record the balances the first conservation check starts from."},
}};

constexpr bool in_phase_order() {
  for (int p = 0; p < kPhaseCount; ++p)
    if (kPhases[static_cast<std::size_t>(p)].phase != static_cast<Phase>(p)) return false;
  return true;
}
static_assert(in_phase_order(), "kPhases must list every phase once, in Phase order");

}  // namespace

std::span<const PhaseInfo> phase_infos() {
  return kPhases;
}

const PhaseInfo& phase_info(Phase p) {
  return kPhases[static_cast<std::size_t>(p)];
}

std::string_view phase_hooks_name(PhaseHooks h) {
  return h == PhaseHooks::per_block ? "per block" : "sequential";
}

std::string_view phase_when_name(PhaseWhen w) {
  switch (w) {
    case PhaseWhen::at_start:
      return "at start";
    case PhaseWhen::every_week:
      return "every week";
    case PhaseWhen::month_end:
      return "month end";
  }
  return "unknown";
}

std::vector<Phase> phases_hooked_by(std::string_view key) {
  std::vector<Phase> hooked;
  for (int p = 0; p < kPhaseCount; ++p) {
    const auto& line = schedule().phases[static_cast<std::size_t>(p)];
    if (std::find(line.begin(), line.end(), key) != line.end())
      hooked.push_back(static_cast<Phase>(p));
  }
  return hooked;
}

std::string_view engine_course_funders() {
  return "then the umbrella cooperative's training fund (members), the worker's first platform "
         "cooperative's training fund, and the worker itself; the public training subsidy pays "
         "its share of whatever the worker would pay";
}

std::string_view engine_groups() {
  return "then coop_member (umbrella cooperative), platform_coop_member and platform_only (the "
         "rest)";
}

}  // namespace gigsim
