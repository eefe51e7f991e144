#include "gigsim/registry.hpp"

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
  e.wise = s.wise;
  e.public_buyers = s.public_buyers;
  e.policy = s.policy;
  return e;
}

}  // namespace gigsim
