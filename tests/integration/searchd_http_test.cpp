// correlare-searchd as clients meet it: the real daemon, started on a free loopback
// port over an index of corpus-samples/ built by the real correlare-indexer, spoken to
// over real HTTP (and raw sockets, for what no polite client would send).
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/content_id.h"
#include "searchd_support.h"
#include "test_support.h"

namespace correlare {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::CorpusPath;
using testing::kSearchd;
using testing::kTaxonomy;
using testing::ReadFile;
using testing::TempDir;

const std::string kIndexer = std::string(CORRELARE_BIN_DIR) + "/correlare-indexer";
const fs::path kSample = CorpusPath("dispense/permesso-di-soggiorno-procedure-questura.pdf");

// A correlare-searchd child process logging to `logs`/out and err, stopped (SIGTERM)
// when the object dies.
class Daemon : public testing::SearchdProcess {
 public:
  Daemon(const std::vector<std::string>& flags, const fs::path& logs)
      : SearchdProcess(flags, logs / "out", logs / "err") {}
  // Runs the daemon on `data` with the test taxonomy on a free port.
  Daemon(const fs::path& data, const fs::path& logs)
      : Daemon(testing::SearchdFlags(data), logs) {}
};

std::vector<std::string> SampleFolders() {
  std::vector<std::string> folders;
  for (const auto& entry : fs::directory_iterator(CORRELARE_CORPUS_DIR)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && name != "src" && name != "hostile") {
      folders.push_back(entry.path().string());
    }
  }
  return folders;
}

// One index and one daemon for the whole binary: indexing is the slow part.
class SearchdEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    dir_ = std::make_unique<TempDir>();
    data_ = dir_->path() / "var";
    std::vector<std::string> args = {kIndexer,     "--data",  data_.string(),
                                     "--taxonomy", kTaxonomy, "index"};
    for (const auto& folder : SampleFolders()) args.push_back(folder);
    auto run = testing::RunProgram(args);
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
    daemon_ = std::make_unique<Daemon>(data_, dir_->path());
    ASSERT_NE(daemon_->port(), 0) << daemon_->err();
  }
  void TearDown() override {
    if (daemon_) {
      EXPECT_EQ(daemon_->Stop(), 0) << daemon_->err();
    }
    daemon_.reset();
    dir_.reset();
  }

  static uint16_t port() { return daemon_ ? daemon_->port() : 0; }
  static const fs::path& data() { return data_; }
  static std::string log() { return daemon_ ? daemon_->out() : ""; }

 private:
  static std::unique_ptr<TempDir> dir_;
  static fs::path data_;
  static std::unique_ptr<Daemon> daemon_;
};

std::unique_ptr<TempDir> SearchdEnvironment::dir_;
fs::path SearchdEnvironment::data_;
std::unique_ptr<Daemon> SearchdEnvironment::daemon_;
const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new SearchdEnvironment);

// ---- HTTP --------------------------------------------------------------------------

using testing::Headers;
using testing::Json;
using testing::Reply;
using testing::Request;

Reply Get(const std::string& uri, const Headers& headers = {}) {
  return Request(SearchdEnvironment::port(), "GET", uri, headers);
}

std::string Str(const rapidjson::Value& object, const char* key) {
  return object.IsObject() && object.HasMember(key) && object[key].IsString()
             ? object[key].GetString()
             : "<missing " + std::string(key) + ">";
}

uint64_t Num(const rapidjson::Value& object, const char* key) {
  return object.IsObject() && object.HasMember(key) && object[key].IsUint64()
             ? object[key].GetUint64()
             : UINT64_MAX;
}

// The body must be the SPEC's error: {"error": {"code": "…", "message": "…"}}.
void ExpectError(const Reply& reply, int status, const std::string& code,
                 const std::string& context) {
  EXPECT_EQ(reply.status, status) << context << ": " << reply.body;
  EXPECT_EQ(reply.Header("Content-Type"), "application/json; charset=utf-8") << context;
  auto doc = Json(reply);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("error")) << context << ": " << reply.body;
  EXPECT_EQ(doc.MemberCount(), 1u) << context;
  EXPECT_EQ(Str(doc["error"], "code"), code) << context;
  EXPECT_FALSE(Str(doc["error"], "message").empty()) << context;
}

void ExpectSecurityHeaders(const Reply& reply, const std::string& context) {
  EXPECT_EQ(reply.Header("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "font-src 'self' data:; connect-src 'self'; worker-src 'self'; object-src 'none'; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
      << context;
  EXPECT_EQ(reply.Header("X-Content-Type-Options"), "nosniff") << context;
  EXPECT_EQ(reply.Header("Referrer-Policy"), "no-referrer") << context;
}

// Sends `bytes` as they are on a new connection and returns all that comes back until
// the daemon closes it.
std::string RawExchange(const std::string& bytes) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", SearchdEnvironment::port()));
  socket.setReceiveTimeout(Poco::Timespan(20, 0));
  size_t sent = 0;
  try {
    while (sent < bytes.size()) {
      int n = socket.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
  } catch (const Poco::Exception&) {
    // The daemon may answer and close before taking everything.
  }
  std::string answer;
  char buffer[8192];
  try {
    for (;;) {
      int n = socket.receiveBytes(buffer, sizeof(buffer));
      if (n <= 0) break;
      answer.append(buffer, static_cast<size_t>(n));
    }
  } catch (const Poco::Exception&) {
  }
  return answer;
}

// The status and body of a raw answer.
Reply ParseRaw(const std::string& answer) {
  Reply reply;
  if (answer.rfind("HTTP/1.1 ", 0) == 0) reply.status = std::stoi(answer.substr(9, 3));
  size_t end = answer.find("\r\n\r\n");
  if (end == std::string::npos) return reply;
  std::istringstream lines(answer.substr(0, end));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      reply.headers.add(line.substr(0, colon), line.substr(colon + 2));
    }
  }
  reply.body = answer.substr(end + 4);
  return reply;
}

