// ApiError: an error as the HTTP API reports it, {"error": {"code", "message"}} with an
// HTTP status (SPEC "HTTP API", "Errors"). HttpStatusFor() is the one place where a
// Status of the domain becomes an HTTP status.
#pragma once

#include <string>

#include "common/status.h"

namespace correlare::searchd {

struct ApiError {
  int status = 500;
  std::string code;     // stable, from the HTTP status: "bad_request", "not_found", ...
  std::string message;  // for people; never internal details on a 500
};

// kInvalidArgument and kLimitExceeded -> 400, kNotFound -> 404, kTimeout -> 503,
// everything else -> 500.
int HttpStatusFor(StatusCode code);

// The API's error for a failed Status. A 500 hides the Status's message (it may name
// files and internals); the caller logs it.
ApiError ErrorFromStatus(const Status& status);

// An error decided by the HTTP layer itself (404 path, 405, 413, 414, 416, ...).
ApiError MakeError(int http_status, std::string message);

// "bad_request" for 400, "not_found" for 404, ...; "error" for a status it does not know.
std::string ErrorCodeFor(int http_status);

}  // namespace correlare::searchd
