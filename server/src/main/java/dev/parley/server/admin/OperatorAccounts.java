package dev.parley.server.admin;

import dev.parley.server.account.InviteCodes;
import dev.parley.server.account.PasswordHasher;
import dev.parley.server.account.Tokens;
import dev.parley.server.account.Usernames;
import dev.parley.server.config.Settings;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.Credentials;
import dev.parley.server.store.Invite;
import dev.parley.server.store.StoreProvider;
import dev.parley.server.store.Stores;
import dev.parley.server.store.User;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operator's commands on a data directory: the admin role and invites (how a server gets its
 * first admin), and the set-up of benchmark accounts: many users at once, and login tokens minted
 * without a login, which bypass registration checks and login rate limits, so they are for
 * benchmarks only. Safe while a server runs on the same directory (WAL, busy timeout). One thread
 * uses an instance; close it to release the database.
 */
public final class OperatorAccounts implements AutoCloseable {
  private final Stores stores;
  private final BulkAccounts bulk;
  private final SecurityLog securityLog = new SecurityLog(Clock.systemUTC());

  private OperatorAccounts(Stores stores, BulkAccounts bulk) {
    this.stores = stores;
    this.bulk = bulk;
  }

  /** Opens the stores of {@code dataDir}, creating its database if there is none. */
  public static OperatorAccounts open(Path dataDir) {
    return open(dataDir, null);
  }

  /** Opens the stores of the server's settings: {@code database} a PostgreSQL URL, or null for SQLite in {@code dataDir}. */
  public static OperatorAccounts open(Path dataDir, String database) {
    Settings settings = Settings.defaultsOnly().with("data-dir", dataDir);
    if (database != null) {
      settings.with("database", database);
    }
    StoreProvider.OperatorStores opened = StoreProvider.openForOperator(settings.toConfig().store());
    return new OperatorAccounts(opened.stores(), opened.bulk());
  }

  /**
   * Creates {@code names}, skipping those that exist. The password is hashed once, at the default
   * Argon2 cost, and the hash shared by every user: Argon2 per user would make a 100,000-user
   * setup take hours.
   *
   * @return how many users were created
   */
  public int createUsers(List<String> names, String password) {
    String hash = new PasswordHasher(Settings.defaultsOnly().toConfig().accounts().argon2()).hash(password);
    List<NewUser> users = new ArrayList<>(names.size());
    for (String raw : names) {
      String name = Usernames.normalize(raw);
      users.add(new NewUser(name, Usernames.key(name), hash));
    }
    return bulk.createUsers(users, System.currentTimeMillis());
  }

  /**
   * A new login token for each of {@code names}, in that order; nothing is inserted unless every
   * user exists.
   *
   * @throws IllegalArgumentException naming the first user that does not exist
   */
  public List<MintedToken> mintTokens(List<String> names) {
    List<MintedToken> minted = new ArrayList<>(names.size());
    List<NewToken> rows = new ArrayList<>(names.size());
    for (String name : names) {
      User user =
          stores.users().findByKey(Usernames.lookupKey(name)).orElseThrow(() -> new IllegalArgumentException("no user " + name));
      String token = Tokens.newToken();
      rows.add(new NewToken(Tokens.hash(token), user.id()));
      minted.add(new MintedToken(user.username(), token));
    }
    bulk.insertTokens(rows, System.currentTimeMillis());
    return minted;
  }

  /**
   * Grants or revokes the admin role. A running server sees it at the user's next admin request.
   *
   * @return the user's name as registered
   * @throws IllegalArgumentException when there is no such user
   */
  public String setAdmin(String username, boolean granted) {
    User user = stores.users().findByKey(Usernames.lookupKey(username))
        .orElseThrow(() -> new IllegalArgumentException("no user " + username));
    stores.users().setAdmin(user.id(), granted);
    securityLog.adminAction("-", granted ? "grant_admin" : "revoke_admin", user.username());
    return user.username();
  }

  /**
   * A new invite code for {@code uses} registrations, expiring after {@code lifetime} (null: never).
   *
   * @return the code, shown once: only its hash is stored
   */
  public String createInvite(int uses, Duration lifetime) {
    if (uses < 1) {
      throw new IllegalArgumentException("--uses must be at least 1");
    }
    String code = InviteCodes.newCode();
    long now = System.currentTimeMillis();
    Invite invite = stores.invites().create(InviteCodes.hash(code), null, now, lifetime == null ? null : now + lifetime.toMillis(), uses);
    securityLog.adminAction("-", "create_invite", "invite:" + invite.id());
    return code;
  }

  /** The stored PHC password hash of {@code username}: it tells what a login as that user costs. */
  public Optional<String> passwordHash(String username) {
    return stores.users().findCredentials(Usernames.lookupKey(username)).map(Credentials::passwordHash);
  }

  @Override
  public void close() {
    stores.close();
  }

  /** A token as minted: a live credential of {@code username} until it expires. */
  public record MintedToken(String username, String token) {}
}
