#include "facet_counter.h"

#include "schema/schema.h"

namespace correlare::searchd {

void FacetCounter::operator()(const Xapian::Document& doc, double) {
  std::string value = doc.get_value(slot_);
  if (value.empty()) return;
  if (!packed_) {
    ++counts_[value];
    return;
  }
  for (const auto& one : schema::UnpackValues(value)) ++counts_[one];
}

}  // namespace correlare::searchd
