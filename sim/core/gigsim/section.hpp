// A named section of a checkpoint: the engine's or one mechanism's state, written and read through
// its StateVisitor, field by field with names, types and lengths, so that a reader checks each
// against what it expects and a mechanism's state can change without a global format version.
// Reading is bounded by the section's bytes and validates every value against its rule.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/columns.hpp"

namespace gigsim {

// A saved state that does not fit the scenario or breaks a rule. The message names the section
// and the field.
class RestoreError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

inline constexpr std::size_t kAnyLength = std::numeric_limits<std::size_t>::max();

// The encoding of a section, for readers that walk it without the state's visitor (the reader
// below, the restore fuzzer, tests that forge saved states). A section is a list of entries, each:
// u16 name length, the name, u8 kind (EntryKind), u8 element type, u64 count, count values (host
// order).

// Element type codes: ColumnData's index for vectors, 8 + ScalarData's index for a value.
struct ElementType {
  std::size_t size = 0;  // bytes per value; 0: not a type code
  bool floating = false;
  bool is_signed = false;
  double lowest = 0, highest = 0;  // the range the type holds
};
ElementType element_type(std::uint8_t code);

struct SectionEntry {
  std::string_view name;
  EntryKind kind = EntryKind::column;
  std::uint8_t type = 0;
  std::uint64_t count = 0;
  std::size_t header_offset = 0;  // where the entry starts in the section's bytes
  std::size_t count_offset = 0;   // where its count is
  std::size_t data_offset = 0;    // where its values are (count * element size bytes)
};

// Walks the entries of a section's bytes in order, reading nothing outside them.
class SectionCursor {
 public:
  explicit SectionCursor(std::string_view bytes) : bytes_(bytes) {}
  bool at_end() const { return offset_ == bytes_.size(); }
  enum class Problem { none, truncated, unknown_type, exceeds_section };
  // Decodes the entry here. With Problem::none the cursor moves past it. With unknown_type or
  // exceeds_section the header fields of `entry` are decoded but its values are not there; with
  // truncated not even its header is: the cursor stays where it is.
  Problem next(SectionEntry& entry);

 private:
  std::string_view bytes_;
  std::size_t offset_ = 0;
};

// Every entry of a well-formed section; throws RestoreError (naming `section`) otherwise.
std::vector<SectionEntry> section_entries(std::string_view bytes, const std::string& section);

class SectionWriter final : public StateVisitor {
 public:
  void column(std::string_view name, ColumnData data, std::size_t per_worker,
              ValueRule rule) override;
  void value(std::string_view name, ScalarData data, ValueRule rule) override;
  void values(std::string_view name, ColumnData data, std::size_t length, ValueRule rule) override;
  const std::string& bytes() const { return bytes_; }

 private:
  void entry(std::string_view name, EntryKind kind, std::uint8_t type, std::uint64_t count,
             const void* data, std::size_t size);
  std::string bytes_;
};

// The money a saved state holds, in cents and absolute value, summed over its money fields as the
// readers of its sections read them. A reader refuses the state as soon as the sum passes
// kMaxSavedMoneyCents, so it never wraps.
struct SavedMoney {
  std::uint64_t cents = 0;
};

class SectionReader final : public StateVisitor {
 public:
  // `workers`: the population, so that a column's length is checked before it is read. `money`:
  // where the money fields of every section of the state are summed (shared by their readers).
  SectionReader(std::string_view bytes, std::string section, std::uint32_t workers,
                SavedMoney& money)
      : bytes_(bytes),
        cursor_(bytes),
        section_(std::move(section)),
        workers_(workers),
        money_(money) {}
  void column(std::string_view name, ColumnData data, std::size_t per_worker,
              ValueRule rule) override;
  void value(std::string_view name, ScalarData data, ValueRule rule) override;
  void values(std::string_view name, ColumnData data, std::size_t length, ValueRule rule) override;
  // Throws unless every byte of the section was read.
  void finish() const;
  [[noreturn]] void fail(std::string_view field, const std::string& what) const;

 private:
  template <class V>
  void read_vector(std::string_view name, EntryKind kind, std::uint8_t type, std::size_t expected,
                   V& v, ValueRule rule);
  std::string_view bytes_;
  SectionCursor cursor_;
  std::string section_;
  std::uint32_t workers_;
  SavedMoney& money_;
};

// Bytes held by the state (vectors' capacity), for memory accounting.
class StateBytes final : public StateVisitor {
 public:
  void column(std::string_view, ColumnData data, std::size_t, ValueRule) override { add(data); }
  void value(std::string_view, ScalarData, ValueRule) override {}
  void values(std::string_view, ColumnData data, std::size_t, ValueRule) override { add(data); }
  std::size_t bytes = 0;

 private:
  void add(ColumnData data);
};

// Sizes every per-worker column to `workers` times its width, filled with `fill` (0).
class StateResize final : public StateVisitor {
 public:
  explicit StateResize(std::uint32_t workers) : workers_(workers) {}
  void column(std::string_view, ColumnData data, std::size_t per_worker, ValueRule) override;
  void value(std::string_view, ScalarData, ValueRule) override {}
  void values(std::string_view, ColumnData, std::size_t, ValueRule) override {}

 private:
  std::uint32_t workers_;
};

}  // namespace gigsim
