// Tagging measured on the sample corpus against corpus-samples/labels.json, the labels
// a person gave each sample. Prints precision and recall of the axes and the accuracy
// of province and type; fails when they fall below the floor recorded here.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <iomanip>
#include <iostream>
#include <set>
#include <sstream>

#include "extractors/registry.h"
#include "indexer/tag_input.h"
#include "taxonomy/tagger.h"
#include "test_support.h"

namespace correlare {
namespace {

using testing::CorpusPath;

struct Label {
  std::string file;
  std::set<std::string> axes;
  std::string province;
  std::string type;
  std::string lang;
};

std::vector<Label> ReadLabels() {
  std::ifstream in(CorpusPath("labels.json"));
  std::stringstream bytes;
  bytes << in.rdbuf();
  rapidjson::Document json;
  json.Parse(bytes.str().c_str());
  std::vector<Label> labels;
  if (json.HasParseError() || !json.HasMember("documents")) return labels;
  for (const auto& d : json["documents"].GetArray()) {
    Label label;
    label.file = d["file"].GetString();
    for (const auto& axis : d["axes"].GetArray()) label.axes.insert(axis.GetString());
    label.province = d["province"].IsString() ? d["province"].GetString() : "";
    label.type = d["type"].GetString();
    label.lang = d["lang"].GetString();
    labels.push_back(label);
  }
  return labels;
}

TEST(TaggingOnCorpus, MeetsTheRecordedFloor) {
  auto taxonomy = taxonomy::Taxonomy::Load(std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json");
  ASSERT_TRUE(taxonomy.ok()) << taxonomy.status().ToString();
  taxonomy::Tagger tagger(taxonomy.value());
  auto registry = extractors::ExtractorRegistry::WithDefaults();
  std::vector<Label> labels = ReadLabels();
  ASSERT_GE(labels.size(), 40u);

  int true_positive = 0, false_positive = 0, false_negative = 0;
  int province_right = 0, type_right = 0, lang_right = 0;
  std::ostringstream misses;
  for (const Label& label : labels) {
    std::string path = CorpusPath(label.file).string();
    auto doc = registry->ExtractFile(path, extractors::Limits{});
    ASSERT_TRUE(doc.ok()) << label.file << ": " << doc.status().ToString();
    auto sidecar = indexer::ReadSidecarFor(path);
    ASSERT_TRUE(sidecar.ok()) << sidecar.status().ToString();
    taxonomy::Tags tags =
        tagger.Tag(indexer::MakeTagInput(doc.value(), indexer::SourceInfo{}, sidecar.value()));

    std::set<std::string> axes;
    for (const auto& axis : tags.axes) axes.insert(axis.axis);
    for (const auto& axis : axes) (label.axes.count(axis) ? true_positive : false_positive)++;
    for (const auto& axis : label.axes) false_negative += axes.count(axis) ? 0 : 1;
    province_right += tags.province.value == label.province;
    type_right += tags.type.value == label.type;
    lang_right += tags.lang == label.lang;
    if (axes != label.axes || tags.province.value != label.province || tags.type.value != label.type) {
      misses << "  " << label.file << ":";
      for (const auto& a : axes) misses << " " << a;
      misses << " | province " << tags.province.value << " | type " << tags.type.value
             << "  (expected:";
      for (const auto& a : label.axes) misses << " " << a;
      misses << " | " << label.province << " | " << label.type << ")\n";
    }
  }
  double precision = true_positive / std::max(1.0, double(true_positive + false_positive));
  double recall = true_positive / std::max(1.0, double(true_positive + false_negative));
  double n = static_cast<double>(labels.size());
  std::cout << std::fixed << std::setprecision(3) << "tagging on " << labels.size()
            << " samples: axes precision " << precision << ", recall " << recall
            << "; province accuracy " << province_right / n << "; type accuracy "
            << type_right / n << "; language accuracy " << lang_right / n << "\n"
            << "differences from the labels:\n"
            << misses.str();
  // The floor: what the taxonomy and tagger reached when this test was written. A
  // change that lowers it must say why.
  EXPECT_GE(precision, 0.75);
  EXPECT_GE(recall, 0.80);
  EXPECT_GE(province_right / n, 0.90);
  EXPECT_GE(type_right / n, 0.90);
  EXPECT_GE(lang_right / n, 0.95);
}

}  // namespace
}  // namespace correlare
