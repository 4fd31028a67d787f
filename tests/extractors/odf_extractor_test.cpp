// ODF extractor (ODT, ODS, ODP): the sample corpus for real files, small packages built
// in memory for the edge cases.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "extractor_test_support.h"
#include "office_test_support.h"

namespace correlare::extractors {
namespace {

using namespace correlare::testing;  // StoredZip, ExtractSample, ExtractBytes, Contains

constexpr const char* kNamespaces =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\"";

// An ODF package of the given kind ("text", "spreadsheet") whose office:body holds
// `body`, plus `extra` entries.
std::string Odf(const std::string& kind, const std::string& body, ZipEntries extra = {}) {
  ZipEntries entries = {
      {"mimetype", "application/vnd.oasis.opendocument." + kind},
      {"content.xml", std::string("<?xml version=\"1.0\"?><office:document-content ") +
                          kNamespaces + ">" + body + "</office:document-content>"},
  };
  entries.insert(entries.end(), extra.begin(), extra.end());
  return StoredZip(entries);
}

// ---- Sample corpus -------------------------------------------------------------------

TEST(OdfExtractor, ReadsOdtMetaAndHeadings) {
  auto result =
      ExtractSample("normativa/delibera-provinciale-mediazione-linguistico-culturale-brescia.odt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.mime, "application/vnd.oasis.opendocument.text");
  EXPECT_EQ(doc.title,
            "Disciplinare per il servizio provinciale di mediazione linguistico-culturale");
  EXPECT_EQ(doc.authors,
            std::vector<std::string>{"Provincia di Brescia - Assessorato alle Politiche Sociali"});
  EXPECT_EQ(doc.date, "2009-07-06");
  EXPECT_EQ(doc.declared_lang, "it-IT");
  EXPECT_EQ(doc.heading, "PROVINCIA DI BRESCIA");
  EXPECT_EQ(doc.metadata.at("keywords"),
            "deliberazione, mediazione linguistico-culturale, mediatori, albo provinciale, "
            "art. 42 D.Lgs. 286/1998, Provincia di Brescia");
  EXPECT_TRUE(Contains(doc.text, "\n\nArt. 1 - Oggetto e finalità\n\n1. Il presente disciplinare"));
  EXPECT_TRUE(Contains(doc.text, "La mediazione telefonica d'urgenza risponde al numero interno "
                                 "4410 anche nei giorni festivi."));
}

TEST(OdfExtractor, ReadsSecondOdtAuthorAndSentence) {
  auto result = ExtractSample("raccomandazioni/raccomandazioni-cdp-mediazione-scolastica-varese.odt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Raccomandazioni sulla mediazione interculturale a scuola");
  EXPECT_EQ(doc.authors, std::vector<std::string>{
                             "Comunità di pratica dei mediatori scolastici della provincia di Varese"});
  EXPECT_EQ(doc.date, "2012-06-18");
  EXPECT_TRUE(Contains(doc.text, "A Busto Arsizio i colloqui preparati insieme al mediatore sono "
                                 "stati 148 nell'anno scolastico 2011/12."));
}

TEST(OdfExtractor, OdpGivesOnePageBreakPerSlide) {
  auto result = ExtractSample("presentazioni/scuola-e-famiglie-straniere-comunicare.odp");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Scuola e famiglie straniere: comunicare per collaborare");
  EXPECT_EQ(doc.heading, "Scuola e famiglie straniere: comunicare per collaborare");
  EXPECT_EQ(doc.authors, std::vector<std::string>{"Silvia Zanardelli"});
  EXPECT_EQ(doc.date, "2013-01-28");
  EXPECT_EQ(doc.metadata.at("slides"), "6");
  ASSERT_EQ(doc.pages.size(), 6u);
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    EXPECT_EQ(doc.pages[i].number, static_cast<int>(i + 1));
    if (i > 0) {
      EXPECT_GT(doc.pages[i].offset, doc.pages[i - 1].offset);
    }
  }
  size_t at = doc.text.find("All'Istituto comprensivo di Chiari il primo colloquio si svolge "
                            "sempre alla presenza di un mediatore.");
  ASSERT_NE(at, std::string::npos);
  EXPECT_GE(at, doc.pages[2].offset);
  EXPECT_LT(at, doc.pages[3].offset) << "the sentence is on slide 3";
  EXPECT_EQ(doc.text.substr(doc.pages[2].offset, 18), "Il primo colloquio");
}

TEST(OdfExtractor, OdsGivesSheetNamesAndTabSeparatedRows) {
  auto result = ExtractSample("formazione/questionari-valutazione-formazione-2013.ods");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const ExtractedDocument& doc = result.value();
  EXPECT_EQ(doc.title, "Risultati dei questionari di valutazione della formazione 2013");
  EXPECT_EQ(doc.date, "2013-12-16");
  EXPECT_EQ(doc.metadata.at("sheets"), "2");
  EXPECT_EQ(doc.text.rfind("Valutazioni\nProvincia\tCorso\tModulo\t", 0), 0u);
  // Cells read as displayed: "4,6", not office:value "4.6".
  EXPECT_TRUE(Contains(doc.text, "\nSondrio\tItaliano L2 e test A2\tModulo 2 - Simulazione della "
                                 "prova\t12\t4,9\t"));
  EXPECT_TRUE(Contains(doc.text, "\n\nCommenti liberi\n"));
  EXPECT_TRUE(Contains(doc.text, "Sondrio\tModulo 2 - Simulazione della prova\tLa simulazione al "
                                 "computer ha tolto molta ansia ai miei corsisti."));
}

TEST(OdfExtractor, MemberOverLimitIsRefused) {
  Limits limits;
  limits.max_member_bytes = 1000;
  auto result = ExtractSample(
      "normativa/delibera-provinciale-mediazione-linguistico-culturale-brescia.odt", limits);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded);
  EXPECT_TRUE(Contains(result.status().message(), "ZIP entry '")) << result.status().message();
}

// ---- Built in memory -----------------------------------------------------------------

TEST(OdfExtractor, SpacesTabsLineBreaksAndNotes) {
  std::string bytes = Odf(
      "text",
      "<office:body><office:text>"
      "<text:p>Sportello\n   stranieri<text:s text:c=\"3\"/>Lodi<text:tab/>orari"
      "<text:line-break/>lunedì <text:span>e</text:span> giovedì"
      "<text:note><text:note-citation>1</text:note-citation><text:note-body>"
      "<text:p>Chiuso ad agosto.</text:p></text:note-body></text:note></text:p>"
      "<text:h text:outline-level=\"1\">Contatti</text:h>"
      "<text:tracked-changes><text:changed-region><text:deletion>"
      "<text:p>testo cancellato</text:p></text:deletion></text:changed-region>"
      "</text:tracked-changes>"
      "</office:text></office:body>");
  auto result = ExtractBytes(bytes, "avviso.odt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text,
            "Sportello stranieri   Lodi\torari\nlunedì e giovedì\n\nChiuso ad agosto.\n\nContatti");
  EXPECT_EQ(result.value().heading, "Contatti");
}

TEST(OdfExtractor, RepeatedEmptyCellsAreNeverExpanded) {
  std::string bytes = Odf(
      "spreadsheet",
      "<office:body><office:spreadsheet><table:table table:name=\"Foglio1\">"
      "<table:table-row><table:table-cell><text:p>Nome</text:p></table:table-cell>"
      "<table:table-cell table:number-columns-repeated=\"16384\"/>"
      "<table:table-cell><text:p>Ore</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"1048575\">"
      "<table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
      "</table:table></office:spreadsheet></office:body>");
  auto result = ExtractBytes(bytes, "foglio.ods");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text, "Foglio1\nNome\tOre");
  EXPECT_EQ(result.value().metadata.at("sheets"), "1");
}

