// HDF5 error reporting shared by the output writers.
#include <hdf5.h>

#include <string>
#include <string_view>

#include "gigsim/output.hpp"
#include "hdf5_handles.hpp"

namespace gigsim::output {

namespace h5 {

std::string last_hdf5_error() {
  // Walk upward: the first entry is the innermost frame, which carries the concrete reason
  // (e.g. "unable to open file: ... errno = 13, error message = 'Permission denied'").
  std::string message;
  auto innermost = [](unsigned n, const H5E_error2_t* err, void* data) -> herr_t {
    auto* out = static_cast<std::string*>(data);
    if (n == 0 && err != nullptr) {
      if (err->func_name != nullptr) *out += std::string(err->func_name) + ": ";
      if (err->desc != nullptr) *out += err->desc;
    }
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &message);
  return message;
}

void fail(std::string_view what) {
  std::string message(what);
  const std::string detail = last_hdf5_error();
  if (!detail.empty()) message += " (" + detail + ")";
  throw OutputError(message);
}

}  // namespace h5

}  // namespace gigsim::output
