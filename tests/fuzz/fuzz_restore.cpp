// libFuzzer target: restoring a saved state (Simulation::restore, as `run --resume` and `branch`
// do after loading a checkpoint). Structure-aware: the input is a list of edits to the state of a
// seed checkpoint with a valid checksum (restore_case.hpp), so that mutations reach the field
// values instead of stopping at the checksum or the section encoding. Every edited state must be
// refused with RestoreError or restore and run to the end; a crash, a sanitizer report or any
// other exception is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iostream>

#include "restore_case.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<gigsim::fuzz::RestoreBase> bases =
      gigsim::fuzz::load_restore_bases(GIGSIM_RESTORE_SEEDS, GIGSIM_VERSION);
  // GIGSIM_RESTORE_TRACE=1 (when replaying a crash): what the input changed, before it runs.
  static const bool trace = std::getenv("GIGSIM_RESTORE_TRACE") != nullptr;
  gigsim::fuzz::run_restore_case(bases, data, size, trace ? &std::cerr : nullptr);
  return 0;
}
