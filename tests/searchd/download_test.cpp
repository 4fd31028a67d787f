#include "searchd/src/download.h"

#include <gtest/gtest.h>

namespace correlare::searchd {
namespace {

struct RangeCase {
  const char* header;
  ByteRange::Kind kind;
  uint64_t first;
  uint64_t last;
};

TEST(ParseByteRange, ReadsOneRangeAndIgnoresTheRest) {
  const RangeCase cases[] = {
      {"bytes=0-9", ByteRange::kPart, 0, 9},
      {"bytes=10-", ByteRange::kPart, 10, 99},
      {"bytes=-5", ByteRange::kPart, 95, 99},
      {"bytes=-500", ByteRange::kPart, 0, 99},
      {"bytes=90-500", ByteRange::kPart, 90, 99},
      {"Bytes=1-1", ByteRange::kPart, 1, 1},
      {"bytes = 1-1", ByteRange::kWhole, 0, 0},
      {"bytes=99-99", ByteRange::kPart, 99, 99},
      {"bytes=100-", ByteRange::kUnsatisfiable, 0, 0},
      {"bytes=1000-2000", ByteRange::kUnsatisfiable, 0, 0},
      {"bytes=-0", ByteRange::kUnsatisfiable, 0, 0},
      {"bytes=0-1,5-6", ByteRange::kWhole, 0, 0},  // several ranges: the whole file
      {"bytes=9-1", ByteRange::kWhole, 0, 0},
      {"bytes=a-b", ByteRange::kWhole, 0, 0},
      {"bytes=-", ByteRange::kWhole, 0, 0},
      {"items=0-1", ByteRange::kWhole, 0, 0},
      {"bytes=99999999999999999999999-", ByteRange::kWhole, 0, 0},
      {"", ByteRange::kWhole, 0, 0},
  };
  for (const auto& c : cases) {
    ByteRange range = ParseByteRange(c.header, 100);
    EXPECT_EQ(range.kind, c.kind) << c.header;
    if (c.kind == ByteRange::kPart) {
      EXPECT_EQ(range.first, c.first) << c.header;
      EXPECT_EQ(range.last, c.last) << c.header;
    }
  }
  EXPECT_EQ(ParseByteRange("bytes=0-", 0).kind, ByteRange::kUnsatisfiable);
}

TEST(ContentDisposition, GivesAnAsciiFallbackAndTheUtf8Name) {
  EXPECT_EQ(ContentDisposition("guida.pdf", "x"),
            "attachment; filename=\"guida.pdf\"; filename*=UTF-8''guida.pdf");
  EXPECT_EQ(ContentDisposition("citt\xC3\xA0 e lavoro.pdf", "x"),
            "attachment; filename=\"citt_ e lavoro.pdf\"; "
            "filename*=UTF-8''citt%C3%A0%20e%20lavoro.pdf");
}

TEST(ContentDisposition, NothingInTheNameEscapesTheHeader) {
  std::string header = ContentDisposition("../../etc/pa\"ss\r\nSet-Cookie: x=1;%.txt", "x");
  EXPECT_EQ(header.find('\r'), std::string::npos);
  EXPECT_EQ(header.find('\n'), std::string::npos);
  EXPECT_EQ(header.find(".."), std::string::npos);
  EXPECT_EQ(header.find("etc"), std::string::npos);
  EXPECT_EQ(
      header.rfind("attachment; filename=\"pa_ssSet-Cookie: x=1__.txt\"; filename*=UTF-8''", 0), 0u)
      << header;
  EXPECT_EQ(ContentDisposition("", "0123abcd"),
            "attachment; filename=\"0123abcd\"; filename*=UTF-8''0123abcd");
  EXPECT_EQ(ContentDisposition("dir/", "id"), "attachment; filename=\"id\"; filename*=UTF-8''id");
  // Ill-formed UTF-8 is repaired before it is encoded.
  EXPECT_NE(ContentDisposition("a\xFF.txt", "x").find("a%EF%BF%BD.txt"), std::string::npos);
}

TEST(SafeContentType, KeepsPlainTypesOnly) {
  EXPECT_EQ(SafeContentType("application/pdf"), "application/pdf");
  EXPECT_EQ(
      SafeContentType("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(SafeContentType("text/html\r\nX-Evil: 1"), "application/octet-stream");
  EXPECT_EQ(SafeContentType("text/plain; charset=utf-8"), "application/octet-stream");
  EXPECT_EQ(SafeContentType(""), "application/octet-stream");
  EXPECT_EQ(SafeContentType("pdf"), "application/octet-stream");
  EXPECT_EQ(SafeContentType("a/b/c"), "application/octet-stream");
}

}  // namespace
}  // namespace correlare::searchd
