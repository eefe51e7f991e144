#include "gigsim/state.hpp"

namespace gigsim {

void WorkerState::resize(std::uint32_t n, int n_sectors, int n_platforms, int ring_slots,
                         int n_patronage) {
  count = n;
  patronage_width = n_patronage;
  sectors = n_sectors;
  platforms = n_platforms;
  ring = ring_slots;
  for_each_column(*this, [n](const char*, auto& column, std::size_t per_worker, ValueRule) {
    column.assign(static_cast<std::size_t>(n) * per_worker, {});
  });
  last_training_step.assign(n, kNever);
}

std::size_t WorkerState::bytes() const {
  std::size_t total = 0;
  for_each_column(*this, [&total](const char*, const auto& column, std::size_t, ValueRule) {
    total += column.capacity() * sizeof(column[0]);
  });
  return total;
}

}  // namespace gigsim
