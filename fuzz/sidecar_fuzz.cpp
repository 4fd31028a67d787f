// libFuzzer target: NAME.meta.json as a province may write it (indexer/sidecar.h).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "indexer/sidecar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto sidecar = correlare::indexer::ParseSidecar(json, "fuzz.meta.json");
  (void)sidecar;
  return 0;
}
