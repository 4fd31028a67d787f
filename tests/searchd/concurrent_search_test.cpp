// Searching while the indexer commits: readers see each commit without a restart and
// no error reaches them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
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

TEST(ConcurrentSearch, ReadersKeepAnsweringWhileTheIndexerCommits) {
  TempDir dir;
  std::string data = (dir.path() / "var").string();
  auto docs = dir.path() / "docs";
  std::filesystem::create_directories(docs);
  std::filesystem::copy(CorpusPath("dispense"), docs / "dispense");
  ASSERT_EQ(std::system(Indexer(data, "index '" + docs.string() + "'").c_str()), 0);
  auto opened = SearchService::Open(data, std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::shared_ptr<SearchService> service = std::move(opened).value();
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

}  // namespace
}  // namespace correlare::searchd
