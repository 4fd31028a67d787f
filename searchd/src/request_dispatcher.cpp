#include "request_dispatcher.h"

#include <Poco/Net/HTTPResponse.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <istream>
#include <vector>

#include "common/content_id.h"
#include "http_limits.h"
#include "routes.h"

namespace correlare::searchd {
namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

void LogError(const std::string& what) {
  std::fprintf(stderr, "correlare-searchd: %s\n", what.c_str());
}

// The origin-form of a request target: an absolute-form one ("http://host/p?q") loses
// its scheme and authority, and a fragment is dropped.
std::string_view OriginForm(std::string_view target) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (target.substr(0, scheme.size()) == scheme) {
      size_t slash = target.find('/', scheme.size());
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
      break;
    }
  }
  return target.substr(0, target.find('#'));
}

enum class Body { kRead, kTooLarge, kBroken };

// Reads and drops a body of at most kMaxBodyBytes.
Body DrainBody(std::istream& body) {
  std::vector<char> buffer(64 * 1024);
  uint64_t total = 0;
  while (body) {
    body.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    total += static_cast<uint64_t>(body.gcount());
    if (total > kMaxBodyBytes) return Body::kTooLarge;
  }
  return body.bad() ? Body::kBroken : Body::kRead;  // bad: a malformed chunk, a reset
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void SetSecurityHeaders(HTTPResponse& response) {
  // The web UI (docs/web.md) loads only its own files: no inline script or style, no
  // eval (PDF.js runs with isEvalSupported false), PDF.js's worker from 'self', and
  // data: for the SVG images and the icon font that Bootstrap Italia's stylesheet embeds.
  response.set("Content-Security-Policy",
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
               "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "no-referrer");
}

bool RequestDispatcher::Handle(Poco::Net::HTTPServerRequest& request,
                               Poco::Net::HTTPServerResponse& response) {
  auto start = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  int status = 500;
  bool whole = true;  // the response went out complete
  const bool head = request.getMethod() == HTTPRequest::HTTP_HEAD;
  try {
    status = Send(response, Answer(request, response, route_name), head);
  } catch (const std::exception& e) {
    LogError(request.getMethod() + " " + AccessLog::LoggablePath(request.getURI()) + ": " +
             e.what());
    whole = false;
    if (!response.sent()) {
      try {
        response.setKeepAlive(false);
        status = Send(response, ApiReply::Error(MakeError(500, "internal error")), head);
      } catch (...) {
      }
    }
  } catch (...) {
    whole = false;
  }
  Finish(request.getMethod(), request.getURI(), route_name, status, SecondsSince(start));
  return whole;
}

ApiReply RequestDispatcher::Answer(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response,
                                   std::string& route_name) {
  // No endpoint takes a body: a large one is refused unread (and the connection closed,
  // since its bytes are still coming), a small one is read and ignored.
  const bool chunked = request.getChunkedTransferEncoding();
  const bool sized = request.hasContentLength();
  if (sized && request.getContentLength64() > static_cast<int64_t>(kMaxBodyBytes)) {
    response.setKeepAlive(false);
    return ApiReply::Error(MakeError(413, "request bodies are limited to 1 MiB"));
  }
  if (chunked || (sized && request.getContentLength64() > 0)) {
    if (request.getExpectContinue()) {
      response.setKeepAlive(false);  // no "100 Continue": the body will not be sent
    } else if (Body read = DrainBody(request.stream()); read != Body::kRead) {
      response.setKeepAlive(false);
      return ApiReply::Error(read == Body::kTooLarge
                                 ? MakeError(413, "request bodies are limited to 1 MiB")
                                 : MakeError(400, "malformed request body"));
    }
  } else if (!sized && request.getMethod() != HTTPRequest::HTTP_GET &&
             request.getMethod() != HTTPRequest::HTTP_HEAD) {
    response.setKeepAlive(false);  // a body may follow, delimited by the end of the connection
  }

  const std::string& uri = request.getURI();
  if (uri.size() > kMaxUriBytes) {
    return ApiReply::Error(MakeError(
        414, "the request target is longer than " + std::to_string(kMaxUriBytes) + " bytes"));
  }
  std::string_view target = OriginForm(uri);
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query = question == std::string_view::npos ? "" : target.substr(question + 1);

  auto match = MatchRoute(path);
  if (!match) return ApiReply::Error(MakeError(404, "no such path"));
  route_name = std::string(match->route->name);
  const std::string& method = request.getMethod();
  if (method != HTTPRequest::HTTP_GET && method != HTTPRequest::HTTP_HEAD) {
    ApiReply reply = ApiReply::Error(MakeError(405, "only GET and HEAD are allowed"));
    reply.headers.emplace_back("Allow", "GET, HEAD");
    return reply;
  }
  // An id is a content hash and nothing else: it never becomes a path.
  if (match->route->pattern.find("{id}") != std::string_view::npos &&
      !IsValidContentId(match->id)) {
    return ApiReply::Error(MakeError(404, "no such document"));
  }
  auto params = ParseQueryString(query);
  if (!params.ok()) return ApiReply::Error(params.status());

  ApiRequest api;
  api.method = method;
  api.path = std::string(path);
  api.params = std::move(params).value();
  api.id = match->id;
  api.range = request.get("Range", "");
  api.if_range = request.get("If-Range", "");
  api.if_none_match = request.get("If-None-Match", "");
  return match->route->handler(context_, api);
}

int RequestDispatcher::Send(Poco::Net::HTTPServerResponse& response, ApiReply reply, bool head) {
  if (!reply.log_detail.empty()) LogError(reply.log_detail);
  std::ifstream file;
  if (reply.file) {
    file.open(reply.file->path, std::ios::binary);
    if (file) file.seekg(static_cast<std::streamoff>(reply.file->offset));
    if (!file) {
      LogError("cannot open " + reply.file->path);
      reply = ApiReply::Error(MakeError(500, "internal error"));
    }
  }
  SetSecurityHeaders(response);
  response.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(reply.status));
  for (const auto& [name, value] : reply.headers) response.set(name, value);
  response.setContentType(reply.content_type);
  if (!reply.file) {
    // send() rather than sendBuffer(): the latter drops the body of a response that has
    // no request (HandleMalformed).
    response.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
    std::ostream& out = response.send();
    if (!head) out.write(reply.body.data(), static_cast<std::streamsize>(reply.body.size()));
    out.flush();
    return reply.status;
  }
  response.setContentLength64(static_cast<Poco::Int64>(reply.file->length));
  std::ostream& out = response.send();
  if (head) return reply.status;
  std::vector<char> buffer(64 * 1024);
  uint64_t left = reply.file->length;
  while (left > 0) {
    auto want = static_cast<std::streamsize>(std::min<uint64_t>(left, buffer.size()));
    file.read(buffer.data(), want);
    std::streamsize got = file.gcount();
    if (got <= 0) throw std::runtime_error(reply.file->path + " is shorter than announced");
    out.write(buffer.data(), got);
    if (!out) throw std::runtime_error("the client went away during a download");
    left -= static_cast<uint64_t>(got);
  }
  out.flush();
  return reply.status;
}

void RequestDispatcher::HandleMalformed(Poco::Net::HTTPServerResponse& response,
                                        const std::string& reason) {
  auto start = std::chrono::steady_clock::now();
  // Poco stops reading a target at 16 KiB and says "URI invalid or too long"; it says
  // the same of a request line without a target, which then gets a 414 too.
  bool too_long = reason.find("URI") != std::string::npos;
  ApiReply reply =
      ApiReply::Error(too_long ? MakeError(414, "the request target is missing or longer than " +
                                                    std::to_string(kMaxUriBytes) + " bytes")
                               : MakeError(400, "malformed HTTP request: " + reason));
  int status = reply.status;
  try {
    response.setVersion(HTTPResponse::HTTP_1_1);
    response.setKeepAlive(false);
    status = Send(response, std::move(reply), false);
  } catch (...) {
  }
  Finish("-", "-", "malformed", status, SecondsSince(start));
}

void RequestDispatcher::Finish(std::string_view method, std::string_view target,
                               const std::string& route, int status, double seconds) {
  metrics_.Record(route, status, seconds);
  log_.Write(method, target, status, seconds * 1000);
}

}  // namespace correlare::searchd
