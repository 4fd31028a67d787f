#include "common/status.h"

#include <gtest/gtest.h>

namespace correlare {
namespace {

TEST(Status, DefaultIsOk) {
  Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.ToString(), "ok");
}

TEST(Status, ToStringNamesCodeAndReason) {
  Status status(StatusCode::kCorrupt, "xref table is damaged");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.ToString(), "corrupt: xref table is damaged");
}

TEST(Status, CodeNamesRoundTrip) {
  for (StatusCode code : {StatusCode::kOk, StatusCode::kInvalidArgument, StatusCode::kNotFound,
                          StatusCode::kUnsupported, StatusCode::kCorrupt, StatusCode::kEncrypted,
                          StatusCode::kLimitExceeded, StatusCode::kTimeout, StatusCode::kIoError,
                          StatusCode::kInternal}) {
    EXPECT_EQ(StatusCodeFromName(StatusCodeName(code)), code) << StatusCodeName(code);
  }
  EXPECT_EQ(StatusCodeFromName("no-such-code"), StatusCode::kInternal);
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = 42;
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value(), 42);
  EXPECT_TRUE(good.status().ok());

  Result<int> bad(StatusCode::kNotFound, "no such id");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad.status().message(), "no such id");
}

}  // namespace
}  // namespace correlare
