// Office Open XML (DOCX, XLSX, PPTX and their template / macro-enabled variants):
// parts are read from the ZIP with ZipContainer (only the XML and relationship parts are
// inflated) and parsed with the helpers of office_xml.h, which never expand DTD
// entities.
//
// Elements are matched by local name ("p" for "w:p"), which keeps the code independent
// of the prefixes a producer chose and of Transitional versus Strict namespaces.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <new>
#include <set>
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

// ---- Package: parts, relationships ------------------------------------------------

class Package {
 public:
  explicit Package(ZipContainer zip) : zip_(std::move(zip)) {}

  bool Has(const std::string& part) const { return zip_.Has(part); }

  // Parses `part` (see ParseXmlPart). A missing part gives an empty document and no error.
  Status Parse(const std::string& part, pugi::xml_document& doc) const {
    const std::string& bytes = zip_.Get(part);
    if (bytes.empty()) return Status();
    return ParseXmlPart(bytes, part, doc, warnings_);
  }

  // Problems met while parsing parts, for ExtractedDocument::warnings.
  const std::vector<std::string>& warnings() const { return warnings_; }

  struct Relationship {
    std::string type;    // last segment of the type URI: "officeDocument", "slide"...
    std::string target;  // resolved part name
  };

  // Relationships of `part` ("" for the package itself) by id; external targets left out.
  std::map<std::string, Relationship> Relationships(const std::string& part) const {
    std::map<std::string, Relationship> rels;
    size_t slash = part.rfind('/');
    std::string folder = slash == std::string::npos ? "" : part.substr(0, slash + 1);
    std::string file = slash == std::string::npos ? part : part.substr(slash + 1);
    pugi::xml_document doc;
    if (!Parse(folder + "_rels/" + file + ".rels", doc).ok()) return rels;
    for (pugi::xml_node rel : Child(doc, "Relationships").children()) {
      if (!Is(rel, "Relationship") || Attr(rel, "TargetMode") == "External") continue;
      std::string_view type = Attr(rel, "Type");
      type = type.substr(type.rfind('/') + 1);  // npos + 1 == 0
      rels[std::string(Attr(rel, "Id"))] = {std::string(type),
                                            ResolveTarget(folder, Attr(rel, "Target"))};
    }
    return rels;
  }

  // The target of the first relationship of `part` with the given type, or "".
  std::string Related(const std::string& part, std::string_view type) const {
    for (const auto& [id, rel] : Relationships(part)) {
      if (rel.type == type) return rel.target;
    }
    return "";
  }

 private:
  // "word/" + "../media/a.png" -> "media/a.png"; "/word/x.xml" -> "word/x.xml".
  static std::string ResolveTarget(const std::string& folder, std::string_view target) {
    std::vector<std::string> segments;
    std::string path = target.starts_with('/') ? std::string(target.substr(1))
                                               : folder + std::string(target);
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      if (end == std::string::npos) end = path.size();
      std::string segment = path.substr(start, end - start);
      if (segment == "..") {
        if (!segments.empty()) segments.pop_back();
      } else if (!segment.empty() && segment != ".") {
        segments.push_back(std::move(segment));
      }
      start = end + 1;
    }
    std::string resolved;
    for (const std::string& segment : segments) {
      if (!resolved.empty()) resolved += '/';
      resolved += segment;
    }
    return resolved;
  }

  ZipContainer zip_;
  mutable std::vector<std::string> warnings_;
};

// mc:AlternateContent offers the same content several ways; take the first choice.
pugi::xml_node ChosenAlternative(pugi::xml_node alternate) {
  pugi::xml_node choice = Child(alternate, "Choice");
  return choice ? choice : Child(alternate, "Fallback");
}

// ---- Document properties -----------------------------------------------------------

