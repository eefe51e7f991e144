// Checks of a restored state beyond each field's own rule (issue 18, class 2): the money of the
// whole state is bounded, and restored worker columns must agree with each other and with the
// scenario (sim/core/restore_checks.cpp). Each check is shown refusing a forged state with a
// RestoreError that names section and field, and passing the valid state next to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iostream>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "../core/small_market.hpp"
#include "gigsim/money.hpp"
#include "gigsim/section.hpp"
#include "support/every_mechanism.hpp"
#include "support/saved_state.hpp"

namespace gigsim {
namespace {

const SectionEntry& entry_of(const std::vector<SectionEntry>& entries, const std::string& name) {
  for (const SectionEntry& e : entries)
    if (e.name == name) return e;
  throw std::out_of_range("no entry '" + name + "'");
}

// Element `index` of an integer entry, read and written in its own type: exact, unlike a double.
template <class T>
T get(const SavedState& s, const std::string& section, const std::string& field,
      std::uint64_t index) {
  const std::string& bytes = s.sections.at(section);
  const SectionEntry e = entry_of(section_entries(bytes, section), field);
  EXPECT_EQ(element_type(e.type).size, sizeof(T)) << field;
  EXPECT_LT(index, e.count) << field;
  T v{};
  std::memcpy(&v, bytes.data() + e.data_offset + index * sizeof(T), sizeof v);
  return v;
}

template <class T>
void put(SavedState& s, const std::string& section, const std::string& field, std::uint64_t index,
         T v) {
  std::string& bytes = s.sections.at(section);
  const SectionEntry e = entry_of(section_entries(bytes, section), field);
  ASSERT_EQ(element_type(e.type).size, sizeof(T)) << field;
  ASSERT_LT(index, e.count) << field;
  std::memcpy(bytes.data() + e.data_offset + index * sizeof(T), &v, sizeof v);
}

// The money a state holds over all sections, in cents and absolute value, from its fields' rules.
std::uint64_t money_of(const SavedState& s, const StateRules& rules) {
  std::uint64_t cents = 0;
  for (const auto& [section, bytes] : s.sections) {
    const std::vector<SectionEntry> entries = section_entries(bytes, section);
    const std::vector<FieldRule>& fields = rules.at(section);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      if (!fields[k].rule.money) continue;
      testing::with_element_type(entries[k].type, [&]<class T>(T) {
        ASSERT_TRUE(std::is_integral_v<T>) << fields[k].name;  // cents
        for (std::uint64_t j = 0; j < entries[k].count; ++j) {
          T v{};
          std::memcpy(&v, bytes.data() + entries[k].data_offset + j * sizeof v, sizeof v);
          const auto c = static_cast<std::int64_t>(v);
          cents += static_cast<std::uint64_t>(c < 0 ? -c : c);
        }
      });
    }
  }
  return cents;
}

// Restores `s` into a fresh simulation of `spec`: "" when accepted, else the RestoreError's text.
std::string refusal(const ScenarioSpec& spec, const SavedState& s) {
  Simulation fresh(spec, ExecutionContext{1});
  try {
    fresh.restore(s);
  } catch (const RestoreError& e) {
    return e.what();
  }
  return "";
}

void expect_names(const std::string& what, const std::string& section, const std::string& field) {
  EXPECT_NE(what.find("section '" + section + "'"), std::string::npos) << what;
  EXPECT_NE(what.find("'" + field + "'"), std::string::npos) << what;
}

struct Saved {
  ScenarioSpec spec;
  SavedState state;
  StateRules rules;
};

Saved after_weeks(const ScenarioSpec& spec, int weeks) {
  Simulation sim(spec, ExecutionContext{1});
  for (int k = 0; k < weeks; ++k) sim.step();
  return {spec, sim.save_state(), sim.state_rules()};
}

constexpr auto kBound = static_cast<std::uint64_t>(kMaxSavedMoneyCents);

// Each money field may hold up to the bound, but all of them together may not: a state whose money
// sums to the bound exactly is restored and runs on; one cent more is refused at the field where
// the sum passes the bound, in the engine's section or in a mechanism's read after it.
TEST(RestoreChecks, TheWholeStateMoneyIsBoundedAcrossSections) {
  const Saved base = after_weeks(testing::every_state_on(200, 12), 5);
  const std::uint64_t held = money_of(base.state, base.rules);
  SavedState engine_only;
  engine_only.sections.emplace("engine", base.state.sections.at("engine"));
  const std::uint64_t held_engine = money_of(engine_only, base.rules);
  ASSERT_GT(held_engine, 0u);
  ASSERT_GT(held, held_engine);  // the mechanisms' sections hold money too
  ASSERT_LT(held, kBound);
  const auto cash0 = get<std::int64_t>(base.state, "engine", "cash", 0);
  ASSERT_GE(cash0, 0);
  // cash[0] raised so that the whole state, or the engine's section alone, holds the bound.
  const auto raised = [&](std::uint64_t to_bound) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(cash0) + to_bound);
  };

  SavedState full = base.state;
  put(full, "engine", "cash", 0, raised(kBound - held));
  ASSERT_EQ(money_of(full, base.rules), kBound);
  {
    Simulation sim(base.spec, ExecutionContext{1});
    ASSERT_NO_THROW(sim.restore(full));
    ASSERT_NO_THROW(sim.run());
  }

  // The bound in one worker's cash, after the fixed costs read before it: refused right there.
  ASSERT_GT(get<std::int64_t>(base.state, "engine", "fixed_costs", 0), 0);
  SavedState over = base.state;
  put(over, "engine", "cash", 0, static_cast<std::int64_t>(kBound));
  std::string what = refusal(base.spec, over);
  expect_names(what, "engine", "cash");
  EXPECT_NE(what.find("money reaches"), std::string::npos) << what;

  // The engine's section at the bound: the first money a mechanism holds passes it there.
  SavedState across = base.state;
  put(across, "engine", "cash", 0, raised(kBound - held_engine));
  what = refusal(base.spec, across);
  EXPECT_EQ(what.find("section 'engine'"), std::string::npos) << what;
  EXPECT_NE(what.find("money reaches"), std::string::npos) << what;

  // Negative money counts by its size: debts do not offset holdings.
  SavedState debt = base.state;
  put(debt, "engine", "cash", 1, -static_cast<std::int64_t>(kBound / 2));
  put(debt, "engine", "cash", 2, static_cast<std::int64_t>(kBound / 2));
  what = refusal(base.spec, debt);
  expect_names(what, "engine", "cash");
  EXPECT_NE(what.find("money reaches"), std::string::npos) << what;
}

