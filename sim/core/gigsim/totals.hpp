// A step's totals: the engine's and each mechanism's, laid out as one flat record whose columns
// (name, unit, description, role) are the series a run writes. Money is integer cents.
//
// A mechanism keeps its totals in a plain struct and describes its fields once, with a role; the
// layout concatenates the engine's table and each registered mechanism's table, in registry order.
// The roles make money conservation a contract the engine checks (docs/ODD.md "Conservation"):
//   sum(inflow) + sum(from_workers) = sum(to_workers) + sum(outflow) + delta sum(stock)
//   delta sum(workers' cash) = sum(to_workers) - sum(from_workers) - sum(worker_spending)
//                              - workers' fixed costs
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace gigsim {

enum class Role : std::uint8_t {
  inflow,           // money entering the market's books from outside (clients, employers, state)
  outflow,          // money leaving the books (commission, fees kept, course providers, costs)
  to_workers,       // from the books into workers' cash
  from_workers,     // from workers' cash into the books
  worker_spending,  // from workers' cash out of the model (their share of courses)
  stock,            // a balance of the books at the end of the step
  memo,             // money shown for information: part of another column, or paid by the state
  count,            // workers, tasks, events
  measure,          // hours, shares: not money
};
std::string_view role_name(Role r);

// One field of a totals struct T: an integer (cents, counts) or a real (hours, shares).
template <class T>
struct TotalsField {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  Role role;
  std::int64_t T::*integer = nullptr;
  double T::*real = nullptr;
};

template <class T>
constexpr TotalsField<T> integer_field(std::string_view name, std::string_view unit,
                                       std::string_view description, Role role,
                                       std::int64_t T::*field) {
  return {name, unit, description, role, field, nullptr};
}
template <class T>
constexpr TotalsField<T> real_field(std::string_view name, std::string_view unit,
                                    std::string_view description, Role role, double T::*field) {
  return {name, unit, description, role, nullptr, field};
}

// Adds the flows of `part` (every field but stocks) to `into`: per-block partial totals merged
// in block order.
template <class T>
void add_flows(T& into, const T& part, std::span<const TotalsField<T>> fields) {
  for (const auto& f : fields) {
    if (f.role == Role::stock) continue;
    if (f.integer) into.*f.integer += part.*f.integer;
    if (f.real) into.*f.real += part.*f.real;
  }
}

// A column of the flat record.
struct StepColumn {
  std::string_view name;
  std::string_view unit;
  std::string_view description;
  Role role;
  bool is_integer;
  std::size_t index;       // into StepTotals::integers or ::reals
  std::string_view owner;  // the mechanism's key; empty for the engine
};

class TotalsLayout;

// One step's totals, in the layout's order.
struct StepTotals {
  std::int64_t step = 0;
  std::vector<std::int64_t> integers;
  std::vector<double> reals;
  const TotalsLayout* layout = nullptr;

  double value(const StepColumn& c) const {
    return c.is_integer ? static_cast<double>(integers[c.index]) : reals[c.index];
  }
  // By name, for tests and readers; throws std::out_of_range naming an unknown column.
  std::int64_t integer(std::string_view name) const;
  double real(std::string_view name) const;
};

// The columns of the record: blocks of fields appended in a fixed order.
class TotalsLayout {
 public:
  struct Block {
    std::size_t first_integer = 0;
    std::size_t first_real = 0;
  };
  template <class T>
  Block append(std::string_view owner, std::span<const TotalsField<T>> fields) {
    const Block b{integers_, reals_};
    for (const auto& f : fields) {
      const bool is_int = f.integer != nullptr;
      columns_.push_back(
          {f.name, f.unit, f.description, f.role, is_int, is_int ? integers_++ : reals_++, owner});
    }
    return b;
  }
  std::span<const StepColumn> columns() const { return columns_; }
  std::size_t integer_count() const { return integers_; }
  std::size_t real_count() const { return reals_; }
  const StepColumn* find(std::string_view name) const;
  StepTotals empty_record() const;

 private:
  std::vector<StepColumn> columns_;
  std::size_t integers_ = 0;
  std::size_t reals_ = 0;
};

// Writes the fields of `t` into the record at block `b` of its layout.
template <class T>
void pack(const T& t, std::span<const TotalsField<T>> fields, TotalsLayout::Block b,
          StepTotals& out) {
  std::size_t i = b.first_integer, r = b.first_real;
  for (const auto& f : fields) {
    if (f.integer) {
      out.integers[i++] = t.*f.integer;
    } else {
      out.reals[r++] = t.*f.real;
    }
  }
}

// The money identities above, on two consecutive records (`before` may be the record of the
// initial stocks). Returns the books' and the workers' residuals in cents (0 and 0 when money is
// conserved); `cash_change` and `fixed_costs` come from the engine.
struct ConservationResidual {
  std::int64_t books = 0;
  std::int64_t workers = 0;
};
ConservationResidual conservation_residual(const StepTotals& before, const StepTotals& now,
                                           std::int64_t cash_change, std::int64_t fixed_costs);

}  // namespace gigsim
