// PdfExtractor: text per page and the document information dictionary, through
// poppler-cpp. A PDF encrypted with an empty user password opens; one that needs a
// password is a kEncrypted failure.
#include <algorithm>
#include <cmath>
#include <ctime>
#include <memory>
#include <mutex>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include "builtin_extractors.h"
#include "extractors/text_utils.h"

namespace correlare::extractors {
namespace {

std::string Utf8(const poppler::ustring& s) {
  poppler::byte_array bytes = s.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

std::string IsoDate(time_t t) {
  if (t <= 0) return "";
  std::tm parts{};
  if (gmtime_r(&t, &parts) == nullptr) return "";
  char out[16];
  std::strftime(out, sizeof(out), "%Y-%m-%d", &parts);
  return out;
}

// Poppler reports recoverable damage on stderr; stay quiet (the result says enough).
void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
  });
}

std::vector<std::string> SplitAuthors(const std::string& field) {
  std::vector<std::string> authors;
  size_t start = 0;
  while (start <= field.size()) {
    size_t end = field.find_first_of(";,", start);
    if (end == std::string::npos) end = field.size();
    std::string author = TidyWhitespace(field.substr(start, end - start));
    if (!author.empty()) authors.push_back(author);
    start = end + 1;
  }
  return authors;
}

class PdfExtractor : public Extractor {
 public:
  std::string_view name() const override { return "pdf"; }
  std::vector<std::string> mime_types() const override { return {"application/pdf"}; }

  Result<ExtractedDocument> Extract(const ExtractInput& input) const override {
    SilencePoppler();
    if (input.bytes.size() > static_cast<size_t>(INT32_MAX)) {
      return Status(StatusCode::kLimitExceeded, "the PDF is larger than 2 GB");
    }
    std::unique_ptr<poppler::document> pdf(poppler::document::load_from_raw_data(
        input.bytes.data(), static_cast<int>(input.bytes.size())));
    if (!pdf) {
      return Status(StatusCode::kCorrupt,
                    "the PDF is damaged and cannot be read (no valid structure found)");
    }
    // poppler::document::unlock() answers whether the document is *still* locked.
    if (pdf->is_locked() && pdf->unlock("", "")) {
      return Status(StatusCode::kEncrypted, "the PDF is protected by a password");
    }

    ExtractedDocument doc;
    doc.title = Utf8(pdf->info_key("Title"));
    doc.authors = SplitAuthors(Utf8(pdf->info_key("Author")));
    doc.date = IsoDate(pdf->info_date_t("CreationDate"));
    if (doc.date.empty()) doc.date = IsoDate(pdf->info_date_t("ModDate"));
    for (const char* key : {"Subject", "Keywords", "Creator", "Producer"}) {
      std::string value = Utf8(pdf->info_key(key));
      if (!value.empty()) {
        std::string lower = key;
        lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
        doc.metadata[lower] = value;
      }
    }
    if (pdf->is_encrypted()) doc.metadata["encrypted"] = "yes";

    const int page_count = pdf->pages();
    doc.metadata["pages"] = std::to_string(page_count);
    for (int i = 0; i < page_count; ++i) {
      std::unique_ptr<poppler::page> page(pdf->create_page(i));
      if (!page) {
        doc.warnings.push_back("page " + std::to_string(i + 1) + " could not be read");
        continue;
      }
      std::string text =
          TidyWhitespace(Utf8(page->text(poppler::rectf(), poppler::page::raw_order_layout)));
      if (!doc.text.empty()) {
        if (!AppendBounded(doc.text, "\n\n", input.limits.max_text_bytes)) {
          doc.text_truncated = true;
          break;
        }
      }
      doc.pages.push_back({i + 1, doc.text.size()});
      if (i == 0) doc.heading = LargestText(*page);
      if (!AppendBounded(doc.text, text, input.limits.max_text_bytes)) {
        doc.text_truncated = true;
        doc.warnings.push_back("text truncated at page " + std::to_string(i + 1));
        break;
      }
    }
    if (page_count > 0 && doc.text.empty()) {
      doc.warnings.push_back("no text layer: the PDF may be a scan (OCR is not done)");
    }
    return doc;
  }

 private:
  // The words of a page set in its largest type: the title of a first page, rather
  // than a running header above it.
  static std::string LargestText(const poppler::page& page) {
    std::vector<poppler::text_box> boxes = page.text_list(poppler::page::text_list_include_font);
    double largest = 0;
    for (const auto& box : boxes) largest = std::max(largest, box.get_font_size());
    std::string heading;
    double last_top = 0;
    for (const auto& box : boxes) {
      if (box.get_font_size() < largest - 0.5) {
        if (!heading.empty()) break;  // the first run of large words only
        continue;
      }
      // A word on a new line is a new word, though poppler marks no space after the last.
      double top = box.bbox().top();
      if (!heading.empty() && heading.back() != ' ' && std::abs(top - last_top) > largest / 2) {
        heading += ' ';
      }
      last_top = top;
      heading += Utf8(box.text());
      if (box.has_space_after()) heading += ' ';
      if (heading.size() > 200) return "";
    }
    heading = TidyWhitespace(heading);
    return heading.size() >= 3 ? heading : "";
  }
};

}  // namespace

std::unique_ptr<Extractor> MakePdfExtractor() { return std::make_unique<PdfExtractor>(); }

}  // namespace correlare::extractors
