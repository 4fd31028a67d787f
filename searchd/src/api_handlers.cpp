#include "api_handlers.h"

#include <filesystem>
#include <system_error>

#include "download.h"
#include "fifo_gate.h"
#include "json_codec.h"
#include "metrics.h"
#include "usage_stats.h"
#include "web_files.h"

namespace correlare::searchd {
namespace {

constexpr char kJson[] = "application/json; charset=utf-8";

ApiReply Text(std::string content_type, std::string body) {
  ApiReply reply;
  reply.content_type = std::move(content_type);
  reply.body = std::move(body);
  return reply;
}

// Whether an If-None-Match header ("\"a\", W/\"b\"" or "*") names `etag`.
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

// A file of the web root. Revalidated on every use (no-cache) through its ETag: a
// rebuilt page shows at once, an unchanged one costs a 304 without a body.
ApiReply WebFileReply(const ApiContext& context, const ApiRequest& request,
                      std::string_view relative) {
  auto file = ResolveWebFile(context.web_root, relative);
  if (!file.ok()) return ApiReply::Error(file.status());
  ApiReply reply;
  reply.headers.emplace_back("ETag", file.value().etag);
  reply.headers.emplace_back("Cache-Control", "no-cache");
  if (NoneMatchHits(request.if_none_match, file.value().etag)) {
    reply.status = 304;
    return reply;
  }
  reply.content_type = file.value().content_type;
  reply.file = FileBody{file.value().path, 0, file.value().size};
  return reply;
}

}  // namespace

ApiReply ApiReply::Json(std::string json) { return Text(kJson, std::move(json)); }

ApiReply ApiReply::Error(const ApiError& error) {
  ApiReply reply = Json(ErrorToJson(error));
  reply.status = error.status;
  return reply;
}

ApiReply ApiReply::Error(const Status& status) {
  ApiReply reply = Error(ErrorFromStatus(status));
  if (reply.status >= 500) reply.log_detail = status.ToString();
  return reply;
}

ApiReply HandleSearch(const ApiContext& context, const ApiRequest& request) {
  auto parsed = ParseSearchRequest(request.params);
  if (!parsed.ok()) return ApiReply::Error(parsed.status());
  auto result = [&] {
    FifoGate::Pass turn = context.searches != nullptr ? context.searches->Enter() : FifoGate::Pass();
    return context.service->Search(parsed.value());
  }();
  if (!result.ok()) return ApiReply::Error(result.status());
  if (request.method == "GET" && parsed.value().page == 1) {
    context.usage->RecordSearch(parsed.value().q, result.value().total == 0);
  }
  return ApiReply::Json(SearchResultToJson(result.value()));
}

ApiReply HandleDocument(const ApiContext& context, const ApiRequest& request) {
  auto view = context.service->Document(request.id);
  if (!view.ok()) return ApiReply::Error(view.status());
  return ApiReply::Json(DocumentViewToJson(view.value(), *context.taxonomy));
}

ApiReply HandleFile(const ApiContext& context, const ApiRequest& request) {
  auto file = context.service->File(request.id);
  if (!file.ok()) return ApiReply::Error(file.status());
  std::error_code error;
  uint64_t size = std::filesystem::file_size(file.value().path, error);
  if (error) {
    return ApiReply::Error(Status(StatusCode::kIoError, "cannot read the original of " +
                                                            request.id + ": " + error.message()));
  }
  // The id is the content hash: a strong validator that never changes for these bytes.
  const std::string etag = "\"" + request.id + "\"";
  ByteRange range;
  if (!request.range.empty() && (request.if_range.empty() || request.if_range == etag)) {
    range = ParseByteRange(request.range, size);
  }
  if (range.kind == ByteRange::kUnsatisfiable) {
    ApiReply reply = ApiReply::Error(MakeError(
        416, "the range is past the end of the file (" + std::to_string(size) + " bytes)"));
    reply.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return reply;
  }
  ApiReply reply;
  reply.content_type = SafeContentType(file.value().mime);
  reply.headers.emplace_back("Content-Disposition",
                             ContentDisposition(file.value().file_name, request.id));
  reply.headers.emplace_back("Accept-Ranges", "bytes");
  reply.headers.emplace_back("ETag", etag);
  if (range.kind == ByteRange::kPart) {
    reply.status = 206;
    reply.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                    std::to_string(range.last) + "/" +
                                                    std::to_string(size));
    reply.file = FileBody{file.value().path, range.first, range.last - range.first + 1};
  } else {
    reply.file = FileBody{file.value().path, 0, size};
  }
  // A download is a GET of the whole file or of its start (a resumed or chunked download
  // fetching later parts is the same download).
  if (request.method == "GET" && reply.file->offset == 0) context.usage->RecordDownload();
  return reply;
}

ApiReply HandleText(const ApiContext& context, const ApiRequest& request) {
  auto text = context.service->Text(request.id);
  if (!text.ok()) return ApiReply::Error(text.status());
  return Text("text/plain; charset=utf-8", std::move(text).value());
}

ApiReply HandleSuggest(const ApiContext& context, const ApiRequest& request) {
  auto prefix = ParseSuggestPrefix(request.params);
  if (!prefix.ok()) return ApiReply::Error(prefix.status());
  auto suggestions = context.service->Suggest(prefix.value());
  if (!suggestions.ok()) return ApiReply::Error(suggestions.status());
  return ApiReply::Json(SuggestionsToJson(suggestions.value()));
}

ApiReply HandleTaxonomy(const ApiContext& context, const ApiRequest&) {
  return ApiReply::Json(context.taxonomy_json);
}

ApiReply HandleStats(const ApiContext& context, const ApiRequest&) {
  auto stats = context.service->Stats();
  if (!stats.ok()) return ApiReply::Error(stats.status());
  return ApiReply::Json(StatsToJson(stats.value(), context.usage->Snapshot()));
}

ApiReply HandleHealth(const ApiContext& context, const ApiRequest&) {
  return ApiReply::Json(HealthToJson(context.service->DocumentCount()));
}

ApiReply HandleMetrics(const ApiContext& context, const ApiRequest&) {
  return Text("text/plain; version=0.0.4; charset=utf-8",
              context.metrics->Render(context.service->DocumentCount(), context.usage->Snapshot()));
}

ApiReply HandleHomePage(const ApiContext& context, const ApiRequest& request) {
  return WebFileReply(context, request, "index.html");
}

ApiReply HandleDocumentPage(const ApiContext& context, const ApiRequest& request) {
  // The page fills itself from /api/documents/{id}; an unknown id is a 404 here already.
  auto view = context.service->Document(request.id);
  if (!view.ok()) return ApiReply::Error(view.status());
  return WebFileReply(context, request, "documento.html");
}

ApiReply HandleWebFile(const ApiContext& context, const ApiRequest& request) {
  return WebFileReply(context, request, std::string_view(request.path).substr(1));
}

}  // namespace correlare::searchd
