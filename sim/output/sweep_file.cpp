// The HDF5 sweep result file. Layout: docs/sweeps.md "The result file".
#include "gigsim/sweep_file.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "gigsim/observer.hpp"
#include "gigsim/output.hpp"
#include "gigsim/registry.hpp"
#include "hdf5_handles.hpp"
#include "hdf5_util.hpp"

namespace gigsim::output {

namespace {

using namespace h5util;

constexpr hsize_t kRunChunk = 64;

// A 2-D float64 dataset filled with NaN where nothing is written.
h5::Dataset create_matrix(hid_t loc, const char* name, hsize_t rows, hsize_t cols, bool chunked) {
  const std::string what = "creating dataset '" + std::string(name) + "'";
  const std::array<hsize_t, 2> dims{rows, cols};
  h5::Dataspace space(H5Screate_simple(2, dims.data(), nullptr), what);
  h5::PropList dcpl = object_create_plist(H5P_DATASET_CREATE, what);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  h5::check(H5Pset_fill_value(dcpl.get(), H5T_NATIVE_DOUBLE, &nan), what);
  if (chunked && rows > 0 && cols > 0) {
    const std::array<hsize_t, 2> chunk{std::min(rows, kRunChunk), cols};
    h5::check(H5Pset_chunk(dcpl.get(), 2, chunk.data()), what);
    h5::check(H5Pset_shuffle(dcpl.get()), what);
    h5::check(H5Pset_deflate(dcpl.get(), kDeflateLevel), what);
  }
  return h5::Dataset(
      H5Dcreate2(loc, name, H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      what);
}

// Selects the first `count` columns of row `row` of a 2-D dataset's file space.
void select_row(const h5::Dataspace& file_space, hsize_t row, hsize_t count,
                const std::string& what) {
  const std::array<hsize_t, 2> start{row, 0};
  const std::array<hsize_t, 2> n{1, count};
  h5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, n.data(),
                                nullptr),
            what);
}

void write_row(const h5::Dataset& ds, hsize_t row, const double* data, hsize_t count) {
  if (count == 0) return;
  const std::string what = "writing run " + std::to_string(row) + " to " + object_name(ds.get());
  h5::Dataspace file_space(H5Dget_space(ds.get()), what);
  select_row(file_space, row, count, what);
  h5::Dataspace mem_space(H5Screate_simple(1, &count, nullptr), what);
  h5::check(
      H5Dwrite(ds.get(), H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
      what);
}

template <class T>
std::vector<T> iota_vector(std::size_t n) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>(i);
  return v;
}

}  // namespace

struct SweepFileWriter::Impl {
  std::filesystem::path final_path, temp_path;
  SweepHeader header;
  h5::File file;
  std::vector<h5::Dataset> series;  // step_columns() order
  std::vector<bool> money;          // per series column: EUR cents in, EUR out
  std::uint64_t rows = 0;
  bool committed = false;
  // The runs table, written at commit.
  std::vector<std::uint32_t> point, replication, variant;
  std::vector<std::uint64_t> seed;
  std::vector<std::string> identity, message;
  std::vector<std::uint8_t> status;
  std::vector<double> metrics;  // runs x (metrics x groups)
};

namespace {

// Every group carries the coordinates of its dimensions, so that xarray opens it alone
// (xarray.open_dataset(path, group=...)) with named, labelled dimensions.
h5::Dataset run_coordinate(hid_t group, std::uint64_t runs) {
  h5::Dataset ds = write_vector(group, "run", iota_vector<std::uint64_t>(runs), false);
  describe(ds.get(), "1", "run index: (point * replications + replication) * variants + variant");
  make_scale(ds, "run");
  return ds;
}

}  // namespace

