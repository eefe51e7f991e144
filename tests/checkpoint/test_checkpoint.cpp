#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "../core/small_market.hpp"
#include "gigsim/checkpoint.hpp"
#include "gigsim/rng.hpp"
#include "gigsim/section.hpp"
#include "support/every_mechanism.hpp"
#include "support/saved_state.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

using testing::busy_market;
using testing::Recorder;
using testing::same_bits;
using testing::same_totals;

const checkpoint::Provenance kProv{"0.1.0", "abc", "test.yaml", "name: test\n", "scenario"};

class Checkpoints : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gigsim-ckpt-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;

  // Runs `weeks_before` weeks, saves, and returns the path.
  fs::path saved_after(const ScenarioSpec& spec, std::uint32_t weeks_before) {
    Simulation sim(spec, ExecutionContext{2});
    checkpoint::EventLog log;
    sim.add_observer(log);
    for (std::uint32_t k = 0; k < weeks_before; ++k) sim.step();
    const fs::path path = dir_ / "run.ckpt";
    checkpoint::save(path, kProv, sim, log);
    return path;
  }
  static std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
  static void write(const fs::path& p, const std::string& bytes) {
    std::ofstream(p, std::ios::binary) << bytes;
  }
};

TEST_F(Checkpoints, ResumedRunIsBitIdenticalToTheUninterruptedOne) {
  // Every mechanism with state on: the umbrella cooperative, sickness, the sickness pool with its
  // pots, a platform cooperative whose year (patronage, vote) ends at week 52, the employee-sharing
  // pool with its fund, WISEs with their capital, staff and closures, and far workers' distances.
  ScenarioSpec spec = testing::with_platform_coop(busy_market(2500, 61));
  spec.workers.far_from_market_share = 0.1;
  spec.workers.recruitment_bias = 0.5;
  spec.wise.enabled = true;
  spec.wise.count = 6;
  spec.wise.sector = spec.sectors[1].name;
  spec.wise.initial_capital = 4'000;  // some close within the run
  spec.wise.distance_reduction_per_week = 0.03;
  spec.public_buyers.enabled = true;
  spec.public_buyers.purchases_per_week = 50'000;
  spec.intermediary.enabled = true;
  spec.umbrella_coop.membership_review_probability = 0.2;  // reviews from week 47 on
  spec.umbrella_coop.switching_cost = 0;
  spec.umbrella_coop.salary_smoothing_months = 2;  // leavers' accounts are paid out
  spec.peer_learning.enabled = true;               // learners change with membership
  spec.unemployment_insurance.enabled = true;      // its fund is saved
  spec.employee_sharing.enabled = true;
  spec.employee_sharing.initial_worker_share = 0.1;
  spec.employee_sharing.employers = 10;
  spec.employee_sharing.demand_hours_mean = 45;
  spec.sickness.enabled = true;
  spec.sickness.weekly_onset_probability = 0.03;
  spec.sickness_pool.enabled = true;
  spec.sickness_pool.initial_member_share = 0.5;
  spec.sickness_pool.waiting_weeks = 1;
  Recorder whole;
  {
    Simulation sim(spec, ExecutionContext{1});
    sim.add_observer(whole);
    sim.run();
  }
  for (std::uint32_t cut : {1u, 4u, 23u, 48u, 60u}) {
    const fs::path path = saved_after(spec, cut);
    checkpoint::Checkpoint ck = checkpoint::load(path, "0.1.0");
    EXPECT_EQ(ck.step, cut);
    EXPECT_EQ(ck.log.steps.size(), cut);
    Simulation sim(spec, ExecutionContext{3});  // another thread count too
    sim.restore(ck.state);
    Recorder resumed;
    ck.log.replay(resumed, sim.run_info());
    sim.add_observer(resumed);
    sim.run();
    ASSERT_EQ(resumed.steps.size(), whole.steps.size()) << "cut " << cut;
    for (std::size_t k = 0; k < whole.steps.size(); ++k) {
      ASSERT_TRUE(same_totals(resumed.steps[k], whole.steps[k])) << "cut " << cut << " step " << k;
    }
    ASSERT_EQ(resumed.months.size(), whole.months.size());
    for (std::size_t m = 0; m < whole.months.size(); ++m) {
      EXPECT_TRUE(same_bits(resumed.months[m].net_income, whole.months[m].net_income));
      EXPECT_TRUE(same_bits(resumed.months[m].cash, whole.months[m].cash));
    }
    EXPECT_TRUE(same_bits(resumed.end.income_cv, whole.end.income_cv)) << "cut " << cut;
    EXPECT_TRUE(same_bits(resumed.end.trained_last_12m, whole.end.trained_last_12m));
    EXPECT_TRUE(same_bits(resumed.end.distance, whole.end.distance));
  }
  std::int64_t closures = 0, transitions = 0;
  for (const StepTotals& t : whole.steps) {
    closures += t.integer("wise_closures");
    transitions += t.integer("wise_transitions");
  }
  EXPECT_GT(closures, 0);
  EXPECT_GT(transitions, 0);
  std::int64_t switches = 0;
  for (const StepTotals& t : whole.steps)
    switches += t.integer("coop_joins") + t.integer("coop_leaves");
  EXPECT_GT(switches, 0);
}

