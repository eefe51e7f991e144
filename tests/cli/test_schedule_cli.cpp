// `gigsim schedule`: the order of the week as the registered mechanisms actually hook it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "gigsim/phases.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/simulation.hpp"
#include "in_process.hpp"
#include "support/every_mechanism.hpp"

namespace gigsim {
namespace {

using testing::run_in_process;

std::vector<std::string> split(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at - start));
    if (at == std::string::npos) return parts;
    start = at + sep.size();
  }
}

// "`a`, `b` (on)" or "a, b" -> {"a", "b"}; "—" and "none" -> {}. States are dropped.
std::vector<std::string> keys_in(std::string cell) {
  std::vector<std::string> keys;
  if (cell == "—" || cell == "none") return keys;
  for (std::string k : split(cell, ", ")) {
    if (const auto paren = k.find(" ("); paren != std::string::npos) k.resize(paren);
    if (k.size() >= 2 && k.front() == '`' && k.back() == '`') k = k.substr(1, k.size() - 2);
    keys.push_back(k);
  }
  return keys;
}

// The hooks the registered mechanisms declare, by phase name, in the order they run (every
// mechanism on: the engine refuses a hook the schedule does not place).
std::map<std::string, std::vector<std::string>> hooks_that_run() {
  std::map<std::string, std::vector<std::string>> by_phase;
  for (const PhaseInfo& info : phase_infos()) by_phase[std::string(phase_name(info.phase))];
  const Simulation sim(testing::every_mechanism_on(), ExecutionContext{1});
  for (const auto& [phase, key] : sim.hook_order())
    by_phase[std::string(phase_name(phase))].emplace_back(key);
  return by_phase;
}

// Markdown: the phase table's rows, phase name -> its last cell's mechanisms.
std::map<std::string, std::vector<std::string>> markdown_hooks(const std::string& out,
                                                               std::vector<std::string>* order) {
  std::map<std::string, std::vector<std::string>> by_phase;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    const auto cells = split(line, " | ");
    // | # | `phase` | hooks run | when | engine | mechanisms |
    if (cells.size() != 6 || cells[0].size() < 3 || !std::isdigit(cells[0][2])) continue;
    const std::string phase = cells[1].substr(1, cells[1].size() - 2);
    std::string last = cells[5];
    last.resize(last.size() - 2);  // " |"
    by_phase[phase] = keys_in(last);
    order->push_back(phase);
  }
  return by_phase;
}

// Text: "N. phase (...)" headings, each followed by its description and a "hooks:" paragraph.
std::map<std::string, std::vector<std::string>> text_hooks(const std::string& out,
                                                           std::vector<std::string>* order) {
  std::map<std::string, std::vector<std::string>> by_phase;
  std::istringstream in(out);
  std::string phase, hooks;
  bool in_hooks = false;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && std::isdigit(line[0]) && line.find(". ") != std::string::npos) {
      const std::size_t start = line.find(". ") + 2;
      phase = line.substr(start, line.find(" (") - start);
      order->push_back(phase);
      continue;
    }
    if (line.rfind("    hooks: ", 0) == 0) {
      in_hooks = true;
      hooks = line.substr(11);
    } else if (in_hooks && line.rfind("    ", 0) == 0) {
      hooks += " " + line.substr(4);
    } else if (in_hooks) {
      by_phase[phase] = keys_in(hooks);
      in_hooks = false;
    }
  }
  return by_phase;
}

std::vector<std::string> phase_names() {
  std::vector<std::string> names;
  for (const PhaseInfo& info : phase_infos()) names.emplace_back(phase_name(info.phase));
  return names;
}

