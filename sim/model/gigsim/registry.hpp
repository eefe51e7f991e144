// THE list of mechanisms. The scenario schema (a section per mechanism), the model (which
// mechanisms to build for a scenario), the step record's columns, checkpoints (a section per
// mechanism that is on), `gigsim scenario check` and `gigsim schedule` all read it. Registry order
// is the order of the scenario's sections and of the step record's blocks; the order of hooks
// within a phase is the schedule's (sim/model/schedule.cpp).
//
// Adding a mechanism: its folder in sim/mechanisms/, its tests in tests/mechanisms/, one entry
// below, its lines in the schedule, its ScenarioSpec member and its ODD section.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "employee_sharing/employee_sharing.hpp"
#include "employee_sharing/schema.hpp"
#include "gigsim/engine.hpp"
#include "gigsim/mechanism.hpp"
#include "gigsim/meta.hpp"
#include "gigsim/spec.hpp"
#include "intermediary/intermediary.hpp"
#include "intermediary/schema.hpp"
#include "sickness/schema.hpp"
#include "sickness/sickness.hpp"
#include "sickness_pool/schema.hpp"
#include "sickness_pool/sickness_pool.hpp"
#include "training_subsidy/schema.hpp"
#include "training_subsidy/training_subsidy.hpp"
#include "unemployment_insurance/schema.hpp"
#include "unemployment_insurance/unemployment_insurance.hpp"
#include "wise/schema.hpp"
#include "wise/wise.hpp"

