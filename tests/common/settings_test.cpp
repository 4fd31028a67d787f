#include "common/settings.h"

#include <gtest/gtest.h>

#include <fstream>
#include <vector>

#include "test_support.h"

namespace correlare {
namespace {

CommandLine Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "program");
  auto cmd = ParseCommandLine(static_cast<int>(args.size()), args.data(), CommonFlags());
  EXPECT_TRUE(cmd.ok()) << cmd.status().ToString();
  return cmd.ok() ? cmd.value() : CommandLine{};
}

TEST(Settings, BuiltInDefaults) {
  testing::TempDir dir;
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());  // no correlare.ini here
  auto settings = Settings::Load(Parse({}));
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings.value().data_dir(), "var");
  EXPECT_EQ(settings.value().taxonomy_file(), "taxonomy/taxonomy.json");
}

TEST(Settings, IniFileThenFlagWins) {
  testing::TempDir dir;
  auto ini = dir.path() / "custom.ini";
  std::ofstream(ini) << "data = /srv/correlare\ntaxonomy = tax.json\n[limits]\nextract_timeout = 7\n";
  auto from_ini = Settings::Load(Parse({"--config", ini.c_str()}));
  ASSERT_TRUE(from_ini.ok()) << from_ini.status().ToString();
  EXPECT_EQ(from_ini.value().data_dir(), "/srv/correlare");
  EXPECT_EQ(from_ini.value().taxonomy_file(), "tax.json");
  EXPECT_EQ(from_ini.value().GetInt("extract_timeout", 60).value(), 7);

  auto flag_wins = Settings::Load(Parse({"--config", ini.c_str(), "--data", "elsewhere"}));
  ASSERT_TRUE(flag_wins.ok());
  EXPECT_EQ(flag_wins.value().data_dir(), "elsewhere");
}

TEST(Settings, ReadsCorrelareIniFromWorkingDirectory) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "correlare.ini") << "data = from-cwd\n";
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  auto settings = Settings::Load(Parse({}));
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(settings.ok());
  EXPECT_EQ(settings.value().data_dir(), "from-cwd");
}

TEST(Settings, MissingConfigFileIsAnError) {
  auto settings = Settings::Load(Parse({"--config", "/nonexistent/correlare.ini"}));
  ASSERT_FALSE(settings.ok());
  EXPECT_NE(settings.status().message().find("/nonexistent/correlare.ini"), std::string::npos);
}

TEST(Settings, NonNumericIntegerNamesTheKey) {
  Settings settings;
  settings.Set("extract_timeout", "soon");
  auto value = settings.GetInt("extract_timeout", 60);
  ASSERT_FALSE(value.ok());
  EXPECT_NE(value.status().message().find("extract_timeout"), std::string::npos);
  EXPECT_EQ(settings.GetInt("absent", 60).value(), 60);
}

}  // namespace
}  // namespace correlare
