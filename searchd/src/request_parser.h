// Query strings -> requests of the search service. Everything a client can get wrong
// in a URL is caught here and named in a kInvalidArgument Status (an HTTP 400), so the
// service only ever sees well-formed values: facet ids it knows, numbers in range,
// valid UTF-8. Parameters this API does not know are ignored; an empty value ("axis=",
// as an HTML form sends for "any") counts as absent.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "searchd/search_service.h"

namespace correlare::searchd {

struct QueryParam {
  std::string name;   // percent-decoded
  std::string value;  // percent-decoded, '+' read as a space
};

// Splits and decodes the part of a URL after '?'. Empty pieces ("a=1&&b=2") are
// skipped; "a" alone is a parameter with an empty value. Fails on a malformed
// %-escape and on more than kMaxParameters parameters.
Result<std::vector<QueryParam>> ParseQueryString(std::string_view query);

// GET /api/search: q, axis, province, type, lang (repeatable), year_from, year_to,
// sort, page, per_page (SPEC "HTTP API"). A repeated single-valued parameter is an
// error, as is an unknown facet value; province accepts a sigla and yields the id.
Result<SearchRequest> ParseSearchRequest(const std::vector<QueryParam>& params);

// GET /api/suggest: the `q` prefix ("" when absent), checked like the search's q.
Result<std::string> ParseSuggestPrefix(const std::vector<QueryParam>& params);

}  // namespace correlare::searchd
