#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gigsim/app.hpp"
#include "gigsim/scenario.hpp"
#include "h5_compare.hpp"
#include "in_process.hpp"

namespace fs = std::filesystem;

namespace gigsim {
namespace {

using Result = testing::CliResult;
const auto gigsim_cmd = testing::run_in_process;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gigsim-cli-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name)) << text;
    return path(name);
  }
  static std::string scenario(const std::string& name) {
    return std::string(GIGSIM_SOURCE_DIR) + "/scenarios/" + name;
  }
  // The shipped coop scenario, shrunk so a test runs in well under a second.
  static std::vector<std::string> small(std::vector<std::string> args) {
    for (const char* s : {"--set", "workers.count=3000", "--set", "run.weeks=60", "--quiet"})
      args.emplace_back(s);
    return args;
  }
  std::size_t files_in_dir() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(dir_), fs::directory_iterator{}));
  }
  fs::path dir_;
};

TEST_F(Cli, HelpAndVersionExitZero) {
  EXPECT_EQ(gigsim_cmd({"--help"}).code, 0);
  const Result r = gigsim_cmd({"run", "--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("--threads"), std::string::npos);
  EXPECT_NE(r.out.find("Example"), std::string::npos);
  EXPECT_EQ(gigsim_cmd({"--version"}).code, 0);
}

TEST_F(Cli, BadArgumentsExitTwoWithAHint) {
  EXPECT_EQ(gigsim_cmd({}).code, cli::kExitBadInput);
  const Result unknown = gigsim_cmd({"frobnicate"});
  EXPECT_EQ(unknown.code, cli::kExitBadInput);
  EXPECT_NE(unknown.err.find("unknown command 'frobnicate'"), std::string::npos);
  EXPECT_NE(unknown.err.find("--help"), std::string::npos);
  EXPECT_EQ(gigsim_cmd({"run"}).code, cli::kExitBadInput);
  EXPECT_EQ(gigsim_cmd({"run", scenario("baseline.yaml"), "--threads", "x"}).code,
            cli::kExitBadInput);
  EXPECT_EQ(gigsim_cmd({"run", scenario("baseline.yaml"), "--no-such-flag"}).code,
            cli::kExitBadInput);
}

TEST_F(Cli, ScenarioErrorNamesFileLineColumnAndKeyAndWritesNothing) {
  const std::string bad = write(
      "bad.yaml",
      "name: bad\nplatforms:\n  - name: app\n    take_rte: 0.2\nsectors:\n  - name: delivery\n");
  const std::string out = path("out.h5");
  const Result r = gigsim_cmd({"run", bad, "-o", out});
  EXPECT_EQ(r.code, cli::kExitBadInput);
  EXPECT_NE(
      r.err.find(bad +
                 ":4:5: platforms[0].take_rte: unknown key 'take_rte' (did you mean 'take_rate'?)"),
      std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_EQ(files_in_dir(), 1u);  // only bad.yaml: no temporary file left behind either
}

TEST_F(Cli, MissingScenarioFileExitsTwo) {
  const Result r = gigsim_cmd({"run", path("nope.yaml"), "-o", path("out.h5")});
  EXPECT_EQ(r.code, cli::kExitBadInput);
  EXPECT_NE(r.err.find("nope.yaml"), std::string::npos);
  EXPECT_FALSE(fs::exists(path("out.h5")));
}

TEST_F(Cli, BadOverrideExitsTwoAndLeavesAnEarlierResultIntact) {
  const std::string out = write("out.h5", "an earlier result");
  const Result r =
      gigsim_cmd({"run", scenario("baseline.yaml"), "-o", out, "--set", "run.weeks=-3"});
  EXPECT_EQ(r.code, cli::kExitBadInput);
  EXPECT_NE(r.err.find("run.weeks"), std::string::npos) << r.err;
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "an earlier result");
}

TEST_F(Cli, UnwritableOutputIsARuntimeFailure) {
  const Result r =
      gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("no/such/dir/out.h5")}));
  EXPECT_EQ(r.code, cli::kExitRuntime);
  EXPECT_NE(r.err.find("output error"), std::string::npos) << r.err;
}