namespace gigsim {

// Whether a branch may switch a mechanism on mid-run (`opens`: its state starts as at the start
// of a run) or only keep it as the run had it (`fixed`).
enum class BranchOpening : std::uint8_t { fixed, opens };

// One registered mechanism. `section` is its scenario section (and the struct handed to it).
template <class Spec>
struct Entry {
  std::string_view key;    // scenario section, checkpoint section, schedule name
  std::string_view label;  // what `gigsim scenario check` calls it
  std::string_view doc;    // the section's documentation
  Spec ScenarioSpec::*section = nullptr;
  bool (*is_on)(const ScenarioSpec&) = nullptr;
  std::unique_ptr<Mechanism> (*make)(const ScenarioSpec&) = nullptr;
  TotalsLayout::Block (*append_totals)(TotalsLayout&) = nullptr;
  BranchOpening branch = BranchOpening::fixed;
  // What `gigsim scenario check` lists when it is on; null: `label`.
  std::vector<std::string> (*labels)(const ScenarioSpec&) = nullptr;
};

namespace registry_detail {
template <class M>
TotalsLayout::Block append_totals(TotalsLayout& layout) {
  return layout.append<typename M::Totals>(M::kKey, M::Totals::fields());
}
}  // namespace registry_detail

namespace registry_detail {
template <auto Section>
bool enabled(const ScenarioSpec& s) {
  return (s.*Section).enabled;
}
template <class M, auto Section>
std::unique_ptr<Mechanism> make_from_section(const ScenarioSpec& s) {
  return std::make_unique<M>(s.*Section);
}
}  // namespace registry_detail

// An entry for mechanism M with its own section: on when the section's `enabled` is true, and
// built from that section alone when M takes only that (otherwise the entry names its maker).
template <class M, auto Section,
          class Spec = std::remove_cvref_t<decltype(ScenarioSpec{}.*Section)>>
constexpr Entry<Spec> entry(std::string_view label, std::string_view doc, BranchOpening branch) {
  Entry<Spec> e;
  e.key = M::kKey;
  e.label = label;
  e.doc = doc;
  e.section = Section;
  e.branch = branch;
  if constexpr (requires(const Spec& spec) { spec.enabled; })
    e.is_on = &registry_detail::enabled<Section>;  // otherwise the entry says when it is on
  if constexpr (std::is_constructible_v<M, const Spec&>)
    e.make = &registry_detail::make_from_section<M, Section>;
  e.append_totals = &registry_detail::append_totals<M>;
  return e;
}

// An entry for a scenario section that configures another mechanism and has no state, hooks or
// totals of its own.
template <auto Section, class Spec = std::remove_cvref_t<decltype(ScenarioSpec{}.*Section)>>
constexpr Entry<Spec> spec_only_entry(std::string_view key, std::string_view label,
                                      std::string_view doc, BranchOpening branch) {
  Entry<Spec> e;
  e.key = key;
  e.label = label;
  e.doc = doc;
  e.section = Section;
  e.branch = branch;
  e.is_on = &registry_detail::enabled<Section>;
  e.append_totals = [](TotalsLayout& layout) { return layout.append<NoTotals>("", {}); };
  return e;
}

namespace registry_detail {
std::unique_ptr<Mechanism> make_wise(const ScenarioSpec& s);
}  // namespace registry_detail

// Calls f(entry) for every mechanism, in registry order.
template <class F>
void for_each_mechanism(F&& f) {
  {
    // The `policy` section: on when it subsidises courses.
    auto e = entry<TrainingSubsidy, &ScenarioSpec::policy>("training subsidy", "policy levers",
                                                           BranchOpening::opens);
    e.is_on = [](const ScenarioSpec& s) { return s.policy.training_subsidy_share > 0; };
    f(e);
  }
  f(entry<Sickness, &ScenarioSpec::sickness>("sickness", "sickness events", BranchOpening::opens));
  f(entry<SicknessPool, &ScenarioSpec::sickness_pool>(
      "sickness pool", "mutual sickness pool (Broodfonds type)", BranchOpening::fixed));
  f(entry<EmployeeSharing, &ScenarioSpec::employee_sharing>(
      "employee-sharing pool", "employee-sharing pool (SIV, Denmark)", BranchOpening::fixed));
  {
    auto e = entry<Wise, &ScenarioSpec::wise>(
        "WISEs", "work-integrating social enterprises (ASF incubator, Gotland)",
        BranchOpening::fixed);
    e.make = &registry_detail::make_wise;
    f(e);
  }
  {
    // Public buyers hold no state of their own: the WISEs sell on their reserved contracts.
    auto e = spec_only_entry<&ScenarioSpec::public_buyers>(
        "public_buyers", "public buyers", "public buyers with reserved contracts (NIA, Jamtland)",
        BranchOpening::opens);
    f(e);
  }
  f(entry<Intermediary, &ScenarioSpec::intermediary>(
      "intermediary node", "intermediary node for inclusive working life (NIA, Jamtland)",
      BranchOpening::fixed));
  f(entry<UnemploymentInsurance, &ScenarioSpec::unemployment_insurance>(
      "unemployment insurance", "unemployment insurance for the self-employed (a policy lever)",
      BranchOpening::opens));
}

// The scenario sections of the registered mechanisms, for the schema's root describe().
template <class V>
void describe_mechanisms(V& v, ScenarioSpec& s) {
  for_each_mechanism([&](const auto& e) {
    if (e.section) v.section(e.key, s.*e.section, schema::Meta{.doc = e.doc});
  });
}

// What each mechanism needs of the rest of the scenario: its schema's requirements(v, scenario,
// section), where it has one (checked after every field, paths from the root).
template <class V>
void mechanism_requirements(V& v, const ScenarioSpec& s) {
  for_each_mechanism([&](const auto& e) {
    if constexpr (requires { requirements(v, s, s.*e.section); }) requirements(v, s, s.*e.section);
  });
}

// The same list at run time.
struct MechanismInfo {
  std::string_view key;
  std::function<std::vector<std::string>(const ScenarioSpec&)> labels;  // empty when off
  bool (*is_on)(const ScenarioSpec&);
  std::unique_ptr<Mechanism> (*make)(const ScenarioSpec&);
  BranchOpening branch;
  TotalsLayout::Block totals;  // where its totals sit in the step record
};
const std::vector<MechanismInfo>& mechanisms();
const MechanismInfo* find_mechanism(std::string_view key);

// The step record: the engine's block, then each registered mechanism's, in registry order.
const TotalsLayout& step_layout();
TotalsLayout::Block core_totals_block();
std::span<const StepColumn> step_columns();

// The week's order (sim/model/schedule.cpp).
const Schedule& schedule();

}  // namespace gigsim
