// correlare-indexer extract, run as a user would: the real program, the real worker,
// files of the sample corpus.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace correlare {
namespace {

using testing::CorpusPath;
using testing::TempDir;

struct ProgramRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

ProgramRun Indexer(const std::string& args) {
  TempDir dir;
  auto err_file = dir.path() / "stderr";
  std::string command = Quote(std::string(CORRELARE_BIN_DIR) + "/correlare-indexer") + " " +
                        args + " 2>" + Quote(err_file.string());
  ProgramRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) run.out.append(buffer, n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::stringstream err;
  err << in.rdbuf();
  run.err = err.str();
  return run;
}

int Lines(const std::string& s) {
  int lines = 0;
  for (char c : s) lines += c == '\n';
  return lines;
}

TEST(ExtractCli, HelpListsTheVerb) {
  ProgramRun run = Indexer("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("extract FILE"), std::string::npos);
  EXPECT_NE(run.out.find("--data"), std::string::npos);
}

TEST(ExtractCli, BadUsageIsOneLineOnStderr) {
  for (const char* args : {"", "--no-such-flag extract x", "frobnicate", "extract",
                           "extract a b", "extract x --extract_timeout never"}) {
    ProgramRun run = Indexer(args);
    EXPECT_EQ(run.exit_code, 2) << args;
    EXPECT_EQ(Lines(run.err), 1) << args << ": " << run.err;
    EXPECT_EQ(run.err.rfind("correlare-indexer: ", 0), 0u) << run.err;
  }
}

TEST(ExtractCli, PrintsJsonWithTextAndCueTimes) {
  std::string file = CorpusPath("trascrizioni/lezione-modulo-3-lavoro-stranieri.srt").string();
  // Flags before and after the verb are the same.
  for (const std::string& args : {"extract " + Quote(file) + " --extract_timeout 30",
                                  "--extract_timeout 30 extract " + Quote(file)}) {
    ProgramRun run = Indexer(args);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    rapidjson::Document json;
    json.Parse(run.out.c_str());
    ASSERT_FALSE(json.HasParseError()) << run.out.substr(0, 200);
    EXPECT_STREQ(json["mime"].GetString(), "application/x-subrip");
    EXPECT_STREQ(json["language"].GetString(), "it");
    EXPECT_GT(json["text"].GetStringLength(), 500u);
    ASSERT_TRUE(json["positions"]["cues"].IsArray());
    ASSERT_GT(json["positions"]["cues"].Size(), 5u);
    EXPECT_STREQ(json["positions"]["cues"][0]["start"].GetString(), "00:00:03.200");
    EXPECT_TRUE(json["errors"].Empty());
  }
}

TEST(ExtractCli, AFailedFileExitsOneWithTheReason) {
  ProgramRun run = Indexer("extract " + Quote(CorpusPath("hostile/encrypted.pdf").string()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(Lines(run.err), 1) << run.err;
  EXPECT_NE(run.err.find("password"), std::string::npos) << run.err;
  rapidjson::Document json;
  json.Parse(run.out.c_str());
  ASSERT_FALSE(json.HasParseError());
  EXPECT_STREQ(json["errors"][0]["code"].GetString(), "encrypted");
}

TEST(ExtractCli, ReadsLimitsFromTheConfigFile) {
  TempDir dir;
  auto ini = dir.path() / "correlare.ini";
  std::ofstream(ini) << "[extraction]\nmax_file_mb = 1\n";
  auto big = dir.path() / "grande.txt";
  std::ofstream(big) << std::string(2 << 20, 'x');
  ProgramRun run = Indexer("--config " + Quote(ini.string()) + " extract " + Quote(big.string()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("over the limit"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace correlare
