#include "document_builder.h"

#include "common/content_id.h"
#include "schema/schema.h"
#include "taxonomy/text_keys.h"

namespace correlare::indexer {
namespace {
// Spelling data ("Forse cercavi") is taken from the title, the authors and this much of
// the start of the text. Every word of a long manual added to it cost a third of a
// bulk run's indexing time (perf: Xapian's spelling maps, then merging the spelling
// table at each commit) for words its start and the other documents mostly have too.
constexpr size_t kSpellingTextBytes = 32 << 10;
}  // namespace

std::string SourceTerm(const std::string& source_key) {
  return std::string(schema::kPrefixSource) + ContentId(source_key);
}

Xapian::Document BuildXapianDocument(const schema::DocumentRecord& r, const std::string& text,
                                     Xapian::WritableDatabase& db) {
  namespace s = schema;
  Xapian::Document doc;
  Xapian::TermGenerator generator;
  std::string language = s::StemmerLanguage(r.lang);
  if (!language.empty()) generator.set_stemmer(Xapian::Stem(language));
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_database(db);
  generator.set_flags(Xapian::TermGenerator::FLAG_SPELLING);
  generator.set_document(doc);

  std::string title = taxonomy::FoldText(r.title);
  generator.index_text(title, 1, s::kPrefixTitle);
  generator.index_text(title, s::kTitleWdf);
  generator.increase_termpos();
  std::string authors;
  for (const auto& author : r.authors) authors += author + "\n";
  generator.index_text(taxonomy::FoldText(authors), 1, s::kPrefixAuthor);
  generator.increase_termpos();
  std::string folded = taxonomy::FoldText(text);
  size_t cut = folded.size();
  if (cut > kSpellingTextBytes) {
    size_t space = folded.find_first_of(" \n\t", kSpellingTextBytes);
    if (space != std::string::npos) cut = space;
  }
  generator.index_text(Xapian::Utf8Iterator(folded.data(), cut));
  if (cut < folded.size()) {
    // The same positions run on, without spelling data.
    generator.set_flags(Xapian::TermGenerator::flags(0));
    generator.index_text(Xapian::Utf8Iterator(folded.data() + cut, folded.size() - cut));
  }

  doc.add_boolean_term(s::kPrefixId + r.id);
  for (const auto& norm : r.norms) doc.add_boolean_term(s::kPrefixNorm + norm.id);
  std::vector<std::string> axes;
  for (const auto& axis : r.axes) {
    axes.push_back(axis.axis);
    doc.add_boolean_term(s::kPrefixAxis + axis.axis);
    for (const auto& sub : axis.subthemes) doc.add_boolean_term(s::kPrefixSubtheme + sub);
  }
  for (const auto& province : r.provinces) doc.add_boolean_term(s::kPrefixProvince + province);
  if (!r.type.value.empty()) doc.add_boolean_term(s::kPrefixType + r.type.value);
  if (!r.lang.empty()) doc.add_boolean_term(s::kPrefixLang + r.lang);
  std::string year = r.date.size() >= 4 ? r.date.substr(0, 4) : "";
  if (!year.empty()) doc.add_boolean_term(s::kPrefixYear + year);
  if (!r.mime.empty()) doc.add_boolean_term(s::kPrefixMime + r.mime);
  if (!r.parent.empty()) doc.add_boolean_term(s::kPrefixParent + r.parent);
  for (const auto& source : r.sources) doc.add_boolean_term(SourceTerm(source.key));

  doc.add_value(s::kSlotDate, Xapian::sortable_serialise(s::DateNumber(r.date)));
  doc.add_value(s::kSlotYear, year);
  doc.add_value(s::kSlotAxes, s::PackValues(axes));
  doc.add_value(s::kSlotProvinces, s::PackValues(r.provinces));
  doc.add_value(s::kSlotType, r.type.value);
  doc.add_value(s::kSlotLang, r.lang);
  doc.add_value(s::kSlotSize, Xapian::sortable_serialise(static_cast<double>(r.size)));
  doc.add_value(s::kSlotTitle, title);
  doc.set_data(s::RecordToJson(r));
  return doc;
}

}  // namespace correlare::indexer
