#include "indexer/repository.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <functional>
#include <iterator>
#include <set>

#include "common/content_id.h"
#include "document_builder.h"
#include "indexer/tag_input.h"
#include "schema/schema.h"
#include "taxonomy/text_keys.h"

namespace correlare::indexer {
namespace fs = std::filesystem;

namespace {

constexpr char kFileStatePrefix[] = "file:";
// Where Compact() writes the new index, and where the old one is left for a moment.
constexpr char kCompactFolder[] = "index.compact";

std::string NowIso() {
  std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char out[32];
  std::strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &parts);
  return out;
}

std::vector<schema::EvidenceRecord> ToRecords(const std::vector<taxonomy::Evidence>& evidence) {
  std::vector<schema::EvidenceRecord> out;
  for (const auto& e : evidence) out.push_back({e.term, e.matched, e.zone, e.count, e.score});
  return out;
}

schema::TagRecord ToRecord(const taxonomy::SourcedTag& tag) {
  return {tag.value, tag.source, tag.reason, ToRecords(tag.evidence)};
}

// Where a new index is made before it is renamed into place (CreateIndexIfMissing).
constexpr char kNewIndexPrefix[] = "index.new.";

// True for an index folder that a kill left while Xapian was making it: no version file
// (Xapian cannot open it) and nothing written in its files. Such a folder holds no
// document; any other folder is left alone, whatever state it is in.
bool IsInterruptedCreation(const fs::path& index) {
  std::error_code error;
  if (fs::exists(index / "iamglass", error)) return false;
  for (const auto& entry : fs::directory_iterator(index, error)) {
    if (!entry.is_regular_file(error) || entry.file_size(error) > 0) return false;
  }
  return !error;
}

// A new index is made in a folder of its own and renamed into place once Xapian has
// written it whole, so a kill while it is being made never leaves an index folder that
// cannot be opened (every later run would fail on it).
Status CreateIndexIfMissing(const std::string& data_dir) {
  const fs::path index = fs::path(data_dir) / "index";
  std::error_code error;
  // What an earlier kill left: folders of new indexes never renamed, and (from before
  // this was done so) an index folder left empty.
  for (const auto& entry : fs::directory_iterator(data_dir, error)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(kNewIndexPrefix, 0) != 0) continue;
    pid_t maker = static_cast<pid_t>(std::atol(name.c_str() + std::strlen(kNewIndexPrefix)));
    if (maker > 0 && kill(maker, 0) == 0) continue;  // being made right now by another indexer
    fs::remove_all(entry.path(), error);
  }
  if (fs::is_directory(index, error) && IsInterruptedCreation(index)) fs::remove_all(index, error);
  if (fs::exists(index, error)) return Status::Ok();
  const fs::path fresh = fs::path(data_dir) / (kNewIndexPrefix + std::to_string(getpid()));
  try {
    Xapian::WritableDatabase db(fresh.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    db.set_metadata(schema::kMetadataSchemaVersion, std::to_string(schema::kSchemaVersion));
    db.commit();
  } catch (const Xapian::Error& e) {
    fs::remove_all(fresh, error);
    return Status(StatusCode::kIoError, "cannot create " + index.string() + ": " + e.get_description());
  }
  if (rename(fresh.c_str(), index.c_str()) != 0) {
    int why = errno;
    fs::remove_all(fresh, error);
    // Another indexer made it first: that one is used.
    if (why != EEXIST && why != ENOTEMPTY) {
      return Status(StatusCode::kIoError, "cannot create " + index.string() + ": " + std::strerror(why));
    }
  }
  return schema::FlushFolder(data_dir);
}

// Synonyms live in the index so that searchd expands queries with the same sets the
// taxonomy file holds today. Keys are folded words, as the query side folds them.
void SyncSynonyms(Xapian::WritableDatabase& db, const taxonomy::Taxonomy& taxonomy) {
  std::vector<std::string> old_keys;
  for (auto it = db.synonym_keys_begin(); it != db.synonym_keys_end(); ++it) old_keys.push_back(*it);
  for (const auto& key : old_keys) db.clear_synonyms(key);
  for (const auto& set : taxonomy.synonyms) {
    std::vector<std::string> folded;
    for (const auto& entry : set) {
      // Multi-word synonyms are keyed by their words joined with single spaces.
      std::string text = taxonomy::FoldText(entry);
      std::string joined;
      bool space = false;
      for (char c : text) {
        if (std::isspace(static_cast<unsigned char>(c)) || c == '\'') {
          space = !joined.empty();
        } else {
          if (space) joined += ' ';
          space = false;
          joined += c;
        }
      }
      if (!joined.empty()) folded.push_back(joined);
    }
    for (const auto& a : folded) {
      for (const auto& b : folded) {
        if (a != b) db.add_synonym(a, b);
      }
    }
  }
}

}  // namespace

