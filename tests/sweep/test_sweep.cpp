// Sweep files, designs, seeds, identities and run records (docs/sweeps.md).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "gigsim/observer.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/sweep.hpp"

namespace fs = std::filesystem;

namespace gigsim::sweep {
namespace {

const std::string kBase = std::string(GIGSIM_SOURCE_DIR) + "/scenarios/with_umbrella_coop.yaml";

class SweepFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gigsim-sweep-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  // A sweep file on the shipped cooperative scenario; `body` follows the base line.
  std::string sweep_file(const std::string& body, const std::string& name = "s.yaml") const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << "base: " << kBase << "\n" << body;
    return path;
  }
  // The ScenarioError message for a bad sweep file.
  std::string error_of(const std::string& body) const {
    try {
      (void)load_sweep(sweep_file(body));
    } catch (const scenario::ScenarioError& e) {
      return e.what();
    }
    return "(no error)";
  }
  fs::path dir_;
};

TEST_F(SweepFiles, GridIsTheFullProductWithTheLastParameterFastest) {
  const auto spec =
      load_sweep(sweep_file("design: {method: grid}\n"
                            "parameters:\n"
                            "  umbrella_coop.fee_rate: {values: [0.05, 0.1]}\n"
                            "  training.course_cost: {min: 200, max: 600, steps: 3}\n"));
  const Design d = build_design(spec);
  ASSERT_EQ(d.points, 6u);
  const std::vector<double> expected{0.05, 200, 0.05, 400, 0.05, 600, 0.1, 200, 0.1, 400, 0.1, 600};
  EXPECT_EQ(d.values, expected);
  EXPECT_EQ(d.text[1], "200");
  EXPECT_TRUE(std::isnan(d.unit[0]));
}

TEST_F(SweepFiles, ZipPairsTheListsAndIntegersAreRounded) {
  const auto spec =
      load_sweep(sweep_file("design: {method: zip}\n"
                            "parameters:\n"
                            "  workers.count: {values: [100.4, 200.6]}\n"
                            "  umbrella_coop.enabled: {values: [false, true]}\n"));
  const Design d = build_design(spec);
  ASSERT_EQ(d.points, 2u);
  EXPECT_EQ(d.values, (std::vector<double>{100, 0, 201, 1}));
  EXPECT_EQ(d.text, (std::vector<std::string>{"100", "false", "201", "true"}));
}

TEST_F(SweepFiles, LatinHypercubeHitsEveryStratumOnceInEveryDimension) {
  const auto spec = load_sweep(
      sweep_file("design: {method: lhs, points: 20}\n"
                 "parameters:\n"
                 "  umbrella_coop.fee_rate: {min: 0.02, max: 0.12}\n"
                 "  skills.decay_per_week: {min: 0.0005, max: 0.005, scale: log}\n"
                 "  workers.hours_budget_mean: {distribution: normal, mean: 30, sd: 5}\n"));
  const Design d = build_design(spec);
  ASSERT_EQ(d.points, 20u);
  for (std::size_t j = 0; j < 3; ++j) {
    std::set<int> strata;
    for (std::size_t i = 0; i < d.points; ++i)
      strata.insert(static_cast<int>(d.unit[i * 3 + j] * 20));
    EXPECT_EQ(strata.size(), 20u) << "dimension " << j;
  }
  for (std::size_t i = 0; i < d.points; ++i) {
    EXPECT_GE(d.values[i * 3], 0.02);
    EXPECT_LE(d.values[i * 3], 0.12);
    const double u = d.unit[i * 3 + 1];  // log-uniform: log-linear in u
    EXPECT_NEAR(std::log(d.values[i * 3 + 1]),
                std::log(0.0005) + u * (std::log(0.005) - std::log(0.0005)), 1e-12);
  }
  // The same sweep seed gives the same design; another seed another one.
  EXPECT_EQ(build_design(spec).values, d.values);
  auto other = spec;
  other.seed += 1;
  EXPECT_NE(build_design(other).values, d.values);
}

