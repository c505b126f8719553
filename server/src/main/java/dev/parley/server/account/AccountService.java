package dev.parley.server.account;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.AccountSettings;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.Credentials;
import dev.parley.server.store.TokenRecord;
import dev.parley.server.store.TokenStore;
import dev.parley.server.store.User;
import dev.parley.server.store.UserStore;
import dev.parley.server.store.UsernameTakenException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Registration, login, token authentication and logout. Argon2 work runs on the hashing executor
 * and token look-ups on the database executor, so callers on an event loop never block. Thread-safe.
 */
public final class AccountService {
  /** A token's last use is written at most this often, so authentication is usually read-only. */
  private static final Duration TOUCH_INTERVAL = Duration.ofHours(1);

  /** Told when a token stops being valid, so the connections that used it can be closed. */
  @FunctionalInterface
  public interface RevocationListener {
    void tokenRevoked(String tokenHash);
  }

  private final UserStore users;
  private final TokenStore tokens;
  private final PasswordRules passwordRules;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final RegistrationThrottle registrations;
  private final SecurityLog securityLog;
  private final Duration tokenTtl;
  private final Clock clock;
  private final Executor hashing;
  private final Executor database;
  private final ServerMetrics metrics;
  private final CopyOnWriteArrayList<RevocationListener> revocationListeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<Consumer<User>> registrationListeners = new CopyOnWriteArrayList<>();

  /** The service as the settings describe it: password rules, Argon2 cost, throttles and token lifetime. */
  public static AccountService fromSettings(
      UserStore users,
      TokenStore tokens,
      AccountSettings settings,
      SecurityLog securityLog,
      Clock clock,
      Executor hashing,
      Executor database,
      ServerMetrics metrics) {
    return new AccountService(
        users,
        tokens,
        new PasswordRules(settings.passwordPolicy()),
        new PasswordHasher(settings.argon2()),
        new LoginThrottle(settings.loginLimits(), clock),
        new RegistrationThrottle(settings.registrationLimits(), clock),
        securityLog,
        settings.tokenTtl(),
        clock,
        hashing,
        database,
        metrics);
  }

  public AccountService(
      UserStore users,
      TokenStore tokens,
      PasswordRules passwordRules,
      PasswordHasher hasher,
      LoginThrottle throttle,
      RegistrationThrottle registrations,
      SecurityLog securityLog,
      Duration tokenTtl,
      Clock clock,
      Executor hashing,
      Executor database,
      ServerMetrics metrics) {
    this.users = users;
    this.tokens = tokens;
    this.passwordRules = passwordRules;
    this.hasher = hasher;
    this.throttle = throttle;
    this.registrations = registrations;
    this.securityLog = securityLog;
    this.tokenTtl = tokenTtl;
    this.clock = clock;
    this.hashing = hashing;
    this.database = database;
    this.metrics = metrics;
  }

  /** The rules a new password must meet, so that clients can show them before anyone types. */
  public ServerConfig.PasswordPolicy passwordPolicy() {
    return passwordRules.policy();
  }

  public void onRevocation(RevocationListener listener) {
    revocationListeners.add(listener);
  }

  /** Told of every new account once it is stored, so that people lists can show it at once. */
  public void onRegistration(Consumer<User> listener) {
    registrationListeners.add(listener);
  }

