// Hdf5Writer: write a synthetic run, read it back with the HDF5 C API, and check every part of
// the layout in docs/output-format.md, plus atomic commit and failure paths.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gigsim/output.hpp"
#include "hdf5_handles.hpp"
#include "test_support.hpp"

namespace gigsim::output {
namespace {

using testing::feed;
using testing::make_run;
using testing::read_bytes;
using testing::ScratchDir;
using testing::SyntheticRun;

Provenance make_provenance() {
  return {"0.1.0",
          "0123456789abcdef0123456789abcdef01234567",
          "scenarios/tiny.yaml",
          "# résumé: UTF-8 text\nseed: 42\nworkers: 6\n",
          "command line",
          "",
          "",
          "5e1f0a2b3c4d5e6f708192a3b4c5d6e7",
          "coop, fee 6.5%"};
}

void write_run(const std::filesystem::path& path, const SyntheticRun& run) {
  Hdf5Writer writer(path, make_provenance());
  feed(writer, run);
  writer.commit();
}

// ---- small readers over the C API, with the same RAII handles as the writer

h5::File open_file(const std::filesystem::path& p) {
  return h5::File(H5Fopen(p.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "open " + p.string());
}

std::string read_string_attr(hid_t obj, const char* name) {
  h5::Attribute attr(H5Aopen(obj, name, H5P_DEFAULT), name);
  h5::Datatype type(H5Aget_type(attr.get()), name);
  EXPECT_EQ(H5Tget_class(type.get()), H5T_STRING) << name;
  EXPECT_GT(H5Tis_variable_str(type.get()), 0) << name;
  EXPECT_EQ(H5Tget_cset(type.get()), H5T_CSET_UTF8) << name;
  h5::Datatype mem(H5Tcopy(H5T_C_S1), name);
  H5Tset_size(mem.get(), H5T_VARIABLE);
  H5Tset_cset(mem.get(), H5T_CSET_UTF8);
  char* text = nullptr;
  h5::check(H5Aread(attr.get(), mem.get(), &text), name);
  std::string value = text != nullptr ? text : "";
  H5free_memory(text);
  return value;
}

std::vector<std::string> read_string_array_attr(hid_t obj, const char* name) {
  h5::Attribute attr(H5Aopen(obj, name, H5P_DEFAULT), name);
  h5::Dataspace space(H5Aget_space(attr.get()), name);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  h5::Datatype mem(H5Tcopy(H5T_C_S1), name);
  H5Tset_size(mem.get(), H5T_VARIABLE);
  H5Tset_cset(mem.get(), H5T_CSET_UTF8);
  std::vector<char*> text(static_cast<std::size_t>(n), nullptr);
  std::vector<std::string> values;
  if (n == 0) return values;
  h5::check(H5Aread(attr.get(), mem.get(), text.data()), name);
  for (char* t : text) {
    values.emplace_back(t);
    H5free_memory(t);
  }
  return values;
}

// A 1-D variable-length UTF-8 string dataset.
std::vector<std::string> read_strings(hid_t file, const char* path) {
  h5::Dataset ds(H5Dopen2(file, path, H5P_DEFAULT), path);
  h5::Dataspace space(H5Dget_space(ds.get()), path);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  h5::Datatype mem(H5Tcopy(H5T_C_S1), path);
  H5Tset_size(mem.get(), H5T_VARIABLE);
  H5Tset_cset(mem.get(), H5T_CSET_UTF8);
  std::vector<char*> text(static_cast<std::size_t>(n), nullptr);
  std::vector<std::string> values;
  if (n == 0) return values;
  h5::check(H5Dread(ds.get(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), path);
  for (char* t : text) values.emplace_back(t);
  H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, text.data());
  return values;
}

// The member names of an enumeration dataset, by value 0, 1, ...
std::vector<std::string> enum_names(hid_t file, const char* path) {
  h5::Dataset ds(H5Dopen2(file, path, H5P_DEFAULT), path);
  h5::Datatype type(H5Dget_type(ds.get()), path);
  EXPECT_EQ(H5Tget_class(type.get()), H5T_ENUM) << path;
  std::vector<std::string> names;
  for (int i = 0; i < H5Tget_nmembers(type.get()); ++i) {
    std::uint8_t value = 0;
    H5Tget_member_value(type.get(), static_cast<unsigned>(i), &value);
    char* name = H5Tget_member_name(type.get(), static_cast<unsigned>(i));
    EXPECT_EQ(value, i) << path;
    names.emplace_back(name);
    H5free_memory(name);
  }
  return names;
}

template <class T>
T read_scalar_attr(hid_t obj, const char* name, hid_t mem_type, H5T_class_t expected_class) {
  h5::Attribute attr(H5Aopen(obj, name, H5P_DEFAULT), name);
  h5::Datatype type(H5Aget_type(attr.get()), name);
  EXPECT_EQ(H5Tget_class(type.get()), expected_class) << name;
  T value{};
  h5::check(H5Aread(attr.get(), mem_type, &value), name);
  return value;
}

std::vector<hsize_t> dims_of(hid_t ds) {
  h5::Dataspace space(H5Dget_space(ds), "space");
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

template <class T>
std::vector<T> read_dataset(hid_t file, const std::string& path, hid_t mem_type,
                            std::vector<hsize_t>* dims = nullptr) {
  h5::Dataset ds(H5Dopen2(file, path.c_str(), H5P_DEFAULT), path);
  const std::vector<hsize_t> d = dims_of(ds.get());
  std::size_t n = 1;
  for (hsize_t x : d) n *= x;
  std::vector<T> values(n);
  if (n > 0)
    h5::check(H5Dread(ds.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path);
  if (dims != nullptr) *dims = d;
  return values;
}

bool scale_attached(hid_t file, const std::string& data, const std::string& scale, unsigned dim) {
  h5::Dataset ds(H5Dopen2(file, data.c_str(), H5P_DEFAULT), data);
  h5::Dataset sc(H5Dopen2(file, scale.c_str(), H5P_DEFAULT), scale);
  return H5DSis_scale(sc.get()) > 0 && H5DSis_attached(ds.get(), sc.get(), dim) > 0;
}

std::string scale_name(hid_t file, const std::string& scale) {
  h5::Dataset sc(H5Dopen2(file, scale.c_str(), H5P_DEFAULT), scale);
  char name[64] = {};
  H5DSget_scale_name(sc.get(), name, sizeof name);
  return name;
}

bool exists(hid_t file, const char* path) {
  return H5Lexists(file, path, H5P_DEFAULT) > 0;
}

// ---- the file as a whole

class Hdf5WriterFile : public ::testing::Test {
 protected:
  void SetUp() override {
    run_ = make_run();
    write_run(path_, run_);
    file_ = open_file(path_);
  }
  ScratchDir dir_{"file"};
  std::filesystem::path path_ = dir_.path() / "run.h5";
  SyntheticRun run_;
  h5::File file_;
};

TEST_F(Hdf5WriterFile, LeavesOnlyTheFinalFile) {
  EXPECT_EQ(dir_.entries(), std::vector<std::string>{"run.h5"});
}

TEST_F(Hdf5WriterFile, RootAttributesDescribeTheRun) {
  const hid_t root = file_.get();
  EXPECT_EQ(read_string_attr(root, "file_type"), "gigsim-run");
  EXPECT_EQ(read_scalar_attr<int>(root, "format_version", H5T_NATIVE_INT, H5T_INTEGER),
            kFormatVersion);
  EXPECT_EQ(read_string_attr(root, "gigsim_version"), "0.1.0");
  EXPECT_EQ(read_string_attr(root, "git_commit"), make_provenance().git_commit);
  EXPECT_EQ(read_scalar_attr<std::uint64_t>(root, "seed", H5T_NATIVE_UINT64, H5T_INTEGER),
            run_.info.seed);
  EXPECT_EQ(read_string_attr(root, "seed_source"), "command line");
  EXPECT_EQ(read_scalar_attr<int>(root, "threads", H5T_NATIVE_INT, H5T_INTEGER), 4);
  EXPECT_EQ(read_scalar_attr<std::uint32_t>(root, "workers", H5T_NATIVE_UINT32, H5T_INTEGER), 6u);
  EXPECT_EQ(read_scalar_attr<std::uint32_t>(root, "weeks", H5T_NATIVE_UINT32, H5T_INTEGER), 12u);
  EXPECT_EQ(read_scalar_attr<std::uint32_t>(root, "months", H5T_NATIVE_UINT32, H5T_INTEGER), 3u);
  EXPECT_EQ(read_string_attr(root, "scenario_file"), "scenarios/tiny.yaml");
  EXPECT_EQ(read_string_attr(root, "scenario_yaml"), make_provenance().scenario_yaml);
  EXPECT_EQ(read_string_attr(root, "scenario_hash"), make_provenance().scenario_hash);
  EXPECT_EQ(read_string_attr(root, "label"), "coop, fee 6.5%");
  EXPECT_EQ(read_string_array_attr(root, "platform_names"), run_.info.platform_names);
  EXPECT_EQ(read_string_array_attr(root, "sector_names"), run_.info.sector_names);
}

TEST_F(Hdf5WriterFile, EverySeriesColumnHasValuesAndUnits) {
  for (const StepColumn& col : step_columns()) {
    const std::string path = "/series/" + std::string(col.name);
    SCOPED_TRACE(path);
    ASSERT_TRUE(exists(file_.get(), path.c_str()));
    h5::Dataset ds(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), path);
    const bool money = col.unit == "EUR cents";
    EXPECT_EQ(read_string_attr(ds.get(), "units"), money ? "EUR" : col.unit);
    EXPECT_EQ(read_string_attr(ds.get(), "long_name"), col.description);
    h5::Datatype type(H5Dget_type(ds.get()), path);
    std::vector<hsize_t> dims;
    if (money) {
      // Integer cents in the engine, EUR in the file: cents / 100, the nearest double.
      EXPECT_TRUE(H5Tequal(type.get(), H5T_IEEE_F64LE) > 0);
      const auto values = read_dataset<double>(file_.get(), path, H5T_NATIVE_DOUBLE, &dims);
      ASSERT_EQ(values.size(), run_.steps.size());
      for (std::size_t i = 0; i < values.size(); ++i) {
        const std::int64_t cents = run_.steps[i].integers[col.index];
        EXPECT_EQ(values[i], static_cast<double>(cents) / 100.0);
        EXPECT_EQ(std::llround(values[i] * 100.0), cents);  // the cents are recoverable exactly
      }
    } else if (col.is_integer) {
      EXPECT_TRUE(H5Tequal(type.get(), H5T_STD_I64LE) > 0);
      const auto values = read_dataset<std::int64_t>(file_.get(), path, H5T_NATIVE_INT64, &dims);
      ASSERT_EQ(values.size(), run_.steps.size());
      for (std::size_t i = 0; i < values.size(); ++i)
        EXPECT_EQ(values[i], run_.steps[i].integers[col.index]);
    } else {
      EXPECT_TRUE(H5Tequal(type.get(), H5T_IEEE_F64LE) > 0);
      const auto values = read_dataset<double>(file_.get(), path, H5T_NATIVE_DOUBLE, &dims);
      ASSERT_EQ(values.size(), run_.steps.size());
      for (std::size_t i = 0; i < values.size(); ++i)
        EXPECT_EQ(values[i], run_.steps[i].reals[col.index]);
    }
    EXPECT_EQ(dims, std::vector<hsize_t>{12});
    if (col.name != "step") {
      EXPECT_TRUE(scale_attached(file_.get(), path, "/series/step", 0));
    }
  }
  EXPECT_EQ(scale_name(file_.get(), "/series/step"), "step");
}

TEST_F(Hdf5WriterFile, PanelHasMonthByWorkerValues) {
  const std::size_t n = run_.info.panel_workers.size();
  std::vector<hsize_t> dims;
  const auto ids = read_dataset<std::uint32_t>(file_.get(), "/panel/worker_id", H5T_NATIVE_UINT32);
  EXPECT_EQ(ids, run_.info.panel_workers);
  const auto months = read_dataset<std::uint32_t>(file_.get(), "/panel/month", H5T_NATIVE_UINT32);
  EXPECT_EQ(months, (std::vector<std::uint32_t>{0, 1, 2}));
  EXPECT_EQ(scale_name(file_.get(), "/panel/worker_id"), "worker");
  EXPECT_EQ(scale_name(file_.get(), "/panel/month"), "month");

  const auto income =
      read_dataset<float>(file_.get(), "/panel/net_income", H5T_NATIVE_FLOAT, &dims);
  EXPECT_EQ(dims, (std::vector<hsize_t>{3, n}));
  for (std::size_t m = 0; m < 3; ++m) {
    for (std::size_t j = 0; j < n; ++j) {
      EXPECT_EQ(income[m * n + j], run_.months[m].net_income[j]) << m << "," << j;
    }
  }
  const auto platforms =
      read_dataset<std::uint16_t>(file_.get(), "/panel/platforms", H5T_NATIVE_UINT16);
  EXPECT_EQ(platforms[1 * n + 2], run_.months[1].platforms[2]);
  const auto payer =
      read_dataset<std::uint8_t>(file_.get(), "/panel/training_payer", H5T_NATIVE_UINT8);
  EXPECT_EQ(payer[2 * n + 1], run_.months[2].training_payer[1]);

  for (const char* name : {"net_income", "paid_hours", "unpaid_hours", "training_hours", "trained",
                           "training_payer", "skill", "cash", "group", "platforms"}) {
    const std::string path = std::string("/panel/") + name;
    SCOPED_TRACE(path);
    h5::Dataset ds(H5Dopen2(file_.get(), path.c_str(), H5P_DEFAULT), path);
    EXPECT_EQ(dims_of(ds.get()), (std::vector<hsize_t>{3, n}));
    EXPECT_FALSE(read_string_attr(ds.get(), "units").empty());
    EXPECT_FALSE(read_string_attr(ds.get(), "long_name").empty());
    EXPECT_TRUE(scale_attached(file_.get(), path, "/panel/month", 0));
    EXPECT_TRUE(scale_attached(file_.get(), path, "/panel/worker_id", 1));
    // chunked, shuffled, deflated, extendible along month
    h5::PropList dcpl(H5Dget_create_plist(ds.get()), path);
    EXPECT_EQ(H5Pget_layout(dcpl.get()), H5D_CHUNKED);
    EXPECT_EQ(H5Pget_nfilters(dcpl.get()), 2);
    h5::Dataspace space(H5Dget_space(ds.get()), path);
    hsize_t max_dims[2] = {};
    H5Sget_simple_extent_dims(space.get(), nullptr, max_dims);
    EXPECT_EQ(max_dims[0], H5S_UNLIMITED);
  }
  const std::vector<std::string> groups = {"platform_only", "coop_member", "platform_coop_member",
                                           "pooled_worker", "wise_employee"};
  const std::vector<std::string> payers = {"none", "self", "cooperative", "employer", "public"};
  EXPECT_EQ(enum_names(file_.get(), "/panel/group"), groups);
  EXPECT_EQ(enum_names(file_.get(), "/panel/training_payer"), payers);
  h5::Dataset group(H5Dopen2(file_.get(), "/panel/group", H5P_DEFAULT), "group");
  EXPECT_EQ(read_string_attr(group.get(), "flag_meanings"),
            "platform_only coop_member platform_coop_member pooled_worker wise_employee");
  h5::Dataset payer_ds(H5Dopen2(file_.get(), "/panel/training_payer", H5P_DEFAULT), "payer");
  EXPECT_EQ(read_string_attr(payer_ds.get(), "flag_meanings"),
            "none self cooperative employer public");
  h5::Dataset platforms_ds(H5Dopen2(file_.get(), "/panel/platforms", H5P_DEFAULT), "platforms");
  EXPECT_EQ(read_string_attr(platforms_ds.get(), "codes"), "bit0=gigly,bit1=drivers_coop");
}

TEST_F(Hdf5WriterFile, WorkerSummariesCoverAllWorkers) {
  h5::Group workers(H5Gopen2(file_.get(), "/workers", H5P_DEFAULT), "workers");
  EXPECT_EQ(read_scalar_attr<double>(workers.get(), "poverty_line", H5T_NATIVE_DOUBLE, H5T_FLOAT),
            612.5);
  EXPECT_EQ(read_scalar_attr<std::uint32_t>(workers.get(), "months_observed", H5T_NATIVE_UINT32,
                                            H5T_INTEGER),
            3u);
  const auto ids =
      read_dataset<std::uint32_t>(file_.get(), "/workers/worker_id", H5T_NATIVE_UINT32);
  EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(scale_name(file_.get(), "/workers/worker_id"), "worker_all");
  const WorkerSummaries& s = run_.summaries;
  EXPECT_EQ(read_dataset<float>(file_.get(), "/workers/mean_monthly_income", H5T_NATIVE_FLOAT),
            s.mean_monthly_income);
  EXPECT_EQ(read_dataset<float>(file_.get(), "/workers/income_cv", H5T_NATIVE_FLOAT), s.income_cv);
  EXPECT_EQ(read_dataset<std::uint8_t>(file_.get(), "/workers/dip_months", H5T_NATIVE_UINT8),
            s.dip_months);
  EXPECT_EQ(read_dataset<std::uint8_t>(file_.get(), "/workers/large_swings", H5T_NATIVE_UINT8),
            s.large_swings);
  EXPECT_EQ(
      read_dataset<std::uint8_t>(file_.get(), "/workers/months_below_poverty", H5T_NATIVE_UINT8),
      s.months_below_poverty);
  EXPECT_EQ(read_dataset<std::uint8_t>(file_.get(), "/workers/trained_last_12m", H5T_NATIVE_UINT8),
            s.trained_last_12m);
  EXPECT_EQ(read_dataset<float>(file_.get(), "/workers/training_hours_12m", H5T_NATIVE_FLOAT),
            s.training_hours_12m);
  EXPECT_EQ(read_dataset<std::uint8_t>(file_.get(), "/workers/training_payer", H5T_NATIVE_UINT8),
            s.training_payer);
  EXPECT_EQ(read_dataset<float>(file_.get(), "/workers/distance", H5T_NATIVE_FLOAT), s.distance);
  EXPECT_EQ(read_dataset<std::uint8_t>(file_.get(), "/workers/group", H5T_NATIVE_UINT8), s.group);
  EXPECT_EQ(enum_names(file_.get(), "/workers/group").size(), 5u);
  EXPECT_EQ(enum_names(file_.get(), "/workers/training_payer").size(), 5u);
  EXPECT_TRUE(scale_attached(file_.get(), "/workers/income_cv", "/workers/worker_id", 0));
}

TEST_F(Hdf5WriterFile, SummaryGroupsMatchSummarizeGroups) {
  // Row 0 is every worker: the summary of the run with everybody in one group.
  std::vector<GroupSummary> expected = summarize_groups(run_.summaries, kGroupCount);
  WorkerSummaries everyone = run_.summaries;
  std::fill(everyone.group.begin(), everyone.group.end(), std::uint8_t{0});
  expected.insert(expected.begin(), summarize_groups(everyone, kGroupCount).front());
  EXPECT_EQ(read_strings(file_.get(), "/summary/groups/group"),
            (std::vector<std::string>{"all", "platform_only", "coop_member", "platform_coop_member",
                                      "pooled_worker", "wise_employee"}));
  EXPECT_EQ(scale_name(file_.get(), "/summary/groups/group"), "group");
  const auto workers =
      read_dataset<std::uint32_t>(file_.get(), "/summary/groups/workers", H5T_NATIVE_UINT32);
  const auto income =
      read_dataset<double>(file_.get(), "/summary/groups/mean_monthly_income", H5T_NATIVE_DOUBLE);
  const auto income_ci = read_dataset<double>(
      file_.get(), "/summary/groups/mean_monthly_income_ci95", H5T_NATIVE_DOUBLE);
  const auto trained =
      read_dataset<double>(file_.get(), "/summary/groups/trained_last_12m", H5T_NATIVE_DOUBLE);
  ASSERT_EQ(workers.size(), expected.size());
  EXPECT_EQ(workers[0], run_.summaries.group.size());
  for (std::size_t g = 0; g < expected.size(); ++g) {
    EXPECT_EQ(workers[g], expected[g].workers);
    EXPECT_EQ(income[g], expected[g].mean_monthly_income.mean);
    EXPECT_EQ(income_ci[g], expected[g].mean_monthly_income.ci95);
    EXPECT_EQ(trained[g], expected[g].trained_last_12m.mean);
  }
  EXPECT_TRUE(
      scale_attached(file_.get(), "/summary/groups/income_cv_ci95", "/summary/groups/group", 0));
}

// ---- determinism, empty panel, replacement

TEST(Hdf5Writer, IdenticalRunsGiveByteIdenticalFiles) {
  ScratchDir dir("identical");
  const SyntheticRun run = make_run();
  write_run(dir.path() / "a.h5", run);
  write_run(dir.path() / "b.h5", run);
  EXPECT_EQ(read_bytes(dir.path() / "a.h5"), read_bytes(dir.path() / "b.h5"));
}

TEST(Hdf5Writer, EmptyPanelStillGivesAValidFile) {
  ScratchDir dir("empty-panel");
  const std::filesystem::path path = dir.path() / "run.h5";
  write_run(path, make_run(6, 3, {}));
  h5::File file = open_file(path);
  EXPECT_EQ(read_string_attr(file.get(), "file_type"), "gigsim-run");
  h5::Group panel(H5Gopen2(file.get(), "/panel", H5P_DEFAULT), "panel");
  H5G_info_t info{};
  ASSERT_GE(H5Gget_info(panel.get(), &info), 0);
  EXPECT_EQ(info.nlinks, 0u);
  EXPECT_EQ(read_dataset<std::int64_t>(file.get(), "/series/step", H5T_NATIVE_INT64).size(), 12u);
  EXPECT_EQ(read_dataset<float>(file.get(), "/workers/income_cv", H5T_NATIVE_FLOAT).size(), 6u);
}

TEST(Hdf5Writer, ManyPanelWorkersSpanSeveralChunks) {
  ScratchDir dir("big-panel");
  const std::filesystem::path path = dir.path() / "run.h5";
  std::vector<std::uint32_t> panel(2500);
  for (std::uint32_t i = 0; i < panel.size(); ++i) panel[i] = i;
  const SyntheticRun run = make_run(2500, 14, panel);
  write_run(path, run);
  h5::File file = open_file(path);
  std::vector<hsize_t> dims;
  const auto cash = read_dataset<float>(file.get(), "/panel/cash", H5T_NATIVE_FLOAT, &dims);
  EXPECT_EQ(dims, (std::vector<hsize_t>{14, 2500}));
  EXPECT_EQ(cash[13 * 2500 + 2499], run.months[13].cash[2499]);
  EXPECT_EQ(cash[7 * 2500 + 1024], run.months[7].cash[1024]);
}

TEST(Hdf5Writer, CommitReplacesAnExistingFile) {
  ScratchDir dir("replace");
  const std::filesystem::path path = dir.path() / "run.h5";
  std::ofstream(path) << "old contents";
  write_run(path, make_run());
  h5::File file = open_file(path);
  EXPECT_EQ(read_string_attr(file.get(), "file_type"), "gigsim-run");
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"run.h5"});
}

// ---- atomicity and failure paths

TEST(Hdf5Writer, DestroyedWithoutCommitLeavesNothing) {
  ScratchDir dir("no-commit");
  const std::filesystem::path path = dir.path() / "run.h5";
  {
    Hdf5Writer writer(path, make_provenance());
    EXPECT_TRUE(std::filesystem::exists(writer.temporary_path()));
    EXPECT_EQ(writer.temporary_path().parent_path(), dir.path());
    EXPECT_EQ(writer.temporary_path().filename().string().rfind("run.h5.tmp-", 0), 0u);
    feed(writer, make_run());
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(Hdf5Writer, FailedWriteLeavesExistingFileUntouched) {
  ScratchDir dir("failed-write");
  const std::filesystem::path path = dir.path() / "run.h5";
  write_run(path, make_run());
  const std::string before = read_bytes(path);
  SyntheticRun bad = make_run(6, 3, {0, 2, 5}, true);
  bad.months[1].cash.pop_back();  // wrong length: the writer must refuse
  {
    Hdf5Writer writer(path, make_provenance());
    writer.on_start(bad.info);
    writer.on_month(bad.months[0]);
    try {
      writer.on_month(bad.months[1]);
      FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
      EXPECT_NE(std::string(e.what()).find("'cash' has 2 values, expected 3"), std::string::npos)
          << e.what();
    }
    EXPECT_THROW(writer.on_end(bad.summaries), OutputError);
    EXPECT_THROW(writer.commit(), OutputError);
  }
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"run.h5"});
}

TEST(Hdf5Writer, CommitBeforeOnEndThrows) {
  ScratchDir dir("early-commit");
  const std::filesystem::path path = dir.path() / "run.h5";
  {
    Hdf5Writer writer(path, make_provenance());
    const SyntheticRun run = make_run();
    writer.on_start(run.info);
    writer.on_step(run.steps[0]);
    try {
      writer.commit();
      FAIL() << "expected OutputError";
    } catch (const OutputError& e) {
      EXPECT_NE(std::string(e.what()).find("on_end"), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(dir.entries().empty());
}

TEST(Hdf5Writer, WorkerSummaryOfWrongLengthThrows) {
  ScratchDir dir("bad-summary");
  SyntheticRun run = make_run();
  run.summaries.income_cv.pop_back();
  Hdf5Writer writer(dir.path() / "run.h5", make_provenance());
  EXPECT_THROW(feed(writer, run), OutputError);
}

TEST(Hdf5Writer, MissingDirectoryThrowsOutputError) {
  ScratchDir dir("missing-dir");
  const std::filesystem::path path = dir.path() / "no" / "such" / "run.h5";
  try {
    Hdf5Writer writer(path, make_provenance());
    FAIL() << "expected OutputError";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("not writable"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(path.string()), std::string::npos) << e.what();
  }
}

TEST(Hdf5Writer, ReadOnlyDirectoryThrowsOutputError) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write to read-only directories";
  ScratchDir dir("read-only");
  std::filesystem::permissions(
      dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  EXPECT_THROW(Hdf5Writer(dir.path() / "run.h5", make_provenance()), OutputError);
}

TEST(Hdf5Writer, PathThatIsADirectoryFailsAtCommit) {
  ScratchDir dir("target-is-dir");
  const std::filesystem::path path = dir.path() / "run.h5";
  std::filesystem::create_directories(path / "inside");
  {
    Hdf5Writer writer(path, make_provenance());
    feed(writer, make_run());
    EXPECT_THROW(writer.commit(), OutputError);
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"run.h5"});
  EXPECT_TRUE(std::filesystem::is_directory(path / "inside"));
}

}  // namespace
}  // namespace gigsim::output