TEST_F(SweepFiles, SobolPointsAreLowDiscrepancyAndSkipTheCorner) {
  const auto spec =
      load_sweep(sweep_file("design: {method: sobol, points: 64}\n"
                            "parameters:\n"
                            "  umbrella_coop.fee_rate: {min: 0, max: 1}\n"
                            "  training.skill_gain: {min: 0, max: 1}\n"));
  const Design d = build_design(spec);
  ASSERT_EQ(d.points, 64u);
  EXPECT_FALSE(d.unit[0] == 0 && d.unit[1] == 0);
  // Points 1..63 of a Sobol sequence (plus the skipped corner) put exactly 16 points in each
  // quarter of the first dimension.
  std::array<int, 4> quarters{};
  for (std::size_t i = 0; i < 63; ++i) ++quarters.at(static_cast<std::size_t>(d.unit[i * 2] * 4));
  EXPECT_EQ(quarters[0] + 1, 16);  // the corner (0, 0) would complete the first quarter
  EXPECT_EQ(quarters[1], 16);
  EXPECT_EQ(quarters[2], 16);
  EXPECT_EQ(quarters[3], 16);
}

TEST_F(SweepFiles, MorrisTrajectoriesChangeOneParameterByDeltaPerStep) {
  const auto spec =
      load_sweep(sweep_file("design: {method: morris, trajectories: 7, levels: 4}\n"
                            "parameters:\n"
                            "  umbrella_coop.fee_rate: {min: 0.02, max: 0.12}\n"
                            "  training.course_cost: {min: 200, max: 800}\n"
                            "  skills.decay_per_week: {min: 0.0005, max: 0.005}\n"));
  const Design d = build_design(spec);
  const std::size_t k = 3;
  ASSERT_EQ(d.points, 7 * (k + 1));
  for (std::size_t t = 0; t < 7; ++t) {
    std::set<int> moved;
    for (std::size_t m = 0; m <= k; ++m) {
      const std::size_t i = t * (k + 1) + m;
      EXPECT_EQ(d.trajectory[i], static_cast<int>(t));
      for (std::size_t j = 0; j < k; ++j) {
        const double u = d.unit[i * k + j];
        EXPECT_NEAR(u * 3, std::round(u * 3), 1e-12) << "on the 4-level grid";
      }
      if (m == 0) {
        EXPECT_EQ(d.step_parameter[i], -1);
        continue;
      }
      const int j = d.step_parameter[i];
      moved.insert(j);
      for (std::size_t q = 0; q < k; ++q) {
        const double step = d.unit[i * k + q] - d.unit[(i - 1) * k + q];
        EXPECT_NEAR(std::abs(step), static_cast<int>(q) == j ? 2.0 / 3.0 : 0.0, 1e-12);
      }
    }
    EXPECT_EQ(moved.size(), k) << "every parameter moves once per trajectory";
  }
}

TEST_F(SweepFiles, SaltelliBlocksAreAThenBThenAWithOneColumnFromB) {
  const auto spec =
      load_sweep(sweep_file("design: {method: saltelli, points: 8}\n"
                            "parameters:\n"
                            "  umbrella_coop.fee_rate: {min: 0.02, max: 0.12}\n"
                            "  training.course_cost: {min: 200, max: 800}\n"));
  const Design d = build_design(spec);
  const std::size_t n = 8, k = 2;
  ASSERT_EQ(d.points, n * (k + 2));
  // B is the second half of the Sobol sequence, not a copy of A (else every AB_i row would equal
  // its A row and the checks below would pass trivially). Only the sequence's first point,
  // (1/2, ..., 1/2) in every dimension, gives a B row equal to its A row.
  std::size_t rows_differing = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bool differs = false;
    for (std::size_t q = 0; q < k; ++q) differs |= d.values[i * k + q] != d.values[(n + i) * k + q];
    rows_differing += differs ? 1 : 0;
  }
  EXPECT_EQ(rows_differing, n - 1);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(d.saltelli_block[i], 0);
    EXPECT_EQ(d.saltelli_block[n + i], 1);
    for (std::size_t c = 0; c < k; ++c) {
      const std::size_t ab = (2 + c) * n + i;
      EXPECT_EQ(d.saltelli_block[ab], static_cast<int>(2 + c));
      for (std::size_t q = 0; q < k; ++q) {
        const std::size_t from = q == c ? n + i : i;  // column c from B, the rest from A
        EXPECT_EQ(d.values[ab * k + q], d.values[from * k + q]);
      }
    }
  }
}