struct Repository::Impl {
  std::string data_dir;
  Xapian::WritableDatabase db;
  schema::Store store;
  std::unique_ptr<taxonomy::Tagger> tagger;
  std::set<std::string> maybe_unused;  // ids whose files go once a commit drops them
  SpellingCounts spelling;             // the batch's spelling data, given at Commit()
  // Store folders given new files since the last commit: flushed before the commit that
  // makes the index refer to those files (Commit), so that a power cut cannot leave a
  // committed document without them.
  std::set<std::string> unflushed;
  // The batch's writes are one Xapian transaction (Commit() ends it and starts the
  // next): without it, Xapian would commit a batch left half-written by an exception
  // when the database is next committed or closed.
  bool in_transaction = false;
  std::string write_failure;  // the first Xapian error of this batch, "" if none

  Impl(std::string dir, Xapian::WritableDatabase database, const taxonomy::Taxonomy& taxonomy)
      : data_dir(std::move(dir)),
        db(std::move(database)),
        store(data_dir + "/store"),
        tagger(std::make_unique<taxonomy::Tagger>(taxonomy)) {
    db.begin_transaction(true);
    in_transaction = true;
  }
  // What is pending is committed, with its spelling data and store folders, unless a
  // write failed (then it is dropped).
  ~Impl() {
    if (!in_transaction) return;
    try {
      if (!write_failure.empty()) {
        db.cancel_transaction();
        return;
      }
      (void)FlushFolders();
      FlushSpelling(spelling, db);
      db.commit_transaction();
    } catch (const Xapian::Error&) {
    }
  }

  void Failed(const Xapian::Error& error) {
    if (write_failure.empty()) write_failure = error.get_description();
  }

  // Ends the batch's transaction: committed, or (`keep` false) dropped.
  void EndTransaction(bool keep) {
    if (!in_transaction) return;
    in_transaction = false;  // also when this throws: Xapian ends the transaction then
    if (keep) {
      db.commit_transaction();
    } else {
      db.cancel_transaction();
    }
  }

  void BeginTransaction() {
    if (in_transaction) return;
    db.begin_transaction(true);
    in_transaction = true;
  }

  // The batch after a failed write or commit (`why`): dropped whole (if Xapian has not
  // already dropped it), and a new one begun.
  Status DropBatch(std::string why) {
    write_failure.clear();
    spelling.clear();
    maybe_unused.clear();  // still referred to by the committed documents
    try {
      EndTransaction(false);
      BeginTransaction();
    } catch (const Xapian::Error& e) {
      return Status(StatusCode::kIoError, why + "; and the index cannot be written on: " + e.get_description());
    }
    return Status(StatusCode::kIoError, why + " (what was written since the last commit was dropped)");
  }

  // The store's files of `id` were written (or moved in), for a document about to be
  // written to the index.
  void Stored(const std::string& id) {
    unflushed.insert(fs::path(store.OriginalPath(id)).parent_path().string());
    unflushed.insert(fs::path(store.TextPath(id)).parent_path().string());
  }

  Status FlushFolders() {
    // Each fan-out folder, then the folders above it (which hold it since it was made).
    std::set<std::string> above;
    for (const auto& folder : unflushed) {
      Status flushed = schema::FlushFolder(folder);
      if (!flushed.ok()) return flushed;
      fs::path up = fs::path(folder).parent_path();
      above.insert(up.string());
      above.insert(up.parent_path().string());
    }
    for (const auto& folder : above) {
      Status flushed = schema::FlushFolder(folder);
      if (!flushed.ok()) return flushed;
    }
    unflushed.clear();
    return Status::Ok();
  }

  std::optional<Xapian::docid> DocidOf(const std::string& term) const {
    Xapian::PostingIterator it = db.postlist_begin(term);
    if (it == db.postlist_end(term)) return std::nullopt;
    return *it;
  }

  Result<schema::DocumentRecord> RecordOf(Xapian::docid docid) const {
    return schema::RecordFromJson(db.get_document(docid).get_data());
  }

  // The record of document `id`; `indexed`, when given, says whether the index has a
  // document with that id at all (it may have one whose record cannot be read).
  std::optional<schema::DocumentRecord> Get(const std::string& id, bool* indexed = nullptr) const {
    auto docid = DocidOf(schema::kPrefixId + id);
    if (indexed != nullptr) *indexed = docid.has_value();
    if (!docid) return std::nullopt;
    auto record = RecordOf(*docid);
    if (!record.ok()) return std::nullopt;
    return record.value();
  }

