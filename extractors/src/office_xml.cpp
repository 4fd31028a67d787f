#include "office_xml.h"

#include <algorithm>
#include <cctype>

#include "extractors/text_utils.h"

namespace correlare::extractors::office {
namespace {

constexpr unsigned kXmlOptions = pugi::parse_default | pugi::parse_ws_pcdata | pugi::parse_doctype;

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         std::equal(suffix.begin(), suffix.end(), s.end() - suffix.size(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

// `text` without its "&name;" references.
std::string WithoutEntityReferences(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '&') {
      size_t end = i + 1;
      while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) ||
                                   text[end] == '_' || text[end] == '.' || text[end] == '-')) {
        ++end;
      }
      if (end > i + 1 && end < text.size() && text[end] == ';') {
        i = end + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

// pugixml never expands the entities a DTD declares: it leaves "&lol9;" in the text as
// it is. Office files have no business declaring any, so when a part carries a DOCTYPE
// those references are dropped from its text. Returns true when the part had one.
bool DropDtdEntities(pugi::xml_document& doc) {
  bool has_doctype = false;
  for (pugi::xml_node node : doc.children()) has_doctype |= node.type() == pugi::node_doctype;
  if (!has_doctype) return false;
  struct Stripper : pugi::xml_tree_walker {
    bool for_each(pugi::xml_node& node) override {
      if (node.type() == pugi::node_pcdata) {
        node.set_value(WithoutEntityReferences(node.value()).c_str());
      }
      return true;
    }
  } stripper;
  doc.traverse(stripper);  // iterative in pugixml: safe at any depth
  return true;
}

}  // namespace

bool IsXmlPart(const std::string& name) {
  return EndsWithNoCase(name, ".xml") || EndsWithNoCase(name, ".rels");
}

std::string_view LocalName(const char* qualified) {
  std::string_view name(qualified);
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool Is(pugi::xml_node node, std::string_view local) {
  return node.type() == pugi::node_element && LocalName(node.name()) == local;
}

pugi::xml_node Child(pugi::xml_node node, std::string_view local) {
  for (pugi::xml_node child : node.children()) {
    if (Is(child, local)) return child;
  }
  return {};
}

std::string_view Attr(pugi::xml_node node, std::string_view local, bool prefixed) {
  for (pugi::xml_attribute attr : node.attributes()) {
    std::string_view name(attr.name());
    if (prefixed && name.find(':') == std::string_view::npos) continue;
    if (LocalName(attr.name()) == local) return attr.value();
  }
  return {};
}

Status ParseXmlPart(std::string_view bytes, const std::string& part, pugi::xml_document& doc,
                    std::vector<std::string>& warnings) {
  pugi::xml_parse_result parsed = doc.load_buffer(bytes.data(), bytes.size(), kXmlOptions);
  if (parsed.status == pugi::status_out_of_memory) {
    return Status(StatusCode::kLimitExceeded, "out of memory while parsing " + part);
  }
  if (!parsed) {
    return Status(StatusCode::kCorrupt, part + " is not well-formed XML (" + parsed.description() +
                                            " at byte " + std::to_string(parsed.offset) + ")");
  }
  if (DropDtdEntities(doc)) {
    warnings.push_back(part + " declares a DTD; its entities were not expanded");
  }
  return Status();
}

std::string Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  size_t end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

std::string IsoDate(std::string_view value) {
  auto digits = [&](size_t from, size_t count) {
    if (value.size() < from + count) return false;
    return std::all_of(value.begin() + from, value.begin() + from + count,
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(0, 4) || value.substr(0, 4) < "1900") return "";
  if (digits(5, 2) && digits(8, 2) && value[4] == '-' && value[7] == '-') {
    return std::string(value.substr(0, 10));
  }
  return std::string(value.substr(0, 4));
}

// ---- ParagraphWriter -----------------------------------------------------------------

std::string ParagraphWriter::Paragraph(std::string_view text) {
  std::string paragraph = Trim(text);
  if (!paragraph.empty() && !truncated_) Write(paragraph);
  return paragraph;
}

void ParagraphWriter::Append(std::string_view piece) {
  if (!truncated_ && !AppendBounded(paragraph_, piece, max_bytes_)) truncated_ = true;
}

std::string ParagraphWriter::EndParagraph() {
  std::string paragraph = Trim(paragraph_);
  paragraph_.clear();
  // Written even when full(): what was appended before the cut still counts.
  if (!paragraph.empty()) Write(paragraph);
  return paragraph;
}

void ParagraphWriter::StartPage(int number) {
  EndParagraph();
  pending_pages_.push_back(number);
}

void ParagraphWriter::Finish(ExtractedDocument& doc) {
  EndParagraph();
  for (int number : pending_pages_) pages_.push_back({number, text_.size()});
  doc.text = std::move(text_);
  doc.text_truncated = truncated_;
  doc.pages = std::move(pages_);
}

void ParagraphWriter::Write(const std::string& paragraph) {
  if (!text_.empty() && !AppendBounded(text_, "\n\n", max_bytes_)) {
    truncated_ = true;
    return;
  }
  for (int number : pending_pages_) pages_.push_back({number, text_.size()});
  pending_pages_.clear();
  if (!AppendBounded(text_, paragraph, max_bytes_)) truncated_ = true;
}

}  // namespace correlare::extractors::office
