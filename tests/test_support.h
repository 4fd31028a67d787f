// Helpers shared by the tests: where the sample corpus is, temporary folders.
#pragma once

#include <filesystem>
#include <string>

#include <stdlib.h>

namespace correlare::testing {

inline std::filesystem::path CorpusPath(const std::string& relative) {
  return std::filesystem::path(CORRELARE_CORPUS_DIR) / relative;
}

// A fresh empty folder under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "correlare-test-XXXXXX").string();
  char* made = mkdtemp(pattern.data());
  path_ = made ? std::filesystem::path(made) : std::filesystem::path();
}

inline TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

}  // namespace correlare::testing
