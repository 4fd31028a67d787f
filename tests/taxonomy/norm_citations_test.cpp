#include "taxonomy/norm_citations.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace correlare::taxonomy {
namespace {

// What a test expects of one citation: its id and the words it covers.
struct Expected {
  std::string id;
  std::string cited;
};

// The citations of `text` as (id, cited words) pairs, so that a failure shows both.
std::vector<Expected> Cited(const NormRecognizer& recognizer, std::string_view text) {
  std::vector<Expected> out;
  for (const NormCitation& c : recognizer.Find(text)) {
    out.push_back({c.id, std::string(text.substr(c.offset, c.length))});
  }
  return out;
}

bool operator==(const Expected& a, const Expected& b) { return a.id == b.id && a.cited == b.cited; }

void PrintTo(const Expected& e, std::ostream* os) {
  *os << "{" << e.id << ", \"" << e.cited << "\"}";
}

std::vector<NormEntry> SmallCatalog() {
  return {
      {"dlgs-286-1998",
       "D.Lgs. 286/1998",
       "Testo unico delle disposizioni concernenti la disciplina dell'immigrazione",
       {"Testo Unico Immigrazione", "Testo Unico sull'immigrazione", "TUI"}},
      {"l-47-2017", "L. 47/2017 (legge Zampa)", "", {"legge Zampa"}},
      {"l-189-2002", "", "", {"legge Bossi-Fini"}},
      {"l-91-1992", "L. 91/1992", "", {"legge sulla nazionalità"}},
      {"l-104-1992", "L. 104/1992", "", {"legge 104"}},
      {"dpcm-1-2023", "DPCM flussi 2023", "", {"decreto flussi"}},
  };
}

struct SpellingCase {
  std::string text;
  std::string id;
  std::string cited;
};

TEST(NormRecognizer, RecognisesEverySpelling) {
  const std::vector<SpellingCase> cases = {
      // Decreti legislativi.
      {"Il permesso è disciplinato dal D.Lgs. 286/1998 e successive modifiche.", "dlgs-286-1998",
       "D.Lgs. 286/1998"},
      {"ai sensi del D. Lgs. 286/98, come modificato", "dlgs-286-1998", "D. Lgs. 286/98"},
      {"secondo il d.lgs. n. 286/98 vigente", "dlgs-286-1998", "d.lgs. n. 286/98"},
      {"come previsto dal Dlgs 286/1998 in materia", "dlgs-286-1998", "Dlgs 286/1998"},
      {"il D.L.vo 286/1998 stabilisce", "dlgs-286-1998", "D.L.vo 286/1998"},
      {"il D.Leg.vo 286/1998 stabilisce", "dlgs-286-1998", "D.Leg.vo 286/1998"},
      {"il D.LGS. 286/1998 stabilisce", "dlgs-286-1998", "D.LGS. 286/1998"},
      {"il D.Lgs.286/1998 stabilisce", "dlgs-286-1998", "D.Lgs.286/1998"},
      {"il D.lgs 286 / 1998 stabilisce", "dlgs-286-1998", "D.lgs 286 / 1998"},
      {"il D.Lgs.\n286/1998 a capo", "dlgs-286-1998", "D.Lgs.\n286/1998"},
      {"il D.Lgs.\u00a0286/1998 con spazio unificatore", "dlgs-286-1998", "D.Lgs.\u00a0286/1998"},
      {"il decreto legislativo 25 luglio 1998, n. 286, detto testo unico", "dlgs-286-1998",
       "decreto legislativo 25 luglio 1998, n. 286"},
      {"Il Decreto Legislativo n. 286 del 25 luglio 1998 disciplina", "dlgs-286-1998",
       "Decreto Legislativo n. 286 del 25 luglio 1998"},
      {"il dlgs 286 del 1998 disciplina", "dlgs-286-1998", "dlgs 286 del 1998"},
      {"il d.lgs. 25.07.1998 n. 286 disciplina", "dlgs-286-1998", "d.lgs. 25.07.1998 n. 286"},
      {"il D.Lgs. n. 286 del 25/07/1998 disciplina", "dlgs-286-1998",
       "D.Lgs. n. 286 del 25/07/1998"},
      {"l'accoglienza (D.Lgs. nr. 142/2015)", "dlgs-142-2015", "D.Lgs. nr. 142/2015"},
      {"l'accoglienza (D.Lgs. n° 142/2015)", "dlgs-142-2015", "D.Lgs. n° 142/2015"},
      {"recepita con D.Lgs. 0142/2015", "dlgs-142-2015", "D.Lgs. 0142/2015"},
      // Leggi.
      {"la L. 47/2017 sui minori", "l-47-2017", "L. 47/2017"},
      {"la l. 47/2017 sui minori", "l-47-2017", "l. 47/2017"},
      {"la Legge 47/2017 sui minori", "l-47-2017", "Legge 47/2017"},
      {"la legge n. 47/2017 sui minori", "l-47-2017", "legge n. 47/2017"},
      {"Ai sensi dell'art. della legge 7 aprile 2017, n. 47, il tutore", "l-47-2017",
       "legge 7 aprile 2017, n. 47"},
      {"la Legge n. 47 del 7 aprile 2017 prevede", "l-47-2017", "Legge n. 47 del 7 aprile 2017"},
      {"i permessi della L 104/92 per l'assistenza", "l-104-1992", "L 104/92"},
      {"la legge 30 luglio 2002, n. 189 (cd. Bossi-Fini)", "l-189-2002",
       "legge 30 luglio 2002, n. 189"},
      {"convertito dalla legge 1° dicembre 2018, n. 132, recante", "l-132-2018",
       "legge 1° dicembre 2018, n. 132"},
      {"modificata dalla LEGGE 94/2009.", "l-94-2009", "LEGGE 94/2009"},
      // D.P.R.
      {"il regolamento D.P.R. 394/1999 prevede", "dpr-394-1999", "D.P.R. 394/1999"},
      {"il regolamento DPR 394/99 prevede", "dpr-394-1999", "DPR 394/99"},
      {"il regolamento d.P.R. n. 394/1999 prevede", "dpr-394-1999", "d.P.R. n. 394/1999"},
      {"il regolamento D. P. R. 394/1999 prevede", "dpr-394-1999", "D. P. R. 394/1999"},
      {"con D.P.R. 31 agosto 1999, n. 394, è stato", "dpr-394-1999",
       "D.P.R. 31 agosto 1999, n. 394"},
      {"il decreto del Presidente della Repubblica 31 agosto 1999, n. 394 reca", "dpr-394-1999",
       "decreto del Presidente della Repubblica 31 agosto 1999, n. 394"},
      // Decreti-legge.
      {"il D.L. 113/2018 ha abrogato", "dl-113-2018", "D.L. 113/2018"},
      {"il DL 113/2018 ha abrogato", "dl-113-2018", "DL 113/2018"},
      {"il decreto-legge 4 ottobre 2018, n. 113, convertito", "dl-113-2018",
       "decreto-legge 4 ottobre 2018, n. 113"},
      {"il decreto legge n. 113/2018 ha abrogato", "dl-113-2018", "decreto legge n. 113/2018"},
      {"il decreto\u2013legge 130/2020 ha reintrodotto", "dl-130-2020",
       "decreto\u2013legge 130/2020"},
      // Decreti ministeriali e del Presidente del Consiglio.
      {"fissate dal D.M. 10/2023 del Ministero", "dm-10-2023", "D.M. 10/2023"},
      {"fissate dal DM 27/2019 del Ministero", "dm-27-2019", "DM 27/2019"},
      {"con decreto ministeriale n. 5 del 2021 sono", "dm-5-2021",
       "decreto ministeriale n. 5 del 2021"},
      {"il DPCM 535/1999 sul Comitato", "dpcm-535-1999", "DPCM 535/1999"},
      {"il D.P.C.M. 535/1999 sul Comitato", "dpcm-535-1999", "D.P.C.M. 535/1999"},
      // Leggi regionali.
      {"la L.R. 14/1988 della Lombardia", "lr-14-1988", "L.R. 14/1988"},
      {"la l.r. 27/2009 sull'edilizia", "lr-27-2009", "l.r. 27/2009"},
      {"la legge regionale 8 luglio 2015, n. 19, riordina", "lr-19-2015",
       "legge regionale 8 luglio 2015, n. 19"},
      {"la Legge Regionale 4 dicembre 2009, n. 27 disciplina", "lr-27-2009",
       "Legge Regionale 4 dicembre 2009, n. 27"},
      {"la L.R. Lombardia n. 19/2015 riordina", "lr-19-2015", "L.R. Lombardia n. 19/2015"},
      {"la L.R. n. 19 dell’8 luglio 2015 riordina", "lr-19-2015",
       "L.R. n. 19 dell’8 luglio 2015"},
      {"la legge dell'11 marzo 1998, n. 40, prevede", "l-40-1998",
       "legge dell'11 marzo 1998, n. 40"},
      // Atti dell'Unione europea.
      {"il trattamento (Regolamento (UE) 2016/679) dei dati", "reg-ue-679-2016",
       "Regolamento (UE) 2016/679"},
      {"il Regolamento UE n. 604/2013 (Dublino III)", "reg-ue-604-2013",
       "Regolamento UE n. 604/2013"},
      {"il Reg. (CE) n. 1030/2002 sul modello uniforme", "reg-ue-1030-2002",
       "Reg. (CE) n. 1030/2002"},
      {"il regolamento (CEE) n. 1612/68 sulla libera circolazione", "reg-ue-1612-1968",
       "regolamento (CEE) n. 1612/68"},
      {"la Direttiva 2011/98/UE sul permesso unico", "dir-ue-98-2011", "Direttiva 2011/98/UE"},
      {"la direttiva 2003/109/CE sui soggiornanti di lungo periodo", "dir-ue-109-2003",
       "direttiva 2003/109/CE"},
      {"la Direttiva (UE) 2024/1346 sull'accoglienza", "dir-ue-1346-2024",
       "Direttiva (UE) 2024/1346"},
      {"la Dir. 2013/33/UE sull'accoglienza", "dir-ue-33-2013", "Dir. 2013/33/UE"},
  };
  NormRecognizer recognizer;
  for (const SpellingCase& c : cases) {
    EXPECT_EQ(Cited(recognizer, c.text), (std::vector<Expected>{{c.id, c.cited}})) << c.text;
  }
}

TEST(NormRecognizer, IgnoresWhatIsNotACitation) {
  const std::vector<std::string> texts = {
      "Compilare i campi a) l. 3 e b) l. 4 del modulo.",
      "Il punto l. 3 dell'elenco va barrato.",
      "L'art. 3 stabilisce che la domanda va presentata in Questura.",
      "Si veda la pagina 286/1998 del registro di protocollo.",
      "Data di nascita: 25/11/2012.",
      "Entro il 12.03.2019 va presentata la domanda.",
      "Rinnovata con L. 25/11/2012 in calce.",          // a date, not law 25 of 2011
      "Le tabelle del D.M. 26/06/2023 sono allegate.",  // a date again
      "Il D.Lgs. 286 disciplina l'immigrazione.",       // no year
      "I permessi della legge 104 spettano anche agli stranieri.",
      "Il DPR 394/19991 non esiste.",                    // five-digit year
      "Il D.Lgs. 0/1998 non esiste.",                    // number zero
      "Il D.Lgs. 286/1776 non esiste.",                  // year out of range
      "La direttiva 12/2005 del dirigente scolastico.",  // not an EU directive
      "Il regolamento 2016/679 del Comune.",             // an EU act says (UE) or (CE)
      "Nel 2017 la legge è cambiata di nuovo.",
      "Il modello L 3/A va allegato.",
      "La classe L-19 e il corso L. 5.",
  };
  NormRecognizer recognizer;
  for (const std::string& text : texts) {
    EXPECT_EQ(Cited(recognizer, text), std::vector<Expected>{}) << text;
  }
}

struct ArticleCase {
  std::string text;
  std::vector<Expected> expected;
};

TEST(NormRecognizer, AttachesArticlesToTheNormBeforeOrAfter) {
  const std::string dlgs = "dlgs-286-1998";
  const std::vector<ArticleCase> cases = {
      {"come previsto dall'art. 22, comma 2, del D.Lgs. 286/1998 per il lavoro",
       {{dlgs + "/art-22", "art. 22, comma 2, del D.Lgs. 286/1998"}}},
      {"(art. 22 D.Lgs. 286/98)", {{dlgs + "/art-22", "art. 22 D.Lgs. 286/98"}}},
      {"ai sensi dell'articolo 19 del decreto legislativo n. 286/1998, il minore",
       {{dlgs + "/art-19", "articolo 19 del decreto legislativo n. 286/1998"}}},
      {"Riferimenti: D.Lgs. 286/1998, art. 22.", {{dlgs + "/art-22", "D.Lgs. 286/1998, art. 22"}}},
      {"il nulla osta (D.Lgs. 286/1998 (art. 5, comma 9)) è",
       {{dlgs + "/art-5", "D.Lgs. 286/1998 (art. 5, comma 9)"}}},
      {"Cremona; DPR 394/1999 art. 45; CPIA", {{"dpr-394-1999/art-45", "DPR 394/1999 art. 45"}}},
      {"secondo l'articolo 5-bis del D.Lgs. 286/1998",
       {{dlgs + "/art-5-bis", "articolo 5-bis del D.Lgs. 286/1998"}}},
      {"secondo l'art. 4 bis del D.Lgs. 286/1998",
       {{dlgs + "/art-4-bis", "art. 4 bis del D.Lgs. 286/1998"}}},
      {"secondo l'art. 4ter D.Lgs. 286/1998", {{dlgs + "/art-4-ter", "art. 4ter D.Lgs. 286/1998"}}},
      {"gli artt. 4 e 5 del D.Lgs. 286/1998 regolano l'ingresso",
       {{dlgs + "/art-4", "artt. 4 e 5 del D.Lgs. 286/1998"},
        {dlgs + "/art-5", "artt. 4 e 5 del D.Lgs. 286/1998"}}},
      {"- D.Lgs. 286/1998, artt. 34, 35 e 36.",
       {{dlgs + "/art-34", "D.Lgs. 286/1998, artt. 34, 35 e 36"},
        {dlgs + "/art-35", "D.Lgs. 286/1998, artt. 34, 35 e 36"},
        {dlgs + "/art-36", "D.Lgs. 286/1998, artt. 34, 35 e 36"}}},
      {"gli art. 4 e art. 5 del DPR 394/1999",
       {{"dpr-394-1999/art-4", "art. 4 e art. 5 del DPR 394/1999"},
        {"dpr-394-1999/art-5", "art. 4 e art. 5 del DPR 394/1999"}}},
      {"dall'art. 19, comma 2, lettera a), del D.Lgs. 286/1998",
       {{dlgs + "/art-19", "art. 19, comma 2, lettera a), del D.Lgs. 286/1998"}}},
      {"dall'art. 29, commi 1 e 3, lett. a) e b), del D.Lgs. 286/1998",
       {{dlgs + "/art-29", "art. 29, commi 1 e 3, lett. a) e b), del D.Lgs. 286/1998"}}},
      {"dall'art. 9, comma 2-bis, del D.Lgs. 286/1998",
       {{dlgs + "/art-9", "art. 9, comma 2-bis, del D.Lgs. 286/1998"}}},
      {"l'art. 13 c. 2 D.Lgs. 286/98 prevede", {{dlgs + "/art-13", "art. 13 c. 2 D.Lgs. 286/98"}}},
      {"l'art. 6, par. 1, lett. e), del Regolamento (UE) 2016/679 consente",
       {{"reg-ue-679-2016/art-6", "art. 6, par. 1, lett. e), del Regolamento (UE) 2016/679"}}},
      {"Ai sensi dell'art. 2 della legge 7 aprile 2017, n. 47, è",
       {{"l-47-2017/art-2", "art. 2 della legge 7 aprile 2017, n. 47"}}},
      {"introdotto dall'art. 3 della L. 47/2017.",
       {{"l-47-2017/art-3", "art. 3 della L. 47/2017"}}},
      {"gli artt. 22 e seguenti del D.Lgs. 286/1998",
       {{dlgs + "/art-22", "artt. 22 e seguenti del D.Lgs. 286/1998"}}},
      {"gli artt. 22 ss. D.Lgs. 286/1998", {{dlgs + "/art-22", "artt. 22 ss. D.Lgs. 286/1998"}}},
      {"(TUI, art. 22)", {}},  // no catalog here: TUI is not a norm
      {"ART. 22 D.LGS. 286/1998", {{dlgs + "/art-22", "ART. 22 D.LGS. 286/1998"}}},
      {"Art.22 del D.Lgs. 286/1998", {{dlgs + "/art-22", "Art.22 del D.Lgs. 286/1998"}}},
      // The article goes with the norm it is "of", not with the one before it.
      {"D.Lgs. 286/1998, art. 5 del DPR 394/1999",
       {{dlgs, "D.Lgs. 286/1998"}, {"dpr-394-1999/art-5", "art. 5 del DPR 394/1999"}}},
      // In a list, an article goes with the norm it follows.
      {"- D.Lgs. 286/1998, art. 38; DPR 394/1999, art. 45.",
       {{dlgs + "/art-38", "D.Lgs. 286/1998, art. 38"},
        {"dpr-394-1999/art-45", "DPR 394/1999, art. 45"}}},
      {"D.Lgs. 286/1998, art. 38, DPR 394/1999, art. 45",
       {{dlgs + "/art-38", "D.Lgs. 286/1998, art. 38"},
        {"dpr-394-1999/art-45", "DPR 394/1999, art. 45"}}},
      {"art. 38, DPR 394/1999", {{"dpr-394-1999/art-38", "art. 38, DPR 394/1999"}}},
      // Articles of something that is not a norm we know: the norm stays bare.
      {"L'art. 32 della Costituzione e il D.Lgs. 286/1998", {{dlgs, "D.Lgs. 286/1998"}}},
      {"il D.Lgs. 286/1998, art. 32 della Costituzione", {{dlgs, "D.Lgs. 286/1998"}}},
      {"Si veda l'art. 3. Il D.Lgs. 286/1998 prevede", {{dlgs, "D.Lgs. 286/1998"}}},
      {"il D.Lgs. 286/1998; l'art. 3 del regolamento comunale", {{dlgs, "D.Lgs. 286/1998"}}},
      {"il D.Lgs. 286/1998 e, per altri aspetti, l'art. 3", {{dlgs, "D.Lgs. 286/1998"}}},
  };
  NormRecognizer recognizer;
  for (const ArticleCase& c : cases) {
    EXPECT_EQ(Cited(recognizer, c.text), c.expected) << c.text;
  }
}

TEST(NormRecognizer, ArticleCitationNamesItsNormAndArticle) {
  NormRecognizer recognizer;
  auto found = recognizer.Find("ai sensi dell'art. 5-BIS, comma 1, del D.Lgs. 286/98");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].norm_id, "dlgs-286-1998");
  EXPECT_EQ(found[0].article, "5-bis");
  EXPECT_EQ(found[0].id, "dlgs-286-1998/art-5-bis");
  EXPECT_EQ(found[0].label, "D.Lgs. 286/1998, art. 5-bis");
}

