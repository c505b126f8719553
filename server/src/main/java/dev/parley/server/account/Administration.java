package dev.parley.server.account;

import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.metrics.SecurityLog;
import dev.parley.server.store.Invite;
import dev.parley.server.store.InviteStore;
import dev.parley.server.store.TokenStore;
import dev.parley.server.store.User;
import dev.parley.server.store.UserAccount;
import dev.parley.server.store.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * What an admin does to other accounts and to invites. The caller is already known to be an
 * admin (the HTTP gate checks it); every action is written to the {@link SecurityLog}. An admin
 * cannot disable, delete or demote themselves, so a server is never left without the admin who
 * acted. Store work runs on the database executor, Argon2 on the hashing one. Thread-safe.
 */
public final class Administration {
  /** A user as the admin's list shows it. */
  public record Entry(UserAccount account, boolean online) {}

  /** A new invite: the code is shown once and never stored. */
  public record NewInvite(Invite invite, String code) {}

  private static final SecureRandom RANDOM = new SecureRandom();
  /** No 0/O, 1/l/I: a temporary password is read aloud or copied from a screen. */
  private static final String TEMPORARY_LETTERS = "abcdefghijkmnopqrstuvwxyz";
  private static final String TEMPORARY_DIGITS = "23456789";
  private static final int TEMPORARY_LENGTH = 16;
  private static final int MAX_INVITE_USES = 100_000;

  private final UserStore users;
  private final TokenStore tokens;
  private final InviteStore invites;
  private final AccountService accounts;
  private final PasswordHasher hasher;
  private final ServerConfig.PasswordPolicy policy;
  private final LongPredicate online;
  private final SecurityLog securityLog;
  private final Clock clock;
  private final Executor hashing;
  private final Executor database;
  private final CopyOnWriteArrayList<Consumer<User>> deletionListeners = new CopyOnWriteArrayList<>();

  /** @param online whether a user id has a live connection */
  public Administration(
      UserStore users,
      TokenStore tokens,
      InviteStore invites,
      AccountService accounts,
      PasswordHasher hasher,
      LongPredicate online,
      SecurityLog securityLog,
      Clock clock,
      Executor hashing,
      Executor database) {
    this.users = users;
    this.tokens = tokens;
    this.invites = invites;
    this.accounts = accounts;
    this.hasher = hasher;
    this.policy = accounts.passwordPolicy();
    this.online = online;
    this.securityLog = securityLog;
    this.clock = clock;
    this.hashing = hashing;
    this.database = database;
  }

  /** Told of each deleted account, so caches of users by name can drop it. */
  public void onDeletion(Consumer<User> listener) {
    deletionListeners.add(listener);
  }

  public CompletableFuture<List<Entry>> users(String prefix, int limit) {
    String keyPrefix = prefix == null ? "" : Usernames.lookupKey(prefix);
    return AccountService.run(database, () -> users.accounts(keyPrefix, limit).stream()
        .map(account -> new Entry(account, online.test(account.user().id())))
        .toList());
  }

  /**
   * A new, random password that the user must replace at their next login; every login of theirs
   * ends now.
   *
   * @return the temporary password, to hand to the user
   */
  public CompletableFuture<String> resetPassword(User admin, String username) {
    return AccountService.run(database, () -> target(username)).thenCompose(user -> AccountService.run(hashing, () -> {
      String temporary = temporaryPassword();
      users.setPassword(user.id(), hasher.hash(temporary), true);
      accounts.revoked(tokens.deleteAllOf(user.id(), null), ByeReason.PASSWORD_CHANGED);
      securityLog.adminAction(admin.username(), "reset_password", user.username());
      return temporary;
    }));
  }

  /** Disabled: every login ends ({@code bye account_disabled}) and new ones are refused. */
  public CompletableFuture<Void> disable(User admin, String username) {
    return AccountService.run(database, () -> {
      User user = otherThan(admin, target(username), "disable");
      users.setDisabled(user.id(), true, clock.millis());
      tokens.deleteAllOf(user.id(), null);
      accounts.accountClosed(user.id(), ByeReason.ACCOUNT_DISABLED);
      securityLog.adminAction(admin.username(), "disable", user.username());
      return null;
    });
  }

