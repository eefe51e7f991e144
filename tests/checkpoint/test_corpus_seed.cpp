// The fuzz corpus's checkpoint seeds (tests/fuzz/corpus/checkpoint/week5*.ckpt) are checkpoints of
// the current format, written by this test: a format change fails it until the seeds are
// regenerated with GIGSIM_UPDATE_REFERENCES=1 (then review and commit the new files). The restore
// fuzzer edits their states.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "gigsim/checkpoint.hpp"
#include "gigsim/scenario.hpp"
#include "support/every_mechanism.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

const fs::path kSeeds = fs::path(GIGSIM_SOURCE_DIR) / "tests" / "fuzz" / "corpus" / "checkpoint";

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Seed {
  const char* file;
  ScenarioSpec (*scenario)(std::uint32_t workers, std::uint32_t weeks);
};

// Every registered mechanism on, so that the first seed has a section for each; the second has
// the mechanisms still inline in the engine on too, so that every field of the state holds values.
const Seed kCheckpointSeeds[] = {{"week5.ckpt", testing::every_mechanism_on},
                                 {"week5_every_state.ckpt", testing::every_state_on}};

TEST(CheckpointCorpus, TheSeedsAreCheckpointsOfTheCurrentFormat) {
  for (const Seed& seed : kCheckpointSeeds) {
    const fs::path path = kSeeds / seed.file;
    const ScenarioSpec spec = seed.scenario(300, 10);
    const checkpoint::Provenance prov{GIGSIM_VERSION, "seed", "seed.yaml", scenario::to_yaml(spec),
                                      "scenario"};
    Simulation sim(spec, ExecutionContext{1});
    checkpoint::EventLog log;
    sim.add_observer(log);
    for (int k = 0; k < 5; ++k) sim.step();
    const fs::path fresh =
        fs::temp_directory_path() / ("gigsim-seed-" + std::to_string(::getpid()));
    checkpoint::save(fresh, prov, sim, log);
    const std::string bytes = read(fresh);
    fs::remove(fresh);
    if (const char* update = std::getenv("GIGSIM_UPDATE_REFERENCES"); update && *update == '1') {
      std::ofstream(path, std::ios::binary) << bytes;
      std::cout << "wrote " << path << "\n";
      continue;
    }
    EXPECT_EQ(read(path), bytes) << path
                                 << " is out of date: rerun with GIGSIM_UPDATE_REFERENCES=1";
    // And it restores into the scenario it records.
    checkpoint::Checkpoint ck = checkpoint::load(path, GIGSIM_VERSION);
    Simulation again(scenario::load_string(ck.provenance.scenario_yaml, "seed"),
                     ExecutionContext{1});
    EXPECT_NO_THROW(again.restore(ck.state));
    EXPECT_EQ(again.current_step(), 5u);
  }
}

}  // namespace
}  // namespace gigsim
