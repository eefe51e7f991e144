// The fuzz corpus's checkpoint seed (tests/fuzz/corpus/checkpoint/week5.ckpt) is a checkpoint of
// the current format, written by this test: a format change fails it until the seed is
// regenerated with GIGSIM_UPDATE_REFERENCES=1 (then review and commit the new file).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gigsim/checkpoint.hpp"
#include "gigsim/scenario.hpp"
#include "support/every_mechanism.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

const fs::path kSeed =
    fs::path(GIGSIM_SOURCE_DIR) / "tests" / "fuzz" / "corpus" / "checkpoint" / "week5.ckpt";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Every mechanism on, so that the seed has a section for each.
ScenarioSpec seed_scenario() {
  return testing::every_mechanism_on(300, 10);
}

TEST(CheckpointCorpus, TheSeedIsACheckpointOfTheCurrentFormat) {
  const ScenarioSpec spec = seed_scenario();
  const checkpoint::Provenance prov{GIGSIM_VERSION, "seed", "seed.yaml", scenario::to_yaml(spec),
                                    "scenario"};
  Simulation sim(spec, ExecutionContext{1});
  checkpoint::EventLog log;
  sim.add_observer(log);
  for (int k = 0; k < 5; ++k) sim.step();
  const fs::path fresh = fs::temp_directory_path() / ("gigsim-seed-" + std::to_string(::getpid()));
  checkpoint::save(fresh, prov, sim, log);
  const std::string bytes = read(fresh);
  fs::remove(fresh);
  if (const char* update = std::getenv("GIGSIM_UPDATE_REFERENCES"); update && *update == '1') {
    std::ofstream(kSeed, std::ios::binary) << bytes;
    GTEST_SKIP() << "wrote " << kSeed;
  }
  EXPECT_EQ(read(kSeed), bytes) << kSeed
                                << " is out of date: rerun with GIGSIM_UPDATE_REFERENCES=1";
  // And it restores into the scenario it records.
  checkpoint::Checkpoint ck = checkpoint::load(kSeed, GIGSIM_VERSION);
  Simulation again(scenario::load_string(ck.provenance.scenario_yaml, "seed"), ExecutionContext{1});
  EXPECT_NO_THROW(again.restore(ck.state));
  EXPECT_EQ(again.current_step(), 5u);
}

}  // namespace
}  // namespace gigsim
