// Designs (docs/sweeps.md "Designs"): which parameter values each point of a sweep takes.
#include <boost/math/distributions/normal.hpp>
#include <boost/random/sobol.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "gigsim/files.hpp"
#include "gigsim/rng.hpp"
#include "gigsim/scenario.hpp"
#include "gigsim/sweep.hpp"
#include "variable_keys.hpp"

namespace gigsim::sweep {

namespace {

using scenario::ScenarioError;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kMaxPoints = 1'000'000;
// A design table of kMaxPoints rows of a few parameters fits; the cap bounds what is read.
constexpr std::uint64_t kMaxTableBytes = std::uint64_t{64} << 20;

// Substreams of the design's random stream (keyed by the sweep seed).
enum : std::uint32_t { kRandomPoints = 1, kLhsPermutation = 2, kLhsJitter = 3, kMorris = 4 };

// Shortest text that reads back as the same double ("0.1", "2000", "1e-05").
std::string number_text(double v) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  return std::string(buffer, result.ptr);
}

// The value of a parameter at unit coordinate u in [0, 1]: a list (given values, or a range's
// steps) is picked from uniformly; a continuous range or a normal goes through its quantile.
double at_unit(const Parameter& p, double u) {
  if (!p.values.empty()) {
    const auto n = p.values.size();
    return p
        .values[std::min<std::size_t>(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
  }
  if (p.kind == Parameter::Kind::normal) {
    const boost::math::normal_distribution<double> normal(p.mean, p.sd);
    return boost::math::quantile(normal, std::clamp(u, 0.005, 0.995));
  }
  if (p.log_scale) return std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)));
  return p.min + u * (p.max - p.min);
}

// Rounds to the parameter's type and gives the text the scenario reads.
std::pair<double, std::string> typed(const Parameter& p, double v) {
  if (p.boolean) {
    const bool b = v >= 0.5;
    return {b ? 1.0 : 0.0, b ? "true" : "false"};
  }
  if (p.integer) {
    // In digits: the shortest form of 3000000.0 is "3e+06", which an integer key refuses.
    const double r = std::nearbyint(v);
    if (std::fabs(r) < 0x1p63) return {r, std::to_string(static_cast<long long>(r))};
    return {r, number_text(r)};
  }
  return {v, number_text(v)};
}

// The first n points of a Sobol sequence of `dims` dimensions. Boost's sequence starts at
// (1/2, ..., 1/2): the corner (0, ..., 0) of the textbook sequence is never used.
std::vector<double> sobol_points(std::size_t n, unsigned dims) {
  boost::random::sobol engine(dims);
  std::vector<double> u(n * dims);
  // 64-bit integers; the top 53 bits give a double in [0, 1).
  for (double& x : u) x = static_cast<double>(engine() >> 11) * 0x1.0p-53;
  return u;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  for (char c : line) {
    if (c == ',') {
      cells.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  cells.push_back(cell);
  for (auto& x : cells) {  // trim spaces
    const auto a = x.find_first_not_of(' ');
    const auto b = x.find_last_not_of(' ');
    x = a == std::string::npos ? "" : x.substr(a, b - a + 1);
  }
  return cells;
}

Design table_design(const SweepSpec& spec) {
  Design d;
  const std::string file = spec.table.string();
  std::istringstream in;
  try {
    in.str(os::read_regular_file(spec.table, kMaxTableBytes, "design table"));
  } catch (const os::FileError& e) {
    throw ScenarioError(file, 0, 0, "", e.reason());
  }
  std::string line;
  int line_no = 0;
  std::size_t columns = 0;
  // Spreadsheets write UTF-8 with a byte-order mark; it is not part of the first column's name.
  if (in.peek() == 0xEF) {
    char bom[3] = {};
    in.read(bom, 3);
    if (std::string_view(bom, 3) != "\xEF\xBB\xBF") in.seekg(0);
  }
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r" || line[0] == '#') continue;
    const auto cells = split_csv_line(line);
    if (d.parameters.empty()) {
      // Each column a number or a boolean the base scenario has, in canonical form, once.
      const VariableKeys keys(spec);
      std::map<std::string, std::size_t> seen;
      const auto at = [&](std::size_t c) {  // 1-based text column where cell c starts
        std::size_t pos = 0;
        for (std::size_t k = 0; k < c; ++k) pos = line.find(',', pos) + 1;
        while (pos < line.size() && line[pos] == ' ') ++pos;
        return static_cast<int>(pos + 1);
      };
      for (std::size_t c = 0; c < cells.size(); ++c) {
        std::string path;
        try {
          path = keys.check(cells[c]);
        } catch (const std::invalid_argument& e) {
          throw ScenarioError(file, line_no, at(c), cells[c],
                              "column " + std::to_string(c + 1) + ": " + e.what());
        }
        if (const auto [first, inserted] = seen.emplace(path, c + 1); !inserted)
          throw ScenarioError(file, line_no, at(c), path,
                              "column " + std::to_string(c + 1) + " repeats column " +
                                  std::to_string(first->second) + " ('" + path +
                                  "'); one of them would be dropped silently");
        d.parameters.push_back(path);
      }
      columns = cells.size();
      continue;
    }
    if (cells.size() != columns)
      throw ScenarioError(
          file, line_no, 1, "",
          "expected " + std::to_string(columns) + " values, found " + std::to_string(cells.size()));
    for (const auto& cell : cells) {
      d.text.push_back(cell);
      char* end = nullptr;
      double v = std::strtod(cell.c_str(), &end);
      if (cell == "true")
        v = 1;
      else if (cell == "false")
        v = 0;
      else if (cell.empty() || end != cell.c_str() + cell.size())
        v = kNaN;
      d.values.push_back(v);
      d.unit.push_back(kNaN);
    }
    if (++d.points > kMaxPoints) throw ScenarioError(file, line_no, 1, "", "too many rows");
  }
  if (d.parameters.empty() || d.points == 0)
    throw ScenarioError(file, 0, 0, "", "the design table needs a header row and at least one row");
  return d;
}

}  // namespace

