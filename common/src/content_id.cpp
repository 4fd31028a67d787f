#include "common/content_id.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <algorithm>

namespace correlare {
namespace {
constexpr size_t kIdLength = 32;
constexpr size_t kChunk = 1 << 30;  // SHA2Engine::update takes an unsigned length
}  // namespace

std::string ContentId(std::string_view bytes) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  for (size_t done = 0; done < bytes.size(); done += kChunk) {
    size_t n = std::min(kChunk, bytes.size() - done);
    sha.update(bytes.data() + done, static_cast<unsigned>(n));
  }
  return Poco::DigestEngine::digestToHex(sha.digest()).substr(0, kIdLength);
}

bool IsValidContentId(std::string_view id) {
  if (id.size() != kIdLength) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace correlare
