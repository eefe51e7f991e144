// The model's calendar: one step is one week; months are four weeks, thirteen to a year.
#pragma once

namespace gigsim {

// Months are four weeks: 13 months a year, so every month has the same number of weeks and no
// spurious income variation comes from 4- vs 5-week months. "12 months" is 48 weeks.
inline constexpr int kWeeksPerMonth = 4;
inline constexpr int kHistoryMonths = 12;
inline constexpr int kWeeksPerYear = 13 * kWeeksPerMonth;  // 52

}  // namespace gigsim
