// The HDF5 run file. Layout and rationale: docs/output-format.md.
#include <fcntl.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "gigsim/groups.hpp"
#include "gigsim/output.hpp"
#include "gigsim/registry.hpp"
#include "hdf5_handles.hpp"
#include "hdf5_util.hpp"

namespace gigsim::output {

namespace {

using namespace h5util;

// Panel chunks: 12 months x up to 1024 workers (48 KiB of float32). Appending a month touches
// one row of chunks, which the chunk cache keeps; reading one worker's whole history touches
// months/12 chunks.
constexpr hsize_t kPanelChunkMonths = 12;
constexpr hsize_t kPanelChunkWorkers = 1024;
constexpr std::size_t kMaxChunkCacheBytes = std::size_t{64} << 20;

// Names of the worker groups and training payers, index = code (the HDF5 enumerations).
std::vector<std::string> group_names() {
  std::vector<std::string> names;
  for (int g = 0; g < kGroupCount; ++g) names.emplace_back(group_name(static_cast<WorkerGroup>(g)));
  return names;
}

// payer_name() answers "unknown" past the last payer.
std::vector<std::string> payer_names() {
  std::vector<std::string> names;
  for (int p = 0; p < 256; ++p) {
    const std::string_view name = payer_name(static_cast<TrainingPayer>(p));
    if (name == "unknown") break;
    names.emplace_back(name);
  }
  return names;
}

// "bit0=gigly,bit1=drivers_coop"
std::string platform_bits(const std::vector<std::string>& platform_names) {
  std::string bits;
  for (std::size_t i = 0; i < platform_names.size(); ++i) {
    if (!bits.empty()) bits += ",";
    bits += "bit" + std::to_string(i) + "=" + platform_names[i];
  }
  return bits;
}

enum class Codes { none, group, payer, platforms };

// The enumeration's names for a categorical field; empty for other fields.
std::vector<std::string> category_names(Codes codes) {
  if (codes == Codes::group) return group_names();
  if (codes == Codes::payer) return payer_names();
  return {};
}

template <class Record>
using FieldPtr = std::variant<std::vector<float> Record::*, std::vector<std::uint8_t> Record::*,
                              std::vector<std::uint16_t> Record::*>;

template <class Record>
struct FieldSpec {
  const char* name;
  const char* units;
  const char* long_name;
  Codes codes;
  FieldPtr<Record> field;
};

const FieldSpec<PanelMonth> kPanelFields[] = {
    {"net_income", "EUR", "net income in the month (cash basis)", Codes::none,
     &PanelMonth::net_income},
    {"paid_hours", "hours/month", "paid hours in the month", Codes::none, &PanelMonth::paid_hours},
    {"unpaid_hours", "hours/month", "unpaid search hours in the month", Codes::none,
     &PanelMonth::unpaid_hours},
    {"training_hours", "hours/month", "training hours in the month", Codes::none,
     &PanelMonth::training_hours},
    {"trained", "1", "1 if in training in any week of the month", Codes::none,
     &PanelMonth::trained},
    {"training_payer", "1", "who paid for the latest course", Codes::payer,
     &PanelMonth::training_payer},
    {"skill", "1", "skill in the worker's best sector (0..1), end of month", Codes::none,
     &PanelMonth::skill},
    {"cash", "EUR", "cash buffer, end of month", Codes::none, &PanelMonth::cash},
    {"group", "1", "reporting group", Codes::group, &PanelMonth::group},
    {"platforms", "bitmask", "platforms the worker is registered on", Codes::platforms,
     &PanelMonth::platforms},
};

const FieldSpec<WorkerSummaries> kWorkerFields[] = {
    {"mean_monthly_income", "EUR/month", "mean monthly net income over the window", Codes::none,
     &WorkerSummaries::mean_monthly_income},
    {"income_cv", "1", "coefficient of variation of monthly income (NaN if mean <= 0)", Codes::none,
     &WorkerSummaries::income_cv},
    {"dip_months", "months", "months more than 25% below own window mean", Codes::none,
     &WorkerSummaries::dip_months},
    {"large_swings", "count", "month-to-month income changes above 30%", Codes::none,
     &WorkerSummaries::large_swings},
    {"months_below_poverty", "months", "months below the poverty line", Codes::none,
     &WorkerSummaries::months_below_poverty},
    {"trained_last_12m", "1", "1 if trained in the last 12 months", Codes::none,
     &WorkerSummaries::trained_last_12m},
    {"training_hours_12m", "hours/12 months", "training hours in the last 12 months", Codes::none,
     &WorkerSummaries::training_hours_12m},
    {"training_payer", "1", "who paid for the latest course", Codes::payer,
     &WorkerSummaries::training_payer},
    {"group", "1", "reporting group", Codes::group, &WorkerSummaries::group},
    {"distance", "1",
     "distance from the labour market at the end (0: close; far workers start in [0.5, 1))",
     Codes::none, &WorkerSummaries::distance},
};

// The chunk cache of one panel dataset of `n` workers over `months` months: one row of chunks, so
// appending a month never evicts a partial chunk.
std::size_t panel_cache_bytes(hsize_t n, hsize_t months, std::size_t element) {
  const hsize_t chunk_workers = std::min(n, kPanelChunkWorkers);
  const hsize_t chunk_months = std::clamp<hsize_t>(months, 1, kPanelChunkMonths);
  const hsize_t chunks_per_row = (n + chunk_workers - 1) / chunk_workers;
  return std::min(kMaxChunkCacheBytes,
                  std::max<std::size_t>(std::size_t{1} << 20,
                                        chunks_per_row * chunk_months * chunk_workers * element));
}

template <class Record>
std::size_t field_size(const Record& r, const FieldPtr<Record>& f) {
  return std::visit([&](auto member) { return (r.*member).size(); }, f);
}

// Categorical fields carry CF flag attributes (their type is an HDF5 enumeration); the platform
// bitmask names its bits.
void write_codes(hid_t obj, Codes codes, const std::vector<std::string>& platform_names) {
  if (codes == Codes::platforms) {
    write_string_attr(obj, "codes", platform_bits(platform_names));
  } else if (codes != Codes::none) {
    write_flag_attrs(obj, category_names(codes));
  }
}

}  // namespace

struct Hdf5Writer::Impl {
  std::filesystem::path final_path;
  std::filesystem::path temp_path;
  Provenance provenance;
  h5::File file;