TEST(NormRecognizer, FindsSeveralCitationsAtTheirOffsets) {
  const std::string text =
      "Il permesso di soggiorno è regolato dal D.Lgs. 286/1998 e dal relativo regolamento "
      "(D.P.R. 31 agosto 1999, n. 394). Per i minori si applica l'art. 19, comma 1-bis, del "
      "D.Lgs. 286/1998, come modificato dalla L. 47/2017; la città di Brescia applica anche "
      "la L.R. 27/2009. L'art. 3 vale per tutti. Dati trattati secondo il Regolamento (UE) "
      "2016/679.";
  NormRecognizer recognizer;
  EXPECT_EQ(Cited(recognizer, text),
            (std::vector<Expected>{
                {"dlgs-286-1998", "D.Lgs. 286/1998"},
                {"dpr-394-1999", "D.P.R. 31 agosto 1999, n. 394"},
                {"dlgs-286-1998/art-19", "art. 19, comma 1-bis, del D.Lgs. 286/1998"},
                {"l-47-2017", "L. 47/2017"},
                {"lr-27-2009", "L.R. 27/2009"},
                {"reg-ue-679-2016", "Regolamento (UE) 2016/679"},
            }));
}

TEST(NormRecognizer, TwoDigitYearsPivotAtThirty) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"la L. 5/30 citata", "l-5-2030"},        {"la L. 5/31 citata", "l-5-1931"},
      {"la L. 5/00 citata", "l-5-2000"},        {"la L. 5/99 citata", "l-5-1999"},
      {"il DPR 394/99 citato", "dpr-394-1999"}, {"il D.L. 13/17 citato", "dl-13-2017"},
  };
  NormRecognizer recognizer;
  for (const auto& [text, id] : cases) {
    auto found = recognizer.Find(text);
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].id, id) << text;
  }
}

