// Sickness events (docs/ODD.md "Sickness").
#pragma once

namespace gigsim {

// Sickness events: a healthy worker falls sick with a weekly probability and stays sick for a
// geometrically distributed number of weeks, during which they neither work nor attend courses.
struct SicknessSpec {
  bool enabled = false;
  double weekly_onset_probability = 0.01;  // per healthy worker and week
  double mean_duration_weeks = 3;          // mean of the geometric spell length, >= 1
};

}  // namespace gigsim
