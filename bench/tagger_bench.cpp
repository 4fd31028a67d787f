// tagger_bench: how long tagging takes per page of text. Tags 3,000-byte pages cut from
// the sources of the sample handouts with the repository's taxonomy, five rounds, and
// prints the best round's time per page (the least disturbed by other work).
//   build/bin/tagger_bench [taxonomy.json] [folder of .md texts]
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "taxonomy/tagger.h"

int main(int argc, char** argv) {
  std::string taxonomy_file = argc > 1 ? argv[1] : "taxonomy/taxonomy.json";
  std::string texts = argc > 2 ? argv[2] : "corpus-samples/src/a";
  auto taxonomy = correlare::taxonomy::Taxonomy::Load(taxonomy_file);
  if (!taxonomy.ok()) {
    std::cerr << "tagger_bench: " << taxonomy.status().ToString() << "\n";
    return 1;
  }
  correlare::taxonomy::Tagger tagger(taxonomy.value());
  std::string all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(texts)) {
    if (entry.path().extension() != ".md") continue;
    std::ifstream in(entry.path());
    std::stringstream bytes;
    bytes << in.rdbuf();
    all += bytes.str();
  }
  constexpr size_t kPage = 3000;
  std::vector<std::string> pages;
  for (size_t i = 0; i + kPage <= all.size(); i += kPage) pages.push_back(all.substr(i, kPage));
  if (pages.empty()) {
    std::cerr << "tagger_bench: no .md text under " << texts << "\n";
    return 1;
  }
  double best = 1e18;
  for (int round = 0; round < 5; ++round) {
    auto start = std::chrono::steady_clock::now();
    for (const auto& page : pages) {
      correlare::taxonomy::TagInput input;
      input.title = "Dispensa";
      input.text = page;
      tagger.Tag(input);
    }
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
    best = std::min(best, us / static_cast<double>(pages.size()));
  }
  std::cout << pages.size() << " pages of " << kPage << " bytes: " << best
            << " us per page (best of 5 rounds)\n";
  return 0;
}
