package dev.parley.server.account;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.AccountSettings;
import dev.parley.server.config.RegistrationMode;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.store.Credentials;
import dev.parley.server.store.InviteRefusedException;
import dev.parley.server.store.LimitCells;
import dev.parley.server.store.LoginSession;
import dev.parley.server.store.TokenRecord;
import dev.parley.server.store.TokenStore;
import dev.parley.server.store.User;
import dev.parley.server.store.UserStore;
import dev.parley.server.store.UsernameTakenException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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

  /** Told when logins stop being valid, so the connections that used them can be closed. */
  public interface RevocationListener {
    /** @param byeReason the {@code bye} reason its connections get ({@code ByeReason}) */
    void tokenRevoked(String tokenHash, String byeReason);

    /** Every connection of the user ends (the account was disabled or deleted). */
    void accountClosed(long userId, String byeReason);
  }

  private final UserStore users;
  private final TokenStore tokens;
  private final PasswordRules passwordRules;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final RegistrationThrottle registrations;
  private final SecurityLog securityLog;
  private final Duration tokenTtl;
  private final RegistrationMode registration;
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
      LimitCells limits,
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
        new LoginThrottle(settings.loginLimits(), limits, clock),
        new RegistrationThrottle(settings.registrationLimits(), limits, clock),
        securityLog,
        settings.tokenTtl(),
        settings.registration(),
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
      RegistrationMode registration,
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
    this.registration = registration;
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

  /** Who may register on this server. */
  public RegistrationMode registration() {
    return registration;
  }

  /**
   * The cheap refusals come first: a closed registration, a missing invite, a bad name or
   * password, a taken name and a spent registration allowance cost no Argon2 hash, so a flood of
   * them cannot fill the hashing queue. An invite code is checked and used in the same
   * transaction that stores the user.
   *
   * @param invite an invite code, or null; required when {@link #registration()} is invite, ignored when open
   * @param address the client's address, for the registration limits
   */
  public CompletableFuture<User> register(String rawUsername, String password, String invite, String address) {
    String username;
    try {
      requireRegistrationAllowed(invite, address);
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
              String hash = hasher.hash(password);
              User user = registration == RegistrationMode.INVITE
                  ? users.create(username, key, hash, clock.millis(), InviteCodes.hash(invite))
                  : users.create(username, key, hash, clock.millis());
              securityLog.registered(user.username(), address);
              registrationListeners.forEach(listener -> listener.accept(user));
              return user;
            } catch (UsernameTakenException e) {
              throw usernameTaken(e);
            } catch (InviteRefusedException e) {
              securityLog.inviteRefused(address, e.reason());
              throw InviteCodes.refusal(e.reason());
            }
          });
        });
  }

  private void requireRegistrationAllowed(String invite, String address) {
    switch (registration) {
      case OPEN -> { }
      case CLOSED -> throw new ParleyException(ErrorCode.REGISTRATION_CLOSED, "registration is closed on this server; ask an admin");
      case INVITE -> {
        if (invite == null || invite.isBlank()) {
          securityLog.inviteRefused(address, null);
          throw new ParleyException(ErrorCode.INVITE_REQUIRED, "registration on this server needs an invite code");
        }
      }
    }
  }

  /** A login that sets no new password: see {@link #login(String, String, String, String, String)}. */
  public CompletableFuture<LoggedIn> login(String rawUsername, String password, String address, String agent) {
    return login(rawUsername, password, null, address, agent);
  }

  /**
   * Logs in; a correct password of a disabled account is refused with {@code account_disabled},
   * one reset by an admin with {@code password_change_required} unless {@code newPassword} is
   * given, which then becomes the password.
   *
   * @param newPassword the new password when the old one was reset by an admin, else null
   * @param agent what the client says it is (User-Agent, or the transport), or null
   */
  public CompletableFuture<LoggedIn> login(
      String rawUsername, String password, String newPassword, String address, String agent) {
    String key = Usernames.lookupKey(rawUsername);
    // Before the hashing queue: a throttled client must not take a place in it. On the database
    // executor, as the throttle's counts may be in the database.
    return run(database, () -> {
      try {
        throttle.check(key, address);
      } catch (ParleyException e) {
        securityLog.loginThrottled(address, e.retryAfterSeconds());
        throw e;
      }
      return key;
    }).thenCompose(checked -> run(hashing, () -> {
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
      User user = credentials.get().user();
      if (credentials.get().disabled()) {
        throw new ParleyException(ErrorCode.ACCOUNT_DISABLED, "this account is disabled; ask an admin");
      }
      if (credentials.get().passwordChangeRequired()) {
        replaceResetPassword(user, password, newPassword);
      } else if (newPassword != null) {
        throw new ParleyException(
            ErrorCode.BAD_REQUEST, "newPassword is only for a password an admin reset; change it with POST /api/v1/account/password");
      }
      String token = Tokens.newToken();
      String tokenHash = Tokens.hash(token);
      tokens.insert(tokenHash, user.id(), clock.millis(), address, agent);
      metrics.loginSucceeded();
      securityLog.loginSucceeded(user.username(), address);
      return new LoggedIn(new Authenticated(user, tokenHash), token);
    }));
  }

  /** On the hashing executor: the temporary password was right, so the chosen one replaces it. */
  private void replaceResetPassword(User user, String temporaryPassword, String newPassword) {
    if (newPassword == null) {
      throw new ParleyException(
          ErrorCode.PASSWORD_CHANGE_REQUIRED, "an admin reset this password: log in again with it and a newPassword");
    }
    passwordRules.check(newPassword, user.username());
    if (newPassword.equals(temporaryPassword)) {
      throw new ParleyException(ErrorCode.WEAK_PASSWORD, "choose a password other than the temporary one");
    }
    metrics.passwordHashed();
    users.setPassword(user.id(), hasher.hash(newPassword), false);
    securityLog.passwordChanged(user.username(), "reset_replaced");
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
      revoked(List.of(tokenHash), ByeReason.TOKEN_REVOKED);
      return null;
    });
  }

  /**
   * The user's own password change: the current one must be right (wrong tries count as failed
   * logins), and every other login of the account ends; the caller's stays.
   */
  public CompletableFuture<Void> changePassword(Authenticated me, String oldPassword, String newPassword, String address) {
    String key = Usernames.key(me.user().username());
    try {
      passwordRules.check(newPassword, me.user().username());
    } catch (ParleyException e) {
      return CompletableFuture.failedFuture(e);
    }
    return run(hashing, () -> {
      throttle.check(key, address);
      Credentials credentials = users.findCredentials(key).orElseThrow(AccountService::unauthorized);
      metrics.passwordHashed();
      if (!hasher.verify(oldPassword, credentials.passwordHash())) {
        long backoff = throttle.recordFailure(key, address);
        securityLog.loginFailed(me.user().username(), address, backoff);
        throw new ParleyException(ErrorCode.BAD_CREDENTIALS, "wrong current password");
      }
      metrics.passwordHashed();
      users.setPassword(me.user().id(), hasher.hash(newPassword), false);
      securityLog.passwordChanged(me.user().username(), "changed");
      revoked(tokens.deleteAllOf(me.user().id(), me.tokenHash()), ByeReason.PASSWORD_CHANGED);
      return null;
    });
  }

  /** Whether the user may use the admin API: an admin whose account is neither disabled nor deleted. */
  public CompletableFuture<Boolean> isAdmin(User user) {
    return run(database, () -> users.isAdmin(user.id()));
  }

  /** The caller's logins, most recently used first. */
  public CompletableFuture<List<LoginSession>> sessions(Authenticated me) {
    return run(database, () -> tokens.ofUser(me.user().id()));
  }

  /**
   * Ends one of the caller's logins (the current one included) by its session id.
   *
   * @throws ParleyException not_found when the caller has no such session
   */
  public CompletableFuture<Void> endSession(Authenticated me, String sessionId) {
    if (!SessionIds.isWellFormed(sessionId)) {
      return CompletableFuture.failedFuture(new ParleyException(ErrorCode.NOT_FOUND, "no such session"));
    }
    return run(database, () -> {
      String tokenHash = tokens.deleteByPrefix(me.user().id(), sessionId)
          .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no such session"));
      revoked(List.of(tokenHash), ByeReason.SESSION_ENDED);
      return null;
    });
  }

  /** "Log out everywhere": every login of the caller but the current one ends. */
  public CompletableFuture<Integer> endOtherSessions(Authenticated me) {
    return run(database, () -> {
      List<String> ended = tokens.deleteAllOf(me.user().id(), me.tokenHash());
      revoked(ended, ByeReason.SESSION_ENDED);
      return ended.size();
    });
  }

  /** Tells the listeners that these tokens are gone; their connections end with the reason. */
  void revoked(List<String> tokenHashes, String byeReason) {
    tokenHashes.forEach(hash -> revocationListeners.forEach(listener -> listener.tokenRevoked(hash, byeReason)));
  }

  /** Tells the listeners that every connection of the user must end. */
  void accountClosed(long userId, String byeReason) {
    revocationListeners.forEach(listener -> listener.accountClosed(userId, byeReason));
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

  static <T> CompletableFuture<T> run(Executor executor, Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(ParleyException.rateLimited("server busy", 1));
    }
  }
}