TEST_F(Cli, RunPrintsTheSummaryForBothGroupsAndWritesTheFile) {
  const std::string out = path("coop.h5");
  const Result r = gigsim_cmd(small({"run", scenario("with_umbrella_coop.yaml"), "-o", out}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out));
  EXPECT_EQ(files_in_dir(), 1u);
  EXPECT_NE(r.out.find("platform"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("member"), std::string::npos) << r.out;
}

TEST_F(Cli, OutputIsBitIdenticalAtOneTwoAndFourThreads) {
  std::vector<testing::DatasetBytes> files;
  for (const char* threads : {"1", "2", "4"}) {
    const std::string out = path(std::string("t") + threads + ".h5");
    const Result r = gigsim_cmd(
        small({"run", scenario("with_umbrella_coop.yaml"), "-o", out, "--threads", threads}));
    ASSERT_EQ(r.code, 0) << r.err;
    files.push_back(testing::read_all_datasets(out));
  }
  ASSERT_GT(files[0].size(), 20u);
  EXPECT_TRUE(files[0].count("series/client_paid"));
  EXPECT_TRUE(files[0].count("panel/net_income"));
  EXPECT_TRUE(files[0].count("workers/income_cv"));
  for (std::size_t k = 1; k < files.size(); ++k) {
    ASSERT_EQ(files[0].size(), files[k].size());
    for (const auto& [name, bytes] : files[0]) {
      EXPECT_TRUE(files[k].at(name) == bytes) << name << " differs at thread count index " << k;
    }
  }
}

TEST_F(Cli, SeedOptionChangesTheData) {
  const std::string a = path("a.h5"), b = path("b.h5");
  ASSERT_EQ(gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", a, "--seed", "1"})).code, 0);
  ASSERT_EQ(gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", b, "--seed", "2"})).code, 0);
  const auto fa = testing::read_all_datasets(a);
  const auto fb = testing::read_all_datasets(b);
  EXPECT_FALSE(fa.at("series/client_paid") == fb.at("series/client_paid"));
  EXPECT_FALSE(fa.at("workers/mean_monthly_income") == fb.at("workers/mean_monthly_income"));
}

TEST_F(Cli, ScenarioCheckAcceptsGoodAndRejectsBadScenarios) {
  const Result ok = gigsim_cmd({"scenario", "check", scenario("with_umbrella_coop.yaml")});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("ok"), std::string::npos);
  EXPECT_NE(ok.out.find("; on: umbrella cooperative\n"), std::string::npos) << ok.out;
  // Every shipped scenario is valid, and says which mechanisms it switches on.
  for (const auto& entry : fs::directory_iterator(std::string(GIGSIM_SOURCE_DIR) + "/scenarios")) {
    if (entry.path().extension() != ".yaml") continue;
    const Result r = gigsim_cmd({"scenario", "check", entry.path().string()});
    EXPECT_EQ(r.code, 0) << entry.path() << ": " << r.err;
  }
  const Result pc = gigsim_cmd({"scenario", "check", scenario("platform_cooperative.yaml")});
  EXPECT_NE(pc.out.find("; on: platform cooperative drivers_coop\n"), std::string::npos) << pc.out;
  const Result bad = gigsim_cmd(
      {"scenario", "check", scenario("baseline.yaml"), "--set", "workers.hours_budget_mean=200"});
  EXPECT_EQ(bad.code, cli::kExitBadInput);
  EXPECT_NE(bad.err.find("--set:1:27: workers.hours_budget_mean: value 200 out of range [0, 168]"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(gigsim_cmd({"scenario", "frobnicate", scenario("baseline.yaml")}).code,
            cli::kExitBadInput);
}

TEST_F(Cli, ScenarioCheckPrintsTheMarketBalanceAndWarnsWhenFarOff) {
  const Result ok = gigsim_cmd({"scenario", "check", scenario("baseline.yaml")});
  EXPECT_NE(ok.out.find("market: client demand 170500 paid hours a week, 86% of what the workers "
                        "can work"),
            std::string::npos)
      << ok.out;
  EXPECT_EQ(ok.err, "");
  // Demand is per worker in the shipped scenarios: ten times the workers, the same balance.
  const Result scaled =
      gigsim_cmd({"scenario", "check", scenario("baseline.yaml"), "--set", "workers.count=100000"});
  EXPECT_EQ(scaled.err, "") << scaled.err;
  // Absolute demand for a tenfold population: valid, but a warning says what is wrong.
  const Result flooded =
      gigsim_cmd({"scenario", "check", scenario("baseline.yaml"), "--set", "workers.count=100000",
                  "--set", "sectors[0].tasks_per_week=120000", "--set",
                  "sectors[1].tasks_per_week=12000", "--set", "sectors[2].tasks_per_week=25000"});
  EXPECT_EQ(flooded.code, 0);
  EXPECT_NE(flooded.err.find("gigsim: warning: client demand is 170500 paid hours a week, 9% of"),
            std::string::npos)
      << flooded.err;
  EXPECT_NE(flooded.err.find("oversupplied"), std::string::npos);
}

TEST_F(Cli, RunFilesCarryTheScenarioHashAndTheLabel) {
  ASSERT_EQ(gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("s1.h5"), "--seed", "1",
                              "--label", "base \u00e9"}))
                .code,
            0);
  ASSERT_EQ(
      gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("s2.h5"), "--seed", "2"}))
          .code,
      0);
  ASSERT_EQ(gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("fee.h5"), "--seed", "1",
                              "--set", "training.course_cost=300"}))
                .code,
            0);
  const std::string h1 = testing::read_root_string_attr(path("s1.h5"), "scenario_hash");
  EXPECT_EQ(h1.size(), 32u);
  EXPECT_EQ(h1, testing::read_root_string_attr(path("s2.h5"), "scenario_hash"));
  EXPECT_NE(h1, testing::read_root_string_attr(path("fee.h5"), "scenario_hash"));
  EXPECT_EQ(h1,
            scenario::scenario_hash(scenario::load_file(
                scenario("baseline.yaml"), {"workers.count=3000", "run.weeks=60", "run.seed=5"})));
  EXPECT_EQ(testing::read_root_string_attr(path("s1.h5"), "label"), "base \u00e9");
  EXPECT_EQ(testing::read_root_string_attr(path("s2.h5"), "label"), "");
  // A branch is its own scenario, apart from a fresh run of the scenario it becomes.
  ASSERT_EQ(gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("warm.h5"),
                              "--checkpoint-every", "52"}))
                .code,
            0);
  ASSERT_EQ(gigsim_cmd({"branch", path("warm.h5.ckpt"), "-o", path("branch.h5"), "--quiet", "--set",
                        "training.course_cost=300"})
                .code,
            0);
  const std::string branch = testing::read_root_string_attr(path("branch.h5"), "scenario_hash");
  EXPECT_EQ(branch.size(), 32u);
  EXPECT_NE(branch, testing::read_root_string_attr(path("fee.h5"), "scenario_hash"));
  EXPECT_NE(branch, h1);
  // Labels are one line of UTF-8.
  const Result bad =
      gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("x.h5"), "--label", "a\nb"}));
  EXPECT_EQ(bad.code, cli::kExitBadInput);
  EXPECT_NE(bad.err.find("--label must be UTF-8 text"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(path("x.h5")));
}

