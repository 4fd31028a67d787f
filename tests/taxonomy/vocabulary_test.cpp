#include "taxonomy/vocabulary.h"

#include <gtest/gtest.h>

#include <set>

namespace correlare::taxonomy {
namespace {

TEST(Vocabulary, HasTheSpecIdentifiers) {
  std::set<std::string_view> axes;
  for (const auto& axis : Axes()) axes.insert(axis.id);
  EXPECT_EQ(axes, (std::set<std::string_view>{"educazione", "lavoro", "alloggio", "servizi",
                                               "minori", "intercultura"}));
  EXPECT_EQ(Provinces().size(), 13u);
  EXPECT_TRUE(IsDocumentType("trascrizione"));
  EXPECT_FALSE(IsDocumentType("video"));
  EXPECT_TRUE(IsAxis("servizi"));
  EXPECT_FALSE(IsAxis("sanita"));
}

TEST(Vocabulary, ResolvesProvinceByIdOrSiglaIgnoringCase) {
  EXPECT_EQ(ResolveProvince("MI"), "milano");
  EXPECT_EQ(ResolveProvince("mb"), "monza-brianza");
  EXPECT_EQ(ResolveProvince("Monza-Brianza"), "monza-brianza");
  EXPECT_EQ(ResolveProvince("lombardia"), "lombardia");
  EXPECT_EQ(ResolveProvince("torino"), std::nullopt);
  EXPECT_EQ(ResolveProvince(""), std::nullopt);
}

TEST(Vocabulary, LanguageLabelsInItalian) {
  EXPECT_EQ(LanguageLabel("it"), "Italiano");
  EXPECT_EQ(LanguageLabel("sq"), "Albanese");
  EXPECT_EQ(LanguageLabel("xx"), "xx");
}

}  // namespace
}  // namespace correlare::taxonomy