TEST_F(SweepFiles, RunSeedsArePairedAcrossVariantsAndIndependentAcrossReplications) {
  const auto spec =
      load_sweep(sweep_file("seed: 5\nreplications: 3\n"
                            "design: {method: grid}\n"
                            "parameters:\n"
                            "  umbrella_coop.fee_rate: {values: [0.05, 0.1]}\n"
                            "variants:\n"
                            "  - {name: off, set: {umbrella_coop.enabled: false}}\n"
                            "  - {name: on, set: {umbrella_coop.enabled: true}}\n"));
  const Design d = build_design(spec);
  const auto runs = plan_runs(spec, d, "test");
  const RunScenarios scenarios(spec, d);
  ASSERT_EQ(runs.size(), 2u * 3u * 2u);
  std::set<std::uint64_t> seeds;
  std::set<std::string> identities;
  for (std::size_t r = 0; r < runs.size(); r += 2) {
    EXPECT_EQ(runs[r].seed, runs[r + 1].seed) << "variants share the seed";
    EXPECT_EQ(runs[r].seed, run_seed(5, runs[r].point, runs[r].replication));
    EXPECT_EQ(scenarios(runs[r]).run.seed, runs[r].seed);
    EXPECT_FALSE(scenarios(runs[r]).umbrella_coop.enabled);
    EXPECT_TRUE(scenarios(runs[r + 1]).umbrella_coop.enabled);
    EXPECT_LT(runs[r].seed, std::uint64_t{1} << 63);
    seeds.insert(runs[r].seed);
  }
  EXPECT_EQ(seeds.size(), 6u) << "every (point, replication) has its own seed";
  for (const auto& r : runs) identities.insert(r.identity);
  EXPECT_EQ(identities.size(), runs.size());
  EXPECT_EQ(runs[5].index, 5u);
  EXPECT_EQ(runs[5].point, 0u);
  EXPECT_EQ(runs[5].replication, 2u);
  EXPECT_EQ(runs[5].variant, 1u);
  // Identities depend on the program version.
  EXPECT_NE(plan_runs(spec, d, "other")[0].identity, runs[0].identity);
  EXPECT_EQ(plan_runs(spec, d, "test")[0].identity, runs[0].identity);
}