SweepFileWriter::SweepFileWriter(std::filesystem::path path, const SweepHeader& header)
    : impl_(std::make_unique<Impl>()) {
  h5util::prepare_library();
  Impl& w = *impl_;
  w.header = header;
  w.final_path = std::move(path);
  w.file = create_temporary(w.final_path, w.temp_path, "sweep file");
  const hid_t root = w.file.get();

  write_string_attr(root, "file_type", kSweepFileType);
  write_scalar_attr<std::int32_t>(root, "format_version", kSweepFormatVersion);
  write_string_attr(root, "gigsim_version", header.gigsim_version);
  write_string_attr(root, "git_commit", header.git_commit);
  write_scalar_attr<std::uint64_t>(root, "sweep_seed", header.sweep_seed);
  write_string_attr(root, "design_method", header.design_method);
  write_scalar_attr<std::uint32_t>(root, "points", header.points);
  write_scalar_attr<std::uint32_t>(root, "replications", header.replications);
  write_scalar_attr<std::uint32_t>(root, "variants",
                                   static_cast<std::uint32_t>(header.variants.size()));
  write_string_array_attr(root, "variant_names", header.variants);
  write_scalar_attr<std::uint64_t>(root, "runs", header.runs);
  write_string_attr(root, "sweep_yaml", header.sweep_yaml);
  write_string_attr(root, "base_scenario", header.base_scenario);

  h5::Group design = create_group(root, "design");
  const hsize_t P = header.points;
  const hsize_t K = header.parameters.size();
  h5::Dataset point_scale =
      write_vector(design.get(), "point", iota_vector<std::uint32_t>(header.points), false);
  describe(point_scale.get(), "1", "design point index");
  make_scale(point_scale, "point");
  h5::Dataset parameter_scale = write_strings(design.get(), "parameter", header.parameters);
  describe(parameter_scale.get(), "1", "scenario key path of each swept parameter");
  make_scale(parameter_scale, "parameter");
  std::vector<std::string> units = header.parameter_units;
  units.resize(header.parameters.size());
  h5::Dataset units_ds = write_strings(design.get(), "parameter_units", units);
  describe(units_ds.get(), "1", "unit of each parameter's values (the scenario schema's)");
  attach_scale(units_ds, parameter_scale, 0, "parameter");
  for (const auto& [name, data, unit, long_name] :
       {std::tuple{"values", &header.design_values, "see parameter_units",
                   "parameter values of each design point (column j in parameter_units[j])"},
        std::tuple{"unit", &header.design_unit, "1",
                   "unit-cube coordinates of each design point"}}) {
    h5::Dataset ds = create_matrix(design.get(), name, P, K, false);
    for (hsize_t p = 0; p < P; ++p) write_row(ds, p, data->data() + p * K, K);
    describe(ds.get(), unit, long_name);
    attach_scale(ds, point_scale, 0, "point");
    attach_scale(ds, parameter_scale, 1, "parameter");
  }
  for (const auto& [name, data, long_name] :
       {std::tuple{"trajectory", &header.trajectory, "Morris trajectory (-1: not Morris)"},
        std::tuple{"step_parameter", &header.step_parameter,
                   "Morris: parameter changed from the previous point (-1: none)"},
        std::tuple{"saltelli_block", &header.saltelli_block,
                   "Saltelli: 0 = A, 1 = B, 2 + i = A with column i from B (-1: not Saltelli)"}}) {
    h5::Dataset ds = write_vector(design.get(), name, *data, false);
    describe(ds.get(), "1", long_name);
    attach_scale(ds, point_scale, 0, "point");
  }

  h5::Group series_group = create_group(root, "series");
  const h5::Dataset run_scale = run_coordinate(series_group.get(), header.runs);
  h5::Dataset week_scale =
      write_vector(series_group.get(), "week", iota_vector<std::uint32_t>(header.weeks), false);
  describe(week_scale.get(), "week", "week index, 0-based");
  make_scale(week_scale, "week");
  for (const StepColumn& c : step_columns()) {
    const std::string name(c.name);
    const bool money = c.unit == kEngineMoneyUnit;
    h5::Dataset ds =
        create_matrix(series_group.get(), name.c_str(), header.runs, header.weeks, true);
    describe(ds.get(), money ? "EUR" : std::string(c.unit), std::string(c.description));
    attach_scale(ds, run_scale, 0, "run");
    attach_scale(ds, week_scale, 1, "week");
    w.series.push_back(std::move(ds));
    w.money.push_back(money);
  }
}

SweepFileWriter::~SweepFileWriter() {
  if (impl_ && !impl_->committed) {
    impl_->series.clear();
    impl_->file.reset();
    std::error_code ec;
    std::filesystem::remove(impl_->temp_path, ec);
  }
}

