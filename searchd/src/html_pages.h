// Placeholder pages for GET / and GET /documenti/{id} until the web UI exists: plain
// Italian HTML, no script and no style, so the Content-Security-Policy holds.
#pragma once

#include <string>

#include "schema/document_record.h"

namespace correlare::searchd {

std::string HomePageHtml();
// The title, the links to the document's JSON, text and original.
std::string DocumentPageHtml(const schema::DocumentRecord& record);

}  // namespace correlare::searchd
