// Repository::Add writes a document known to be new with add_document (Xapian need not
// look for one to replace). These are the two ways a "new" document can already have its
// id in the index; each must still end as one document.
#include "indexer/repository.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/content_id.h"
#include "schema/schema.h"
#include "taxonomy/taxonomy.h"
#include "test_support.h"

namespace correlare::indexer {
namespace {

namespace fs = std::filesystem;
using correlare::testing::TempDir;

class RepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loaded = taxonomy::Taxonomy::Load(std::string(CORRELARE_SOURCE_DIR) + "/taxonomy/taxonomy.json");
    ASSERT_TRUE(loaded.ok());
    taxonomy_ = loaded.value();
    data_ = (dir_.path() / "data").string();
    file_ = (dir_.path() / "avviso.txt").string();
    bytes_ = "Avviso dello sportello stranieri di Lodi: rinnovo del permesso di soggiorno.\n";
    std::ofstream(file_) << bytes_;
  }

  extractors::ExtractedDocument Document() const {
    extractors::ExtractedDocument doc;
    doc.file_name = "avviso.txt";
    doc.content_id = ContentId(bytes_);
    doc.mime = "text/plain";
    doc.size = bytes_.size();
    doc.title = "Avviso";
    doc.title_source = "heading";
    doc.lang = "it";
    doc.text = bytes_;
    return doc;
  }

  Xapian::doccount DocumentsWithId(const std::string& id) const {
    Xapian::Database db(data_ + "/index");
    return db.get_termfreq(schema::kPrefixId + id);
  }

  TempDir dir_;
  taxonomy::Taxonomy taxonomy_;
  std::string data_;
  std::string file_;
  std::string bytes_;
};

TEST_F(RepositoryTest, ADocumentWhoseRecordCannotBeReadIsReplacedNotDuplicated) {
  extractors::ExtractedDocument doc = Document();
  {
    auto repository = Repository::Open(data_, taxonomy_);
    ASSERT_TRUE(repository.ok()) << repository.status().ToString();
    ASSERT_TRUE(repository.value()->Add(file_, doc, {"file:" + file_, "avviso.txt", "", "", ""}, std::nullopt, "").ok());
    ASSERT_TRUE(repository.value()->Commit().ok());
  }
  {
    // The record is damaged: Get() finds no document, but the id is in the index.
    Xapian::WritableDatabase db(data_ + "/index");
    Xapian::docid did = *db.postlist_begin(schema::kPrefixId + doc.content_id);
    Xapian::Document damaged = db.get_document(did);
    damaged.set_data("{not json");
    db.replace_document(did, damaged);
    db.commit();
  }
  auto repository = Repository::Open(data_, taxonomy_);
  ASSERT_TRUE(repository.ok());
  EXPECT_FALSE(repository.value()->Get(doc.content_id).has_value());
  auto added = repository.value()->Add(file_, doc, {"inbox:lodi/avviso.txt", "avviso.txt", "lodi", "", ""},
                                       std::nullopt, "");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_TRUE(repository.value()->Commit().ok());
  EXPECT_EQ(DocumentsWithId(doc.content_id), 1u);
  auto record = repository.value()->Get(doc.content_id);
  ASSERT_TRUE(record.has_value()) << "the record is rebuilt";
  EXPECT_EQ(record->title, "Avviso");
}

TEST_F(RepositoryTest, AnArchiveHoldingACopyOfItselfIsOneDocument) {
  // An archive whose member is byte for byte the archive (such "quines" exist): the
  // member is written first, under the same id, then the archive itself.
  extractors::ExtractedDocument doc = Document();
  extractors::ExtractedDocument member = Document();
  member.member_path = "copia/avviso.txt";
  doc.members.push_back(member);
  auto repository = Repository::Open(data_, taxonomy_);
  ASSERT_TRUE(repository.ok());
  auto added = repository.value()->Add(file_, doc, {"file:" + file_, "avviso.txt", "", "", ""}, std::nullopt,
                                       (dir_.path() / "members").string());
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  ASSERT_TRUE(repository.value()->Commit().ok());
  EXPECT_EQ(DocumentsWithId(doc.content_id), 1u);
}

// The spelling data ("Forse cercavi") counts a document's words once: writing it again
// for a second source of the same bytes, or for a file taken again, adds nothing.
TEST_F(RepositoryTest, ADocumentWrittenAgainAddsNoSpellingData) {
  extractors::ExtractedDocument doc = Document();
  auto frequency = [&](const std::string& word) -> Xapian::doccount {
    Xapian::Database db(data_ + "/index");
    for (auto it = db.spellings_begin(); it != db.spellings_end(); ++it) {
      if (*it == word) return it.get_termfreq();
    }
    return 0;
  };
  auto repository = Repository::Open(data_, taxonomy_);
  ASSERT_TRUE(repository.ok()) << repository.status().ToString();
  Repository& repo = *repository.value();
  ASSERT_TRUE(repo.Add(file_, doc, {"file:" + file_, "avviso.txt", "", "", ""}, std::nullopt, "").ok());
  ASSERT_TRUE(repo.Commit().ok());
  Xapian::doccount once = frequency("sportello");
  ASSERT_GT(once, 0u);

  // The same bytes from a province's inbox: one document with two sources.
  auto second = repo.Add(file_, doc, {"inbox:lodi/avviso.txt", "avviso.txt", "lodi", "", ""},
                         std::nullopt, "");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_FALSE(second.value().new_document);
  ASSERT_TRUE(repo.Commit().ok());
  EXPECT_EQ(frequency("sportello"), once);
  // The same file taken again (as when its sidecar changed): rebuilt, not counted again.
  ASSERT_TRUE(repo.Add(file_, doc, {"file:" + file_, "avviso.txt", "", "", ""}, std::nullopt, "").ok());
  ASSERT_TRUE(repo.Commit().ok());
  EXPECT_EQ(frequency("sportello"), once);
  EXPECT_EQ(DocumentsWithId(doc.content_id), 1u);
}

}  // namespace
}  // namespace correlare::indexer