std::string SampleId() { return ContentId(ReadFile(kSample)); }

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string UrlEncode(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// GET /api/search with `q` (encoded here) and further raw parameters; the answer must be
// a 200 with JSON.
rapidjson::Document Search(const std::string& q, const std::string& more = "") {
  std::string uri = "/api/search?per_page=100";
  if (!q.empty()) uri += "&q=" + UrlEncode(q);
  if (!more.empty()) uri += "&" + more;
  Reply reply = Get(uri);
  EXPECT_EQ(reply.status, 200) << uri << ": " << reply.body.substr(0, 300);
  return Json(reply);
}

// The count a facet of a search answer gives `value`, 0 when it is not listed.
uint64_t FacetCount(const rapidjson::Document& doc, const char* facet, const std::string& value) {
  if (!doc.HasMember("facets") || !doc["facets"].HasMember(facet)) return 0;
  for (const auto& count : doc["facets"][facet].GetArray()) {
    if (Str(count, "value") == value) return Num(count, "count");
  }
  return 0;
}

uint64_t FacetSum(const rapidjson::Document& doc, const char* facet) {
  uint64_t sum = 0;
  if (!doc.HasMember("facets") || !doc["facets"].HasMember(facet)) return sum;
  for (const auto& count : doc["facets"][facet].GetArray()) sum += Num(count, "count");
  return sum;
}

// Whether a result carries `value` in `field`, a string or an array of strings.
bool Carries(const rapidjson::Value& item, const char* field, const std::string& value) {
  if (!item.HasMember(field)) return false;
  if (item[field].IsString()) return item[field].GetString() == value;
  if (!item[field].IsArray()) return false;
  for (const auto& one : item[field].GetArray()) {
    if (one.IsString() && one.GetString() == value) return true;
  }
  return false;
}

// Runs correlare-searchd with `args` to its end, killing it after 30 s (a daemon that
// should have refused to start but serves instead must not hang the test).
testing::ProgramRun RunSearchd(const std::vector<std::string>& args) {
  TempDir dir;
  std::vector<std::string> all = {kSearchd};
  all.insert(all.end(), args.begin(), args.end());
  testing::ProgramRun run;
  pid_t pid = testing::StartProgram(all, dir.path() / "out", dir.path() / "err");
  if (pid < 0) return run;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      status = -1;
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  run.exit_code = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  run.out = ReadFile(dir.path() / "out");
  run.err = ReadFile(dir.path() / "err");
  return run;
}

// ---- Tests -------------------------------------------------------------------------

TEST(SearchdHttp, HealthCountsTheIndexedDocuments) {
  Reply reply = Get("/healthz");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("Content-Type"), "application/json; charset=utf-8");
  auto doc = Json(reply);
  EXPECT_EQ(Str(doc, "status"), "ok");
  EXPECT_GE(Num(doc, "documents"), 46u);
  EXPECT_EQ(doc.MemberCount(), 2u);
}

TEST(SearchdHttp, SearchAnswersTheSpecShape) {
  Reply reply = Get("/api/search?q=permesso+di+soggiorno&per_page=5");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto doc = Json(reply);
  EXPECT_EQ(Str(doc, "query"), "permesso di soggiorno");
  EXPECT_TRUE(doc["corrected"].IsNull() || doc["corrected"].IsObject());
  EXPECT_GT(Num(doc, "total"), 3u);
  EXPECT_EQ(doc["page"].GetInt(), 1);
  EXPECT_EQ(doc["per_page"].GetInt(), 5);
  EXPECT_TRUE(doc["took_ms"].IsNumber());
  ASSERT_EQ(doc["results"].Size(), 5u);
  for (const auto& item : doc["results"].GetArray()) {
    for (const char* key :
         {"id", "title", "snippet", "type", "lang", "date", "mime", "url", "download"}) {
      EXPECT_TRUE(item.HasMember(key) && item[key].IsString()) << key;
    }
    EXPECT_TRUE(item["axes"].IsArray());
    EXPECT_TRUE(item["provinces"].IsArray());
    EXPECT_TRUE(item["size"].IsUint64());
    EXPECT_TRUE(IsValidContentId(Str(item, "id")));
    EXPECT_EQ(Str(item, "url"), "/documenti/" + Str(item, "id"));
    EXPECT_EQ(Str(item, "download"), "/api/documents/" + Str(item, "id") + "/file");
    if (item.HasMember("hit")) {
      EXPECT_TRUE(item["hit"].HasMember("page") || item["hit"].HasMember("time"));
    }
  }
  EXPECT_NE(Str(doc["results"][0], "snippet").find("<mark>"), std::string::npos);
  for (const char* facet : {"axis", "province", "type", "lang", "year"}) {
    ASSERT_TRUE(doc["facets"].HasMember(facet)) << facet;
    for (const auto& count : doc["facets"][facet].GetArray()) {
      EXPECT_FALSE(Str(count, "value").empty()) << facet;
      EXPECT_FALSE(Str(count, "label").empty()) << facet;
      EXPECT_GT(Num(count, "count"), 0u) << facet;
    }
  }
  EXPECT_GT(doc["facets"]["axis"].Size(), 0u);
}

TEST(SearchdHttp, FiltersPagesAndSorts) {
  auto all = Json(Get("/api/search?per_page=100"));
  uint64_t total = Num(all, "total");
  ASSERT_GT(total, 20u);

  // Repeated values of one facet are OR; a sigla names its province.
  auto both = Json(Get("/api/search?type=normativa&type=dispensa&per_page=100"));
  auto one = Json(Get("/api/search?type=normativa&per_page=100"));
  EXPECT_GT(Num(both, "total"), Num(one, "total"));
  for (const auto& item : one["results"].GetArray()) EXPECT_EQ(Str(item, "type"), "normativa");
  // The facet's own counts ignore its filter, so the other types stay offered.
  EXPECT_GT(one["facets"]["type"].Size(), 1u);
  EXPECT_EQ(Json(Get("/api/search?province=MI")).ObjectEmpty(), false);
  EXPECT_EQ(Get("/api/search?province=MI").status, 200);

  // Paging reaches the last result, and no page repeats another.
  auto first = Json(Get("/api/search?per_page=7&page=1"));
  auto second = Json(Get("/api/search?per_page=7&page=2"));
  ASSERT_EQ(first["results"].Size(), 7u);
  ASSERT_GT(second["results"].Size(), 0u);
  EXPECT_NE(Str(first["results"][0], "id"), Str(second["results"][0], "id"));
  uint64_t last_page = (total + 6) / 7;
  auto last = Json(Get("/api/search?per_page=7&page=" + std::to_string(last_page)));
  EXPECT_EQ(last["results"].Size(), total - (last_page - 1) * 7);
  auto past = Json(Get("/api/search?per_page=7&page=" + std::to_string(last_page + 1)));
  EXPECT_EQ(past["results"].Size(), 0u);

  auto newest = Json(Get("/api/search?sort=date_desc&per_page=100"));
  std::string previous = "9999";
  for (const auto& item : newest["results"].GetArray()) {
    std::string date = Str(item, "date");
    if (date.empty()) continue;
    EXPECT_LE(date.substr(0, 4), previous.substr(0, 4));
    previous = date;
  }
}

