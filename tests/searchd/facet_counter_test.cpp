// FacetCounter walks a slot's value stream forward as the match visits documents: its
// counts must be those of reading each matched document's value, whatever the query,
// the sort order, and over value chunks, empty values and packed values.
#include "searchd/src/facet_counter.h"
#include "searchd/src/facet_table.h"

#include <gtest/gtest.h>
#include <xapian.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <random>
#include <unistd.h>
#include <string>

#include "schema/schema.h"

namespace correlare::searchd {
namespace {

namespace fs = std::filesystem;

constexpr Xapian::valueno kSingle = 4;
constexpr Xapian::valueno kPacked = 2;
constexpr Xapian::valueno kSort = 0;

class FacetCounterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("facet_counter_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    Xapian::WritableDatabase db(dir_.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    std::mt19937 random(7);
    const char* types[] = {"dispensa", "norma", "modulo", "trascrizione"};
    const char* axes[] = {"lavoro", "alloggio", "servizi", "minori"};
    for (int i = 0; i < kDocuments; ++i) {
      Xapian::Document doc;
      // Most documents have "comune"; every third has "questura".
      if (random() % 10 != 0) doc.add_term("comune");
      if (i % 3 == 0) doc.add_term("questura");
      // Some documents have no type at all (an empty value is not stored).
      if (random() % 7 != 0) doc.add_value(kSingle, types[random() % 4]);
      std::vector<std::string> packed;
      for (const char* axis : axes) {
        if (random() % 3 == 0) packed.push_back(axis);
      }
      if (!packed.empty()) doc.add_value(kPacked, schema::PackValues(packed));
      doc.add_value(kSort, Xapian::sortable_serialise(static_cast<double>(random() % 1000)));
      db.add_document(doc);
    }
    db.commit();
  }

  void TearDown() override { fs::remove_all(dir_); }

  // What reading every matched document's value gives.
  static std::map<std::string, uint64_t> Expected(const Xapian::Database& db, const Xapian::Query& query,
                                                  Xapian::valueno slot, bool packed) {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    Xapian::MSet all = enquire.get_mset(0, db.get_doccount());
    std::map<std::string, uint64_t> counts;
    for (auto it = all.begin(); it != all.end(); ++it) {
      std::string value = it.get_document().get_value(slot);
      if (value.empty()) continue;
      if (!packed) {
        ++counts[value];
        continue;
      }
      for (const auto& one : schema::UnpackValues(value)) ++counts[one];
    }
    return counts;
  }

  static constexpr int kDocuments = 6000;
  fs::path dir_;
};

TEST_F(FacetCounterTest, CountsWhatEachMatchedDocumentHolds) {
  Xapian::Database db(dir_.string());
  for (const auto& query : {Xapian::Query("comune"), Xapian::Query("questura"),
                            Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("comune"),
                                          Xapian::Query("questura")),
                            Xapian::Query::MatchAll}) {
    for (bool by_value : {false, true}) {
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      if (by_value) enquire.set_sort_by_value_then_relevance(kSort, true);
      FacetCounter single(db, kSingle, false);
      FacetCounter packed(db, kPacked, true);
      enquire.add_matchspy(&single);
      enquire.add_matchspy(&packed);
      enquire.get_mset(0, 10, db.get_doccount());
      EXPECT_EQ(single.counts(), Expected(db, query, kSingle, false)) << query.get_description();
      EXPECT_EQ(packed.counts(), Expected(db, query, kPacked, true)) << query.get_description();
      EXPECT_FALSE(single.counts().empty());
    }
  }
}

