// One handler per endpoint of the HTTP API (SPEC "HTTP API"; docs/api.md). Each reads
// its parameters, calls the SearchService, and answers a value; none knows of Poco.
// REQUIRES of each: `request.method` is GET or HEAD, and `request.id`, where the route
// has one, is a valid content id (the RequestDispatcher checks both).
#pragma once

#include "api.h"

namespace correlare::searchd {

ApiReply HandleSearch(const ApiContext& context, const ApiRequest& request);
ApiReply HandleDocument(const ApiContext& context, const ApiRequest& request);
ApiReply HandleFile(const ApiContext& context, const ApiRequest& request);
ApiReply HandleText(const ApiContext& context, const ApiRequest& request);
ApiReply HandleSuggest(const ApiContext& context, const ApiRequest& request);
ApiReply HandleTaxonomy(const ApiContext& context, const ApiRequest& request);
ApiReply HandleStats(const ApiContext& context, const ApiRequest& request);
ApiReply HandleHealth(const ApiContext& context, const ApiRequest& request);
ApiReply HandleMetrics(const ApiContext& context, const ApiRequest& request);
// The web UI (docs/web.md): its two pages and the files under /static/, from the web
// root, with an ETag (If-None-Match gives a 304).
ApiReply HandleHomePage(const ApiContext& context, const ApiRequest& request);
ApiReply HandleDocumentPage(const ApiContext& context, const ApiRequest& request);
ApiReply HandleWebFile(const ApiContext& context, const ApiRequest& request);

}  // namespace correlare::searchd
