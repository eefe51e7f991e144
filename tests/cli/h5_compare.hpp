// Reads every dataset of an HDF5 file as raw bytes, for bit-for-bit comparisons of run files.
#pragma once

#include <hdf5.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace gigsim::testing {

using DatasetBytes = std::map<std::string, std::vector<unsigned char>>;

inline DatasetBytes read_all_datasets(const std::string& path) {
  struct Ctx {
    hid_t file;
    DatasetBytes out;
  };
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) throw std::runtime_error("cannot open " + path);
  Ctx ctx{file, {}};
  auto visit = [](hid_t, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    if (info->type != H5O_TYPE_DATASET) return 0;
    auto* c = static_cast<Ctx*>(data);
    const hid_t ds = H5Dopen2(c->file, name, H5P_DEFAULT);
    const hid_t type = H5Dget_type(ds);
    const hid_t space = H5Dget_space(ds);
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    const std::size_t size = H5Tget_size(type);
    std::vector<unsigned char> bytes(static_cast<std::size_t>(n) * size);
    herr_t rc = 0;
    if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
      // Names (the summary's group coordinate): compared as their text, NUL-separated.
      std::vector<char*> text(static_cast<std::size_t>(n), nullptr);
      rc = n > 0 ? H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, text.data()) : 0;
      bytes.clear();
      for (char* t : text) {
        if (t != nullptr) bytes.insert(bytes.end(), t, t + std::char_traits<char>::length(t));
        bytes.push_back(0);
      }
      if (rc >= 0 && n > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, text.data());
    } else if (n > 0) {
      rc = H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    }
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(ds);
    if (rc < 0) return -1;
    c->out[name] = std::move(bytes);
    return 0;
  };
  const herr_t rc = H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, visit, &ctx);
  H5Fclose(file);
  if (rc < 0) throw std::runtime_error("cannot read the datasets of " + path);
  return ctx.out;
}

// A string attribute of the file's root group ("" when it is missing).
inline std::string read_root_string_attr(const std::string& path, const char* name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) throw std::runtime_error("cannot open " + path);
  std::string value;
  if (H5Aexists(file, name) > 0) {
    const hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    char* text = nullptr;
    if (H5Aread(attr, type, &text) >= 0 && text != nullptr) value = text;
    H5free_memory(text);
    H5Tclose(type);
    H5Aclose(attr);
  }
  H5Fclose(file);
  return value;
}

}  // namespace gigsim::testing