void ReadProperties(const Package& package, ExtractedDocument& out) {
  pugi::xml_document core;
  Status parsed = package.Parse("docProps/core.xml", core);
  if (!parsed.ok()) out.warnings.push_back(parsed.message());
  std::string created, modified;
  for (pugi::xml_node node : Child(core, "coreProperties").children()) {
    if (node.type() != pugi::node_element) continue;
    std::string_view name = LocalName(node.name());
    std::string value = Trim(node.child_value());
    if (value.empty()) continue;
    if (name == "title") {
      out.title = value;
    } else if (name == "creator") {
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = std::min(value.find(';', start), value.size());
        std::string author = Trim(std::string_view(value).substr(start, end - start));
        if (!author.empty()) out.authors.push_back(author);
        start = end + 1;
      }
    } else if (name == "created") {
      created = IsoDate(value);
    } else if (name == "modified") {
      modified = IsoDate(value);
    } else if (name == "language") {
      out.declared_lang = value;
    } else if (name == "subject" || name == "keywords" || name == "description" ||
               name == "category") {
      out.metadata[std::string(name)] = value;
    }
  }
  out.date = created.empty() ? modified : created;

  pugi::xml_document app;
  if (!package.Parse("docProps/app.xml", app).ok()) return;
  pugi::xml_node properties = Child(app, "Properties");
  std::string application = Trim(Child(properties, "Application").child_value());
  if (!application.empty()) out.metadata["producer"] = application;
}

// ---- DOCX --------------------------------------------------------------------------

// Style ids whose paragraphs are headings: built-in "Title" / "heading N" (the name in
// styles.xml is English whatever the UI language), or any style with an outline level.
std::set<std::string> HeadingStyles(const Package& package, const std::string& styles_part) {
  std::set<std::string> headings = {"Title", "Titolo", "Heading1", "Titolo1"};
  pugi::xml_document styles;
  if (!package.Parse(styles_part, styles).ok()) return headings;
  for (pugi::xml_node style : Child(styles, "styles").children()) {
    if (!Is(style, "style")) continue;
    std::string name(Attr(Child(style, "name"), "val"));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool outline = Child(Child(style, "pPr"), "outlineLvl");
    if (name == "title" || name.starts_with("heading ") || outline) {
      headings.insert(std::string(Attr(style, "styleId")));
    }
  }
  return headings;
}

class DocxWriter {
 public:
  DocxWriter(ParagraphWriter& out, std::set<std::string> heading_styles)
      : out_(out), heading_styles_(std::move(heading_styles)) {}

  const std::string& heading() const { return heading_; }
  bool too_deep() const { return too_deep_; }

  // Body-level content: paragraphs, tables (each cell's paragraphs in turn), content
  // controls, text boxes.
  void Blocks(pugi::xml_node parent, int depth) {
    if (Deep(depth)) return;
    for (pugi::xml_node node : parent.children()) {
      if (out_.full()) return;
      if (node.type() != pugi::node_element) continue;
      std::string_view name = LocalName(node.name());
      if (name == "p") {
        Paragraph(node, depth + 1);
      } else if (name == "AlternateContent") {
        Blocks(ChosenAlternative(node), depth + 1);
      } else if (name != "del" && name != "moveFrom" && name != "sectPr" && name != "tblPr") {
        Blocks(node, depth + 1);
      }
    }
  }

 private:
  bool Deep(int depth) {
    if (depth > kMaxXmlDepth) too_deep_ = true;
    return too_deep_;
  }

  void Paragraph(pugi::xml_node p, int depth) {
    std::string_view style = Attr(Child(Child(p, "pPr"), "pStyle"), "val");
    bool is_heading = heading_styles_.count(std::string(style)) != 0 ||
                      Child(Child(p, "pPr"), "outlineLvl");
    std::vector<pugi::xml_node> text_boxes;
    Inline(p, depth, text_boxes);
    std::string text = out_.EndParagraph();
    if (is_heading && heading_.empty()) heading_ = text;
    // A text box anchored in this paragraph follows it rather than splitting it.
    for (pugi::xml_node box : text_boxes) Blocks(box, depth + 1);
  }

  void Inline(pugi::xml_node parent, int depth, std::vector<pugi::xml_node>& text_boxes) {
    if (Deep(depth)) return;
    for (pugi::xml_node node : parent.children()) {
      if (node.type() != pugi::node_element) continue;
      std::string_view name = LocalName(node.name());
      if (name == "t") {
        out_.Append(node.child_value());
      } else if (name == "tab" || name == "ptab") {
        out_.Append("\t");
      } else if (name == "br" || name == "cr") {
        out_.LineBreak();
      } else if (name == "noBreakHyphen") {
        out_.Append("-");
      } else if (name == "txbxContent") {
        text_boxes.push_back(node);
      } else if (name == "AlternateContent") {
        Inline(ChosenAlternative(node), depth + 1, text_boxes);
      } else if (name != "pPr" && name != "rPr" && name != "del" && name != "moveFrom" &&
                 name != "delText" && name != "instrText") {
        Inline(node, depth + 1, text_boxes);  // runs, hyperlinks, fields, insertions, math
      }
    }
  }

