// Every file of corpus-samples/hostile/ yields a clear error or a bounded result, in
// the real worker process: nothing crashes, hangs, or writes a file.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <set>

#include "extractors/text_utils.h"
#include "extractors/worker.h"
#include "test_support.h"

namespace correlare::extractors {
namespace {

using correlare::testing::CorpusPath;
using correlare::testing::TempDir;

WorkerOptions HostileOptions() {
  WorkerOptions options;
  options.worker_path = CORRELARE_WORKER_PATH;
  options.limits.timeout_seconds = 60;
  return options;
}

// Every string of a result, members included, must be valid UTF-8 and the text bounded.
void ExpectWellFormed(const ExtractedDocument& doc, const Limits& limits, int depth = 0) {
  EXPECT_TRUE(IsValidUtf8(doc.text)) << doc.file_name;
  EXPECT_TRUE(IsValidUtf8(doc.title)) << doc.file_name;
  EXPECT_LE(doc.text.size(), limits.max_text_bytes) << doc.file_name;
  EXPECT_LE(depth, limits.max_depth + 1);
  for (const auto& member : doc.members) {
    EXPECT_EQ(member.member_path.find(".."), std::string::npos) << member.member_path;
    EXPECT_NE(member.member_path.rfind("/", 0), 0u) << member.member_path;
    ExpectWellFormed(member, limits, depth + 1);
  }
}

int CountMembers(const ExtractedDocument& doc) {
  int count = 0;
  for (const auto& member : doc.members) count += 1 + CountMembers(member);
  return count;
}

int MaxDepth(const ExtractedDocument& doc) {
  int deepest = 0;
  for (const auto& member : doc.members) deepest = std::max(deepest, 1 + MaxDepth(member));
  return deepest;
}

bool AnyStatus(const ExtractedDocument& doc, StatusCode code) {
  if (doc.status.code() == code) return true;
  for (const auto& member : doc.members) {
    if (AnyStatus(member, code)) return true;
  }
  return false;
}

bool AnyWarningContains(const ExtractedDocument& doc, const std::string& needle) {
  for (const auto& warning : doc.warnings) {
    if (warning.find(needle) != std::string::npos) return true;
  }
  return false;
}

struct HostileCase {
  std::string file;
  // Codes accepted as a clear failure; empty: the file must extract.
  std::set<StatusCode> failures;
  // Accepted outcomes may also be a bounded result: checked by `check` when given.
  bool may_succeed = false;
  std::function<void(const ExtractedDocument&)> check;
};

std::vector<HostileCase> Cases() {
  return {
      {"corrupt.pdf", {StatusCode::kCorrupt}, true, nullptr},
      {"encrypted.pdf", {StatusCode::kEncrypted}, false, nullptr},
      {"empty.txt", {StatusCode::kCorrupt}, false, nullptr},
      {"random.bin", {StatusCode::kUnsupported}, false, nullptr},
      {"bad-stream.pdf", {StatusCode::kCorrupt}, true, nullptr},
      {"wrong-extension.docx", {}, true,
       [](const ExtractedDocument& doc) {
         EXPECT_EQ(doc.mime, "application/pdf");
         EXPECT_FALSE(doc.text.empty());
       }},
      {"wrong-extension.pdf", {}, true,
       [](const ExtractedDocument& doc) {
         EXPECT_EQ(doc.mime.rfind("text/", 0), 0u) << doc.mime;
         EXPECT_FALSE(doc.text.empty());
       }},
      {"invalid-utf8.txt", {}, true,
       [](const ExtractedDocument& doc) { EXPECT_GT(doc.text.size(), 100u); }},
      {"billion-laughs.docx", {StatusCode::kCorrupt}, true,
       [](const ExtractedDocument& doc) {
         // Entities are never expanded: "lol" cannot multiply into megabytes.
         EXPECT_LT(doc.text.size(), 100000u);
       }},
      {"zip-bomb.zip", {StatusCode::kLimitExceeded}, true,
       [](const ExtractedDocument& doc) {
         EXPECT_TRUE(AnyStatus(doc, StatusCode::kLimitExceeded) ||
                     AnyWarningContains(doc, "limit") || AnyWarningContains(doc, "ratio"))
             << "the expansion must be stopped and said";
       }},
      {"zip-slip.zip", {}, true,
       [](const ExtractedDocument& doc) { EXPECT_GE(doc.members.size(), 2u); }},
      {"nested-10.zip", {}, true,
       [](const ExtractedDocument& doc) {
         EXPECT_LE(MaxDepth(doc), Limits{}.max_depth + 1);
         EXPECT_TRUE(AnyStatus(doc, StatusCode::kLimitExceeded)) << "too deep must be said";
       }},
      {"truncated.zip", {StatusCode::kCorrupt}, true, nullptr},
  };
}

TEST(HostileInput, EachFileFailsClearlyOrStaysBounded) {
  for (const HostileCase& c : Cases()) {
    SCOPED_TRACE(c.file);
    auto path = CorpusPath("hostile/" + c.file);
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    auto result = ExtractInWorker(path.string(), HostileOptions());
    if (result.ok()) {
      EXPECT_TRUE(c.may_succeed) << "expected a failure, got text of "
                                 << result.value().text.size() << " bytes";
      ExpectWellFormed(result.value(), Limits{});
      EXPECT_LE(CountMembers(result.value()), Limits{}.max_members);
      if (c.check) c.check(result.value());
    } else {
      EXPECT_TRUE(c.failures.count(result.status().code()))
          << "unexpected " << result.status().ToString();
      EXPECT_FALSE(result.status().message().empty());
      // A hostile file is the file's fault, never a crash or a hang of ours.
      EXPECT_NE(result.status().code(), StatusCode::kInternal) << result.status().ToString();
      EXPECT_NE(result.status().code(), StatusCode::kTimeout) << result.status().ToString();
    }
  }
}

TEST(HostileInput, EveryHostileSampleHasACase) {
  std::set<std::string> covered;
  for (const auto& c : Cases()) covered.insert(c.file);
  for (const auto& entry : std::filesystem::directory_iterator(CorpusPath("hostile"))) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".py") || name.ends_with(".md")) continue;
    EXPECT_TRUE(covered.count(name)) << "no expectation for hostile/" << name;
  }
}

TEST(HostileInput, FiftyMegabyteSingleLineIsCutNotSwallowed) {
  TempDir dir;
  auto big = dir.path() / "una-riga.txt";
  std::string command = "python3 " + CorpusPath("hostile/make-large-line.py").string() + " " +
                        big.string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  ASSERT_GE(std::filesystem::file_size(big), 50u << 20);

  WorkerOptions options = HostileOptions();
  auto result = ExtractInWorker(big.string(), options);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_TRUE(result.value().text_truncated);
  EXPECT_LE(result.value().text.size(), options.limits.max_text_bytes);
  EXPECT_GT(result.value().text.size(), options.limits.max_text_bytes / 2);
}

TEST(HostileInput, WorkerWritesNoFile) {
  // zip-slip.zip names ../../etc/evil.txt; extraction happens in memory only, and the
  // worker runs with RLIMIT_FSIZE 0. Run it from an empty folder and look.
  TempDir dir;
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto result = ExtractInWorker(CorpusPath("hostile/zip-slip.zip").string(), HostileOptions());
  std::filesystem::current_path(cwd);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  EXPECT_FALSE(std::filesystem::exists("/etc/evil.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir.path().parent_path() / "evil.txt"));
}

}  // namespace
}  // namespace correlare::extractors