Design build_design(const SweepSpec& spec) {
  if (spec.method == Method::table) {
    Design d = table_design(spec);
    d.trajectory.assign(d.points, -1);
    d.step_parameter.assign(d.points, -1);
    d.saltelli_block.assign(d.points, -1);
    return d;
  }
  Design d;
  const auto k = spec.parameters.size();
  for (const auto& p : spec.parameters) d.parameters.push_back(p.path);
  const auto add_point = [&](const std::vector<double>& unit, const std::vector<double>& raw) {
    for (std::size_t j = 0; j < k; ++j) {
      const auto [v, text] = typed(spec.parameters[j], raw[j]);
      d.values.push_back(v);
      d.text.push_back(text);
      d.unit.push_back(unit.empty() ? kNaN : unit[j]);
    }
    ++d.points;
    d.trajectory.push_back(-1);
    d.step_parameter.push_back(-1);
    d.saltelli_block.push_back(-1);
  };
  const auto sampled_point = [&](const std::vector<double>& unit) {
    std::vector<double> raw(k);
    for (std::size_t j = 0; j < k; ++j) raw[j] = at_unit(spec.parameters[j], unit[j]);
    add_point(unit, raw);
  };
  const auto too_many = [&](std::uint64_t n) {
    if (n > kMaxPoints)
      throw ScenarioError(
          spec.file, 0, 0, "design",
          "the design has " + std::to_string(n) + " points; at most " + std::to_string(kMaxPoints));
  };

  switch (spec.method) {
    case Method::grid: {
      std::uint64_t n = 1;
      for (const auto& p : spec.parameters) {
        n *= p.values.size();
        too_many(n);
      }
      std::vector<double> raw(k);
      for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t rest = i;
        for (std::size_t j = k; j-- > 0;) {  // the last parameter varies fastest
          const auto m = spec.parameters[j].values.size();
          raw[j] = spec.parameters[j].values[rest % m];
          rest /= m;
        }
        add_point({}, raw);
      }
      break;
    }
    case Method::zip: {
      std::vector<double> raw(k);
      for (std::size_t i = 0; i < spec.parameters.front().values.size(); ++i) {
        for (std::size_t j = 0; j < k; ++j) raw[j] = spec.parameters[j].values[i];
        add_point({}, raw);
      }
      break;
    }
    case Method::random: {
      std::vector<double> unit(k);
      for (std::uint32_t i = 0; i < spec.points; ++i) {
        RandomStream rs(spec.seed, Stream::sweep_design, i, 0, kRandomPoints);
        for (double& u : unit) u = rs.uniform();
        sampled_point(unit);
      }
      break;
    }
    case Method::lhs: {
      const std::uint32_t n = spec.points;
      std::vector<std::vector<std::uint32_t>> stratum(k, std::vector<std::uint32_t>(n));
      for (std::size_t j = 0; j < k; ++j) {
        auto& perm = stratum[j];
        std::iota(perm.begin(), perm.end(), 0u);
        RandomStream rs(spec.seed, Stream::sweep_design, static_cast<std::uint32_t>(j), 0,
                        kLhsPermutation);
        for (std::uint32_t i = n; i > 1; --i) std::swap(perm[i - 1], perm[rs.below(i)]);
      }
      std::vector<double> unit(k);
      for (std::uint32_t i = 0; i < n; ++i) {
        RandomStream rs(spec.seed, Stream::sweep_design, i, 0, kLhsJitter);
        for (std::size_t j = 0; j < k; ++j)
          unit[j] = (stratum[j][i] + rs.uniform()) / static_cast<double>(n);
        sampled_point(unit);
      }
      break;
    }
    case Method::sobol: {
      if (k > 3667) throw ScenarioError(spec.file, 0, 0, "parameters", "too many for sobol");
      const auto u = sobol_points(spec.points, static_cast<unsigned>(k));
      for (std::uint32_t i = 0; i < spec.points; ++i)
        sampled_point(std::vector<double>(u.begin() + i * k, u.begin() + (i + 1) * k));
      break;
    }
    case Method::morris: {
      // Trajectories on the p-level grid {0, 1/(p-1), ..., 1} with steps of
      // delta = p / (2 (p - 1)) (Morris 1991): each parameter starts where a step in its random
      // direction stays inside [0, 1] and moves once, in a random order.
      const std::uint32_t p = spec.levels;
      const double delta = static_cast<double>(p) / (2.0 * (p - 1));
      const std::uint32_t reachable = p / 2;  // start levels from which the step stays inside
      too_many(static_cast<std::uint64_t>(spec.trajectories) * (k + 1));
      for (std::uint32_t t = 0; t < spec.trajectories; ++t) {
        RandomStream rs(spec.seed, Stream::sweep_design, t, 0, kMorris);
        std::vector<double> unit(k), direction(k);
        for (std::size_t j = 0; j < k; ++j) {
          const bool up = rs.below(2) == 0;
          const std::uint32_t level = rs.below(reachable) + (up ? 0 : p - reachable);
          unit[j] = static_cast<double>(level) / (p - 1);
          direction[j] = up ? delta : -delta;
        }
        std::vector<std::size_t> order(k);
        std::iota(order.begin(), order.end(), std::size_t{0});
        for (std::size_t i = k; i > 1; --i)
          std::swap(order[i - 1], order[rs.below(static_cast<std::uint32_t>(i))]);
        sampled_point(unit);
        d.trajectory.back() = static_cast<std::int32_t>(t);
        for (std::size_t m = 0; m < k; ++m) {
          const std::size_t j = order[m];
          unit[j] = std::clamp(unit[j] + direction[j], 0.0, 1.0);
          sampled_point(unit);
          d.trajectory.back() = static_cast<std::int32_t>(t);
          d.step_parameter.back() = static_cast<std::int32_t>(j);
        }
      }
      break;
    }
    case Method::saltelli: {
      if (2 * k > 3667) throw ScenarioError(spec.file, 0, 0, "parameters", "too many for saltelli");
      const std::uint32_t n = spec.points;
      too_many(static_cast<std::uint64_t>(n) * (k + 2));
      const auto u = sobol_points(n, static_cast<unsigned>(2 * k));
      const auto a_row = [&](std::uint32_t i) {
        return std::vector<double>(u.begin() + i * 2 * k, u.begin() + i * 2 * k + k);
      };
      const auto b_row = [&](std::uint32_t i) {
        return std::vector<double>(u.begin() + i * 2 * k + k, u.begin() + (i + 1) * 2 * k);
      };
      for (std::uint32_t i = 0; i < n; ++i) {
        sampled_point(a_row(i));
        d.saltelli_block.back() = 0;
      }
      for (std::uint32_t i = 0; i < n; ++i) {
        sampled_point(b_row(i));
        d.saltelli_block.back() = 1;
      }
      for (std::size_t j = 0; j < k; ++j) {
        for (std::uint32_t i = 0; i < n; ++i) {
          auto row = a_row(i);
          row[j] = u[i * 2 * k + k + j];  // column j of B's row i
          sampled_point(row);
          d.saltelli_block.back() = static_cast<std::int32_t>(2 + j);
        }
      }
      break;
    }
    case Method::table:
      break;
  }
  return d;
}

}  // namespace gigsim::sweep