TEST_F(FacetCounterTest, FromAFacetTableCountsTheSame) {
  Xapian::Database db(dir_.string());
  auto table = FacetTable::Build(db, IndexState::Of(db), {kSingle, kPacked});
  ASSERT_NE(table, nullptr);
  ASSERT_NE(table->Find(kSingle), nullptr);
  EXPECT_EQ(table->Find(kSort), nullptr) << "only the slots asked for";
  EXPECT_EQ(table->Find(kSingle)->values.size(), 5u) << "four types, and the code of no value";
  for (const auto& query : {Xapian::Query("comune"), Xapian::Query("questura"), Xapian::Query::MatchAll}) {
    for (bool by_value : {false, true}) {
      Xapian::Enquire enquire(db);
      enquire.set_query(query);
      if (by_value) enquire.set_sort_by_value_then_relevance(kSort, true);
      FacetCounter single(db, kSingle, false, table->Find(kSingle));
      FacetCounter packed(db, kPacked, true, table->Find(kPacked));
      enquire.add_matchspy(&single);
      enquire.add_matchspy(&packed);
      enquire.get_mset(0, 10, db.get_doccount());
      EXPECT_EQ(single.counts(), Expected(db, query, kSingle, false)) << query.get_description();
      EXPECT_EQ(packed.counts(), Expected(db, query, kPacked, true)) << query.get_description();
    }
  }
}

TEST_F(FacetCounterTest, ATableStandsForOneStateOfTheIndex) {
  Xapian::Database db(dir_.string());
  IndexState before = IndexState::Of(db);
  EXPECT_EQ(FacetTable::Build(db, before, {kSingle})->state(), before);
  {
    Xapian::WritableDatabase writer(dir_.string());
    Xapian::Document doc;
    doc.add_term("comune");
    doc.add_value(kSingle, "nuovo");
    writer.add_document(doc);
    writer.commit();
  }
  db.reopen();
  IndexState after = IndexState::Of(db);
  EXPECT_FALSE(after == before);
  // A compacted copy has the same documents, but is another database.
  fs::path copy = dir_.string() + "-compact";
  db.compact(copy.string(), Xapian::DBCOMPACT_NO_RENUMBER);
  Xapian::Database compacted(copy.string());
  EXPECT_FALSE(IndexState::Of(compacted) == after);
  fs::remove_all(copy);
}

TEST(FacetTable, ASlotWithMoreValuesThanCodesIsLeftToTheValueStream) {
  fs::path dir = fs::temp_directory_path() / ("facet_table_test_" + std::to_string(getpid()));
  {
    Xapian::WritableDatabase db(dir.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    for (int i = 0; i < 65600; ++i) {  // 65,600 distinct values: codes number 65,535
      Xapian::Document doc;
      doc.add_value(kSingle, "valore-" + std::to_string(i));
      doc.add_value(kPacked, i % 2 == 0 ? "pari" : "dispari");
      db.add_document(doc);
    }
    db.commit();
  }
  Xapian::Database db(dir.string());
  auto table = FacetTable::Build(db, IndexState::Of(db), {kSingle, kPacked});
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->Find(kSingle), nullptr);
  ASSERT_NE(table->Find(kPacked), nullptr);
  EXPECT_EQ(table->Find(kPacked)->values.size(), 3u);
  fs::remove_all(dir);
}

TEST_F(FacetCounterTest, AStopAsksTheBuildToGiveUp) {
  Xapian::Database db(dir_.string());
  std::atomic<bool> stop{true};
  EXPECT_EQ(FacetTable::Build(db, IndexState::Of(db), {kSingle}, &stop), nullptr);
}

TEST_F(FacetCounterTest, ASecondMatchWithTheSameCounterStartsTheStreamAgain) {
  Xapian::Database db(dir_.string());
  FacetCounter single(db, kSingle, false);
  for (int round = 0; round < 2; ++round) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query("questura"));
    enquire.add_matchspy(&single);
    enquire.get_mset(0, 10, db.get_doccount());
  }
  auto once = Expected(db, Xapian::Query("questura"), kSingle, false);
  for (const auto& [value, count] : single.counts()) EXPECT_EQ(count, 2 * once[value]) << value;
  EXPECT_EQ(single.counts().size(), once.size());
}

}  // namespace
}  // namespace correlare::searchd