  bool started = false;
  bool ended = false;
  bool committed = false;
  bool failed = false;

  std::vector<std::string> platform_names;
  std::vector<StepTotals> steps;  // buffered, written at on_end (weeks are a few thousand)
  bool complete = true;
  std::string incomplete_reason;

  h5::Group panel;
  std::vector<h5::Dataset> panel_sets;    // kPanelFields order
  std::vector<h5::Datatype> panel_enums;  // enumeration types of the categorical panel fields
  std::vector<hid_t> panel_mem_types;     // memory type of each panel field
  h5::Dataset panel_month;
  std::size_t panel_workers = 0;
  hsize_t months_written = 0;
  std::uint32_t workers = 0;

  // Closes every object, then the file; returns false if closing the file failed.
  bool close_all() {
    panel_sets.clear();
    panel_enums.clear();
    panel_month.reset();
    panel.reset();
    return file.close() >= 0;
  }

  template <class F>
  void guarded(F&& body) {
    if (failed)
      throw OutputError("output file " + quoted(final_path) + ": an earlier write failed");
    if (committed) throw OutputError("output file " + quoted(final_path) + ": already committed");
    try {
      body();
    } catch (...) {
      failed = true;
      throw;
    }
  }

  void write_root_attributes(const RunInfo& info);
  void create_panel(const RunInfo& info);
  void append_month(const PanelMonth& month);
  void write_series();
  void write_workers(const WorkerSummaries& s);
  void write_summary(const WorkerSummaries& s);
};

Hdf5Writer::Hdf5Writer(std::filesystem::path path, Provenance provenance)
    : impl_(std::make_unique<Impl>()) {
  prepare_library();  // errors through OutputError; no HDF5 cleanup at exit
  Impl& w = *impl_;
  w.final_path = std::move(path);
  w.provenance = std::move(provenance);
  w.file = create_temporary(w.final_path, w.temp_path, "output file");
}

Hdf5Writer::~Hdf5Writer() {
  if (impl_ && !impl_->committed) {
    impl_->close_all();
    std::error_code ec;
    std::filesystem::remove(impl_->temp_path, ec);
  }
}

const std::filesystem::path& Hdf5Writer::temporary_path() const {
  return impl_->temp_path;
}

void Hdf5Writer::Impl::write_root_attributes(const RunInfo& info) {
  const hid_t root = file.get();
  write_string_attr(root, "file_type", kFileType);
  write_scalar_attr<std::int32_t>(root, "format_version", kFormatVersion);
  write_string_attr(root, "gigsim_version", provenance.gigsim_version);
  write_string_attr(root, "git_commit", provenance.git_commit);
  write_scalar_attr<std::uint64_t>(root, "seed", info.seed);
  write_string_attr(root, "seed_source", provenance.seed_source);
  write_scalar_attr<std::int32_t>(root, "threads", info.threads);
  write_scalar_attr<std::uint32_t>(root, "workers", info.workers);
  write_scalar_attr<std::uint32_t>(root, "weeks", info.weeks);
  write_scalar_attr<std::uint32_t>(root, "months", info.months);
  write_scalar_attr<std::int32_t>(root, "weeks_per_month", kWeeksPerMonth);
  write_string_attr(root, "scenario_file", provenance.scenario_file);
  write_string_attr(root, "scenario_yaml", provenance.scenario_yaml);
  write_string_attr(root, "scenario_hash", provenance.scenario_hash);
  write_string_attr(root, "label", provenance.label);
  if (!provenance.branched_from.empty())
    write_string_attr(root, "branched_from", provenance.branched_from);
  if (!provenance.resumed_from.empty())
    write_string_attr(root, "resumed_from", provenance.resumed_from);
  write_string_array_attr(root, "platform_names", info.platform_names);
  write_string_array_attr(root, "sector_names", info.sector_names);
}

void Hdf5Writer::Impl::create_panel(const RunInfo& info) {
  panel = create_group(file.get(), "panel");
  panel_workers = info.panel_workers.size();
  if (panel_workers == 0) return;

  h5::Dataset worker_id = write_vector(panel.get(), "worker_id", info.panel_workers, false);
  describe(worker_id.get(), "1", "worker id (index into /workers)");
  make_scale(worker_id, "worker");

  const hsize_t n = panel_workers;
  panel_month = create_dataset(panel.get(), "month", H5Type<std::uint32_t>::file(),
                               {{0}, {H5S_UNLIMITED}, {kPanelChunkMonths}});
  describe(panel_month.get(), "month", "month index, 0-based (4-week months)");
  make_scale(panel_month, "month");

  const hsize_t chunk_workers = std::min(n, kPanelChunkWorkers);
  const hsize_t chunk_months = std::clamp<hsize_t>(info.months, 1, kPanelChunkMonths);
  const hsize_t chunks_per_row = (n + chunk_workers - 1) / chunk_workers;
  for (const FieldSpec<PanelMonth>& f : kPanelFields) {
    hid_t file_type = std::visit(
        [](auto member) {
          using T = typename std::remove_reference_t<decltype(PanelMonth{}.*member)>::value_type;
          return H5Type<T>::file();
        },
        f.field);
    hid_t mem_type = std::visit(
        [](auto member) {
          using T = typename std::remove_reference_t<decltype(PanelMonth{}.*member)>::value_type;
          return H5Type<T>::mem();
        },
        f.field);
    if (const std::vector<std::string> names = category_names(f.codes); !names.empty()) {
      panel_enums.push_back(enum_type(names));
      file_type = mem_type = panel_enums.back().get();
    }
    panel_mem_types.push_back(mem_type);
    const std::size_t element = H5Tget_size(file_type);
    // Keep one row of chunks in the cache so appending a month never evicts a partial chunk.
    const std::string what = std::string("creating panel dataset '") + f.name + "'";
    h5::PropList dapl(H5Pcreate(H5P_DATASET_ACCESS), what);
    const std::size_t cache_bytes = panel_cache_bytes(n, info.months, element);
    h5::check(H5Pset_chunk_cache(dapl.get(), std::max<std::size_t>(521, chunks_per_row * 101 | 1),
                                 cache_bytes, 1.0),
              what);
    h5::Dataset ds =
        create_dataset(panel.get(), f.name, file_type,
                       {{0, n}, {H5S_UNLIMITED, n}, {chunk_months, chunk_workers}}, dapl.get());
    describe(ds.get(), f.units, f.long_name);
    write_codes(ds.get(), f.codes, info.platform_names);
    attach_scale(ds, panel_month, 0, "month");
    attach_scale(ds, worker_id, 1, "worker");
    panel_sets.push_back(std::move(ds));
  }
}

void Hdf5Writer::Impl::append_month(const PanelMonth& month) {
  for (const FieldSpec<PanelMonth>& f : kPanelFields) {
    if (field_size(month, f.field) != panel_workers) {
      throw OutputError("output file " + quoted(final_path) + ": panel month " +
                        std::to_string(month.month) + " field '" + f.name + "' has " +
                        std::to_string(field_size(month, f.field)) + " values, expected " +
                        std::to_string(panel_workers) + " (RunInfo.panel_workers)");
    }
  }
  const hsize_t m = months_written;
  const hsize_t n = panel_workers;
  auto append_row = [&](const h5::Dataset& ds, int rank, hid_t mem_type, const void* data) {
    const std::string what =
        "appending month " + std::to_string(month.month) + " to " + object_name(ds.get());
    const std::array<hsize_t, 2> extent{m + 1, n};
    h5::check(H5Dset_extent(ds.get(), extent.data()), what);
    h5::Dataspace file_space(H5Dget_space(ds.get()), what);
    const std::array<hsize_t, 2> start{m, 0};
    const std::array<hsize_t, 2> count{1, n};
    h5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                  count.data(), nullptr),
              what);
    const hsize_t mem_count = rank == 2 ? n : 1;
    h5::Dataspace mem_space(H5Screate_simple(1, &mem_count, nullptr), what);
    h5::check(H5Dwrite(ds.get(), mem_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
              what);
  };
  append_row(panel_month, 1, H5T_NATIVE_UINT32, &month.month);
  for (std::size_t i = 0; i < std::size(kPanelFields); ++i) {
    std::visit(
        [&](auto member) {
          append_row(panel_sets[i], 2, panel_mem_types[i], (month.*member).data());
        },
        kPanelFields[i].field);
  }
  ++months_written;
}

