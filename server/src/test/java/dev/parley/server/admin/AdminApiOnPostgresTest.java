package dev.parley.server.admin;

import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestDatabase;

/** {@link AdminApiTest} again, on a server whose store is PostgreSQL. */
@ServerSetting(key = "database", value = TestDatabase.OWN)
class AdminApiOnPostgresTest extends AdminApiTest {}
