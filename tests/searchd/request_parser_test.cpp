#include "searchd/src/request_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace correlare::searchd {
namespace {

std::vector<QueryParam> Params(const std::string& query) {
  auto params = ParseQueryString(query);
  EXPECT_TRUE(params.ok()) << query << ": " << params.status().ToString();
  return params.ok() ? params.value() : std::vector<QueryParam>{};
}

Result<SearchRequest> Parse(const std::string& query) { return ParseSearchRequest(Params(query)); }

TEST(ParseQueryString, DecodesNamesAndValues) {
  auto params = Params("q=permesso+di%20soggiorno&axis=lavoro&caf%C3%A8=s%C3%AC&flag&&x=");
  ASSERT_EQ(params.size(), 5u);
  EXPECT_EQ(params[0].name, "q");
  EXPECT_EQ(params[0].value, "permesso di soggiorno");
  EXPECT_EQ(params[1].value, "lavoro");
  EXPECT_EQ(params[2].name, "caf\xC3\xA8");
  EXPECT_EQ(params[2].value, "s\xC3\xAC");
  EXPECT_EQ(params[3].name, "flag");
  EXPECT_EQ(params[3].value, "");
  EXPECT_EQ(params[4].name, "x");
  EXPECT_EQ(params[4].value, "");
  EXPECT_TRUE(Params("").empty());
  EXPECT_EQ(Params("a=%3D%26").front().value, "=&");
}

TEST(ParseQueryString, RefusesMalformedEscapes) {
  for (const char* query : {"q=%", "q=%4", "q=%zz", "q=%4g", "%=1", "q=abc%"}) {
    auto params = ParseQueryString(query);
    ASSERT_FALSE(params.ok()) << query;
    EXPECT_EQ(params.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(params.status().message().find("escape"), std::string::npos);
  }
}

TEST(ParseQueryString, AllowsAtMost64Parameters) {
  std::string query;
  for (int i = 0; i < 64; ++i) query += "p" + std::to_string(i) + "=1&";
  EXPECT_TRUE(ParseQueryString(query).ok());
  auto refused = ParseQueryString(query + "one=more");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("64"), std::string::npos);
}

TEST(ParseSearchRequest, DefaultsWhenEmpty) {
  auto request = Parse("");
  ASSERT_TRUE(request.ok());
  EXPECT_EQ(request.value().q, "");
  EXPECT_EQ(request.value().page, 1);
  EXPECT_EQ(request.value().per_page, 10);
  EXPECT_EQ(request.value().sort, SortOrder::kRelevance);
  EXPECT_FALSE(request.value().year_from.has_value());
  EXPECT_TRUE(request.value().axes.empty());
}

TEST(ParseSearchRequest, ReadsEveryParameter) {
  auto request = Parse(
      "q=norma%3A%22D.Lgs.+286%2F1998%22&axis=lavoro&axis=servizi&province=MI&province=lodi"
      "&type=normativa&lang=it&lang=EN&year_from=2010&year_to=2014&sort=date_desc&page=3"
      "&per_page=25&utm_source=newsletter");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  const SearchRequest& r = request.value();
  EXPECT_EQ(r.q, "norma:\"D.Lgs. 286/1998\"");
  EXPECT_EQ(r.axes, (std::vector<std::string>{"lavoro", "servizi"}));
  EXPECT_EQ(r.provinces, (std::vector<std::string>{"milano", "lodi"}));
  EXPECT_EQ(r.types, (std::vector<std::string>{"normativa"}));
  EXPECT_EQ(r.langs, (std::vector<std::string>{"it", "en"}));
  EXPECT_EQ(r.year_from, 2010);
  EXPECT_EQ(r.year_to, 2014);
  EXPECT_EQ(r.sort, SortOrder::kDateDesc);
  EXPECT_EQ(r.page, 3);
  EXPECT_EQ(r.per_page, 25);
}

TEST(ParseSearchRequest, FacetValuesAreCaseInsensitiveDeduplicatedAndMayBeEmpty) {
  auto request = Parse("axis=Lavoro&axis=lavoro&axis=&province=mb&province=Monza-Brianza&type=");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request.value().axes, (std::vector<std::string>{"lavoro"}));
  EXPECT_EQ(request.value().provinces, (std::vector<std::string>{"monza-brianza"}));
  EXPECT_TRUE(request.value().types.empty());
}