TEST_F(Cli, ScenarioShowPrintsAResolvedScenarioThatLoadsBackUnchanged) {
  const Result r =
      gigsim_cmd({"scenario", "show", scenario("baseline.yaml"), "--set", "run.weeks=52"});
  ASSERT_EQ(r.code, 0) << r.err;
  const ScenarioSpec shown = scenario::load_string(r.out, "shown.yaml");
  const ScenarioSpec direct = scenario::load_file(scenario("baseline.yaml"), {"run.weeks=52"});
  EXPECT_EQ(scenario::to_yaml(shown), scenario::to_yaml(direct));
  EXPECT_EQ(shown.run.weeks, 52u);
  EXPECT_NE(r.out.find("practice_ceiling"), std::string::npos);  // defaults are filled in
}

TEST_F(Cli, ParamsListsEveryKeyInEachFormat) {
  const Result text = gigsim_cmd({"params"});
  ASSERT_EQ(text.code, 0);
  const Result tsv = gigsim_cmd({"params", "--format", "tsv"});
  ASSERT_EQ(tsv.code, 0);
  const auto rows = scenario::list_params();
  EXPECT_EQ(static_cast<std::size_t>(std::count(tsv.out.begin(), tsv.out.end(), '\n')),
            rows.size() + 1);
  for (const char* key : {"platforms[].take_rate", "umbrella_coop.fee_rate", "run.seed"}) {
    EXPECT_NE(text.out.find(key), std::string::npos) << key;
  }
  EXPECT_EQ(gigsim_cmd({"params", "--format", "xml"}).code, cli::kExitBadInput);
}