TEST(NormRecognizer, LabelsAreCanonical) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"d.lgs. n. 286/98", "D.Lgs. 286/1998"},
      {"legge 7 aprile 2017, n. 47", "L. 47/2017"},
      {"decreto del presidente della repubblica 31 agosto 1999, n. 394", "D.P.R. 394/1999"},
      {"decreto-legge 4 ottobre 2018, n. 113", "D.L. 113/2018"},
      {"DM 27/2019", "D.M. 27/2019"},
      {"DPCM 535/99", "D.P.C.M. 535/1999"},
      {"legge regionale 8 luglio 2015, n. 19", "L.R. 19/2015"},
      {"Regolamento (UE) 2016/679", "Reg. (UE) 2016/679"},
      {"Regolamento (UE) n. 604/2013", "Reg. (UE) 604/2013"},
      {"Direttiva 2011/98/UE", "Dir. 2011/98/UE"},
      {"direttiva 2003/109/CE", "Dir. 2003/109/CE"},
      {"Direttiva (UE) 2024/1346", "Dir. (UE) 2024/1346"},
      {"art. 22 D.Lgs. 286/1998", "D.Lgs. 286/1998, art. 22"},
  };
  NormRecognizer recognizer;
  for (const auto& [text, label] : cases) {
    auto found = recognizer.Find(text);
    ASSERT_EQ(found.size(), 1u) << text;
    EXPECT_EQ(found[0].label, label) << text;
  }
}

