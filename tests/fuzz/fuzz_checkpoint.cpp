// libFuzzer target: the checkpoint loader. The trailing checksum is recomputed first, so mutated
// bytes reach the parser instead of stopping at the checksum; any input must load or fail with
// CheckpointError, never crash or allocate without bound.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "gigsim/checkpoint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  if (bytes.size() >= 8) {
    const std::uint64_t sum =
        gigsim::checkpoint::hash_text(std::string_view(bytes).substr(0, bytes.size() - 8));
    std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
  }
  try {
    gigsim::checkpoint::load_bytes(bytes, "fuzz.ckpt", GIGSIM_VERSION);
  } catch (const gigsim::checkpoint::CheckpointError&) {
  }
  return 0;
}
