#include "routes.h"

#include "api_handlers.h"

namespace correlare::searchd {
namespace {

// The next segment of `path` after position `at` (which is at a '/'); advances `at`.
std::string_view NextSegment(std::string_view path, size_t& at) {
  size_t start = at + 1;
  size_t end = path.find('/', start);
  if (end == std::string_view::npos) end = path.size();
  at = end;
  return path.substr(start, end - start);
}

bool Matches(std::string_view pattern, std::string_view path, std::string& id) {
  size_t p = 0, q = 0;
  while (p < pattern.size() && q < path.size()) {
    std::string_view want = NextSegment(pattern, p);
    std::string_view got = NextSegment(path, q);
    if (want == "{path}") return p == pattern.size() && !got.empty();  // the rest, as is
    if (want == "{id}") {
      id = std::string(got);
    } else if (want != got) {
      return false;
    }
  }
  return p == pattern.size() && q == path.size();
}

}  // namespace

const std::vector<Route>& RouteTable() {
  static const std::vector<Route> kRoutes = {
      {"/api/search", "search", HandleSearch},
      {"/api/documents/{id}", "document", HandleDocument},
      {"/api/documents/{id}/file", "file", HandleFile},
      {"/api/documents/{id}/text", "text", HandleText},
      {"/api/suggest", "suggest", HandleSuggest},
      {"/api/taxonomy", "taxonomy", HandleTaxonomy},
      {"/api/stats", "stats", HandleStats},
      {"/healthz", "healthz", HandleHealth},
      {"/metrics", "metrics", HandleMetrics},
      {"/", "home", HandleHomePage},
      {"/documenti/{id}", "document_page", HandleDocumentPage},
      {"/static/{path}", "static", HandleWebFile},
  };
  return kRoutes;
}

std::optional<RouteMatch> MatchRoute(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  for (const Route& route : RouteTable()) {
    std::string id;
    if (Matches(route.pattern, path, id)) return RouteMatch{&route, std::move(id)};
  }
  return std::nullopt;
}

}  // namespace correlare::searchd