TEST(SearchdHttp, EachFacetFiltersToItsValue) {
  auto all = Search("");
  ASSERT_GT(Num(all, "total"), 20u);
  ASSERT_LE(Num(all, "total"), 100u);  // every result fits on one page below
  // axis, province, type, lang: the most frequent value; the filter keeps exactly the
  // documents the unfiltered facet counted, each of them carrying that value.
  const std::pair<const char*, const char*> facets[] = {
      {"axis", "axes"}, {"province", "provinces"}, {"type", "type"}, {"lang", "lang"}};
  for (const auto& [facet, field] : facets) {
    ASSERT_TRUE(all["facets"].HasMember(facet)) << facet;
    ASSERT_GT(all["facets"][facet].Size(), 0u) << facet;
    const std::string value = Str(all["facets"][facet][0], "value");
    const uint64_t counted = Num(all["facets"][facet][0], "count");
    auto filtered = Search("", std::string(facet) + "=" + UrlEncode(value));
    EXPECT_EQ(Num(filtered, "total"), counted) << facet << "=" << value;
    EXPECT_LT(Num(filtered, "total"), Num(all, "total")) << facet << "=" << value;
    ASSERT_EQ(filtered["results"].Size(), Num(filtered, "total")) << facet;
    for (const auto& item : filtered["results"].GetArray()) {
      EXPECT_TRUE(Carries(item, field, value)) << facet << "=" << value << ": " << Str(item, "id");
    }
  }

  // year_from / year_to: only documents dated within, as many as the year facet counts.
  auto range = Search("", "year_from=2012&year_to=2013");
  ASSERT_GT(Num(range, "total"), 0u);
  EXPECT_EQ(Num(range, "total"), FacetCount(all, "year", "2012") + FacetCount(all, "year", "2013"));
  for (const auto& item : range["results"].GetArray()) {
    const std::string date = Str(item, "date");
    ASSERT_GE(date.size(), 4u) << Str(item, "id");
    EXPECT_GE(date.substr(0, 4), "2012") << date;
    EXPECT_LE(date.substr(0, 4), "2013") << date;
  }
  auto from = Search("", "year_from=2012");
  auto to = Search("", "year_to=2013");
  EXPECT_GE(Num(from, "total"), Num(range, "total"));
  EXPECT_GE(Num(to, "total"), Num(range, "total"));
  for (const auto& item : from["results"].GetArray()) {
    EXPECT_GE(Str(item, "date").substr(0, 4), "2012") << Str(item, "id");
  }
  for (const auto& item : to["results"].GetArray()) {
    EXPECT_LE(Str(item, "date").substr(0, 4), "2013") << Str(item, "id");
  }
}

TEST(SearchdHttp, FacetsAndAcrossOrWithin) {
  auto all = Search("");
  auto lodi = Search("", "province=lodi");
  ASSERT_GT(Num(lodi, "total"), 0u);
  // Two facets: AND. The type is one Lodi's documents have, but not all of them.
  ASSERT_GT(lodi["facets"]["type"].Size(), 0u);
  const std::string type = Str(lodi["facets"]["type"][0], "value");
  const uint64_t lodi_of_type = Num(lodi["facets"]["type"][0], "count");
  ASSERT_GT(lodi_of_type, 0u);
  auto crossed = Search("", "province=lodi&type=" + type);
  EXPECT_EQ(Num(crossed, "total"), lodi_of_type) << type;
  EXPECT_LE(Num(crossed, "total"), Num(lodi, "total"));
  EXPECT_LE(Num(crossed, "total"), FacetCount(all, "type", type)) << type;
  for (const auto& item : crossed["results"].GetArray()) {
    EXPECT_TRUE(Carries(item, "provinces", "lodi")) << Str(item, "id");
    EXPECT_EQ(Str(item, "type"), type) << Str(item, "id");
  }

  // Two values of one facet: OR. A document has one type, so the counts add up.
  auto types = Search("", "type=dispensa&type=normativa");
  EXPECT_EQ(Num(types, "total"),
            FacetCount(all, "type", "dispensa") + FacetCount(all, "type", "normativa"));
  for (const auto& item : types["results"].GetArray()) {
    EXPECT_TRUE(Str(item, "type") == "dispensa" || Str(item, "type") == "normativa")
        << Str(item, "type");
  }
  // A document may name several provinces: at least either, at most both (sigla too).
  auto provinces = Search("", "province=lodi&province=MI");
  const uint64_t milano = FacetCount(all, "province", "milano");
  ASSERT_GT(milano, 0u);
  EXPECT_GE(Num(provinces, "total"), std::max(Num(lodi, "total"), milano));
  EXPECT_LE(Num(provinces, "total"), Num(lodi, "total") + milano);
  for (const auto& item : provinces["results"].GetArray()) {
    EXPECT_TRUE(Carries(item, "provinces", "lodi") || Carries(item, "provinces", "milano"))
        << Str(item, "id");
  }
}

TEST(SearchdHttp, FacetCountsAreDisjunctive) {
  auto all = Search("");
  const uint64_t lodi = FacetCount(all, "province", "lodi");
  const uint64_t milano = FacetCount(all, "province", "milano");
  ASSERT_GT(lodi, 0u);
  ASSERT_GT(milano, 0u);
  auto filtered = Search("", "province=lodi");
  EXPECT_EQ(Num(filtered, "total"), lodi);
  // The province facet ignores its own filter: milano keeps its unfiltered count...
  EXPECT_EQ(FacetCount(filtered, "province", "milano"), milano);
  EXPECT_EQ(FacetCount(filtered, "province", "lodi"), lodi);
  // ...while the others honour it: one type per document, summing to the total.
  EXPECT_EQ(FacetSum(filtered, "type"), Num(filtered, "total"));
  EXPECT_LT(FacetSum(filtered, "type"), FacetSum(all, "type"));
}

