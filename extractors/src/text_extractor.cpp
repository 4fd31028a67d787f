// PlainTextExtractor: text/plain and the other text/* types no richer extractor takes
// (CSV, Markdown, source code, logs). The charset comes from the BOM or from detection
// (text_utils.h); the text is converted to UTF-8, tidied and capped.
//
// Only as many input bytes as can fill Limits::max_text_bytes are converted, so a huge
// file (say a 50 MB single line) costs time and memory bounded by the limit, not by its
// size.

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_extractors.h"
#include "extractors/text_utils.h"

namespace correlare::extractors {
namespace {

// A first line longer than this is a paragraph, not a title.
constexpr size_t kMaxHeadingBytes = 120;
// Room past the cap so that a character cut at the input cap is beyond the output cap.
constexpr uint64_t kCapSlack = 8;

// Most output bytes one input byte can yield is at least 1/factor: UTF-16 needs two input
// bytes for an ASCII character, UTF-32 four; every other charset at least one.
uint64_t InputBytesPerOutputByte(const std::string& charset) {
  if (charset.rfind("utf-16", 0) == 0 || charset.rfind("ucs-2", 0) == 0) return 2;
  if (charset.rfind("utf-32", 0) == 0 || charset.rfind("ucs-4", 0) == 0) return 4;
  return 1;
}

// How many input bytes to convert to fill `max_text` output bytes: at most `size`.
size_t InputCap(uint64_t max_text, uint64_t factor, size_t size) {
  if (max_text >= size / factor) return size;
  return static_cast<size_t>(std::min<uint64_t>(size, max_text * factor + kCapSlack));
}

bool HasBom(std::string_view bytes) {
  return bytes.substr(0, 3) == "\xEF\xBB\xBF" || bytes.substr(0, 2) == "\xFF\xFE" ||
         bytes.substr(0, 2) == "\xFE\xFF";
}

// Damaged UTF-8 (a few bad bytes among many good characters) is still UTF-8: decoding
// it as Windows-1252 would garble every accented letter. Windows-1252 text, in turn,
// almost never holds a valid multi-byte UTF-8 sequence, so a few of them against not
// many bad bytes tell the two apart.
bool LooksLikeDamagedUtf8(std::string_view bytes) {
  constexpr uint64_t kInvalidPerValid = 8;
  uint64_t valid = 0;
  uint64_t invalid = 0;
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  int32_t length = static_cast<int32_t>(std::min<size_t>(bytes.size(), INT32_MAX));
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      ++invalid;
    } else if (c >= 0x80) {
      ++valid;
    }
  }
  return valid > 0 && valid * kInvalidPerValid >= invalid;
}

// `checked` without a character that the cut at its end may have split.
std::string_view WithoutCutCharacter(std::string_view checked, size_t whole_size) {
  if (checked.size() == whole_size) return checked;
  size_t keep = checked.size();
  while (keep > 0 && checked.size() - keep < 4 &&
         (static_cast<unsigned char>(checked[keep - 1]) & 0xC0) == 0x80) {
    --keep;
  }
  if (keep > 0 && static_cast<unsigned char>(checked[keep - 1]) >= 0xC0) --keep;
  return checked.substr(0, keep);
}

// The charset of `bytes`, of which `checked` (a prefix) is the part that will be
// converted. DetectCharset (BOM, UTF-8 validity, uchardet) looks at the start of the file
// only; two cases are judged again on `checked`:
// - plain ASCII at the start and not UTF-8 further on: detected again from the first
//   non-ASCII byte. That part may be short, and uchardet then often names an unlikely
//   Latin charset: only a Western one is believed, else Windows-1252;
// - not UTF-8 for uchardet, but damaged UTF-8 (LooksLikeDamagedUtf8): UTF-8, repaired.
std::string ChooseCharset(std::string_view bytes, std::string_view checked) {
  std::string charset = DetectCharset(bytes);
  if (HasBom(bytes)) return charset;
  checked = WithoutCutCharacter(checked, bytes.size());
  if (charset != "utf-8") {
    bool single_byte = InputBytesPerOutputByte(charset) == 1;
    return single_byte && LooksLikeDamagedUtf8(checked) ? "utf-8" : charset;
  }
  if (IsValidUtf8(checked) || LooksLikeDamagedUtf8(checked)) return charset;
  auto first_high = std::find_if(checked.begin(), checked.end(),
                                 [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  std::string second =
      DetectCharset(checked.substr(static_cast<size_t>(first_high - checked.begin())));
  bool western = second == "iso-8859-1" || second == "iso-8859-15" ||
                 second.rfind("windows-125", 0) == 0 || second.rfind("utf-", 0) == 0;
  return western ? second : "windows-1252";
}

// Form feeds separate pages in text printed by tools such as pdftotext; UTF-8 repair
// drops control characters, so they become paragraph breaks first. Only for charsets
// where byte 0x0C is the form feed.
std::string_view FormFeedsToBreaks(std::string_view bytes, const std::string& charset,
                                   std::string& storage) {
  if (InputBytesPerOutputByte(charset) != 1 || bytes.find('\f') == std::string_view::npos) {
    return bytes;
  }
  storage.reserve(bytes.size() + 16);
  for (char c : bytes) {
    if (c == '\f') {
      storage += "\n\n";
    } else {
      storage += c;
    }
  }
  return storage;
}

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

bool IsUnderline(std::string_view line) {
  line = Trim(line);
  return line.size() >= 3 && (line.find_first_not_of('=') == std::string_view::npos ||
                              line.find_first_not_of('-') == std::string_view::npos);
}

bool HasLetter(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalpha(u);
  });
}

