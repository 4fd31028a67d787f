#include "facet_counter.h"

#include "schema/schema.h"

namespace correlare::searchd {

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  std::string value = doc.get_value(slot_);
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