void SweepFileWriter::add_run(const SweepRunRow& row) {
  Impl& w = *impl_;
  if (w.rows >= w.header.runs)
    throw OutputError("sweep file " + quoted(w.final_path) + ": more runs than announced");
  const std::size_t per_run = w.header.metrics.size() * w.header.groups.size();
  if (row.metrics == nullptr || row.metrics->size() != per_run)
    throw OutputError("sweep file: run " + std::to_string(w.rows) + " has the wrong metrics");
  w.point.push_back(row.point);
  w.replication.push_back(row.replication);
  w.variant.push_back(row.variant);
  w.seed.push_back(row.seed);
  w.identity.push_back(row.identity);
  w.status.push_back(row.ok ? 0 : 1);
  w.message.push_back(row.message);
  w.metrics.insert(w.metrics.end(), row.metrics->begin(), row.metrics->end());
  if (row.ok && row.series != nullptr) {
    const auto columns = step_columns();
    if (row.series->size() != columns.size() * row.weeks || row.weeks > w.header.weeks)
      throw OutputError("sweep file: run " + std::to_string(w.rows) + " has the wrong series");
    std::vector<double> euros(row.weeks);
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const double* values = row.series->data() + c * row.weeks;
      if (w.money[c]) {
        for (std::uint32_t k = 0; k < row.weeks; ++k) euros[k] = values[k] / kCentsPerEuro;
        values = euros.data();
      }
      write_row(w.series[c], w.rows, values, row.weeks);
    }
  }
  ++w.rows;
}

void SweepFileWriter::commit(std::uint64_t failed_runs) {
  Impl& w = *impl_;
  if (w.rows != w.header.runs)
    throw OutputError("sweep file " + quoted(w.final_path) + ": " + std::to_string(w.rows) +
                      " of " + std::to_string(w.header.runs) + " runs written");
  const hid_t root = w.file.get();
  write_scalar_attr<std::uint64_t>(root, "failed_runs", failed_runs);
  {
    h5::Group runs = create_group(root, "runs");
    const h5::Dataset run_scale = run_coordinate(runs.get(), w.rows);
    const auto scaled = [&](h5::Dataset ds, const char* units, const char* long_name) {
      if (units != nullptr) describe(ds.get(), units, long_name);
      attach_scale(ds, run_scale, 0, "run");
    };
    scaled(write_vector(runs.get(), "point", w.point, false), "1", "design point");
    scaled(write_vector(runs.get(), "replication", w.replication, false), "1", "replication");
    scaled(write_enum_vector(runs.get(), "variant", w.variant, w.header.variants, false,
                             "variant of the run"),
           nullptr, nullptr);
    scaled(write_vector(runs.get(), "seed", w.seed, false), "1", "run seed");
    scaled(write_strings(runs.get(), "identity", w.identity), "1",
           "hash of the resolved scenario and gigsim version");
    scaled(write_enum_vector(runs.get(), "status", w.status, {"ok", "failed"}, false,
                             "whether the run finished (ok) or failed"),
           nullptr, nullptr);
    scaled(write_strings(runs.get(), "message", w.message), "1", "why the run failed");

    h5::Group metrics = create_group(root, "metrics");
    const h5::Dataset metrics_run = run_coordinate(metrics.get(), w.rows);
    h5::Dataset group_scale = write_strings(metrics.get(), "group", w.header.groups);
    describe(group_scale.get(), "1", "reporting group: all workers, then each group");
    make_scale(group_scale, "group");
    const std::size_t G = w.header.groups.size();
    const std::size_t M = w.header.metrics.size();
    for (std::size_t m = 0; m < M; ++m) {
      const auto& info = w.header.metrics[m];
      h5::Dataset ds = create_matrix(metrics.get(), info.name.c_str(), w.rows, G, false);
      std::vector<double> block(w.rows * G);
      for (std::uint64_t r = 0; r < w.rows; ++r)
        for (std::size_t g = 0; g < G; ++g) block[r * G + g] = w.metrics[r * M * G + m * G + g];
      write_all(ds, block.data(), block.size());
      describe(ds.get(), info.units, info.long_name);
      attach_scale(ds, metrics_run, 0, "run");
      attach_scale(ds, group_scale, 1, "group");
    }
  }
  w.series.clear();
  if (w.file.close() < 0) h5::fail("closing " + quoted(w.temp_path));
  commit_temporary(w.temp_path, w.final_path);
  w.committed = true;
}

// ---- reading back

namespace {

std::vector<std::string> read_string_dataset(hid_t file, const char* path) {
  const std::string what = std::string("reading ") + path;
  h5::Dataset ds(H5Dopen2(file, path, H5P_DEFAULT), what);
  h5::Dataspace space(H5Dget_space(ds.get()), what);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  h5::Datatype type = utf8_string_type();
  std::vector<char*> text(static_cast<std::size_t>(std::max<hssize_t>(n, 0)), nullptr);
  std::vector<std::string> out;
  if (text.empty()) return out;
  h5::check(H5Dread(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), what);
  for (char* t : text) out.emplace_back(t != nullptr ? t : "");
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, text.data());
  return out;
}

