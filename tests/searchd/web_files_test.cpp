#include "searchd/src/web_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace correlare::searchd {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// A web root with a page, a module, a hidden file and a secret beside the root.
class WebFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.path() / "web";
    Write(root_ / "index.html", "<!DOCTYPE html>");
    Write(root_ / "static/app/search.mjs", "export {};");
    Write(root_ / "static/.hidden.css", "x");
    Write(root_ / "static/notes.exe", "x");
    Write(dir_.path() / "secret.txt", "secret");
    fs::create_directories(root_ / "static/folder.css");
  }
  Result<WebFile> Resolve(std::string_view relative) {
    return ResolveWebFile(root_.string(), relative);
  }

  testing::TempDir dir_;
  fs::path root_;
};

TEST_F(WebFilesTest, ServesFilesUnderTheRootWithTheirType) {
  auto page = Resolve("index.html");
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page.value().content_type, "text/html; charset=utf-8");
  EXPECT_EQ(page.value().size, 15u);
  EXPECT_EQ(page.value().path, fs::canonical(root_ / "index.html").string());
  auto module = Resolve("static/app/search.mjs");
  ASSERT_TRUE(module.ok());
  EXPECT_EQ(module.value().content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(module.value().etag.front(), '"');
  EXPECT_EQ(module.value().etag.back(), '"');
  EXPECT_NE(module.value().etag, page.value().etag);
}

TEST_F(WebFilesTest, RefusesUnsafeNames) {
  for (const char* name :
       {"", "/index.html", "../secret.txt", "static/../../secret.txt", "static/../index.html",
        "./index.html", "static//app/search.mjs", "static/app/", "static/.hidden.css",
        "static/app/search.mjs%00.css", "static\\app\\search.mjs", "static/%2e%2e/index.html",
        "index.html?x=1", "static/notes.exe", "static/folder.css", "missing.html",
        "static/app/search.mjs/"}) {
    EXPECT_FALSE(Resolve(name).ok()) << name;
    EXPECT_EQ(Resolve(name).status().code(), StatusCode::kNotFound) << name;
  }
}

TEST_F(WebFilesTest, RefusesSymlinksThatLeaveTheRoot) {
  fs::create_symlink(dir_.path() / "secret.txt", root_ / "static/leak.txt");
  fs::create_directory_symlink(dir_.path(), root_ / "static/up");
  EXPECT_FALSE(Resolve("static/leak.txt").ok());
  EXPECT_FALSE(Resolve("static/up/secret.txt").ok());
  // A symlink that stays inside the root is a file of the root.
  fs::create_symlink(root_ / "index.html", root_ / "static/home.html");
  EXPECT_TRUE(Resolve("static/home.html").ok());
}

TEST(WebFiles, MissingRootServesNothing) {
  EXPECT_FALSE(ResolveWebFile("/nonexistent/correlare-web", "index.html").ok());
}

TEST(WebContentType, KnowsTheTypesOfTheWebRoot) {
  const std::pair<const char*, const char*> cases[] = {
      {"a.html", "text/html; charset=utf-8"},
      {"a.mjs", "text/javascript; charset=utf-8"},
      {"a.js", "text/javascript; charset=utf-8"},
      {"a.css", "text/css; charset=utf-8"},
      {"sprites.svg", "image/svg+xml"},
      {"titillium.woff2", "font/woff2"},
      {"a.woff", "font/woff"},
      {"a.wasm", "application/wasm"},
      {"a.json", "application/json; charset=utf-8"},
      {"a.exe", ""},
      {"html", ""},
      {".mjs", ""},
      {"a.mjs.map", ""},
  };
  for (const auto& [name, type] : cases) EXPECT_EQ(WebContentType(name), type) << name;
}

}  // namespace
}  // namespace correlare::searchd
