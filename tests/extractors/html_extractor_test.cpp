// HTML extractor: the multilingual leaflets and the glossary of the sample corpus, and
// small pages written here for visibility, structure, metadata and charsets.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extractor_test_support.h"

namespace correlare::extractors {
namespace {

using namespace correlare::testing;  // ExtractSample, ExtractBytes, Contains

// Strings that the leaflets and the glossary hold only where no reader sees them.
const char* const kInvisible[] = {"TESTO_SOLO_NELLO_SCRIPT_QXZ4471", "COMMENTO_CSS_ZQ88",
                                  "COMMENTO_HTML_KW55", "window.dataLayer"};

Result<ExtractedDocument> ExtractPage(const std::string& html, const Limits& limits = Limits{}) {
  return ExtractBytes(html, "pagina.html", limits);
}

// ---- Sample corpus -------------------------------------------------------------------

TEST(HtmlExtractor, ReadsItalianLeafletMetadata) {
  auto result = ExtractSample("strumenti/opuscolo-ssn-it.html");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.mime, "text/html");
  EXPECT_EQ(doc.title, "Come iscriversi al Servizio Sanitario Nazionale");
  EXPECT_EQ(doc.title_source, "metadata");
  EXPECT_EQ(doc.heading, "Come iscriversi al Servizio Sanitario Nazionale");
  EXPECT_EQ(doc.authors, std::vector<std::string>{"Regione Lombardia – DG Welfare"});
  EXPECT_EQ(doc.declared_lang, "it");
  EXPECT_EQ(doc.lang, "it");
  EXPECT_EQ(doc.metadata.at("description"),
            "Guida rapida per i cittadini stranieri che vivono in Lombardia: chi deve iscriversi "
            "al Servizio Sanitario Nazionale, dove andare, quali documenti portare.");
  EXPECT_EQ(doc.metadata.at("charset"), "UTF-8");
}

TEST(HtmlExtractor, ItalianLeafletTextIsVisibleTextWithEntitiesDecoded) {
  auto result = ExtractSample("strumenti/opuscolo-ssn-it.html");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const std::string& text = result.value().text;
  EXPECT_TRUE(Contains(text, "Medici e infermieri non ti segnalano alla polizia."));
  EXPECT_TRUE(Contains(text, "è obbligatoria"));
  EXPECT_TRUE(Contains(text, "dell’ASST"));
  EXPECT_TRUE(Contains(text, "14\u00A0anni"));
  EXPECT_TRUE(Contains(text, "\n\nChi deve iscriversi\n\nSe hai un permesso di soggiorno"));
  EXPECT_TRUE(Contains(text, "\nil codice fiscale;\n")) << "list items are lines";
  for (const char* hidden : kInvisible) EXPECT_FALSE(Contains(text, hidden)) << hidden;
  EXPECT_FALSE(Contains(text, "<")) << "no markup in the text";
  EXPECT_FALSE(Contains(text, "&egrave;"));
}

struct Leaflet {
  std::string file;
  std::string declared_lang;
  std::string title;
  std::string sentence;
};

TEST(HtmlExtractor, LeafletsInOtherLanguages) {
  const Leaflet leaflets[] = {
      {"strumenti/opuscolo-ssn-fr.html", "fr", "Comment s'inscrire au Service sanitaire national",
       "Les médecins et les infirmiers ne vous signalent pas à la police."},
      {"strumenti/opuscolo-ssn-ar.html", "ar", "كيفية التسجيل في الخدمة الصحية الوطنية",
       "الأطباء والممرضون لا يبلغون الشرطة عنك."},
      {"strumenti/opuscolo-ssn-zh.html", "zh-CN", "如何登记加入国家医疗服务体系",
       "医生和护士不会向警察举报您。"},
  };
  for (const Leaflet& leaflet : leaflets) {
    SCOPED_TRACE(leaflet.file);
    auto result = ExtractSample(leaflet.file);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    const ExtractedDocument& doc = result.value();
    EXPECT_EQ(doc.declared_lang, leaflet.declared_lang);
    EXPECT_EQ(doc.title, leaflet.title);
    EXPECT_EQ(doc.heading, leaflet.title);
    EXPECT_TRUE(Contains(doc.text, leaflet.sentence));
    for (const char* hidden : kInvisible) EXPECT_FALSE(Contains(doc.text, hidden)) << hidden;
  }
}

TEST(HtmlExtractor, GlossaryTitleHeadingAndDefinitions) {
  auto result = ExtractSample("strumenti/glossario-immigrazione.html");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Glossario dell'immigrazione – Strumenti per gli operatori");
  EXPECT_EQ(doc.heading, "Glossario dell'immigrazione per gli operatori dei servizi");
  EXPECT_TRUE(Contains(doc.text, "\nTutore volontario\nPrivato cittadino, selezionato e formato, "
                                 "iscritto nell'elenco del Tribunale per i minorenni"));
  EXPECT_TRUE(Contains(doc.text, "legge 47/2017, detta legge Zampa"));
  for (const char* hidden : kInvisible) EXPECT_FALSE(Contains(doc.text, hidden)) << hidden;
}

// ---- Written here ----------------------------------------------------------------------

TEST(HtmlExtractor, SkipsScriptStyleAndHiddenContent) {
  auto result = ExtractPage(
      "<!DOCTYPE html><html><head><title>Avviso</title><style>p{color:red}</style>"
      "<script>var x = 'nello script';</script></head><body>"
      "<p>Visibile</p><script>document.write('scritto dallo script')</script>"
      "<noscript>attivare javascript</noscript><template><p>modello</p></template>"
      "<p hidden>attributo hidden</p><div style=\"display: none\">nascosto da stile</div>"
      "<input type=\"hidden\" value=\"campo nascosto\"><!-- commento -->"
      "<p>Anche questo</p></body></html>");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text, "Visibile\n\nAnche questo");
  EXPECT_EQ(result.value().title, "Avviso");
}