TEST_F(Cli, ParameterDocumentationIsGeneratedFromTheSchema) {
  // docs/parameters.md is the output of `gigsim params --format markdown`; regenerate it when
  // the schema changes: ./build/release/sim/cli/gigsim params --format markdown >
  // docs/parameters.md
  const Result md = gigsim_cmd({"params", "--format", "markdown"});
  ASSERT_EQ(md.code, 0);
  std::ifstream in(std::string(GIGSIM_SOURCE_DIR) + "/docs/parameters.md");
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(doc, md.out) << "docs/parameters.md is out of date";
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_F(Cli, RunReplicationsWriteEveryRunIntoAFolderWithAManifest) {
  const Result one =
      gigsim_cmd(small({"run", scenario("with_umbrella_coop.yaml"), "-o", path("one.h5")}));
  ASSERT_EQ(one.code, 0) << one.err;
  const Result three = gigsim_cmd(small(
      {"run", scenario("with_umbrella_coop.yaml"), "-o", path("three"), "--replications", "3"}));
  ASSERT_EQ(three.code, 0) << three.err;
  EXPECT_NE(three.out.find("3 replications, seeds 20240611 "), std::string::npos) << three.out;
  EXPECT_NE(three.out.find("across replications"), std::string::npos) << three.out;
  EXPECT_NE(three.out.find("coop_member"), std::string::npos) << three.out;
  EXPECT_NE(one.out.find("across workers"), std::string::npos) << one.out;
  // Every replication is a run file; the first is the run without --replications, byte for byte.
  EXPECT_EQ(read_bytes(path("one.h5")), read_bytes(path("three/rep000.h5")));
  for (const char* f : {"rep001.h5", "rep002.h5", "manifest.json"})
    EXPECT_TRUE(fs::exists(dir_ / "three" / f)) << f;
  EXPECT_NE(read_bytes(path("three/rep001.h5")), read_bytes(path("three/rep002.h5")));
  const std::string manifest = read_bytes(path("three/manifest.json"));
  EXPECT_NE(manifest.find("\"file_type\": \"gigsim-replications\""), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("\"complete\": true"), std::string::npos) << manifest;
  EXPECT_NE(manifest.find("\"file\": \"rep002.h5\""), std::string::npos) << manifest;
  // Only the folder is left: no temporary siblings.
  EXPECT_EQ(files_in_dir(), 2u);
  // The same command replaces the folder; a .h5 path or a folder of other files is refused.
  EXPECT_EQ(
      gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("three"), "-r", "2"})).code,
      0);
  EXPECT_FALSE(fs::exists(dir_ / "three" / "rep002.h5"));
  EXPECT_EQ(
      gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("x.h5"), "-r", "2"})).code,
      cli::kExitBadInput);
  fs::create_directories(dir_ / "other");
  write("other/notes.txt", "keep me");
  EXPECT_EQ(
      gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("other"), "-r", "2"})).code,
      cli::kExitBadInput);
  EXPECT_EQ(read_bytes(path("other/notes.txt")), "keep me");
  EXPECT_EQ(gigsim_cmd({"run", "--resume", path("x.ckpt"), "-r", "2"}).code, cli::kExitBadInput);
  EXPECT_EQ(gigsim_cmd({"run", scenario("baseline.yaml"), "-r", "0"}).code, cli::kExitBadInput);
}

