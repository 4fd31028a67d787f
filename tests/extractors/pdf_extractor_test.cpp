#include <gtest/gtest.h>

#include "extractors/registry.h"
#include "test_support.h"

namespace correlare::extractors {
namespace {

using correlare::testing::CorpusPath;

ExtractedDocument ExtractPdf(const std::string& relative) {
  auto registry = ExtractorRegistry::WithDefaults();
  auto result = registry->ExtractFile(CorpusPath(relative).string(), Limits{});
  EXPECT_TRUE(result.ok()) << relative << ": " << result.status().ToString();
  return result.ok() ? result.value() : ExtractedDocument{};
}

// The text of page `number` (1-based), from the page breaks.
std::string PageText(const ExtractedDocument& doc, int number) {
  for (size_t i = 0; i < doc.pages.size(); ++i) {
    if (doc.pages[i].number != number) continue;
    uint64_t end = i + 1 < doc.pages.size() ? doc.pages[i + 1].offset : doc.text.size();
    return doc.text.substr(doc.pages[i].offset, end - doc.pages[i].offset);
  }
  return "";
}

TEST(PdfExtractor, ReadsTitleAuthorAndDateFromInfoDictionary) {
  auto doc = ExtractPdf("dispense/accesso-ssn-tessera-sanitaria-stp.pdf");
  EXPECT_EQ(doc.mime, "application/pdf");
  EXPECT_EQ(doc.title,
            "L'accesso al Servizio Sanitario Nazionale per i cittadini stranieri: iscrizione, "
            "tessera sanitaria e codice STP");
  EXPECT_EQ(doc.title_source, "metadata");
  EXPECT_EQ(doc.authors, (std::vector<std::string>{"Marco Ferrari", "Giulia Rinaldi"}));
  EXPECT_EQ(doc.date, "2011-04-12");
  EXPECT_EQ(doc.metadata.at("pages"), "4");
  EXPECT_EQ(doc.lang, "it");
}

TEST(PdfExtractor, KnowsOnWhichPageASentenceIs) {
  auto doc = ExtractPdf("dispense/permesso-di-soggiorno-procedure-questura.pdf");
  ASSERT_EQ(doc.pages.size(), 4u);
  EXPECT_EQ(doc.pages[0].offset, 0u);
  std::string needle = "l'attesa media per un rinnovo ha superato i cinque mesi";
  EXPECT_NE(PageText(doc, 3).find(needle), std::string::npos) << PageText(doc, 3).substr(0, 300);
  EXPECT_EQ(PageText(doc, 2).find(needle), std::string::npos);
  EXPECT_EQ(PageText(doc, 4).find(needle), std::string::npos);
  // The page breaks are in order and inside the text.
  for (size_t i = 1; i < doc.pages.size(); ++i) {
    EXPECT_GT(doc.pages[i].offset, doc.pages[i - 1].offset);
    EXPECT_LE(doc.pages[i].offset, doc.text.size());
  }
}

TEST(PdfExtractor, OpensAPdfEncryptedWithAnEmptyUserPassword) {
  auto doc = ExtractPdf("dispense/sportello-stranieri-accoglienza-e-orientamento.pdf");
  EXPECT_EQ(doc.metadata.at("encrypted"), "yes");
  EXPECT_EQ(doc.title,
            "Lo sportello stranieri comunale: accoglienza, ascolto e orientamento ai servizi");
  EXPECT_NE(PageText(doc, 2).find("Lo sportello di Cantù apre il sabato mattina"),
            std::string::npos);
}

TEST(PdfExtractor, ReplacesAPlaceholderTitleWithTheFirstHeading) {
  // Its info dictionary says "Microsoft Word - Dispensa_CPI_def2.doc".
  auto doc = ExtractPdf("dispense/centri-per-impiego-contratto-di-soggiorno.pdf");
  EXPECT_EQ(doc.title_source, "heading");
  // The words in the largest type of page 1, not the running header above them.
  EXPECT_EQ(doc.title, "Lavoro e immigrazione: centri per l'impiego e contratto di soggiorno");
}

TEST(PdfExtractor, PasswordProtectedPdfIsAnEncryptedError) {
  auto registry = ExtractorRegistry::WithDefaults();
  auto result = registry->ExtractFile(CorpusPath("hostile/encrypted.pdf").string(), Limits{});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kEncrypted);
  EXPECT_NE(result.status().message().find("password"), std::string::npos);
}

TEST(PdfExtractor, StopsAtTheTextLimit) {
  auto registry = ExtractorRegistry::WithDefaults();
  Limits limits;
  limits.max_text_bytes = 2000;
  auto result = registry->ExtractFile(
      CorpusPath("dispense/permesso-di-soggiorno-procedure-questura.pdf").string(), limits);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result.value().text_truncated);
  EXPECT_LE(result.value().text.size(), 2000u);
  EXPECT_LT(result.value().pages.size(), 4u);
}

}  // namespace
}  // namespace correlare::extractors
