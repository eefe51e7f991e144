#include "gigsim/checkpoint.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <random>
#include <type_traits>

#include "gigsim/files.hpp"
#include "gigsim/memory.hpp"
#include "gigsim/registry.hpp"
#include "gigsim/rng.hpp"

namespace gigsim::checkpoint {

namespace {

constexpr char kMagic[8] = {'G', 'I', 'G', 'S', 'I', 'M', 'C', 'K'};
constexpr std::uint32_t kEndianMarker = 0x01020304;
constexpr std::uint64_t kMaxPanelWorkers = 100'000'000;  // the scenario schema's largest population

// Streaming 64-bit checksum over 8-byte little-endian words (tail zero-padded), then the length.
class Checksum {
 public:
  void words(const char* data, std::size_t n) {  // n must be a multiple of 8 except at the end
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
      std::uint64_t w;
      std::memcpy(&w, data + i, 8);
      h_ = mix64(h_ ^ w);
    }
    if (i < n) {
      std::uint64_t w = 0;
      std::memcpy(&w, data + i, n - i);
      h_ = mix64(h_ ^ w);
    }
    length_ += n;
  }
  std::uint64_t value() const { return mix64(h_ ^ length_); }

 private:
  std::uint64_t h_ = 0x6769677369636b31ULL;
  std::uint64_t length_ = 0;
};

std::uint64_t checksum_of(std::string_view bytes) {
  Checksum c;
  c.words(bytes.data(), bytes.size());
  return c.value();
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

// Writes through a buffer whose flushed chunks are multiples of 8 bytes, hashing as it goes.
class Writer {
 public:
  explicit Writer(const std::filesystem::path& path) : path_(path) {
    file_.reset(std::fopen(path.c_str(), "wb"));
    if (!file_) throw CheckpointError("cannot create checkpoint file " + path.string());
  }
  void bytes(const void* data, std::size_t n) {
    if (n == 0) return;  // an empty column's data() may be null
    buffer_.append(static_cast<const char*>(data), n);
    if (buffer_.size() >= kChunk) flush(buffer_.size() / 8 * 8);
  }
  template <class T>
  void pod(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    bytes(&v, sizeof v);
  }
  void text(std::string_view s) {
    pod<std::uint64_t>(s.size());
    bytes(s.data(), s.size());
  }
  template <class T>
  void column(const std::vector<T>& v) {
    pod<std::uint64_t>(v.size());
    bytes(v.data(), v.size() * sizeof(T));
  }
  void finish() {
    flush(buffer_.size());
    const std::uint64_t sum = checksum_.value();
    if (std::fwrite(&sum, sizeof sum, 1, file_.get()) != 1 || std::fflush(file_.get()) != 0 ||
        ::fsync(::fileno(file_.get())) != 0)
      throw CheckpointError("cannot write checkpoint file " + path_.string());
    if (std::fclose(file_.release()) != 0)
      throw CheckpointError("cannot close checkpoint file " + path_.string());
  }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  void flush(std::size_t n) {
    checksum_.words(buffer_.data(), n);
    if (n > 0 && std::fwrite(buffer_.data(), 1, n, file_.get()) != n)
      throw CheckpointError("cannot write checkpoint file " + path_.string() + " (disk full?)");
    buffer_.erase(0, n);
  }
  std::filesystem::path path_;
  std::unique_ptr<std::FILE, FileCloser> file_;
  std::string buffer_;
  Checksum checksum_;
};

// Bounds-checked reads over the payload; every failure names the file.
class Reader {
 public:
  Reader(std::string_view bytes, const std::string& name) : rest_(bytes), name_(name) {}
  [[noreturn]] void fail(const std::string& what) const {
    throw CheckpointError(name_ + ": damaged checkpoint: " + what);
  }
  void bytes(void* out, std::size_t n, const char* what) {
    if (n > rest_.size()) fail(std::string("truncated in ") + what);
    if (n == 0) return;  // an empty column: its data() may be null, which memcpy must not see
    std::memcpy(out, rest_.data(), n);
    rest_.remove_prefix(n);
  }
  template <class T>
  T pod(const char* what) {
    T v;
    bytes(&v, sizeof v, what);
    return v;
  }
  std::string text(const char* what) {
    const auto n = pod<std::uint64_t>(what);
    if (n > rest_.size()) fail(std::string("length of ") + what + " exceeds the file");
    std::string s(rest_.substr(0, n));
    rest_.remove_prefix(n);
    return s;
  }
  template <class T>
  void column(std::vector<T>& v, std::uint64_t expected, const char* what) {
    const auto n = pod<std::uint64_t>(what);
    if (n != expected)
      fail(std::string(what) + " has " + std::to_string(n) + " values, expected " +
           std::to_string(expected));
    if (n > rest_.size() / sizeof(T)) fail(std::string("length of ") + what + " exceeds the file");
    v.resize(n);
    bytes(v.data(), n * sizeof(T), what);
  }
  template <class T>
  void column_up_to(std::vector<T>& v, std::uint64_t max, const char* what) {
    const auto n = pod<std::uint64_t>(what);
    if (n > max) fail(std::string(what) + " has more values than the population");
    if (n > rest_.size() / sizeof(T)) fail(std::string("length of ") + what + " exceeds the file");
    v.resize(n);
    bytes(v.data(), n * sizeof(T), what);
  }
  bool done() const { return rest_.empty(); }

 private:
  std::string_view rest_;
  const std::string& name_;
};

}  // namespace

std::uint64_t hash_text(std::string_view text) {
  return checksum_of(text);
}

void EventLog::replay(Observer& o, const RunInfo& info) const {
  o.on_start(info);
  std::size_t month = 0;
  for (const StepTotals& t : steps) {
    o.on_step(t);
    if ((t.step + 1) % kWeeksPerMonth == 0 && month < months.size()) o.on_month(months[month++]);
  }
}

void save(const std::filesystem::path& path, const Provenance& prov, const Simulation& sim,
          const EventLog& log) {
  const std::filesystem::path tmp = os::temporary_path(path);  // removable after a SIGKILL
  try {
    Writer out(tmp);
    out.bytes(kMagic, sizeof kMagic);
    out.pod(kFormatVersion);
    out.pod(kEndianMarker);
    out.text(prov.gigsim_version);
    out.text(prov.git_commit);
    out.text(prov.scenario_file);
    out.text(prov.scenario_yaml);
    out.text(prov.seed_source);
    out.pod(hash_text(prov.scenario_yaml));

    out.pod(sim.current_step());
    const SavedState state = sim.save_state();
    out.pod<std::uint32_t>(static_cast<std::uint32_t>(state.sections.size()));
    for (const auto& [name, bytes] : state.sections) {
      out.text(name);
      out.text(bytes);
    }

    // Step records by column: the names, then each step's values.
    const std::span<const StepColumn> columns = step_columns();
    out.pod<std::uint32_t>(static_cast<std::uint32_t>(columns.size()));
    for (const StepColumn& c : columns) out.text(c.name);
    out.pod<std::uint64_t>(log.steps.size());
    for (const StepTotals& t : log.steps) {
      out.pod(t.step);
      out.column(t.integers);
      out.column(t.reals);
    }
    out.pod<std::uint64_t>(log.months.size());
    for (const PanelMonth& pm : log.months) {
      out.pod(pm.month);
      PanelMonth::for_each_column(pm, [&](const char*, const auto& column) { out.column(column); });
    }
    out.finish();
    std::filesystem::rename(tmp, path);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    throw;
  }
}

Checkpoint load_bytes(std::string_view bytes, const std::string& name,
                      std::string_view gigsim_version) {
  constexpr std::size_t kHeader = sizeof kMagic + 2 * sizeof(std::uint32_t);
  if (bytes.size() < kHeader + sizeof(std::uint64_t) ||
      std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
    throw CheckpointError(name + ": not a gigsim checkpoint");
  std::uint32_t format = 0, endian = 0;
  std::memcpy(&format, bytes.data() + sizeof kMagic, sizeof format);
  std::memcpy(&endian, bytes.data() + sizeof kMagic + sizeof format, sizeof endian);
  const std::string_view payload = bytes.substr(0, bytes.size() - sizeof(std::uint64_t));
  std::uint64_t stored = 0;
  std::memcpy(&stored, bytes.data() + payload.size(), sizeof stored);
  // The checksum first: a flipped bit in the format or byte-order field is damage, not a
  // checkpoint of another format (whose own writer gave it a valid checksum).
  const bool intact = stored == checksum_of(payload);
  if (endian == __builtin_bswap32(kEndianMarker))
    throw CheckpointError(name + ": checkpoint written on a machine of other byte order");
  if (!intact) {
    throw CheckpointError(name + ": damaged checkpoint: checksum mismatch (truncated or altered" +
                          (format != kFormatVersion
                               ? "; its format field reads " + std::to_string(format) +
                                     " where this gigsim writes " + std::to_string(kFormatVersion)
                               : std::string()) +
                          ")");
  }
  if (format != kFormatVersion)
    throw CheckpointError(name + ": checkpoint format " + std::to_string(format) +
                          ", this gigsim reads format " + std::to_string(kFormatVersion));
  if (endian != kEndianMarker)
    throw CheckpointError(name + ": damaged checkpoint: byte-order mark");

  Reader in(payload.substr(kHeader), name);
  Checkpoint ck;
  ck.provenance.gigsim_version = in.text("gigsim version");
  if (ck.provenance.gigsim_version != gigsim_version)
    throw CheckpointError(name + ": written by gigsim " + ck.provenance.gigsim_version +
                          ", this is gigsim " + std::string(gigsim_version) +
                          "; resume it with that version");
  ck.provenance.git_commit = in.text("git commit");
  ck.provenance.scenario_file = in.text("scenario file");
  ck.provenance.scenario_yaml = in.text("scenario");
  ck.provenance.seed_source = in.text("seed source");
  ck.scenario_hash = in.pod<std::uint64_t>("scenario hash");
  if (ck.scenario_hash != hash_text(ck.provenance.scenario_yaml)) in.fail("scenario hash mismatch");

  ck.step = in.pod<std::uint32_t>("step");
  const auto sections = in.pod<std::uint32_t>("section count");
  if (sections > 64) in.fail("implausible number of sections");
  for (std::uint32_t k = 0; k < sections; ++k) {
    std::string section = in.text("section name");
    if (ck.state.sections.count(section)) in.fail("section '" + section + "' appears twice");
    ck.state.sections.emplace(std::move(section), in.text("section"));
  }

  const TotalsLayout& layout = step_layout();
  const auto n_columns = in.pod<std::uint32_t>("step column count");
  if (n_columns != layout.columns().size()) in.fail("step records of another layout");
  for (const StepColumn& c : layout.columns()) {
    if (in.text("step column name") != c.name) in.fail("step records of another layout");
  }
  if (in.pod<std::uint64_t>("step count") != ck.step) in.fail("step log does not match the step");
  for (std::uint32_t k = 0; k < ck.step; ++k) {
    StepTotals t = layout.empty_record();
    t.step = in.pod<std::int64_t>("step record");
    if (t.step != static_cast<std::int64_t>(k)) in.fail("step records out of order");
    in.column(t.integers, layout.integer_count(), "step record");
    in.column(t.reals, layout.real_count(), "step record");
    ck.log.steps.push_back(std::move(t));
  }
  const auto months = in.pod<std::uint64_t>("month count");
  if (months != ck.step / kWeeksPerMonth) in.fail("month log does not match the step");
  // The panel's width is that of its first column in the first month; every other column of every
  // month must match it.
  std::optional<std::uint64_t> panel_size;
  for (std::uint64_t k = 0; k < months; ++k) {
    PanelMonth pm;
    pm.month = in.pod<std::uint32_t>("month");
    if (pm.month != k) in.fail("panel months out of order");
    PanelMonth::for_each_column(pm, [&](const char* column_name, auto& column) {
      if (!panel_size) {
        in.column_up_to(column, kMaxPanelWorkers, column_name);
        panel_size = column.size();
      } else {
        in.column(column, *panel_size, column_name);
      }
    });
    ck.log.months.push_back(std::move(pm));
  }
  if (!in.done()) in.fail("unexpected bytes after the month log");
  return ck;
}

Checkpoint load(const std::filesystem::path& path, std::string_view gigsim_version) {
  // Only a regular file (a FIFO would block, /dev/zero never end), and only as large as memory
  // allows: the bytes and the state decoded from them are held at once.
  const os::MemoryBudget memory = os::memory_budget(1);
  std::string bytes;
  try {
    bytes = os::read_regular_file(path, memory.bytes / 2, "checkpoint",
                                  "half the memory available, by " + memory.limited_by);
  } catch (const os::FileError& e) {
    throw CheckpointError(path.string() + ": " + e.reason());
  }
  return load_bytes(bytes, path.string(), gigsim_version);
}

}  // namespace gigsim::checkpoint
