#include "gigsim/section.hpp"

#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

namespace gigsim {

namespace {

constexpr std::uint8_t kColumn = 0, kValue = 1, kValues = 2;
// Scalar type codes follow the vector ones: 8 + ScalarData's index.
constexpr std::uint8_t kScalarBase = 8;

const char* kind_name(std::uint8_t kind) {
  return kind == kColumn ? "column" : kind == kValue ? "value" : "values";
}

template <class T>
std::string text_of(const T& v) {
  if constexpr (std::is_floating_point_v<T>) {
    return std::to_string(static_cast<double>(v));
  } else {
    return std::to_string(v);
  }
}

}  // namespace

void SectionWriter::entry(std::string_view name, std::uint8_t kind, std::uint8_t type,
                          std::uint64_t count, const void* data, std::size_t size) {
  const auto n = static_cast<std::uint16_t>(name.size());
  bytes_.append(reinterpret_cast<const char*>(&n), sizeof n);
  bytes_.append(name);
  bytes_.push_back(static_cast<char>(kind));
  bytes_.push_back(static_cast<char>(type));
  bytes_.append(reinterpret_cast<const char*>(&count), sizeof count);
  if (size > 0) bytes_.append(static_cast<const char*>(data), size);
}

void SectionWriter::column(std::string_view name, ColumnData data, std::size_t, ValueRule) {
  std::visit(
      [&](auto* v) {
        entry(name, kColumn, static_cast<std::uint8_t>(data.index()), v->size(), v->data(),
              v->size() * sizeof((*v)[0]));
      },
      data);
}

void SectionWriter::values(std::string_view name, ColumnData data, std::size_t, ValueRule) {
  std::visit(
      [&](auto* v) {
        entry(name, kValues, static_cast<std::uint8_t>(data.index()), v->size(), v->data(),
              v->size() * sizeof((*v)[0]));
      },
      data);
}

void SectionWriter::value(std::string_view name, ScalarData data, ValueRule) {
  std::visit(
      [&](auto* x) {
        entry(name, kValue, static_cast<std::uint8_t>(kScalarBase + data.index()), 1, x, sizeof *x);
      },
      data);
}

void SectionReader::fail(std::string_view field, const std::string& what) const {
  throw RestoreError("saved state, section '" + section_ + "'" +
                     (field.empty() ? std::string() : ", '" + std::string(field) + "'") + ": " +
                     what);
}

std::uint64_t SectionReader::header(std::string_view name, std::uint8_t kind, std::uint8_t type) {
  std::uint16_t n = 0;
  if (rest_.size() < sizeof n) fail(name, "missing (the section ends)");
  std::memcpy(&n, rest_.data(), sizeof n);
  rest_.remove_prefix(sizeof n);
  if (rest_.size() < n + 2u + sizeof(std::uint64_t)) fail(name, "truncated");
  const std::string_view found = rest_.substr(0, n);
  if (found != name) fail(name, "expected here, found '" + std::string(found) + "'");
  rest_.remove_prefix(n);
  const auto k = static_cast<std::uint8_t>(rest_[0]);
  const auto t = static_cast<std::uint8_t>(rest_[1]);
  rest_.remove_prefix(2);
  if (k != kind || t != type)
    fail(name, std::string("saved as another kind or type (expected a ") + kind_name(kind) + ")");
  std::uint64_t count = 0;
  std::memcpy(&count, rest_.data(), sizeof count);
  rest_.remove_prefix(sizeof count);
  return count;
}

template <class V>
void SectionReader::read_vector(std::string_view name, std::uint8_t kind, std::uint8_t type,
                                std::size_t expected, V& v, ValueRule rule) {
  using T = typename V::value_type;
  const std::uint64_t count = header(name, kind, type);
  if (expected != kAnyLength && count != expected)
    fail(name, "has " + std::to_string(count) + " values, expected " + std::to_string(expected));
  if (count > rest_.size() / sizeof(T)) fail(name, "length exceeds the section");
  v.resize(count);
  if (count > 0) std::memcpy(v.data(), rest_.data(), count * sizeof(T));
  rest_.remove_prefix(count * sizeof(T));
  for (std::size_t j = 0; j < v.size(); ++j) {
    if (breaks(v[j], rule))
      fail(name, "value " + text_of(v[j]) + " at index " + std::to_string(j) +
                     " is outside its range [" + text_of(rule.min) + ", " + text_of(rule.max) +
                     "]");
  }
}

void SectionReader::column(std::string_view name, ColumnData data, std::size_t per_worker,
                           ValueRule rule) {
  std::visit(
      [&](auto* v) {
        read_vector(name, kColumn, static_cast<std::uint8_t>(data.index()),
                    static_cast<std::size_t>(workers_) * per_worker, *v, rule);
      },
      data);
}

void SectionReader::values(std::string_view name, ColumnData data, std::size_t length,
                           ValueRule rule) {
  std::visit(
      [&](auto* v) {
        read_vector(name, kValues, static_cast<std::uint8_t>(data.index()), length, *v, rule);
      },
      data);
}

void SectionReader::value(std::string_view name, ScalarData data, ValueRule rule) {
  std::visit(
      [&](auto* x) {
        using T = std::remove_pointer_t<decltype(x)>;
        std::vector<T> one;
        read_vector(name, kValue, static_cast<std::uint8_t>(kScalarBase + data.index()), 1, one,
                    rule);
        *x = one[0];
      },
      data);
}

void SectionReader::finish() const {
  if (!rest_.empty()) fail("", "unexpected bytes after its last field");
}

void StateBytes::add(ColumnData data) {
  std::visit([&](auto* v) { bytes += v->capacity() * sizeof((*v)[0]); }, data);
}

void StateResize::column(std::string_view, ColumnData data, std::size_t per_worker, ValueRule) {
  std::visit([&](auto* v) { v->assign(static_cast<std::size_t>(workers_) * per_worker, {}); },
             data);
}

}  // namespace gigsim