  // `known_new`: the caller has just seen that no document has this id, so Xapian need
  // not look for one to replace. `new_words`: the text's words go to the spelling data
  // (once a document: a document written again, for a new source or new tags, already
  // gave its words).
  void Write(const schema::DocumentRecord& record, const std::string& text, TextTerms* prebuilt = nullptr,
             bool known_new = false, bool new_words = true) {
    SpellingCounts not_counted;
    Xapian::Document doc = BuildXapianDocument(record, text, new_words ? spelling : not_counted, prebuilt);
    if (known_new) {
      db.add_document(doc);
    } else {
      db.replace_document(schema::kPrefixId + record.id, doc);
    }
  }

  // Rewrites a document whose record changed but whose text did not.
  Status Rewrite(const schema::DocumentRecord& record) {
    auto text = store.ReadText(record.id);
    Write(record, text.ok() ? text.value() : std::string(), nullptr, false, /*new_words=*/false);
    return Status::Ok();
  }

  static void RecomputeProvinces(schema::DocumentRecord& record) {
    std::vector<std::string> provinces;
    for (const auto& source : record.sources) {
      if (!source.province.empty() &&
          std::find(provinces.begin(), provinces.end(), source.province) == provinces.end()) {
        provinces.push_back(source.province);
      }
    }
    if (!provinces.empty()) {
      if (record.province.source != "inbox" ||
          std::find(provinces.begin(), provinces.end(), record.province.value) == provinces.end()) {
        record.province = {provinces.front(), "inbox",
                           "dropped into the inbox folder of " + provinces.front(), {}};
      }
    } else if (!record.province.value.empty()) {
      provinces.push_back(record.province.value);
    }
    record.provinces = provinces;
  }

  // `tags`: the document's tags when they were computed beforehand (Prepare).
  schema::DocumentRecord MakeRecord(const extractors::ExtractedDocument& doc,
                                    const SourceInfo& source, const std::optional<Sidecar>& sidecar,
                                    const std::string& parent, const taxonomy::Tags* tagged = nullptr) {
    taxonomy::TagInput input = MakeTagInput(doc, source, sidecar);
    taxonomy::Tags tags = tagged != nullptr ? *tagged : tagger->Tag(input);

    schema::DocumentRecord r;
    r.id = doc.content_id;
    r.title = input.title;
    r.title_source = sidecar && sidecar->title ? "metadata" : doc.title_source;
    r.authors = sidecar && sidecar->authors ? *sidecar->authors : doc.authors;
    r.date = sidecar && sidecar->date ? *sidecar->date : doc.date;
    if (sidecar && sidecar->description) {
      r.description = *sidecar->description;
    } else if (auto it = doc.metadata.find("description"); it != doc.metadata.end()) {
      r.description = it->second;
    } else if (auto subject = doc.metadata.find("subject"); subject != doc.metadata.end()) {
      r.description = subject->second;
    }
    if (sidecar && sidecar->module) r.module = *sidecar->module;
    r.lang = input.lang;
    r.mime = doc.mime;
    r.size = doc.size;
    r.text_bytes = doc.text.size();
    r.type = ToRecord(tags.type);
    r.province = ToRecord(tags.province);
    for (const auto& axis : tags.axes) {
      r.axes.push_back({axis.axis, axis.score, axis.source, axis.subthemes, ToRecords(axis.evidence)});
    }
    std::set<std::string> norm_ids;
    for (const auto& citation : tags.norms) {
      // A cited article also cites its norm: norma:"D.Lgs. 286/1998" finds both.
      if (norm_ids.insert(citation.norm_id).second) {
        r.norms.push_back({citation.norm_id, tagger->norms().LabelOf(citation.norm_id)});
      }
      if (citation.id != citation.norm_id && norm_ids.insert(citation.id).second) {
        r.norms.push_back({citation.id, citation.label});
      }
    }
    r.sources.push_back({source.key, source.name, source.province, NowIso()});
    r.parent = parent;
    r.member_path = doc.member_path;
    for (const auto& page : doc.pages) r.pages.push_back({page.number, page.offset});
    for (const auto& cue : doc.cues) r.cues.push_back({cue.start_ms, cue.end_ms, cue.offset, cue.length});
    r.warnings = doc.warnings;
    r.indexed_at = NowIso();
    RecomputeProvinces(r);
    return r;
  }

  // Adds `source` to the document `id` when it exists. Returns false when there is none.
  Result<bool> AttachSource(const std::string& id, const SourceInfo& source) {
    auto docid = DocidOf(schema::kPrefixId + id);
    if (!docid) return false;
    auto record = RecordOf(*docid);
    if (!record.ok()) return record.status();
    schema::DocumentRecord r = record.value();
    bool known = std::any_of(r.sources.begin(), r.sources.end(),
                             [&](const schema::SourceRecord& s) { return s.key == source.key; });
    if (!known) {
      r.sources.push_back({source.key, source.name, source.province, NowIso()});
      RecomputeProvinces(r);
      Status status = Rewrite(r);
      if (!status.ok()) return status;
    }
    return true;
  }

