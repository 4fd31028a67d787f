#include "facet_table.h"

#include <limits>
#include <unordered_map>

namespace correlare::searchd {

std::unique_ptr<const FacetTable> FacetTable::Build(const Xapian::Database& db, IndexState state,
                                                    const std::vector<Xapian::valueno>& slots,
                                                    const std::atomic<bool>* stop) {
  auto table = std::make_unique<FacetTable>();
  table->state_ = state;
  const Xapian::docid last = db.get_lastdocid();
  for (Xapian::valueno slot : slots) {
    if (stop != nullptr && stop->load()) return nullptr;
    Slot built;
    bool fits = true;
    built.slot = slot;
    built.codes.assign(static_cast<size_t>(last) + 1, 0);
    built.values.emplace_back();
    std::unordered_map<std::string, uint16_t> code_of;
    size_t seen = 0;
    for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
      if (stop != nullptr && (++seen & 4095) == 0 && stop->load()) return nullptr;
      Xapian::docid did = it.get_docid();
      if (did > last) break;  // not in this revision's numbering (cannot happen on one handle)
      std::string value = *it;
      if (value.empty()) continue;
      auto found = code_of.find(value);
      if (found == code_of.end()) {
        if (built.values.size() > std::numeric_limits<uint16_t>::max()) {
          fits = false;  // this slot is counted from its value stream (Find gives null)
          break;
        }
        found = code_of.emplace(value, static_cast<uint16_t>(built.values.size())).first;
        built.values.push_back(std::move(value));
      }
      built.codes[did] = found->second;
    }
    if (fits) table->slots_.push_back(std::move(built));
  }
  return table;
}

const FacetTable::Slot* FacetTable::Find(Xapian::valueno slot) const {
  for (const auto& s : slots_) {
    if (s.slot == slot) return &s;
  }
  return nullptr;
}

size_t FacetTable::bytes() const {
  size_t total = 0;
  for (const auto& s : slots_) {
    total += s.codes.size() * sizeof(uint16_t);
    for (const auto& v : s.values) total += v.size() + sizeof(std::string);
  }
  return total;
}

}  // namespace correlare::searchd
