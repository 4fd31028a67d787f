#include "facet_counter.h"

#include "schema/schema.h"

namespace correlare::searchd {

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  Xapian::docid did = doc.get_docid();
  if (table_ != nullptr) {
    if (did < table_->codes.size()) ++by_code_[table_->codes[did]];
    return;
  }
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
  auto add = [&](const std::string& value, uint64_t count) {
    if (!packed_) {
      counts[value] += count;
      return;
    }
    for (const auto& one : schema::UnpackValues(value)) counts[one] += count;
  };
  for (size_t code = 1; code < by_code_.size(); ++code) {
    if (by_code_[code] > 0) add(table_->values[code], by_code_[code]);
  }
  for (const auto& [value, count] : stored_) add(value, count);
  return counts;
}

}  // namespace correlare::searchd
