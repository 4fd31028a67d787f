// OpenDocument (ODT, ODS, ODP, ODG and their templates): content.xml and meta.xml are
// read from the ZIP with ZipContainer (only the XML parts are inflated) and parsed with
// the helpers of office_xml.h, which never expand DTD entities.
//
// Elements are matched by local name ("p" for "text:p"), so the code does not depend on
// the prefixes a producer chose. Whitespace inside a paragraph collapses as the ODF
// specification says; <text:s>, <text:tab> and <text:line-break> are the explicit forms.
#include <algorithm>
#include <charconv>
#include <map>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "builtin_extractors.h"
#include "office_xml.h"
#include "zip_container.h"

namespace correlare::extractors {
namespace {

using namespace office;  // LocalName, Is, Child, Attr, Trim, IsoDate, ParagraphWriter...

// <text:s text:c="1000000"/> writes at most this many spaces.
constexpr int kMaxSpaces = 64;

// Walks office:body. Text documents and presentations give a paragraph per text:p /
// text:h (table cells in turn); spreadsheets give per sheet its name, then one line per
// row with the cells separated by tabs. Repeated rows and columns are never expanded.
class BodyWriter {
 public:
  BodyWriter(ParagraphWriter& out, std::map<std::string, std::string> parent_styles)
      : out_(out), parent_styles_(std::move(parent_styles)) {}

  const std::string& heading() const { return heading_; }
  int pages() const { return pages_; }
  int sheets() const { return sheets_; }
  bool too_deep() const { return too_deep_; }

  void Blocks(pugi::xml_node parent, int depth, bool spreadsheet) {
    if (Deep(depth)) return;
    for (pugi::xml_node node : parent.children()) {
      if (out_.full()) return;
      if (node.type() != pugi::node_element) continue;
      std::string_view name = LocalName(node.name());
      if (name == "p" || name == "h") {
        Paragraph(node, depth + 1, name == "h" || IsTitleStyle(Attr(node, "style-name")));
      } else if (name == "table" && spreadsheet) {
        Sheet(node, depth + 1);
      } else if (name == "page" && depth == 0) {  // draw:page of a presentation
        out_.StartPage(++pages_);
        Blocks(node, depth + 1, spreadsheet);
      } else if (name == "frame" && Attr(node, "class") == "title" && heading_.empty()) {
        std::vector<pugi::xml_node> ignored;
        std::string title;
        for (pugi::xml_node p : Child(node, "text-box").children()) {
          if (Is(p, "p")) title += ' ' + Inline(p, depth + 1, ignored);
        }
        heading_ = Trim(title);
        Blocks(node, depth + 1, spreadsheet);
      } else if (name != "tracked-changes" && name != "annotation" &&
                 name != "table-of-content" && name != "forms") {
        Blocks(node, depth + 1, spreadsheet);  // lists, sections, frames, shapes, tables
      }
    }
  }

 private:
  bool Deep(int depth) {
    if (depth > kMaxXmlDepth) too_deep_ = true;
    return too_deep_;
  }

  // A paragraph style is a title when it is, or (automatic styles) derives from,
  // LibreOffice's "Title".
  bool IsTitleStyle(std::string_view style) const {
    if (style == "Title") return true;
    auto parent = parent_styles_.find(std::string(style));
    return parent != parent_styles_.end() && parent->second == "Title";
  }

  void Paragraph(pugi::xml_node p, int depth, bool is_heading) {
    std::vector<pugi::xml_node> deferred;
    std::string text = out_.Paragraph(Inline(p, depth, deferred));
    if (is_heading && heading_.empty()) heading_ = text;
    // Notes and text frames anchored in this paragraph follow it rather than split it.
    for (pugi::xml_node node : deferred) Blocks(node, depth + 1, false);
  }

  // The text of a paragraph's content. Notes bodies and frames go to `deferred`.
  std::string Inline(pugi::xml_node parent, int depth, std::vector<pugi::xml_node>& deferred) {
    std::string text;
    bool after_space = true;  // leading whitespace of a paragraph is dropped
    InlineInto(parent, depth, deferred, text, after_space);
    return text;
  }