  public CompletableFuture<Void> enable(User admin, String username) {
    return AccountService.run(database, () -> {
      User user = target(username);
      users.setDisabled(user.id(), false, clock.millis());
      securityLog.adminAction(admin.username(), "enable", user.username());
      return null;
    });
  }

  /**
   * Deleted for good: logins end ({@code bye account_deleted}), the name stays taken, and the
   * user's messages stay in their conversations, marked {@code fromDeleted}.
   */
  public CompletableFuture<Void> delete(User admin, String username) {
    return AccountService.run(database, () -> {
      User user = otherThan(admin, target(username), "delete");
      users.markDeleted(user.id(), clock.millis());
      tokens.deleteAllOf(user.id(), null);
      accounts.accountClosed(user.id(), ByeReason.ACCOUNT_DELETED);
      deletionListeners.forEach(listener -> listener.accept(user));
      securityLog.adminAction(admin.username(), "delete", user.username());
      return null;
    });
  }

  /** @param admin null for the operator's offline command */
  public CompletableFuture<Void> setAdmin(User admin, String username, boolean granted) {
    return AccountService.run(database, () -> {
      User user = target(username);
      if (!granted && admin != null) {
        otherThan(admin, user, "revoke the admin role of");
      }
      users.setAdmin(user.id(), granted);
      securityLog.adminAction(admin == null ? "-" : admin.username(), granted ? "grant_admin" : "revoke_admin", user.username());
      return null;
    });
  }

  /**
   * @param admin null for the operator's offline command
   * @param uses how many registrations it allows, at least 1
   * @param lifetime null for an invite that does not expire
   */
  public CompletableFuture<NewInvite> createInvite(User admin, int uses, Duration lifetime) {
    if (uses < 1 || uses > MAX_INVITE_USES) {
      return CompletableFuture.failedFuture(
          new ParleyException(ErrorCode.BAD_REQUEST, "uses must be from 1 to " + MAX_INVITE_USES));
    }
    return AccountService.run(database, () -> {
      String code = InviteCodes.newCode();
      long now = clock.millis();
      Invite invite = invites.create(
          InviteCodes.hash(code), admin == null ? null : admin.id(), now, lifetime == null ? null : now + lifetime.toMillis(), uses);
      securityLog.adminAction(admin == null ? "-" : admin.username(), "create_invite", "invite:" + invite.id());
      return new NewInvite(invite, code);
    });
  }

  public CompletableFuture<List<Invite>> invites() {
    return AccountService.run(database, invites::list);
  }

  public CompletableFuture<Void> revokeInvite(User admin, long id) {
    return AccountService.run(database, () -> {
      if (!invites.revoke(id, clock.millis())) {
        throw new ParleyException(ErrorCode.NOT_FOUND, "no invite " + id);
      }
      securityLog.adminAction(admin.username(), "revoke_invite", "invite:" + id);
      return null;
    });
  }

  private User target(String username) {
    if (username == null) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "name a user");
    }
    return users.findByKey(Usernames.lookupKey(username))
        .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no user '" + username + "'"));
  }

  private static User otherThan(User admin, User user, String action) {
    if (admin.id() == user.id()) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "an admin cannot " + action + " their own account");
    }
    return user;
  }

  /** Letters and digits, long enough for the policy, with at least one of each. */
  private String temporaryPassword() {
    int length = Math.min(Math.max(TEMPORARY_LENGTH, policy.minLength()), policy.maxLength());
    StringBuilder password = new StringBuilder(length);
    password.append(TEMPORARY_DIGITS.charAt(RANDOM.nextInt(TEMPORARY_DIGITS.length())));
    String alphabet = TEMPORARY_LETTERS + TEMPORARY_DIGITS;
    while (password.length() < length - 1) {
      password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    password.append(TEMPORARY_LETTERS.charAt(RANDOM.nextInt(TEMPORARY_LETTERS.length())));
    return password.toString();
  }
}
