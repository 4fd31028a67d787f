// Turns a DocumentRecord and its text into the Xapian document the schema describes
// (schema/schema.h): free-text terms (accent-folded, stemmed in the document's
// language), boolean facet terms, value slots and the record as data.
#pragma once

#include <xapian.h>

#include <string>

#include "schema/document_record.h"

namespace correlare::indexer {

// `db` receives the spelling data of the words indexed.
Xapian::Document BuildXapianDocument(const schema::DocumentRecord& record, const std::string& text,
                                     Xapian::WritableDatabase& db);

// The term standing for a source key (keys can be longer than a Xapian term).
std::string SourceTerm(const std::string& source_key);

}  // namespace correlare::indexer