TEST(SearchdHttp, QueryLanguage) {
  // A phrase is stricter than its words.
  const uint64_t words = Num(Search("centro impiego"), "total");
  const uint64_t phrase = Num(Search("\"centro per l'impiego\""), "total");
  EXPECT_GT(phrase, 0u);
  EXPECT_LE(phrase, words);

  // -exclusion removes documents.
  const uint64_t permesso = Num(Search("permesso"), "total");
  const uint64_t without = Num(Search("permesso -questura"), "total");
  EXPECT_LT(without, permesso);
  EXPECT_GT(without, 0u);

  // prefix*
  auto prefix = Search("ricongiung*");
  EXPECT_GT(Num(prefix, "total"), 1u);
  bool titled = false;
  for (const auto& item : prefix["results"].GetArray()) {
    std::string title = Str(item, "title");
    std::transform(title.begin(), title.end(), title.begin(), ::tolower);
    titled = titled || title.find("ricongiungimento") != std::string::npos;
  }
  EXPECT_TRUE(titled);

  // Accents are optional.
  const uint64_t accented = Num(Search("idoneità alloggiativa"), "total");
  EXPECT_GT(accented, 0u);
  EXPECT_EQ(accented, Num(Search("idoneita alloggiativa"), "total"));

  // A curated synonym widens the query.
  EXPECT_GT(Num(Search("pds"), "total"), 0u);

  // Every spelling of one norm finds the same documents.
  const uint64_t norm = Num(Search("norma:\"D.Lgs. 286/1998\""), "total");
  EXPECT_GT(norm, 3u);
  EXPECT_EQ(norm, Num(Search("norma:\"d.lgs. n. 286/98\""), "total"));
}

TEST(SearchdHttp, MisspelledQueryIsCorrectedAndApplied) {
  auto doc = Search("permesso di sogiorno");
  EXPECT_EQ(Str(doc, "query"), "permesso di sogiorno");
  ASSERT_TRUE(doc.HasMember("corrected") && doc["corrected"].IsObject());
  EXPECT_EQ(doc["corrected"].MemberCount(), 2u);
  EXPECT_EQ(Str(doc["corrected"], "query"), "permesso di soggiorno");
  ASSERT_TRUE(doc["corrected"].HasMember("applied") && doc["corrected"]["applied"].IsBool());
  EXPECT_TRUE(doc["corrected"]["applied"].GetBool());
  EXPECT_GT(Num(doc, "total"), 0u);
  EXPECT_GT(doc["results"].Size(), 0u);
  auto right = Search("permesso di soggiorno");
  ASSERT_TRUE(right.HasMember("corrected"));
  EXPECT_TRUE(right["corrected"].IsNull());
}

TEST(SearchdHttp, HitsNameThePageAndTheCueTime) {
  auto paged = Search("\"attesa media per un rinnovo\"");
  ASSERT_GT(paged["results"].Size(), 0u);
  const auto& page_hit = paged["results"][0];
  ASSERT_TRUE(page_hit.HasMember("hit") && page_hit["hit"].IsObject()) << Str(page_hit, "id");
  EXPECT_EQ(page_hit["hit"].MemberCount(), 1u);
  ASSERT_TRUE(page_hit["hit"].HasMember("page") && page_hit["hit"]["page"].IsInt());
  EXPECT_EQ(page_hit["hit"]["page"].GetInt(), 3);

  auto timed = Search("\"regola d'oro dello sportello\"");
  ASSERT_GT(timed["results"].Size(), 0u);
  const auto& time_hit = timed["results"][0];
  ASSERT_TRUE(time_hit.HasMember("hit") && time_hit["hit"].IsObject()) << Str(time_hit, "id");
  EXPECT_EQ(time_hit["hit"].MemberCount(), 1u);
  EXPECT_EQ(Str(time_hit["hit"], "time"), "00:12:57");
}

TEST(SearchdHttp, BadParametersAre400sNamingThem) {
  const std::pair<std::string, std::string> cases[] = {
      {"/api/search?axis=sport", "sport"},
      {"/api/search?province=torino", "torino"},
      {"/api/search?type=romanzo", "romanzo"},
      {"/api/search?lang=xx1", "xx1"},
      {"/api/search?year_from=duemila", "year_from"},
      {"/api/search?year_from=2015&year_to=2010", "year_from"},
      {"/api/search?sort=title", "sort"},
      {"/api/search?page=0", "page"},
      {"/api/search?per_page=101", "per_page"},
      {"/api/search?q=" + std::string(501, 'a'), "500"},
      {"/api/search?q=caf%E8", "UTF-8"},
      {"/api/search?q=%zz", "escape"},
      {"/api/search?q=a&q=b", "more than once"},
      {"/api/suggest?q=%FF", "UTF-8"},
  };
  for (const auto& [uri, named] : cases) {
    Reply reply = Get(uri);
    ExpectError(reply, 400, "bad_request", uri.substr(0, 80));
    EXPECT_NE(reply.body.find(named), std::string::npos) << uri.substr(0, 80) << reply.body;
  }
  std::string many = "/api/search?q=x";
  for (int i = 0; i < 70; ++i) many += "&axis=lavoro";
  ExpectError(Get(many), 400, "bad_request", "70 parameters");
  // Unknown parameters are ignored.
  EXPECT_EQ(Get("/api/search?q=lavoro&utm_source=mail").status, 200);
}

TEST(SearchdHttp, UnknownPathsAndIdsAre404s) {
  const std::string id = SampleId();
  for (const std::string& uri :
       {std::string("/nope"), std::string("/api"), std::string("/api/search/"),
        std::string("/api/documents/0123"), std::string("/api/documents/../../etc/passwd"),
        std::string("/api/documents/..%2F..%2Fetc%2Fpasswd/file"),
        std::string("/api/documents/") + "0123456789abcdef0123456789abcdef",
        std::string("/api/documents/") + "0123456789ABCDEF0123456789ABCDEF/file",
        std::string("/api/documents/") + "0123456789abcdef0123456789abcdef/text",
        "/api/documents/" + id + "/nope", std::string("/documenti/nope")}) {
    ExpectError(Get(uri), 404, "not_found", uri);
  }
}