TEST(HtmlExtractor, BlocksGiveParagraphsAndBrGivesALine) {
  auto result = ExtractPage(
      "<html><body><p>Uno<br>due</p><div>tre <b>in</b>\n   grassetto</div>"
      "<ul><li>a</li><li>b</li></ul>"
      "<table><tr><th>Nome</th><th>Ore</th></tr><tr><td>Fatima</td><td>12</td></tr></table>"
      "<pre>riga 1\n  riga 2</pre></body></html>");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text,
            "Uno\ndue\n\ntre in grassetto\n\na\nb\n\nNome\tOre\nFatima\t12\n\nriga 1\n  riga 2");
}

TEST(HtmlExtractor, MetaTagsGiveDateAuthorsAndFallbackTitle) {
  auto result = ExtractPage(
      "<html lang=\"it-IT\"><head>"
      "<meta property=\"og:title\" content=\"Sportello di Lodi\">"
      "<meta property=\"article:published_time\" content=\"2021-03-16T08:30:00Z\">"
      "<meta name=\"date\" content=\"15/06/2020\">"
      "<meta name=\"author\" content=\"Ufficio Stranieri\">"
      "<meta name=\"keywords\" content=\"sportello, Lodi\">"
      "</head><body><h2>Orari</h2><p>Aperto il martedì.</p></body></html>");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Sportello di Lodi");
  EXPECT_EQ(doc.heading, "Orari");
  EXPECT_EQ(doc.date, "2020-06-15") << "meta name=date comes first, day first";
  EXPECT_EQ(doc.authors, std::vector<std::string>{"Ufficio Stranieri"});
  EXPECT_EQ(doc.declared_lang, "it-IT");
  EXPECT_EQ(doc.metadata.at("keywords"), "sportello, Lodi");
}

TEST(HtmlExtractor, DeclaredCharsetIsUsedWhenBytesAreNotUtf8) {
  // windows-1252 bytes: 0x93/0x94 curly quotes, 0x80 euro, 0xE0 a grave. Declared as
  // ISO-8859-1, which browsers (and we) read as windows-1252.
  std::string page =
      "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
      "charset=ISO-8859-1\"><title>Citt\xE0</title></head><body>"
      "<p>La \x93marca da bollo\x94 costa 16 \x80.</p></body></html>";
  auto result = ExtractPage(page);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text, "La “marca da bollo” costa 16 €.");
  EXPECT_EQ(result.value().title, "Città");
  EXPECT_EQ(result.value().metadata.at("charset"), "ISO-8859-1");
}

TEST(HtmlExtractor, UndeclaredLegacyCharsetIsGuessed) {
  std::string page =
      "<html><body><p>La citt\xE0 di Lodi d\xE0 il benvenuto: lo sportello \xE8 aperto "
      "il marted\xEC e il gioved\xEC, perch\xE9 tutti possano venire.</p></body></html>";
  auto result = ExtractPage(page);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(Contains(result.value().text, "La città di Lodi dà il benvenuto"))
      << result.value().text;
  EXPECT_TRUE(Contains(result.value().text, "perché"));
}

TEST(HtmlExtractor, TextIsCutAtTheTextLimit) {
  std::string page = "<html><body>";
  for (int i = 0; i < 200; ++i) page += "<p>Paragrafo di prova numero " + std::to_string(i) + "</p>";
  page += "</body></html>";
  Limits limits;
  limits.max_text_bytes = 300;
  auto result = ExtractPage(page, limits);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result.value().text_truncated);
  EXPECT_LE(result.value().text.size(), 300u);
  EXPECT_EQ(result.value().text.rfind("Paragrafo di prova numero 0\n\n", 0), 0u);
}

TEST(HtmlExtractor, DeepNestingStaysBounded) {
  std::string page = "<html><body>";
  for (int i = 0; i < 5000; ++i) page += "<span>";
  page += "in fondo";
  for (int i = 0; i < 5000; ++i) page += "</span>";
  page += "<p>fine</p></body></html>";
  auto result = ExtractPage(page);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(Contains(result.value().text, "fine"));
  EXPECT_FALSE(result.value().warnings.empty()) << "skipped content must be said";
}

}  // namespace
}  // namespace correlare::extractors