TEST(ParseSearchRequest, EmptyScalarsCountAsAbsent) {
  auto request = Parse("q=&page=&per_page=&sort=&year_from=&year_to=");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request.value().page, 1);
  EXPECT_EQ(request.value().per_page, 10);
  EXPECT_FALSE(request.value().year_from.has_value());
}

TEST(ParseSearchRequest, AcceptsTheLimits) {
  std::string q(500, 'a');
  auto request =
      Parse("q=" + q + "&page=1000000&per_page=100&year_from=0&year_to=9999&sort=date_asc");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request.value().q.size(), 500u);
  EXPECT_EQ(request.value().per_page, 100);
  EXPECT_EQ(request.value().sort, SortOrder::kDateAsc);
  EXPECT_TRUE(Parse("per_page=1&sort=relevance").ok());
}

struct BadCase {
  std::string query;
  std::string named;  // what the message must mention
};

TEST(ParseSearchRequest, RefusesNonsenseWithAMessageNamingIt) {
  const std::vector<BadCase> cases = {
      {"axis=sport", "unknown axis 'sport'"},
      {"axis=lavoro&axis=cucina", "unknown axis 'cucina'"},
      {"province=torino", "unknown province 'torino'"},
      {"province=TO", "unknown province 'TO'"},
      {"type=romanzo", "unknown type 'romanzo'"},
      {"lang=italiano", "unknown language 'italiano'"},
      {"lang=i", "unknown language 'i'"},
      {"lang=1t", "unknown language '1t'"},
      {"year_from=duemila", "year_from must be a whole number"},
      {"year_to=2012.5", "year_to must be a whole number"},
      {"year_from=-1", "year_from must be a whole number"},
      {"year_to=10000", "year_to must be between 0 and 9999"},
      {"year_from=2015&year_to=2010", "year_from is after year_to"},
      {"page=0", "page must be between 1 and 1000000"},
      {"page=1000001", "page must be between 1 and 1000000"},
      {"page=99999999999999999999", "page must be between"},
      {"page=+2", "page must be a whole number"},
      {"page= 2", "page must be a whole number"},
      {"per_page=0", "per_page must be between 1 and 100"},
      {"per_page=101", "per_page must be between 1 and 100"},
      {"sort=title", "sort must be relevance, date_desc or date_asc"},
      {"q=a&q=b", "'q' is given more than once"},
      {"page=1&page=2", "'page' is given more than once"},
      {"q=" + std::string(501, 'a'), "q is longer than 500 bytes"},
      {"q=caf%E8", "q is not valid UTF-8"},
      {"q=%C0%AF", "q is not valid UTF-8"},        // overlong '/'
      {"q=%ED%A0%80", "q is not valid UTF-8"},     // a surrogate
      {"q=%F4%90%80%80", "q is not valid UTF-8"},  // past U+10FFFF
  };
  for (const auto& c : cases) {
    auto request = Parse(c.query);
    ASSERT_FALSE(request.ok()) << c.query;
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument) << c.query;
    EXPECT_NE(request.status().message().find(c.named), std::string::npos)
        << c.query << " -> " << request.status().message();
  }
}

TEST(ParseSearchRequest, QuotesLongBadValuesShortly) {
  auto request = Parse("axis=" + std::string(1000, 'x'));
  ASSERT_FALSE(request.ok());
  EXPECT_LT(request.status().message().size(), 120u);
}

TEST(ParseSearchRequest, KeepsValidUtf8AndUnbalancedQuotes) {
  auto request = Parse("q=%22citt%C3%A0+-Milano+perm*+%E6%BC%A2%E5%AD%97");
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_EQ(request.value().q, "\"citt\xC3\xA0 -Milano perm* \xE6\xBC\xA2\xE5\xAD\x97");
}

TEST(ParseSuggestPrefix, ReadsQ) {
  auto prefix = ParseSuggestPrefix(Params("q=perm&axis=x"));
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(prefix.value(), "perm");
  EXPECT_EQ(ParseSuggestPrefix(Params("")).value(), "");
  EXPECT_FALSE(ParseSuggestPrefix(Params("q=%FF")).ok());
  EXPECT_FALSE(ParseSuggestPrefix(Params("q=a&q=b")).ok());
  EXPECT_FALSE(ParseSuggestPrefix(Params("q=" + std::string(501, 'x'))).ok());
}

}  // namespace
}  // namespace correlare::searchd