TEST(SearchdHttp, OnlyGetAndHeadAreAllowed) {
  for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    Reply reply = Request(SearchdEnvironment::port(), method, "/api/search?q=lavoro");
    ExpectError(reply, 405, "method_not_allowed", method);
    EXPECT_EQ(reply.Header("Allow"), "GET, HEAD") << method;
  }
  Reply head = Request(SearchdEnvironment::port(), "HEAD", "/api/search?q=lavoro");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_GT(std::stoul(head.Header("Content-Length")), 100u);
}

TEST(SearchdHttp, LargeRequestsAre413And414) {
  // A body is never wanted; one over 1 MiB is refused.
  std::string body(2 << 20, 'x');
  ExpectError(Request(SearchdEnvironment::port(), "GET", "/healthz", {}, body), 413,
              "payload_too_large", "2 MiB body");
  Reply announced = ParseRaw(
      RawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\nabc"));
  ExpectError(announced, 413, "payload_too_large", "announced 50 MB");
  std::string chunked = "GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 40; ++i) chunked += "8000\r\n" + std::string(0x8000, 'y') + "\r\n";
  chunked += "0\r\n\r\n";
  ExpectError(ParseRaw(RawExchange(chunked)), 413, "payload_too_large", "chunked 1.25 MiB");
  // A small body is read and ignored.
  EXPECT_EQ(Request(SearchdEnvironment::port(), "GET", "/healthz", {}, "{}").status, 200);

  ExpectError(Get("/api/search?q=" + std::string(9000, 'a')), 414, "uri_too_long", "9 KB");
  ExpectError(Get("/api/search?q=" + std::string(20000, 'a')), 414, "uri_too_long", "20 KB");
  ExpectError(ParseRaw(RawExchange("GET /api/search?q=" + std::string(100000, 'a') +
                                   " HTTP/1.1\r\nHost: x\r\n\r\n")),
              414, "uri_too_long", "100 KB raw");
}

TEST(SearchdHttp, EveryResponseCarriesTheSecurityHeaders) {
  const std::string id = SampleId();
  for (const std::string& uri :
       {std::string("/"), std::string("/healthz"), std::string("/metrics"),
        std::string("/api/search?q=lavoro"), std::string("/api/taxonomy"),
        std::string("/api/stats"), std::string("/api/suggest?q=perm"), "/documenti/" + id,
        "/api/documents/" + id, "/api/documents/" + id + "/file", "/api/documents/" + id + "/text",
        std::string("/nope"), std::string("/api/search?page=0"),
        "/api/search?q=" + std::string(9000, 'a')}) {
    ExpectSecurityHeaders(Get(uri), uri.substr(0, 60));
  }
  ExpectSecurityHeaders(Request(SearchdEnvironment::port(), "POST", "/api/search"), "POST");
  ExpectSecurityHeaders(Get("/api/documents/" + id + "/file", {{"Range", "bytes=99999999-"}}),
                        "416");
  ExpectSecurityHeaders(ParseRaw(RawExchange("NOT-HTTP\r\n\r\n")), "malformed");
}

TEST(SearchdHttp, DownloadsTheOriginalBytesWithItsNameAndType) {
  const std::string original = ReadFile(kSample);
  const std::string id = SampleId();
  Reply reply = Get("/api/documents/" + id + "/file");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_TRUE(reply.body == original) << "the bytes differ from " << kSample;
  EXPECT_EQ(reply.Header("Content-Type"), "application/pdf");
  EXPECT_EQ(reply.Header("Content-Length"), std::to_string(original.size()));
  EXPECT_EQ(reply.Header("Content-Disposition"),
            "attachment; filename=\"permesso-di-soggiorno-procedure-questura.pdf\"; "
            "filename*=UTF-8''permesso-di-soggiorno-procedure-questura.pdf");
  EXPECT_EQ(reply.Header("Accept-Ranges"), "bytes");
  EXPECT_EQ(reply.Header("ETag"), "\"" + id + "\"");

  Reply head = Request(SearchdEnvironment::port(), "HEAD", "/api/documents/" + id + "/file");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("Content-Length"), std::to_string(original.size()));
}

TEST(SearchdHttp, ServesByteRanges) {
  const std::string original = ReadFile(kSample);
  const std::string size = std::to_string(original.size());
  const std::string uri = "/api/documents/" + SampleId() + "/file";

  Reply start = Get(uri, {{"Range", "bytes=0-9"}});
  EXPECT_EQ(start.status, 206);
  EXPECT_EQ(start.body, original.substr(0, 10));
  EXPECT_EQ(start.Header("Content-Range"), "bytes 0-9/" + size);
  EXPECT_EQ(start.Header("Content-Length"), "10");

  Reply middle = Get(uri, {{"Range", "bytes=100-"}});
  EXPECT_EQ(middle.status, 206);
  EXPECT_EQ(middle.body, original.substr(100));

  Reply tail = Get(uri, {{"Range", "bytes=-7"}});
  EXPECT_EQ(tail.status, 206);
  EXPECT_EQ(tail.body, original.substr(original.size() - 7));
  EXPECT_EQ(tail.Header("Content-Range"), "bytes " + std::to_string(original.size() - 7) + "-" +
                                              std::to_string(original.size() - 1) + "/" + size);

  Reply past = Get(uri, {{"Range", "bytes=" + size + "-"}});
  ExpectError(past, 416, "range_not_satisfiable", "past the end");
  EXPECT_EQ(past.Header("Content-Range"), "bytes */" + size);

  // Several ranges, a stale If-Range, nonsense: the whole file.
  EXPECT_EQ(Get(uri, {{"Range", "bytes=0-1,5-6"}}).body, original);
  EXPECT_EQ(Get(uri, {{"Range", "bytes=0-9"}, {"If-Range", "\"other\""}}).status, 200);
  EXPECT_EQ(Get(uri, {{"Range", "lines=1-2"}}).status, 200);
  Reply matching = Get(uri, {{"Range", "bytes=0-9"}, {"If-Range", "\"" + SampleId() + "\""}});
  EXPECT_EQ(matching.status, 206);
}

TEST(SearchdHttp, ServesTheExtractedText) {
  Reply reply = Get("/api/documents/" + SampleId() + "/text");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.Header("Content-Type"), "text/plain; charset=utf-8");
  EXPECT_NE(reply.body.find("soggiorno"), std::string::npos);
}

