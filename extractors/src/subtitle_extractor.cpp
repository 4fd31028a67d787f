// SubtitleExtractor: SRT (application/x-subrip) and WebVTT (text/vtt) transcripts. The
// text holds one cue per line; each Cue gives the cue's time span and its place in the
// text.
//
// Both formats are blocks separated by blank lines: an optional identifier (the SRT
// index, a VTT cue id), a timing line "start --> end [settings]", then the cue text.
// WebVTT adds a "WEBVTT" header and NOTE/STYLE/REGION blocks, which are skipped. The
// grammar is a few lines of code and no packaged library parses it short of FFmpeg, so
// it is parsed here. A damaged cue is skipped with a warning; a file where no cue parses
// is kCorrupt.

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_extractors.h"
#include "extractors/text_utils.h"

namespace correlare::extractors {
namespace {

// Markup, ids and timings take room too: this much input is enough to fill the text
// limit several times over, and bounds the work on a huge file.
constexpr uint64_t kInputBytesPerTextByte = 4;
// A broken file can have a problem on every block: the rest are counted, not listed.
constexpr size_t kMaxWarnings = 20;

struct ParsedCue {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  std::string text;
};

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t");
  return s.substr(begin, end - begin + 1);
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

// Parses a whole number of at most `max_digits` digits.
std::optional<int64_t> ParseNumber(std::string_view s, size_t max_digits) {
  if (!IsDigits(s) || s.size() > max_digits) return std::nullopt;
  int64_t value = 0;
  for (char c : s) value = value * 10 + (c - '0');
  return value;
}

// "[HH:]MM:SS[,.]mmm" (SRT writes a comma, VTT a dot) in milliseconds. Lenient where
// files in the wild are: one-digit fields, a missing or short fraction.
std::optional<int64_t> ParseTimestamp(std::string_view s) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  for (size_t colon; (colon = s.find(':', start)) != std::string_view::npos; start = colon + 1) {
    fields.push_back(s.substr(start, colon - start));
  }
  fields.push_back(s.substr(start));
  if (fields.size() < 2 || fields.size() > 3) return std::nullopt;