TEST_F(SweepFiles, ErrorsNameFileLineColumnAndKey) {
  EXPECT_NE(
      error_of("design: {method: grid}\nparamters: {}\n")
          .find("s.yaml:3:1: paramters: unknown key 'paramters' (did you mean 'parameters'?)"),
      std::string::npos)
      << error_of("design: {method: grid}\nparamters: {}\n");
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n  umbrella_coop.fee: {values: [1]}\n")
                .find(":4:3: parameters.umbrella_coop.fee: 'umbrella_coop.fee' is not a scenario "
                      "parameter"),
            std::string::npos);
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n  name: {values: [1]}\n")
                .find("only numbers and booleans can vary"),
            std::string::npos);
  EXPECT_NE(
      error_of("design: {method: grid}\nparameters:\n  training.course_cost: {min: 1, max: 2}\n")
          .find("grid needs a list"),
      std::string::npos);
  EXPECT_NE(error_of("design: {method: zip}\nparameters:\n"
                     "  training.course_cost: {values: [1, 2]}\n"
                     "  umbrella_coop.fee_rate: {values: [0.1]}\n")
                .find(":5:27: parameters.umbrella_coop.fee_rate: zip needs lists of equal length"),
            std::string::npos);
  EXPECT_NE(
      error_of("design: {method: lhs}\nparameters:\n  training.course_cost: {min: 1, max: 2}\n")
          .find("design.points: missing"),
      std::string::npos);
  EXPECT_NE(
      error_of("design: {method: latin}\n").find(":2:18: design.method: unknown method 'latin'"),
      std::string::npos);
  EXPECT_NE(error_of("design: {method: morris, levels: 3}\nparameters:\n"
                     "  training.course_cost: {min: 1, max: 2}\n")
                .find("design.levels: must be even"),
            std::string::npos);
  // An override the base scenario rejects points at the override's own line.
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n  training.course_cost: {values: [1]}\n"
                     "variants:\n  - name: a\n    set: {umbrella_coop.fee_rate: 7}\n")
                .find(":7:35: variants[0].set.umbrella_coop.fee_rate:"),
            std::string::npos)
      << error_of(
             "design: {method: grid}\nparameters:\n  training.course_cost: {values: [1]}\n"
             "variants:\n  - name: a\n    set: {umbrella_coop.fee_rate: 7}\n");
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n  training.course_cost: {values: [1]}\n"
                     "variants:\n  - {name: a}\n  - {name: a}\n")
                .find("variant names must be non-empty and distinct"),
            std::string::npos);
  EXPECT_NE(error_of("seed: -1\n").find("seed: expected a whole number"), std::string::npos);
  EXPECT_NE(error_of("design: [").find("s.yaml:"), std::string::npos);
  const std::string missing_base = (dir_ / "m.yaml").string();
  std::ofstream(missing_base) << "base: nowhere.yaml\n";
  try {
    (void)load_sweep(missing_base);
    ADD_FAILURE() << "no error for a missing base scenario";
  } catch (const scenario::ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("m.yaml:1:7: base: no such scenario file"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(SweepFiles, RejectedCombinationsBecomeFailedRunsNotSweepErrors) {
  const auto spec =
      load_sweep(sweep_file("set: {run.weeks: 8, workers.count: 50}\n"
                            "design: {method: grid}\n"
                            "parameters:\n"
                            "  umbrella_coop.fee_rate: {values: [0.05, 1.5]}\n"));
  const Design design = build_design(spec);
  const auto runs = plan_runs(spec, design, "test");
  const RunScenarios scenarios(spec, design);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_TRUE(runs[0].accepted());
  EXPECT_FALSE(runs[1].accepted());
  EXPECT_NE(runs[1].error.find("umbrella_coop.fee_rate"), std::string::npos) << runs[1].error;
  EXPECT_EQ(runs[0].workers, 50u);
  EXPECT_EQ(runs[0].weeks, 8u);
  EXPECT_GT(runs[0].peak_bytes, 0u);
  EXPECT_EQ(runs[1].peak_bytes, 0u);
  const RunRecord failed = execute_run(scenarios, runs[1], 1);
  EXPECT_FALSE(failed.ok);
  EXPECT_EQ(failed.message, runs[1].error);
  const RunRecord ok = execute_run(scenarios, runs[0], 1);
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.weeks, 8u);
  EXPECT_EQ(ok.series.size(), 8 * step_columns().size());
  EXPECT_EQ(ok.metrics[0], 50);  // workers, group "all"
}

TEST(RunRecords, RoundTripAndDamageIsDetected) {
  RunRecord r;
  r.identity = std::string(32, 'a');
  r.ok = true;
  r.weeks = 2;
  r.metrics.assign(metric_infos().size() * kMetricGroups, 0.5);
  r.metrics[3] = std::nan("");
  r.series.assign(2 * step_columns().size(), 1.25);
  const std::string bytes = encode(r);
  const auto back = decode(bytes);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->identity, r.identity);
  EXPECT_EQ(back->weeks, 2u);
  EXPECT_TRUE(std::isnan(back->metrics[3]));
  EXPECT_EQ(back->series, r.series);
  for (std::size_t at : {std::size_t{0}, bytes.size() / 2, bytes.size() - 1}) {
    std::string damaged = bytes;
    damaged[at] ^= 0x10;
    EXPECT_FALSE(decode(damaged).has_value()) << "flipped a bit at byte " << at;
  }
  EXPECT_FALSE(decode(bytes.substr(0, bytes.size() - 9)).has_value());
  EXPECT_FALSE(decode("").has_value());
}

TEST(SlurmScript, MpiJobNamesTheJobResourcesAndTheSameCommand) {
  SlurmOptions o;
  o.mpi = true;
  o.tasks = 9;
  o.partition = "short";
  SlurmRun run;
  run.gigsim = "/opt/gigsim";
  run.sweep_file = "/data/s.yaml";
  run.output = "/data/out it's.h5";
  run.workdir = "/data";
  run.time = "12:00:00";
  run.memory = "3G";
  const std::string s = slurm_scripts(o, run).array;
  EXPECT_EQ(s.rfind("#!/bin/bash\n", 0), 0u);
  for (const char* line : {"#SBATCH --ntasks=9\n", "#SBATCH --time=12:00:00\n",
                           "#SBATCH --mem-per-cpu=3G\n", "#SBATCH --partition=short\n",
                           "#SBATCH --requeue\n", "scontrol requeue \"${SLURM_JOB_ID}\"",
                           "'/opt/gigsim' sweep '/data/s.yaml' -o '/data/out it'\\''s.h5'"}) {
    EXPECT_NE(s.find(line), std::string::npos) << line << "\n" << s;
  }
  EXPECT_TRUE(slurm_scripts(o, run).join.empty());
}

