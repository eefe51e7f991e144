// Every file of the fuzz corpora (seeds, and inputs fuzz runs found) goes through the parsers in
// the normal test suite: each loads or fails with the library's own error type.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "gigsim/checkpoint.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/sweep.hpp"
#include "restore_case.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

const fs::path kCorpus = fs::path(GIGSIM_SOURCE_DIR) / "tests" / "fuzz" / "corpus";

TEST(FuzzCorpus, ScenarioInputsLoadOrFailWithScenarioError) {
  int files = 0, accepted = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus / "scenario")) {
    ++files;
    try {
      const ScenarioSpec spec = scenario::load_string(read(entry.path()), entry.path().string());
      const std::string resolved = scenario::to_yaml(spec);
      EXPECT_EQ(scenario::to_yaml(scenario::load_string(resolved, "resolved")), resolved)
          << entry.path();
      ++accepted;
    } catch (const scenario::ScenarioError&) {
    }
  }
  EXPECT_GE(files, 6);
  EXPECT_GE(accepted, 2);  // the shipped scenarios are in the corpus
}

TEST(FuzzCorpus, CheckpointInputsLoadOrFailWithCheckpointError) {
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus / "checkpoint")) {
    ++files;
    std::string bytes = read(entry.path());
    if (bytes.size() >= 8) {  // as the fuzz target does: reach the parser, not just the checksum
      const std::uint64_t sum =
          checkpoint::hash_text(std::string_view(bytes).substr(0, bytes.size() - 8));
      std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
    }
    try {
      checkpoint::load_bytes(bytes, entry.path().string(), GIGSIM_VERSION);
    } catch (const checkpoint::CheckpointError&) {
    }
  }
  EXPECT_GE(files, 1);
}

TEST(FuzzCorpus, SweepInputsLoadOrFailWithScenarioError) {
  int files = 0, accepted = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus / "sweep")) {
    ++files;
    try {
      // As the fuzz target does: relative paths resolve against the shipped scenarios.
      const auto spec = sweep::load_sweep_text(
          read(entry.path()), (fs::path(GIGSIM_SOURCE_DIR) / "scenarios" / "fuzz.yaml").string());
      const auto design = sweep::build_design(spec);
      EXPECT_EQ(design.values.size(), design.points * design.parameters.size()) << entry.path();
      ++accepted;
    } catch (const scenario::ScenarioError&) {
    }
  }
  EXPECT_GE(files, 8);
  EXPECT_GE(accepted, 4);  // the valid seeds
}

// The restore corpus holds edit scripts for the seed checkpoints (restore_case.hpp): each edited
// state is refused with RestoreError or restores and runs to the end, as in the fuzz target.
TEST(FuzzCorpus, RestoreInputsAreRefusedOrRunToTheEnd) {
  const std::vector<fuzz::RestoreBase> bases =
      fuzz::load_restore_bases(kCorpus / "checkpoint", GIGSIM_VERSION);
  int files = 0, ran = 0;
  for (const auto& entry : fs::directory_iterator(kCorpus / "restore")) {
    ++files;
    const std::string bytes = read(entry.path());
    try {
      const auto outcome = fuzz::run_restore_case(
          bases, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ran += outcome == fuzz::RestoreOutcome::ran ? 1 : 0;
    } catch (const std::exception& e) {
      ADD_FAILURE() << entry.path() << ": " << e.what();
    }
  }
  EXPECT_GE(files, 4);
  EXPECT_GE(ran, 1);  // an edit within the rules restores and runs
}

}  // namespace
}  // namespace gigsim
