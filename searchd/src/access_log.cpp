#include "access_log.h"

namespace correlare::searchd {

std::string AccessLog::LoggablePath(std::string_view target) {
  constexpr size_t kShown = 200;
  target = target.substr(0, target.find('?'));
  std::string out;
  size_t i = 0;
  for (; i < target.size() && out.size() < kShown; ++i) {
    unsigned char c = static_cast<unsigned char>(target[i]);
    if (c < 0x20 || c >= 0x7F || c == '\\') {
      static const char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (i < target.size()) out += "...";
  return out.empty() ? "-" : out;
}

void AccessLog::Write(std::string_view method, std::string_view target, int status, double millis) {
  char timing[32];
  std::snprintf(timing, sizeof(timing), " %d %.2fms\n", status, millis);
  std::string line =
      LoggablePath(method.empty() ? "-" : method) + " " + LoggablePath(target) + timing;
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

}  // namespace correlare::searchd
