package dev.parley.server.search;

import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestDatabase;

/** {@link SearchTest} again, on a server whose store is PostgreSQL. */
@ServerSetting(key = "database", value = TestDatabase.OWN)
class SearchOnPostgresTest extends SearchTest {}
