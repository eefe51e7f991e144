// gigsim schedule: the order of the week, from the registry and the schedule (sim/model): for
// each phase how and when its hooks run, what the engine does there and the mechanisms whose hooks
// run there, in order; then the course funders' order and the reporting groups' precedence.
// docs/ODD.md §1.3 holds the markdown form (scripts/update-odd-schedule.sh regenerates it).
#include <boost/program_options.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "common.hpp"
#include "gigsim/phases.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/scenario.hpp"

namespace po = boost::program_options;

namespace gigsim::cli {

namespace {

struct Registered {
  std::string_view key;
  std::string_view doc;
  bool on = false;
  bool is_section_only = false;  // configures another mechanism: no hooks of its own
};

// Every registered mechanism, in registry order, marked on or off in `spec` (all off without one).
std::vector<Registered> registered(const std::optional<ScenarioSpec>& spec) {
  std::vector<Registered> list;
  for_each_mechanism([&](const auto& e) {
    list.push_back({e.key, e.doc, spec.has_value() && e.is_on(*spec), e.make == nullptr});
  });
  return list;
}

// `text`, as code in markdown. (Built by appending: GCC 12 warns falsely (-Wrestrict) on
// concatenations of a literal and a string.)
std::string code(std::string_view text, bool markdown) {
  std::string s;
  if (markdown) s += '`';
  s += text;
  if (markdown) s += '`';
  return s;
}

// `key`, with its state in the scenario when one was given.
std::string name(std::string_view key, const std::vector<Registered>& list, bool with_state,
                 bool markdown) {
  std::string s = code(key, markdown);
  if (!with_state) return s;
  for (const Registered& r : list)
    if (r.key == key) return s.append(r.on ? " (on)" : " (off)");
  return s.append(" (not registered)");
}

std::string names(const std::vector<std::string_view>& keys, const std::vector<Registered>& list,
                  bool with_state, bool markdown, std::string_view none) {
  std::string s;
  for (const std::string_view key : keys) {
    if (!s.empty()) s += ", ";
    s += name(key, list, with_state, markdown);
  }
  return s.empty() ? std::string(none) : s;
}

std::string phases_of(const Registered& r, bool markdown) {
  if (r.is_section_only) return "none (a section another mechanism reads)";
  std::string s;
  for (const Phase p : phases_hooked_by(r.key)) {
    if (!s.empty()) s += ", ";
    s += code(phase_name(p), markdown);
  }
  return s.empty() ? std::string("none") : s;
}

// `text` wrapped at `width` columns, every line after `indent` spaces.
std::string wrapped(std::string_view text, std::size_t indent, std::size_t width = 96) {
  std::string out, line;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
    start = end + 1;
  }
  if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
  return out;
}

void print_text(std::ostream& out, const std::vector<Registered>& list, const std::string& title) {
  const bool with_state = !title.empty();
  const Schedule& s = schedule();
  out << "The week, phase by phase (stages: docs/ODD.md 1.3"
      << (with_state ? "; on/off in " + title : std::string()) << "):\n";
  for (const PhaseInfo& info : phase_infos()) {
    const auto& line = s.phases[static_cast<std::size_t>(info.phase)];
    out << "\n"
        << static_cast<int>(info.phase) + 1 << ". " << phase_name(info.phase) << " ("
        << phase_hooks_name(info.hooks) << ", " << phase_when_name(info.when) << ")\n"
        << wrapped(info.engine, 4)
        << wrapped("hooks: " + names(line, list, with_state, false, "none"), 4);
  }
  out << "\n"
      << wrapped("Course funders, in the order a course is offered to them: " +
                     names(s.course_funders, list, with_state, false, "none") + "; " +
                     std::string(engine_course_funders()) + ".",
                 0)
      << wrapped("Reporting groups, by precedence: " +
                     names(s.groups, list, with_state, false, "none") + "; " +
                     std::string(engine_groups()) + ".",
                 0)
      << "\nMechanisms (registry order), and the phases they hook:\n";
  for (const Registered& r : list) {
    out << "  " << name(r.key, list, with_state, false) << ": " << r.doc << "\n"
        << wrapped("phases: " + phases_of(r, false), 6);
  }
}

void print_markdown(std::ostream& out, const std::vector<Registered>& list,
                    const std::string& title) {
  const bool with_state = !title.empty();
  const Schedule& s = schedule();
  out << "Generated by `gigsim schedule --format markdown` from the registry and the schedule "
         "(`sim/model`); do not edit by hand."
      << (with_state ? " On/off: in " + title + "." : std::string()) << "\n\n"
      << "| # | phase | hooks run | when | what the engine does there | mechanisms' hooks, in "
         "order |\n|---|---|---|---|---|---|\n";
  for (const PhaseInfo& info : phase_infos()) {
    const auto& line = s.phases[static_cast<std::size_t>(info.phase)];
    out << "| " << static_cast<int>(info.phase) + 1 << " | `" << phase_name(info.phase) << "` | "
        << phase_hooks_name(info.hooks) << " | " << phase_when_name(info.when) << " | "
        << info.engine << " | " << names(line, list, with_state, true, "—") << " |\n";
  }
  out << "\n**Course funders**, in the order a course is offered to them: "
      << names(s.course_funders, list, with_state, true, "none") << "; " << engine_course_funders()
      << ".\n\n**Reporting groups**, by precedence: "
      << names(s.groups, list, with_state, true, "none") << "; " << engine_groups() << ".\n\n"
      << "| mechanism | what it is | phases it hooks |\n|---|---|---|\n";
  for (const Registered& r : list)
    out << "| " << name(r.key, list, with_state, true) << " | " << r.doc << " | "
        << phases_of(r, true) << " |\n";
}

}  // namespace