TEST_F(Checkpoints, ProvenanceRoundTrips) {
  const fs::path path = saved_after(busy_market(300, 10), 5);
  const checkpoint::Checkpoint ck = checkpoint::load(path, "0.1.0");
  EXPECT_EQ(ck.provenance.scenario_yaml, kProv.scenario_yaml);
  EXPECT_EQ(ck.provenance.git_commit, "abc");
  EXPECT_EQ(ck.provenance.seed_source, "scenario");
  EXPECT_EQ(ck.scenario_hash, checkpoint::hash_text(kProv.scenario_yaml));
  EXPECT_EQ(ck.log.months.size(), 1u);
}

TEST_F(Checkpoints, SavingLeavesNoTemporaryFilesAndReplacesTheOldOne) {
  const ScenarioSpec spec = busy_market(300, 10);
  saved_after(spec, 3);
  const fs::path path = saved_after(spec, 7);
  EXPECT_EQ(checkpoint::load(path, "0.1.0").step, 7u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}), 1);
}

TEST_F(Checkpoints, AFailedSaveKeepsTheLastGoodCheckpoint) {
  const ScenarioSpec spec = busy_market(300, 10);
  const fs::path good = saved_after(spec, 3);
  const std::string before = read(good);
  Simulation sim(spec, ExecutionContext{1});
  checkpoint::EventLog log;
  EXPECT_THROW(checkpoint::save(dir_ / "no-such-dir" / "run.ckpt", kProv, sim, log),
               checkpoint::CheckpointError);
  EXPECT_EQ(read(good), before);
}

TEST_F(Checkpoints, DamagedTruncatedForeignAndOtherVersionFilesAreRefusedClearly) {
  const fs::path path = saved_after(busy_market(300, 10), 5);
  const std::string bytes = read(path);
  const auto message_of = [&](const std::string& content, std::string_view version = "0.1.0") {
    write(dir_ / "bad.ckpt", content);
    try {
      checkpoint::load(dir_ / "bad.ckpt", version);
    } catch (const checkpoint::CheckpointError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x40);
  EXPECT_NE(message_of(flipped).find("checksum mismatch"), std::string::npos);
  EXPECT_NE(message_of(bytes.substr(0, bytes.size() / 3)).find("checksum mismatch"),
            std::string::npos);
  EXPECT_NE(message_of("name: not a checkpoint\n").find("not a gigsim checkpoint"),
            std::string::npos);
  EXPECT_NE(message_of("").find("not a gigsim checkpoint"), std::string::npos);
  EXPECT_NE(message_of(bytes, "9.9.9").find("written by gigsim 0.1.0, this is gigsim 9.9.9"),
            std::string::npos);
  // A checkpoint of another format, with the valid checksum its writer gave it.
  std::string future = bytes;
  future[8] = static_cast<char>(checkpoint::kFormatVersion + 1);  // format version
  const std::uint64_t sum = checkpoint::hash_text(future.substr(0, future.size() - 8));
  future.replace(future.size() - 8, 8, reinterpret_cast<const char*>(&sum), 8);
  EXPECT_NE(message_of(future).find("checkpoint format " +
                                    std::to_string(checkpoint::kFormatVersion + 1)),
            std::string::npos)
      << message_of(future);
  // A bit flip in the format field is damage, not another format.
  std::string flipped_format = bytes;
  flipped_format[8] = static_cast<char>(flipped_format[8] ^ 0x04);
  EXPECT_NE(
      message_of(flipped_format)
          .find("damaged checkpoint: checksum mismatch (truncated or altered; its format "
                "field reads " +
                std::to_string(checkpoint::kFormatVersion ^ 4) + " where this gigsim writes " +
                std::to_string(checkpoint::kFormatVersion) + ")"),
      std::string::npos)
      << message_of(flipped_format);
  EXPECT_NE(message_of(bytes).find("no error"), std::string::npos);
  EXPECT_THROW(checkpoint::load(dir_ / "missing.ckpt", "0.1.0"), checkpoint::CheckpointError);
}

// Mutated checkpoints whose checksum is recomputed, so the parser itself sees the damage: every
// one must load or fail with CheckpointError, never crash or allocate without bound. (The fuzz
// target in tests/fuzz explores this space further.)
TEST_F(Checkpoints, MutatedFilesWithValidChecksumsNeverCrashTheLoader) {
  const std::string bytes = read(saved_after(busy_market(200, 9), 5));
  int refused = 0;
  for (std::uint32_t trial = 0; trial < 3000; ++trial) {
    RandomStream r(99, Stream::tasks, trial, 0);
    std::string m = bytes;
    const int edits = 1 + static_cast<int>(r.below(4));
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = r.below(static_cast<std::uint32_t>(m.size() - 8));
      switch (r.below(3)) {
        case 0:
          m[at] = static_cast<char>(r.below(256));
          break;
        case 1:
          m.erase(at, 1 + r.below(16));
          break;
        default:
          m.insert(at, std::string(1 + r.below(16), static_cast<char>(r.below(256))));
          break;
      }
    }
    if (m.size() < 8) continue;
    const std::uint64_t sum = checkpoint::hash_text(std::string_view(m).substr(0, m.size() - 8));
    std::memcpy(m.data() + m.size() - 8, &sum, 8);
    try {
      checkpoint::load_bytes(m, "mutated", "0.1.0");
    } catch (const checkpoint::CheckpointError&) {
      ++refused;
    }
  }
  EXPECT_GT(refused, 2000);
}

