// ResolvedScenario::with must give exactly what load_string gives with the same values as
// further overrides: the same scenario, or the same error (file, line, column, key, message).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "gigsim/rng.hpp"
#include "gigsim/scenario.hpp"

namespace gigsim::scenario {
namespace {

using Values = std::vector<std::pair<std::string, std::string>>;

std::string read(const std::string& name) {
  std::ifstream in(std::string(GIGSIM_SOURCE_DIR) + "/scenarios/" + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// What load_string makes of it: the flattened scenario, or the error.
std::string outcome_of_load(const std::string& yaml, const std::vector<std::string>& base,
                            const Values& values) {
  std::vector<std::string> all = base;
  for (const auto& [path, text] : values) all.push_back(std::string(path).append("=").append(text));
  try {
    std::string out;
    for (const auto& [k, v] : flatten(load_string(yaml, "base.yaml", all)))
      out += k + "=" + v + "\n";
    return out;
  } catch (const ScenarioError& e) {
    return std::string("error: ") + e.what();
  }
}

std::string outcome_of_with(const ResolvedScenario& resolved, const Values& values) {
  try {
    std::string out;
    for (const auto& [k, v] : flatten(resolved.with(values)))
      out.append(k).append("=").append(v).append("\n");
    return out;
  } catch (const ScenarioError& e) {
    return std::string("error: ") + e.what();
  }
}

void expect_same(const std::string& yaml, const std::vector<std::string>& base,
                 const Values& values) {
  const ResolvedScenario resolved(yaml, "base.yaml", base);
  std::string shown;
  for (const auto& [path, text] : values) shown.append(path).append("=").append(text).append(" ");
  EXPECT_EQ(outcome_of_with(resolved, values), outcome_of_load(yaml, base, values)) << shown;
}

TEST(ResolvedScenario, MatchesLoadStringOnHandPickedValues) {
  const std::string coop = read("with_umbrella_coop.yaml");
  const std::vector<std::string> set{"run.weeks=104"};
  for (const Values& values : std::vector<Values>{
           {},
           {{"umbrella_coop.fee_rate", "0.08"}},
           {{"umbrella_coop.fee_rate", "1.5"}},     // out of range
           {{"umbrella_coop.fee_rate", "-0"}},      // negative zero
           {{"umbrella_coop.fee_rate", "abc"}},     // not a number: parsed
           {{"umbrella_coop.fee_rate", ".inf"}},    // parsed
           {{"umbrella_coop.fee_rate", "1e-400"}},  // underflow
           {{"umbrella_coop.fee_rate", "1e400"}},   // too large
           {{"umbrella_coop.enabled", "False"}},    // bool spellings
           {{"umbrella_coop.enabled", "yes"}},      // not a bool here
           {{"run.weeks", "52"}, {"run.seed", "18446744073709551615"}},
           {{"run.weeks", "5201"}},  // out of range integer
           {{"run.weeks", "1e3"}},   // not an integer
           {{"run.weeks", "-1"}},
           {{"workers.count", "0"}},
           {{"umbrella_coop.guarantee_fund_share", "0.9"},
            {"umbrella_coop.training_fund_share", "0.9"}},  // a cross-field rule
           {{"workers.skill_sd", "0.5"}},                   // beta distribution rule
           {{"platforms[0].market_share", "0.9"}},          // shares above 1
           {{"platforms[00].market_share", "0.1"}},         // not canonical: parsed
           {{"platforms[5].market_share", "0.1"}},          // past the list: parsed
           {{"platforms[0].name", "x"}},                    // a string: parsed
           {{"output.panel_workers", "50"}},                // the panel: parsed
           {{"sectors[0].base_price", "1e6"},
            {"workers.count", "100000000"},
            {"run.weeks", "5200"}},              // money over the run
           {{"sectors[1].task_hours", "1e-9"}},  // task capacity
           {{"platforms[1].take_rate", "0.01"}, {"platforms[1].take_rate", "0.02"}},  // twice
       }) {
    expect_same(coop, set, values);
  }
}

TEST(ResolvedScenario, MatchesLoadStringOnRandomValuesOfEveryNumericKey) {
  // Every number and boolean of every shipped scenario, at random values inside, at and beyond
  // the ranges, one and several at a time.
  std::vector<std::string> numeric;
  for (const ParamInfo& p : list_params())
    if ((p.type == "real" || p.type == "integer" || p.type == "bool") &&
        !p.path.starts_with("output"))
      numeric.push_back(p.path);
  const auto at_index = [](std::string pattern, std::uint32_t i) {
    const std::size_t bracket = pattern.find("[]");
    if (bracket != std::string::npos)
      pattern =
          pattern.substr(0, bracket) + "[" + std::to_string(i) + "]" + pattern.substr(bracket + 2);
    return pattern;
  };
  const char* texts[] = {"0",    "1",     "0.5", "2",     "-1", "0.25", "100", "1e9",
                         "true", "false", "7",   "0.999", "52", "1e6",  "3"};
  int accepted = 0, refused = 0;
  for (const char* file : {"baseline.yaml", "with_umbrella_coop.yaml", "all_cooperative_forms.yaml",
                           "platform_cooperative.yaml"}) {
    const std::string yaml = read(file);
    const ResolvedScenario resolved(yaml, "base.yaml", {});
    for (std::uint32_t trial = 0; trial < 300; ++trial) {
      RandomStream r(99, Stream::sweep_design, trial, 0, 7);
      Values values;
      const std::uint32_t k = 1 + r.below(3);
      for (std::uint32_t j = 0; j < k; ++j)
        values.emplace_back(
            at_index(numeric[r.below(static_cast<std::uint32_t>(numeric.size()))], r.below(2)),
            texts[r.below(std::size(texts))]);
      std::string shown;
      for (const auto& [path, text] : values)
        shown.append(path).append("=").append(text).append(" ");
      const std::string outcome = outcome_of_load(yaml, {}, values);
      EXPECT_EQ(outcome_of_with(resolved, values), outcome) << file << ": " << shown;
      (outcome.starts_with("error: ") ? refused : accepted) += 1;
    }
  }
  // Both kinds of outcome are compared, many of each.
  EXPECT_GT(accepted, 100);
  EXPECT_GT(refused, 300);
}

}  // namespace
}  // namespace gigsim::scenario
