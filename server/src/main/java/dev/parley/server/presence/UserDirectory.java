package dev.parley.server.presence;

import dev.parley.server.account.Usernames;
import dev.parley.server.store.UserStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Lists users with their online state, sorted by name ignoring case. Thread-safe. */
public final class UserDirectory {
  private final UserStore users;
  private final PresenceService presence;
  private final Executor database;

  public UserDirectory(UserStore users, PresenceService presence, Executor database) {
    this.users = users;
    this.presence = presence;
    this.database = database;
  }

  /** Online-only listings come from memory; full listings read the store. */
  public CompletableFuture<List<DirectoryEntry>> list(String prefix, boolean onlineOnly, int limit) {
    String keyPrefix = prefix == null ? "" : Usernames.lookupKey(prefix);
    if (onlineOnly) {
      return CompletableFuture.completedFuture(
          presence.onlineByKey().entrySet().stream()
              .filter(e -> e.getKey().startsWith(keyPrefix))
              .sorted(Map.Entry.comparingByKey())
              .limit(limit)
              .map(e -> new DirectoryEntry(e.getValue(), true))
              .toList());
    }
    return CompletableFuture.supplyAsync(
        () -> users.list(keyPrefix, limit).stream()
            .map(user -> new DirectoryEntry(user.username(), presence.isOnline(Usernames.key(user.username()))))
            .toList(),
        database);
  }
}