  ParagraphWriter& out_;
  std::set<std::string> heading_styles_;
  std::string heading_;
  bool too_deep_ = false;
};

Status ExtractDocx(const Package& package, const std::string& main_part,
                   const pugi::xml_document& main, ParagraphWriter& out,
                   ExtractedDocument& doc) {
  DocxWriter writer(out, HeadingStyles(package, package.Related(main_part, "styles")));
  writer.Blocks(Child(Child(main, "document"), "body"), 0);
  // Footnotes and endnotes follow the body; separators (type="separator"...) are skipped.
  for (std::string_view type : {"footnotes", "endnotes"}) {
    pugi::xml_document notes;
    Status parsed = package.Parse(package.Related(main_part, type), notes);
    if (!parsed.ok()) {
      doc.warnings.push_back(parsed.message());
      continue;
    }
    for (pugi::xml_node note : notes.document_element().children()) {
      if (Attr(note, "type").empty()) writer.Blocks(note, 0);
    }
  }
  // Headers and footers close the text: they name the office and the form's code, but
  // are not where the document begins. Each part once, headers first.
  std::set<std::string> headers, footers;
  for (const auto& [id, rel] : package.Relationships(main_part)) {
    if (rel.type == "header") headers.insert(rel.target);
    if (rel.type == "footer") footers.insert(rel.target);
  }
  for (const std::set<std::string>* parts : {&headers, &footers}) {
    for (const std::string& part : *parts) {
      pugi::xml_document margin;
      Status parsed = package.Parse(part, margin);
      if (parsed.ok()) {
        writer.Blocks(margin.document_element(), 0);
      } else {
        doc.warnings.push_back(parsed.message());
      }
    }
  }
  doc.heading = writer.heading();
  if (writer.too_deep()) doc.warnings.push_back("DOCX nested too deeply; inner content skipped");
  return Status();
}

// ---- XLSX --------------------------------------------------------------------------

// The text of a shared or inline string: its <t>, or the <t> of each rich-text run.
std::string StringItemText(pugi::xml_node item) {
  std::string text;
  for (pugi::xml_node node : item.children()) {
    if (Is(node, "t")) {
      text += node.child_value();
    } else if (Is(node, "r")) {
      text += Child(node, "t").child_value();
    }
  }
  return text;
}

// Which cell formats (xl/styles.xml cellXfs) show a number as a date, so that a date
// cell reads "2012-02-08" rather than its serial day 40947.
class DateFormats {
 public:
  DateFormats(const Package& package, const std::string& styles_part, bool date1904)
      : date1904_(date1904) {
    pugi::xml_document styles;
    if (!package.Parse(styles_part, styles).ok()) return;
    pugi::xml_node sheet = Child(styles, "styleSheet");
    std::set<std::string> custom_dates;
    for (pugi::xml_node format : Child(sheet, "numFmts").children()) {
      if (IsDateCode(Attr(format, "formatCode"))) {
        custom_dates.insert(std::string(Attr(format, "numFmtId")));
      }
    }
    for (pugi::xml_node xf : Child(sheet, "cellXfs").children()) {
      if (!Is(xf, "xf")) continue;
      std::string id(Attr(xf, "numFmtId"));
      int builtin = std::atoi(id.c_str());
      // Built-in date formats: 14-22 (22 with time), 27-36 and 50-58 (East Asian).
      is_date_.push_back(custom_dates.count(id) != 0 || (builtin >= 14 && builtin <= 22) ||
                         (builtin >= 27 && builtin <= 36) || (builtin >= 50 && builtin <= 58));
    }
  }

