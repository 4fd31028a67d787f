// Words as the taxonomy matches them: lower-cased, accent-folded ("città" = "citta"),
// elisions split ("l'impiego" = "l" "impiego"), Italian-stemmed ("impieghi" =
// "impiego"). Phrases of the taxonomy and texts of documents go through the same steps,
// so they meet on the same keys. The index uses the same folding for its terms.
//
// Thread safety: every function may be called from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace correlare::taxonomy {

struct WordKey {
  std::string key;       // folded and stemmed
  uint32_t offset = 0;   // byte range of the word in the text
  uint32_t length = 0;
};

// Lower-case and strip accents: "Città" -> "citta", "Perché" -> "perche"; apostrophes
// become spaces ("l'impiego" -> "l impiego").
std::string FoldWord(std::string_view word);

// FoldWord over a whole text: every character lower-cased and accent-stripped, the
// rest (spaces, punctuation) kept. What the index's term generator is given.
inline std::string FoldText(std::string_view text) { return FoldWord(text); }

// Every word of `text` (runs of letters and digits), folded and stemmed.
std::vector<WordKey> WordKeys(std::string_view text);

// Where the words of `text` are, as WordKeys finds them, without their keys: cheaper,
// for callers that key only some of them (KeyOfWord).
struct WordSpan {
  uint32_t offset = 0;
  uint32_t length = 0;
};
std::vector<WordSpan> WordSpans(std::string_view text);
// The same, one word at a time, until `visit` answers false.
void VisitWords(std::string_view text, const std::function<bool(uint32_t offset, uint32_t length)>& visit);

// Whether the last character of `text` is a letter or digit (a word goes on there).
bool EndsInWordCharacter(std::string_view text);

// The key of one word as WordKeys gives it (folded, stemmed).
std::string KeyOfWord(std::string_view word);

// The keys of a phrase, in order: what WordKeys gives for it, without positions.
std::vector<std::string> PhraseKeys(std::string_view phrase);

}  // namespace correlare::taxonomy
