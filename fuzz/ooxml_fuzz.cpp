// libFuzzer target: the ooxml extractor on arbitrary bytes (see extractor_fuzz.h).
#include "extractor_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return correlare::fuzz::ExtractAs("application/vnd.openxmlformats-officedocument.wordprocessingml.document", data, size);
}
