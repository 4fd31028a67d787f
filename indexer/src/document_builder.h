// Turns a DocumentRecord and its text into the Xapian document the schema describes
// (schema/schema.h): free-text terms (accent-folded, stemmed in the document's
// language), boolean facet terms, value slots and the record as data.
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "schema/document_record.h"
#include "taxonomy/tagger.h"

namespace correlare::indexer {

// The free-text part of a document's entry: its title, authors and text as terms with
// positions, and the words it gives the spelling data. It needs nothing from the index,
// so the extraction threads build it while the one writer writes: for small files the
// writer was the bottleneck, and this was a third of its time.
struct TextTerms {
  // What it was built from: it stands only for a record with these.
  std::string title;
  std::vector<std::string> authors;
  std::string lang;
  size_t text_bytes = 0;

  Xapian::Document doc;
  std::vector<std::pair<std::string, Xapian::termcount>> spelling;  // word, occurrences

  bool Fits(const schema::DocumentRecord& record, const std::string& text) const {
    return record.title == title && record.authors == authors && record.lang == lang &&
           text.size() == text_bytes;
  }
};

// Repository::Prepare's result.
struct Prepared {
  taxonomy::Tags tags;
  TextTerms text;
};

TextTerms BuildTextTerms(const std::string& title, const std::vector<std::string>& authors,
                         const std::string& lang, const std::string& text);

// Spelling data waiting to be given to the index: word → occurrences. The writer adds up
// a whole batch here and gives each word to Xapian once (FlushSpelling) before it
// commits: Xapian's add_spelling, called for every word of every document, was a sixth
// of the writer's time on many small files.
using SpellingCounts = std::unordered_map<std::string, Xapian::termcount>;
void FlushSpelling(SpellingCounts& spelling, Xapian::WritableDatabase& db);

// `spelling` receives the spelling data of the words indexed. `prebuilt`, when it fits
// the record, is used (and emptied) instead of building the text terms again.
Xapian::Document BuildXapianDocument(const schema::DocumentRecord& record, const std::string& text,
                                     SpellingCounts& spelling, TextTerms* prebuilt = nullptr);

// The term standing for a source key (keys can be longer than a Xapian term).
std::string SourceTerm(const std::string& source_key);

}  // namespace correlare::indexer
