// `gigsim run -r R`: R replications of one scenario (independent seeds) in one folder, each a
// complete run file, with a manifest that `gigsim report` reads (docs/output-format.md
// "Replication folders"). The folder is built under a temporary name beside its destination and
// renamed into place, so a failed run leaves no half folder and an existing one untouched.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "gigsim/scenario.hpp"
#include "gigsim/validate.hpp"
#include "run_setup.hpp"

namespace gigsim::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = "manifest.json";
constexpr const char* kFolderType = "gigsim-replications";
constexpr int kFolderVersion = 1;

std::string replication_file(int r) {
  return fmt::format("rep{:03d}.h5", r);
}

// Refuses a destination that exists and is not an earlier replication folder (or empty).
void check_destination(const fs::path& folder) {
  std::error_code ec;
  if (!fs::exists(folder, ec)) return;
  if (!fs::is_directory(folder, ec))
    throw UsageError("run", folder.string() +
                                " exists and is not a folder; with -r R, -o names the folder "
                                "that receives the R run files");
  if (!fs::is_empty(folder, ec) && !fs::exists(folder / kManifest, ec))
    throw UsageError("run", folder.string() + " exists, is not empty and holds no " + kManifest +
                                "; refusing to replace it (choose another -o)");
}

fs::path temporary_sibling(const fs::path& folder) {
  const fs::path parent = folder.has_parent_path() ? folder.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(parent, ec))
    throw output::OutputError("cannot create the folder " + folder.string() + ": " +
                              parent.string() + " is missing");
  const fs::path temp = parent / fmt::format(".{}.tmp-{}-{:08x}", folder.filename().string(),
                                             static_cast<long>(::getpid()), std::random_device{}());
  if (!fs::create_directory(temp, ec) || ec)
    throw output::OutputError("cannot create " + temp.string() + ": " + ec.message());
  return temp;
}

void write_manifest(const fs::path& path, const nlohmann::ordered_json& manifest) {
  std::ofstream out(path);
  out << manifest.dump(2) << "\n";
  out.close();
  if (!out) throw output::OutputError("cannot write " + path.string());
}

// Moves the finished folder onto `folder`, replacing an earlier replication folder there.
void commit_folder(const fs::path& temp, const fs::path& folder) {
  std::error_code ec;
  if (fs::exists(folder, ec)) {
    fs::path old = temp;
    old += ".old";
    fs::rename(folder, old, ec);
    if (ec) throw output::OutputError("cannot move the old " + folder.string() + " aside");
    fs::rename(temp, folder, ec);
    if (ec) {
      fs::rename(old, folder, ec);
      throw output::OutputError("cannot rename " + temp.string() + " to " + folder.string());
    }
    fs::remove_all(old, ec);
  } else {
    fs::rename(temp, folder, ec);
    if (ec)
      throw output::OutputError("cannot rename " + temp.string() + " to " + folder.string() + ": " +
                                ec.message());
  }
}

// Removes the temporary folder unless it was committed.
struct TemporaryFolder {
  fs::path path;
  bool committed = false;
  ~TemporaryFolder() {
    std::error_code ec;
    if (!committed) fs::remove_all(path, ec);
  }
};

}  // namespace

int execute_replications(RunSetup& setup, const Context& ctx) {
  const fs::path folder(setup.output_path);
  check_destination(folder);
  // R runs of this size at once would not fit? One at a time: memory is one run's.
  check_resources(setup);
  TemporaryFolder temp{temporary_sibling(folder)};

  const std::uint64_t base_seed = setup.spec.run.seed;
  nlohmann::ordered_json runs = nlohmann::ordered_json::array();
  std::vector<std::uint64_t> seeds;
  std::vector<WorkerSummaries> summaries;
  RunInfo info;
  int stopped = 0;
  for (int r = 0; r < setup.replications; ++r) {
    RunSetup one;
    one.spec = setup.spec;
    // Replication r's seed is the one `gigsim validate` and a sweep's point 0 give it.
    one.spec.run.seed =
        r == 0 ? base_seed : validate::replication_seed(base_seed, static_cast<std::uint64_t>(r));
    one.provenance = setup.provenance;
    one.provenance.scenario_yaml = scenario::to_yaml(one.spec);
    if (r > 0) one.provenance.seed_source = fmt::format("replication {} of seed {}", r, base_seed);
    one.output_path = (temp.path / replication_file(r)).string();
    one.shown_output_path = (folder / replication_file(r)).string();
    one.checkpoint_path = default_checkpoint_path(one.output_path);
    one.threads = setup.threads;
    one.format = setup.format;
    one.quiet = setup.quiet;
    one.checkpoint_every = setup.checkpoint_every;
    if (!setup.quiet && setup.format == LogFormat::text)
      ctx.err << "gigsim: replication " << r + 1 << "/" << setup.replications << ", seed "
              << one.spec.run.seed << "\n";
    SummaryKeeper keep;
    const int code = execute(one, ctx, &keep);
    const bool complete = code == kExitOk;
    runs.push_back({{"replication", r},
                    {"seed", one.spec.run.seed},
                    {"file", replication_file(r)},
                    {"complete", complete}});
    if (!complete) {
      stopped = code;
      break;
    }
    seeds.push_back(one.spec.run.seed);
    summaries.push_back(std::move(keep.summaries));
    info = keep.info;
  }
  const nlohmann::ordered_json manifest = {
      {"file_type", kFolderType},        {"format_version", kFolderVersion},
      {"scenario", setup.spec.name},     {"scenario_hash", setup.provenance.scenario_hash},
      {"label", setup.provenance.label}, {"replications", setup.replications},
      {"complete", stopped == 0},        {"runs", runs}};
  write_manifest(temp.path / kManifest, manifest);
  commit_folder(temp.path, folder);
  temp.committed = true;
  if (stopped != 0) {
    ctx.err << "gigsim: " << folder.string() << " holds " << summaries.size() << " of "
            << setup.replications
            << " replications and the stopped one (marked incomplete); run the command again "
               "to redo the folder\n";
    return stopped;
  }
  if (!summaries.empty()) output::print_replicated_summary(ctx.out, info, seeds, summaries);
  if (!setup.quiet && setup.format == LogFormat::text)
    ctx.err << "gigsim: wrote " << setup.replications << " runs and " << kManifest << " to "
            << folder.string() << "\n";
  return kExitOk;
}

}  // namespace gigsim::cli
