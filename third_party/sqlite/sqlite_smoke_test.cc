// Smoke test for //third_party/sqlite: opens an in-memory database, writes a
// row and reads it back (the recovery store uses the same calls).
#include <sqlite3.h>

#include <cstdio>
#include <cstring>

int main() {
  sqlite3* db = nullptr;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  char* err = nullptr;
  const char* sql =
      "CREATE TABLE snaps (step_id TEXT, epoch INTEGER);"
      "INSERT INTO snaps VALUES ('count', 7);";
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "%s\n", err);
    sqlite3_free(err);
    return 1;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT step_id, epoch FROM snaps", -1, &stmt, nullptr) != SQLITE_OK)
    return 1;
  int ok = 0;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    const char* step = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    const int epoch = sqlite3_column_int(stmt, 1);
    std::printf("sqlite %s: %s %d\n", sqlite3_libversion(), step, epoch);
    ok = std::strcmp(step, "count") == 0 && epoch == 7;
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return ok ? 0 : 1;
}