  Result<std::string> AddMemberTree(const extractors::ExtractedDocument& member,
                                    const std::string& parent_id, const SourceInfo& parent_source,
                                    const std::string& members_dir, std::vector<std::string>& ids) {
    const std::string& id = member.content_id;
    SourceInfo source{"member:" + parent_id + "/" + member.member_path, member.file_name,
                      parent_source.province, parent_source.type_hint, parent_source.province_hint};
    auto attached = AttachSource(id, source);
    if (!attached.ok()) return attached.status();
    ids.push_back(id);
    if (attached.value() && store.HasOriginal(id) && store.HasText(id)) return id;
    // New, or indexed before and since damaged in the store: (re)write its files.
    if (!store.HasOriginal(id)) {
      std::string kept = members_dir + "/" + id;
      std::error_code error;
      if (members_dir.empty() || !fs::is_regular_file(kept, error)) {
        return Status(StatusCode::kIoError, "the bytes of member " + member.member_path + " were not kept");
      }
      fs::create_directories(fs::path(store.OriginalPath(id)).parent_path(), error);
      fs::rename(kept, store.OriginalPath(id), error);
      if (error) return Status(StatusCode::kIoError, "cannot store member " + member.member_path + ": " + error.message());
    }
    Status text = store.PutText(id, member.text);
    if (!text.ok()) return text;
    Stored(id);
    if (attached.value()) return id;
    schema::DocumentRecord record = MakeRecord(member, source, std::nullopt, parent_id);
    std::vector<std::string> children;
    for (const auto& child : member.members) {
      if (!child.status.ok() || !IsValidContentId(child.content_id)) continue;
      auto added = AddMemberTree(child, id, source, members_dir, ids);
      if (added.ok()) children.push_back(added.value());
    }
    record.members = children;
    Write(record, member.text);
    return id;
  }

  Status RemoveSourceFrom(Xapian::docid docid, const std::string& key) {
    auto record = RecordOf(docid);
    if (!record.ok()) return record.status();
    schema::DocumentRecord r = record.value();
    r.sources.erase(std::remove_if(r.sources.begin(), r.sources.end(),
                                   [&](const schema::SourceRecord& s) { return s.key == key; }),
                    r.sources.end());
    if (!r.sources.empty()) {
      RecomputeProvinces(r);
      return Rewrite(r);
    }
    return DeleteWithMembers(docid, r);
  }

  Status DeleteWithMembers(Xapian::docid docid, const schema::DocumentRecord& r) {
    db.delete_document(docid);
    maybe_unused.insert(r.id);
    for (const auto& member_id : r.members) {
      auto member_docid = DocidOf(schema::kPrefixId + member_id);
      if (!member_docid) continue;
      auto member = RecordOf(*member_docid);
      if (!member.ok()) continue;
      for (const auto& source : member.value().sources) {
        if (source.key.rfind("member:" + r.id + "/", 0) == 0) {
          Status status = RemoveSourceFrom(*member_docid, source.key);
          if (!status.ok()) return status;
          break;
        }
      }
    }
    return Status::Ok();
  }
};

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::~Repository() = default;

Result<std::unique_ptr<Repository>> Repository::Open(const std::string& data_dir,
                                                     const taxonomy::Taxonomy& taxonomy) {
  std::error_code error;
  fs::create_directories(data_dir + "/store", error);
  if (error) return Status(StatusCode::kIoError, "cannot create " + data_dir + "/store: " + error.message());
  Status created = CreateIndexIfMissing(data_dir);
  if (!created.ok()) return created;
  try {
    Xapian::WritableDatabase db(data_dir + "/index", Xapian::DB_CREATE_OR_OPEN);
    std::string version = db.get_metadata(schema::kMetadataSchemaVersion);
    if (version.empty()) {
      db.set_metadata(schema::kMetadataSchemaVersion, std::to_string(schema::kSchemaVersion));
    } else if (version != std::to_string(schema::kSchemaVersion)) {
      return Status(StatusCode::kInvalidArgument,
                    data_dir + "/index has schema version " + version + ", this program writes " +
                        std::to_string(schema::kSchemaVersion) + ": index again into a new --data folder");
    }
    SyncSynonyms(db, taxonomy);
    db.commit();
    // A compaction that a kill interrupted leaves its other folder: the index in place
    // is whole (Compact()), this one is not needed.
    std::error_code ignored_compact;
    fs::remove_all(data_dir + "/" + kCompactFolder, ignored_compact);
    // Only the holder of the write lock writes to the store: temporary files there
    // were left by a writer that was killed.
    std::error_code ignored;
    for (const auto& leftover : schema::Store(data_dir + "/store").ListLeftovers()) {
      fs::remove(leftover, ignored);
    }
    return std::unique_ptr<Repository>(
        new Repository(std::make_unique<Impl>(data_dir, std::move(db), taxonomy)));
  } catch (const Xapian::DatabaseLockError&) {
    // Xapian reports a lock file it cannot create (a read-only disk) as a lock that
    // another process holds: say what is really wrong.
    if (access((data_dir + "/index").c_str(), W_OK) != 0 && errno == EROFS) {
      return Status(StatusCode::kIoError, "cannot write " + data_dir + "/index: " + std::strerror(EROFS));
    }
    return Status(StatusCode::kIoError, data_dir + "/index is being written by another process "
                                        "(another correlare-indexer index or watch): try again when it is done");
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kIoError, "cannot open " + data_dir + "/index: " + e.get_description());
  }
}

