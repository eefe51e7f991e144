// Checkpoints: the whole state of a run in one binary file, written atomically, so a killed run can
// resume to a bit-identical result and a warmed-up market can be branched into policy futures.
//
// Layout (little-endian host): magic "GIGSIMCK", format version, program version and commit, the
// resolved scenario text and its hash, provenance, the step, the run's state as named sections
// (the engine's and one per mechanism that is on, each a list of named, typed fields written by
// its StateVisitor), the observer events so far (step records by column name and panel months,
// replayed into a fresh writer on resume), and a 64-bit checksum of everything before it. Loading
// checks every length against the bytes left before allocating, so a damaged file is an error,
// never a crash or an unbounded allocation; restoring the sections checks every value against its
// rule, so an edited file with a valid checksum is refused too.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/observer.hpp"
#include "gigsim/simulation.hpp"

namespace gigsim::checkpoint {

// 2: sickness pool; 3: platform cooperatives; 4: WISEs and distance; 5: intermediary node;
// 6: unemployment insurance fund; 7: its contribution record; 8: named sections, one per
// mechanism, and step records by column name (a mechanism's new state no longer changes this).
inline constexpr std::uint32_t kFormatVersion = 8;

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Provenance {
  std::string gigsim_version;
  std::string git_commit;
  std::string scenario_file;
  std::string scenario_yaml;  // resolved scenario the run was started with
  std::string seed_source;
};

// Records what observers have been told, so a resumed or branched run can replay it.
class EventLog final : public Observer {
 public:
  void on_step(const StepTotals& t) override { steps.push_back(t); }
  void on_month(const PanelMonth& m) override { months.push_back(m); }
  // Tells `o` everything logged so far, as the original observers were told it.
  void replay(Observer& o, const RunInfo& info) const;

  std::vector<StepTotals> steps;
  std::vector<PanelMonth> months;
};

struct Checkpoint {
  Provenance provenance;
  std::uint64_t scenario_hash = 0;
  std::uint32_t step = 0;  // weeks run; the engine's section must say the same
  SavedState state;
  EventLog log;
};

std::uint64_t hash_text(std::string_view text);

// Writes the checkpoint to `path` through a temporary file and a rename: the previous checkpoint
// at `path` stays intact until the new one is complete.
void save(const std::filesystem::path& path, const Provenance& provenance, const Simulation& sim,
          const EventLog& log);

// Reads a checkpoint. Throws CheckpointError naming the file for a missing, truncated, damaged or
// incompatible one (other format version or gigsim version).
Checkpoint load(const std::filesystem::path& path, std::string_view gigsim_version);

// The same from bytes in memory (for the fuzz target); `name` is used in messages.
Checkpoint load_bytes(std::string_view bytes, const std::string& name,
                      std::string_view gigsim_version);

}  // namespace gigsim::checkpoint
