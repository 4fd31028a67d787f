// correlare-searchd against clients that mean harm: slow clients that would hold every
// thread (slowloris), and markup smuggled through titles, metadata, file names, text
// and the query, which must never become markup of our origin. The real daemon over an
// index built by the real indexer from files written to carry such payloads.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <set>

#include "common/content_id.h"
#include "reliability_support.h"

namespace correlare::reliability {
namespace {

using testing::TempDir;

constexpr int kThreads = 2;         // the daemon's max_threads
constexpr int kRequestTimeout = 6;  // its request_timeout_s

// Payloads, each a way a province's file could try to run script in an operator's
// browser.
const std::string kTitlePayload = "<script>alert('titolo')</script>";
const std::string kAuthorPayload = "<b onmouseover=alert('autore')>Rossi</b>";
const std::string kTextPayload = "<iframe src=javascript:alert('testo')></iframe>";
const std::string kSidecarTitle = "<svg onload=alert('sidecar')>";
const std::string kSidecarDescription = "<img src=x onerror=alert('descrizione')>";
const std::string kFileName = "<img src=x onerror=alert('nome')>.txt";
const std::string kQueryPayload = "<script>alert('query')</script>";
const std::string kNamedText = "Modulo xssprobe per la mediazione linguistica. " +
                               std::string("<iframe src=javascript:alert('testo')></iframe>") + "\n";

const std::string kHtmlPage =
    "<!DOCTYPE html><html><head><title>" + kTitlePayload +
    " xssprobe</title><meta name=\"author\" content=\"" + kAuthorPayload +
    "\"></head><body><p>Permesso di soggiorno xssprobe &lt;script&gt;alert('entita')"
    "&lt;/script&gt; sportello stranieri.</p><script>alert('corpo')</script></body></html>";

class HostileClients : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const fs::path files = dir_->path() / "files";
    WriteFile(files / "pagina.html", kHtmlPage);
    WriteFile(files / kFileName, kNamedText);
    WriteFile(files / "nota.txt",
              "Nota xssprobe sul ricongiungimento familiare <script>alert('nota')</script>.\n");
    WriteFile(files / "nota.txt.meta.json",
              "{\"title\": \"" + kSidecarTitle + "\", \"description\": \"" +
                  kSidecarDescription + "\", \"authors\": [\"" + kAuthorPayload + "\"]}");
    data_ = dir_->path() / "data";
    auto run = Indexer(data_, {"index", files.string()});
    ASSERT_EQ(run.exit_code, 0) << Dump(run);
    daemon_ = new Daemon(data_, dir_->path(),
                         {"--max_threads", std::to_string(kThreads), "--request_timeout_s",
                          std::to_string(kRequestTimeout)});
    ASSERT_NE(daemon_->port(), 0) << daemon_->err();
  }
  static void TearDownTestSuite() {
    if (daemon_) {
      EXPECT_EQ(daemon_->Stop(), 0) << daemon_->err();
    }
    delete daemon_;
    delete dir_;
  }
  static uint16_t port() { return daemon_->port(); }
  static Reply Fetch(const std::string& uri) { return Get(port(), uri); }

  static TempDir* dir_;
  static fs::path data_;
  static Daemon* daemon_;
};
TempDir* HostileClients::dir_ = nullptr;
fs::path HostileClients::data_;
Daemon* HostileClients::daemon_ = nullptr;

// `text` with <mark> and </mark> taken out.
std::string WithoutMarks(std::string text) {
  for (const std::string& tag : {std::string("<mark>"), std::string("</mark>")}) {
    for (size_t at = text.find(tag); at != std::string::npos; at = text.find(tag)) {
      text.erase(at, tag.size());
    }
  }
  return text;
}

void ExpectSafeHeaders(const Reply& reply, const std::string& context) {
  EXPECT_EQ(reply.Header("X-Content-Type-Options"), "nosniff") << context;
  std::string csp = reply.Header("Content-Security-Policy");
  EXPECT_FALSE(csp.empty()) << context;
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << context << ": " << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << context << ": " << csp;
}

// Slowloris: more slow clients than threads — half dripping a request a byte per
// second, half connected and silent — and an ordinary client is still answered within
// the request timeout; the slow ones are cut off once their time is up.
TEST_F(HostileClients, SlowClientsDoNotStarveOthers) {
  constexpr int kSlow = 16 * kThreads;
  std::vector<std::unique_ptr<Poco::Net::StreamSocket>> slow;
  for (int i = 0; i < kSlow; ++i) {
    slow.push_back(std::make_unique<Poco::Net::StreamSocket>(
        Poco::Net::SocketAddress("127.0.0.1", port())));
  }
  std::atomic<bool> stop{false};
  std::thread dripper([&] {
    const std::string request = "GET /api/search?q=permesso HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    for (size_t byte = 0; !stop.load(); ++byte) {
      for (size_t i = 0; i < slow.size(); i += 2) {
        char c = byte < request.size() ? request[byte] : 'a';
        try {
          slow[i]->sendBytes(&c, 1);
        } catch (...) {
          // Cut off by the daemon: what the test expects, in time.
        }
      }
      for (int t = 0; t < 10 && !stop.load(); ++t) std::this_thread::sleep_for(100ms);
    }
  });
  std::this_thread::sleep_for(1500ms);

  for (int round = 0; round < 3; ++round) {
    Reply reply = Get(port(), "/api/search?q=permesso", Poco::Timespan(kRequestTimeout, 0));
    EXPECT_EQ(reply.status, 200) << "round " << round;
    Reply health = Get(port(), "/healthz", Poco::Timespan(kRequestTimeout, 0));
    EXPECT_EQ(health.status, 200) << "round " << round;
  }

  // Every slow connection is closed by the daemon once its head is overdue.
  int closed = 0;
  for (auto& socket : slow) {
    socket->setReceiveTimeout(Poco::Timespan(4 * kRequestTimeout, 0));
    try {
      char buffer[512];
      while (socket->receiveBytes(buffer, sizeof(buffer)) > 0) {
      }
      ++closed;
    } catch (const Poco::TimeoutException&) {
      // Still open: counted below.
    } catch (...) {
      ++closed;  // reset
    }
  }
  stop = true;
  dripper.join();
  EXPECT_EQ(closed, kSlow);
  std::cerr << "  " << kSlow << " slow connections against " << kThreads
            << " threads: 6 ordinary requests answered, " << closed << " slow ones cut off\n";
}

