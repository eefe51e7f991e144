// HDF5 helpers shared by the run file and the sweep file writers: type mapping, attributes,
// datasets without modification times (identical content gives identical bytes), dimension
// scales. Private to gigsim_output; never include from a public header.
#pragma once

#include <fcntl.h>
#include <fmt/format.h>
#include <hdf5.h>
#include <hdf5_hl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "gigsim/files.hpp"
#include "hdf5_handles.hpp"

namespace gigsim::output::h5util {

// Deflate level 4 after byte shuffle: float columns of similar magnitude compress well shuffled.
inline constexpr unsigned kDeflateLevel = 4;
inline constexpr hsize_t kWorkersChunk = 65536;

// Money flows and stocks of the series are integer cents in the engine and in sweep run records;
// files hold EUR, like the panel and the per-worker summaries (docs/output-format.md
// "Conventions").
inline constexpr std::string_view kEngineMoneyUnit = "EUR cents";
inline constexpr double kCentsPerEuro = 100.0;

// ---- type mapping: C++ type -> (memory type, file type). Files are little-endian everywhere.
template <class T>
struct H5Type;
template <>
struct H5Type<float> {
  static hid_t mem() { return H5T_NATIVE_FLOAT; }
  static hid_t file() { return H5T_IEEE_F32LE; }
};
template <>
struct H5Type<double> {
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
  static hid_t file() { return H5T_IEEE_F64LE; }
};
template <>
struct H5Type<std::uint8_t> {
  static hid_t mem() { return H5T_NATIVE_UINT8; }
  static hid_t file() { return H5T_STD_U8LE; }
};
template <>
struct H5Type<std::uint16_t> {
  static hid_t mem() { return H5T_NATIVE_UINT16; }
  static hid_t file() { return H5T_STD_U16LE; }
};
template <>
struct H5Type<std::uint32_t> {
  static hid_t mem() { return H5T_NATIVE_UINT32; }
  static hid_t file() { return H5T_STD_U32LE; }
};
template <>
struct H5Type<std::int32_t> {
  static hid_t mem() { return H5T_NATIVE_INT32; }
  static hid_t file() { return H5T_STD_I32LE; }
};
template <>
struct H5Type<std::uint64_t> {
  static hid_t mem() { return H5T_NATIVE_UINT64; }
  static hid_t file() { return H5T_STD_U64LE; }
};
template <>
struct H5Type<std::int64_t> {
  static hid_t mem() { return H5T_NATIVE_INT64; }
  static hid_t file() { return H5T_STD_I64LE; }
};

inline std::string quoted(const std::filesystem::path& p) {
  // Appended piecewise: GCC 12 warns falsely (-Wrestrict) about "'" + std::string&&.
  std::string out(1, '\'');
  out += p.string();
  out += '\'';
  return out;
}

inline h5::Datatype utf8_string_type() {
  h5::Datatype type(H5Tcopy(H5T_C_S1), "H5Tcopy(string type)");
  h5::check(H5Tset_size(type.get(), H5T_VARIABLE), "H5Tset_size(variable)");
  h5::check(H5Tset_cset(type.get(), H5T_CSET_UTF8), "H5Tset_cset(UTF-8)");
  return type;
}

inline std::string object_name(hid_t obj) {
  const ssize_t n = H5Iget_name(obj, nullptr, 0);
  if (n <= 0) return "?";
  std::string name(static_cast<std::size_t>(n), '\0');
  H5Iget_name(obj, name.data(), name.size() + 1);
  return name;
}

inline std::string attr_what(hid_t obj, const char* name) {
  return "writing attribute '" + std::string(name) + "' on " + object_name(obj);
}

inline void write_string_attr(hid_t obj, const char* name, const std::string& value) {
  const std::string what = attr_what(obj, name);
  h5::Datatype type = utf8_string_type();
  h5::Dataspace space(H5Screate(H5S_SCALAR), what);
  h5::Attribute attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                     what);
  const char* text = value.c_str();
  h5::check(H5Awrite(attr.get(), type.get(), &text), what);
}