  void InlineInto(pugi::xml_node parent, int depth, std::vector<pugi::xml_node>& deferred,
                  std::string& text, bool& after_space) {
    if (Deep(depth)) return;
    for (pugi::xml_node node : parent.children()) {
      if (text.size() > out_.max_bytes()) return;
      if (node.type() == pugi::node_pcdata || node.type() == pugi::node_cdata) {
        for (const char* c = node.value(); *c != '\0'; ++c) {
          bool space = *c == ' ' || *c == '\t' || *c == '\n' || *c == '\r';
          if (space && after_space) continue;
          text += space ? ' ' : *c;
          after_space = space;
        }
        continue;
      }
      if (node.type() != pugi::node_element) continue;
      std::string_view name = LocalName(node.name());
      if (name == "s") {
        std::string_view c = Attr(node, "c");
        int count = 1;
        std::from_chars(c.data(), c.data() + c.size(), count);
        text.append(static_cast<size_t>(std::clamp(count, 1, kMaxSpaces)), ' ');
        after_space = true;
      } else if (name == "tab") {
        text += '\t';
        after_space = true;
      } else if (name == "line-break") {
        text += '\n';
        after_space = true;
      } else if (name == "note") {
        if (pugi::xml_node body = Child(node, "note-body")) deferred.push_back(body);
      } else if (name == "frame") {
        deferred.push_back(node);
      } else if (name != "annotation" && name != "note-citation" && name != "ruby-text") {
        InlineInto(node, depth + 1, deferred, text, after_space);  // spans, links, fields
      }
    }
  }

  // One spreadsheet table: its name, then a line per non-empty row.
  void Sheet(pugi::xml_node table, int depth) {
    ++sheets_;
    std::string text(Attr(table, "name"));
    Rows(table, depth, text);
    out_.Paragraph(text);
  }

  void Rows(pugi::xml_node parent, int depth, std::string& text) {
    if (Deep(depth)) return;
    for (pugi::xml_node node : parent.children()) {
      if (text.size() > out_.max_bytes()) return;
      if (Is(node, "table-row")) {
        std::string line;
        for (pugi::xml_node cell : node.children()) {
          if (!Is(cell, "table-cell")) continue;
          std::string value = CellText(cell, depth + 1);
          if (value.empty()) continue;
          if (!line.empty()) line += '\t';
          line += value;
        }
        if (!line.empty()) text += '\n' + line;
      } else if (Is(node, "table-rows") || Is(node, "table-header-rows") ||
                 Is(node, "table-row-group")) {
        Rows(node, depth + 1, text);
      }
    }
  }

  // A cell's displayed text: its paragraphs joined by spaces.
  std::string CellText(pugi::xml_node cell, int depth) {
    std::string value;
    std::vector<pugi::xml_node> ignored;
    for (pugi::xml_node p : cell.children()) {
      if (!Is(p, "p")) continue;
      std::string text = Trim(Inline(p, depth + 1, ignored));
      if (text.empty()) continue;
      if (!value.empty()) value += ' ';
      value += text;
    }
    return value;
  }

  ParagraphWriter& out_;
  std::map<std::string, std::string> parent_styles_;  // automatic style -> its parent
  std::string heading_;
  int pages_ = 0;
  int sheets_ = 0;
  bool too_deep_ = false;
};

void ReadMeta(const pugi::xml_document& meta, ExtractedDocument& out) {
  std::string initial_creator, creator, creation_date, date, keywords;
  for (pugi::xml_node node : Child(Child(meta, "document-meta"), "meta").children()) {
    if (node.type() != pugi::node_element) continue;
    std::string_view name = LocalName(node.name());
    std::string value = Trim(node.child_value());
    if (name == "document-statistic") {
      std::string_view pages = Attr(node, "page-count");
      if (!pages.empty()) out.metadata["pages"] = std::string(pages);
    }
    if (value.empty()) continue;
    if (name == "title") {
      out.title = value;
    } else if (name == "initial-creator") {
      initial_creator = value;
    } else if (name == "creator") {
      creator = value;
    } else if (name == "creation-date") {
      creation_date = IsoDate(value);
    } else if (name == "date") {
      date = IsoDate(value);
    } else if (name == "language") {
      out.declared_lang = value;
    } else if (name == "keyword") {
      keywords += (keywords.empty() ? "" : ", ") + value;
    } else if (name == "subject" || name == "description") {
      out.metadata[std::string(name)] = value;
    } else if (name == "generator") {
      out.metadata["producer"] = value;
    }
  }
  // dc:creator is whoever saved last; the author is the initial creator when known.
  std::string author = initial_creator.empty() ? creator : initial_creator;
  if (!author.empty()) out.authors.push_back(author);
  out.date = creation_date.empty() ? date : creation_date;
  if (!keywords.empty()) out.metadata["keywords"] = keywords;
}

// ODF encrypts parts itself (not with ZIP encryption): the manifest says which.
bool IsEncrypted(const ZipContainer& zip) {
  const std::string kManifest = "META-INF/manifest.xml";
  pugi::xml_document manifest;
  std::vector<std::string> ignored;
  if (!zip.Has(kManifest) || !ParseXmlPart(zip.Get(kManifest), kManifest, manifest, ignored).ok()) {
    return false;
  }
  for (pugi::xml_node entry : manifest.document_element().children()) {
    if (Attr(entry, "full-path") == "content.xml" && Child(entry, "encryption-data")) return true;
  }
  return false;
}

// Parses one part; notes in `warnings` a DTD whose entities were dropped.
Status ParsePart(const ZipContainer& zip, const std::string& part, pugi::xml_document& doc,
                 std::vector<std::string>& warnings) {
  return ParseXmlPart(zip.Get(part), part, doc, warnings);
}

class OdfExtractor : public Extractor {
 public:
  std::string_view name() const override { return "odf"; }