// The bound leaves the engine room for a run's flows: with the most money a restore admits in any
// one money field, either sign the field's rule allows (the rest of the state as saved), the run
// goes on to its end. That is all the room left under the bound, or, for a field a cross-field
// check caps (fixed costs), the most that check admits, found by bisection. Under the sanitizer
// tier an overflow anywhere in the engine's sums fails this test.
TEST(RestoreChecks, AStateHoldingTheMostMoneyInAnyFieldRunsToTheEnd) {
  const Saved base = after_weeks(testing::every_state_on(200, 12), 5);
  const std::uint64_t room = kBound - money_of(base.state, base.rules);
  int cases = 0;
  std::vector<std::string> capped;
  for (const auto& [section, bytes] : base.state.sections) {
    const std::vector<SectionEntry> entries = section_entries(bytes, section);
    const std::vector<FieldRule>& rules = base.rules.at(section);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      if (!rules[k].rule.money || entries[k].count == 0) continue;
      const std::string name = rules[k].name;
      // The last element: of the last worker, or of the last platform (the cooperative).
      const std::uint64_t at = entries[k].count - 1;
      for (const int sign : {1, -1}) {
        if (sign < 0 && rules[k].rule.min >= 0) continue;
        // The state with the element moved away from zero by `step` cents (from zero if it
        // was of the other sign), and the most step the element type and the room allow.
        std::uint64_t most = 0;
        std::function<SavedState(std::uint64_t)> moved;
        testing::with_element_type(entries[k].type, [&]<class T>(T) {
          if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
            const auto was = static_cast<std::int64_t>(get<T>(base.state, section, name, at));
            const std::int64_t from =
                sign > 0 ? std::max<std::int64_t>(was, 0) : std::min<std::int64_t>(was, 0);
            const std::int64_t limit =
                sign > 0 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::lowest();
            // |limit - from| in unsigned arithmetic: it may be 2^63.
            const auto u = [](std::int64_t x) { return static_cast<std::uint64_t>(x); };
            most = std::min(room, sign > 0 ? u(limit) - u(from) : u(from) - u(limit));
            moved = [&, from](std::uint64_t step) {
              SavedState s = base.state;
              // The last worker a member of the cooperative, so that it may hold an account.
              put<std::uint8_t>(s, "engine", "coop_member", base.spec.workers.count - 1, 1);
              put<T>(s, section, name, at,
                     static_cast<T>(from + sign * static_cast<std::int64_t>(step)));
              return s;
            };
          } else {
            ADD_FAILURE() << name << ": money in an unsigned or floating-point type";
          }
        });
        if (!moved) continue;
        const auto admitted = [&](std::uint64_t step) {
          return refusal(base.spec, moved(step)).empty();
        };
        ASSERT_TRUE(admitted(0)) << section << "." << name << ": " << refusal(base.spec, moved(0));
        std::uint64_t step = most;
        if (!admitted(step)) {
          capped.push_back(section + "." + name);
          std::uint64_t lo = 0, hi = most;  // admitted(lo), !admitted(hi)
          while (hi - lo > 1) {
            const std::uint64_t mid = lo + (hi - lo) / 2;
            (admitted(mid) ? lo : hi) = mid;
          }
          step = lo;
        }
        Simulation sim(base.spec, ExecutionContext{1});
        try {
          sim.restore(moved(step));
          sim.run();
        } catch (const std::exception& e) {
          ADD_FAILURE() << section << "." << name << " moved by " << sign << " * " << step << ": "
                        << e.what();
        }
        ++cases;
      }
    }
  }
  EXPECT_GT(cases, 20);
  std::cout << "[ restore  ] " << cases
            << " states with the most money in one field ran to the end; "
            << "capped by a cross-field check: " << ::testing::PrintToString(capped) << "\n";
}