TEST(NormRecognizer, FindsCatalogNamesAsPhrases) {
  const std::vector<ArticleCase> cases = {
      {"la cosiddetta legge Zampa tutela i minori", {{"l-47-2017", "legge Zampa"}}},
      {"la LEGGE ZAMPA tutela i minori", {{"l-47-2017", "LEGGE ZAMPA"}}},
      {"il Testo Unico sull’Immigrazione prevede",
       {{"dlgs-286-1998", "Testo Unico sull’Immigrazione"}}},
      {"il testo unico  immigrazione prevede", {{"dlgs-286-1998", "testo unico  immigrazione"}}},
      {"il TUI prevede", {{"dlgs-286-1998", "TUI"}}},
      {"(TUI)", {{"dlgs-286-1998", "TUI"}}},
      {"la legge Bossi-Fini del 2002", {{"l-189-2002", "legge Bossi-Fini"}}},
      {"la legge Bossi Fini del 2002", {{"l-189-2002", "legge Bossi Fini"}}},
      {"la legge Bossi \u2013 Fini del 2002", {{"l-189-2002", "legge Bossi \u2013 Fini"}}},
      {"la legge sulla nazionalita del 1992", {{"l-91-1992", "legge sulla nazionalita"}}},
      {"la LEGGE SULLA NAZIONALITÀ del 1992", {{"l-91-1992", "LEGGE SULLA NAZIONALITÀ"}}},
      {"il decreto flussi 2023", {{"dpcm-1-2023", "decreto flussi"}}},
      // Articles attach to names as they do to citations.
      {"le cure urgenti (art. 35 del Testo Unico Immigrazione)",
       {{"dlgs-286-1998/art-35", "art. 35 del Testo Unico Immigrazione"}}},
      {"- D.Lgs. 286/1998, Testo Unico Immigrazione, artt. 4 e 5.",
       {{"dlgs-286-1998", "D.Lgs. 286/1998"},
        {"dlgs-286-1998/art-4", "Testo Unico Immigrazione, artt. 4 e 5"},
        {"dlgs-286-1998/art-5", "Testo Unico Immigrazione, artt. 4 e 5"}}},
      // A formal citation wins over a name that is part of it.
      {"(TUI, art. 22)", {{"dlgs-286-1998/art-22", "TUI, art. 22"}}},
      {"la legge 104/1992 e la legge 104",
       {{"l-104-1992", "legge 104/1992"}, {"l-104-1992", "legge 104"}}},
      // Names are whole words.
      {"il servizio è stato istituito nel 2010", {}},
      {"la leggerezza della legge Zampanelli", {}},
      {"ATUI e TUIS non sono sigle", {}},
      {"lo studentè TUI", {{"dlgs-286-1998", "TUI"}}},
      {"l'àTUI", {}},
  };
  NormRecognizer recognizer(SmallCatalog());
  for (const ArticleCase& c : cases) {
    EXPECT_EQ(Cited(recognizer, c.text), c.expected) << c.text;
  }
}

