// Searching while the indexer commits: readers see each commit without a restart and
// no error reaches them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "searchd/search_service.h"
#include "test_support.h"

namespace correlare::searchd {
namespace {

using correlare::testing::CorpusPath;
using correlare::testing::TempDir;

std::string Indexer(const std::string& data, const std::string& args) {
  return std::string(CORRELARE_BIN_DIR) + "/correlare-indexer --data '" + data + "' --taxonomy '" +
         CORRELARE_SOURCE_DIR + "/taxonomy/taxonomy.json' " + args + " > /dev/null";
}

// A temporary folder with corpus-samples/dispense indexed, and a service over it.
class ConcurrentSearch : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = (dir_.path() / "var").string();
    docs_ = dir_.path() / "docs";
    std::filesystem::create_directories(docs_);
    std::filesystem::copy(CorpusPath("dispense"), docs_ / "dispense");
    ASSERT_EQ(std::system(Indexer(data_, "index '" + docs_.string() + "'").c_str()), 0);
    auto opened = SearchService::Open(data_, std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    service_ = std::move(opened).value();
  }

  TempDir dir_;
  std::string data_;
  std::filesystem::path docs_;
  std::shared_ptr<SearchService> service_;
};

TEST_F(ConcurrentSearch, ReadersKeepAnsweringWhileTheIndexerCommits) {
  const std::string& data = data_;
  const auto& docs = docs_;
  const auto& service = service_;
  uint64_t before = service->DocumentCount();

  std::atomic<bool> writing{true};
  std::atomic<int> errors{0};
  std::atomic<int> searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      const char* queries[] = {"permesso di soggiorno", "lavoro", "\"centro per l'impiego\"", "minori*"};
      while (writing || searches < 40) {
        SearchRequest request;
        request.q = queries[(t + searches) % 4];
        auto result = service->Search(request);
        if (!result.ok()) {
          ++errors;
          ADD_FAILURE() << result.status().ToString();
        }
        ++searches;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  // The writer: batches of new documents, each its own commit.
  for (int batch = 0; batch < 3; ++batch) {
    auto folder = docs / ("lotto-" + std::to_string(batch));
    std::filesystem::create_directories(folder);
    for (int i = 0; i < 10; ++i) {
      std::ofstream(folder / ("nota-" + std::to_string(i) + ".txt"))
          << "Nota operativa " << batch << "-" << i
          << " sul permesso di soggiorno per lavoro e sul centro per l'impiego della Provincia di Lodi.\n";
    }
    ASSERT_EQ(std::system(Indexer(data, "index '" + folder.string() + "'").c_str()), 0);
  }
  writing = false;
  for (auto& reader : readers) reader.join();
  EXPECT_EQ(errors, 0);
  EXPECT_GT(searches, 40);
  // New commits are visible without reopening the service.
  EXPECT_EQ(service->DocumentCount(), before + 30);
  SearchRequest request;
  request.q = "\"nota operativa 2 9\"";
  EXPECT_EQ(service->Search(request).value().total, 1u);
}

uint64_t Count(const std::vector<FacetCount>& facet, const std::string& value) {
  for (const auto& f : facet) {
    if (f.value == value) return f.count;
  }
  return 0;
}

// Facets are counted from an in-memory table of one revision of the index: after a
// commit, that table is not used until one of the new revision is built.
TEST_F(ConcurrentSearch, FacetCountsFollowEachCommit) {
  const std::string& data = data_;
  const auto& docs = docs_;
  const auto& service = service_;
  auto italian = [&] {
    auto result = service->Search(SearchRequest{});
    EXPECT_TRUE(result.ok());
    return result.ok() ? Count(result.value().facets.lang, "it") : 0;
  };
  auto wait_for_table = [&](uint64_t built_before) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (service->FacetTablesBuilt() <= built_before && std::chrono::steady_clock::now() < deadline) {
      italian();  // a search asks for the table of what it sees
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return service->FacetTablesBuilt();
  };

  uint64_t before = italian();
  ASSERT_GT(before, 0u);
  uint64_t first = wait_for_table(0);
  ASSERT_GT(first, 0u) << "a table is built";
  EXPECT_EQ(italian(), before) << "the same counts from the table";

  auto folder = docs / "nuove";
  std::filesystem::create_directories(folder);
  for (int i = 0; i < 10; ++i) {
    std::ofstream(folder / ("nota-" + std::to_string(i) + ".txt"))
        << "Nota operativa " << i << " sul permesso di soggiorno: il rinnovo si chiede in questura, "
        << "con la ricevuta delle poste e le fotografie.\n";
  }
  ASSERT_EQ(std::system(Indexer(data, "index '" + folder.string() + "'").c_str()), 0);
  // The table of the old state is there, but this search sees the new one.
  EXPECT_EQ(service->FacetTablesBuilt(), first);
  EXPECT_EQ(italian(), before + 10);
  EXPECT_GT(wait_for_table(first), first) << "a table of the new state is built";
  EXPECT_EQ(italian(), before + 10);
}

}  // namespace
}  // namespace correlare::searchd