TEST_F(Cli, ValidatePrintsTargetsWithIntervalsAndExitsByVerdict) {
  const std::vector<std::string> quick = {
      "-r", "3", "--set", "workers.count=1500", "--set", "run.weeks=60", "--quiet"};
  auto with = [&](std::vector<std::string> args) {
    args.insert(args.end(), quick.begin(), quick.end());
    return gigsim_cmd(args);
  };
  // The uncalibrated baseline misses targets: exit 3, a table with intervals and the rows the
  // model has no counterpart for.
  const Result table = with({"validate", scenario("baseline.yaml")});
  EXPECT_EQ(table.code, cli::kExitValidationFailed) << table.err;
  for (const char* s : {"income_cv_1_3_poverty", "FAIL", "not modelled", "[", "[HM2015]"})
    EXPECT_NE(table.out.find(s), std::string::npos) << s << "\n" << table.out;
  // JSON: every target with its values per replication; the same at any thread count.
  const Result json = with({"validate", scenario("baseline.yaml"), "--format", "json"});
  EXPECT_EQ(json.code, cli::kExitValidationFailed);
  EXPECT_NE(json.out.find("\"id\":\"training_self_employed\""), std::string::npos);
  EXPECT_NE(json.out.find("\"all_pass\":false"), std::string::npos);
  EXPECT_EQ(with({"validate", scenario("baseline.yaml"), "--format", "json", "-t", "1"}).out,
            json.out);
  // With no scenario it validates the built-in calibrated baseline, which is the shipped file.
  const Result builtin = with({"validate", "--format", "json"});
  const Result file = with({"validate", scenario("calibrated/baseline.yaml"), "--format", "json"});
  EXPECT_EQ(builtin.out, file.out);
  EXPECT_NE(builtin.code, cli::kExitBadInput) << builtin.err;
  // Bad input: exit 2 with a message.
  EXPECT_EQ(gigsim_cmd({"validate", "-r", "0"}).code, cli::kExitBadInput);
  EXPECT_EQ(gigsim_cmd({"validate", "--format", "xml"}).code, cli::kExitBadInput);
  const Result short_run = gigsim_cmd({"validate", "--set", "run.weeks=20", "--quiet"});
  EXPECT_EQ(short_run.code, cli::kExitBadInput);
  EXPECT_NE(short_run.err.find("last 48"), std::string::npos) << short_run.err;
  const Result bad_key = gigsim_cmd({"validate", "--set", "workers.cuont=5", "--quiet"});
  EXPECT_EQ(bad_key.code, cli::kExitBadInput);
  EXPECT_NE(bad_key.err.find("workers.cuont"), std::string::npos) << bad_key.err;
}