TEST(NormRecognizer, UsesTheCatalogLabel) {
  NormRecognizer recognizer(SmallCatalog());
  auto found = recognizer.Find("la L. 47/2017 e l'art. 2 della legge Zampa");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].label, "L. 47/2017 (legge Zampa)");
  EXPECT_EQ(found[1].id, "l-47-2017/art-2");
  EXPECT_EQ(found[1].label, "L. 47/2017 (legge Zampa), art. 2");
  // An entry with an empty label falls back to the canonical one.
  found = recognizer.Find("la legge Bossi-Fini");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].label, "L. 189/2002");
}

TEST(NormRecognizer, ResolvesQueries) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"D.Lgs. 286/1998", "dlgs-286-1998"},
      {"dlgs 286/98", "dlgs-286-1998"},
      {"\"d.lgs. n. 286 del 1998\"", "dlgs-286-1998"},
      {"dlgs-286-1998", "dlgs-286-1998"},
      {"DLGS-0286-1998", "dlgs-286-1998"},
      {"dlgs-286-1998/art-22", "dlgs-286-1998/art-22"},
      {"dlgs-286-1998/art-5-BIS", "dlgs-286-1998/art-5-bis"},
      {"reg-ue-679-2016", "reg-ue-679-2016"},
      {"legge Zampa", "l-47-2017"},
      {"  LEGGE  zampa ", "l-47-2017"},
      {"Testo Unico sull'immigrazione", "dlgs-286-1998"},
      {"art. 22 D.Lgs. 286/1998", "dlgs-286-1998/art-22"},
      {"D.Lgs. 286/1998, art. 22", "dlgs-286-1998/art-22"},
      {"artt. 4 e 5 D.Lgs. 286/1998", "dlgs-286-1998"},
      {"art. 35 TUI", "dlgs-286-1998/art-35"},
      {"Regolamento (UE) 2016/679", "reg-ue-679-2016"},
      {"L. 47/2017.", "l-47-2017"},
      {"DPCM flussi 2023", "dpcm-1-2023"},  // a catalog label
  };
  NormRecognizer recognizer(SmallCatalog());
  for (const auto& [query, id] : cases) {
    auto resolved = recognizer.Resolve(query);
    ASSERT_TRUE(resolved.has_value()) << query;
    EXPECT_EQ(resolved->id, id) << query;
  }
  auto resolved = recognizer.Resolve("dlgs-286-1998/art-22");
  ASSERT_TRUE(resolved.has_value());
  EXPECT_EQ(resolved->norm_id, "dlgs-286-1998");
  EXPECT_EQ(resolved->article, "22");
  EXPECT_EQ(resolved->label, "D.Lgs. 286/1998, art. 22");
}

