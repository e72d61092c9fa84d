// The system's SQLite (Debian: libsqlite3-dev), the library Linli's embedded store is built on.
#include <sqlite3.h>
