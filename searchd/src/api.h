// The HTTP API as plain values: what a handler gets (ApiRequest), what it answers
// (ApiReply), and what it may use (ApiContext). Handlers know nothing of Poco; the
// RequestDispatcher turns Poco's request into an ApiRequest and sends the ApiReply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api_error.h"
#include "common/status.h"
#include "request_parser.h"
#include "searchd/search_service.h"
#include "taxonomy/taxonomy.h"

namespace correlare::searchd {

class FifoGate;

class Metrics;
class UsageStats;

struct ApiRequest {
  std::string method;  // "GET" or "HEAD": nothing else reaches a handler
  std::string path;    // without the query string
  std::vector<QueryParam> params;
  std::string id;             // the route's {id}, already a valid content id; "" when none
  std::string range;          // the Range header, "" when absent
  std::string if_range;       // the If-Range header, "" when absent
  std::string if_none_match;  // the If-None-Match header, "" when absent
};

// Part of a stored file, streamed after the headers.
struct FileBody {
  std::string path;  // from the store, never from the request
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct ApiReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::optional<FileBody> file;  // when set, sent instead of `body`
  std::vector<std::pair<std::string, std::string>> headers;
  std::string log_detail;  // what a 5xx hides from the client, for the error log

  static ApiReply Json(std::string json);
  static ApiReply Error(const ApiError& error);
  // The API's error for a failed Status; a 5xx keeps the Status's message in log_detail.
  static ApiReply Error(const Status& status);
};

struct ApiContext {
  const SearchService* service = nullptr;
  const taxonomy::Taxonomy* taxonomy = nullptr;
  std::string taxonomy_json;  // GET /api/taxonomy, computed once
  UsageStats* usage = nullptr;
  const Metrics* metrics = nullptr;
  std::string web_root;  // the folder of the web UI (setting `web_root`)
  FifoGate* searches = nullptr;  // searches computed at once (setting `max_searches`); none: no limit
};

using Handler = ApiReply (*)(const ApiContext& context, const ApiRequest& request);

}  // namespace correlare::searchd