TEST(NormRecognizer, ResolvesNonsenseToNothing) {
  const std::vector<std::string> queries = {
      "",
      "   ",
      "permesso di soggiorno",
      "art. 22",
      "286/1998",
      "dlgs-286",
      "dlgs-286-98",
      "dlgs-0-1998",
      "xyz-286-1998",
      "dlgs-286-1998/art-",
      "dlgs-286-1998/comma-2",
      "dlgs-286-1998/art-22/x",
      "legge",
      "legge Zampanelli",
      "D.Lgs. 286/1998 e L. 47/2017",           // two norms: which one?
      "D.Lgs. 286/1998 permesso di soggiorno",  // a norm and more words
  };
  NormRecognizer recognizer(SmallCatalog());
  for (const std::string& query : queries) {
    EXPECT_EQ(recognizer.Resolve(query), std::nullopt) << query;
  }
}

TEST(NormRecognizer, LabelOfBuildsOrLooksUpLabels) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"dlgs-286-1998", "D.Lgs. 286/1998"},
      {"l-47-2017", "L. 47/2017 (legge Zampa)"},  // from the catalog
      {"l-189-2002", "L. 189/2002"},              // catalog entry without a label
      {"dpr-394-1999", "D.P.R. 394/1999"},
      {"dl-113-2018", "D.L. 113/2018"},
      {"dm-27-2019", "D.M. 27/2019"},
      {"dpcm-535-1999", "D.P.C.M. 535/1999"},
      {"dpcm-1-2023", "DPCM flussi 2023"},
      {"lr-19-2015", "L.R. 19/2015"},
      {"reg-ue-679-2016", "Reg. (UE) 2016/679"},
      {"reg-ue-604-2013", "Reg. (UE) 604/2013"},
      {"dir-ue-98-2011", "Dir. 2011/98/UE"},
      {"dir-ue-1346-2024", "Dir. (UE) 2024/1346"},
      {"dlgs-286-1998/art-22", "D.Lgs. 286/1998, art. 22"},
      {"l-47-2017/art-2", "L. 47/2017 (legge Zampa), art. 2"},
      {"dlgs-286-1998/art-5-bis", "D.Lgs. 286/1998, art. 5-bis"},
      {"not-a-norm", "not-a-norm"},
  };
  NormRecognizer recognizer(SmallCatalog());
  for (const auto& [id, label] : cases) EXPECT_EQ(recognizer.LabelOf(id), label) << id;
}

