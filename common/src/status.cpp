#include "common/status.h"

#include <array>

namespace correlare {
namespace {

struct CodeName {
  StatusCode code;
  std::string_view name;
};

constexpr std::array<CodeName, 10> kCodeNames{{
    {StatusCode::kOk, "ok"},
    {StatusCode::kInvalidArgument, "invalid_argument"},
    {StatusCode::kNotFound, "not_found"},
    {StatusCode::kUnsupported, "unsupported"},
    {StatusCode::kCorrupt, "corrupt"},
    {StatusCode::kEncrypted, "encrypted"},
    {StatusCode::kLimitExceeded, "limit_exceeded"},
    {StatusCode::kTimeout, "timeout"},
    {StatusCode::kIoError, "io_error"},
    {StatusCode::kInternal, "internal"},
}};

}  // namespace

std::string_view StatusCodeName(StatusCode code) {
  for (const auto& entry : kCodeNames) {
    if (entry.code == code) return entry.name;
  }
  return "internal";
}

StatusCode StatusCodeFromName(std::string_view name) {
  for (const auto& entry : kCodeNames) {
    if (entry.name == name) return entry.code;
  }
  return StatusCode::kInternal;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace correlare