TEST(SlurmScript, ChunksCoverEveryDistinctRunOnce) {
  std::vector<RunPlan> runs(10);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].index = i;
    runs[i].identity = "id" + std::to_string(i % 7);  // runs 7, 8, 9 repeat 0, 1, 2
  }
  std::vector<std::size_t> all;
  for (std::uint32_t c = 0; c < 3; ++c) {
    const auto chunk = chunk_runs(runs, c, 3);
    EXPECT_GE(chunk.size(), 2u);
    all.insert(all.end(), chunk.begin(), chunk.end());
  }
  EXPECT_EQ(all, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(slurm_time(0), "00:10:00");
  EXPECT_EQ(slurm_time(3600), "01:35:00");         // 1.5 h + 5 min
  EXPECT_EQ(slurm_time(2 * 86400), "3-00:05:00");  // 3 days + 5 min
}

// Hostile input, part two (issue 18, class 9): nothing in a sweep file is dropped silently.
TEST_F(SweepFiles, KeysGivenTwiceAreErrorsWhereverTheyAre) {
  const std::string grid = "design: {method: grid}\nparameters:\n  run.weeks: {values: [8]}\n";
  EXPECT_NE(error_of("replications: 2\nreplications: 5\n" + grid)
                .find("s.yaml:3:1: replications: 'replications' is given twice (first at line 2)"),
            std::string::npos)
      << error_of("replications: 2\nreplications: 5\n" + grid);
  EXPECT_NE(error_of("base: other.yaml\n" + grid).find(":2:1: base: 'base' is given twice"),
            std::string::npos);
  EXPECT_NE(error_of("design: {method: grid, method: zip}\nparameters:\n  run.weeks: {values: "
                     "[8]}\n")
                .find("design.method: 'method' is given twice"),
            std::string::npos);
  EXPECT_NE(error_of("set: {run.weeks: 8, run.weeks: 9}\n" + grid)
                .find("set.run.weeks: 'run.weeks' is given twice"),
            std::string::npos);
  EXPECT_NE(error_of("set:\n  platforms[0].take_rate: 0.1\n  platforms[00].take_rate: 0.2\n" + grid)
                .find(":4:3: set.platforms[0].take_rate: 'platforms[0].take_rate' is given twice"),
            std::string::npos)
      << error_of("set:\n  platforms[0].take_rate: 0.1\n  platforms[00].take_rate: 0.2\n" + grid);
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n"
                     "  platforms[0].take_rate: {values: [0.1]}\n"
                     "  platforms[00].take_rate: {values: [0.2]}\n")
                .find(":5:3: parameters.platforms[0].take_rate: 'platforms[0].take_rate' is given "
                      "twice (first at line 4)"),
            std::string::npos);
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n  run.weeks: {values: [8], values: "
                     "[9]}\n")
                .find("'values' is given twice"),
            std::string::npos);
  EXPECT_NE(error_of(grid + "variants:\n  - {name: a, name: b}\n").find("'name' is given twice"),
            std::string::npos);
}

TEST_F(SweepFiles, ASecondDocumentIsAnError) {
  const std::string grid = "design: {method: grid}\nparameters:\n  run.weeks: {values: [8]}\n";
  EXPECT_NE(error_of(grid + "---\nreplications: 9\n")
                .find("s.yaml:5:1: expected one YAML document, found more than one"),
            std::string::npos)
      << error_of(grid + "---\nreplications: 9\n");
  // Inside a set value, as in --set: one value only.
  EXPECT_NE(error_of("set: {run.weeks: \"8\\n---\\n9\"}\n" + grid)
                .find("expected one YAML value, found a second document"),
            std::string::npos)
      << error_of("set: {run.weeks: \"8\\n---\\n9\"}\n" + grid);
}

