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

#include "gigsim/columns.hpp"

namespace gigsim {

// A saved state that does not fit the scenario or breaks a rule. The message names the section
// and the field.
class RestoreError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

inline constexpr std::size_t kAnyLength = std::numeric_limits<std::size_t>::max();

class SectionWriter final : public StateVisitor {
 public:
  void column(std::string_view name, ColumnData data, std::size_t per_worker,
              ValueRule rule) override;
  void value(std::string_view name, ScalarData data, ValueRule rule) override;
  void values(std::string_view name, ColumnData data, std::size_t length, ValueRule rule) override;
  const std::string& bytes() const { return bytes_; }

 private:
  void entry(std::string_view name, std::uint8_t kind, std::uint8_t type, std::uint64_t count,
             const void* data, std::size_t size);
  std::string bytes_;
};

class SectionReader final : public StateVisitor {
 public:
  // `workers`: the population, so that a column's length is checked before it is read.
  SectionReader(std::string_view bytes, std::string section, std::uint32_t workers)
      : rest_(bytes), section_(std::move(section)), workers_(workers) {}
  void column(std::string_view name, ColumnData data, std::size_t per_worker,
              ValueRule rule) override;
  void value(std::string_view name, ScalarData data, ValueRule rule) override;
  void values(std::string_view name, ColumnData data, std::size_t length, ValueRule rule) override;
  // Throws unless every byte of the section was read.
  void finish() const;
  [[noreturn]] void fail(std::string_view field, const std::string& what) const;

 private:
  template <class V>
  void read_vector(std::string_view name, std::uint8_t kind, std::uint8_t type,
                   std::size_t expected, V& v, ValueRule rule);
  std::uint64_t header(std::string_view name, std::uint8_t kind, std::uint8_t type);
  std::string_view rest_;
  std::string section_;
  std::uint32_t workers_;
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