TEST(ScheduleCli, EveryHookAppearsUnderItsPhaseInTheOrderItRuns) {
  const auto expected = hooks_that_run();
  for (const char* format : {"markdown", "text"}) {
    const testing::CliResult r = run_in_process({"schedule", "--format", format});
    ASSERT_EQ(r.code, 0) << r.err;
    std::vector<std::string> order;
    const auto printed = std::string(format) == "markdown" ? markdown_hooks(r.out, &order)
                                                           : text_hooks(r.out, &order);
    EXPECT_EQ(order, phase_names()) << format << ": every phase once, in the order they run";
    EXPECT_EQ(printed, expected) << format;
  }
  // The mechanisms' table names the phases each registered mechanism hooks.
  const testing::CliResult md = run_in_process({"schedule", "--format", "markdown"});
  for (const MechanismInfo& m : mechanisms()) {
    std::vector<std::string> phases;  // in phase order
    for (const std::string& p : phase_names()) {
      const auto& keys = expected.at(p);
      if (std::find(keys.begin(), keys.end(), m.key) != keys.end()) phases.push_back(p);
    }
    // A mechanism may hook no phase when it acts only through an engine concept (the training
    // subsidy, the course co-payer): its row then says "none".
    const std::string row_start = "| `" + std::string(m.key) + "` | ";
    const std::size_t at = md.out.find(row_start);
    ASSERT_NE(at, std::string::npos) << m.key << " has no row";
    const std::string last = split(md.out.substr(at, md.out.find('\n', at) - at), " | ").back();
    if (!m.make) {  // a section another mechanism reads
      EXPECT_EQ(last, "none (a section another mechanism reads) |") << m.key;
      continue;
    }
    EXPECT_EQ(keys_in(last.substr(0, last.size() - 2)), phases) << m.key;
  }
  // The funders' and groups' orders.
  EXPECT_NE(md.out.find("**Course funders**, in the order a course is offered to them: `wise`, "
                        "`employee_sharing`;"),
            std::string::npos)
      << md.out;
  EXPECT_NE(md.out.find("**Reporting groups**, by precedence: `wise`, `employee_sharing`;"),
            std::string::npos);
}

TEST(ScheduleCli, AScenarioMarksWhichMechanismsAreOn) {
  const std::string path = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/siv_employee_sharing.yaml";
  const testing::CliResult r =
      run_in_process({"schedule", path, "--set", "sickness.enabled=true", "--format", "markdown"});
  ASSERT_EQ(r.code, 0) << r.err;
  const ScenarioSpec spec = scenario::load_file(path, {"sickness.enabled=true"});
  int on = 0;
  for (const MechanismInfo& m : mechanisms()) {
    const std::string row =
        "| `" + std::string(m.key) + "` (" + (m.is_on(spec) ? "on" : "off") + ") | ";
    EXPECT_NE(r.out.find(row), std::string::npos) << row;
    on += m.is_on(spec) ? 1 : 0;
  }
  EXPECT_GE(on, 2);  // employee_sharing and sickness at least
  EXPECT_NE(r.out.find("`sickness` (on), `sickness_pool` (off)"), std::string::npos) << r.out;
  // Without a scenario nothing is marked.
  EXPECT_EQ(run_in_process({"schedule"}).out.find("(on)"), std::string::npos);
}

TEST(ScheduleCli, BadArgumentsExitTwo) {
  const testing::CliResult xml = run_in_process({"schedule", "--format", "xml"});
  EXPECT_EQ(xml.code, cli::kExitBadInput);
  EXPECT_NE(xml.err.find("--format must be text or markdown"), std::string::npos) << xml.err;
  const testing::CliResult set = run_in_process({"schedule", "--set", "run.weeks=3"});
  EXPECT_EQ(set.code, cli::kExitBadInput);
  EXPECT_NE(set.err.find("--set needs a SCENARIO.yaml"), std::string::npos) << set.err;
  const std::string path = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/baseline.yaml";
  const testing::CliResult typo = run_in_process({"schedule", path, "--set", "sicknes.enabled=1"});
  EXPECT_EQ(typo.code, cli::kExitBadInput);
  EXPECT_NE(typo.err.find("sicknes"), std::string::npos) << typo.err;
  const testing::CliResult help = run_in_process({"schedule", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--format"), std::string::npos);
  EXPECT_NE(run_in_process({"--help"}).out.find("gigsim schedule"), std::string::npos);
}

}  // namespace
}  // namespace gigsim