TEST(SearchdHttp, DocumentShowsMetadataTagsWithWhyAndRelated) {
  const std::string id = SampleId();
  Reply reply = Get("/api/documents/" + id);
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto doc = Json(reply);
  EXPECT_EQ(Str(doc, "id"), id);
  EXPECT_FALSE(Str(doc, "title").empty());
  EXPECT_EQ(Str(doc, "mime"), "application/pdf");
  EXPECT_EQ(Str(doc["type"], "value"), "dispensa");
  EXPECT_FALSE(Str(doc["type"], "label").empty());
  EXPECT_FALSE(Str(doc["type"], "source").empty());
  ASSERT_TRUE(doc["axes"].IsArray());
  ASSERT_GT(doc["axes"].Size(), 0u);
  EXPECT_TRUE(doc["axes"][0]["evidence"].IsArray());
  EXPECT_TRUE(doc["axes"][0]["score"].IsNumber());
  EXPECT_TRUE(doc["provinces"].IsArray());
  EXPECT_TRUE(doc["norms"].IsArray());
  EXPECT_TRUE(doc["related"].IsArray());
  EXPECT_TRUE(doc["other_provinces"].IsArray());
  EXPECT_EQ(Str(doc, "download"), "/api/documents/" + id + "/file");
  EXPECT_EQ(Str(doc, "text"), "/api/documents/" + id + "/text");
  // No server path leaks through the sources.
  EXPECT_EQ(reply.body.find(CORRELARE_CORPUS_DIR), std::string::npos);
}

TEST(SearchdHttp, SuggestsCompletions) {
  Reply reply = Get("/api/suggest?q=perm");
  ASSERT_EQ(reply.status, 200) << reply.body;
  auto doc = Json(reply);
  ASSERT_TRUE(doc["suggestions"].IsArray());
  EXPECT_EQ(Get("/api/suggest").status, 200);
}

TEST(SearchdHttp, TaxonomyListsIdentifiersWithLabels) {
  auto doc = Json(Get("/api/taxonomy"));
  ASSERT_EQ(doc["axes"].Size(), 6u);
  EXPECT_EQ(Str(doc["axes"][1], "id"), "lavoro");
  EXPECT_EQ(Str(doc["axes"][1], "label"), "Lavoro");
  EXPECT_TRUE(doc["axes"][1]["children"].IsArray());
  ASSERT_EQ(doc["provinces"].Size(), 13u);
  EXPECT_EQ(Str(doc["provinces"][8], "id"), "monza-brianza");
  EXPECT_EQ(Str(doc["provinces"][8], "sigla"), "MB");
  EXPECT_EQ(doc["types"].Size(), 7u);
  EXPECT_GT(doc["languages"].Size(), 5u);
}

TEST(SearchdHttp, StatsCountSearchesZeroResultsAndDownloads) {
  auto before = Json(Get("/api/stats"));
  ASSERT_NE(Num(before, "searches"), UINT64_MAX);
  EXPECT_GE(Num(before, "documents"), 46u);
  EXPECT_GT(before["by_axis"].Size(), 0u);
  EXPECT_GT(before["by_province"].Size(), 0u);
  EXPECT_GT(before["by_type"].Size(), 0u);

  const std::string nothing = "xqzwv" + std::to_string(getpid());
  ASSERT_EQ(Num(Json(Get("/api/search?q=" + nothing)), "total"), 0u);
  ASSERT_EQ(Get("/api/search?q=lavoro").status, 200);
  ASSERT_EQ(Get("/api/search?q=lavoro&page=2").status, 200);  // paging: not a new search
  ASSERT_EQ(Get("/api/documents/" + SampleId() + "/file").status, 200);
  ASSERT_EQ(Get("/api/documents/" + SampleId() + "/file", {{"Range", "bytes=10-20"}}).status,
            206);  // a later part: the same download

  auto after = Json(Get("/api/stats"));
  EXPECT_EQ(Num(after, "searches"), Num(before, "searches") + 2);
  EXPECT_EQ(Num(after, "zero_result_searches"), Num(before, "zero_result_searches") + 1);
  EXPECT_EQ(Num(after, "downloads"), Num(before, "downloads") + 1);
  ASSERT_GT(after["zero_result_queries"].Size(), 0u);
  EXPECT_EQ(Str(after["zero_result_queries"][0], "query"), nothing);
  EXPECT_FALSE(Str(after, "counting_since").empty());
}