TEST(NormRecognizer, EmptyCatalogStillRecognisesNorms) {
  NormRecognizer recognizer;
  EXPECT_TRUE(recognizer.catalog().empty());
  EXPECT_EQ(Cited(recognizer, "la legge Zampa e la L. 47/2017"),
            (std::vector<Expected>{{"l-47-2017", "L. 47/2017"}}));
  EXPECT_EQ(recognizer.Resolve("legge Zampa"), std::nullopt);
}

TEST(NormRecognizer, SurvivesHostileText) {
  NormRecognizer recognizer(SmallCatalog());
  std::string repeated;
  for (int i = 0; i < 5000; ++i) repeated += "art. 1, comma 2, l. D.Lgs. 286/ legge n. del ";
  EXPECT_TRUE(recognizer.Find(repeated).empty());
  std::string invalid_utf8 = "D.Lgs. \xff\xfe 286/1998 \xc3 art. 22 \xe2\x80 TUI\xc3";
  EXPECT_EQ(Cited(recognizer, invalid_utf8), (std::vector<Expected>{{"dlgs-286-1998", "TUI"}}));
  EXPECT_TRUE(recognizer.Find("").empty());
  EXPECT_TRUE(recognizer.Find("art. 22").empty());
}

TEST(NormRecognizer, FindsEveryCitationInALongText) {
  const std::string paragraph =
      "Ai sensi dell'art. 22, comma 2, del D.Lgs. 286/1998 e della legge Zampa, il DPR "
      "394/1999 disciplina il rilascio. ";
  std::string text;
  for (int i = 0; i < 2000; ++i) text += paragraph;
  NormRecognizer recognizer(SmallCatalog());
  auto found = recognizer.Find(text);
  ASSERT_EQ(found.size(), 6000u);
  EXPECT_EQ(found[5997].id, "dlgs-286-1998/art-22");
  EXPECT_EQ(found[5997].offset, 1999 * paragraph.size() + paragraph.find("art. 22"));
}

TEST(NormRecognizer, FindIsSafeFromManyThreads) {
  NormRecognizer recognizer(SmallCatalog());
  const std::string text = "art. 35 del Testo Unico Immigrazione e L. 47/2017, art. 2";
  std::vector<std::thread> threads;
  std::vector<size_t> counts(4);
  for (size_t t = 0; t < counts.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) counts[t] += recognizer.Find(text).size();
    });
  }
  for (auto& thread : threads) thread.join();
  for (size_t count : counts) EXPECT_EQ(count, 400u);
}

}  // namespace
}  // namespace correlare::taxonomy