inline void write_string_array_attr(hid_t obj, const char* name,
                                    const std::vector<std::string>& values) {
  const std::string what = attr_what(obj, name);
  h5::Datatype type = utf8_string_type();
  const hsize_t n = values.size();
  h5::Dataspace space(H5Screate_simple(1, &n, nullptr), what);
  h5::Attribute attr(H5Acreate2(obj, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                     what);
  std::vector<const char*> text;
  text.reserve(values.size());
  for (const std::string& v : values) text.push_back(v.c_str());
  if (!text.empty()) h5::check(H5Awrite(attr.get(), type.get(), text.data()), what);
}

template <class T>
inline void write_scalar_attr(hid_t obj, const char* name, T value) {
  const std::string what = attr_what(obj, name);
  h5::Dataspace space(H5Screate(H5S_SCALAR), what);
  h5::Attribute attr(
      H5Acreate2(obj, name, H5Type<T>::file(), space.get(), H5P_DEFAULT, H5P_DEFAULT), what);
  h5::check(H5Awrite(attr.get(), H5Type<T>::mem(), &value), what);
}

inline void describe(hid_t obj, const std::string& units, const std::string& long_name) {
  write_string_attr(obj, "units", units);
  write_string_attr(obj, "long_name", long_name);
}

// No modification times in object headers: identical runs give identical files.
inline h5::PropList object_create_plist(hid_t cls, const std::string& what) {
  h5::PropList plist(H5Pcreate(cls), what);
  h5::check(H5Pset_obj_track_times(plist.get(), false), what);
  return plist;
}

inline h5::Group create_group(hid_t loc, const char* name) {
  const std::string what = "creating group '" + std::string(name) + "'";
  h5::PropList gcpl = object_create_plist(H5P_GROUP_CREATE, what);
  return h5::Group(H5Gcreate2(loc, name, H5P_DEFAULT, gcpl.get(), H5P_DEFAULT), what);
}

struct DatasetShape {
  std::vector<hsize_t> dims;
  std::vector<hsize_t> max_dims;  // empty: fixed size
  std::vector<hsize_t> chunk;     // empty: contiguous, uncompressed
};

inline h5::Dataset create_dataset(hid_t loc, const char* name, hid_t file_type,
                                  const DatasetShape& shape, hid_t dapl = H5P_DEFAULT) {
  const std::string what = "creating dataset '" + std::string(name) + "' in " + object_name(loc);
  const int rank = static_cast<int>(shape.dims.size());
  h5::Dataspace space(H5Screate_simple(rank, shape.dims.data(),
                                       shape.max_dims.empty() ? nullptr : shape.max_dims.data()),
                      what);
  h5::PropList dcpl = object_create_plist(H5P_DATASET_CREATE, what);
  if (!shape.chunk.empty()) {
    h5::check(H5Pset_chunk(dcpl.get(), rank, shape.chunk.data()), what);
    h5::check(H5Pset_shuffle(dcpl.get()), what);
    h5::check(H5Pset_deflate(dcpl.get(), kDeflateLevel), what);
  }
  return h5::Dataset(H5Dcreate2(loc, name, file_type, space.get(), H5P_DEFAULT, dcpl.get(), dapl),
                     what);
}

template <class T>
inline void write_all(const h5::Dataset& ds, const T* data, std::size_t n) {
  if (n == 0) return;
  h5::check(H5Dwrite(ds.get(), H5Type<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
            "writing " + object_name(ds.get()));
}

// A 1-D dataset holding `values`, chunked and compressed when `compress`.
template <class T>
inline h5::Dataset write_vector(hid_t loc, const char* name, const std::vector<T>& values,
                                bool compress) {
  DatasetShape shape{{values.size()}, {}, {}};
  if (compress) shape.chunk = {std::clamp<hsize_t>(values.size(), 1, kWorkersChunk)};
  h5::Dataset ds = create_dataset(loc, name, H5Type<T>::file(), shape);
  write_all(ds, values.data(), values.size());
  return ds;
}

// Categories (worker group, training payer, run status, variant) are HDF5 enumerations, value i
// named names[i]: h5py (h5py.check_enum_dtype), R's hdf5r (factors) and HDFView show the names.
// The same type serves as file and memory type (native integers: little-endian on every machine
// gigsim runs on).
template <class Code = std::uint8_t>
inline h5::Datatype enum_type(const std::vector<std::string>& names) {
  h5::Datatype type(H5Tenum_create(H5Type<Code>::mem()), "H5Tenum_create");
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto value = static_cast<Code>(i);
    h5::check(H5Tenum_insert(type.get(), names[i].c_str(), &value),
              "H5Tenum_insert(" + names[i] + ")");
  }
  return type;
}

// CF attributes of categorical data (CF conventions 1.10 section 3.5), for netCDF tools that do
// not read HDF5 enumerations (Debian 12's xarray reads the codes): flag_values 0..n-1 and
// flag_meanings, the names separated by spaces.
inline void write_flag_attrs(hid_t obj, const std::vector<std::string>& names) {
  const std::string what = attr_what(obj, "flag_values");
  std::vector<std::uint32_t> values(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) values[i] = static_cast<std::uint32_t>(i);
  const hsize_t n = values.size();
  h5::Dataspace space(H5Screate_simple(1, &n, nullptr), what);
  h5::Attribute attr(
      H5Acreate2(obj, "flag_values", H5T_STD_U32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), what);
  h5::check(H5Awrite(attr.get(), H5T_NATIVE_UINT32, values.data()), what);
  std::string meanings;
  for (const std::string& name : names) meanings += (meanings.empty() ? "" : " ") + name;
  write_string_attr(obj, "flag_meanings", meanings);
}

// A 1-D enumeration dataset of `codes` (see enum_type), chunked and compressed when `compress`,
// with units "1", its long name and the CF flag attributes.
template <class Code>
inline h5::Dataset write_enum_vector(hid_t loc, const char* name, const std::vector<Code>& codes,
                                     const std::vector<std::string>& names, bool compress,
                                     const std::string& long_name) {
  h5::Datatype type = enum_type<Code>(names);
  DatasetShape shape{{codes.size()}, {}, {}};
  if (compress) shape.chunk = {std::clamp<hsize_t>(codes.size(), 1, kWorkersChunk)};
  h5::Dataset ds = create_dataset(loc, name, type.get(), shape);
  if (!codes.empty())
    h5::check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, codes.data()),
              "writing " + object_name(ds.get()));
  describe(ds.get(), "1", long_name);
  write_flag_attrs(ds.get(), names);
  return ds;
}

