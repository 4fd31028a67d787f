#include "extractors/worker.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>

#include "extractors/registry.h"
#include "test_support.h"

namespace correlare::extractors {
namespace {

using correlare::testing::CorpusPath;
using correlare::testing::TempDir;

WorkerOptions RealWorker() {
  WorkerOptions options;
  options.worker_path = CORRELARE_WORKER_PATH;
  return options;
}

// A stand-in helper program, to check how the parent reacts when its worker misbehaves.
std::string WriteScript(const TempDir& dir, const std::string& name, const std::string& body) {
  auto path = dir.path() / name;
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  chmod(path.c_str(), 0755);
  return path.string();
}

TEST(ExtractInWorker, GivesTheSameResultAsInProcess) {
  std::string file = CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt").string();
  auto in_worker = ExtractInWorker(file, RealWorker());
  auto in_process = ExtractorRegistry::WithDefaults()->ExtractFile(file, Limits{});
  ASSERT_TRUE(in_worker.ok()) << in_worker.status().ToString();
  ASSERT_TRUE(in_process.ok()) << in_process.status().ToString();
  EXPECT_EQ(in_worker.value().text, in_process.value().text);
  EXPECT_EQ(in_worker.value().mime, "application/x-subrip");
  EXPECT_EQ(in_worker.value().cues.size(), in_process.value().cues.size());
  EXPECT_FALSE(in_worker.value().cues.empty());
}

TEST(ExtractInWorker, MissingFileIsNotFound) {
  auto result = ExtractInWorker("/nonexistent/documento.pdf", RealWorker());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
  EXPECT_NE(result.status().message().find("/nonexistent/documento.pdf"), std::string::npos);
}

TEST(ExtractInWorker, ReportsACrashedWorkerWithItsSignal) {
  TempDir dir;
  WorkerOptions options;
  options.worker_path = WriteScript(dir, "crashing-worker", "echo 'boom in pdf' >&2; kill -SEGV $$");
  auto result = ExtractInWorker(CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt").string(),
                                options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
  EXPECT_NE(result.status().message().find("crashed"), std::string::npos);
  EXPECT_NE(result.status().message().find("signal 11"), std::string::npos);
  EXPECT_NE(result.status().message().find("boom in pdf"), std::string::npos);
}

TEST(ExtractInWorker, StopsAHangingWorkerAtTheDeadline) {
  TempDir dir;
  WorkerOptions options;
  options.worker_path = WriteScript(dir, "hanging-worker", "exec sleep 30");
  options.limits.timeout_seconds = 1;
  auto start = std::chrono::steady_clock::now();
  auto result = ExtractInWorker("whatever.pdf", options);
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kTimeout);
  // Not a timing test: only that the 30 s sleep did not run to its end.
  EXPECT_LT(elapsed, std::chrono::seconds(20));
}

TEST(ExtractInWorker, GarbageOutputIsAnInternalError) {
  TempDir dir;
  WorkerOptions options;
  options.worker_path = WriteScript(dir, "chatty-worker", "echo 'not json'");
  auto result = ExtractInWorker("x.txt", options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInternal);
  EXPECT_NE(result.status().message().find("answered badly"), std::string::npos);
}

TEST(ExtractInWorker, MissingWorkerIsAClearError) {
  WorkerOptions options;
  options.worker_path = "/nonexistent/correlare-extract-worker";
  auto result = ExtractInWorker("x.txt", options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("cannot find the extraction helper"),
            std::string::npos);
}

TEST(ExtractInWorker, MemoryLimitStopsAGreedyExtraction) {
#ifdef CORRELARE_SANITIZED
  GTEST_SKIP() << "the address-space limit is off under AddressSanitizer";
#else
  TempDir dir;
  auto big = dir.path() / "grande.txt";
  {
    std::ofstream out(big, std::ios::binary);
    std::string line(1 << 20, 'a');
    for (int i = 0; i < 300; ++i) out << line;
  }
  WorkerOptions options = RealWorker();
  options.limits.memory_bytes = 256ull << 20;  // the file alone needs 300 MB
  auto result = ExtractInWorker(big.string(), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded) << result.status().ToString();
  EXPECT_NE(result.status().message().find("memory"), std::string::npos);
#endif
}

}  // namespace
}  // namespace correlare::extractors