  std::vector<std::string> mime_types() const override {
    const std::string kOdf = "application/vnd.oasis.opendocument.";
    return {kOdf + "text",         kOdf + "text-template",         kOdf + "text-master",
            kOdf + "spreadsheet",  kOdf + "spreadsheet-template",  kOdf + "presentation",
            kOdf + "presentation-template", kOdf + "graphics",     kOdf + "graphics-template"};
  }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    try {
      return ExtractPackage(input);
    } catch (const std::bad_alloc&) {
      return Status(StatusCode::kLimitExceeded, "out of memory while reading the ODF file");
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal, std::string("ODF extractor failed: ") + e.what());
    }
  }

 private:
  static Result<ExtractedDocument> ExtractPackage(const ExtractInput& input) {
    Result<ZipContainer> opened = ZipContainer::Open(input.bytes, input.limits, IsXmlPart);
    if (!opened.ok()) return opened.status();
    const ZipContainer& zip = opened.value();
    if (IsEncrypted(zip)) {
      return Status(StatusCode::kEncrypted, "the OpenDocument file is password-protected");
    }
    if (!zip.Has("content.xml")) {
      return Status(StatusCode::kCorrupt, "not an OpenDocument file: content.xml is missing");
    }
    pugi::xml_document content;
    std::vector<std::string> warnings;
    Status parsed = ParsePart(zip, "content.xml", content, warnings);
    if (!parsed.ok()) return parsed;

    ExtractedDocument doc;
    pugi::xml_document meta;
    if (zip.Has("meta.xml")) {
      parsed = ParsePart(zip, "meta.xml", meta, warnings);
      if (parsed.ok()) {
        ReadMeta(meta, doc);
      } else {
        doc.warnings.push_back(parsed.message());
      }
    }

    pugi::xml_node root = Child(content, "document-content");
    std::map<std::string, std::string> parent_styles;
    for (pugi::xml_node style : Child(root, "automatic-styles").children()) {
      std::string_view parent = Attr(style, "parent-style-name");
      if (!parent.empty()) parent_styles[std::string(Attr(style, "name"))] = parent;
    }

    ParagraphWriter out(input.limits.max_text_bytes);
    BodyWriter body(out, std::move(parent_styles));
    for (pugi::xml_node kind : Child(root, "body").children()) {
      if (kind.type() != pugi::node_element) continue;
      std::string_view name = LocalName(kind.name());
      body.Blocks(kind, 0, name == "spreadsheet");
      if (name == "spreadsheet") doc.metadata["sheets"] = std::to_string(body.sheets());
      if (name == "presentation") doc.metadata["slides"] = std::to_string(body.pages());
      if (name == "drawing") doc.metadata["pages"] = std::to_string(body.pages());
    }
    out.Finish(doc);
    doc.heading = body.heading();
    doc.warnings.insert(doc.warnings.end(), warnings.begin(), warnings.end());
    if (body.too_deep()) doc.warnings.push_back("ODF nested too deeply; inner content skipped");
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeOdfExtractor() { return std::make_unique<OdfExtractor>(); }

}  // namespace correlare::extractors
