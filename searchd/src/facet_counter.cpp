#include "facet_counter.h"

#include "schema/schema.h"

namespace correlare::searchd {

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  Xapian::docid did = doc.get_docid();
  if (!started_ || did < last_) {
    values_ = db_.valuestream_begin(slot_);
    started_ = true;
  }
  last_ = did;
  if (values_ == db_.valuestream_end(slot_)) return;
  values_.skip_to(did);
  if (values_ == db_.valuestream_end(slot_) || values_.get_docid() != did) return;
  std::string value = *values_;
  if (!value.empty()) ++stored_[value];
}

std::map<std::string, uint64_t> FacetCounter::counts() const {
  std::map<std::string, uint64_t> counts;
  for (const auto& [value, count] : stored_) {
    if (!packed_) {
      counts[value] += count;
      continue;
    }
    for (const auto& one : schema::UnpackValues(value)) counts[one] += count;
  }
  return counts;
}

}  // namespace correlare::searchd
