// Joins the spool's run records, in run order, into the sweep result file.
#include <algorithm>
#include <map>
#include <stdexcept>

#include "gigsim/scenario.hpp"
#include "gigsim/sweep.hpp"
#include "gigsim/sweep_file.hpp"

namespace gigsim::sweep {

std::vector<std::pair<std::uint64_t, std::string>> join(const SweepSpec& spec, const Design& design,
                                                        const std::vector<RunPlan>& runs,
                                                        const Spool& spool,
                                                        const std::filesystem::path& output,
                                                        const SweepProvenance& provenance) {
  output::SweepHeader h;
  h.gigsim_version = provenance.gigsim_version;
  h.git_commit = provenance.git_commit;
  h.sweep_yaml = spec.text;
  h.base_scenario =
      scenario::to_yaml(scenario::load_string(spec.base_text, spec.base.string(), spec.overrides));
  h.design_method = std::string(method_name(spec.method));
  h.sweep_seed = spec.seed;
  h.points = static_cast<std::uint32_t>(design.points);
  h.replications = spec.replications;
  h.runs = runs.size();
  for (const auto& r : runs) h.weeks = std::max(h.weeks, r.weeks);
  h.parameters = design.parameters;
  // The unit of each parameter, from the scenario schema ("platforms[1].take_rate" is listed as
  // "platforms[].take_rate").
  std::map<std::string, std::string> units;
  for (const auto& info : scenario::list_params()) units[info.path] = info.unit;
  for (const auto& p : design.parameters) {
    const auto found = units.find(scenario::key_pattern(p));
    h.parameter_units.push_back(found != units.end() && !found->second.empty() ? found->second
                                                                               : "1");
  }
  for (const auto& v : spec.variants) h.variants.push_back(v.name);
  h.groups = metric_groups();
  h.design_values = design.values;
  h.design_unit = design.unit;
  h.trajectory = design.trajectory;
  h.step_parameter = design.step_parameter;
  h.saltelli_block = design.saltelli_block;
  for (const auto& m : metric_infos()) h.metrics.push_back({m.name, m.units, m.long_name});

  // One pass: each record is read once. A missing or damaged one stops the join at the end; the
  // writer then removes its temporary file, so nothing is left half written.
  output::SweepFileWriter writer(output, h);
  std::vector<std::pair<std::uint64_t, std::string>> failed;
  std::vector<std::uint64_t> missing;
  for (const auto& r : runs) {
    const auto record = spool.read(r.identity);
    if (!record) {
      missing.push_back(r.index);
      continue;
    }
    if (!missing.empty()) continue;  // the file will not be committed; keep only counting
    output::SweepRunRow row;
    row.point = r.point;
    row.replication = r.replication;
    row.variant = r.variant;
    row.seed = r.seed;
    row.identity = r.identity;
    row.ok = record->ok;
    row.message = record->message;
    row.metrics = &record->metrics;
    row.weeks = record->weeks;
    row.series = &record->series;
    writer.add_run(row);
    if (!record->ok) failed.emplace_back(r.index, record->message);
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 10); ++i)
      list += (i ? ", " : "") + std::to_string(missing[i]);
    if (missing.size() > 10) list += ", ...";
    throw std::runtime_error(std::to_string(missing.size()) + " of " + std::to_string(runs.size()) +
                             " runs have no record in " + spool.folder().string() + " (runs " +
                             list + "); run the sweep again to do them");
  }
  writer.commit(failed.size());
  return failed;
}

}  // namespace gigsim::sweep