void Hdf5Writer::Impl::write_series() {
  h5::Group series = create_group(file.get(), "series");
  const std::span<const StepColumn> columns = step_columns();
  std::vector<h5::Dataset> sets;
  sets.reserve(columns.size());
  std::size_t step_index = columns.size();
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const StepColumn& col = columns[c];
    const std::string name(col.name);
    if (col.is_integer && col.unit == kEngineMoneyUnit) {
      std::vector<double> euros;
      euros.reserve(steps.size());
      for (const StepTotals& s : steps)
        euros.push_back(static_cast<double>(s.integers[col.index]) / kCentsPerEuro);
      sets.push_back(write_vector(series.get(), name.c_str(), euros, false));
    } else if (col.is_integer) {
      std::vector<std::int64_t> values;
      values.reserve(steps.size());
      for (const StepTotals& s : steps) values.push_back(s.integers[col.index]);
      sets.push_back(write_vector(series.get(), name.c_str(), values, false));
    } else {
      std::vector<double> values;
      values.reserve(steps.size());
      for (const StepTotals& s : steps) values.push_back(s.reals[col.index]);
      sets.push_back(write_vector(series.get(), name.c_str(), values, false));
    }
    describe(sets.back().get(), col.unit == kEngineMoneyUnit ? "EUR" : std::string(col.unit),
             std::string(col.description));
    if (col.name == "step") step_index = c;
  }
  if (step_index == columns.size()) {
    // step_columns() always has "step"; if it ever does not, the series stay without a scale.
    return;
  }
  make_scale(sets[step_index], "step");
  for (std::size_t c = 0; c < sets.size(); ++c) {
    if (c != step_index) attach_scale(sets[c], sets[step_index], 0, "step");
  }
}

