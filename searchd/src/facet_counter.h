// FacetCounter: a Xapian match spy counting the values of one slot over every
// document the match looks at. Unlike Xapian::ValueCountMatchSpy it understands slots
// holding several values (schema::PackValues), as axes and provinces do.
#pragma once

#include <xapian.h>

#include <map>
#include <string>

namespace correlare::searchd {

class FacetCounter : public Xapian::MatchSpy {
 public:
  FacetCounter(Xapian::valueno slot, bool packed) : slot_(slot), packed_(packed) {}

  void operator()(const Xapian::Document& doc, double weight) override;
  const std::map<std::string, uint64_t>& counts() const { return counts_; }

 private:
  Xapian::valueno slot_;
  bool packed_;
  std::map<std::string, uint64_t> counts_;
};

}  // namespace correlare::searchd
