#include "common/command_line.h"

#include <gtest/gtest.h>

#include <vector>

namespace correlare {
namespace {

Result<CommandLine> Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "program");
  return ParseCommandLine(static_cast<int>(args.size()), args.data(), CommonFlags());
}

TEST(CommandLine, FlagsBeforeAndAfterVerbAreTheSame) {
  auto before = Parse({"--data", "D", "index", "P"});
  auto after = Parse({"index", "P", "--data", "D"});
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(before.value().positionals, after.value().positionals);
  EXPECT_EQ(before.value().flags, after.value().flags);
  EXPECT_EQ(after.value().Get("data"), "D");
  EXPECT_EQ(after.value().positionals, (std::vector<std::string>{"index", "P"}));
}

TEST(CommandLine, AcceptsInlineValuesAndSwitches) {
  auto cmd = Parse({"--taxonomy=t.json", "--help", "list"});
  ASSERT_TRUE(cmd.ok());
  EXPECT_EQ(cmd.value().Get("taxonomy"), "t.json");
  EXPECT_TRUE(cmd.value().Has("help"));
  EXPECT_FALSE(cmd.value().Has("data"));
  EXPECT_EQ(cmd.value().Get("data", "var"), "var");
}

TEST(CommandLine, DoubleDashEndsFlags) {
  auto cmd = Parse({"extract", "--", "--strange-name.pdf"});
  ASSERT_TRUE(cmd.ok());
  EXPECT_EQ(cmd.value().positionals.back(), "--strange-name.pdf");
}

TEST(CommandLine, RejectsUnknownFlagNamingIt) {
  auto cmd = Parse({"--dta", "D"});
  ASSERT_FALSE(cmd.ok());
  EXPECT_EQ(cmd.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(cmd.status().message().find("--dta"), std::string::npos);
}

TEST(CommandLine, RejectsMissingValueAndSingleDash) {
  auto missing = Parse({"index", "--data"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("needs a value"), std::string::npos);
  EXPECT_FALSE(Parse({"-d", "x"}).ok());
  EXPECT_FALSE(Parse({"--help=yes"}).ok());
}

TEST(CommandLine, HelpTextListsEveryFlag) {
  std::string help = FormatFlagHelp(CommonFlags());
  for (const auto& flag : CommonFlags()) {
    EXPECT_NE(help.find("--" + flag.name), std::string::npos) << flag.name;
  }
}

}  // namespace
}  // namespace correlare
