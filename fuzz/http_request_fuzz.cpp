// libFuzzer target: what searchd makes of the parts of an HTTP request a client
// controls, short of the socket: the query string (split, percent-decoded, turned into
// a search or suggest request), and a download's Range header and stored file name.
// The input is split at the first two newlines: query string, Range header, file name.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "searchd/src/download.h"
#include "searchd/src/request_parser.h"

namespace {

std::string_view NextLine(std::string_view& rest) {
  size_t newline = rest.find('\n');
  std::string_view line = rest.substr(0, newline);
  rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace correlare::searchd;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::string_view query = NextLine(rest);
  std::string_view range = NextLine(rest);
  std::string_view name = rest;

  auto params = ParseQueryString(query);
  if (params.ok()) {
    auto search = ParseSearchRequest(params.value());
    auto suggest = ParseSuggestPrefix(params.value());
    (void)search;
    (void)suggest;
  }
  for (uint64_t file_size : {uint64_t{0}, uint64_t{1}, uint64_t{1000}, UINT64_MAX}) {
    ByteRange parsed = ParseByteRange(range, file_size);
    if (parsed.kind == ByteRange::kPart &&
        (parsed.first > parsed.last || parsed.last >= file_size)) {
      std::abort();  // a range outside the file would be served
    }
  }
  std::string disposition = ContentDisposition(name, "fallback");
  for (char c : disposition) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) std::abort();  // header injection
  }
  size_t quotes = 0;
  for (char c : disposition) quotes += c == '"';
  if (quotes != 2) std::abort();  // a quote in the name would end filename="…" early
  std::string type = SafeContentType(name);
  for (char c : type) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == ';' || c == ',') std::abort();
  }
  return 0;
}
