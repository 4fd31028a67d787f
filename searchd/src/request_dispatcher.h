// RequestDispatcher: the Poco side of the HTTP API. It applies the limits (URI length,
// body size, methods), finds the route, turns Poco's request into an ApiRequest, calls
// the handler and sends its ApiReply with the security headers, then counts and logs
// the request. Every response of the daemon, errors included, leaves through here.
//
// Thread safety: Handle() and HandleMalformed() may run on many threads at once.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <string>

#include "access_log.h"
#include "api.h"
#include "metrics.h"

namespace correlare::searchd {

class RequestDispatcher {
 public:
  // `context`, `metrics` and `log` must outlive the dispatcher.
  RequestDispatcher(const ApiContext& context, Metrics& metrics, AccessLog& log)
      : context_(context), metrics_(metrics), log_(log) {}

  // Answers `request`; never throws. Returns false when the connection must be closed
  // (the response broke off, or an unread body is still on the wire); true otherwise,
  // in which case `response.getKeepAlive()` says whether the client may send more.
  bool Handle(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  // Answers a request Poco could not parse (`reason`, its exception's message): a 414
  // when its target was too long, a 400 otherwise. The connection is closed after it.
  void HandleMalformed(Poco::Net::HTTPServerResponse& response, const std::string& reason);

 private:
  // Everything up to the reply: limits, route, parameters, handler.
  ApiReply Answer(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                  std::string& route_name);
  // Sends `reply`; returns the status sent.
  int Send(Poco::Net::HTTPServerResponse& response, ApiReply reply, bool head);
  void Finish(std::string_view method, std::string_view target, const std::string& route,
              int status, double seconds);

  const ApiContext& context_;
  Metrics& metrics_;
  AccessLog& log_;
};

// Content-Security-Policy, X-Content-Type-Options and Referrer-Policy (docs/api.md).
void SetSecurityHeaders(Poco::Net::HTTPResponse& response);

}  // namespace correlare::searchd