TEST_F(Cli, ProgressIsPlainLinesOffATerminalAndJsonOnRequest) {
  const Result text = gigsim_cmd({"run", scenario("baseline.yaml"), "-o", path("a.h5"), "--set",
                                  "workers.count=300", "--set", "run.weeks=20"});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_EQ(text.err.find('\r'), std::string::npos);
  EXPECT_NE(text.err.find("week 20/20 (100%)"), std::string::npos) << text.err;
  const Result json =
      gigsim_cmd({"run", scenario("baseline.yaml"), "-o", path("b.h5"), "--set",
                  "workers.count=300", "--set", "run.weeks=20", "--log-format", "json"});
  ASSERT_EQ(json.code, 0) << json.err;
  std::istringstream lines(json.err);
  int progress = 0;
  for (std::string line; std::getline(lines, line);) {
    ASSERT_EQ(line.front(), '{') << line;
    ASSERT_EQ(line.back(), '}') << line;
    if (line.find("\"event\":\"progress\"") != std::string::npos) ++progress;
  }
  EXPECT_EQ(progress, 10);
  EXPECT_NE(json.err.find("\"event\":\"done\""), std::string::npos);
  EXPECT_EQ(gigsim_cmd({"run", scenario("baseline.yaml"), "--log-format", "xml"}).code,
            cli::kExitBadInput);
}

TEST_F(Cli, ProgressBarRedrawsOneLineOnATerminal) {
  std::ostringstream out, err;
  std::vector<std::string> args = {"gigsim",      "run",   scenario("baseline.yaml"), "-o",
                                   path("c.h5"),  "--set", "workers.count=300",       "--set",
                                   "run.weeks=20"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  ASSERT_EQ(cli::main(static_cast<int>(argv.size()), argv.data(), cli::Context{out, err, true}), 0);
  EXPECT_NE(err.str().find("\r["), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("100%"), std::string::npos);
}

TEST_F(Cli, QuietRunWritesNothingToStderr) {
  const Result r = gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("q.h5")}));
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.err, "");
}

TEST_F(Cli, RunsThatWouldNotFitAreRefusedBeforeAnythingIsWritten) {
  // The limit is pinned (GIGSIM_MEMORY_LIMIT lowers what the machine reports), so the test never
  // starts a 100-million-worker run on a machine that happens to have the memory for it.
  ::setenv("GIGSIM_MEMORY_LIMIT", "17179869184", 1);  // 16 GiB
  // Demand is per worker in the shipped scenarios: pinned here, or 100 million workers would ask
  // for more tasks a week than a sector may have.
  const Result huge = gigsim_cmd(
      {"run", scenario("baseline.yaml"), "-o", path("big.h5"), "--set", "workers.count=100000000",
       "--set", "output.panel=all", "--set", "sectors[0].tasks_per_week=1e6", "--set",
       "sectors[1].tasks_per_week=1e6", "--set", "sectors[2].tasks_per_week=1e6"});
  ::setenv("GIGSIM_MEMORY_LIMIT", "1000000", 1);  // 1 MB: even the small market does not fit
  const Result capped = gigsim_cmd(small({"run", scenario("baseline.yaml"), "-o", path("c.h5")}));
  ::unsetenv("GIGSIM_MEMORY_LIMIT");
  EXPECT_EQ(huge.code, cli::kExitBadInput);
  EXPECT_NE(huge.err.find("GiB of memory (100000000 workers)"), std::string::npos) << huge.err;
  EXPECT_NE(huge.err.find("16.00 GiB is available"), std::string::npos) << huge.err;
  EXPECT_NE(huge.err.find("--set workers.count=N"), std::string::npos) << huge.err;
  EXPECT_EQ(capped.code, cli::kExitBadInput);
  EXPECT_NE(capped.err.find("refused: the run needs about"), std::string::npos) << capped.err;
  EXPECT_EQ(files_in_dir(), 0u);
}

TEST_F(Cli, TheRealExecutableMapsErrorsToExitCodes) {
  const std::string exe = GIGSIM_EXE;
  const std::string bad = write("bad.yaml", "name: [unclosed\n");
  EXPECT_EQ(WEXITSTATUS(std::system(
                (exe + " run " + bad + " -q -o " + path("x.h5") + " 2>/dev/null").c_str())),
            2);
  EXPECT_EQ(WEXITSTATUS(std::system((exe + " --help >/dev/null").c_str())), 0);
  EXPECT_FALSE(fs::exists(path("x.h5")));
}

}  // namespace
}  // namespace gigsim
