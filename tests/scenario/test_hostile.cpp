// Pathological but valid YAML: every case is a clear ScenarioError or a sane scenario, never a
// crash, a hang or unbounded memory.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "gigsim/scenario.hpp"

namespace gigsim::scenario {
namespace {

const std::string kMarket =
    "sectors: [{name: a}]\nplatforms: [{name: p}]\nworkers: {sectors_per_worker: 1}\n";

std::string error_of(const std::string& yaml) {
  try {
    load_string(yaml, "hostile.yaml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(HostileYaml, HugeNumbersAreOutOfRangeOrNotIntegers) {
  EXPECT_NE(error_of(kMarket + "run: {weeks: 1e300}").find("run.weeks: expected an integer"),
            std::string::npos);
  EXPECT_NE(error_of(kMarket + "run: {seed: 99999999999999999999999999}").find("out of range"),
            std::string::npos);
  EXPECT_NE(error_of("sectors: [{name: a, tasks_per_week: 1e308}]\nplatforms: [{name: p}]\n"
                     "workers: {sectors_per_worker: 1}\n")
                .find("out of range"),
            std::string::npos);
}

TEST(HostileYaml, NanAndInfinitiesAreRefusedEverywhere) {
  for (const char* v : {".nan", ".NaN", ".inf", "-.inf", ".Inf"}) {
    const std::string yaml = "sectors: [{name: a, base_price: " + std::string(v) +
                             "}]\nplatforms: [{name: p}]\nworkers: {sectors_per_worker: 1}\n";
    EXPECT_NE(error_of(yaml).find("expected a finite number"), std::string::npos) << v;
  }
}

TEST(HostileYaml, DeepNestingIsAnErrorNotAStackOverflow) {
  const std::string deep = "name: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  EXPECT_NE(error_of(deep), "accepted");
  const std::string deep_maps = [] {
    std::string s;
    for (int i = 0; i < 20000; ++i) s += "{a: ";
    s += "1";
    for (int i = 0; i < 20000; ++i) s += "}";
    return "description: " + s + "\n";
  }();
  EXPECT_NE(error_of(deep_maps), "accepted");
}

TEST(HostileYaml, AliasBombsAreNotExpanded) {
  // Each level refers to the one before nine times: 9^12 strings if expanded.
  std::ostringstream yaml;  // (a stream: GCC 12 warns falsely on chained string +=)
  yaml << "x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i <= 12; ++i) {
    yaml << "x" << i << ": &x" << i << " [";
    for (int k = 0; k < 9; ++k) yaml << "*x" << (i - 1) << (k < 8 ? ", " : "");
    yaml << "]\n";
  }
  EXPECT_NE(error_of(yaml.str() + kMarket).find("unknown key 'x0'"), std::string::npos);
  EXPECT_NE(error_of(kMarket + "x: &x [1]\ndescription: *x12\n"), "accepted");
}

TEST(HostileYaml, DuplicateKeysAreErrors) {
  EXPECT_NE(error_of(kMarket + "run: {weeks: 5, weeks: 6}").find("duplicate key 'weeks'"),
            std::string::npos);
}

TEST(HostileYaml, ManyKeysAreCheckedInLinearTime) {
  // 100,000 keys in one mapping, checked against each other with a hash index. The quadratic
  // scan this replaces needed about 5 s for 40,000 keys, so 100,000 would take half a minute.
  std::ostringstream keys;
  for (int i = 0; i < 100000; ++i) keys << "k" << i << ": 1\n";
  const std::string duplicate = error_of(kMarket + keys.str() + "k7: 2\n");
  EXPECT_NE(duplicate.find("hostile.yaml:100004:1: k7: duplicate key 'k7' (first at line 11)"),
            std::string::npos)
      << duplicate.substr(0, 200);
  EXPECT_NE(error_of(kMarket + keys.str()).find(":4:1: k0: unknown key 'k0'"), std::string::npos);
}

std::string set_error(const std::string& override_text) {
  try {
    load_string(kMarket, "hostile.yaml", {override_text});
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(HostileSet, ASecondDocumentInAValueIsAnErrorNotDropped) {
  EXPECT_EQ(set_error("run.weeks=5\n---\n9"),
            "--set:1:13: run.weeks: expected one YAML value, found a second document ('---' or "
            "'...'); quote the value if it is text");
  EXPECT_NE(set_error("description=a\n...\n--- b").find("found a second document"),
            std::string::npos);
  EXPECT_EQ(set_error("description=\"a\\n---\\nb\""), "accepted");  // quoted: one string
  EXPECT_EQ(set_error("run.weeks=--- 5"), "accepted");  // an explicit start is one document
}

TEST(HostileSet, KeyPathsHaveOneCanonicalForm) {
  EXPECT_EQ(canonical_key_path("platforms[00].take_rate"), "platforms[0].take_rate");
  EXPECT_EQ(canonical_key_path("sectors[0001].base_price"), "sectors[1].base_price");
  for (const char* bad :
       {"platforms[99999999999999999999].take_rate", "run.weeks=5", "run.weeks\nworkers.count",
        "run.wekes", "platforms.take_rate", "run[0]", ""}) {
    EXPECT_THROW((void)canonical_key_path(bad), ScenarioError) << bad;
  }
  EXPECT_EQ(second_document_at("a: 1\n---\nb: 2\n"), (std::pair<int, int>{2, 1}));
  EXPECT_FALSE(second_document_at("a: 1\n"));
  EXPECT_FALSE(second_document_at("a: [\n"));  // malformed: left to the loader
}

// ---- Money that overflows, shares that exceed one (issue 18, classes 10 and 11) ---------------

const std::string kTwoPlatforms =
    "sectors: [{name: a}]\nworkers: {sectors_per_worker: 1}\nplatforms:\n"
    "  - {name: p, market_share: 0.9}\n  - {name: q, market_share: 0.9}\n";

TEST(HostileLimits, MarketSharesSumToAtMostOne) {
  EXPECT_EQ(error_of(kTwoPlatforms),
            "hostile.yaml:5:29: platforms[1].market_share: the platforms' market shares sum to "
            "more than 1 (0.9 + 0.9 = 1.8): together they cannot post more than all of a "
            "sector's tasks");
  // Three shares that are 1 but for the rounding of their sum in binary are accepted.
  EXPECT_EQ(error_of("sectors: [{name: a}]\nworkers: {sectors_per_worker: 1}\nplatforms:\n"
                     "  - {name: p, market_share: 0.1}\n  - {name: q, market_share: 0.2}\n"
                     "  - {name: r, market_share: 0.7}\n"),
            "accepted");
  try {
    load_string(kTwoPlatforms, "x.yaml", {"platforms[0].market_share=0.1"});
  } catch (const ScenarioError& e) {
    ADD_FAILURE() << e.what();
  }
}

TEST(HostileLimits, EveryMoneyInputHasAnUpperBound) {
  // Whatever is in EUR has a finite maximum, so no single amount can overflow int64 cents; a new
  // money parameter without one fails here.
  for (const ParamInfo& p : list_params()) {
    if (!p.unit.starts_with("EUR")) continue;
    EXPECT_FALSE(p.range.ends_with("inf)")) << p.path << " " << p.range;
  }
  for (const char* money :
       {"sectors[0].base_price=1e13", "sectors[0].base_price=1e15",
        "workers.fixed_costs_mean=1e300", "workers.initial_cash_mean=1e300",
        "umbrella_coop.initial_guarantee_fund=1e300", "umbrella_coop.initial_training_fund=1e13",
        "training.course_cost=1e300", "sickness_pool.max_monthly_benefit=1e300",
        "employee_sharing.hourly_wage=1e300", "employee_sharing.initial_fund=1e300",
        "wise.initial_capital=1e300", "wise.sales_per_week=1e300",
        "public_buyers.purchases_per_week=1e300", "intermediary.cost_per_linked_worker=1e300"}) {
    EXPECT_NE(set_error(money).find("out of range [0, 1"), std::string::npos) << money;
  }
}

TEST(HostileLimits, MoneyThatCouldOverflowOverTheRunIsRefusedWithTheKeyToBlame) {
  const std::string market = kMarket + "run: {weeks: 5200}\n";
  const auto error = [&](const std::vector<std::string>& overrides) {
    try {
      load_string(market, "hostile.yaml", overrides);
    } catch (const ScenarioError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  // 1e8 workers x 5200 weeks x 80 tasks of up to 2e6 EUR: 8e19 EUR, beyond int64 cents.
  EXPECT_EQ(error({"workers.count=100000000", "sectors[0].base_price=1e6",
                   "sectors[0].skill_premium=1", "sectors[0].task_hours=1"}),
            "--set:1:23: sectors[0].base_price: this run could move up to 8.32e+19 EUR (paid "
            "work: 8.32e+19 EUR, over 100000000 workers and 5200 weeks), more than integer cents "
            "can sum (2.31e+16 EUR); lower this amount, workers.count or run.weeks");
  EXPECT_EQ(error({"workers.count=1000", "sectors[0].base_price=1e6", "sectors[0].skill_premium=1",
                   "sectors[0].task_hours=1"}),
            "accepted");
  EXPECT_NE(error({"workers.count=100000000", "workers.initial_cash_mean=1e9"})
                .find("workers.initial_cash_mean: this run could move up to"),
            std::string::npos);
  // Tasks so short that a worker's weekly count would not fit the engine's counters.
  EXPECT_NE(error({"sectors[0].task_hours=1e-9"})
                .find("sectors[0].task_hours: tasks of 1e-09 hours would let a worker take over "
                      "10000000 in a week"),
            std::string::npos);
}

TEST(HostileYaml, InvalidUtf8IsRefusedAndValidUtf8Accepted) {
  EXPECT_NE(error_of("name: \"caf\xe9\"\n" + kMarket).find("name: not valid UTF-8"),
            std::string::npos);
  EXPECT_NE(error_of("name: \"\xed\xa0\x80\"\n" + kMarket).find("not valid UTF-8"),
            std::string::npos);  // a UTF-16 surrogate
  EXPECT_NE(error_of("name: \"\xc0\xaf\"\n" + kMarket).find("not valid UTF-8"),
            std::string::npos);  // overlong '/'
  EXPECT_EQ(error_of("name: \"café – Göteborg 日本\"\n" + kMarket), "accepted");
}

TEST(HostileYaml, BinaryGarbageIsAnError) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  EXPECT_NE(error_of(garbage), "accepted");
  // A NUL byte is dropped by the YAML reader or refused; it never reaches a name.
  const std::string with_nul = std::string("name: a\0b\n", 10) + kMarket;
  if (error_of(with_nul) == "accepted") {
    EXPECT_EQ(load_string(with_nul, "nul.yaml").name.find('\0'), std::string::npos);
  }
}

}  // namespace
}  // namespace gigsim::scenario
