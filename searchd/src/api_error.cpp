#include "api_error.h"

namespace correlare::searchd {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
    case StatusCode::kLimitExceeded:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kTimeout:
      return 503;
    case StatusCode::kUnsupported:
    case StatusCode::kCorrupt:
    case StatusCode::kEncrypted:
    case StatusCode::kIoError:
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorCodeFor(int http_status) {
  switch (http_status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 413:
      return "payload_too_large";
    case 414:
      return "uri_too_long";
    case 416:
      return "range_not_satisfiable";
    case 500:
      return "internal_error";
    case 503:
      return "unavailable";
    default:
      return "error";
  }
}

ApiError MakeError(int http_status, std::string message) {
  return ApiError{http_status, ErrorCodeFor(http_status), std::move(message)};
}

ApiError ErrorFromStatus(const Status& status) {
  int http_status = HttpStatusFor(status.code());
  if (http_status == 200) http_status = 500;  // an OK Status is no error: a bug upstream
  if (http_status >= 500) {
    return MakeError(http_status,
                     http_status == 503 ? "the server is busy, try again" : "internal error");
  }
  return MakeError(http_status, status.message());
}

}  // namespace correlare::searchd
