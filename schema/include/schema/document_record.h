// DocumentRecord: what the index keeps about one document, as its Xapian document data
// (JSON). Everything searchd shows comes from here and from the stored text; nothing is
// re-extracted. The extracted text itself lives in the store (store.h), not here, so
// that fetching a page of results stays cheap.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace correlare::schema {

struct EvidenceRecord {
  std::string term;
  std::string matched;
  std::string zone;
  int count = 0;
  double score = 0;
};

struct AxisRecord {
  std::string axis;
  double score = 0;
  std::string source;  // "text" or "metadata"
  std::vector<std::string> subthemes;
  std::vector<EvidenceRecord> evidence;
};

struct TagRecord {
  std::string value;
  std::string source;  // "inbox", "metadata", "structure", "text", "default"
  std::string reason;
  std::vector<EvidenceRecord> evidence;
};

// One place the bytes came from. Identical bytes sent twice are one document with two
// sources.
struct SourceRecord {
  std::string key;       // "file:/abs/path", "inbox:lodi/sub/x.pdf", "member:<id>/path"
  std::string name;      // the original file name
  std::string province;  // the inbox's province, "" otherwise
  std::string added;     // ISO 8601 UTC
};

struct NormRecord {
  std::string id;     // "dlgs-286-1998" or "dlgs-286-1998/art-22"
  std::string label;  // "D.Lgs. 286/1998, art. 22"
};

struct PageRecord {
  int number = 0;
  uint64_t offset = 0;
};

struct CueRecord {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct DocumentRecord {
  std::string id;
  std::string title;
  std::string title_source;
  std::vector<std::string> authors;
  std::string date;  // "YYYY" or "YYYY-MM-DD" or ""
  std::string description;
  std::string module;
  std::string lang;
  std::string mime;
  uint64_t size = 0;
  uint64_t text_bytes = 0;

  TagRecord type;
  TagRecord province;
  std::vector<std::string> provinces;  // every province the document is filed under
  std::vector<AxisRecord> axes;
  std::vector<NormRecord> norms;

  std::vector<SourceRecord> sources;
  std::string parent;       // id of the bundle holding it, "" at top level
  std::string member_path;  // its path inside that bundle
  std::vector<std::string> members;  // ids of a bundle's members

  std::vector<PageRecord> pages;
  std::vector<CueRecord> cues;
  std::vector<std::string> warnings;
  std::string indexed_at;  // ISO 8601 UTC
};

std::string RecordToJson(const DocumentRecord& record);
Result<DocumentRecord> RecordFromJson(std::string_view json);

}  // namespace correlare::schema
