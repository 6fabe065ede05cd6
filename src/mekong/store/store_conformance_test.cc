// One behaviour, two engines: run with MEKONG_TEST_BACKEND=sqlite or =postgres (see testing.h).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "mekong/store/postgres/postgres_database.h"
#include "mekong/store/testing.h"

namespace mekong::store {
namespace {

constexpr Migration kMigrations[] = {
    {1, "CREATE TABLE item (id {id}, name TEXT NOT NULL UNIQUE, qty BIGINT, price DOUBLE PRECISION, "
        "data {blob});"
        "CREATE INDEX item_qty ON item (qty);"},
    {2, "CREATE TABLE tag (item_id BIGINT NOT NULL REFERENCES item (id), label TEXT NOT NULL)"},
};

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = testing::OpenTestDatabase();
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Migrate("test", kMigrations).ok());
  }
  std::unique_ptr<Database> db_;
};

TEST_F(StoreTest, DialectMatchesBackend) {
  EXPECT_EQ(db_->dialect() == Dialect::kPostgres, testing::Backend() == "postgres");
}

TEST_F(StoreTest, MigrationsAreRecordedAndIdempotent) {
  EXPECT_EQ(*db_->SchemaVersion("test"), 2);
  EXPECT_EQ(*db_->SchemaVersion("other"), 0);
  ASSERT_TRUE(db_->Migrate("test", kMigrations).ok());  // second run changes nothing
  auto n = db_->Query("SELECT COUNT(*) FROM schema_migrations WHERE module = ?", {"test"});
  EXPECT_EQ(n->Int(0, 0), 2);
}

TEST_F(StoreTest, AFailedMigrationLeavesNoTrace) {
  const Migration bad[] = {{1, "CREATE TABLE half (x BIGINT); CREATE TABLE broken (;"}};
  EXPECT_FALSE(db_->Migrate("bad", bad).ok());
  EXPECT_EQ(*db_->SchemaVersion("bad"), 0);
  EXPECT_FALSE(db_->Query("SELECT * FROM half").ok());
}

TEST_F(StoreTest, BindsAndReadsEveryType) {
  std::string bytes("\x00\x01\xff\x7f", 4);
  auto id = db_->Query("INSERT INTO item (name, qty, price, data) VALUES (?, ?, ?, ?) RETURNING id",
                       {"Hạ Long", int64_t{1} << 40, 2.5, Blob{bytes}});
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_EQ(id->size(), 1u);
  int64_t item = id->Int(0, 0);
  EXPECT_GT(item, 0);

  auto r = db_->Query("SELECT id, name, qty, price, data FROM item WHERE id = ?", {item});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->columns[1], "name");
  EXPECT_EQ(r->Text(0, 1), "Hạ Long");
  EXPECT_EQ(r->Int(0, 2), int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(r->Real(0, 3), 2.5);
  EXPECT_EQ(r->Bytes(0, 4).bytes, bytes);
}