void Hdf5Writer::Impl::write_workers(const WorkerSummaries& s) {
  const std::size_t n = s.group.size();
  for (const FieldSpec<WorkerSummaries>& f : kWorkerFields) {
    if (field_size(s, f.field) != n || n != workers) {
      throw OutputError("output file " + quoted(final_path) + ": worker summary field '" + f.name +
                        "' has " + std::to_string(field_size(s, f.field)) + " values, expected " +
                        std::to_string(workers) + " (RunInfo.workers)");
    }
  }
  h5::Group group = create_group(file.get(), "workers");
  write_scalar_attr<double>(group.get(), "poverty_line", s.poverty_line);
  write_scalar_attr<std::uint32_t>(group.get(), "months_observed", s.months_observed);

  std::vector<std::uint32_t> ids(n);
  for (std::size_t i = 0; i < n; ++i) ids[i] = static_cast<std::uint32_t>(i);
  h5::Dataset worker_id = write_vector(group.get(), "worker_id", ids, true);
  describe(worker_id.get(), "1", "worker id");
  make_scale(worker_id, "worker_all");
  for (const FieldSpec<WorkerSummaries>& f : kWorkerFields) {
    h5::Dataset ds;
    if (const std::vector<std::string> names = category_names(f.codes); !names.empty()) {
      ds = write_enum_vector(group.get(), f.name,
                             s.*std::get<std::vector<std::uint8_t> WorkerSummaries::*>(f.field),
                             names, true, f.long_name);
    } else {
      ds = std::visit(
          [&](auto member) { return write_vector(group.get(), f.name, s.*member, true); }, f.field);
      describe(ds.get(), f.units, f.long_name);
      write_codes(ds.get(), f.codes, platform_names);
    }
    attach_scale(ds, worker_id, 0, "worker_all");
  }
}

