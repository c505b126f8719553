package dev.parley.server.account;

import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestDatabase;

/** {@link InviteRegistrationTest} again, on a server whose store is PostgreSQL. */
@ServerSetting(key = "database", value = TestDatabase.OWN)
class InviteRegistrationOnPostgresTest extends InviteRegistrationTest {}
