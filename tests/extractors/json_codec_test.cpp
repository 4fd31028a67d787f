#include "extractors/json_codec.h"

#include <gtest/gtest.h>

namespace correlare::extractors {
namespace {

ExtractedDocument SampleDocument() {
  ExtractedDocument doc;
  doc.file_name = "kit.zip";
  doc.mime = "application/zip";
  doc.size = 1234;
  doc.title = "Kit \"accoglienza\" <2012>";
  doc.title_source = "metadata";
  doc.heading = "Benvenuti";
  doc.authors = {"Anna Rossi", "Luca Bianchi"};
  doc.date = "2012-11-05";
  doc.lang = "it";
  doc.declared_lang = "it-IT";
  doc.text = "Pagina uno.\n\nPagina due: citt\xC3\xA0 \xE2\x82\xAC.";
  doc.metadata = {{"pages", "2"}, {"subject", "accoglienza"}};
  doc.pages = {{1, 0}, {2, 13}};
  doc.cues = {{754000, 757500, 0, 11}};
  doc.warnings = {"member skipped: nested too deep"};
  ExtractedDocument member;
  member.member_path = "cartella/scheda.txt";
  member.file_name = "scheda.txt";
  member.status = Status(StatusCode::kLimitExceeded, "nested too deep");
  doc.members.push_back(member);
  return doc;
}

TEST(JsonCodec, RoundTripsEveryField) {
  ExtractedDocument doc = SampleDocument();
  for (bool pretty : {false, true}) {
    auto back = DocumentFromJson(DocumentToJson(doc, pretty));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    const ExtractedDocument& d = back.value();
    EXPECT_EQ(d.file_name, doc.file_name);
    EXPECT_EQ(d.mime, doc.mime);
    EXPECT_EQ(d.size, doc.size);
    EXPECT_EQ(d.title, doc.title);
    EXPECT_EQ(d.title_source, doc.title_source);
    EXPECT_EQ(d.heading, doc.heading);
    EXPECT_EQ(d.authors, doc.authors);
    EXPECT_EQ(d.date, doc.date);
    EXPECT_EQ(d.lang, doc.lang);
    EXPECT_EQ(d.declared_lang, doc.declared_lang);
    EXPECT_EQ(d.text, doc.text);
    EXPECT_EQ(d.metadata, doc.metadata);
    ASSERT_EQ(d.pages.size(), 2u);
    EXPECT_EQ(d.pages[1].number, 2);
    EXPECT_EQ(d.pages[1].offset, 13u);
    ASSERT_EQ(d.cues.size(), 1u);
    EXPECT_EQ(d.cues[0].start_ms, 754000);
    EXPECT_EQ(d.cues[0].end_ms, 757500);
    EXPECT_EQ(d.cues[0].length, 11u);
    EXPECT_EQ(d.warnings, doc.warnings);
    ASSERT_EQ(d.members.size(), 1u);
    EXPECT_EQ(d.members[0].member_path, "cartella/scheda.txt");
    EXPECT_EQ(d.members[0].status.code(), StatusCode::kLimitExceeded);
    EXPECT_TRUE(d.status.ok());
  }
}

TEST(JsonCodec, WritesCueTimesReadably) {
  std::string json = DocumentToJson(SampleDocument(), false);
  EXPECT_NE(json.find("\"start\":\"00:12:34.000\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"language\":\"it\""), std::string::npos);
}

TEST(JsonCodec, CanLeaveTextOut) {
  std::string json = DocumentToJson(SampleDocument(), false, /*include_text=*/false);
  EXPECT_EQ(json.find("Pagina uno"), std::string::npos);
  EXPECT_NE(json.find("\"text_bytes\":"), std::string::npos);
}

TEST(JsonCodec, FailureCarriesCodeAndMessage) {
  auto back = DocumentFromJson(
      FailureToJson("x.pdf", Status(StatusCode::kEncrypted, "needs a password"), false));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value().status.code(), StatusCode::kEncrypted);
  EXPECT_EQ(back.value().status.message(), "needs a password");
}

TEST(JsonCodec, RejectsMalformedJson) {
  auto bad = DocumentFromJson("{\"file\": ");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kCorrupt);
  EXPECT_FALSE(DocumentFromJson("[1,2]").ok());
}

}  // namespace
}  // namespace correlare::extractors
