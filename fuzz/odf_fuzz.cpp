// libFuzzer target: the odf extractor on arbitrary bytes (see extractor_fuzz.h).
#include "extractor_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return correlare::fuzz::ExtractAs("application/vnd.oasis.opendocument.text", data, size);
}
