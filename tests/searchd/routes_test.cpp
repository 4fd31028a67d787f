#include "searchd/src/routes.h"

#include <gtest/gtest.h>

#include "searchd/src/access_log.h"
#include "searchd/src/api_error.h"

namespace correlare::searchd {
namespace {

TEST(MatchRoute, FindsEveryEndpoint) {
  const std::pair<const char*, const char*> cases[] = {
      {"/api/search", "search"},
      {"/api/documents/abc", "document"},
      {"/api/documents/abc/file", "file"},
      {"/api/documents/abc/text", "text"},
      {"/api/suggest", "suggest"},
      {"/api/taxonomy", "taxonomy"},
      {"/api/stats", "stats"},
      {"/healthz", "healthz"},
      {"/metrics", "metrics"},
      {"/", "home"},
      {"/documenti/abc", "document_page"},
      {"/static/app/search.mjs", "static"},
      {"/static/x", "static"},
  };
  for (const auto& [path, name] : cases) {
    auto match = MatchRoute(path);
    ASSERT_TRUE(match) << path;
    EXPECT_EQ(match->route->name, name) << path;
  }
  EXPECT_EQ(MatchRoute("/api/documents/0123/file")->id, "0123");
}

TEST(MatchRoute, NothingElse) {
  for (const char* path :
       {"", "api/search", "/api/search/", "/api/searchx", "/api", "//", "/api/documents",
        "/api/documents/a/b/file", "/api/documents/a/file/x", "/healthz/", "/documenti",
        "/documenti/a/b", "/API/SEARCH", "/static", "/static/", "/static//x"}) {
    EXPECT_FALSE(MatchRoute(path)) << path;
  }
}

TEST(HttpStatusFor, MapsEveryStatusCode) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kLimitExceeded), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kTimeout), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kIoError), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kCorrupt), 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
}

TEST(ErrorFromStatus, HidesInternalsOfA500) {
  ApiError bad = ErrorFromStatus(Status(StatusCode::kInvalidArgument, "unknown axis 'x'"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.code, "bad_request");
  EXPECT_EQ(bad.message, "unknown axis 'x'");
  ApiError missing = ErrorFromStatus(Status(StatusCode::kNotFound, "no document"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.code, "not_found");
  ApiError broken = ErrorFromStatus(Status(StatusCode::kIoError, "cannot read /srv/var/x"));
  EXPECT_EQ(broken.status, 500);
  EXPECT_EQ(broken.code, "internal_error");
  EXPECT_EQ(broken.message.find("/srv"), std::string::npos);
  EXPECT_EQ(ErrorCodeFor(405), "method_not_allowed");
  EXPECT_EQ(ErrorCodeFor(413), "payload_too_large");
  EXPECT_EQ(ErrorCodeFor(414), "uri_too_long");
  EXPECT_EQ(ErrorCodeFor(416), "range_not_satisfiable");
}

TEST(AccessLog, ShowsPathsWithoutQueriesOrControlCharacters) {
  EXPECT_EQ(AccessLog::LoggablePath("/api/search?q=secret"), "/api/search");
  EXPECT_EQ(AccessLog::LoggablePath("/a\nb\x1b"), "/a\\x0ab\\x1b");
  EXPECT_EQ(AccessLog::LoggablePath(""), "-");
  std::string shown = AccessLog::LoggablePath("/" + std::string(1000, 'a'));
  EXPECT_EQ(shown.size(), 203u);
  EXPECT_EQ(shown.substr(200), "...");
}

}  // namespace
}  // namespace correlare::searchd