std::unique_ptr<Prepared> Repository::Prepare(const extractors::ExtractedDocument& doc,
                                             const SourceInfo& source,
                                             const std::optional<Sidecar>& sidecar) const {
  taxonomy::TagInput input = MakeTagInput(doc, source, sidecar);
  auto prepared = std::make_unique<Prepared>();
  prepared->tags = impl_->tagger->Tag(input);
  // The authors as MakeRecord picks them.
  prepared->text = BuildTextTerms(input.title, sidecar && sidecar->authors ? *sidecar->authors : doc.authors,
                                  input.lang, doc.text);
  return prepared;
}

Result<AddOutcome> Repository::Add(const std::string& path, const extractors::ExtractedDocument& doc,
                                   const SourceInfo& source, const std::optional<Sidecar>& sidecar,
                                   const std::string& members_dir, Prepared* prepared) {
  Impl& d = *impl_;
  if (!IsValidContentId(doc.content_id)) {
    return Status(StatusCode::kInternal, "the extraction gave no content id");
  }
  try {
    AddOutcome outcome;
    outcome.id = doc.content_id;
    // A file that now holds other bytes (it changed) lets go of the old ones first. Not
    // an inbox source: a province dropping a new file under an old name sends a new
    // document, and the earlier one stays.
    bool file_source = source.key.rfind("file:", 0) == 0;
    if (auto previous = DocumentWithSource(source.key);
        file_source && previous && *previous != doc.content_id) {
      Status released = RemoveSource(source.key);
      if (!released.ok()) return released;
    }
    // `indexed` also when the record there cannot be read (it is then rebuilt).
    bool indexed = false;
    std::optional<schema::DocumentRecord> existing = d.Get(doc.content_id, &indexed);
    bool same_source = existing && std::any_of(existing->sources.begin(), existing->sources.end(),
                                               [&](const auto& s) { return s.key == source.key; });
    // The same inbox file taken again (the watcher was killed before deleting it):
    // nothing new to learn, and its sidecar may already be gone. With a sidecar (one
    // that arrived late), it is rebuilt so that the sidecar applies.
    bool retaken = same_source && !file_source && !sidecar.has_value();
    if (existing && (!same_source || retaken)) {
      // Bytes already known: repair their stored files if they were lost, then add the
      // source.
      if (!d.store.HasOriginal(doc.content_id) || !d.store.HasText(doc.content_id)) {
        auto bytes = schema::ReadWholeFile(path);
        if (!bytes.ok()) return bytes.status();
        if (ContentId(bytes.value()) != doc.content_id) {
          return Status(StatusCode::kIoError, "the file changed while it was being indexed");
        }
        Status stored = d.store.PutOriginal(doc.content_id, bytes.value());
        if (stored.ok()) stored = d.store.PutText(doc.content_id, doc.text);
        if (!stored.ok()) return stored;
        d.Stored(doc.content_id);
      }
      auto attached = d.AttachSource(doc.content_id, source);
      if (!attached.ok()) return attached.status();
      outcome.member_ids = existing->members;
      return outcome;
    }
    // New bytes, or the same source again (its sidecar may have changed): (re)build.
    auto bytes = schema::ReadWholeFile(path);
    if (!bytes.ok()) return bytes.status();
    if (ContentId(bytes.value()) != doc.content_id) {
      return Status(StatusCode::kIoError, "the file changed while it was being indexed");
    }
    Status stored = d.store.PutOriginal(doc.content_id, bytes.value());
    if (stored.ok()) stored = d.store.PutText(doc.content_id, doc.text);
    if (!stored.ok()) return stored;
    d.Stored(doc.content_id);

    schema::DocumentRecord record =
        d.MakeRecord(doc, source, sidecar, "", prepared != nullptr ? &prepared->tags : nullptr);
    if (existing) {  // keep the other sources of these bytes
      for (const auto& s : existing->sources) {
        if (s.key != source.key) record.sources.push_back(s);
      }
      Impl::RecomputeProvinces(record);
    }
    for (const auto& member : doc.members) {
      if (!member.status.ok()) {
        record.warnings.push_back(member.member_path + ": " + member.status.ToString());
        continue;
      }
      if (!IsValidContentId(member.content_id)) continue;
      auto added = d.AddMemberTree(member, doc.content_id, source, members_dir, outcome.member_ids);
      if (added.ok()) {
        record.members.push_back(added.value());
      } else {
        record.warnings.push_back(member.member_path + ": " + added.status().message());
      }
    }
    // New unless it was there, or one of its own members was these same bytes (an
    // archive that holds a copy of itself) and has just been written.
    bool known_new = !indexed && std::find(outcome.member_ids.begin(), outcome.member_ids.end(),
                                           doc.content_id) == outcome.member_ids.end();
    d.Write(record, doc.text, prepared != nullptr ? &prepared->text : nullptr, known_new,
            /*new_words=*/!indexed);
    outcome.new_document = !existing;
    return outcome;
  } catch (const Xapian::Error& e) {
    d.Failed(e);
    return Status(StatusCode::kIoError, "index write failed: " + e.get_description());
  }
}