TEST_F(StoreTest, NullsAndOptionals) {
  std::optional<int64_t> none, some = 7;
  ASSERT_TRUE(db_->Exec("INSERT INTO item (name, qty) VALUES (?, ?)", {"a", none}).ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO item (name, qty) VALUES (?, ?)", {"b", some}).ok());
  auto r = db_->Query("SELECT name, qty FROM item ORDER BY name");
  ASSERT_EQ(r->size(), 2u);
  EXPECT_TRUE(r->IsNull(0, 1));
  EXPECT_EQ(r->OptInt(0, 1), std::nullopt);
  EXPECT_EQ(r->OptInt(1, 1), 7);
}

TEST_F(StoreTest, AggregatesReadAsIntegers) {
  for (int i = 1; i <= 4; ++i) {
    ASSERT_TRUE(db_->Exec("INSERT INTO item (name, qty) VALUES (?, ?)", {"n" + std::to_string(i), i}).ok());
  }
  // SUM(BIGINT) is NUMERIC on PostgreSQL and INTEGER on SQLite; both must read as 10.
  auto r = db_->Query("SELECT SUM(qty), COUNT(*), MAX(qty) FROM item WHERE qty >= ?", {1});
  EXPECT_EQ(r->Int(0, 0), 10);
  EXPECT_EQ(r->Int(0, 1), 4);
  EXPECT_EQ(r->Int(0, 2), 4);
}

TEST_F(StoreTest, ExecCountsChangedRows) {
  for (const char* n : {"x", "y", "z"}) ASSERT_TRUE(db_->Exec("INSERT INTO item (name, qty) VALUES (?, 1)", {n}).ok());
  EXPECT_EQ(*db_->Exec("UPDATE item SET qty = qty + 1 WHERE name <> ?", {"x"}), 2);
  EXPECT_EQ(*db_->Exec("DELETE FROM item WHERE name = ?", {"nobody"}), 0);
}

TEST_F(StoreTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(db_->Exec("INSERT INTO item (name) VALUES (?)", {"dup"}).ok());
  auto again = db_->Exec("INSERT INTO item (name) VALUES (?)", {"dup"});
  EXPECT_EQ(again.status().code(), Code::kAlreadyExists) << again.status().ToString();
}

TEST_F(StoreTest, ForeignKeyViolationIsFailedPrecondition) {
  auto r = db_->Exec("INSERT INTO tag (item_id, label) VALUES (?, ?)", {999, "orphan"});
  EXPECT_EQ(r.status().code(), Code::kFailedPrecondition) << r.status().ToString();
}

TEST_F(StoreTest, SyntaxErrorIsAnErrorNotACrash) {
  EXPECT_EQ(db_->Query("SELEKT 1").status().code(), Code::kInternal);
  EXPECT_FALSE(db_->Query("SELECT ? + ?", {1}).ok());  // too few parameters
}

TEST_F(StoreTest, TransactionCommitsOrRollsBackWhole) {
  Status s = db_->Transact([](Executor& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO item (name) VALUES (?)", {"kept"}));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  s = db_->Transact([](Executor& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO item (name) VALUES (?)", {"lost"}));
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  s = db_->Transact([](Executor& tx) -> Status {
    RETURN_IF_ERROR(tx.Exec("INSERT INTO item (name) VALUES (?)", {"also lost"}));
    RETURN_IF_ERROR(tx.Exec("INSERT INTO item (name) VALUES (?)", {"kept"}));  // unique violation
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  auto r = db_->Query("SELECT name FROM item ORDER BY name");
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->Text(0, 0), "kept");
}

TEST_F(StoreTest, ConcurrentWritersAllLand) {
  ASSERT_TRUE(db_->Exec("INSERT INTO item (name, qty) VALUES (?, 0)", {"counter"}).ok());
  constexpr int kThreads = 4, kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Status s = db_->Transact([](Executor& tx) -> Status {
          return tx.Exec("UPDATE item SET qty = qty + 1 WHERE name = ?", {"counter"}).status();
        });
        if (!s.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(db_->Query("SELECT qty FROM item WHERE name = ?", {"counter"})->Int(0, 0), kThreads * kEach);
}

TEST_F(StoreTest, PlaceholdersInsideQuotesAreLeftAlone) {
  auto r = db_->Query("SELECT '?' || ?", {"x"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Text(0, 0), "?x");
}

TEST(Dialect, ExpandsTokens) {
  EXPECT_EQ(ExpandDialect("a {id}, b {blob}", Dialect::kSqlite), "a INTEGER PRIMARY KEY, b BLOB");
  EXPECT_EQ(ExpandDialect("{blob}", Dialect::kPostgres), "BYTEA");
  EXPECT_EQ(postgres::NumberPlaceholders("a = ? AND b = '?' AND c = ?"), "a = $1 AND b = '?' AND c = $2");
}

TEST(Open, BadPathsAndUrlsAreErrors) {
  EXPECT_FALSE(Open("/proc/no/such/dir/x.db").ok());
  auto pg = Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.status().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace mekong::store