// A 1-D string dataset (variable-length UTF-8), e.g. the names of a dimension's coordinates.
inline h5::Dataset write_strings(hid_t loc, const char* name,
                                 const std::vector<std::string>& values) {
  const std::string what = "writing string dataset '" + std::string(name) + "'";
  h5::Datatype type = utf8_string_type();
  const hsize_t n = values.size();
  h5::Dataspace space(H5Screate_simple(1, &n, nullptr), what);
  h5::PropList dcpl = object_create_plist(H5P_DATASET_CREATE, what);
  h5::Dataset ds(
      H5Dcreate2(loc, name, type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), what);
  std::vector<const char*> text;
  for (const auto& v : values) text.push_back(v.c_str());
  if (!text.empty())
    h5::check(H5Dwrite(ds.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()), what);
  return ds;
}

inline void make_scale(const h5::Dataset& scale, const char* dim_name) {
  h5::check(H5DSset_scale(scale.get(), dim_name),
            "H5DSset_scale(" + object_name(scale.get()) + ", " + dim_name + ")");
}

inline void attach_scale(const h5::Dataset& ds, const h5::Dataset& scale, unsigned dim,
                         const char* dim_name) {
  const std::string what =
      "attaching dimension scale " + object_name(scale.get()) + " to " + object_name(ds.get());
  h5::check(H5DSattach_scale(ds.get(), scale.get(), dim), what);
  h5::check(H5DSset_label(ds.get(), dim, dim_name), what);
}

inline void fsync_path(const std::filesystem::path& p, int flags) {
  const int fd = ::open(p.c_str(), flags);
  if (fd < 0) return;
  (void)::fsync(fd);
  (void)::close(fd);
}

// The second half of an atomic write, after the temporary file is closed: fsync it, rename it to
// its final name, fsync the folder so the rename survives a crash. Throws OutputError.
inline void commit_temporary(const std::filesystem::path& temp,
                             const std::filesystem::path& final_path) {
  fsync_path(temp, O_RDONLY);
  std::error_code ec;
  std::filesystem::rename(temp, final_path, ec);
  if (ec)
    throw OutputError("cannot rename " + quoted(temp) + " to " + quoted(final_path) + ": " +
                      ec.message());
  fsync_path(final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path("."),
             O_RDONLY | O_DIRECTORY);
}

// Before a writer's first HDF5 call. Errors are reported through OutputError: HDF5's own stack
// printing would only duplicate them. And no cleanup at exit: closing a file whose writes failed
// (a full disk) leaves HDF5 1.10 a file it cannot close, and its atexit cleanup then crashes
// (SIGSEGV in H5F__close_cb) after the clean message. Every file gigsim writes is closed or
// removed explicitly, so that cleanup has nothing to do; H5dont_atexit must come before any other
// HDF5 call to take effect (and is harmless after).
inline void prepare_library() {
  H5dont_atexit();
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

// Creates a temporary file beside `final_path` (os::temporary_path: FINAL.tmp-HOST-PID-RANDOM, so
// a later run can remove it if this process is killed) for a writer that renames it into place
// when done; `kind` ("output file", "sweep file") names it in errors. Throws OutputError when the
// folder is missing or not writable.
inline h5::File create_temporary(const std::filesystem::path& final_path,
                                 std::filesystem::path& temp_path, const std::string& kind) {
  temp_path = os::temporary_path(final_path);
  const std::filesystem::path dir =
      final_path.has_parent_path() ? final_path.parent_path() : std::filesystem::path(".");
  const std::string what = "cannot create " + kind + " " + quoted(final_path) + ": directory " +
                           quoted(dir) + " is missing or not writable";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) throw OutputError(what);
  h5::PropList fapl(H5Pcreate(H5P_FILE_ACCESS), what);
  // SEMI: closing the file fails if an object is still open, instead of silently deferring.
  h5::check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_SEMI), what);
  const hid_t id = H5Fcreate(temp_path.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, fapl.get());
  if (id < 0) {
    // HDF5 may have created the file before failing (a full disk): it must not stay behind, and
    // the folder is not to blame.
    const std::string detail = h5::last_hdf5_error();
    std::filesystem::remove(temp_path, ec);
    throw OutputError("cannot create " + kind + " " + quoted(final_path) +
                      (detail.empty() ? std::string() : " (" + detail + ")"));
  }
  return h5::File(id, what);
}

}  // namespace gigsim::output::h5util
