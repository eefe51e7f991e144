// Bit-for-bit comparisons of engine outputs, shared by the test suites.
#pragma once

#include <cstring>
#include <vector>

#include "gigsim/totals.hpp"

namespace gigsim::testing {

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

// Two step records with the same values, bit for bit.
inline bool same_totals(const StepTotals& a, const StepTotals& b) {
  return a.step == b.step && a.integers == b.integers && same_bits(a.reals, b.reals);
}

}  // namespace gigsim::testing