int schedule_command(const std::vector<std::string>& args, const Context& ctx) {
  std::string format = "text", path;
  std::vector<std::string> overrides;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "format", po::value(&format)->default_value("text"), "text or markdown")(
      "set", po::value(&overrides)->composing(),
      "override a value of SCENARIO.yaml: key.path=value (repeatable)");
  po::options_description all;
  all.add(opts).add_options()("scenario", po::value(&path));
  po::positional_options_description pos;
  pos.add("scenario", 1);
  const po::variables_map vm = parse("schedule", args, all, pos);
  if (vm.count("help")) {
    ctx.out << "Usage: gigsim schedule [SCENARIO.yaml] [--set key.path=value]... "
               "[--format text|markdown]\n\n"
            << "Prints the order of the week: for each phase, in the order phases run, whether "
               "its hooks run\nper block of workers (in parallel) or one after the other, when it "
               "runs, what the engine\ndoes there and the mechanisms whose hooks run there, in "
               "order; then the order in which\ncourse funders are offered a course and the "
               "precedence of reporting groups. With a\nscenario, each mechanism is marked on or "
               "off in it.\n\n"
            << opts
            << "\nExamples:\n  gigsim schedule\n"
               "  gigsim schedule scenarios/all_cooperative_forms.yaml\n"
               "  scripts/update-odd-schedule.sh   (regenerates the table in docs/ODD.md 1.3)\n";
    return kExitOk;
  }
  if (format != "text" && format != "markdown")
    throw UsageError("schedule", "--format must be text or markdown, not '" + format + "'");
  if (path.empty() && !overrides.empty())
    throw UsageError("schedule", "--set needs a SCENARIO.yaml to override");
  std::optional<ScenarioSpec> spec;
  if (!path.empty()) spec = scenario::load_file(path, overrides);
  const std::vector<Registered> list = registered(spec);
  if (format == "markdown")
    print_markdown(ctx.out, list, path);
  else
    print_text(ctx.out, list, path);
  return kExitOk;
}

}  // namespace gigsim::cli