  std::string_view seconds_field = fields.back();
  std::string_view fraction;
  size_t mark = seconds_field.find_first_of(",.");
  if (mark != std::string_view::npos) {
    fraction = seconds_field.substr(mark + 1);
    seconds_field = seconds_field.substr(0, mark);
    if (fraction.empty()) return std::nullopt;
  }
  auto hours = fields.size() == 3 ? ParseNumber(fields[0], 6) : std::optional<int64_t>(0);
  auto minutes = ParseNumber(fields[fields.size() - 2], 2);
  auto seconds = ParseNumber(seconds_field, 2);
  auto millis = fraction.empty() ? std::optional<int64_t>(0) : ParseNumber(fraction, 3);
  if (!hours || !minutes || !seconds || !millis || *minutes >= 60 || *seconds >= 60) {
    return std::nullopt;
  }
  for (size_t digits = fraction.size(); digits > 0 && digits < 3; ++digits) *millis *= 10;
  return ((*hours * 60 + *minutes) * 60 + *seconds) * 1000 + *millis;
}

// "00:01:02,500 --> 00:01:04,000 align:start" -> {62500, 64000}; settings are ignored.
std::optional<ParsedCue> ParseTiming(std::string_view line) {
  size_t arrow = line.find("-->");
  if (arrow == std::string_view::npos) return std::nullopt;
  std::string_view after = Trim(line.substr(arrow + 3));
  auto start = ParseTimestamp(Trim(line.substr(0, arrow)));
  auto end = ParseTimestamp(after.substr(0, after.find_first_of(" \t")));
  if (!start || !end) return std::nullopt;
  ParsedCue cue;
  cue.start_ms = *start;
  cue.end_ms = *end;
  return cue;
}

void AppendCodePoint(std::string& out, uint32_t c) {
  if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Decodes the character reference at the start of `s` ("&amp;", "&#233;"), appending it
// to `out`. Returns the bytes consumed, 0 when `s` is not one it knows.
size_t DecodeReference(std::string_view s, std::string& out) {
  size_t semicolon = s.find(';');
  if (semicolon == std::string_view::npos || semicolon > 10) return 0;
  std::string_view name = s.substr(1, semicolon - 1);
  static const std::pair<std::string_view, std::string_view> kNamed[] = {
      {"amp", "&"},  {"lt", "<"},   {"gt", ">"}, {"quot", "\""},
      {"apos", "'"}, {"nbsp", " "}, {"lrm", ""}, {"rlm", ""}};
  for (const auto& [entity, value] : kNamed) {
    if (name == entity) {
      out += value;
      return semicolon + 1;
    }
  }
  if (name.size() >= 2 && name[0] == '#') {
    bool hex = name[1] == 'x' || name[1] == 'X';
    std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty() || digits.size() > 6) return 0;
    uint32_t code = 0;
    for (char c : digits) {
      int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : hex && std::isxdigit(static_cast<unsigned char>(c))
                      ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                      : -1;
      if (digit < 0) return 0;
      code = code * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
    }
    AppendCodePoint(out, code);
    return semicolon + 1;
  }
  return 0;
}

// One line of cue text without markup: tags (<i>, <c.yellow>, <00:00:01.000>, <font>)
// are dropped, a voice tag <v Name> becomes "Name: ", character references are decoded
// and SSA overrides such as {\an8}, common in SRT, are dropped.
std::string CleanCueLine(std::string_view line) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    char c = line[i];
    if (c == '<' && i + 1 < line.size() &&
        (std::isalnum(static_cast<unsigned char>(line[i + 1])) || line[i + 1] == '/')) {
      size_t close = line.find('>', i);
      if (close != std::string_view::npos) {
        std::string_view tag = line.substr(i + 1, close - i - 1);
        size_t name_end = tag.find_first_of(" \t.");
        if (tag.substr(0, name_end) == "v" && name_end != std::string_view::npos) {
          size_t space = tag.find_first_of(" \t");
          std::string_view speaker =
              space == std::string_view::npos ? std::string_view() : Trim(tag.substr(space));
          if (!speaker.empty()) {
            out += ' ';
            out += speaker;
            out += ": ";
          }
        }
        i = close + 1;
        continue;
      }
    }
    if (c == '{' && i + 1 < line.size() && line[i + 1] == '\\') {
      size_t close = line.find('}', i);
      if (close != std::string_view::npos) {
        i = close + 1;
        continue;
      }
    }
    if (c == '&') {
      size_t used = DecodeReference(line.substr(i), out);
      if (used > 0) {
        i += used;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

// The lines of a cue joined by spaces (they are display wrapping, not structure), with
// runs of white space collapsed.
std::string CueText(const std::vector<std::string_view>& lines) {
  std::string joined;
  for (std::string_view line : lines) {
    joined += CleanCueLine(line);
    joined += ' ';
  }
  std::string text;
  bool space = false;
  for (char c : joined) {
    if (c == ' ' || c == '\t') {
      space = !text.empty();
    } else {
      if (space) text += ' ';
      space = false;
      text += c;
    }
  }
  return text;
}

bool StartsWithWord(std::string_view line, std::string_view word) {
  return line.starts_with(word) &&
         (line.size() == word.size() || line[word.size()] == ' ' || line[word.size()] == '\t');
}

class SubtitleParser {
 public:
  explicit SubtitleParser(ExtractedDocument& doc) : doc_(doc) {}

  // Parses the whole (UTF-8, LF) text into cues_.
  void Parse(std::string_view text) {
    std::vector<std::string_view> block;
    size_t block_line = 0;
    size_t line_number = 0;
    for (size_t pos = 0; pos <= text.size();) {
      size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view line = text.substr(pos, end - pos);
      ++line_number;
      if (Trim(line).empty()) {
        if (!block.empty()) Block(block, block_line);
        block.clear();
      } else {
        if (block.empty()) block_line = line_number;
        block.push_back(line);
      }
      pos = end + 1;
    }
    if (!block.empty()) Block(block, block_line);
  }

  const std::vector<ParsedCue>& cues() const { return cues_; }

  void Warn(std::string message) {
    ++warning_count_;
    if (warning_count_ <= kMaxWarnings) {
      if (first_warning_.empty()) first_warning_ = message;
      doc_.warnings.push_back(std::move(message));
    }
  }

  // Notes how many warnings were left out; call once at the end.
  void FinishWarnings() {
    if (warning_count_ > kMaxWarnings) {
      doc_.warnings.push_back(std::to_string(warning_count_ - kMaxWarnings) +
                              " more problems with cues not listed");
    }
  }

  const std::string& first_warning() const { return first_warning_; }

 private:
  void Block(const std::vector<std::string_view>& lines, size_t line_number) {
    std::string_view first = Trim(lines[0]);
    bool at_start = blocks_seen_++ == 0;
    if (at_start && first.starts_with("WEBVTT")) return Header(lines, line_number);
    if (StartsWithWord(first, "NOTE")) return Note(lines);
    if (StartsWithWord(first, "STYLE") || StartsWithWord(first, "REGION")) return;

    // The timing is the first line, or the second after an identifier.
    size_t timing = lines[0].find("-->") != std::string_view::npos ? 0 : 1;
    if (lines.size() <= timing || lines[timing].find("-->") == std::string_view::npos) {
      // Cue text with a blank line inside (seen in SRT) continues the previous cue; a
      // block opening with an SRT index is a cue whose timing is broken.
      if (previous_was_cue_ && !IsDigits(first)) {
        std::string more = CueText(lines);
        if (!more.empty()) cues_.back().text += ' ' + more;
        return;
      }
      previous_was_cue_ = false;
      return Warn("line " + std::to_string(line_number) + ": no cue timing, block skipped");
    }
    std::optional<ParsedCue> cue = ParseTiming(lines[timing]);
    if (!cue) {
      previous_was_cue_ = false;
      return Warn("line " + std::to_string(line_number + timing) + ": malformed cue timing '" +
                  std::string(Trim(lines[timing]).substr(0, 80)) + "', cue skipped");
    }
    if (cue->end_ms < cue->start_ms) {
      Warn("line " + std::to_string(line_number + timing) + ": cue ends before it starts");
      cue->end_ms = cue->start_ms;
    }
    cue->text = CueText(
        std::vector<std::string_view>(lines.begin() + static_cast<long>(timing) + 1, lines.end()));
    previous_was_cue_ = true;
    cues_.push_back(std::move(*cue));
  }

  // "WEBVTT - Title" and header lines such as "Language: it" (as YouTube writes them).
  // A cue that follows the header without the blank line is still read.
  void Header(const std::vector<std::string_view>& lines, size_t line_number) {
    std::string_view title = Trim(Trim(lines[0]).substr(6));
    while (!title.empty() && (title.front() == '-' || title.front() == ' ')) title.remove_prefix(1);
    doc_.heading = std::string(title);
    for (size_t i = 1; i < lines.size(); ++i) {
      std::string_view line = Trim(lines[i]);
      if (line.find("-->") != std::string_view::npos) {
        return Block(
            std::vector<std::string_view>(lines.begin() + static_cast<long>(i), lines.end()),
            line_number + i);
      }
      if (line.starts_with("Language:")) doc_.declared_lang = std::string(Trim(line.substr(9)));
    }
  }

  // The first NOTE is kept as the description: transcripts put their provenance there.
  void Note(const std::vector<std::string_view>& lines) {
    if (doc_.metadata.count("description") != 0) return;
    std::string note = CueText(lines);
    note = std::string(Trim(std::string_view(note).substr(4)));
    if (!note.empty()) doc_.metadata["description"] = note;
  }

  ExtractedDocument& doc_;
  std::vector<ParsedCue> cues_;
  size_t blocks_seen_ = 0;
  bool previous_was_cue_ = false;
  size_t warning_count_ = 0;
  std::string first_warning_;
};

class SubtitleExtractor : public Extractor {
 public:
  std::string_view name() const override { return "subtitle"; }

  std::vector<std::string> mime_types() const override {
    return {"application/x-subrip", "text/vtt"};
  }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    ExtractedDocument doc;
    const uint64_t max_text = input.limits.max_text_bytes;
    std::string_view bytes = input.bytes;
    bool cut_input = false;
    if (max_text < bytes.size() / kInputBytesPerTextByte) {
      bytes = bytes.substr(0, static_cast<size_t>(max_text * kInputBytesPerTextByte));
      bytes = bytes.substr(0, bytes.rfind('\n') + 1);  // whole lines only
      cut_input = true;
    }
    std::string charset = DetectCharset(bytes);
    doc.metadata["charset"] = charset;
    std::string utf8 = ToUtf8(bytes, charset);

    SubtitleParser parser(doc);
    parser.Parse(utf8);
    parser.FinishWarnings();
    if (parser.cues().empty()) {
      std::string reason = "no subtitle cues found";
      if (!parser.first_warning().empty()) reason += " (" + parser.first_warning() + ")";
      return Status(StatusCode::kCorrupt, reason);
    }

    for (const ParsedCue& parsed : parser.cues()) {
      if (parsed.text.empty()) continue;
      if (!doc.text.empty() && !AppendBounded(doc.text, "\n", max_text)) {
        cut_input = true;
        break;
      }
      Cue cue;
      cue.start_ms = parsed.start_ms;
      cue.end_ms = parsed.end_ms;
      cue.offset = doc.text.size();
      bool whole = AppendBounded(doc.text, parsed.text, max_text);
      cue.length = doc.text.size() - cue.offset;
      if (cue.length > 0) doc.cues.push_back(cue);
      if (!whole) {
        cut_input = true;
        break;
      }
    }
    if (!doc.text.empty() && doc.text.back() == '\n') doc.text.pop_back();
    if (cut_input) {
      doc.text_truncated = true;
      doc.warnings.push_back("text truncated at " + std::to_string(max_text) + " bytes");
    }
    doc.metadata["cues"] = std::to_string(doc.cues.size());
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeSubtitleExtractor() { return std::make_unique<SubtitleExtractor>(); }

}  // namespace correlare::extractors