TEST(OdfExtractor, MissingContentIsAClearError) {
  std::string bytes = StoredZip({
      {"mimetype", "application/vnd.oasis.opendocument.text"},
      {"meta.xml", "<office:document-meta/>"},
  });
  auto result = ExtractBytes(bytes, "vuoto.odt");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_TRUE(Contains(result.status().message(), "content.xml is missing"))
      << result.status().message();
}

TEST(OdfExtractor, EncryptedPackageIsReportedAsEncrypted) {
  std::string manifest =
      "<manifest:manifest "
      "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
      "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\">"
      "<manifest:encryption-data manifest:checksum-type=\"SHA1/1K\"/>"
      "</manifest:file-entry></manifest:manifest>";
  std::string bytes = StoredZip({
      {"mimetype", "application/vnd.oasis.opendocument.text"},
      {"content.xml", std::string("\x8f\x13\xa0 not xml", 10)},
      {"META-INF/manifest.xml", manifest},
  });
  auto result = ExtractBytes(bytes, "segreto.odt");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kEncrypted) << result.status().ToString();
}

TEST(OdfExtractor, DamagedThumbnailDoesNotFailTheDocument) {
  const std::string kThumbnail = "\x89PNG\r\n\x1a\n" + std::string(4000, 't') + "fine";
  std::string bytes =
      Odf("text", "<office:body><office:text><text:p>Avviso</text:p></office:text></office:body>",
          {{"Thumbnails/thumbnail.png", kThumbnail}});
  DamageStoredData(bytes, kThumbnail);
  auto result = ExtractBytes(bytes, "avviso.odt");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result.value().text, "Avviso");
}

TEST(OdfExtractor, MalformedContentIsCorrupt) {
  std::string bytes = Odf("text", "<office:body><office:text><text:p>aperto</office:text>");
  auto result = ExtractBytes(bytes, "rotto.odt");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kCorrupt);
  EXPECT_TRUE(Contains(result.status().message(), "content.xml")) << result.status().message();
}

}  // namespace
}  // namespace correlare::extractors
