// The files of the web UI (web/, docs/web.md), served from the web root (setting
// `web_root`): the two pages and everything under static/. Only regular files under
// the root are ever served, named by plain segments and of a known type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace correlare::searchd {

struct WebFile {
  std::string path;  // canonical, inside the root
  uint64_t size = 0;
  std::string content_type;
  std::string etag;  // "\"<size>-<mtime>\"": changes whenever the build replaces the file
};

// The Content-Type of a file by its extension ("text/javascript; charset=utf-8" for
// .mjs); "" when the web root does not serve that kind of file.
std::string WebContentType(std::string_view name);

// The file `relative` ("static/app/search.mjs") names under `root`. kNotFound when the
// name is unsafe (empty, "." or ".." segments, hidden names, a character outside
// [A-Za-z0-9._-]), its type is unknown, it is not a regular file, or it resolves
// outside the root (through a symlink).
Result<WebFile> ResolveWebFile(const std::string& root, std::string_view relative);

}  // namespace correlare::searchd