  // "YYYY-MM-DD" when the cell's format is a date and `value` a plausible serial day.
  std::string Format(std::string_view style, std::string_view value) const {
    size_t index = 0;
    auto [end, error] = std::from_chars(style.data(), style.data() + style.size(), index);
    if (error != std::errc() || index >= is_date_.size() || !is_date_[index]) return "";
    double serial = 0;
    std::from_chars(value.data(), value.data() + value.size(), serial);
    if (!(serial >= 1 && serial < 2958466)) return "";  // up to 9999-12-31
    // Days from 1970-01-01 to the epoch: 1904-01-01, or 1899-12-30 (1899-12-31 before
    // serial 61, because of the 1900-02-29 that Lotus invented and Excel kept).
    int64_t days = static_cast<int64_t>(serial);
    days += date1904_ ? -24107 : (days < 61 ? -25568 : -25569);
    return CivilDate(days);
  }

 private:
  static bool IsDateCode(std::string_view code) {
    bool quoted = false, bracket = false, escaped = false;
    for (char c : code) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (!quoted && (c == '[' || c == ']')) {
        bracket = c == '[';
      } else if (!quoted && !bracket && (c == 'd' || c == 'D' || c == 'y' || c == 'Y')) {
        return true;
      }
    }
    return false;
  }

  // Howard Hinnant's civil_from_days.
  static std::string CivilDate(int64_t days) {
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char date[16];
    std::snprintf(date, sizeof(date), "%04d-%02d-%02d", static_cast<int>(year),
                  static_cast<int>(month), static_cast<int>(day));
    return date;
  }

  bool date1904_;
  std::vector<bool> is_date_;  // by cellXfs index
};

std::string CellText(pugi::xml_node cell, const std::vector<std::string>& shared,
                     const DateFormats& dates) {
  std::string_view type = Attr(cell, "t");
  std::string_view value = Child(cell, "v").child_value();
  if (type == "inlineStr") return StringItemText(Child(cell, "is"));
  if (type == "s") {
    size_t index = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), index);
    return error == std::errc() && index < shared.size() ? shared[index] : "";
  }
  if (type == "b") return value == "1" ? "TRUE" : "FALSE";
  if (type == "e") return "";
  if (type.empty() || type == "n") {
    std::string date = dates.Format(Attr(cell, "s"), value);
    if (!date.empty()) return date;
  }
  return std::string(value);  // numbers, "str" formula results, ISO dates ("d")
}

Status ExtractXlsx(const Package& package, const std::string& main_part,
                   const pugi::xml_document& main, ParagraphWriter& out,
                   ExtractedDocument& doc) {
  std::vector<std::string> shared;
  pugi::xml_document strings;
  Status parsed = package.Parse(package.Related(main_part, "sharedStrings"), strings);
  if (!parsed.ok()) return parsed;
  for (pugi::xml_node item : Child(strings, "sst").children()) {
    if (Is(item, "si")) shared.push_back(StringItemText(item));
  }

  pugi::xml_node workbook = Child(main, "workbook");
  std::string_view date1904 = Attr(Child(workbook, "workbookPr"), "date1904");
  DateFormats dates(package, package.Related(main_part, "styles"),
                    date1904 == "1" || date1904 == "true");
  auto rels = package.Relationships(main_part);
  int sheets = 0;
  for (pugi::xml_node sheet : Child(workbook, "sheets").children()) {
    if (!Is(sheet, "sheet")) continue;
    ++sheets;
    if (out.full()) continue;
    out.Append(Attr(sheet, "name"));
    auto rel = rels.find(std::string(Attr(sheet, "id", /*prefixed=*/true)));
    if (rel == rels.end() || rel->second.type != "worksheet") {
      out.EndParagraph();
      continue;
    }
    pugi::xml_document worksheet;
    parsed = package.Parse(rel->second.target, worksheet);
    if (!parsed.ok()) return parsed;
    for (pugi::xml_node row : Child(Child(worksheet, "worksheet"), "sheetData").children()) {
      std::string line;
      for (pugi::xml_node cell : row.children()) {
        if (!Is(cell, "c")) continue;
        std::string value = Trim(CellText(cell, shared, dates));
        if (value.empty()) continue;
        if (!line.empty()) line += '\t';
        line += value;
      }
      if (line.empty()) continue;
      out.LineBreak();
      out.Append(line);
      if (out.full()) break;
    }
    out.EndParagraph();
  }
  doc.metadata["sheets"] = std::to_string(sheets);
  return Status();
}