void Hdf5Writer::Impl::write_summary(const WorkerSummaries& s) {
  // Row "all" (every worker) first, then every group, also those without workers.
  WorkerSummaries everyone = s;
  std::fill(everyone.group.begin(), everyone.group.end(), std::uint8_t{0});
  std::vector<GroupSummary> groups = summarize_groups(s, kGroupCount);
  groups.insert(groups.begin(), summarize_groups(everyone, kGroupCount).front());
  h5::Group summary = create_group(file.get(), "summary");
  h5::Group table = create_group(summary.get(), "groups");
  std::vector<std::string> names = {"all"};
  std::vector<std::uint32_t> workers_per_group;
  for (std::size_t i = 1; i < groups.size(); ++i)
    names.emplace_back(group_name(static_cast<WorkerGroup>(groups[i].group)));
  for (const GroupSummary& g : groups) workers_per_group.push_back(g.workers);
  h5::Dataset group_coord = write_strings(table.get(), "group", names);
  describe(group_coord.get(), "1", "reporting group: all workers, then each group");
  make_scale(group_coord, "group");

  h5::Dataset count = write_vector(table.get(), "workers", workers_per_group, false);
  describe(count.get(), "workers", "workers in the group");
  attach_scale(count, group_coord, 0, "group");

  struct StatSpec {
    const char* name;
    const char* units;
    const char* long_name;
    GroupSummary::Stat GroupSummary::*stat;
  };
  const StatSpec stats[] = {
      {"mean_monthly_income", "EUR/month", "mean monthly net income",
       &GroupSummary::mean_monthly_income},
      {"income_cv", "1", "coefficient of variation of monthly income", &GroupSummary::income_cv},
      {"dip_months", "months", "dip months", &GroupSummary::dip_months},
      {"large_swings", "count", "large month-to-month swings", &GroupSummary::large_swings},
      {"months_below_poverty", "months", "months below the poverty line",
       &GroupSummary::months_below_poverty},
      {"trained_last_12m", "1", "share trained in the last 12 months",
       &GroupSummary::trained_last_12m},
  };
  for (const StatSpec& st : stats) {
    std::vector<double> mean, ci95;
    for (const GroupSummary& g : groups) {
      mean.push_back((g.*st.stat).mean);
      ci95.push_back((g.*st.stat).ci95);
    }
    h5::Dataset m = write_vector(table.get(), st.name, mean, false);
    describe(m.get(), st.units, std::string("group mean of ") + st.long_name);
    attach_scale(m, group_coord, 0, "group");
    const std::string ci_name = std::string(st.name) + "_ci95";
    h5::Dataset c = write_vector(table.get(), ci_name.c_str(), ci95, false);
    describe(c.get(), st.units,
             std::string("95% confidence half-width of the group mean of ") + st.long_name);
    attach_scale(c, group_coord, 0, "group");
  }
}

