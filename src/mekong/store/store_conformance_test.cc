// One behaviour, two engines: run with MEKONG_TEST_BACKEND=sqlite or =postgres (see testing.h).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "mekong/store/feed.h"
#include "mekong/store/module.h"
#include "mekong/store/postgres/postgres_database.h"
#include "mekong/store/testing.h"

namespace mekong::store {
namespace {

constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE item (id {id}, name TEXT NOT NULL UNIQUE, qty BIGINT, price DOUBLE PRECISION, "
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
    ASSERT_TRUE(
        db_->Exec("INSERT INTO item (name, qty) VALUES (?, ?)", {"n" + std::to_string(i), i}).ok());
  }
  // SUM(BIGINT) is NUMERIC on PostgreSQL and INTEGER on SQLite; both must read as 10.
  auto r = db_->Query("SELECT SUM(qty), COUNT(*), MAX(qty) FROM item WHERE qty >= ?", {1});
  EXPECT_EQ(r->Int(0, 0), 10);
  EXPECT_EQ(r->Int(0, 1), 4);
  EXPECT_EQ(r->Int(0, 2), 4);
}

TEST_F(StoreTest, ExecCountsChangedRows) {
  for (const char* n : {"x", "y", "z"})
    ASSERT_TRUE(db_->Exec("INSERT INTO item (name, qty) VALUES (?, 1)", {n}).ok());
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
  EXPECT_EQ(db_->Query("SELECT qty FROM item WHERE name = ?", {"counter"})->Int(0, 0),
            kThreads * kEach);
}

TEST_F(StoreTest, InsertRowsReturningAnswersEveryStatementsRows) {
  Params values;
  for (int i = 0; i < 7; ++i) values.insert(values.end(), {"bulk " + std::to_string(i), i});
  // 7 rows, 3 to a statement: three statements, seven rows back.
  auto made = InsertRowsReturning(*db_, "INSERT INTO item (name, qty)", 2, values, 3,
                                  " RETURNING id, name");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ASSERT_EQ(made->size(), 7u);
  std::set<std::string> names;
  for (size_t i = 0; i < made->size(); ++i) names.insert(made->Text(i, 1));
  EXPECT_EQ(names.size(), 7u);
  EXPECT_TRUE(names.count("bulk 6"));
  // Rows the store skips come back as none.
  auto again = InsertRowsReturning(*db_, "INSERT INTO item (name, qty)", 2, values, 3,
                                   " ON CONFLICT (name) DO NOTHING RETURNING id");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM item")->Int(0, 0), 7);
}

TEST_F(StoreTest, UnderPathIsExactlyTheSubtree) {
  // Indexed as a module indexes org paths; names that a case-blind or a language-aware
  // comparison would mix up with the subtree's ("/1/2/" sorts beside "/12/" when '/' is
  // ignored, as glibc's en_US collation does).
  ASSERT_TRUE(
      db_->ExecScript(ExpandDialect("CREATE TABLE unit_row (path TEXT NOT NULL);"
                                    "CREATE INDEX unit_row_path ON unit_row (path {bytewise})",
                                    db_->dialect()))
          .ok());
  for (const char* p : {"/1/", "/1/2/", "/1/2/15/", "/1/2/15/7/", "/1/20/", "/1/21/", "/12/",
                        "/1/2", "/1/3/", "/1/2/a/", "/1/2/A/"}) {
    ASSERT_TRUE(db_->Exec("INSERT INTO unit_row (path) VALUES (?)", {p}).ok());
  }
  auto under = [&](const std::string& path) {
    Params p;
    std::string where = UnderPath(*db_, "path", path, &p);
    auto r = db_->Query("SELECT path FROM unit_row WHERE " + where + " ORDER BY path", p);
    std::vector<std::string> out;
    for (size_t i = 0; r.ok() && i < r->size(); ++i) out.push_back(r->Text(i, 0));
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(under("/1/2/"), (V{"/1/2/", "/1/2/15/", "/1/2/15/7/", "/1/2/A/", "/1/2/a/"}));
  EXPECT_EQ(under("/1/2/15/"), (V{"/1/2/15/", "/1/2/15/7/"}));
  EXPECT_EQ(under("/1/2/a/"), (V{"/1/2/a/"}));
  EXPECT_EQ(under("/9/"), V{});
  EXPECT_EQ(under("").size(), 11u);
}

TEST_F(StoreTest, PlaceholdersInsideQuotesAreLeftAlone) {
  auto r = db_->Query("SELECT '?' || ?", {"x"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->Text(0, 0), "?x");
}

TEST_F(StoreTest, AfterCommitRunsOnlyWhenCommitted) {
  int ran = 0;
  ASSERT_TRUE(db_->Transact([&](Executor& tx) -> Status {
                   tx.AfterCommit([&] { ++ran; });
                   EXPECT_EQ(ran, 0);  // not before the commit
                   return Status::Ok();
                 })
                  .ok());
  EXPECT_EQ(ran, 1);
  EXPECT_FALSE(db_->Transact([&](Executor& tx) -> Status {
                    tx.AfterCommit([&] { ++ran; });
                    return Status::InvalidArgument("no");
                  })
                   .ok());
  EXPECT_EQ(ran, 1);
  db_->AfterCommit([&] { ++ran; });  // outside a transaction: at once
  EXPECT_EQ(ran, 2);
}

TEST_F(StoreTest, ReadSnapshotSeesOneMomentWhileWritersGoOn) {
  ASSERT_TRUE(db_->Exec("INSERT INTO item (name, qty) VALUES ('a', 1)").ok());
  Status s = db_->ReadSnapshot([&](Executor& snap) -> Status {
    ASSIGN_OR_RETURN(Rows before, snap.Query("SELECT COUNT(*) FROM item"));
    // Another connection commits meanwhile; the snapshot does not see it, and is not blocked.
    RETURN_IF_ERROR(db_->Transact(
        [](Executor& tx) { return tx.Exec("INSERT INTO item (name) VALUES ('b')").status(); }));
    ASSIGN_OR_RETURN(Rows after, snap.Query("SELECT COUNT(*) FROM item"));
    EXPECT_EQ(before.Int(0, 0), 1);
    EXPECT_EQ(after.Int(0, 0), 1);
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(db_->Query("SELECT COUNT(*) FROM item")->Int(0, 0), 2);
}

TEST_F(StoreTest, DeferredWritesCommitInOrderWithinTheWindowAndOnFlush) {
  for (int i = 0; i < 3; ++i) {
    db_->Defer("INSERT INTO item (name, qty) VALUES (?, ?)", {"deferred " + std::to_string(i), i});
  }
  // The database's own thread commits them within the window, with no flush asked for.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (db_->Query("SELECT COUNT(*) FROM item")->Int(0, 0) < 3) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "deferred writes not committed";
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  auto rows = db_->Query("SELECT qty FROM item ORDER BY id");
  EXPECT_EQ(rows->Int(0, 0), 0);
  EXPECT_EQ(rows->Int(2, 0), 2);
  // A flush commits at once what is queued; a flush with nothing queued is fine.
  db_->Defer("INSERT INTO item (name, qty) VALUES (?, ?)", {"flushed", 9});
  ASSERT_TRUE(db_->FlushDeferred().ok());
  EXPECT_EQ(db_->Query("SELECT qty FROM item WHERE name = ?", {"flushed"})->Int(0, 0), 9);
  EXPECT_TRUE(db_->FlushDeferred().ok());
}

TEST_F(StoreTest, AFailingDeferredWriteLosesOnlyItself) {
  db_->Defer("INSERT INTO item (name, qty) VALUES (?, ?)", {"first", 1});
  db_->Defer("INSERT INTO item (name, qty) VALUES (?, ?)", {"first", 2});  // UNIQUE fails
  db_->Defer("INSERT INTO item (name, qty) VALUES (?, ?)", {"third", 3});
  EXPECT_FALSE(db_->FlushDeferred().ok());
  auto rows = db_->Query("SELECT name, qty FROM item ORDER BY id");
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ(rows->Text(0, 0), "first");
  EXPECT_EQ(rows->Int(0, 1), 1);
  EXPECT_EQ(rows->Text(1, 0), "third");
}

TEST(Deferred, ADatabaseCommitsItsQueueBeforeItCloses) {
  auto url = testing::NewDatabaseUrl();
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  {
    auto db = Open(*url, 2);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Migrate("test", kMigrations).ok());
    // Many writers at once, more than a batch: none is lost or run twice.
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          (*db)->Defer("INSERT INTO item (name, qty) VALUES (?, ?)",
                       {std::to_string(t) + "-" + std::to_string(i), i});
        }
      });
    }
    for (auto& w : writers) w.join();
  }  // closed at once, before the window has passed
  auto again = Open(*url, 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->Query("SELECT COUNT(*) FROM item")->Int(0, 0), 800);
}

class FeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = testing::NewDatabaseUrl();
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    auto db = Open(url_, 4);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(MigrateModules(*db_, {}).ok());
  }
  Status Put(Database& db, const std::string& topic, const std::string& payload,
             bool commit = true) {
    return db.Transact([&](Executor& tx) -> Status {
      RETURN_IF_ERROR(Publish(tx, topic, payload, 1000));
      return commit ? Status::Ok() : Status::InvalidArgument("rolled back");
    });
  }
  std::string url_;
  std::unique_ptr<Database> db_;
};

TEST_F(FeedTest, ChangesAreAsDurableAsTheirTransaction) {
  EXPECT_EQ(*LatestSeq(*db_), 0);
  ASSERT_TRUE(Put(*db_, "tracing.stays", std::string("\x00\x01", 2)).ok());
  EXPECT_FALSE(Put(*db_, "tracing.stays", "lost", /*commit=*/false).ok());
  ASSERT_TRUE(Put(*db_, "command.alert", "{\"id\":1}").ok());
  auto all = ChangesAfter(*db_, 0, 10);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].topic, "tracing.stays");
  EXPECT_EQ((*all)[0].payload, std::string("\x00\x01", 2));
  EXPECT_LT((*all)[0].seq, (*all)[1].seq);
  EXPECT_EQ(*LatestSeq(*db_), (*all)[1].seq);
  // Payloads only for the topics asked for; the rest still come, to move past.
  auto some = ChangesAfter(*db_, 0, 10, {"command."});
  ASSERT_EQ(some->size(), 2u);
  EXPECT_EQ((*some)[0].payload, "");
  EXPECT_EQ((*some)[1].payload, "{\"id\":1}");
  EXPECT_TRUE(ChangesAfter(*db_, (*all)[1].seq, 10)->empty());
}

