// Store: the originals and their extracted text, content-addressed under DIR/store/.
//   objects/<first two hex>/<id>        the original bytes
//   text/<first two hex>/<id>.txt       the extracted text (UTF-8)
// A document's id is the first 128 bits of the SHA-256 of its bytes, in lowercase hex:
// the same bytes always get the same id, whoever sends them and whatever their name.
//
// Writes are atomic (temporary file, fsync, rename), so a crash leaves either the whole
// file or none. Thread safety: distinct ids may be written concurrently; reads are safe
// at any time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace correlare::schema {

class Store {
 public:
  explicit Store(std::string root);

  // 32 lowercase hex characters.
  static std::string IdOf(std::string_view bytes);
  // True for a string that can be an id; callers check before touching the filesystem.
  static bool IsValidId(std::string_view id);

  const std::string& root() const { return root_; }
  std::string OriginalPath(std::string_view id) const;
  std::string TextPath(std::string_view id) const;

  bool HasOriginal(std::string_view id) const;
  bool HasText(std::string_view id) const;
  // Writes the original unless it is already there.
  Status PutOriginal(std::string_view id, std::string_view bytes) const;
  Status PutText(std::string_view id, std::string_view text) const;
  // The text, or its first `max_bytes` bytes (which may end inside a UTF-8 character).
  Result<std::string> ReadText(std::string_view id, size_t max_bytes = SIZE_MAX) const;
  // The same, into a buffer this thread keeps and reuses (no allocation, no copy): valid
  // until the thread's next call. For reading many texts' starts quickly.
  Result<std::string_view> ReadTextInThreadBuffer(std::string_view id, size_t max_bytes) const;
  // Removes original and text; absent files are not an error.
  Status Remove(std::string_view id) const;
  // Ids of every stored original.
  std::vector<std::string> ListOriginals() const;
  // Temporary files a killed writer left behind (never a finished file).
  std::vector<std::string> ListLeftovers() const;

 private:
  std::string root_;
};

// Writes `bytes` to `path` atomically, creating parent folders.
Status WriteFileAtomically(const std::string& path, std::string_view bytes);
// Flushes a folder's entries to disk (fsync of the folder): a file renamed into it is
// there after a power cut only once its folder is flushed.
Status FlushFolder(const std::string& folder);
// Reads a whole file, or its first `max_bytes`; kNotFound when absent.
Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes = SIZE_MAX);
// The first `max_bytes` of a file (at most 64 MB) into a buffer this thread keeps: valid
// until the thread's next call.
Result<std::string_view> ReadFileInThreadBuffer(const std::string& path, size_t max_bytes);

}  // namespace correlare::schema
