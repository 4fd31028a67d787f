// FacetCounter: a Xapian match spy counting the values of one slot over every
// document the match looks at. Unlike Xapian::ValueCountMatchSpy it understands slots
// holding several values (schema::PackValues), as axes and provinces do.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "facet_table.h"

namespace correlare::searchd {

class FacetCounter : public Xapian::MatchSpy {
 public:
  // `db` is the database the match runs on; it must outlive the counter. `table`, when
  // given, is the slot's FacetTable for the state of the index `db` is at (it must
  // outlive the counter too): values are read from it instead of the value stream.
  FacetCounter(const Xapian::Database& db, Xapian::valueno slot, bool packed,
               const FacetTable::Slot* table = nullptr)
      : db_(db), slot_(slot), packed_(packed), table_(table) {
    if (table_ != nullptr) by_code_.assign(table_->values.size(), 0);
  }

  void operator()(const Xapian::Document& doc, double weight) override;
  // Each value and how many documents have it.
  std::map<std::string, uint64_t> counts() const;

 private:
  const Xapian::Database& db_;
  Xapian::valueno slot_;
  bool packed_;
  // The slot's value stream, walked forward: the match visits documents in docid order,
  // so each value is found where the last one was left (Document::get_value would look
  // each one up from the start of its chunk).
  Xapian::ValueIterator values_;
  Xapian::docid last_ = 0;
  bool started_ = false;
  // Per slot value as stored (several values packed in one): there are few distinct
  // ones, so a document costs one hash look-up, and unpacking is done once per value.
  std::unordered_map<std::string, uint64_t> stored_;
  // With a table: documents per code of the table.
  const FacetTable::Slot* table_;
  std::vector<uint64_t> by_code_;
};

}  // namespace correlare::searchd
