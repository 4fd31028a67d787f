#include "document_builder.h"

#include "common/content_id.h"
#include "schema/schema.h"
#include "taxonomy/text_keys.h"

namespace correlare::indexer {
namespace {
// Spelling data ("Forse cercavi") is taken from the title and this much of the start of
// the text. Every word of a long manual added to it cost a third of a
// bulk run's indexing time (perf: Xapian's spelling maps, then merging the spelling
// table at each commit) for words its start and the other documents mostly have too.
constexpr size_t kSpellingTextBytes = 32 << 10;
}  // namespace

std::string SourceTerm(const std::string& source_key) {
  return std::string(schema::kPrefixSource) + ContentId(source_key);
}

TextTerms BuildTextTerms(const std::string& title_text, const std::vector<std::string>& authors_list,
                         const std::string& lang, const std::string& text) {
  namespace s = schema;
  TextTerms terms;
  terms.title = title_text;
  terms.authors = authors_list;
  terms.lang = lang;
  terms.text_bytes = text.size();

  Xapian::TermGenerator generator;
  std::string language = s::StemmerLanguage(lang);
  if (!language.empty()) generator.set_stemmer(Xapian::Stem(language));
  generator.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  generator.set_document(terms.doc);

  std::string title = taxonomy::FoldText(title_text);
  generator.index_text(title, 1, s::kPrefixTitle);
  generator.index_text(title, s::kTitleWdf);
  generator.increase_termpos();
  std::string authors;
  for (const auto& author : authors_list) authors += author + "\n";
  generator.index_text(taxonomy::FoldText(authors), 1, s::kPrefixAuthor);
  generator.increase_termpos();
  std::string folded = taxonomy::FoldText(text);
  generator.index_text(folded);

  // The spelling data: each word of the title and of the text's first
  // kSpellingTextBytes, once per occurrence, as TermGenerator's FLAG_SPELLING adds it
  // (unprefixed words only), counted here and added by the writer.
  size_t cut = folded.size();
  if (cut > kSpellingTextBytes) {
    size_t space = folded.find_first_of(" \n\t", kSpellingTextBytes);
    if (space != std::string::npos) cut = space;
  }
  Xapian::Document words;
  Xapian::TermGenerator counter;
  counter.set_stemming_strategy(Xapian::TermGenerator::STEM_NONE);
  counter.set_document(words);
  counter.index_text_without_positions(title);
  counter.index_text_without_positions(Xapian::Utf8Iterator(folded.data(), cut));
  for (auto it = words.termlist_begin(); it != words.termlist_end(); ++it) {
    terms.spelling.emplace_back(*it, it.get_wdf());
  }
  return terms;
}

void FlushSpelling(SpellingCounts& spelling, Xapian::WritableDatabase& db) {
  for (const auto& [word, count] : spelling) db.add_spelling(word, count);
  spelling.clear();
}

Xapian::Document BuildXapianDocument(const schema::DocumentRecord& r, const std::string& text,
                                     SpellingCounts& spelling, TextTerms* prebuilt) {
  namespace s = schema;
  TextTerms terms = prebuilt != nullptr && prebuilt->Fits(r, text)
                        ? std::move(*prebuilt)
                        : BuildTextTerms(r.title, r.authors, r.lang, text);
  Xapian::Document doc = std::move(terms.doc);
  for (const auto& [word, count] : terms.spelling) spelling[word] += count;
  std::string title = taxonomy::FoldText(r.title);

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
