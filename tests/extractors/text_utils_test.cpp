#include "extractors/text_utils.h"

#include <gtest/gtest.h>

namespace correlare::extractors {
namespace {

TEST(TextUtils, DetectsCharsetFromBomAndContent) {
  EXPECT_EQ(DetectCharset("\xEF\xBB\xBF" "ci\xC3\xA0o"), "utf-8");
  EXPECT_EQ(DetectCharset(std::string("\xFF\xFE" "c\0", 4)), "utf-16le");
  EXPECT_EQ(DetectCharset("citt\xC3\xA0 e perch\xC3\xA9"), "utf-8");
  // Curly quotes (0x93/0x94) and the euro sign (0x80) exist only in Windows-1252.
  EXPECT_EQ(DetectCharset("Il costo \x80 10 \x93gratuito\x94 per la citt\xE0."), "windows-1252");
}

TEST(TextUtils, ConvertsWindows1252ToUtf8) {
  EXPECT_EQ(ToUtf8("\x93" "citt\xE0\x94 \x96 10 \x80", "windows-1252"),
            "\xE2\x80\x9C" "citt\xC3\xA0\xE2\x80\x9D \xE2\x80\x93 10 \xE2\x82\xAC");
  EXPECT_EQ(ToUtf8("perch\xE9", "ISO-8859-1"), "perch\xC3\xA9");
}

TEST(TextUtils, RepairsInvalidUtf8AndNormalizesToNfc) {
  EXPECT_FALSE(IsValidUtf8("ab\xFF" "cd"));
  EXPECT_EQ(RepairAndNormalize("ab\xFF" "cd"), "ab\xEF\xBF\xBD" "cd");
  // "e" + combining acute accent becomes the single character é.
  EXPECT_EQ(RepairAndNormalize("perche\xCC\x81"), "perch\xC3\xA9");
  EXPECT_EQ(RepairAndNormalize("a\r\nb\rc\x01"), "a\nb\nc");
  EXPECT_TRUE(IsValidUtf8(RepairAndNormalize("\xC3\x28\xA0\xA1\xE2\x82")));
}

TEST(TextUtils, TidiesWhitespaceKeepingParagraphs) {
  EXPECT_EQ(TidyWhitespace("  Art. 1 \t  Oggetto  \n\n\n\n  Il presente   decreto \n"),
            "Art. 1 Oggetto\n\nIl presente decreto");
  EXPECT_EQ(TidyWhitespace("riga uno\nriga due"), "riga uno\nriga due");
  EXPECT_EQ(TidyWhitespace(" \n \n"), "");
}

TEST(TextUtils, AppendBoundedCutsOnCharacterBoundary) {
  std::string out = "ab";
  EXPECT_FALSE(AppendBounded(out, "c\xC3\xA0", 4));  // "à" is 2 bytes and would end at 5
  EXPECT_EQ(out, "abc");
  EXPECT_TRUE(AppendBounded(out, "", 4));
  std::string room;
  EXPECT_TRUE(AppendBounded(room, "\xC3\xA0", 2));
  EXPECT_EQ(room, "\xC3\xA0");
}

TEST(TextUtils, DetectsLanguages) {
  EXPECT_EQ(DetectLanguage("Il permesso di soggiorno deve essere rinnovato presso la Questura "
                           "prima della scadenza, presentando la domanda allo sportello."),
            "it");
  EXPECT_EQ(DetectLanguage("The residence permit must be renewed at the police headquarters "
                           "before it expires, by applying at the post office counter."),
            "en");
  EXPECT_EQ(DetectLanguage("Le titre de s\xC3\xA9jour doit \xC3\xAAtre renouvel\xC3\xA9 "
                           "aupr\xC3\xA8s de la pr\xC3\xA9" "fecture avant son expiration."),
            "fr");
  EXPECT_EQ(DetectLanguage("ok"), "");
  EXPECT_EQ(DetectLanguage("ok", "it-IT"), "it");
}

}  // namespace
}  // namespace correlare::extractors
