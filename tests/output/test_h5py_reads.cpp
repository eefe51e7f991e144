// A run file opens in Python with h5py: strings come back as str, series and panel as arrays,
// dimension scales as named dimensions. Skipped where /usr/bin/python3 or h5py is missing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "gigsim/output.hpp"
#include "test_support.hpp"

namespace gigsim::output {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// Runs `command`, returns its exit status and fills `output` with stdout+stderr.
int run_command(const std::string& command, std::string& output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  return ::pclose(pipe);
}

TEST(Hdf5WriterPython, H5pyReadsSeriesAndPanel) {
  std::string probe;
  if (!std::filesystem::exists(kPython) ||
      run_command(std::string(kPython) + " -c 'import h5py, numpy'", probe) != 0) {
    GTEST_SKIP() << "no /usr/bin/python3 with h5py: " << probe;
  }
  testing::ScratchDir dir("h5py");
  const std::filesystem::path path = dir.path() / "run.h5";
  const testing::SyntheticRun run = testing::make_run();
  {
    Hdf5Writer writer(path,
                      {"0.1.0", "unknown", "s.yaml", "seed: 42\n", "default", "", "", "", ""});
    testing::feed(writer, run);
    writer.commit();
  }
  const std::string script = R"PY(
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["file_type"] == "gigsim-run", repr(f.attrs["file_type"])
    assert isinstance(f.attrs["scenario_yaml"], str)
    assert int(f.attrs["format_version"]) == 2
    assert int(f.attrs["seed"]) == 0xFEEDFACECAFEBEEF
    assert list(f.attrs["platform_names"]) == ["gigly", "drivers_coop"], f.attrs["platform_names"]
    pay = f["series/client_paid"]
    assert pay.dtype == np.float64 and pay.shape == (12,)
    assert (pay[:] == (100000 + np.arange(12)) / 100.0).all(), pay[:]
    assert pay.attrs["units"] == "EUR"
    assert pay.dims[0][0].name == "/series/step"
    group = f["workers/group"]
    assert h5py.check_enum_dtype(group.dtype) == {"platform_only": 0, "coop_member": 1,
        "platform_coop_member": 2, "pooled_worker": 3, "wise_employee": 4}, group.dtype
    names = [n.decode() if isinstance(n, bytes) else n for n in f["summary/groups/group"][:]]
    assert names[0] == "all" and names[1:3] == ["platform_only", "coop_member"], names
    hours = f["series/paid_hours"][:]
    assert np.allclose(hours, 1.5 * np.arange(12))
    inc = f["panel/net_income"]
    assert inc.shape == (3, 3), inc.shape
    assert inc[2, 1] == 1201.0, inc[:]
    assert list(f["panel/worker_id"][:]) == [0, 2, 5]
    assert inc.dims[0].label == "month" and inc.dims[1].label == "worker"
    assert f["workers"].attrs["poverty_line"] == 612.5
print("ok")
)PY";
  const std::filesystem::path script_path = dir.path() / "check.py";
  {
    std::ofstream out(script_path);
    out << script;
  }
  std::string output;
  const int status =
      run_command(std::string(kPython) + " " + script_path.string() + " " + path.string(), output);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("ok"), std::string::npos) << output;
}

// analysis/gigsim_analysis/io.py reads a file from the real writer (its unit tests, with
// GIGSIM_TEST_RUN_FILE set so the cross-language case runs too), with the interpreter the
// analysis package is installed for (the build's analysis-env).
TEST(Hdf5WriterPython, AnalysisReaderOpensWriterOutput) {
  std::string probe;
  const std::string python = GIGSIM_ANALYSIS_PYTHON;
  const std::filesystem::path test_io =
      std::filesystem::path(GIGSIM_SOURCE_DIR) / "analysis" / "tests" / "test_io.py";
  ASSERT_TRUE(std::filesystem::exists(test_io));
  if (!std::filesystem::exists(python) ||
      run_command(python + " -c 'import gigsim_analysis'", probe) != 0) {
    GTEST_SKIP() << python
                 << " has no gigsim_analysis (built with GIGSIM_ANALYSIS_ENV=OFF?): " << probe;
  }
  testing::ScratchDir dir("analysis-io");
  const std::filesystem::path path = dir.path() / "run.h5";
  {
    Hdf5Writer writer(path,
                      {"0.1.0", "unknown", "s.yaml", "seed: 42\n", "default", "", "", "", ""});
    testing::feed(writer, testing::make_run());
    writer.commit();
  }
  std::string output;
  const int status = run_command("PYTHONDONTWRITEBYTECODE=1 GIGSIM_TEST_RUN_FILE=" + path.string() +
                                     " " + python + " " + test_io.string() + " -v",
                                 output);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("test_reads_file_from_cpp_writer (__main__.OpenRunTest"), std::string::npos)
      << output;
  EXPECT_EQ(output.find("skipped"), std::string::npos) << output;
}

}  // namespace
}  // namespace gigsim::output
