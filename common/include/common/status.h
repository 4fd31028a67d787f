// Status and Result<T>: how Correlare's libraries report failure across their
// boundaries. Exceptions from third-party libraries are caught at the adapter that
// calls them and turned into a Status with a reason a person can act on.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace correlare {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // bad usage or a malformed value
  kNotFound,         // a file or id that does not exist
  kUnsupported,      // a format no extractor handles
  kCorrupt,          // the input is damaged or not what it claims to be
  kEncrypted,        // the input needs a password
  kLimitExceeded,    // size, depth, member count, expansion ratio, memory
  kTimeout,          // the work took longer than allowed
  kIoError,          // reading or writing failed
  kInternal,         // a bug or a crash of a helper process
};

// Stable lowercase name of a code ("corrupt", "limit_exceeded", ...), used in JSON.
std::string_view StatusCodeName(StatusCode code);
// Inverse of StatusCodeName; unknown names map to kInternal.
StatusCode StatusCodeFromName(std::string_view name);

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "corrupt: xref table is damaged", or "ok".
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a value or a non-OK Status. REQUIRES: a Status given to the constructor is not OK.
template <typename T>
class Result {
 public:
  Result(T value) : data_(std::move(value)) {}           // NOLINT: implicit by design
  Result(Status status) : data_(std::move(status)) {}    // NOLINT: implicit by design
  Result(StatusCode code, std::string message) : data_(Status(code, std::move(message))) {}

  bool ok() const { return std::holds_alternative<T>(data_); }
  // REQUIRES: ok().
  const T& value() const& { return std::get<T>(data_); }
  T& value() & { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  // OK when ok(), else the failure.
  Status status() const { return ok() ? Status() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace correlare
