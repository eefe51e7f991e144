// The HDF5 sweep result file. Layout: docs/sweeps.md "The result file".
#include "gigsim/sweep_file.hpp"

#include <array>
#include <limits>

#include "gigsim/observer.hpp"
#include "gigsim/output.hpp"
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

void write_row(const h5::Dataset& ds, hsize_t row, const double* data, hsize_t count) {
  if (count == 0) return;
  const std::string what = "writing run " + std::to_string(row) + " to " + object_name(ds.get());
  h5::Dataspace file_space(H5Dget_space(ds.get()), what);
  const std::array<hsize_t, 2> start{row, 0};
  const std::array<hsize_t, 2> n{1, count};
  h5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, n.data(),
                                nullptr),
            what);
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
  h5::Dataset run_scale, week_scale, group_scale;
  std::vector<h5::Dataset> series;  // step_columns() order
  std::uint64_t rows = 0;
  bool committed = false;
  // The runs table, written at commit.
  std::vector<std::uint32_t> point, replication, variant;
  std::vector<std::uint64_t> seed;
  std::vector<std::string> identity, message;
  std::vector<std::uint8_t> status;
  std::vector<double> metrics;  // runs x (metrics x groups)
};

SweepFileWriter::SweepFileWriter(std::filesystem::path path, const SweepHeader& header)
    : impl_(std::make_unique<Impl>()) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
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
  write_scalar_attr<std::uint64_t>(root, "runs", header.runs);
  write_string_attr(root, "sweep_yaml", header.sweep_yaml);
  write_string_attr(root, "base_scenario", header.base_scenario);

  // Dimension scales at the root, so every group sees them (netCDF-4 dimension visibility).
  w.run_scale = write_vector(root, "run", iota_vector<std::uint64_t>(header.runs), false);
  describe(w.run_scale.get(), "1",
           "run index: (point * replications + replication) * variants + variant");
  make_scale(w.run_scale, "run");
  w.week_scale = write_vector(root, "week", iota_vector<std::uint32_t>(header.weeks), false);
  describe(w.week_scale.get(), "week", "week index, 0-based");
  make_scale(w.week_scale, "week");
  h5::Dataset point_scale =
      write_vector(root, "point", iota_vector<std::uint32_t>(header.points), false);
  describe(point_scale.get(), "1", "design point index");
  make_scale(point_scale, "point");
  h5::Dataset parameter_scale = write_strings(root, "parameter", header.parameters);
  make_scale(parameter_scale, "parameter");
  h5::Dataset variant_scale = write_strings(root, "variant", header.variants);
  make_scale(variant_scale, "variant");
  w.group_scale = write_strings(root, "group", header.groups);
  make_scale(w.group_scale, "group");

  h5::Group design = create_group(root, "design");
  const hsize_t P = header.points;
  const hsize_t K = header.parameters.size();
  for (const auto& [name, data, long_name] :
       {std::tuple{"values", &header.design_values, "parameter values of each design point"},
        std::tuple{"unit", &header.design_unit, "unit-cube coordinates of each design point"}}) {
    h5::Dataset ds = create_matrix(design.get(), name, P, K, false);
    for (hsize_t p = 0; p < P; ++p) write_row(ds, p, data->data() + p * K, K);
    describe(ds.get(), "1", long_name);
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
  for (const StepColumn& c : step_columns()) {
    const std::string name(c.name);
    h5::Dataset ds =
        create_matrix(series_group.get(), name.c_str(), header.runs, header.weeks, true);
    describe(ds.get(), std::string(c.unit), std::string(c.description));
    attach_scale(ds, w.run_scale, 0, "run");
    attach_scale(ds, w.week_scale, 1, "week");
    w.series.push_back(std::move(ds));
  }
}

SweepFileWriter::~SweepFileWriter() {
  if (impl_ && !impl_->committed) {
    impl_->series.clear();
    impl_->run_scale.reset();
    impl_->week_scale.reset();
    impl_->group_scale.reset();
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
    for (std::size_t c = 0; c < columns.size(); ++c)
      write_row(w.series[c], w.rows, row.series->data() + c * row.weeks, row.weeks);
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
    const auto scaled = [&](h5::Dataset ds, const char* units, const char* long_name) {
      describe(ds.get(), units, long_name);
      attach_scale(ds, w.run_scale, 0, "run");
    };
    scaled(write_vector(runs.get(), "point", w.point, false), "1", "design point");
    scaled(write_vector(runs.get(), "replication", w.replication, false), "1", "replication");
    scaled(write_vector(runs.get(), "variant", w.variant, false), "1", "variant index");
    scaled(write_vector(runs.get(), "seed", w.seed, false), "1", "run seed");
    scaled(write_strings(runs.get(), "identity", w.identity), "1",
           "hash of the resolved scenario and gigsim version");
    scaled(write_vector(runs.get(), "status", w.status, false), "1", "0 ok, 1 failed");
    scaled(write_strings(runs.get(), "message", w.message), "1", "why the run failed");

    h5::Group metrics = create_group(root, "metrics");
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
      attach_scale(ds, w.run_scale, 0, "run");
      attach_scale(ds, w.group_scale, 1, "group");
    }
  }
  w.series.clear();
  w.run_scale.reset();
  w.week_scale.reset();
  w.group_scale.reset();
  if (w.file.close() < 0) h5::fail("closing " + quoted(w.temp_path));
  commit_temporary(w.temp_path, w.final_path);
  w.committed = true;
}

}  // namespace gigsim::output
