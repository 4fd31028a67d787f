#include "extractors/worker.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "extractors/json_codec.h"
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

// 300 MB of one line: the text alone needs more than a 256 MB address space.
std::filesystem::path WriteGreedyFile(const TempDir& dir) {
  auto big = dir.path() / "grande.txt";
  std::ofstream out(big, std::ios::binary);
  std::string line(1 << 20, 'a');
  for (int i = 0; i < 300; ++i) out << line;
  return big;
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
  auto big = WriteGreedyFile(dir);
  WorkerOptions options = RealWorker();
  options.limits.memory_bytes = 256ull << 20;  // the file alone needs 300 MB
  auto result = ExtractInWorker(big.string(), options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded) << result.status().ToString();
  EXPECT_NE(result.status().message().find("memory"), std::string::npos);
#endif
}


// --- ExtractionWorker: one process for many files.

std::vector<std::string> SampleFiles() {
  return {CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt").string(),
          CorpusPath("hostile/empty.txt").string(),
          CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt").string()};
}

TEST(ExtractionWorker, ServesManyFilesFromOneProcessWithTheOneShotResults) {
  ExtractionWorker worker(RealWorker());
  auto registry = ExtractorRegistry::WithDefaults();
  for (const auto& file : SampleFiles()) {
    auto served = worker.Extract(file);
    auto in_process = registry->ExtractFile(file, Limits{});
    ASSERT_EQ(served.ok(), in_process.ok()) << file << ": " << served.status().ToString();
    if (!served.ok()) {
      EXPECT_EQ(served.status().code(), in_process.status().code());
      continue;
    }
    EXPECT_EQ(served.value().text, in_process.value().text);
    EXPECT_EQ(served.value().mime, in_process.value().mime);
  }
  EXPECT_EQ(worker.processes_started(), 1);
}

TEST(ExtractionWorker, FileNamesWithNewlinesAndSpacesArriveWhole) {
  TempDir dir;
  auto odd = dir.path() / "nome con\nritorno a capo 3 4.txt";
  std::ofstream(odd) << "Sportello per stranieri del comune di Lodi.\n";
  ExtractionWorker worker(RealWorker());
  auto result = worker.Extract(odd.string());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_NE(result.value().text.find("Sportello per stranieri"), std::string::npos);
  auto missing = worker.Extract((dir.path() / "assente.pdf").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(worker.processes_started(), 1);
}

TEST(ExtractionWorker, KeepsBundleMembersInTheFolderOfEachFile) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "a");
  ExtractionWorker worker(RealWorker());
  auto bundle = worker.Extract(CorpusPath("bundle/kit-accoglienza.zip").string(),
                               (dir.path() / "a").string());
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  ASSERT_FALSE(bundle.value().members.empty());
  size_t kept = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "a")) {
    (void)entry;
    ++kept;
  }
  EXPECT_GT(kept, 0u);
}

TEST(ExtractionWorker, ACrashIsReportedAndTheNextFileGetsANewProcess) {
  TempDir dir;
  WorkerOptions options;
  // Reads its request, then dies of SIGSEGV.
  options.worker_path = WriteScript(dir, "crashing-server",
                                    "read header; echo 'boom in pdf' >&2; kill -SEGV $$");
  ExtractionWorker worker(options);
  auto first = worker.Extract("uno.pdf");
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.status().code(), StatusCode::kInternal);
  EXPECT_NE(first.status().message().find("signal 11"), std::string::npos);
  EXPECT_NE(first.status().message().find("boom in pdf"), std::string::npos);
  // A crash in a fresh process is the file's own: no second try.
  EXPECT_EQ(worker.processes_started(), 1);
  auto second = worker.Extract("due.pdf");
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(worker.processes_started(), 2);
}

TEST(ExtractionWorker, AFileThatCrashesAUsedProcessIsTriedInAFreshOne) {
  TempDir dir;
  // A stand-in server that answers its first request with a real document and crashes on
  // its second: the second file must be answered by a new process.
  std::string file = CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt").string();
  auto real = ExtractInWorker(file, RealWorker());
  ASSERT_TRUE(real.ok());
  auto answer = dir.path() / "answer.json";
  std::ofstream(answer, std::ios::binary) << DocumentToJson(real.value(), false);
  WorkerOptions options;
  options.worker_path = WriteScript(
      dir, "tired-server",
      "read n m; head -c $((n + m)) >/dev/null; echo $(wc -c < '" + answer.string() +
          "'); cat '" + answer.string() + "'; read again; kill -SEGV $$");
  ExtractionWorker worker(options);
  auto first = worker.Extract(file);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = worker.Extract(file);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second.value().text, real.value().text);
  EXPECT_EQ(worker.processes_started(), 2);
}

TEST(ExtractionWorker, StopsAHangingProcessAtTheDeadlineAndGoesOn) {
  TempDir dir;
  WorkerOptions options;
  options.worker_path = WriteScript(dir, "hanging-server", "exec sleep 30");
  options.limits.timeout_seconds = 1;
  ExtractionWorker worker(options);
  auto start = std::chrono::steady_clock::now();
  auto result = worker.Extract("whatever.pdf");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(worker.processes_started(), 1);  // a timeout is not tried again
  worker.Extract("altro.pdf");
  EXPECT_EQ(worker.processes_started(), 2);
}

TEST(ExtractionWorker, ReplacesItsProcessAfterManyFiles) {
  TempDir dir;
  auto small = dir.path() / "breve.txt";
  std::ofstream(small) << "Centro per l'impiego di Cremona.\n";
  ExtractionWorker worker(RealWorker());
  for (int i = 0; i < ExtractionWorker::kFilesPerProcess + 1; ++i) {
    auto result = worker.Extract(small.string());
    ASSERT_TRUE(result.ok()) << i << ": " << result.status().ToString();
  }
  EXPECT_EQ(worker.processes_started(), 2);
}

TEST(ExtractionWorker, MemoryLimitHoldsPerProcess) {
#ifdef CORRELARE_SANITIZED
  GTEST_SKIP() << "the address-space limit is off under AddressSanitizer";
#else
  TempDir dir;
  auto big = WriteGreedyFile(dir);
  WorkerOptions options = RealWorker();
  options.limits.memory_bytes = 256ull << 20;
  ExtractionWorker worker(options);
  ASSERT_TRUE(worker.Extract(SampleFiles()[0]).ok());
  auto result = worker.Extract(big.string());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kLimitExceeded) << result.status().ToString();
  // Tried again in a fresh process, which ran out of memory too.
  EXPECT_EQ(worker.processes_started(), 2);
  EXPECT_TRUE(worker.Extract(SampleFiles()[0]).ok());
#endif
}

}  // namespace
}  // namespace correlare::extractors