// Fixed costs are drawn at most 1.5 times the scenario's mean and leave cash every week: more is
// refused, since over a run it could drive cash past INT64_MIN within the money bound.
TEST(RestoreChecks, FixedCostsAboveTheirDrawAreRefused) {
  const Saved base = after_weeks(testing::every_state_on(200, 12), 5);
  const std::int64_t cap = to_cents(base.spec.workers.fixed_costs_mean * 1.5);
  SavedState valid = base.state;
  put<std::int64_t>(valid, "engine", "fixed_costs", 11, cap);
  EXPECT_EQ(refusal(base.spec, valid), "");
  SavedState forged = base.state;
  put<std::int64_t>(forged, "engine", "fixed_costs", 11, cap + 1);
  const std::string what = refusal(base.spec, forged);
  expect_names(what, "engine", "fixed_costs");
  EXPECT_NE(what.find("worker 11 "), std::string::npos) << what;
}

// A WISE's count of consecutive unpaid weeks is at most the weeks run so far.
TEST(RestoreChecks, AWiseUnpaidLongerThanTheRunSoFarIsRefused) {
  const Saved base = after_weeks(testing::every_state_on(200, 12), 5);
  ASSERT_EQ(get<std::uint32_t>(base.state, "engine", "step", 0), 5u);
  SavedState valid = base.state;
  put<std::int32_t>(valid, "wise", "wise_weeks_unpaid", 0, 5);
  EXPECT_EQ(refusal(base.spec, valid), "");
  SavedState forged = base.state;
  put<std::int32_t>(forged, "wise", "wise_weeks_unpaid", 0, 6);
  expect_names(refusal(base.spec, forged), "wise", "wise_weeks_unpaid");
}

