#include "mekong/store/testing.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "mekong/core/crypto.h"

namespace mekong::store::testing {

std::string Backend() {
  const char* b = std::getenv("MEKONG_TEST_BACKEND");
  return b && *b ? b : "sqlite";
}

Result<std::string> NewDatabaseUrl() {
  static std::atomic<int> counter{0};
  std::string name = "mekong_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++) +
                     "_" + HexEncode(RandomBytes(4));
  if (Backend() == "sqlite") {
    const char* tmp = std::getenv("TMPDIR");
    auto dir = std::filesystem::path(tmp && *tmp ? tmp : "/tmp") / "mekong-tests";
    std::filesystem::create_directories(dir);
    return (dir / (name + ".db")).string();
  }
  if (Backend() != "postgres")
    return Status::InvalidArgument("MEKONG_TEST_BACKEND must be sqlite or postgres");
  const char* file = std::getenv("MEKONG_TEST_PG_URL_FILE");
  if (!file) return Status::FailedPrecondition("MEKONG_TEST_PG_URL_FILE is not set");
  std::ifstream in(file);
  std::string admin_url;
  if (!std::getline(in, admin_url) || admin_url.empty()) {
    return Status::FailedPrecondition(std::string("no PostgreSQL URL in ") + file +
                                      " (did pg_start run?)");
  }
  ASSIGN_OR_RETURN(auto admin, Open(admin_url, 1));
  RETURN_IF_ERROR(admin->ExecScript("CREATE DATABASE " + name));
  // admin_url ends in "/postgres"; point the copy at the new database.
  return admin_url.substr(0, admin_url.rfind('/') + 1) + name;
}

Result<std::unique_ptr<Database>> OpenTestDatabase(int pool_size) {
  ASSIGN_OR_RETURN(std::string url, NewDatabaseUrl());
  return Open(url, pool_size);
}

}  // namespace mekong::store::testing
