#include "taxonomy/tagger.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "taxonomy/sample_taxonomy.h"
#include "taxonomy/text_keys.h"

namespace correlare::taxonomy {
namespace {

using correlare::testing::SampleTaxonomy;

const AxisTag* FindAxis(const Tags& tags, const std::string& axis) {
  for (const auto& tag : tags.axes) {
    if (tag.axis == axis) return &tag;
  }
  return nullptr;
}

bool HasEvidence(const AxisTag& tag, const std::string& phrase) {
  return std::any_of(tag.evidence.begin(), tag.evidence.end(),
                     [&](const Evidence& e) { return e.matched == phrase; });
}

TEST(TextKeys, FoldsAccentsCaseAndStems) {
  EXPECT_EQ(FoldWord("Città PERCHÉ"), "citta perche");
  EXPECT_EQ(PhraseKeys("centro per l'impiego"), PhraseKeys("Centri per l’Impiego"));
  EXPECT_EQ(PhraseKeys("impieghi"), PhraseKeys("impiego"));
  auto words = WordKeys("Il Centro, per l'impiego.");
  ASSERT_EQ(words.size(), 5u);
  EXPECT_EQ(words[3].offset, 15u);  // "l"
  EXPECT_EQ(words[4].length, 7u);   // "impiego"
}

TEST(Tagger, TagsADecretoFlussiHandoutWithLavoroAndSaysWhy) {
  Tagger tagger(SampleTaxonomy());
  TagInput input;
  input.title = "Il decreto flussi 2012: guida per gli operatori";
  input.text = "Con il decreto flussi si fissano le quote di ingresso. Il datore chiede il nulla "
               "osta al lavoro allo sportello unico; poi si firma il contratto di soggiorno. "
               "Nel click day le domande arrivano in pochi minuti.";
  Tags tags = tagger.Tag(input);
  ASSERT_FALSE(tags.axes.empty());
  const AxisTag& lavoro = tags.axes.front();
  EXPECT_EQ(lavoro.axis, "lavoro");
  EXPECT_EQ(lavoro.source, "text");
  EXPECT_EQ(lavoro.subthemes, std::vector<std::string>{"decreto-flussi"});
  EXPECT_TRUE(HasEvidence(lavoro, "decreto flussi"));
  EXPECT_TRUE(HasEvidence(lavoro, "quote di ingresso"));
  EXPECT_TRUE(HasEvidence(lavoro, "contratto di soggiorno"));
  EXPECT_TRUE(HasEvidence(lavoro, "/\\bclick ?day\\b/"));
  // The title weighs more than the body: "decreto flussi" is found in both zones.
  bool in_title = std::any_of(lavoro.evidence.begin(), lavoro.evidence.end(), [](const Evidence& e) {
    return e.matched == "decreto flussi" && e.zone == "title";
  });
  EXPECT_TRUE(in_title);
}

TEST(Tagger, ExcludedPhrasesDoNotCount) {
  Tagger tagger(SampleTaxonomy());
  TagInput input;
  input.text = "Il lavoro di gruppo del lavoratore: lavoro di gruppo, lavoro di gruppo.";
  Tags tags = tagger.Tag(input);
  const AxisTag* lavoro = FindAxis(tags, "lavoro");
  // Only "lavoratore" (weight 1) counts: below the threshold.
  EXPECT_EQ(lavoro, nullptr);
}

TEST(Tagger, IsDeterministic) {
  Tagger tagger(SampleTaxonomy());
  TagInput input;
  input.title = "Tessera sanitaria e servizi sociali";
  input.text = "La tessera sanitaria e i servizi sociali del comune; decreto flussi e tirocinio.";
  Tags first = tagger.Tag(input);
  for (int i = 0; i < 5; ++i) {
    Tags again = tagger.Tag(input);
    ASSERT_EQ(again.axes.size(), first.axes.size());
    for (size_t a = 0; a < first.axes.size(); ++a) {
      EXPECT_EQ(again.axes[a].axis, first.axes[a].axis);
      EXPECT_EQ(again.axes[a].score, first.axes[a].score);
    }
  }
}

TEST(Tagger, ProvinceComesFromInboxThenSidecarThenText) {
  Tagger tagger(SampleTaxonomy());
  TagInput input;
  input.text = "Documento della Provincia di Lodi per gli sportelli.";
  EXPECT_EQ(tagger.Tag(input).province.value, "lodi");
  EXPECT_EQ(tagger.Tag(input).province.source, "text");
  input.sidecar_province = "como";
  EXPECT_EQ(tagger.Tag(input).province.value, "como");
  EXPECT_EQ(tagger.Tag(input).province.source, "metadata");
  input.inbox_province = "MI";
  EXPECT_EQ(tagger.Tag(input).province.value, "milano");
  EXPECT_EQ(tagger.Tag(input).province.source, "inbox");
  TagInput none;
  none.text = "Un testo che non nomina luoghi.";
  EXPECT_EQ(tagger.Tag(none).province.value, "");
}

TEST(Tagger, TypeFromSidecarThenStructure) {
  Tagger tagger(SampleTaxonomy());
  TagInput norm;
  norm.text = "Art. 1\nOggetto\n\nArt. 2\nDefinizioni ai sensi del D.Lgs. 286/1998\n\nArt. 3\nNorme finali";
  Tags tags = tagger.Tag(norm);
  EXPECT_EQ(tags.type.value, "normativa");
  EXPECT_EQ(tags.type.source, "structure");
  EXPECT_NE(tags.type.reason.find("3 article headings"), std::string::npos) << tags.type.reason;

  TagInput transcript;
  transcript.text = "Buongiorno a tutti";
  transcript.cue_count = 12;
  EXPECT_EQ(tagger.Tag(transcript).type.value, "trascrizione");

  TagInput slides;
  slides.mime = "application/vnd.oasis.opendocument.presentation";
  slides.page_count = 6;
  EXPECT_EQ(tagger.Tag(slides).type.value, "presentazione");

  TagInput leaflet;
  leaflet.text = "How to register with the National Health Service";
  leaflet.lang = "en";
  EXPECT_EQ(tagger.Tag(leaflet).type.value, "strumento");

  norm.sidecar_type = "dispensa";
  EXPECT_EQ(tagger.Tag(norm).type.value, "dispensa");
  EXPECT_EQ(tagger.Tag(norm).type.source, "metadata");

  TagInput plain;
  plain.text = "Appunti sparsi.";
  EXPECT_EQ(tagger.Tag(plain).type.value, "altro");
}

TEST(Tagger, SidecarAxesWin) {
  Tagger tagger(SampleTaxonomy());
  TagInput input;
  input.text = "decreto flussi decreto flussi quote di ingresso nulla osta al lavoro";
  input.sidecar_axes = {"minori"};
  Tags tags = tagger.Tag(input);
  ASSERT_EQ(tags.axes.size(), 1u);
  EXPECT_EQ(tags.axes[0].axis, "minori");
  EXPECT_EQ(tags.axes[0].source, "metadata");
}

TEST(Tagger, RecordsEachCitedNormOnce) {
  Tagger tagger(SampleTaxonomy());
  TagInput input;
  input.text = "Ai sensi del D.Lgs. 286/1998 e del d.lgs. n. 286/98, come dice il TUI.";
  Tags tags = tagger.Tag(input);
  ASSERT_EQ(tags.norms.size(), 1u);
  EXPECT_EQ(tags.norms[0].norm_id, "dlgs-286-1998");
}

TEST(Tagger, SubThemeTagsItsAxis) {
  Tagger tagger(SampleTaxonomy());
  TagInput input;
  input.title = "Lavoro stagionale in agricoltura";
  input.text = "Il lavoro stagionale e il lavoro stagionale: quote, lavoro stagionale.";
  Tags tags = tagger.Tag(input);
  const AxisTag* lavoro = FindAxis(tags, "lavoro");
  ASSERT_NE(lavoro, nullptr);
  EXPECT_NE(std::find(lavoro->subthemes.begin(), lavoro->subthemes.end(), "stagionali"),
            lavoro->subthemes.end());
}

}  // namespace
}  // namespace correlare::taxonomy