TEST_F(SweepFiles, SetKeysAndParametersAreKeyPathsTheBaseHas) {
  const std::string grid = "design: {method: grid}\nparameters:\n  run.weeks: {values: [8]}\n";
  // A key with '=' and a newline would have become two overrides.
  const std::string two = error_of("set: {\"run.weeks=5\\nworkers.count\": 7}\n" + grid);
  EXPECT_NE(two.find("set.run.weeks=5\\x0Aworkers.count: 'run.weeks=5\\x0Aworkers.count' is not "
                     "a scenario parameter"),
            std::string::npos)
      << two;
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n"
                     "  platforms[99999999999999999999].take_rate: {values: [0.1]}\n")
                .find("is not a scenario parameter ('gigsim params' lists them): expected [N] with "
                      "a non-negative integer N"),
            std::string::npos);
  EXPECT_NE(error_of("design: {method: grid}\nparameters:\n"
                     "  platforms[7].take_rate: {values: [0.1]}\n")
                .find(":4:27: parameters.platforms[7].take_rate: 'platforms[7].take_rate' is not "
                      "in the base scenario (its platforms has 2 entries); every run would fail"),
            std::string::npos)
      << error_of(
             "design: {method: grid}\nparameters:\n"
             "  platforms[7].take_rate: {values: [0.1]}\n");
  // Canonical paths reach the runs: "[01]" is platform 1.
  const auto spec =
      load_sweep(sweep_file("design: {method: grid}\nparameters:\n"
                            "  platforms[01].take_rate: {values: [0.3]}\n"));
  EXPECT_EQ(spec.parameters[0].path, "platforms[1].take_rate");
}

TEST_F(SweepFiles, DesignTableColumnsAreCheckedAndAByteOrderMarkIsAccepted) {
  const auto table = [&](const std::string& csv) {
    std::ofstream(dir_ / "t.csv", std::ios::binary) << csv;
    try {
      return std::to_string(
          build_design(load_sweep(sweep_file("design: {method: table, file: t.csv}\n"))).points);
    } catch (const scenario::ScenarioError& e) {
      return std::string(e.what());
    }
  };
  // Spreadsheets save UTF-8 CSV with a byte-order mark.
  EXPECT_EQ(table("\xEF\xBB\xBFumbrella_coop.fee_rate,run.weeks\n0.05,8\n0.06,8\n"), "2");
  EXPECT_NE(table("run.weeks,platforms[0].take_rate, platforms[00].take_rate\n8,0.1,0.2\n")
                .find("t.csv:1:35: platforms[0].take_rate: column 3 repeats column 2"),
            std::string::npos)
      << table("run.weeks,platforms[0].take_rate, platforms[00].take_rate\n8,0.1,0.2\n");
  EXPECT_NE(table("platforms[4].take_rate\n0.1\n").find("is not in the base scenario"),
            std::string::npos);
  EXPECT_NE(table("name\nx\n").find("'name' is a string; only numbers and booleans can vary"),
            std::string::npos);
  EXPECT_NE(table("umbrella_coop.fee\n0.1\n").find("is not a scenario parameter"),
            std::string::npos);
}

TEST_F(SweepFiles, ManyOverridesAreCheckedInFewLoadsAndAnErrorIsStillLocated) {
  // 400 variants of two overrides each: checked in one load of the base per variant (each
  // override was a load with all before it), and a bad one is still found by bisection.
  std::string variants = "variants:\n";
  for (int i = 0; i < 400; ++i)
    variants += "  - {name: v" + std::to_string(i) + ", set: {run.weeks: " + std::to_string(8 + i) +
                ", training.course_cost: " + std::to_string(100 + i) + "}}\n";
  const std::string grid = "design: {method: grid}\nparameters:\n  run.seed: {values: [1]}\n";
  EXPECT_EQ(load_sweep(sweep_file(grid + variants)).variants.size(), 400u);
  const std::string bad = grid + variants +
                          "  - {name: w, set: {run.weeks: 8, umbrella_coop.fee_rate: 7, "
                          "training.course_cost: 5}}\n";
  const std::string error = error_of(bad);
  EXPECT_NE(error.find(":406:59: variants[400].set.umbrella_coop.fee_rate: value 7 out of range"),
            std::string::npos)
      << error;
}

TEST_F(SweepFiles, IntegerValuesAreGivenInDigits) {
  // The shortest text of 3000000.0 is "3e+06", which an integer key refuses: every run failed.
  const auto spec = load_sweep(sweep_file(
      "set: {run.weeks: 8}\ndesign: {method: grid}\nparameters:\n  workers.count: {values: "
      "[3000000, 200000, 50.4]}\n"));
  const Design d = build_design(spec);
  EXPECT_EQ(d.text, (std::vector<std::string>{"3000000", "200000", "50"}));
  for (const RunPlan& r : plan_runs(spec, d, "test")) EXPECT_TRUE(r.accepted()) << r.error;
}