// ---- PPTX --------------------------------------------------------------------------

class SlideWriter {
 public:
  explicit SlideWriter(ParagraphWriter& out) : out_(out) {}

  bool too_deep() const { return too_deep_; }

  // Writes the DrawingML paragraphs under `parent`. `only_body` keeps the shapes that
  // are body placeholders (the text of a notes page), leaving out its header, date and
  // slide number. `title` receives the text of the first title placeholder.
  void Shapes(pugi::xml_node parent, int depth, bool only_body, std::string* title) {
    if (depth > kMaxXmlDepth) too_deep_ = true;
    if (too_deep_) return;
    for (pugi::xml_node node : parent.children()) {
      if (out_.full()) return;
      if (node.type() != pugi::node_element) continue;
      std::string_view name = LocalName(node.name());
      if (name == "sp") {
        std::string_view placeholder = Attr(Child(Child(Child(node, "nvSpPr"), "nvPr"), "ph"), "type");
        if (placeholder == "sldNum" || placeholder == "dt") continue;
        if (only_body && placeholder != "body") continue;
        bool is_title = placeholder == "title" || placeholder == "ctrTitle";
        std::string text = ShapeText(node, depth + 1);
        if (is_title && title != nullptr && title->empty()) *title = text;
      } else if (name == "AlternateContent") {
        Shapes(ChosenAlternative(node), depth + 1, only_body, title);
      } else if (name == "p") {
        Paragraph(node, depth + 1);
      } else {
        Shapes(node, depth + 1, only_body, title);  // groups, tables, graphic frames
      }
    }
  }

 private:
  // Writes the paragraphs of one shape and returns them joined by spaces.
  std::string ShapeText(pugi::xml_node shape, int depth) {
    std::string joined;
    for (pugi::xml_node p : Child(shape, "txBody").children()) {
      if (!Is(p, "p")) continue;
      std::string text = Paragraph(p, depth + 1);
      if (text.empty()) continue;
      if (!joined.empty()) joined += ' ';
      joined += text;
    }
    return joined;
  }

  std::string Paragraph(pugi::xml_node p, int depth) {
    Runs(p, depth);
    return out_.EndParagraph();
  }

  void Runs(pugi::xml_node parent, int depth) {
    if (depth > kMaxXmlDepth) too_deep_ = true;
    if (too_deep_) return;
    for (pugi::xml_node node : parent.children()) {
      if (Is(node, "t")) {
        out_.Append(node.child_value());
      } else if (Is(node, "br")) {
        out_.LineBreak();
      } else if (node.type() == pugi::node_element) {
        Runs(node, depth + 1);
      }
    }
  }

  ParagraphWriter& out_;
  bool too_deep_ = false;
};

Status ExtractPptx(const Package& package, const std::string& main_part,
                   const pugi::xml_document& main, ParagraphWriter& out,
                   ExtractedDocument& doc) {
  auto rels = package.Relationships(main_part);
  SlideWriter writer(out);
  int number = 0;
  for (pugi::xml_node id : Child(Child(main, "presentation"), "sldIdLst").children()) {
    if (!Is(id, "sldId")) continue;
    auto rel = rels.find(std::string(Attr(id, "id", /*prefixed=*/true)));
    if (rel == rels.end()) continue;
    out.StartPage(++number);
    const std::string& slide_part = rel->second.target;
    pugi::xml_document slide;
    Status parsed = package.Parse(slide_part, slide);
    if (!parsed.ok()) return parsed;
    std::string title;
    writer.Shapes(Child(Child(slide, "sld"), "cSld"), 0, false, &title);
    if (doc.heading.empty()) doc.heading = title;

    pugi::xml_document notes;
    parsed = package.Parse(package.Related(slide_part, "notesSlide"), notes);
    if (parsed.ok()) {
      writer.Shapes(Child(Child(notes, "notes"), "cSld"), 0, true, nullptr);
    } else {
      doc.warnings.push_back(parsed.message());
    }
  }
  doc.metadata["slides"] = std::to_string(number);
  if (writer.too_deep()) doc.warnings.push_back("PPTX nested too deeply; inner content skipped");
  return Status();
}

// ---- The extractor -----------------------------------------------------------------