void Hdf5Writer::on_start(const RunInfo& info) {
  Impl& w = *impl_;
  w.guarded([&] {
    if (w.started) throw OutputError("output file " + quoted(w.final_path) + ": on_start twice");
    w.started = true;
    w.workers = info.workers;
    w.platform_names = info.platform_names;
    w.steps.reserve(info.weeks);
    w.write_root_attributes(info);
    w.create_panel(info);
  });
}

void Hdf5Writer::on_step(const StepTotals& totals) {
  Impl& w = *impl_;
  w.guarded([&] {
    if (!w.started || w.ended) {
      throw OutputError("output file " + quoted(w.final_path) + ": on_step outside the run");
    }
    w.steps.push_back(totals);
  });
}

void Hdf5Writer::on_month(const PanelMonth& month) {
  Impl& w = *impl_;
  w.guarded([&] {
    if (!w.started || w.ended) {
      throw OutputError("output file " + quoted(w.final_path) + ": on_month outside the run");
    }
    if (w.panel_workers > 0) w.append_month(month);
  });
}

void Hdf5Writer::on_end(const WorkerSummaries& summaries) {
  Impl& w = *impl_;
  w.guarded([&] {
    if (!w.started || w.ended) {
      throw OutputError("output file " + quoted(w.final_path) + ": on_end outside the run");
    }
    w.write_series();
    w.write_workers(summaries);
    w.write_summary(summaries);
    w.steps = {};
    w.ended = true;
  });
}

void Hdf5Writer::mark_incomplete(const std::string& reason) {
  impl_->complete = false;
  impl_->incomplete_reason = reason;
}

void Hdf5Writer::commit() {
  Impl& w = *impl_;
  w.guarded([&] {
    if (!w.ended) {
      throw OutputError("output file " + quoted(w.final_path) +
                        ": commit() called before the run ended (on_end)");
    }
    // 1 for a run that reached its last week; 0 for one stopped early (then with the reason).
    write_scalar_attr<std::uint8_t>(w.file.get(), "complete", w.complete ? 1 : 0);
    if (!w.complete) write_string_attr(w.file.get(), "incomplete_reason", w.incomplete_reason);
    if (!w.close_all()) h5::fail("closing " + quoted(w.temp_path));
    commit_temporary(w.temp_path, w.final_path);
    w.committed = true;
  });
}

std::uint64_t estimate_writer_bytes(const ScenarioSpec& spec) {
  std::uint64_t panel = 0;
  if (spec.output.panel == PanelMode::all) panel = spec.workers.count;
  if (spec.output.panel == PanelMode::sampled)
    panel = std::min<std::uint64_t>(spec.workers.count, spec.output.panel_workers);
  if (panel == 0) return 0;
  const hsize_t months = spec.run.weeks / kWeeksPerMonth;
  std::uint64_t bytes = 0;
  for (const FieldSpec<PanelMonth>& f : kPanelFields) {
    const std::size_t element = std::visit(
        [](auto member) {
          return sizeof(
              typename std::remove_reference_t<decltype(PanelMonth{}.*member)>::value_type);
        },
        f.field);
    // The cache, the month's values on their way in, and as much again for compression.
    bytes += 2 * (panel_cache_bytes(panel, months, element) + panel * element);
  }
  return bytes;
}

}  // namespace gigsim::output