// An HTML file is downloaded, never rendered from our origin.
TEST_F(HostileClients, HtmlIsDownloadedNotRendered) {
  const std::string id = ContentId(kHtmlPage);
  Reply file = Fetch("/api/documents/" + id + "/file");
  ASSERT_EQ(file.status, 200) << file.body;
  EXPECT_EQ(file.Header("Content-Type").rfind("text/html", 0), 0u) << file.Header("Content-Type");
  EXPECT_EQ(file.Header("Content-Disposition").rfind("attachment;", 0), 0u)
      << file.Header("Content-Disposition");
  ExpectSafeHeaders(file, "download");
  EXPECT_EQ(file.body, kHtmlPage);

  Reply text = Fetch("/api/documents/" + id + "/text");
  ASSERT_EQ(text.status, 200);
  EXPECT_EQ(text.Header("Content-Type"), "text/plain; charset=utf-8");
  ExpectSafeHeaders(text, "text");
}

// A file name with markup reaches Content-Disposition only escaped.
TEST_F(HostileClients, FileNamesCannotBreakHeaders) {
  const std::string id = ContentId(kNamedText);
  Reply file = Fetch("/api/documents/" + id + "/file");
  ASSERT_EQ(file.status, 200);
  std::string disposition = file.Header("Content-Disposition");
  EXPECT_EQ(disposition.rfind("attachment;", 0), 0u) << disposition;
  EXPECT_EQ(std::count(disposition.begin(), disposition.end(), '"'), 2) << disposition;
  EXPECT_NE(disposition.find("filename*=UTF-8''%3Cimg"), std::string::npos) << disposition;
}

// Titles, authors, sidecar metadata, text and the query come back as JSON data; the
// snippet, the one HTML field, has no markup but <mark>.
TEST_F(HostileClients, PayloadsStayDataInTheJsonApi) {
  Reply search = Fetch("/api/search?q=xssprobe+" + std::string("%3Cscript%3Ealert%28%27query%27%29%3C%2Fscript%3E"));
  ASSERT_EQ(search.status, 200) << search.body;
  EXPECT_EQ(search.Header("Content-Type"), "application/json; charset=utf-8");
  ExpectSafeHeaders(search, "search");
  auto doc = Json(search);
  EXPECT_EQ(std::string(doc["query"].GetString()), "xssprobe " + kQueryPayload);

  Reply plain = Fetch("/api/search?q=xssprobe");
  auto found = Json(plain);
  ASSERT_TRUE(found.HasMember("results")) << plain.body;
  EXPECT_GE(found["results"].Size(), 3u) << plain.body;
  std::set<std::string> titles;
  for (const auto& result : found["results"].GetArray()) {
    std::string snippet = WithoutMarks(result["snippet"].GetString());
    EXPECT_EQ(snippet.find('<'), std::string::npos) << result["snippet"].GetString();
    EXPECT_EQ(snippet.find('>'), std::string::npos) << result["snippet"].GetString();
    titles.insert(result["title"].GetString());

    std::string id = result["id"].GetString();
    Reply document = Fetch("/api/documents/" + id);
    EXPECT_EQ(document.status, 200);
    EXPECT_EQ(document.Header("Content-Type"), "application/json; charset=utf-8");
    ExpectSafeHeaders(document, "document");
    Json(document);  // parses

    // The document's page, whatever renders it, never carries a payload as markup.
    Reply page = Fetch("/documenti/" + id);
    ExpectSafeHeaders(page, "page");
    for (const std::string& payload : {kTitlePayload, kAuthorPayload, kSidecarTitle,
                                       kSidecarDescription, kTextPayload, kFileName}) {
      EXPECT_EQ(page.body.find(payload), std::string::npos) << payload;
    }
  }
  // The sidecar's title is data, kept as written (the UI shows it as text).
  EXPECT_TRUE(titles.count(kSidecarTitle)) << plain.body;

  // An error echoing a bad parameter is JSON too.
  Reply bad = Fetch("/api/search?axis=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("Content-Type"), "application/json; charset=utf-8");
  ExpectSafeHeaders(bad, "400");
  Reply missing = Fetch("/%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body.find("<script>alert(1)"), std::string::npos) << missing.body;
  ExpectSafeHeaders(missing, "404");
  ExpectSafeHeaders(Fetch("/"), "home");
}

}  // namespace
}  // namespace correlare::reliability