// A password-protected OOXML file is not a ZIP but an OLE2 compound file that holds
// an "EncryptionInfo" stream (its name in UTF-16LE).
bool IsEncryptedOfficeFile(std::string_view bytes) {
  static constexpr std::string_view kOle2Magic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  static constexpr std::string_view kEncryptionInfo(
      "E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0", 28);
  return bytes.starts_with(kOle2Magic) && bytes.find(kEncryptionInfo) != std::string_view::npos;
}

std::string ExpectedMainPart(const std::string& mime) {
  if (mime.find("word") != std::string::npos) return "word/document.xml";
  if (mime.find("sheet") != std::string::npos || mime.find("excel") != std::string::npos) {
    return "xl/workbook.xml";
  }
  if (mime.find("presentation") != std::string::npos ||
      mime.find("powerpoint") != std::string::npos) {
    return "ppt/presentation.xml";
  }
  return "word/document.xml, xl/workbook.xml or ppt/presentation.xml";
}

class OoxmlExtractor : public Extractor {
 public:
  std::string_view name() const override { return "ooxml"; }

  std::vector<std::string> mime_types() const override {
    const std::string kOpenXml = "application/vnd.openxmlformats-officedocument.";
    return {
        kOpenXml + "wordprocessingml.document",
        kOpenXml + "wordprocessingml.template",
        "application/vnd.ms-word.document.macroEnabled.12",
        "application/vnd.ms-word.template.macroEnabled.12",
        kOpenXml + "spreadsheetml.sheet",
        kOpenXml + "spreadsheetml.template",
        "application/vnd.ms-excel.sheet.macroEnabled.12",
        "application/vnd.ms-excel.template.macroEnabled.12",
        kOpenXml + "presentationml.presentation",
        kOpenXml + "presentationml.template",
        kOpenXml + "presentationml.slideshow",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.12",
        "application/vnd.ms-powerpoint.template.macroEnabled.12",
        "application/vnd.ms-powerpoint.slideshow.macroEnabled.12",
    };
  }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    try {
      return ExtractPackage(input);
    } catch (const std::bad_alloc&) {
      return Status(StatusCode::kLimitExceeded, "out of memory while reading the Office file");
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal, std::string("OOXML extractor failed: ") + e.what());
    }
  }

 private:
  static Result<ExtractedDocument> ExtractPackage(const ExtractInput& input) {
    if (IsEncryptedOfficeFile(input.bytes)) {
      return Status(StatusCode::kEncrypted, "the Office document is password-protected");
    }
    Result<ZipContainer> zip = ZipContainer::Open(input.bytes, input.limits, IsXmlPart);
    if (!zip.ok()) return zip.status();
    Package package(std::move(zip).value());

    std::string main_part = package.Related("", "officeDocument");
    if (main_part.empty() || !package.Has(main_part)) {
      for (const char* known : {"word/document.xml", "xl/workbook.xml", "ppt/presentation.xml"}) {
        if (package.Has(known)) main_part = known;
      }
    }
    if (main_part.empty() || !package.Has(main_part)) {
      return Status(StatusCode::kCorrupt, "not an Office Open XML document: " +
                                              ExpectedMainPart(input.mime) + " is missing");
    }
    pugi::xml_document main;
    Status parsed = package.Parse(main_part, main);
    if (!parsed.ok()) return parsed;

    ExtractedDocument doc;
    ReadProperties(package, doc);
    ParagraphWriter out(input.limits.max_text_bytes);
    std::string_view root = LocalName(main.document_element().name());
    Status status;
    if (root == "document") {
      status = ExtractDocx(package, main_part, main, out, doc);
    } else if (root == "workbook") {
      status = ExtractXlsx(package, main_part, main, out, doc);
    } else if (root == "presentation") {
      status = ExtractPptx(package, main_part, main, out, doc);
    } else {
      return Status(StatusCode::kCorrupt, "unknown Office Open XML main part <" +
                                              std::string(root) + "> in " + main_part);
    }
    if (!status.ok()) return status;
    out.Finish(doc);
    doc.warnings.insert(doc.warnings.end(), package.warnings().begin(), package.warnings().end());
    return doc;
  }
};

}  // namespace

std::unique_ptr<Extractor> MakeOoxmlExtractor() { return std::make_unique<OoxmlExtractor>(); }

}  // namespace correlare::extractors