Status Repository::RemoveSource(const std::string& source_key) {
  try {
    auto docid = impl_->DocidOf(SourceTerm(source_key));
    if (!docid) return Status(StatusCode::kNotFound, "no document comes from " + source_key);
    return impl_->RemoveSourceFrom(*docid, source_key);
  } catch (const Xapian::Error& e) {
    impl_->Failed(e);
    return Status(StatusCode::kIoError, "index write failed: " + e.get_description());
  }
}

Status Repository::RemoveDocument(const std::string& id) {
  if (!IsValidContentId(id)) return Status(StatusCode::kInvalidArgument, "'" + id + "' is not a document id");
  try {
    auto docid = impl_->DocidOf(schema::kPrefixId + id);
    if (!docid) return Status(StatusCode::kNotFound, "no document with id " + id);
    auto record = impl_->RecordOf(*docid);
    if (!record.ok()) return record.status();
    // Forget the file states that point here, so a later `index` takes the file again.
    for (const auto& source : record.value().sources) {
      if (source.key.rfind(kFileStatePrefix, 0) == 0) ClearFileState(source.key.substr(5));
    }
    return impl_->DeleteWithMembers(*docid, record.value());
  } catch (const Xapian::Error& e) {
    impl_->Failed(e);
    return Status(StatusCode::kIoError, "index write failed: " + e.get_description());
  }
}

std::optional<std::string> Repository::DocumentWithSource(const std::string& source_key) const {
  auto docid = impl_->DocidOf(SourceTerm(source_key));
  if (!docid) return std::nullopt;
  auto record = impl_->RecordOf(*docid);
  if (!record.ok()) return std::nullopt;
  return record.value().id;
}

std::optional<schema::DocumentRecord> Repository::Get(const std::string& id) const {
  return impl_->Get(id);
}

bool Repository::IsIntact(const std::string& id) const {
  std::vector<std::string> pending{id};
  for (size_t checked = 0; !pending.empty() && checked < 100000; ++checked) {
    std::string next = pending.back();
    pending.pop_back();
    auto record = Get(next);
    if (!record || !impl_->store.HasOriginal(next) || !impl_->store.HasText(next)) return false;
    for (const auto& member : record->members) pending.push_back(member);
  }
  return true;
}

