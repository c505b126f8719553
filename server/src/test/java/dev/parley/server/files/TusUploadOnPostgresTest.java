package dev.parley.server.files;

import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestDatabase;

/** {@link TusUploadTest} again, on a server whose store is PostgreSQL. */
@ServerSetting(key = "database", value = TestDatabase.OWN)
class TusUploadOnPostgresTest extends TusUploadTest {}
