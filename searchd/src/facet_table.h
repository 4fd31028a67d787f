// FacetTable: every document's facet values, in memory, for one state of the index.
//
// Counting facets over the matches of a query (FacetCounter) read each matched
// document's values from Xapian's value streams: at 34,000 documents that was a third of
// the daemon's CPU for a one-word query (ValueIterator::skip_to alone 18 %). The table
// holds, per slot, a small code per document id (2 bytes) and the few distinct stored
// values the codes stand for: a match's document then costs an array read. Built from the
// value streams of one revision of the index (1,000,000 documents: 10 MB for five slots),
// it stands only for that revision: after a commit the daemon counts from the streams
// again until a table of the new revision is built (in the background).
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace correlare::searchd {

// Which state of the index something stands for: the database's UUID (a compacted index,
// put in the old one's place, has its own) and Xapian's revision.
struct IndexState {
  std::string uuid;
  Xapian::rev revision = 0;
  bool operator==(const IndexState& other) const {
    return revision == other.revision && uuid == other.uuid;
  }
  static IndexState Of(const Xapian::Database& db) { return {db.get_uuid(), db.get_revision()}; }
};

class FacetTable {
 public:
  struct Slot {
    Xapian::valueno slot = 0;
    std::vector<uint16_t> codes;      // by document id; 0: no value
    std::vector<std::string> values;  // by code; values[0] is ""
  };

  // The table of `slots` as `db` holds them (without a slot that has more distinct
  // stored values than codes can number), or null when `stop` was set meanwhile.
  static std::unique_ptr<const FacetTable> Build(const Xapian::Database& db, IndexState state,
                                                 const std::vector<Xapian::valueno>& slots,
                                                 const std::atomic<bool>* stop = nullptr);

  const IndexState& state() const { return state_; }
  // The table of `slot`, or null when it was not built.
  const Slot* Find(Xapian::valueno slot) const;
  size_t bytes() const;

 private:
  IndexState state_;
  std::vector<Slot> slots_;
};

}  // namespace correlare::searchd