// Without an umbrella cooperative no worker is a member: a branch may open one (its members are
// drawn then) but never close one, so a member in a state without one was forged.
TEST(RestoreChecks, AMemberOfACooperativeTheScenarioDoesNotHaveIsRefused) {
  const Saved base = after_weeks(testing::small_market(100, 12), 3);
  ASSERT_FALSE(base.spec.umbrella_coop.enabled);
  EXPECT_EQ(refusal(base.spec, base.state), "");
  SavedState forged = base.state;
  put<std::uint8_t>(forged, "engine", "coop_member", 7, 1);
  const std::string what = refusal(base.spec, forged);
  expect_names(what, "engine", "coop_member");
  EXPECT_NE(what.find("worker 7 "), std::string::npos) << what;

  // With a cooperative, membership is each worker's own choice: any flag is valid.
  const Saved coop = after_weeks(testing::busy_market(300, 12), 3);
  for (std::uint32_t i = 0; i < 20; ++i) {
    SavedState flipped = coop.state;
    const auto member = get<std::uint8_t>(flipped, "engine", "coop_member", i);
    put<std::uint8_t>(flipped, "engine", "coop_member", i, member ? 0 : 1);
    if (member) put<std::int64_t>(flipped, "engine", "salary_account", i, 0);
    EXPECT_EQ(refusal(coop.spec, flipped), "") << "worker " << i;
  }
}

// An averaged-salary account is held only for a member, and only when the cooperative averages
// salaries: a leaver is paid its account at once, and without averaging nothing is put in one.
TEST(RestoreChecks, ASalaryAccountOutsideAveragedMembershipIsRefused) {
  const Saved base = after_weeks(testing::every_state_on(200, 12), 5);
  ASSERT_GT(base.spec.umbrella_coop.salary_smoothing_months, 0u);
  std::uint32_t member = 0, other = 0;
  bool found_member = false, found_other = false;
  for (std::uint32_t i = 0; i < base.spec.workers.count; ++i) {
    const bool is_member = get<std::uint8_t>(base.state, "engine", "coop_member", i) != 0;
    if (is_member && !found_member) member = i, found_member = true;
    if (!is_member && !found_other) other = i, found_other = true;
  }
  ASSERT_TRUE(found_member && found_other);

  SavedState valid = base.state;
  put<std::int64_t>(valid, "engine", "salary_account", member, 12'345);
  EXPECT_EQ(refusal(base.spec, valid), "");

  SavedState forged = base.state;
  put<std::int64_t>(forged, "engine", "salary_account", other, 12'345);
  std::string what = refusal(base.spec, forged);
  expect_names(what, "engine", "salary_account");
  EXPECT_NE(what.find("worker " + std::to_string(other) + " "), std::string::npos) << what;

  // The member's account alone, under a cooperative that pays no averaged salary.
  ScenarioSpec plain = base.spec;
  plain.umbrella_coop.salary_smoothing_months = 0;
  SavedState one = base.state;
  for (std::uint32_t i = 0; i < base.spec.workers.count; ++i)
    put<std::int64_t>(one, "engine", "salary_account", i, i == member ? 12'345 : 0);
  what = refusal(plain, one);
  expect_names(what, "engine", "salary_account");
  EXPECT_NE(what.find("worker " + std::to_string(member) + " "), std::string::npos) << what;
  put<std::int64_t>(one, "engine", "salary_account", member, 0);
  EXPECT_EQ(refusal(plain, one), "");
}

// A sickness spell's weeks elapsed and left sum to its length, at most 65,535 weeks, and are both
// zero between spells.
TEST(RestoreChecks, ASicknessSpellThatCannotBeIsRefused) {
  const Saved base = after_weeks(testing::every_state_on(200, 12), 5);
  SavedState valid = base.state;
  put<std::uint16_t>(valid, "engine", "absent_weeks_left", 3, 65'000);
  put<std::uint16_t>(valid, "engine", "absent_weeks_elapsed", 3, 535);
  EXPECT_EQ(refusal(base.spec, valid), "");

  SavedState longer = valid;
  put<std::uint16_t>(longer, "engine", "absent_weeks_elapsed", 3, 536);
  std::string what = refusal(base.spec, longer);
  expect_names(what, "engine", "absent_weeks_elapsed");
  EXPECT_NE(what.find("worker 3 "), std::string::npos) << what;

  SavedState ended = valid;
  put<std::uint16_t>(ended, "engine", "absent_weeks_left", 3, 0);
  what = refusal(base.spec, ended);
  expect_names(what, "engine", "absent_weeks_elapsed");
  EXPECT_NE(what.find("worker 3 "), std::string::npos) << what;
}

}  // namespace
}  // namespace gigsim