TEST(SearchdHttp, MetricsInPrometheusText) {
  ASSERT_EQ(Get("/healthz").status, 200);
  ASSERT_EQ(Get("/nope").status, 404);
  // A request is counted once its last byte is sent, a moment after the client has it.
  Reply reply;
  for (int attempt = 0; attempt < 100; ++attempt) {
    reply = Get("/metrics");
    if (reply.body.find("route=\"unmatched\",status=\"404\"") != std::string::npos) break;
    std::this_thread::sleep_for(50ms);
  }
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.Header("Content-Type").rfind("text/plain", 0), 0u);
  const std::string& text = reply.body;
  EXPECT_NE(text.find("# TYPE correlare_http_requests_total counter"), std::string::npos);
  EXPECT_NE(text.find("correlare_http_requests_total{route=\"healthz\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(text.find("correlare_http_requests_total{route=\"unmatched\",status=\"404\"}"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE correlare_http_request_duration_seconds histogram"),
            std::string::npos);
  EXPECT_NE(text.find("correlare_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_NE(text.find("correlare_http_request_duration_seconds_count"), std::string::npos);
  uint64_t documents = Num(Json(Get("/healthz")), "documents");
  EXPECT_NE(text.find("correlare_index_documents " + std::to_string(documents) + "\n"),
            std::string::npos);
}

TEST(SearchdHttp, ServesTheWebPagesWithoutInlineScriptOrStyle) {
  Reply home = Get("/");
  ASSERT_EQ(home.status, 200);
  EXPECT_EQ(home.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(home.Header("Cache-Control"), "no-cache");
  EXPECT_NE(home.body.find("lang=\"it\""), std::string::npos);
  EXPECT_NE(home.body.find("<script type=\"module\" src=\"/static/app/search.mjs\"></script>"),
            std::string::npos);
  Reply page = Get("/documenti/" + SampleId());
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("src=\"/static/app/document.mjs\""), std::string::npos);
  for (const Reply* reply : {&home, &page}) {
    // The Content-Security-Policy allows no inline script, style or event handler.
    for (size_t at = reply->body.find("<script"); at != std::string::npos;
         at = reply->body.find("<script", at + 1)) {
      EXPECT_EQ(reply->body.compare(at, 13, "<script type="), 0) << reply->body.substr(at, 40);
      EXPECT_NE(reply->body.substr(at, 80).find(" src=\""), std::string::npos);
    }
    EXPECT_EQ(reply->body.find("style="), std::string::npos);
    EXPECT_EQ(reply->body.find(" onclick="), std::string::npos);
    EXPECT_EQ(reply->body.find(" onload="), std::string::npos);
  }
  ExpectError(Get("/documenti/0123456789abcdef0123456789abcdef"), 404, "not_found", "page");

  Reply module = Get("/static/app/search.mjs");
  ASSERT_EQ(module.status, 200);
  EXPECT_EQ(module.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(Get("/static/vendor/bootstrap-italia/css/bootstrap-italia.min.css").status, 200);
  EXPECT_EQ(Get("/static/vendor/bootstrap-italia/svg/sprites.svg").Header("Content-Type"),
            "image/svg+xml");
  EXPECT_EQ(Get("/static/vendor/pdfjs/pdf.worker.min.mjs").status, 200);
  const std::string etag = module.Header("ETag");
  ASSERT_FALSE(etag.empty());
  Reply again = Get("/static/app/search.mjs", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Get("/", {{"If-None-Match", etag}}).status, 200);
  for (const char* path :
       {"/static/../index.html", "/static/app/../../index.html", "/static/%2e%2e/index.html",
        "/static/app/nope.mjs", "/static/app", "/static/", "/index.html", "/documento.html"}) {
    ExpectError(Get(path), 404, "not_found", path);
  }
}

TEST(SearchdHttp, AccessLogHasOneLinePerRequestWithoutTheQuery) {
  auto searches = [](const std::string& log) {
    size_t count = 0;
    for (size_t at = log.find("GET /api/search 200 "); at != std::string::npos;
         at = log.find("GET /api/search 200 ", at + 1)) {
      ++count;
    }
    return count;
  };
  size_t before = searches(SearchdEnvironment::log());
  ASSERT_EQ(Get("/api/search?q=segretissimo").status, 200);
  // The line is written once the last byte is sent, a moment after the client has it.
  std::string log;
  for (int attempt = 0; attempt < 100; ++attempt) {
    log = SearchdEnvironment::log();
    if (searches(log) > before) break;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(searches(log), before + 1);
  EXPECT_EQ(log.find("segretissimo"), std::string::npos);
}

TEST(SearchdHttp, KeepsConnectionsAlive) {
  Poco::Net::HTTPClientSession session("127.0.0.1", SearchdEnvironment::port());
  session.setTimeout(Poco::Timespan(10, 0));
  session.setKeepAlive(true);
  for (int i = 0; i < 3; ++i) {
    Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    EXPECT_EQ(response.getStatus(), 200);
    EXPECT_TRUE(response.getKeepAlive());
  }
  // Two pipelined requests on one connection, two answers.
  std::string answer = RawExchange(
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /api/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  size_t first = answer.find("HTTP/1.1 200");
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(answer.find("HTTP/1.1 200", first + 1), std::string::npos);
}

TEST(SearchdHttp, HostileRequestsGetJsonErrorsAndTheDaemonKeepsAnswering) {
  std::string flood = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  for (int i = 0; i < 500; ++i) flood += "X-Flood-" + std::to_string(i) + ": v\r\n";
  ExpectError(ParseRaw(RawExchange(flood + "\r\n")), 400, "bad_request", "header flood");
  ExpectError(ParseRaw(RawExchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                   std::string(100000, 'v') + "\r\n\r\n")),
              400, "bad_request", "huge header");
  ExpectError(
      ParseRaw(RawExchange("GET /healthz HTTP/1.1\r\n" + std::string(300, 'N') + ": v\r\n\r\n")),
      400, "bad_request", "huge header name");
  ExpectError(ParseRaw(RawExchange(std::string(100, 'G') + " / HTTP/1.1\r\n\r\n")), 400,
              "bad_request", "huge method");
  ExpectError(ParseRaw(RawExchange("GET /healthz HTTP/9.9.9.9\r\n\r\n")), 400, "bad_request",
              "bad version");
  const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n";  // TLS, in part
  EXPECT_NE(ParseRaw(RawExchange(std::string(hello, sizeof(hello) - 1))).status, 200);
  for (const std::string& cut :
       {std::string("GET /api/sea"), std::string(),
        std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")}) {
    // The client goes away mid-request.
    Poco::Net::StreamSocket socket(
        Poco::Net::SocketAddress("127.0.0.1", SearchdEnvironment::port()));
    if (!cut.empty()) socket.sendBytes(cut.data(), static_cast<int>(cut.size()));
    socket.close();
  }

  // Queries people type by mistake are searches, not errors.
  for (const char* q : {"%22permesso+di", "permesso%22%22%22", "-", "*", "titolo%3A", "norma%3A%22",
                        "((((", "AND+OR+NOT", "%E6%BC%A2%E5%AD%97"}) {
    EXPECT_EQ(Get(std::string("/api/search?q=") + q).status, 200) << q;
  }
  ExpectError(Get("/api/search?q=%C0%80"), 400, "bad_request", "overlong NUL");
  ExpectError(Get("/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd/file"), 404, "not_found",
              "encoded ../");
  ExpectError(Get("/api/documents/" + SampleId() + "%00/file"), 404, "not_found", "NUL in id");

  Reply health = Get("/healthz");
  EXPECT_EQ(health.status, 200);
}

TEST(SearchdHttp, ManyClientsAtOnce) {
  std::atomic<int> failures{0};
  std::vector<std::thread> clients;
  const std::string id = SampleId();
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      const std::string uris[] = {"/api/search?q=lavoro&axis=lavoro", "/healthz",
                                  "/api/documents/" + id, "/api/suggest?q=sog",
                                  "/api/search?q=scuola&sort=date_asc&page=2&per_page=3"};
      for (int i = 0; i < 20; ++i) {
        try {
          if (Get(uris[(t + i) % 5]).status != 200) ++failures;
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(SearchdHttp, UsageCountsSurviveARestart) {
  TempDir copy;
  fs::copy(SearchdEnvironment::data(), copy.path() / "var", fs::copy_options::recursive);
  fs::remove(copy.path() / "var" / "searchd-stats.json");
  const std::string nothing = "qqzzrestart";
  {
    Daemon daemon(copy.path() / "var", copy.path());
    ASSERT_NE(daemon.port(), 0) << daemon.err();
    ASSERT_EQ(Request(daemon.port(), "GET", "/api/search?q=" + nothing).status, 200);
    ASSERT_EQ(Request(daemon.port(), "GET", "/api/documents/" + SampleId() + "/file").status, 200);
    EXPECT_EQ(daemon.Stop(), 0) << daemon.err();
  }
  ASSERT_TRUE(fs::exists(copy.path() / "var" / "searchd-stats.json"));
  fs::create_directories(copy.path() / "again");
  Daemon again(copy.path() / "var", copy.path() / "again");
  ASSERT_NE(again.port(), 0) << again.err();
  auto stats = Json(Request(again.port(), "GET", "/api/stats"));
  EXPECT_EQ(Num(stats, "searches"), 1u);
  EXPECT_EQ(Num(stats, "zero_result_searches"), 1u);
  EXPECT_EQ(Num(stats, "downloads"), 1u);
  ASSERT_EQ(stats["zero_result_queries"].Size(), 1u);
  EXPECT_EQ(Str(stats["zero_result_queries"][0], "query"), nothing);
  EXPECT_EQ(again.Stop(), 0);
}

TEST(SearchdHttp, ReadsItsSettingsFromAnIniFile) {
  TempDir dir;
  std::ofstream(dir.path() / "correlare.ini")
      << "data = " << SearchdEnvironment::data().string() << "\ntaxonomy = " << kTaxonomy
      << "\nlisten = 127.0.0.1:0\nmax_threads = 4\n";
  Daemon daemon({"--config", (dir.path() / "correlare.ini").string()}, dir.path());
  ASSERT_NE(daemon.port(), 0) << daemon.err();
  EXPECT_EQ(Request(daemon.port(), "GET", "/healthz").status, 200);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SearchdHttp, BadUsageExitsWithOneLine) {
  auto help = RunSearchd({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--listen"), std::string::npos);
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string says;
  };
  const std::string data = SearchdEnvironment::data().string();
  const Case cases[] = {
      {{"--bogus"}, 2, "--bogus"},
      {{"serve"}, 2, "serve"},
      {{"--listen", "localhost"}, 2, "listen"},
      {{"--listen", "127.0.0.1:99999"}, 2, "listen"},
      {{"--max_threads", "0", "--data", data}, 2, "max_threads"},
      {{"--request_timeout_s", "soon"}, 2, "request_timeout_s"},
      {{"--config", "/nonexistent/correlare.ini"}, 2, "correlare.ini"},
      {{"--data", "/nonexistent/var", "--taxonomy", kTaxonomy, "--listen", "127.0.0.1:0"},
       1,
       "/nonexistent/var"},
      {{"--data", data, "--taxonomy", kTaxonomy, "--listen",
        "127.0.0.1:" + std::to_string(SearchdEnvironment::port())},
       1,
       "cannot listen"},
  };
  for (const auto& c : cases) {
    auto run = RunSearchd(c.args);
    EXPECT_EQ(run.exit_code, c.exit_code) << c.args[0] << ": " << run.err;
    EXPECT_NE(run.err.find(c.says), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_EQ(run.out, "");
  }
}

// Runs last: it adds documents to the index every other test reads.
TEST(SearchdHttp, AnswersWhileTheIndexerCommits) {
  const uint64_t before = Num(Json(Get("/healthz")), "documents");
  TempDir docs;
  std::atomic<bool> indexing{true};
  std::atomic<int> requests{0};
  std::atomic<int> failures{0};
  std::mutex first_failure_mutex;
  std::string first_failure;
  auto fail = [&](const std::string& what) {
    ++failures;
    std::lock_guard<std::mutex> lock(first_failure_mutex);
    if (first_failure.empty()) first_failure = what;
  };
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      const std::string uris[] = {
          "/api/search?q=permesso+di+soggiorno", "/api/search?q=lavoro&province=lodi",
          "/api/search?q=%22centro+per+l%27impiego%22", "/api/search?q=verbale+cantiere*",
          "/api/search?q=permesso+di+sogiorno&sort=date_desc"};
      for (int i = 0; indexing; ++i) {
        const std::string& uri = uris[(t + i) % 5];
        try {
          Reply reply = Get(uri);
          ++requests;
          rapidjson::Document doc;
          doc.Parse(reply.body.c_str(), reply.body.size());
          if (reply.status != 200) {
            fail(uri + " -> " + std::to_string(reply.status) + " " + reply.body.substr(0, 200));
          } else if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("total")) {
            fail(uri + " -> not the JSON answer (" + std::to_string(reply.body.size()) +
                 " bytes, parse error at " + std::to_string(doc.GetErrorOffset()) +
                 "): ..." + reply.body.substr(reply.body.size() > 200 ? reply.body.size() - 200 : 0));
          }
        } catch (const std::exception& e) {
          fail(uri + " -> " + e.what());
        }
        std::this_thread::sleep_for(10ms);
      }
    });
  }
  // Three small folders, indexed one after another while the clients search.
  std::vector<testing::ProgramRun> runs;
  for (int batch = 0; batch < 3; ++batch) {
    fs::path folder = docs.path() / ("lotto-" + std::to_string(batch));
    fs::create_directories(folder);
    for (int i = 0; i < 4; ++i) {
      std::ofstream(folder / ("verbale-" + std::to_string(i) + ".txt"))
          << "Verbale di cantiere zefiro " << batch << " voce " << i
          << " sul permesso di soggiorno per lavoro e sul centro per l'impiego della "
             "Provincia di Lodi.\n";
    }
    runs.push_back(testing::RunProgram({kIndexer, "--data", SearchdEnvironment::data().string(),
                                        "--taxonomy", kTaxonomy, "index", folder.string()}));
  }
  indexing = false;
  for (auto& client : clients) client.join();
  for (const auto& run : runs) EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(failures.load(), 0) << "first failure: " << first_failure;
  EXPECT_GT(requests.load(), 8);

  // The daemon, never restarted, sees the last commit.
  auto last = Search("\"verbale di cantiere zefiro 2 voce 3\"");
  EXPECT_EQ(Num(last, "total"), 1u);
  EXPECT_EQ(Num(Json(Get("/healthz")), "documents"), before + 12);
}

}  // namespace
}  // namespace correlare
