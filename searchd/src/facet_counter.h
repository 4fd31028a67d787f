// FacetCounter: a Xapian match spy counting the values of one slot over every
// document the match looks at. Unlike Xapian::ValueCountMatchSpy it understands slots
// holding several values (schema::PackValues), as axes and provinces do.
#pragma once

#include <xapian.h>

#include <map>
#include <string>
#include <unordered_map>

namespace correlare::searchd {

class FacetCounter : public Xapian::MatchSpy {
 public:
  FacetCounter(Xapian::valueno slot, bool packed) : slot_(slot), packed_(packed) {}

  void operator()(const Xapian::Document& doc, double weight) override;
  // Each value and how many documents have it.
  std::map<std::string, uint64_t> counts() const;

 private:
  Xapian::valueno slot_;
  bool packed_;
  // Per slot value as stored (several values packed in one): there are few distinct
  // ones, so a document costs one hash look-up, and unpacking is done once per value.
  std::unordered_map<std::string, uint64_t> stored_;
};

}  // namespace correlare::searchd
