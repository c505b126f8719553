package dev.parley.server.rooms;

import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestDatabase;

/** {@link UnreadCountTest} again, on a server whose store is PostgreSQL. */
@ServerSetting(key = "database", value = TestDatabase.OWN)
class UnreadCountOnPostgresTest extends UnreadCountTest {}
