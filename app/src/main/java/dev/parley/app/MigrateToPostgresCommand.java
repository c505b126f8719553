package dev.parley.app;

import dev.parley.server.admin.PostgresMigration;
import dev.parley.server.store.StoreException;
import dev.parley.server.store.postgres.PostgresUrl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Copies a SQLite installation into an empty PostgreSQL database (see {@link PostgresMigration}). */
@Command(
    name = "migrate-to-postgres",
    mixinStandardHelpOptions = true,
    description = {
      "Copy users (with roles and disabled or deleted state), sessions, invites, conversations, messages (with edits,",
      "deletes and mentions), read state, notification levels and file metadata from DATA_DIR's SQLite database into",
      "an empty PostgreSQL database, in one transaction, rebuild the search index, and verify the counts. Stop the server first;",
      "then start it with --database URL and the same --data-dir (the files' bytes stay there)."
    })
final class MigrateToPostgresCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "DATA_DIR", description = "The data directory of the SQLite installation.")
  private Path from;

  @Option(names = "--database", required = true, paramLabel = "URL", description = "The empty PostgreSQL database (postgresql://...).")
  private String database;

  @Override
  public Integer call() {
    PostgresMigration.Copied copied;
    try {
      copied = PostgresMigration.copy(from, PostgresUrl.parse(database, PostgresUrl.Environment.current()));
    } catch (IllegalArgumentException | IllegalStateException | StoreException e) {
      throw new CommandFailedException("migrate-to-postgres: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<String, Long> table : copied.rows().entrySet()) {
      out.printf("%-22s %d rows%n", table.getKey(), table.getValue());
    }
    out.println("copied and verified: every count matches");
    out.flush();
    return 0;
  }
}
