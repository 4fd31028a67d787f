// The ingestor's small-file lane: with large_file_bytes set, large files never take
// every extraction thread, so small files behind them are indexed first.
#include "indexer/ingestor.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "taxonomy/taxonomy.h"
#include "test_support.h"

namespace correlare::indexer {
namespace {

namespace fs = std::filesystem;
using correlare::testing::TempDir;

// A serving worker made of the real one-shot worker: it answers each framed request
// with the real extraction, after a 3 s pause for files named grande*.
std::string SlowForLargeFilesWorker(const TempDir& dir) {
  fs::path script = dir.path() / "worker.sh";
  std::ofstream(script) << "#!/bin/bash\nexport LC_ALL=C  # ${#json} counts bytes\n"
                           "while read -r n m; do\n"
                           "  path=$(head -c \"$n\"); head -c \"$m\" >/dev/null\n"
                           "  case \"$(basename \"$path\")\" in grande*) sleep 3 ;; esac\n"
                           "  json=$('" CORRELARE_WORKER_PATH "' -- \"$path\")\n"
                           "  printf '%s\\n%s' \"${#json}\" \"$json\"\n"
                           "done\n";
  chmod(script.c_str(), 0755);
  return script.string();
}

std::vector<std::string> OrderOfCompletion(bool lane) {
  TempDir dir;
  auto taxonomy = taxonomy::Taxonomy::Load(std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json");
  EXPECT_TRUE(taxonomy.ok());
  auto repository = Repository::Open((dir.path() / "data").string(), taxonomy.value());
  EXPECT_TRUE(repository.ok()) << repository.status().ToString();
  IngestOptions options;
  options.worker.worker_path = SlowForLargeFilesWorker(dir);
  options.extract_threads = 2;
  options.large_file_bytes = lane ? 1 << 20 : 0;
  std::mutex mutex;
  std::vector<std::string> done;
  {
    Ingestor ingestor(*repository.value(), options);
    for (std::string name : {"grande-1.txt", "grande-2.txt", "piccolo-1.txt", "piccolo-2.txt"}) {
      fs::path file = dir.path() / name;
      std::ofstream(file) << "Avviso " << name << " dello sportello stranieri di Lodi.\n";
      IngestJob job;
      job.path = file.string();
      job.source = {"inbox:lodi/" + name, name, "lodi", "", ""};
      // Large as far as the ingestor knows: the lane goes by the size it is told.
      job.size = name.rfind("grande", 0) == 0 ? 2u << 20 : 100;
      job.on_done = [&, name](const IngestResult& result) {
        EXPECT_TRUE(result.status.ok()) << name << ": " << result.status.ToString();
        std::lock_guard lock(mutex);
        done.push_back(name);
      };
      ingestor.Submit(std::move(job));
    }
    ingestor.Drain();
  }
  return done;
}

TEST(Ingestor, SmallFilesOvertakeLargeOnesInTheirLane) {
  std::vector<std::string> done = OrderOfCompletion(/*lane=*/true);
  ASSERT_EQ(done.size(), 4u);
  EXPECT_EQ(done[0].rfind("piccolo", 0), 0u) << done[0];
  EXPECT_EQ(done[1].rfind("piccolo", 0), 0u) << done[1];
}

TEST(Ingestor, WithoutTheLaneLargeFilesTakeEveryThread) {
  // The counter-test: both threads take a large file first, so no small one can even
  // start before a large one is done. (Which ends second depends on how late the second
  // thread's worker started: a small file taken by the first thread may overtake it.)
  std::vector<std::string> done = OrderOfCompletion(/*lane=*/false);
  ASSERT_EQ(done.size(), 4u);
  EXPECT_EQ(done[0].rfind("grande", 0), 0u) << done[0];
}

}  // namespace
}  // namespace correlare::indexer
