// The scenario as a plain C++ value: the market (sim/core's specs) and every mechanism's
// parameters (sim/mechanisms/<name>/spec.hpp). The scenario library parses YAML into it; the model
// hands each part to the engine or to its mechanism. No YAML, no files.
#pragma once

#include <string>

#include "employee_sharing/spec.hpp"
#include "gigsim/market_spec.hpp"
#include "intermediary/spec.hpp"
#include "sickness/spec.hpp"
#include "sickness_pool/spec.hpp"
#include "training_subsidy/spec.hpp"
#include "unemployment_insurance/spec.hpp"
#include "wise/spec.hpp"

namespace gigsim {

struct ScenarioSpec {
  std::string name = "unnamed";
  std::string description;
  RunSpec run;
  WorkerSpec workers;
  std::vector<SectorSpec> sectors;
  std::vector<PlatformSpec> platforms;
  SkillSpec skills;
  TrainingSpec training;
  UmbrellaCoopSpec umbrella_coop;
  SicknessSpec sickness;
  SicknessPoolSpec sickness_pool;
  PeerLearningSpec peer_learning;
  EmployeeSharingSpec employee_sharing;
  WiseSpec wise;
  PublicBuyersSpec public_buyers;
  IntermediarySpec intermediary;
  PolicySpec policy;
  UnemploymentInsuranceSpec unemployment_insurance;
  OutputSpec output;
};

// The engine's part of a scenario.
EngineSpec engine_spec(const ScenarioSpec& s);

}  // namespace gigsim
