// What the office extractors (ooxml_extractor.cpp, odf_extractor.cpp) share: matching
// XML by local name, parsing one part of a package safely with pugixml, and writing the
// document text a paragraph at a time. Private to the extractors library.
//
// Elements and attributes are matched by local name ("p" for "w:p" or "text:p"), so the
// extractors do not depend on the prefixes a producer chose, nor on which version of a
// namespace it wrote. pugixml never expands the entities a DTD declares, so a "billion
// laughs" part stays as small as its bytes (see ParseXmlPart).
#pragma once

#include <cstdint>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "extractors/document.h"

namespace correlare::extractors::office {

// Deeper XML than this is skipped (with a warning) so that recursion stays bounded.
inline constexpr int kMaxXmlDepth = 256;

// True for the parts an office extractor reads: XML parts and relationship parts
// (".xml", ".rels", in any case). The filter given to ZipContainer::Open, so that a
// damaged or oversized image, font or embedded object does not fail the document.
bool IsXmlPart(const std::string& name);

// "text:p" -> "p"; "p" -> "p". The view points into `qualified`.
std::string_view LocalName(const char* qualified);

// True when `node` is an element whose local name is `local`.
bool Is(pugi::xml_node node, std::string_view local);

// The first child element of `node` whose local name is `local`; a null node (on which
// every pugixml call is a harmless no-op) when there is none.
pugi::xml_node Child(pugi::xml_node node, std::string_view local);

// The value of the first attribute of `node` whose local name is `local`, "" when absent.
// With `prefixed` only qualified attributes count ("r:id", not "id"). The view lives as
// long as the node's document and that attribute are unchanged.
std::string_view Attr(pugi::xml_node node, std::string_view local, bool prefixed = false);

// Parses `bytes`, the part named `part`, into `doc`. A part that declares a DTD keeps
// its text with the entity references dropped ("prima &lol9; dopo" -> "prima  dopo"),
// and a line saying so is appended to `warnings`.
// Returns kCorrupt (naming `part` and the byte offset) for XML that is not well-formed,
// including an empty part, and kLimitExceeded when pugixml runs out of memory.
Status ParseXmlPart(std::string_view bytes, const std::string& part, pugi::xml_document& doc,
                    std::vector<std::string>& warnings);

// `s` without leading and trailing spaces, tabs, CRs and LFs.
std::string Trim(std::string_view s);

// The date of an ISO 8601 value: "2023-05-10T09:00:00Z" -> "2023-05-10"; a value that
// begins with a year but no full date ("2023") -> "2023"; anything else, and years before
// 1900, -> "".
std::string IsoDate(std::string_view value);

// Builds the document text one paragraph at a time: "\n\n" between paragraphs, no
// leading or trailing break, nothing past max_bytes (then full() turns true and stays
// so). A paragraph is written whole with Paragraph(), or in pieces with Append() and
// LineBreak() ("\n" inside it) and closed by EndParagraph(). A page (slide) begins at
// the first paragraph written after StartPage(). One writer per document; not
// thread-safe.
class ParagraphWriter {
 public:
  explicit ParagraphWriter(uint64_t max_bytes) : max_bytes_(max_bytes) {}

  uint64_t max_bytes() const { return max_bytes_; }
  bool full() const { return truncated_; }

  // Writes `text`, trimmed, as one paragraph: nothing when it is empty or the writer is
  // full. Returns the trimmed text even when it was cut or not written, so that a
  // heading can still be taken from it.
  // REQUIRES: no paragraph is open (nothing appended since the last EndParagraph()).
  std::string Paragraph(std::string_view text);

  // Add to the open paragraph (opening one if needed); nothing once the writer is full.
  void Append(std::string_view piece);
  void LineBreak() { Append("\n"); }

  // Closes the open paragraph, writes it trimmed (up to the bound), and returns its
  // trimmed text ("" when it had none).
  std::string EndParagraph();

  // Closes the open paragraph; page `number` begins with the next one written.
  void StartPage(int number);

  // Closes the open paragraph and moves the text, whether it was cut, and the page
  // breaks into `doc`. The writer must not be used afterwards.
  void Finish(ExtractedDocument& doc);

 private:
  // Writes `paragraph` (trimmed, not empty) after a "\n\n" when text precedes it.
  void Write(const std::string& paragraph);

  uint64_t max_bytes_;
  bool truncated_ = false;
  std::string text_;
  std::string paragraph_;  // the open paragraph
  std::vector<int> pending_pages_;
  std::vector<PageBreak> pages_;
};

}  // namespace correlare::extractors::office
