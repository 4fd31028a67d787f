// HTML and XHTML with gumbo (an HTML5 parser: entities, implied tags and broken markup
// are handled as a browser would). Only visible text is kept: script, style, noscript,
// template, the head (save <title>), elements with the `hidden` attribute or an inline
// `display:none` are skipped. Block elements give paragraph breaks, <br> a line break.
//
// gumbo reads UTF-8 only: bytes that are not valid UTF-8 are converted first, from the
// charset the page declares (<meta charset>, http-equiv) or, failing that, a guessed one.
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "builtin_extractors.h"
#include "extractors/text_utils.h"

namespace correlare::extractors {
namespace {

// Elements nested deeper than this are skipped (with a warning).
constexpr int kMaxDepth = 512;

std::string Lower(std::string_view s) {
  std::string lower(s);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::string_view AttrOf(const GumboNode* node, const char* name) {
  const GumboAttribute* attr = gumbo_get_attribute(&node->v.element.attributes, name);
  return attr ? std::string_view(attr->value) : std::string_view();
}

bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

// Runs of whitespace become one space; the result is trimmed.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

// "2023-05-10T09:00:00Z", "2023-05-10", "2023/5/10" -> "2023-05-10"; "10/05/2023" and
// "10.05.2023" (day first, the Italian order) -> "2023-05-10"; "2023" -> "2023".
std::string NormalizeDate(std::string_view value) {
  std::vector<std::string> numbers;
  std::string current;
  for (size_t i = 0; i <= value.size() && numbers.size() < 3; ++i) {
    char c = i < value.size() ? value[i] : '\0';
    if (c >= '0' && c <= '9') {
      current += c;
    } else if (!current.empty()) {
      numbers.push_back(current);
      current.clear();
      if (c == 'T' || c == ' ') break;  // the time of day follows
    }
  }
  if (numbers.empty()) return "";
  std::string year, month, day;
  if (numbers[0].size() == 4) {
    year = numbers[0];
    if (numbers.size() == 3) {
      month = numbers[1];
      day = numbers[2];
    }
  } else if (numbers.size() == 3 && numbers[2].size() == 4) {
    year = numbers[2];
    month = numbers[1];
    day = numbers[0];
  } else {
    return "";
  }
  if (year < "1900") return "";
  if (month.empty() || month.size() > 2 || day.size() > 2) return year;
  int m = std::stoi(month), d = std::stoi(day);
  if (m < 1 || m > 12 || d < 1 || d > 31) return year;
  char date[11];
  std::snprintf(date, sizeof(date), "%s-%02d-%02d", year.c_str(), m, d);
  return date;
}

// What the page says of itself, gathered from <html>, <head> and the first headings.
struct PageFacts {
  std::string charset;
  std::string title, og_title;
  std::string h1, h2;
  std::string lang, content_language;
  std::string description, og_description, keywords, author, dc_creator, generator;
  std::string date;
  int date_rank = 99;  // lower is better; see ReadMeta
};

// The text of an element for a title or heading, whitespace collapsed.
std::string PlainText(const GumboNode* node, int depth) {
  if (depth > kMaxDepth) return "";
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA ||
      node->type == GUMBO_NODE_WHITESPACE) {
    return node->v.text.text;
  }
  if (!IsElement(node) || node->v.element.tag == GUMBO_TAG_SCRIPT ||
      node->v.element.tag == GUMBO_TAG_STYLE) {
    return "";
  }
  if (node->v.element.tag == GUMBO_TAG_BR) return " ";
  std::string text;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    text += PlainText(static_cast<const GumboNode*>(children.data[i]), depth + 1);
  }
  return depth == 0 ? CollapseSpaces(text) : text;
}

void ReadMeta(const GumboNode* meta, PageFacts& facts) {
  std::string_view charset = AttrOf(meta, "charset");
  std::string content = CollapseSpaces(AttrOf(meta, "content"));
  std::string http_equiv = Lower(AttrOf(meta, "http-equiv"));
  if (!charset.empty() && facts.charset.empty()) facts.charset = CollapseSpaces(charset);
  if (http_equiv == "content-type" && facts.charset.empty()) {
    std::string lower = Lower(content);
    size_t at = lower.find("charset=");
    if (at != std::string::npos) {
      std::string value = content.substr(at + 8);
      facts.charset = CollapseSpaces(value.substr(0, value.find_first_of("; \"'")));
    }
  }
  if (http_equiv == "content-language" && facts.content_language.empty()) {
    facts.content_language = content.substr(0, content.find(','));
  }
  if (content.empty()) return;
  std::string name = Lower(AttrOf(meta, "name"));
  if (name.empty()) name = Lower(AttrOf(meta, "property"));
  auto set_once = [&](std::string& field) {
    if (field.empty()) field = content;
  };
  if (name == "description") set_once(facts.description);
  if (name == "og:description") set_once(facts.og_description);
  if (name == "keywords") set_once(facts.keywords);
  if (name == "author") set_once(facts.author);
  if (name == "dc.creator" || name == "dcterms.creator") set_once(facts.dc_creator);
  if (name == "og:title") set_once(facts.og_title);
  if (name == "generator") set_once(facts.generator);
  static const char* const kDateNames[] = {
      "date", "article:published_time", "dcterms.date", "dc.date", "dcterms.created",
      "dc.date.issued", "dcterms.issued"};
  for (int rank = 0; rank < static_cast<int>(std::size(kDateNames)); ++rank) {
    if (name != kDateNames[rank] || rank >= facts.date_rank) continue;
    std::string date = NormalizeDate(content);
    if (!date.empty()) {
      facts.date = date;
      facts.date_rank = rank;
    }
  }
}

// One pass over the whole tree (iterative, so any depth is safe) for the facts above.
PageFacts ReadFacts(const GumboNode* root) {
  PageFacts facts;
  std::vector<const GumboNode*> stack = {root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) children = &node->v.document.children;
    if (IsElement(node)) children = &node->v.element.children;
    if (children == nullptr) continue;
    // Children pushed in reverse so that they are visited in document order.
    for (unsigned i = children->length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children->data[i - 1]));
    }
    if (!IsElement(node)) continue;
    const GumboElement& element = node->v.element;
    bool html = element.tag_namespace == GUMBO_NAMESPACE_HTML;
    if (html && element.tag == GUMBO_TAG_HTML) {
      facts.lang = CollapseSpaces(AttrOf(node, "lang"));
      if (facts.lang.empty()) facts.lang = CollapseSpaces(AttrOf(node, "xml:lang"));
    } else if (html && element.tag == GUMBO_TAG_META) {
      ReadMeta(node, facts);
    } else if (html && element.tag == GUMBO_TAG_TITLE && facts.title.empty()) {
      facts.title = PlainText(node, 0);
    } else if (html && element.tag == GUMBO_TAG_H1 && facts.h1.empty()) {
      facts.h1 = PlainText(node, 0);
    } else if (html && element.tag == GUMBO_TAG_H2 && facts.h2.empty()) {
      facts.h2 = PlainText(node, 0);
    }
  }
  return facts;
}

