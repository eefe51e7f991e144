// Reporting groups (docs/ODD.md "Outcome metrics"): the codes written to outputs. Part of the
// output contract like the stream numbers: never renumber, only append. Group 0 is the engine's
// (workers no mechanism claims); each other group is claimed by one mechanism, and a worker two
// mechanisms claim reports in the one the schedule's group precedence puts first.
#pragma once

#include <cstdint>
#include <string_view>

namespace gigsim {

enum class WorkerGroup : std::uint8_t {
  platform_only = 0,         // on investor-owned platforms only
  coop_member = 1,           // umbrella cooperative member
  platform_coop_member = 2,  // registered on a platform cooperative, not an umbrella member
  pooled_worker = 3,         // employed by the employee-sharing pool (whatever else it is)
  wise_employee = 4,         // supported employee of a WISE (whatever else it is)
};
inline constexpr int kGroupCount = 5;
std::string_view group_name(WorkerGroup g);
// The group's code, or -1 for a name that is not a group.
int group_code(std::string_view name);

}  // namespace gigsim
