// libFuzzer target: arbitrary bytes through the registry's whole path for a text file:
// detection by content, charset detection and conversion, Unicode repair and NFC,
// title fallback, language identification; then the text extractor as plain text and
// as CSV.
#include "extractor_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using correlare::fuzz::FuzzLimits;
  using correlare::fuzz::Registry;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto detected = Registry().Extract(bytes, "fuzz.txt", FuzzLimits());
  (void)detected;
  correlare::fuzz::ExtractAs("text/csv", data, size);
  return correlare::fuzz::ExtractAs("text/plain", data, size);
}