// Builds the visible text. Whitespace collapses as in a browser, except inside <pre>.
// Breaks are held until the next visible character, so the text never begins or ends
// with one and a run of blocks gives a single paragraph break.
class VisibleTextWriter {
 public:
  explicit VisibleTextWriter(uint64_t max_bytes) : max_bytes_(max_bytes) {}

  bool full() const { return truncated_; }
  bool too_deep() const { return too_deep_; }

  void Walk(const GumboNode* node, int depth, bool preformatted) {
    if (truncated_) return;
    if (depth > kMaxDepth) {
      too_deep_ = true;
      return;
    }
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        Text(node->v.text.text, preformatted);
        return;
      case GUMBO_NODE_DOCUMENT:
        WalkChildren(node->v.document.children, depth, preformatted);
        return;
      case GUMBO_NODE_ELEMENT:
        break;
      default:  // comments, templates
        return;
    }
    const GumboElement& element = node->v.element;
    if (IsInvisible(node)) return;
    int breaks = BreaksAround(element.tag);
    if (element.tag == GUMBO_TAG_BR) {
      pending_break_ = std::min(pending_break_ + 1, 2);
      return;
    }
    if (element.tag == GUMBO_TAG_TD || element.tag == GUMBO_TAG_TH) pending_space_ = '\t';
    Break(breaks);
    WalkChildren(element.children, depth,
                 preformatted || element.tag == GUMBO_TAG_PRE ||
                     element.tag == GUMBO_TAG_TEXTAREA || element.tag == GUMBO_TAG_LISTING);
    Break(breaks);
  }

  std::string Take() { return std::move(text_); }

 private:
  static bool IsInvisible(const GumboNode* node) {
    switch (node->v.element.tag) {
      case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE:
      case GUMBO_TAG_NOSCRIPT: case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_SVG:
      case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
      case GUMBO_TAG_SELECT: case GUMBO_TAG_DATALIST: case GUMBO_TAG_NOFRAMES:
      case GUMBO_TAG_NOEMBED: case GUMBO_TAG_RP:
        return true;
      case GUMBO_TAG_INPUT:
        return Lower(AttrOf(node, "type")) == "hidden";
      default:
        break;
    }
    if (gumbo_get_attribute(&node->v.element.attributes, "hidden") != nullptr) return true;
    std::string style = Lower(AttrOf(node, "style"));
    std::erase_if(style, [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
    return style.find("display:none") != std::string::npos ||
           style.find("visibility:hidden") != std::string::npos;
  }

  // 2: a block (paragraph break before and after); 1: a line of a list or table.
  static int BreaksAround(GumboTag tag) {
    switch (tag) {
      case GUMBO_TAG_LI: case GUMBO_TAG_DT: case GUMBO_TAG_DD: case GUMBO_TAG_TR:
      case GUMBO_TAG_OPTION: case GUMBO_TAG_LEGEND: case GUMBO_TAG_SUMMARY:
        return 1;
      case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
      case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION:
      case GUMBO_TAG_CENTER: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIV: case GUMBO_TAG_DL:
      case GUMBO_TAG_FIELDSET: case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE:
      case GUMBO_TAG_FOOTER: case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
      case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
      case GUMBO_TAG_HEADER: case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_HTML:
      case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV: case GUMBO_TAG_OL:
      case GUMBO_TAG_P: case GUMBO_TAG_PRE: case GUMBO_TAG_SECTION: case GUMBO_TAG_TABLE:
      case GUMBO_TAG_UL: case GUMBO_TAG_LISTING: case GUMBO_TAG_TEXTAREA:
        return 2;
      default:
        return 0;
    }
  }

  void WalkChildren(const GumboVector& children, int depth, bool preformatted) {
    for (unsigned i = 0; i < children.length && !truncated_; ++i) {
      Walk(static_cast<const GumboNode*>(children.data[i]), depth + 1, preformatted);
    }
  }

  void Break(int breaks) { pending_break_ = std::max(pending_break_, breaks); }

  void Text(std::string_view text, bool preformatted) {
    for (char c : text) {
      if (c == '\r') continue;
      if (preformatted && c == '\n') {
        pending_break_ = std::min(pending_break_ + 1, 2);
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\n' || c == '\f') {
        if (preformatted) {
          Put(c);
        } else if (pending_space_ == 0) {
          pending_space_ = ' ';
        }
        continue;
      }
      Put(c);
    }
  }

  void Put(char c) {
    if (!text_.empty()) {
      if (pending_break_ > 0) {
        Append(pending_break_ == 2 ? "\n\n" : "\n");
      } else if (pending_space_ != 0) {
        Append(std::string_view(&pending_space_, 1));
      }
    }
    pending_break_ = 0;
    pending_space_ = 0;
    Append(std::string_view(&c, 1));
  }

  void Append(std::string_view piece) {
    if (!truncated_ && !AppendBounded(text_, piece, max_bytes_)) truncated_ = true;
  }

  uint64_t max_bytes_;
  std::string text_;
  int pending_break_ = 0;   // 0 none, 1 line, 2 paragraph
  char pending_space_ = 0;  // ' ' or '\t' (between table cells), 0 none
  bool truncated_ = false;
  bool too_deep_ = false;
};

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};
using ParsedHtml = std::unique_ptr<GumboOutput, GumboOutputDeleter>;