std::optional<FileState> Repository::GetFileState(const std::string& path) const {
  std::string value = impl_->db.get_metadata(kFileStatePrefix + path);
  if (value.empty()) return std::nullopt;
  FileState state;
  size_t a = value.find(' ');
  size_t b = value.find(' ', a == std::string::npos ? a : a + 1);
  if (a == std::string::npos || b == std::string::npos) return std::nullopt;
  try {
    state.size = std::stoull(value.substr(0, a));
    state.mtime_ns = std::stoll(value.substr(a + 1, b - a - 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  state.id = value.substr(b + 1);
  return state;
}

void Repository::SetFileState(const std::string& path, const FileState& state) {
  try {
    impl_->db.set_metadata(kFileStatePrefix + path, std::to_string(state.size) + " " +
                                                        std::to_string(state.mtime_ns) + " " + state.id);
  } catch (const Xapian::Error& e) {
    impl_->Failed(e);  // the batch is dropped at its commit, which says why
  }
}

void Repository::ClearFileState(const std::string& path) {
  try {
    impl_->db.set_metadata(kFileStatePrefix + path, "");
  } catch (const Xapian::Error& e) {
    impl_->Failed(e);
  }
}

std::vector<std::string> Repository::FileStatesUnder(const std::string& prefix) const {
  std::vector<std::string> paths;
  std::string full = kFileStatePrefix + prefix;
  for (auto it = impl_->db.metadata_keys_begin(full); it != impl_->db.metadata_keys_end(full); ++it) {
    paths.push_back((*it).substr(sizeof(kFileStatePrefix) - 1));
  }
  return paths;
}

namespace {

uint64_t FolderBytes(const fs::path& folder) {
  uint64_t total = 0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(folder, error)) {
    if (entry.is_regular_file(error)) total += entry.file_size(error);
  }
  return total;
}

}  // namespace

bool Repository::write_failed() const { return !impl_->write_failure.empty(); }

Result<std::pair<uint64_t, uint64_t>> Repository::Compact() {
  Impl& d = *impl_;
  Status committed = Commit();
  if (!committed.ok()) return committed;
  // Outside a transaction (an empty one, just begun) while the folders change hands;
  // the next one begins whatever happens.
  try {
    d.EndTransaction(false);
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kIoError, "cannot compact " + d.data_dir + "/index: " + e.get_description());
  }
  struct BeginAgain {
    Impl& d;
    ~BeginAgain() {
      try {
        d.BeginTransaction();
      } catch (const Xapian::Error&) {
        // The index did not open again: Compact() said so, and every write fails.
      }
    }
  } begin_again{d};
  std::string index = d.data_dir + "/index";
  std::string compact = d.data_dir + "/" + kCompactFolder;
  std::error_code error;
  fs::remove_all(compact, error);
  uint64_t before = FolderBytes(index);
  // The compact copy is written beside the index: it needs up to the index's size free.
  // Without it, the index stays as it is (compaction only makes it smaller and faster).
  fs::space_info space = fs::space(d.data_dir, error);
  if (!error && space.available < before) {
    auto size = [](uint64_t bytes) {
      return bytes >= (10u << 20) ? std::to_string(bytes >> 20) + " MB" : std::to_string(bytes >> 10) + " KB";
    };
    return Status(StatusCode::kLimitExceeded, "not compacted: compacting needs up to " + size(before) +
                                                  " free beside " + index + ", and " + size(space.available) +
                                                  " are");
  }
  try {
    // The same document ids: nothing outside the index depends on them, but a reader
    // between two reopens then sees the same documents under the same numbers.
    d.db.compact(compact, Xapian::DBCOMPACT_NO_RENUMBER);
  } catch (const Xapian::Error& e) {
    fs::remove_all(compact, error);
    return Status(StatusCode::kIoError, "cannot compact " + index + ": " + e.get_description());
  }
  // Still holding the write lock (on the old folder's lock file): no other writer can
  // have opened the index since the commit.
  if (renameat2(AT_FDCWD, compact.c_str(), AT_FDCWD, index.c_str(), RENAME_EXCHANGE) != 0) {
    std::string why = strerror(errno);
    fs::remove_all(compact, error);
    return Status(StatusCode::kIoError, "cannot put the compacted index in place: " + why);
  }
  uint64_t after = FolderBytes(index);
  try {
    d.db.close();
    d.db = Xapian::WritableDatabase(index, Xapian::DB_OPEN);
  } catch (const Xapian::Error& e) {
    fs::remove_all(compact, error);
    return Status(StatusCode::kIoError,
                  "compacted " + index + ", but cannot open it again: " + e.get_description());
  }
  fs::remove_all(compact, error);
  return std::make_pair(before, after);
}

Status Repository::Commit() {
  Impl& d = *impl_;
  if (!d.write_failure.empty()) return d.DropBatch("not committed: " + d.write_failure);
  Status flushed = d.FlushFolders();
  if (!flushed.ok()) return Status(StatusCode::kIoError, "commit not made: " + flushed.message());
  try {
    FlushSpelling(d.spelling, d.db);
    d.EndTransaction(true);
  } catch (const Xapian::Error& e) {
    // The index keeps its last commit (a failed commit_transaction() drops the batch).
    return d.DropBatch("commit failed: " + e.get_description());
  }
  try {
    d.BeginTransaction();
  } catch (const Xapian::Error& e) {
    return Status(StatusCode::kIoError, "committed, but the index cannot be written on: " + e.get_description());
  }
  // Only now that no committed document refers to them may the files go.
  try {
    for (const auto& id : d.maybe_unused) {
      if (!d.DocidOf(schema::kPrefixId + id)) d.store.Remove(id);
    }
  } catch (const Xapian::Error&) {
    // Left in the store: `check` reports them and `check --repair` removes them.
  }
  d.maybe_unused.clear();
  return Status::Ok();
}

namespace {

std::set<std::string> TagSet(const schema::DocumentRecord& r) {
  std::set<std::string> tags;
  for (const auto& axis : r.axes) {
    tags.insert("axis:" + axis.axis);
    for (const auto& sub : axis.subthemes) tags.insert("subtheme:" + sub);
  }
  if (!r.type.value.empty()) tags.insert("type:" + r.type.value);
  for (const auto& province : r.provinces) tags.insert("province:" + province);
  for (const auto& norm : r.norms) tags.insert("norm:" + norm.id);
  return tags;
}

}  // namespace

Result<std::vector<RetagChange>> Repository::Retag(bool dry_run) {
  Impl& d = *impl_;
  std::vector<RetagChange> changes;
  constexpr size_t kRetagBatch = 2000;
  size_t written = 0;
  try {
    std::vector<Xapian::docid> docids;
    for (auto it = d.db.postlist_begin(""); it != d.db.postlist_end(""); ++it) docids.push_back(*it);
    for (Xapian::docid docid : docids) {
      auto read = d.RecordOf(docid);
      if (!read.ok()) continue;
      const schema::DocumentRecord& old = read.value();
      auto text = d.store.ReadText(old.id);
      if (!text.ok()) return Status(StatusCode::kNotFound, "the text of " + old.id + " is missing from the store (run `correlare-indexer check`)");

      // Rebuild what the tagger saw, keeping what came from outside the text.
      extractors::ExtractedDocument doc;
      doc.content_id = old.id;
      doc.title = old.title;
      doc.title_source = old.title_source;
      doc.authors = old.authors;
      doc.date = old.date;
      doc.lang = old.lang;
      doc.mime = old.mime;
      doc.size = old.size;
      doc.text = text.value();
      doc.member_path = old.member_path;
      if (!old.description.empty()) doc.metadata["description"] = old.description;
      for (const auto& page : old.pages) doc.pages.push_back({page.number, page.offset});
      for (const auto& cue : old.cues) doc.cues.push_back({cue.start_ms, cue.end_ms, cue.offset, cue.length});
      doc.warnings = old.warnings;
      // Members' texts, all the way down, as the first tagging saw them.
      std::function<void(const std::vector<std::string>&, std::vector<extractors::ExtractedDocument>&, int)>
          load_members = [&](const std::vector<std::string>& ids,
                             std::vector<extractors::ExtractedDocument>& into, int depth) {
            for (const auto& member_id : ids) {
              extractors::ExtractedDocument member;
              auto member_text = d.store.ReadText(member_id);
              if (member_text.ok()) member.text = member_text.value();
              if (auto member_record = Get(member_id)) {
                member.title = member_record->title;
                if (depth < 16) load_members(member_record->members, member.members, depth + 1);
              }
              into.push_back(std::move(member));
            }
          };
      load_members(old.members, doc.members, 0);
      Sidecar kept;
      if (old.type.source == "metadata") kept.type = old.type.value;
      if (old.province.source == "metadata") kept.province = old.province.value;
      std::vector<std::string> axes;
      for (const auto& axis : old.axes) {
        if (axis.source == "metadata") axes.push_back(axis.axis);
      }
      if (!axes.empty()) kept.axes = axes;
      if (!old.module.empty()) kept.module = old.module;
      SourceInfo source;
      for (const auto& s : old.sources) {
        if (!s.province.empty()) {
          source.province = s.province;
          break;
        }
      }
      schema::DocumentRecord fresh = d.MakeRecord(doc, source, kept, old.parent);
      doc.members.clear();
      fresh.title_source = old.title_source;
      fresh.description = old.description;
      fresh.sources = old.sources;
      fresh.members = old.members;
      fresh.indexed_at = old.indexed_at;
      Impl::RecomputeProvinces(fresh);

      std::set<std::string> before = TagSet(old);
      std::set<std::string> after = TagSet(fresh);
      if (before == after) continue;
      RetagChange change{old.id, old.title, {}, {}};
      std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                          std::back_inserter(change.gained));
      std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                          std::back_inserter(change.lost));
      changes.push_back(std::move(change));
      if (!dry_run) {
        d.Write(fresh, text.value(), nullptr, false, /*new_words=*/false);
        // Committed as it goes: a transaction holds its changes in memory.
        if (++written % kRetagBatch == 0) {
          Status committed = Commit();
          if (!committed.ok()) return committed;
        }
      }
    }
    if (!dry_run) {
      Status committed = Commit();
      if (!committed.ok()) return committed;
    }
  } catch (const Xapian::Error& e) {
    d.Failed(e);
    return Status(StatusCode::kIoError, "retag failed: " + e.get_description());
  }
  return changes;
}

uint64_t Repository::document_count() const { return impl_->db.get_doccount(); }
const schema::Store& Repository::store() const { return impl_->store; }
const std::string& Repository::data_dir() const { return impl_->data_dir; }

}  // namespace correlare::indexer