TEST_F(Checkpoints, RestoreRefusesStateOfAnotherShape) {
  const fs::path path = saved_after(busy_market(300, 10), 5);
  checkpoint::Checkpoint ck = checkpoint::load(path, "0.1.0");
  Simulation other(busy_market(301, 10), ExecutionContext{1});
  EXPECT_THROW(other.restore(ck.state), RestoreError);
  Simulation again(busy_market(300, 10), ExecutionContext{1});
  EXPECT_NO_THROW(again.restore(ck.state));
}

// A checkpoint is untrusted input: every value a section supplies must be checked against its
// field's rule. For every entry of every section (found through the section encoding, so a new
// field is covered without naming it here), each value just outside the rule, and NaN and the
// infinities for floating-point fields, is forged into one element; a fresh simulation must
// refuse the state with a RestoreError that names the section and the field.
TEST_F(Checkpoints, EveryFieldOfEverySectionIsValidatedOnRestore) {
  const ScenarioSpec spec = testing::every_state_on(200, 12);
  Simulation sim(spec, ExecutionContext{1});
  for (int k = 0; k < 5; ++k) sim.step();
  const SavedState saved = sim.save_state();
  const StateRules rules = sim.state_rules();
  ASSERT_EQ(saved.sections.size(), rules.size());
  int fields = 0, checked = 0, any_value = 0, forged = 0;
  std::vector<std::string> empty;
  for (const auto& [section, bytes] : saved.sections) {
    const std::vector<SectionEntry> entries = section_entries(bytes, section);
    const std::vector<FieldRule>& declared = rules.at(section);
    ASSERT_EQ(entries.size(), declared.size()) << section;
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const SectionEntry& e = entries[k];
      const FieldRule& field = declared[k];
      ASSERT_EQ(e.name, field.name) << section;
      ASSERT_EQ(e.kind, field.kind) << section << "." << field.name;
      ++fields;
      const std::vector<double> bad = testing::values_breaking(e.type, field.rule);
      if (bad.empty()) {  // an integer field whose rule admits every value of its type
        ++any_value;
        continue;
      }
      if (e.count == 0) {  // nothing to forge: the scenario leaves the field empty
        empty.push_back(section + "." + field.name);
        continue;
      }
      ++checked;
      for (const double v : bad) {
        SavedState edited = saved;
        testing::set_element(edited.sections.at(section), e, e.count - 1, v);
        Simulation fresh(spec, ExecutionContext{1});
        try {
          fresh.restore(edited);
          ADD_FAILURE() << section << "." << field.name << " = " << v << " was accepted";
        } catch (const RestoreError& error) {
          const std::string what = error.what();
          EXPECT_NE(what.find("section '" + section + "'"), std::string::npos) << what;
          EXPECT_NE(what.find("'" + field.name + "'"), std::string::npos) << what;
        }
        ++forged;
      }
    }
  }
  EXPECT_TRUE(empty.empty()) << "fields the scenario leaves empty (switch their mechanism on in "
                                "testing::every_state_on): "
                             << ::testing::PrintToString(empty);
  EXPECT_EQ(checked + any_value + static_cast<int>(empty.size()), fields);
  std::cout << "[ restore  ] " << fields << " fields in " << saved.sections.size()
            << " sections: " << checked << " checked with " << forged << " forged values, "
            << any_value << " whose rule admits any value of their type\n";
}

}  // namespace
}  // namespace gigsim
