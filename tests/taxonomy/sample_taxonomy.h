// A small valid taxonomy for tests: every SPEC axis, province and type, a few phrases,
// sub-themes two levels deep under `lavoro`, one under `servizi`, synonyms and a norm.
// Tests that edit a taxonomy start from this, so they do not depend on the curated file.
#pragma once

#include <string>

#include "taxonomy/taxonomy.h"
#include "taxonomy/vocabulary.h"

namespace correlare::testing {

inline taxonomy::Term SampleTerm(std::string id, std::string label,
                                 std::vector<taxonomy::Phrase> phrases = {}) {
  taxonomy::Term term;
  term.id = std::move(id);
  term.label = std::move(label);
  term.label_en = term.label;
  term.phrases = std::move(phrases);
  return term;
}

inline taxonomy::Taxonomy SampleTaxonomy() {
  using taxonomy::Term;
  taxonomy::Taxonomy t;
  for (const auto& axis : taxonomy::Axes()) {
    Term term = SampleTerm(std::string(axis.id), std::string(axis.label));
    term.label_en = std::string(axis.label_en);
    if (axis.id == "lavoro") {
      term.phrases = {
          {"lavoratore", 1}, {"centro per l'impiego", 3}, {"contratto di soggiorno", 3}};
      term.exclude = {"lavoro di gruppo"};
      Term flussi = SampleTerm(
          "decreto-flussi", "Decreto flussi",
          {{"decreto flussi", 4}, {"quote di ingresso", 3}, {"nulla osta al lavoro", 4}});
      flussi.patterns = {{"\\bclick ?day\\b", 2, "il giorno delle domande"}};
      flussi.children.push_back(
          SampleTerm("stagionali", "Lavoro stagionale", {{"lavoro stagionale", 3}}));
      term.children.push_back(flussi);
      term.children.push_back(SampleTerm("tirocini", "Tirocini", {{"tirocinio", 2}}));
    } else if (axis.id == "servizi") {
      term.phrases = {{"servizi sociali", 2}};
      term.children.push_back(SampleTerm("sanita", "Sanità", {{"tessera sanitaria", 3}}));
    } else {
      term.phrases = {{std::string(axis.label), 2}};
    }
    t.axes.push_back(term);
  }
  for (const auto& province : taxonomy::Provinces()) {
    Term term = SampleTerm(std::string(province.id), std::string(province.label),
                           {{"provincia di " + std::string(province.label), 3}});
    term.sigla = std::string(province.sigla);
    t.provinces.push_back(term);
  }
  for (const auto& type : taxonomy::DocumentTypes()) {
    t.types.push_back(SampleTerm(std::string(type.id), std::string(type.label)));
  }
  t.synonyms = {{"stranieri", "immigrati"}, {"permesso di soggiorno", "pds"}};
  t.norms = {{"dlgs-286-1998", "D.Lgs. 286/1998", "Testo unico immigrazione", {"TUI"}}};
  return t;
}

}  // namespace correlare::testing
