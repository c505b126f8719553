package dev.parley.server.chat;

import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestDatabase;

/** {@link BacklogReplayTest} again, on a server whose store is PostgreSQL. */
@ServerSetting(key = "database", value = TestDatabase.OWN)
class BacklogReplayOnPostgresTest extends BacklogReplayTest {}
