// The route table of correlare-searchd: every path the daemon answers, in one place.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api.h"

namespace correlare::searchd {

struct Route {
  // "/api/documents/{id}/file": {id} is one path segment; a final {path} is the rest of
  // the path (one or more segments, the first not empty), which the handler reads.
  std::string_view pattern;
  std::string_view name;  // "file": the route label of the metrics
  Handler handler;
};

const std::vector<Route>& RouteTable();

struct RouteMatch {
  const Route* route = nullptr;
  std::string id;  // the {id} segment as sent, not yet checked
};

// The route whose pattern `path` fits, or nullopt.
std::optional<RouteMatch> MatchRoute(std::string_view path);

}  // namespace correlare::searchd
