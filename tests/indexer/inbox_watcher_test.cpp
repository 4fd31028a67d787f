// The inbox's pure parts: which names it ignores, and putting rejected files back.
// Taking files is tested end to end, with the real program, in
// integration/inbox_test.cpp.
#include "indexer/inbox_watcher.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_support.h"

namespace correlare::indexer {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

struct NameCase {
  const char* name;
  bool ignored;
};

TEST(IsIgnoredInboxName, Table) {
  const NameCase cases[] = {
      {"circolare.pdf", false},
      {"Circolare 2012 (copia).PDF", false},
      {"kit-accoglienza.zip", false},
      {"x.pdf.meta.json", false},  // a sidecar: read with its file, not ignored
      {"participant.docx", false},
      {"tmp.pdf", false},
      {"partenze.txt", false},
      {".hidden", true},
      {".DS_Store", true},
      {"._circolare.pdf", true},
      {".~lock.verbale.odt#", true},
      {".rejected", true},
      {"~$verbale.docx", true},
      {"verbale.docx.part", true},
      {"x.part", true},
      {"x.PART", true},
      {"scarico.tmp", true},
      {"scarico.TMP", true},
      {"delibera.pdf.crdownload", true},
      {"delibera.pdf.filepart", true},
      {"Thumbs.db", true},
      {"thumbs.db", true},
      {"desktop.ini", true},
      {"Desktop.ini", true},
      {"@eaDir", true},
      {"", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsIgnoredInboxName(c.name), c.ignored) << "'" << c.name << "'";
  }
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

const char kReason[] =
    "encrypted: the PDF is protected by a password\nrejected at 2024-05-02T10:00:00+0200\n";

class RetryRejectedTest : public ::testing::Test {
 protected:
  fs::path inbox() const { return dir_.path() / "inbox"; }
  TempDir dir_;
};

TEST_F(RetryRejectedTest, MovesFilesBackAndDropsReasons) {
  Write(inbox() / "lodi/.rejected/a.pdf", "A");
  Write(inbox() / "lodi/.rejected/a.pdf.reason.txt", kReason);
  Write(inbox() / "lodi/.rejected/sub/dir/b.docx", "B");
  Write(inbox() / "lodi/.rejected/sub/dir/b.docx.reason.txt", kReason);
  Write(inbox() / "lodi/.rejected/sub/dir/b.docx.meta.json", "{\"title\": \"B\"}");

  auto moved = RetryRejected(inbox().string(), "");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved.value(), 2);
  EXPECT_EQ(Read(inbox() / "lodi/a.pdf"), "A");
  EXPECT_EQ(Read(inbox() / "lodi/sub/dir/b.docx"), "B");
  EXPECT_EQ(Read(inbox() / "lodi/sub/dir/b.docx.meta.json"), "{\"title\": \"B\"}");
  EXPECT_FALSE(fs::exists(inbox() / "lodi/a.pdf.reason.txt"));
  EXPECT_FALSE(fs::exists(inbox() / "lodi/sub/dir/b.docx.reason.txt"));
  EXPECT_FALSE(fs::exists(inbox() / "lodi/.rejected")) << "emptied, so removed";
}

TEST_F(RetryRejectedTest, OnlyTheProvinceAskedFor) {
  Write(inbox() / "lodi/.rejected/a.pdf", "A");
  Write(inbox() / "MI/.rejected/m.pdf", "M");
  Write(inbox() / "milano/.rejected/n.pdf", "N");
  Write(inbox() / ".rejected/sconosciuta/u.pdf", "U");

  auto moved = RetryRejected(inbox().string(), "mi");  // a sigla, any case
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved.value(), 2);
  EXPECT_TRUE(fs::exists(inbox() / "MI/m.pdf"));
  EXPECT_TRUE(fs::exists(inbox() / "milano/n.pdf"));
  EXPECT_TRUE(fs::exists(inbox() / "lodi/.rejected/a.pdf"));
  EXPECT_TRUE(fs::exists(inbox() / ".rejected/sconosciuta/u.pdf"));
}

TEST_F(RetryRejectedTest, UnknownFolderFilesGoBackToTheirFolder) {
  Write(inbox() / ".rejected/sconosciuta/x/u.pdf", "U");
  Write(inbox() / ".rejected/sconosciuta/x/u.pdf.reason.txt", kReason);
  auto moved = RetryRejected(inbox().string(), "");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved.value(), 1);
  EXPECT_EQ(Read(inbox() / "sconosciuta/x/u.pdf"), "U");
  EXPECT_FALSE(fs::exists(inbox() / ".rejected"));
}

TEST_F(RetryRejectedTest, NeverReplacesAFileDroppedSince) {
  Write(inbox() / "lodi/a.pdf", "new");
  Write(inbox() / "lodi/.rejected/a.pdf", "old");
  Write(inbox() / "lodi/.rejected/a.pdf.reason.txt", kReason);
  Write(inbox() / "lodi/.rejected/a.pdf.meta.json", "{}");
  auto moved = RetryRejected(inbox().string(), "lodi");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved.value(), 1);
  EXPECT_EQ(Read(inbox() / "lodi/a.pdf"), "new");
  EXPECT_EQ(Read(inbox() / "lodi/a (2).pdf"), "old");
  EXPECT_EQ(Read(inbox() / "lodi/a (2).pdf.meta.json"), "{}") << "the sidecar follows the new name";
}

TEST_F(RetryRejectedTest, TellsReasonFilesFromDocumentsNamedLikeThem) {
  // A document that happens to be called *.reason.txt, with a reason of its own; and a
  // reason file left without its document (the watcher was killed in between).
  Write(inbox() / "lodi/.rejected/note.reason.txt", "a province's own notes");
  Write(inbox() / "lodi/.rejected/note.reason.txt.reason.txt", kReason);
  Write(inbox() / "lodi/.rejected/gone.pdf.reason.txt", kReason);
  auto moved = RetryRejected(inbox().string(), "");
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved.value(), 1);
  EXPECT_EQ(Read(inbox() / "lodi/note.reason.txt"), "a province's own notes");
  EXPECT_FALSE(fs::exists(inbox() / "lodi/note.reason.txt.reason.txt"));
  EXPECT_FALSE(fs::exists(inbox() / "lodi/gone.pdf.reason.txt"));
  EXPECT_FALSE(fs::exists(inbox() / "lodi/.rejected"));
}

TEST_F(RetryRejectedTest, NothingToRetry) {
  fs::create_directories(inbox() / "lodi");
  auto moved = RetryRejected(inbox().string(), "");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved.value(), 0);
}

TEST_F(RetryRejectedTest, UnknownProvinceOrMissingInboxIsAnError) {
  fs::create_directories(inbox());
  EXPECT_EQ(RetryRejected(inbox().string(), "atlantide").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RetryRejected((dir_.path() / "nowhere").string(), "").status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace correlare::indexer