// True when no ASCII letter is lower case (and there is at least one letter).
bool IsAllCaps(std::string_view s) {
  return HasLetter(s) && std::none_of(s.begin(), s.end(), [](char c) {
           return std::islower(static_cast<unsigned char>(c));
         });
}

// The first lines of `text` up to the first empty line, at most `max_lines` + 1 of them.
std::vector<std::string_view> FirstParagraph(std::string_view text, size_t max_lines) {
  std::vector<std::string_view> lines;
  size_t pos = text.find_first_not_of('\n');
  while (pos < text.size() && lines.size() <= max_lines) {
    size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = Trim(text.substr(pos, end - pos));
    if (line.empty()) break;
    lines.push_back(line);
    pos = end + 1;
  }
  return lines;
}

bool EndsLikeSentence(std::string_view line) {
  return !line.empty() && std::string_view(".,;:").find(line.back()) != std::string_view::npos;
}

// A block of a few short lines that does not read as wrapped prose: no line ends like a
// sentence and the second line does not carry on a sentence (lower-case start).
bool IsTitleBlock(const std::vector<std::string_view>& lines) {
  constexpr size_t kMaxTitleLines = 4;
  if (lines.size() > kMaxTitleLines) return false;
  for (std::string_view line : lines) {
    if (line.size() >= kMaxHeadingBytes || EndsLikeSentence(line)) return false;
  }
  return lines.size() < 2 || !std::islower(static_cast<unsigned char>(lines[1][0]));
}

// The first line is taken as the heading when it is short, has letters, is not a row of
// fields, does not end like a sentence, and stands apart from what follows: a Markdown
// "# " or an underline, all capitals, an empty line after it, or a short title block
// (title, subtitle, place and date) before the first empty line.
std::string FindHeading(std::string_view text, bool tabular) {
  if (tabular) return "";
  std::vector<std::string_view> paragraph = FirstParagraph(text, 4);
  if (paragraph.empty()) return "";
  std::string_view line = paragraph[0];
  bool underlined = paragraph.size() > 1 && IsUnderline(paragraph[1]);

  bool markdown = false;
  if (line.starts_with('#')) {
    size_t hashes = line.find_first_not_of('#');
    if (hashes != std::string_view::npos && hashes <= 6 && line[hashes] == ' ') {
      line = Trim(line.substr(hashes));
      markdown = true;
    }
  }
  if (line.size() < 3 || line.size() >= kMaxHeadingBytes || !HasLetter(line)) return "";
  if (EndsLikeSentence(line)) return "";
  if (std::count(line.begin(), line.end(), ';') >= 2 ||
      std::count(line.begin(), line.end(), ',') >= 3) {
    return "";  // a row of fields
  }
  // A text of one line has no title: it would be the whole text.
  if (text.find_first_not_of(" \n", text.find(paragraph[0]) + paragraph[0].size()) ==
      std::string_view::npos) {
    return "";
  }
  bool stands_apart =
      markdown || underlined || paragraph.size() == 1 || IsAllCaps(line) || IsTitleBlock(paragraph);
  return stands_apart ? std::string(line) : "";
}

class PlainTextExtractor : public Extractor {
 public:
  std::string_view name() const override { return "text"; }

  // text/* types libmagic reports for plain-text files. The registry also sends any
  // other unclaimed text/* type here.
  std::vector<std::string> mime_types() const override {
    return {"text/plain",         "text/csv",        "text/tab-separated-values",
            "text/markdown",      "text/x-markdown", "text/x-log",
            "text/x-diff",        "text/x-tex",      "text/troff",
            "text/x-po",          "text/x-c",        "text/x-c++",
            "text/x-java",        "text/x-python",   "text/x-script.python",
            "text/x-shellscript", "text/x-makefile", "text/x-asm",
            "text/x-perl",        "text/x-ruby",     "text/x-php",
            "text/x-msdos-batch", "text/x-Algol68"};  // a known false guess of libmagic on prose
  }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    ExtractedDocument doc;
    const uint64_t max_text = input.limits.max_text_bytes;
    std::string charset = ChooseCharset(
        input.bytes, input.bytes.substr(0, InputCap(max_text, 1, input.bytes.size())));
    doc.metadata["charset"] = charset;

    size_t input_cap = InputCap(max_text, InputBytesPerOutputByte(charset), input.bytes.size());
    std::string_view bytes = input.bytes.substr(0, input_cap);
    bool cut_input = bytes.size() < input.bytes.size();

    std::string with_breaks;
    bytes = FormFeedsToBreaks(bytes, charset, with_breaks);
    std::string text = TidyWhitespace(ToUtf8(bytes, charset));
    with_breaks = std::string();  // free it early: the text is what is kept

    if (text.size() > max_text) {
      AppendBounded(doc.text, text, max_text);
      cut_input = true;
    } else {
      doc.text = std::move(text);
    }
    if (cut_input) {
      doc.text_truncated = true;
      doc.warnings.push_back("text truncated at " + std::to_string(max_text) + " bytes");
    }
    bool tabular = input.mime == "text/csv" || input.mime == "text/tab-separated-values";
    doc.heading = FindHeading(doc.text, tabular);
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakePlainTextExtractor() {
  return std::make_unique<PlainTextExtractor>();
}

}  // namespace correlare::extractors