#if !defined(__SANITIZE_ADDRESS__)  // its shadow memory needs more address space than the limit
TEST_F(SweepFiles, RunningOutOfMemoryIsNotRecordedAsTheRunsOwnFailure) {
  // A record says what the run is; a machine short of memory is not that, so the run must stay
  // to do (and the sweep stop) rather than be recorded as failed and never tried again.
  const auto spec = load_sweep(sweep_file(
      "set: {run.weeks: 8}\ndesign: {method: grid}\nparameters:\n  workers.count: {values: "
      "[50000000]}\n"));
  const Design design = build_design(spec);
  const auto runs = plan_runs(spec, design, "test");
  const RunScenarios scenarios(spec, design);
  ASSERT_TRUE(runs[0].accepted()) << runs[0].error;
  const pid_t child = ::fork();
  if (child == 0) {
    const rlimit limit{std::uint64_t{2} << 30, std::uint64_t{2} << 30};  // 2 GiB of address space
    ::setrlimit(RLIMIT_AS, &limit);
    try {
      (void)execute_run(scenarios, runs[0], 1);
    } catch (const std::bad_alloc&) {
      ::_exit(42);
    } catch (...) {
      ::_exit(43);
    }
    ::_exit(44);  // a record came back
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 42);
}
#endif

TEST(SlurmScript, NoValueCanAddALineAndFileNamesAreQuotedForSbatch) {
  SlurmOptions o;
  SlurmRun run;
  run.gigsim = "/opt/gigsim";
  run.sweep_file = "/data/s.yaml";
  run.workdir = "/data";
  run.time = "04:00:00";
  const auto script = [&](const SlurmOptions& options, const SlurmRun& r) {
    return slurm_scripts(options, r);
  };
  const auto refused = [&](const SlurmOptions& options, const SlurmRun& r) {
    try {
      (void)script(options, r);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("written");
  };
  SlurmRun r = run;
  r.output = "/data/o\nrm -rf ~\n.h5";
  EXPECT_NE(refused(o, r).find("the output path contains a control character"), std::string::npos);
  run.output = "/data/o.h5";
  r = run;
  r.time = "04:00:00\n#SBATCH --uid=0";
  EXPECT_NE(refused(o, r).find("--slurm-time contains a control character"), std::string::npos);
  for (const char* time : {"soon", "1:2:3:4", "-5", "1-", ""}) {
    r = run;
    r.time = time;
    EXPECT_NE(refused(o, r).find("expected minutes, HH:MM:SS"), std::string::npos) << time;
  }
  for (const char* time : {"90", "30:00", "12:00:00", "2-00", "2-12:30", "1-12:00:00"}) {
    r = run;
    r.time = time;
    EXPECT_EQ(refused(o, r), "written") << time;
  }
  SlurmOptions bad = o;
  bad.partition = "a b";
  EXPECT_NE(refused(bad, run).find("cannot go into an #SBATCH line"), std::string::npos);
  bad = o;
  bad.account = "p;x";
  EXPECT_NE(refused(bad, run).find("--slurm-account"), std::string::npos);
  bad = o;
  bad.setup = {"source env.sh\nrm -rf ~"};
  EXPECT_NE(refused(bad, run).find("--slurm-setup contains a control character"),
            std::string::npos);
  r = run;
  r.memory = "2G --uid=0";
  EXPECT_NE(refused(o, r).find("--slurm-mem"), std::string::npos);
  // sbatch reads blanks as separators, '#' as a comment and %j as the job id.
  r = run;
  r.output = "/data/50% #1 \"x\".h5";
  const SlurmScripts quoted = script(o, r);
  EXPECT_NE(quoted.array.find("#SBATCH --output=\"/data/50%% #1 \\\"x\\\".h5.slurm-%A_%a.log\"\n"),
            std::string::npos)
      << quoted.array;
  EXPECT_NE(quoted.join.find("#SBATCH --output=\"/data/50%% #1 \\\"x\\\".h5.slurm-join-%j.log\"\n"),
            std::string::npos)
      << quoted.join;
  EXPECT_NE(script(o, run).array.find("#SBATCH --output=/data/o.h5.slurm-%A_%a.log\n"),
            std::string::npos);
  SlurmOptions mpi = o;
  mpi.mpi = true;
  EXPECT_NE(script(mpi, run).array.find("#SBATCH --output=/data/o.h5.slurm-%j.log\n"),
            std::string::npos);
}

}  // namespace
}  // namespace gigsim::sweep
