#include "indexer/extraction_settings.h"

namespace correlare::indexer {
namespace {

struct IntSetting {
  const char* key;
  int64_t min;
  int64_t max;
};

Result<int64_t> ReadBounded(const Settings& settings, const IntSetting& setting,
                            int64_t fallback) {
  Result<int64_t> value = settings.GetInt(setting.key, fallback);
  if (!value.ok()) return value;
  if (value.value() < setting.min || value.value() > setting.max) {
    return Status(StatusCode::kInvalidArgument,
                  std::string("setting '") + setting.key + "' must be between " +
                      std::to_string(setting.min) + " and " + std::to_string(setting.max));
  }
  return value;
}

}  // namespace

Result<extractors::Limits> LimitsFromSettings(const Settings& settings) {
  extractors::Limits limits;
  auto timeout = ReadBounded(settings, {"extract_timeout", 1, 3600}, limits.timeout_seconds);
  auto memory = ReadBounded(settings, {"extract_memory_mb", 64, 1 << 20},
                            static_cast<int64_t>(limits.memory_bytes >> 20));
  auto file = ReadBounded(settings, {"max_file_mb", 1, 1 << 20},
                          static_cast<int64_t>(limits.max_file_bytes >> 20));
  auto text = ReadBounded(settings, {"max_text_mb", 1, 4096},
                          static_cast<int64_t>(limits.max_text_bytes >> 20));
  for (const auto* result : {&timeout, &memory, &file, &text}) {
    if (!result->ok()) return result->status();
  }
  limits.timeout_seconds = static_cast<int>(timeout.value());
  limits.memory_bytes = static_cast<uint64_t>(memory.value()) << 20;
  limits.max_file_bytes = static_cast<uint64_t>(file.value()) << 20;
  limits.max_text_bytes = static_cast<uint64_t>(text.value()) << 20;
  return limits;
}

std::vector<FlagSpec> ExtractionFlags() {
  return {
      {"extract_timeout", true, "S", "seconds one file may take to extract (default 60)"},
      {"extract_memory_mb", true, "MB", "memory one extraction may use (default 2048)"},
      {"max_file_mb", true, "MB", "larger files are refused (default 512)"},
      {"max_text_mb", true, "MB", "text kept per document (default 16)"},
  };
}

}  // namespace correlare::indexer