ParsedHtml ParseHtml(std::string_view utf8) {
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are of no use here and cost memory
  return ParsedHtml(gumbo_parse_with_options(&options, utf8.data(), utf8.size()));
}

// Browsers read these labels as windows-1252 (WHATWG Encoding Standard); so do we,
// which keeps curly quotes and the euro sign of pages that call themselves Latin-1.
std::string CharsetForConversion(std::string charset) {
  std::string lower = Lower(charset);
  if (lower == "iso-8859-1" || lower == "latin1" || lower == "us-ascii" ||
      lower == "ascii" || lower == "iso8859-1") {
    return "windows-1252";
  }
  return charset;
}

class HtmlExtractor : public Extractor {
 public:
  std::string_view name() const override { return "html"; }
  std::vector<std::string> mime_types() const override {
    return {"text/html", "application/xhtml+xml"};
  }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    try {
      return ExtractPage(input);
    } catch (const std::bad_alloc&) {
      return Status(StatusCode::kLimitExceeded, "out of memory while reading the HTML page");
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal, std::string("HTML extractor failed: ") + e.what());
    }
  }

 private:
  static Result<ExtractedDocument> ExtractPage(const ExtractInput& input) {
    std::string_view bytes = input.bytes;
    if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
    std::string charset = "UTF-8";
    std::string converted;
    bool utf16 = bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
    if (utf16 || !IsValidUtf8(bytes)) {
      // gumbo replaces invalid bytes, so a first parse can still find <meta charset>.
      if (!utf16) {
        ParsedHtml raw = ParseHtml(bytes);
        if (raw) charset = ReadFacts(raw->document).charset;
      }
      if (utf16 || charset.empty() || Lower(charset) == "utf-8" || Lower(charset) == "utf8") {
        charset = DetectCharset(bytes);
      }
      converted = ToUtf8(bytes, CharsetForConversion(charset));
      bytes = converted;
      if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);  // a converted BOM
    }

    ParsedHtml parsed = ParseHtml(bytes);
    if (!parsed) return Status(StatusCode::kInternal, "gumbo could not parse the page");
    PageFacts facts = ReadFacts(parsed->document);

    ExtractedDocument doc;
    VisibleTextWriter writer(input.limits.max_text_bytes);
    writer.Walk(parsed->document, 0, false);
    doc.text = writer.Take();
    doc.text_truncated = writer.full();
    if (writer.too_deep()) doc.warnings.push_back("HTML nested too deeply; inner content skipped");

    doc.metadata["charset"] = charset;
    doc.title = !facts.title.empty() ? facts.title : facts.og_title;
    doc.heading = !facts.h1.empty() ? facts.h1 : facts.h2;
    doc.declared_lang = !facts.lang.empty() ? facts.lang : facts.content_language;
    doc.date = facts.date;
    std::string author = !facts.author.empty() ? facts.author : facts.dc_creator;
    if (!author.empty()) doc.authors.push_back(author);
    std::string description = !facts.description.empty() ? facts.description
                                                          : facts.og_description;
    if (!description.empty()) doc.metadata["description"] = description;
    if (!facts.keywords.empty()) doc.metadata["keywords"] = facts.keywords;
    if (!facts.generator.empty()) doc.metadata["producer"] = facts.generator;
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeHtmlExtractor() { return std::make_unique<HtmlExtractor>(); }

}  // namespace correlare::extractors
