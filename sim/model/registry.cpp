#include "gigsim/registry.hpp"

#include <algorithm>
#include <stdexcept>

namespace gigsim {

namespace {

struct Registry {
  TotalsLayout layout;
  TotalsLayout::Block core;
  std::vector<MechanismInfo> mechanisms;
  Registry() {
    core = layout.append<CoreTotals>("", CoreTotals::fields());
    for_each_mechanism([&](const auto& e) {
      std::function<std::vector<std::string>(const ScenarioSpec&)> labels = e.labels;
      if (!labels) {
        labels = [is_on = e.is_on, label = std::string(e.label)](const ScenarioSpec& s) {
          return is_on(s) ? std::vector<std::string>{label} : std::vector<std::string>{};
        };
      }
      mechanisms.push_back(
          {e.key, std::move(labels), e.is_on, e.make, e.branch, e.append_totals(layout)});
    });
  }
};

const Registry& registry() {
  static const Registry r;
  return r;
}

}  // namespace

namespace registry_detail {

// The WISEs work in the sector the scenario names, and sell on the public buyers' contracts.
std::unique_ptr<Mechanism> make_wise(const ScenarioSpec& s) {
  const auto found = std::find_if(s.sectors.begin(), s.sectors.end(),
                                  [&](const SectorSpec& sec) { return sec.name == s.wise.sector; });
  if (found == s.sectors.end())
    throw std::invalid_argument("wise.sector names no sector: '" + s.wise.sector + "'");
  if (s.wise.count > kMaxWises)
    throw std::invalid_argument("scenario has more than " + std::to_string(kMaxWises) + " WISEs");
  return std::make_unique<Wise>(s.wise, s.public_buyers,
                                static_cast<int>(found - s.sectors.begin()));
}

}  // namespace registry_detail

const std::vector<MechanismInfo>& mechanisms() {
  return registry().mechanisms;
}

const MechanismInfo* find_mechanism(std::string_view key) {
  for (const MechanismInfo& m : registry().mechanisms)
    if (m.key == key) return &m;
  return nullptr;
}

const TotalsLayout& step_layout() {
  return registry().layout;
}

TotalsLayout::Block core_totals_block() {
  return registry().core;
}

std::span<const StepColumn> step_columns() {
  return registry().layout.columns();
}

EngineSpec engine_spec(const ScenarioSpec& s) {
  EngineSpec e;
  e.run = s.run;
  e.workers = s.workers;
  e.sectors = s.sectors;
  e.platforms = s.platforms;
  e.skills = s.skills;
  e.training = s.training;
  e.output = s.output;
  // Mechanisms still inline in the engine.
  e.umbrella_coop = s.umbrella_coop;
  e.peer_learning = s.peer_learning;
  return e;
}

}  // namespace gigsim
