// Repository: the Xapian index and the store of originals under DIR (SPEC: DIR/index,
// DIR/store), opened for writing by one process at a time (Xapian's write lock).
//
// Crash safety: originals and texts are written (atomically) before the index entry
// that refers to them is committed, and removed only after the commit that drops it.
// A crash therefore leaves at worst stored files that no document refers to, which
// `correlare-indexer check` reports and `check --repair` removes.
//
// Thread safety: none; one writer thread owns it (see Ingestor).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "extractors/document.h"
#include "indexer/sidecar.h"
#include "schema/document_record.h"
#include "schema/store.h"
#include "taxonomy/tagger.h"
#include "taxonomy/taxonomy.h"

namespace correlare::indexer {

struct Prepared;  // what Repository::Prepare gives

// What the index remembers of a file it indexed, to skip it when unchanged.
struct FileState {
  uint64_t size = 0;
  int64_t mtime_ns = 0;
  std::string id;  // content id of the bytes last indexed
};

// Where the bytes of a document came from.
struct SourceInfo {
  std::string key;       // "file:/abs/path" or "inbox:<province>/<relative path>"
  std::string name;      // original file name
  std::string province;  // the inbox's province; "" for files indexed by path
  std::string type_hint; // --type given on the command line, "" otherwise
  std::string province_hint;  // --province given on the command line, "" otherwise
};

struct AddOutcome {
  std::string id;
  bool new_document = false;  // false: these bytes were already indexed (a duplicate)
  std::vector<std::string> member_ids;
};

// How re-tagging changed one document: tags written "axis:lavoro", "type:normativa",
// "province:lodi", "subtheme:decreto-flussi", "norm:dlgs-286-1998".
struct RetagChange {
  std::string id;
  std::string title;
  std::vector<std::string> gained;
  std::vector<std::string> lost;
};

class Repository {
 public:
  // Opens (creating if needed) DIR/index and DIR/store. Fails with a clear message when
  // another process holds the index for writing.
  static Result<std::unique_ptr<Repository>> Open(const std::string& data_dir,
                                                  const taxonomy::Taxonomy& taxonomy);
  ~Repository();

  // Adds an extracted document from `path` (its bytes are copied to the store and must
  // still have doc.content_id), tagged with its sidecar and source; or, when those
  // bytes are already indexed, adds `source` to that document. Members of a bundle
  // become documents too; their originals are taken from `members_dir` (the worker's).
  // Not visible to readers until Commit().
  // `prepared`: Prepare()'s result for the same document, source and sidecar, which
  // Add uses (and empties) instead of doing that work itself.
  Result<AddOutcome> Add(const std::string& path, const extractors::ExtractedDocument& doc,
                         const SourceInfo& source, const std::optional<Sidecar>& sidecar,
                         const std::string& members_dir, Prepared* prepared = nullptr);

  // The part of Add that needs nothing from the index — the tags and the text's terms —
  // done beforehand. Thread-safe, and safe to call while another thread is in Add: the
  // extraction threads call it, so that the one writer thread only writes.
  std::unique_ptr<Prepared> Prepare(const extractors::ExtractedDocument& doc, const SourceInfo& source,
                                    const std::optional<Sidecar>& sidecar) const;

  // Removes `source_key` from the document holding it; a document left with no source
  // is removed with its members (files deleted after the next Commit()).
  Status RemoveSource(const std::string& source_key);
  // Removes a document by id, whatever its sources.
  Status RemoveDocument(const std::string& id);

  // The id of the document holding `source_key`, if any.
  std::optional<std::string> DocumentWithSource(const std::string& source_key) const;
  std::optional<schema::DocumentRecord> Get(const std::string& id) const;
  // The document is indexed with its original and text stored, and so are its members,
  // all the way down. When not, indexing its source again repairs it.
  bool IsIntact(const std::string& id) const;

  std::optional<FileState> GetFileState(const std::string& path) const;
  void SetFileState(const std::string& path, const FileState& state);
  void ClearFileState(const std::string& path);
  // Paths with a file state that start with `prefix` (a folder with a trailing '/').
  std::vector<std::string> FileStatesUnder(const std::string& prefix) const;

  // Re-applies the taxonomy given to Open() to every document, from the stored text and
  // without re-extracting. What a sidecar or an inbox folder said is kept. With
  // `dry_run`, nothing is written. Returns the documents whose tags changed.
  Result<std::vector<RetagChange>> Retag(bool dry_run);

  // Makes what was written since the last commit durable and visible. Writes go inside
  // a Xapian transaction from one commit to the next: when Xapian failed partway through
  // one of them (write_failed()), or fails in the commit itself, nothing of the batch is
  // committed (the index keeps its last commit) and the failure is returned. Destroying
  // the Repository commits, unless a write failed.
  Status Commit();
  // Xapian failed while writing since the last commit (a damaged index, a full disk):
  // the next Commit() drops the batch instead of committing it as it was left.
  bool write_failed() const;
  // Commits, then rewrites the index into its most compact form and puts it in place of
  // the old one with one atomic exchange of the two folders: readers that reopen see the
  // compact index, and a kill at any point leaves one whole index (the other folder,
  // DIR/index.compact, is removed by the next Open). Many small commits leave the
  // B-trees' blocks half full; a bulk run ends with this. Returns the sizes in bytes;
  // kLimitExceeded, leaving the index as it is, when the disk has less room free than the
  // index takes (the compact copy is written beside it).
  Result<std::pair<uint64_t, uint64_t>> Compact();
  uint64_t document_count() const;
  const schema::Store& store() const;
  const std::string& data_dir() const;

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace correlare::indexer
