// libFuzzer target: the search front-end on any `q` — the query language (words,
// "phrases", -exclusion, prefix*, titolo:/autore:/norma: fields), spelling correction,
// synonyms, snippets and facets — against a real index of a few corpus-samples/
// documents, built once by the real correlare-indexer in a temporary folder. Whatever
// the text, the answer is results or a 400 (kInvalidArgument), never another error:
// that would be a 500 for user input.
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "searchd/search_service.h"
#include "searchd/src/request_parser.h"

namespace {

using correlare::searchd::SearchService;

std::string g_data_dir;

void RemoveDataDir() {
  std::error_code ignored;
  std::filesystem::remove_all(g_data_dir, ignored);
}

const SearchService& Service() {
  static const SearchService* service = [] {
    char pattern[] = "/tmp/correlare-query-fuzz-XXXXXX";
    if (mkdtemp(pattern) == nullptr) std::abort();
    g_data_dir = pattern;
    std::atexit(RemoveDataDir);
    const std::string corpus = CORRELARE_CORPUS_DIR;
    std::string command = std::string("'") + CORRELARE_BIN_DIR + "/correlare-indexer' --data '" +
                          g_data_dir + "' --taxonomy '" + CORRELARE_TAXONOMY_FILE +
                          "' index '" + corpus + "/normativa' '" + corpus + "/dispense' '" +
                          corpus + "/trascrizioni' > /dev/null 2>&1";
    // The indexer is built with the same sanitizers; its leaks are not this target's.
    setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
    int status = std::system(command.c_str());
    unsetenv("ASAN_OPTIONS");
    if (status != 0) {
      std::fprintf(stderr, "query_fuzz: indexing the corpus failed (%d): %s\n", status,
                   command.c_str());
      std::abort();
    }
    auto opened = SearchService::Open(g_data_dir, CORRELARE_TAXONOMY_FILE);
    if (!opened.ok()) {
      std::fprintf(stderr, "query_fuzz: %s\n", opened.status().ToString().c_str());
      std::abort();
    }
    return std::move(opened).value().release();
  }();
  return *service;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  Service();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // As the daemon does: the parameter is checked (valid UTF-8, not too long) first.
  std::vector<correlare::searchd::QueryParam> params(1);
  params[0].name = "q";
  params[0].value.assign(reinterpret_cast<const char*>(data), size);
  auto request = correlare::searchd::ParseSearchRequest(params);
  if (!request.ok()) return 0;
  auto result = Service().Search(request.value());
  if (!result.ok() && result.status().code() != correlare::StatusCode::kInvalidArgument) {
    std::fprintf(stderr, "query_fuzz: %s\n", result.status().ToString().c_str());
    std::abort();
  }
  return 0;
}
