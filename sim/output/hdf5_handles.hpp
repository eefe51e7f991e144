// RAII for HDF5 identifiers: every hid_t the writer opens lives in a move-only Handle whose
// destructor calls the matching H5*close. Private to gigsim_output; never include from a public
// header.
#pragma once

#include <hdf5.h>

#include <string>
#include <string_view>
#include <utility>

#include "gigsim/output.hpp"

namespace gigsim::output::h5 {

// The innermost message on HDF5's error stack (the call that actually failed), or "" if none.
std::string last_hdf5_error();

// Throws OutputError("<what>: <HDF5 message>") for a negative HDF5 return value.
[[noreturn]] void fail(std::string_view what);

inline herr_t check(herr_t status, std::string_view what) {
  if (status < 0) fail(what);
  return status;
}

inline htri_t check_tri(htri_t status, std::string_view what) {
  if (status < 0) fail(what);
  return status;
}

template <herr_t (*Close)(hid_t)>
class Handle {
 public:
  Handle() = default;
  // Takes ownership of `id`; throws OutputError naming `what` if `id` is invalid (negative).
  Handle(hid_t id, std::string_view what) : id_(id) {
    if (id_ < 0) fail(what);
  }
  ~Handle() { reset(); }
  Handle(Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }

  // Closes now; the status is returned so callers that must know (the file) can check it.
  herr_t close() { return id_ >= 0 ? Close(std::exchange(id_, H5I_INVALID_HID)) : 0; }
  void reset() noexcept { (void)close(); }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using File = Handle<H5Fclose>;
using Group = Handle<H5Gclose>;
using Dataset = Handle<H5Dclose>;
using Dataspace = Handle<H5Sclose>;
using Datatype = Handle<H5Tclose>;
using PropList = Handle<H5Pclose>;
using Attribute = Handle<H5Aclose>;

}  // namespace gigsim::output::h5
