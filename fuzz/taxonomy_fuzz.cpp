// libFuzzer target: the taxonomy JSON reader (taxonomy/taxonomy.h). A taxonomy that
// parses is also used once: a tagger is built from it and run on a fixed text, since a
// reader that accepts what the tagger cannot take is a bug of the reader.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "taxonomy/tagger.h"
#include "taxonomy/taxonomy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto taxonomy = correlare::taxonomy::Taxonomy::Parse(json, "fuzz.json");
  if (!taxonomy.ok()) return 0;
  correlare::taxonomy::Tagger tagger(taxonomy.value());
  correlare::taxonomy::TagInput input;
  input.title = "Permesso di soggiorno per lavoro subordinato";
  input.text =
      "Il permesso di soggiorno si rinnova in Questura (D.Lgs. 286/1998, art. 5). "
      "Corsi di italiano L2 presso il CPIA di Lodi; iscrizione al centro per l'impiego.";
  input.mime = "text/plain";
  input.lang = "it";
  auto tags = tagger.Tag(input);
  (void)tags;
  return 0;
}
