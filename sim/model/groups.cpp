#include "gigsim/groups.hpp"

namespace gigsim {

std::string_view group_name(WorkerGroup g) {
  switch (g) {
    case WorkerGroup::platform_only:
      return "platform_only";
    case WorkerGroup::coop_member:
      return "coop_member";
    case WorkerGroup::platform_coop_member:
      return "platform_coop_member";
    case WorkerGroup::pooled_worker:
      return "pooled_worker";
    case WorkerGroup::wise_employee:
      return "wise_employee";
  }
  return "unknown";
}

int group_code(std::string_view name) {
  for (int g = 0; g < kGroupCount; ++g)
    if (group_name(static_cast<WorkerGroup>(g)) == name) return g;
  return -1;
}

}  // namespace gigsim
