// ZipContainer: random access to the parts of an office file (a ZIP) held in memory,
// through libarchive, with size limits so a crafted office file cannot expand without
// bound. Shared by the OOXML and ODF extractors.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "extractors/limits.h"

namespace correlare::extractors {

class ZipContainer {
 public:
  // Reads the central directory and inflates every regular entry whose name `wanted`
  // accepts (all when `wanted` is empty), each at most limits.max_member_bytes and in
  // total at most limits.max_expanded_bytes. An entry `wanted` refuses is never inflated
  // nor checked: it cannot fail the container by being damaged, encrypted or over a
  // limit, and it does not count towards max_expanded_bytes.
  // Fails with kCorrupt (not a ZIP, a damaged directory or wanted entry), kEncrypted (a
  // wanted entry uses ZIP encryption) or kLimitExceeded (a limit, naming the entry).
  // `bytes` is not used after Open returns.
  static Result<ZipContainer> Open(std::string_view bytes, const Limits& limits,
                                   const std::function<bool(const std::string&)>& wanted = {});

  // Has, Get and Names see only the entries that were inflated.
  bool Has(const std::string& name) const { return entries_.count(name) != 0; }
  // Empty string when absent.
  const std::string& Get(const std::string& name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, std::string> entries_;
};

}  // namespace correlare::extractors
