// Snippets over long texts: the passage is found where the query's words are, however
// far into the text, written with or without accents, in capitals or not.
#include "searchd/src/snippet.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "taxonomy/text_keys.h"

namespace correlare::searchd {
namespace {

std::vector<HighlightTerm> Terms(std::initializer_list<const char*> words) {
  std::vector<HighlightTerm> terms;
  for (const char* word : words) {
    auto keys = taxonomy::WordKeys(word);
    if (!keys.empty()) terms.push_back({keys.front().key, false, taxonomy::FoldWord(word)});
  }
  return terms;
}

std::string Filler(size_t bytes) {
  std::string text;
  while (text.size() < bytes) text += "testo di riempimento senza parole cercate. ";
  return text;
}

TEST(Snippet, FindsAPassageFarIntoALongText) {
  std::string text = Filler(300000) + "Il Permesso di soggiorno si rinnova in Questura. " + Filler(2000);
  Snippet snippet = MakeSnippet(text, Terms({"permesso", "questura"}));
  EXPECT_NE(snippet.html.find("<mark>Permesso</mark>"), std::string::npos) << snippet.html;
  EXPECT_NE(snippet.html.find("<mark>Questura</mark>"), std::string::npos) << snippet.html;
  EXPECT_EQ(snippet.distinct, 2u);
  EXPECT_EQ(static_cast<size_t>(snippet.offset), text.find("Permesso"));
}

TEST(Snippet, MatchesWordsWithAnAccentedFinalVowel) {
  std::string text = Filler(5000) + "Sempre più famiglie in città chiedono perché. " + Filler(500);
  Snippet snippet = MakeSnippet(text, Terms({"piu", "citta", "perche"}));
  EXPECT_NE(snippet.html.find("<mark>più</mark>"), std::string::npos) << snippet.html;
  EXPECT_NE(snippet.html.find("<mark>città</mark>"), std::string::npos) << snippet.html;
  EXPECT_NE(snippet.html.find("<mark>perché</mark>"), std::string::npos) << snippet.html;
}

TEST(Snippet, AnAccentInsideAWordStillFindsIt) {
  // "événement" does not show the needle "even" as written: the text is keyed whole.
  std::string text = Filler(3000) + "Un événement pour les familles. " + Filler(500);
  Snippet snippet = MakeSnippet(text, Terms({"evenement"}));
  EXPECT_NE(snippet.html.find("<mark>événement</mark>"), std::string::npos) << snippet.html;
}

TEST(Snippet, PrefersThePassageWithMoreOfTheWords) {
  std::string text = "Il lavoro stagionale. " + Filler(20000) +
                     "Lavoro e permesso di soggiorno: il contratto di soggiorno. " + Filler(500);
  Snippet snippet = MakeSnippet(text, Terms({"lavoro", "soggiorno"}));
  EXPECT_EQ(snippet.distinct, 2u);
  EXPECT_NE(snippet.html.find("contratto"), std::string::npos) << snippet.html;
}

TEST(Snippet, AWindowNeverJoinsTwoDistantPlaces) {
  // Each word alone, far apart: the passage shows one of them, not a window pretending
  // they are together.
  std::string text = Filler(10000) + "alloggio " + Filler(10000) + "residenza " + Filler(500);
  Snippet snippet = MakeSnippet(text, Terms({"alloggio", "residenza"}));
  EXPECT_EQ(snippet.distinct, 1u);
}

TEST(Snippet, ScansOnlyWhatItIsToldTo) {
  std::string text = Filler(100000) + "Questura di Lodi. ";
  Snippet shallow = MakeSnippet(text, Terms({"questura"}), kSnippetMaxBytes, 64 << 10);
  EXPECT_EQ(shallow.distinct, 0u);
  EXPECT_EQ(shallow.offset, -1);
  Snippet deep = MakeSnippet(text, Terms({"questura"}));
  EXPECT_EQ(deep.distinct, 1u);
}

TEST(Snippet, WordsThatOnlyStartLikeTheQueryWordDoNotHideIt) {
  // "stampante" starts with the needle of "stampa" but has another key ("stampant"):
  // many of them before the one "stampa" must not use up the places looked at.
  std::string text;
  for (int i = 0; i < 40; ++i) text += "La stampante del secondo piano è guasta da una settimana. ";
  text += Filler(300) + "Comunicato STAMPA della Prefettura. " + Filler(500);
  Snippet snippet = MakeSnippet(text, Terms({"stampa"}));
  EXPECT_EQ(snippet.distinct, 1u) << snippet.html;
  EXPECT_NE(snippet.html.find("<mark>STAMPA</mark>"), std::string::npos) << snippet.html;
}

TEST(Snippet, FindsAWordAfterATypographicApostropheOrQuote) {
  for (const char* before : {"l\u2019", "\u00ab", "\u201c"}) {
    std::string text = Filler(3000) + "Il centro per " + before + "accoglienza dei minori. " + Filler(500);
    Snippet snippet = MakeSnippet(text, Terms({"accoglienza"}));
    EXPECT_NE(snippet.html.find("<mark>accoglienza</mark>"), std::string::npos) << before << ": " << snippet.html;
  }
}

TEST(Snippet, FindsAWordWithNoSpaceNearIt) {
  // A form's blank line, or a long address: no space to end a region at.
  for (const std::string& around : {std::string(150, '_') + "Questura" + std::string(400, '_'),
                                    "https://www.example.invalid/" + std::string(120, 'a') + "/questura/" +
                                        std::string(400, 'b')}) {
    std::string text = Filler(3000) + around + " " + Filler(500);
    Snippet snippet = MakeSnippet(text, Terms({"questura"}));
    EXPECT_EQ(snippet.distinct, 1u) << snippet.html;
  }
}

TEST(Snippet, FindsAWordInMixedCase) {
  std::string text = Filler(2000) + "Vedi il sito della QuEsTuRa. " + Filler(500);
  Snippet snippet = MakeSnippet(text, Terms({"questura"}));
  EXPECT_NE(snippet.html.find("<mark>QuEsTuRa</mark>"), std::string::npos) << snippet.html;
}

TEST(Snippet, EscapesTheTextAroundTheMarks) {
  Snippet snippet = MakeSnippet("<b>Permesso</b> & \"altro\"", Terms({"permesso"}));
  EXPECT_EQ(snippet.html, "&lt;b&gt;<mark>Permesso</mark>&lt;/b&gt; &amp; &quot;altro&quot;");
}

}  // namespace
}  // namespace correlare::searchd
