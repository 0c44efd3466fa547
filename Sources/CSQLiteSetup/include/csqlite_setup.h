#ifndef CSQLITE_SETUP_H
#define CSQLITE_SETUP_H

/// Sets SQLite's process-wide options before the first connection opens (sqlite3_config is
/// variadic, so Swift cannot call it): multi-thread mode, because GRDB already serialises
/// every use of a connection, so the per-call connection mutex is waste; and no memory
/// statistics, which take a global mutex on every SQLite malloc and free. Returns SQLITE_OK,
/// or SQLITE_MISUSE when SQLite was already initialised (then nothing changes).
int gk_sqlite_setup(void);

#endif