// Row `row` of a 2-D float64 dataset, its first `count` columns.
std::vector<double> read_row(hid_t file, const std::string& path, hsize_t row, hsize_t count) {
  const std::string what = "reading run " + std::to_string(row) + " of " + path;
  h5::Dataset ds(H5Dopen2(file, path.c_str(), H5P_DEFAULT), what);
  h5::Dataspace file_space(H5Dget_space(ds.get()), what);
  std::array<hsize_t, 2> dims{};
  H5Sget_simple_extent_dims(file_space.get(), dims.data(), nullptr);
  if (row >= dims[0] || count > dims[1])
    throw OutputError(what + ": the dataset is " + std::to_string(dims[0]) + " x " +
                      std::to_string(dims[1]));
  std::vector<double> values(count);
  if (count == 0) return values;
  select_row(file_space, row, count, what);
  h5::Dataspace mem_space(H5Screate_simple(1, &count, nullptr), what);
  h5::check(H5Dread(ds.get(), H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(), H5P_DEFAULT,
                    values.data()),
            what);
  return values;
}

}  // namespace

struct SweepFileReader::Impl {
  h5::File file;
  std::vector<std::string> identities, messages;
  std::vector<std::uint8_t> status;
  std::vector<std::string> groups;
};

SweepFileReader::SweepFileReader(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>()) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const std::string what = "reading the sweep file " + quoted(path);
  impl_->file = h5::File(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), what);
  const hid_t f = impl_->file.get();
  const auto string_attr = [&](const char* name) -> std::string {
    if (H5Aexists(f, name) <= 0) return {};
    h5::Attribute attr(H5Aopen(f, name, H5P_DEFAULT), what);
    h5::Datatype type = utf8_string_type();
    char* text = nullptr;
    if (H5Aread(attr.get(), type.get(), &text) < 0) return {};
    std::string value = text != nullptr ? text : "";
    H5free_memory(text);
    return value;
  };
  std::int32_t version = 0;
  if (H5Aexists(f, "format_version") > 0) {
    h5::Attribute attr(H5Aopen(f, "format_version", H5P_DEFAULT), what);
    h5::check(H5Aread(attr.get(), H5T_NATIVE_INT32, &version), what);
  }
  if (string_attr("file_type") != kSweepFileType || version != kSweepFormatVersion)
    throw OutputError(quoted(path) + " is not a gigsim sweep file of format version " +
                      std::to_string(kSweepFormatVersion));
  impl_->identities = read_string_dataset(f, "/runs/identity");
  impl_->messages = read_string_dataset(f, "/runs/message");
  impl_->groups = read_string_dataset(f, "/metrics/group");
  h5::Dataset status(H5Dopen2(f, "/runs/status", H5P_DEFAULT), what);
  impl_->status.resize(impl_->identities.size());
  if (!impl_->status.empty())
    h5::check(H5Dread(status.get(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                      impl_->status.data()),
              what);
  if (impl_->messages.size() != impl_->identities.size())
    throw OutputError(what + ": /runs/message and /runs/identity differ in length");
}

SweepFileReader::~SweepFileReader() = default;

const std::vector<std::string>& SweepFileReader::identities() const {
  return impl_->identities;
}

std::size_t SweepFileReader::failed() const {
  return static_cast<std::size_t>(std::count_if(impl_->status.begin(), impl_->status.end(),
                                                [](std::uint8_t s) { return s != 0; }));
}

SweepFileReader::Run SweepFileReader::read_run(std::uint64_t row,
                                               const std::vector<std::string>& metric_names,
                                               std::uint32_t weeks) const {
  const Impl& r = *impl_;
  if (row >= r.identities.size()) throw OutputError("sweep file: no run " + std::to_string(row));
  Run run;
  run.ok = r.status[row] == 0;
  run.message = r.messages[row];
  for (const std::string& name : metric_names) {
    const std::vector<double> values =
        read_row(r.file.get(), "/metrics/" + name, row, r.groups.size());
    run.metrics.insert(run.metrics.end(), values.begin(), values.end());
  }
  if (!run.ok) return run;
  for (const StepColumn& c : step_columns()) {
    std::vector<double> values =
        read_row(r.file.get(), "/series/" + std::string(c.name), row, weeks);
    // EUR back to the record's cents: x = cents / 100 rounds to the nearest double, so
    // round(x * 100) is the integer it came from.
    if (c.unit == kEngineMoneyUnit)
      for (double& v : values) v = std::round(v * kCentsPerEuro);
    run.series.insert(run.series.end(), values.begin(), values.end());
  }
  return run;
}

}  // namespace gigsim::output