  /**
   * The cheap refusals come first: a bad name or password, a taken name and a spent registration
   * allowance cost no Argon2 hash, so a flood of them cannot fill the hashing queue.
   *
   * @param address the client's address, for the registration limits
   */
  public CompletableFuture<User> register(String rawUsername, String password, String address) {
    String username;
    try {
      username = Usernames.normalize(rawUsername);
      passwordRules.check(password, username);
    } catch (ParleyException e) {
      return CompletableFuture.failedFuture(e);
    }
    String key = Usernames.key(username);
    // A look-alike of an existing name is "taken" even when its script mix alone would refuse it.
    return run(database, () -> users.findByKey(key).isPresent()
            || users.findBySkeleton(Usernames.skeleton(username)).isPresent())
        .thenCompose(taken -> {
          if (taken) {
            throw usernameTaken(new UsernameTakenException(username));
          }
          Usernames.requireSafeScripts(username);
          try {
            registrations.acquire(address);
          } catch (ParleyException e) {
            securityLog.registrationRefused(address, e.retryAfterSeconds());
            throw e;
          }
          return run(hashing, () -> {
            try {
              metrics.passwordHashed();
              User user = users.create(username, key, hasher.hash(password), clock.millis());
              securityLog.registered(user.username(), address);
              registrationListeners.forEach(listener -> listener.accept(user));
              return user;
            } catch (UsernameTakenException e) {
              throw usernameTaken(e);
            }
          });
        });
  }

  public CompletableFuture<LoggedIn> login(String rawUsername, String password, String address) {
    String key = Usernames.lookupKey(rawUsername);
    try {
      // Before the hashing queue: a throttled client must not take a place in it.
      throttle.check(key, address);
    } catch (ParleyException e) {
      securityLog.loginThrottled(address, e.retryAfterSeconds());
      return CompletableFuture.failedFuture(e);
    }
    return run(hashing, () -> {
      Optional<Credentials> credentials = users.findCredentials(key);
      metrics.passwordHashed();
      boolean valid =
          credentials.isPresent()
              ? hasher.verify(password, credentials.get().passwordHash())
              : hasher.verifyDecoy(password);
      if (!valid) {
        long backoff = throttle.recordFailure(key, address);
        securityLog.loginFailed(credentials.map(c -> c.user().username()).orElse(null), address, backoff);
        metrics.loginFailed();
        throw new ParleyException(ErrorCode.BAD_CREDENTIALS, "wrong username or password");
      }
      throttle.recordSuccess(key, address);
      String token = Tokens.newToken();
      String tokenHash = Tokens.hash(token);
      User user = credentials.get().user();
      tokens.insert(tokenHash, user.id(), clock.millis());
      metrics.loginSucceeded();
      securityLog.loginSucceeded(user.username(), address);
      return new LoggedIn(new Authenticated(user, tokenHash), token);
    });
  }

  public CompletableFuture<Authenticated> authenticate(String token) {
    return run(database, () -> {
      String tokenHash = Tokens.hash(token);
      TokenRecord record = tokens.find(tokenHash).orElseThrow(AccountService::unauthorized);
      long now = clock.millis();
      if (now - record.lastUsedAtMillis() > tokenTtl.toMillis()) {
        tokens.delete(tokenHash);
        throw unauthorized();
      }
      if (now - record.lastUsedAtMillis() > TOUCH_INTERVAL.toMillis()) {
        tokens.touch(tokenHash, now);
      }
      return new Authenticated(record.user(), tokenHash);
    });
  }

  /** Kills the token at once and tells the listeners, which close the connections that used it. */
  public CompletableFuture<Void> logout(String tokenHash) {
    return run(database, () -> {
      tokens.delete(tokenHash);
      revocationListeners.forEach(listener -> listener.tokenRevoked(tokenHash));
      return null;
    });
  }

  public void purgeExpiredTokens() {
    tokens.deleteUnusedSince(clock.millis() - tokenTtl.toMillis());
    throttle.purgeExpired();
    registrations.purgeExpired();
  }

  private static ParleyException usernameTaken(UsernameTakenException e) {
    return new ParleyException(ErrorCode.USERNAME_TAKEN, e.getMessage());
  }

  private static ParleyException unauthorized() {
    return new ParleyException(ErrorCode.UNAUTHORIZED, "unknown or expired token");
  }

  private static <T> CompletableFuture<T> run(Executor executor, Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(ParleyException.rateLimited("server busy", 1));
    }
  }
}