TEST_F(FeedTest, PruningMovesTheHorizonAndSeqsAreNeverReused) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Put(*db_, "t.x", std::to_string(i)).ok());
  int64_t last = *LatestSeq(*db_);
  EXPECT_EQ(*PruneChanges(*db_, 2000), 3);
  EXPECT_EQ(*PrunedThrough(*db_), last);
  EXPECT_EQ(*LatestSeq(*db_), last);  // an empty feed still knows how far it came
  ASSERT_TRUE(Put(*db_, "t.x", "after").ok());
  EXPECT_GT(ChangesAfter(*db_, 0, 10)->at(0).seq, last);
}

TEST_F(FeedTest, AFollowerSeesAnotherProcesssWritesWithinASecond) {
  auto other = Open(url_, 2);  // another server or a CLI import: its own connections
  ASSERT_TRUE(other.ok());
  std::mutex mu;
  std::vector<std::string> seen;
  Follower f(*db_, "test", {"tracing."}, [&](const Change& c) {
    std::lock_guard lock(mu);
    seen.push_back(c.payload);
    return Status::Ok();
  });
  f.Start(*LatestSeq(*db_));
  ASSERT_TRUE(Put(**other, "tracing.stays", "from-elsewhere").ok());
  ASSERT_TRUE(Put(**other, "command.alert", "ignored").ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (!seen.empty()) break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << "the follower did not see the change within 1 s";
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  // CatchUp on this thread: everything committed is applied, in order, once.
  ASSERT_TRUE(Put(*db_, "tracing.stays", "local").ok());
  ASSERT_TRUE(f.CatchUp().ok());
  f.Stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"from-elsewhere", "local"}));
  EXPECT_EQ(f.position(), *LatestSeq(*db_));
}

TEST(Modules, MigrateInDependencyOrder) {
  static constexpr Migration none[] = {{1, "SELECT 1"}};
  Module a{"a", {}, {{"a", none}}}, b{"b", {"a"}, {{"b", none}}}, c{"c", {"b", "a"}, {{"c", none}}};
  const Module* listed[] = {&c, &a, &b};
  auto order = MigrationOrder(listed);
  ASSERT_TRUE(order.ok()) << order.status().ToString();
  EXPECT_EQ((*order)[0]->name, "a");
  EXPECT_EQ((*order)[1]->name, "b");
  EXPECT_EQ((*order)[2]->name, "c");
  Module lonely{"lonely", {"missing"}, {}};
  const Module* broken[] = {&lonely};
  EXPECT_EQ(MigrationOrder(broken).status().code(), Code::kFailedPrecondition);
  Module x{"x", {"y"}, {}}, y{"y", {"x"}, {}};
  const Module* cycle[] = {&x, &y};
  EXPECT_NE(MigrationOrder(cycle).status().message().find("cycle"), std::string::npos);
}

TEST(Dialect, ExpandsTokens) {
  EXPECT_EQ(ExpandDialect("a {id}, b {blob}", Dialect::kSqlite), "a INTEGER PRIMARY KEY, b BLOB");
  EXPECT_EQ(ExpandDialect("{blob}", Dialect::kPostgres), "BYTEA");
  EXPECT_EQ(ExpandDialect("(p {bytewise}, q)", Dialect::kPostgres), "(p COLLATE \"C\", q)");
  EXPECT_EQ(ExpandDialect("(p {bytewise}, q)", Dialect::kSqlite), "(p , q)");
  EXPECT_EQ(postgres::NumberPlaceholders("a = ? AND b = '?' AND c = ?"),
            "a = $1 AND b = '?' AND c = $2");
}

TEST(Open, BadPathsAndUrlsAreErrors) {
  EXPECT_FALSE(Open("/proc/no/such/dir/x.db").ok());
  auto mysql = Open("mysql://x");
  EXPECT_EQ(mysql.status().code(), Code::kInvalidArgument);
  EXPECT_NE(mysql.status().message().find("mysql"), std::string::npos);
  auto pg = Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.status().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace mekong::store
