#include "taxonomy/text_keys.h"

#include <xapian.h>

#include <unordered_map>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace correlare::taxonomy {
namespace {

// The base letter of an accented one: NFD splits "à" into "a" + a combining mark.
UChar32 StripAccent(UChar32 c) {
  if (c < 0xC0) return c;
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (nfd == nullptr) return c;
  icu::UnicodeString decomposition;
  if (!nfd->getDecomposition(c, decomposition) || decomposition.isEmpty()) return c;
  UChar32 base = decomposition.char32At(0);
  for (int32_t i = U16_LENGTH(base); i < decomposition.length();) {
    UChar32 mark = decomposition.char32At(i);
    if (u_charType(mark) != U_NON_SPACING_MARK) return c;
    i += U16_LENGTH(mark);
  }
  return base;
}

void AppendUtf8(std::string& out, UChar32 c) {
  char buffer[4];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buffer), length, 4, c, error);
  if (!error) out.append(buffer, static_cast<size_t>(length));
}

bool IsWordChar(UChar32 c) {
  return c < 0x80 ? ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
                  : (u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK);
}

// Stems of folded words, remembered per thread: a language repeats its words, and the
// stemmer is the dearest step of tagging. Xapian::Stem objects are not to be shared
// between threads, so neither is the cache.
class StemCache {
 public:
  const std::string& Stem(const std::string& folded) {
    auto it = stems_.find(folded);
    if (it != stems_.end()) return it->second;
    if (stems_.size() >= kMaxEntries) stems_.clear();
    return stems_.emplace(folded, stemmer_(folded)).first->second;
  }

 private:
  static constexpr size_t kMaxEntries = 200000;
  Xapian::Stem stemmer_{"italian"};
  std::unordered_map<std::string, std::string> stems_;
};

StemCache& ItalianStems() {
  thread_local StemCache cache;
  return cache;
}

// Calls `visit(word, offset)` for each word, until it answers false.
template <typename Visit>
void ForEachWord(std::string_view text, Visit visit) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  int32_t i = 0;
  int32_t start = -1;
  while (i <= length) {
    int32_t here = i;
    bool word;
    if (i < length && s[i] < 0x80) {
      // ASCII, most of most texts: no decoding, no ICU.
      uint8_t b = s[i++];
      word = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
    } else {
      UChar32 c = -1;
      if (i < length) U8_NEXT(s, i, length, c);
      else ++i;
      word = c >= 0 && IsWordChar(c);
    }
    if (word && start < 0) start = here;
    if (!word && start >= 0) {
      if (!visit(text.substr(static_cast<size_t>(start), static_cast<size_t>(here - start)),
                 static_cast<uint32_t>(start))) {
        return;
      }
      start = -1;
    }
  }
}

void FoldInto(std::string& out, std::string_view word) {
  out.clear();
  out.reserve(word.size());
  const auto* s = reinterpret_cast<const uint8_t*>(word.data());
  int32_t length = static_cast<int32_t>(std::min<size_t>(word.size(), INT32_MAX));
  int32_t i = 0;
  while (i < length) {
    // Plain ASCII letters and digits, the bulk of most texts, need no decoding.
    if (s[i] < 0x80 && s[i] != '\'') {
      char c = static_cast<char>(s[i++]);
      out += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) continue;
    // An elision is two words: "l'impiego" is "l impiego", as the taxonomy and the
    // index split it (Xapian would otherwise keep "l'impiego" as one term).
    if (c == '\'' || c == 0x2019 || c == 0x02BC) {
      out += ' ';
      continue;
    }
    if (u_charType(c) == U_NON_SPACING_MARK) continue;
    AppendUtf8(out, StripAccent(u_tolower(c)));
  }
}

}  // namespace

std::string FoldWord(std::string_view word) {
  std::string out;
  FoldInto(out, word);
  return out;
}

namespace {

// The key of one word, in the thread's stem cache (valid until the thread's next call).
const std::string& CachedKey(std::string_view word) {
  thread_local std::string folded;
  FoldInto(folded, word);
  return ItalianStems().Stem(folded);
}

}  // namespace

std::vector<WordKey> WordKeys(std::string_view text) {
  std::vector<WordKey> keys;
  keys.reserve(text.size() / 6);
  ForEachWord(text, [&](std::string_view word, uint32_t offset) {
    keys.push_back({CachedKey(word), offset, static_cast<uint32_t>(word.size())});
    return true;
  });
  return keys;
}

std::vector<WordSpan> WordSpans(std::string_view text) {
  std::vector<WordSpan> spans;
  spans.reserve(text.size() / 6);
  ForEachWord(text, [&](std::string_view word, uint32_t offset) {
    spans.push_back({offset, static_cast<uint32_t>(word.size())});
    return true;
  });
  return spans;
}

void VisitWords(std::string_view text, const std::function<bool(uint32_t, uint32_t)>& visit) {
  ForEachWord(text, [&](std::string_view word, uint32_t offset) {
    return visit(offset, static_cast<uint32_t>(word.size()));
  });
}

bool EndsInWordCharacter(std::string_view text) {
  if (text.empty()) return false;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t end = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  if (s[end - 1] < 0x80) return IsWordChar(s[end - 1]);
  UChar32 c;
  U8_PREV(s, 0, end, c);
  return c >= 0 && IsWordChar(c);
}

std::string KeyOfWord(std::string_view word) { return CachedKey(word); }

std::vector<std::string> PhraseKeys(std::string_view phrase) {
  std::vector<std::string> keys;
  for (auto& word : WordKeys(phrase)) keys.push_back(std::move(word.key));
  return keys;
}

}  // namespace correlare::taxonomy
