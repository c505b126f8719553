package dev.parley.server.files;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived download tickets, so that a browser can fetch a file with a plain link (which
 * cannot carry an {@code Authorization} header) without the long-lived login token ever
 * appearing in a URL, a history or a log. A ticket is {@code <userId>.<expiresAtMillis>.<mac>},
 * where the mac is HMAC-SHA256 over the file id, user id and expiry under a key drawn at
 * startup: it is bound to one user and one file, cannot be altered, and needs no storage.
 * Restarting the server invalidates every ticket, which only costs a client one more request.
 * Thread-safe.
 */
public final class DownloadTickets {
  private static final String ALGORITHM = "HmacSHA256";
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,19})\\.(\\d{1,19})\\.([A-Za-z0-9_-]{43})");

  private final SecretKeySpec key;
  private final Duration ttl;
  private final Clock clock;

  public DownloadTickets(Duration ttl, Clock clock) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A ticket to file {@code fileId} for user {@code userId}; the caller has checked the user may read it. */
  public Ticket issue(long userId, String fileId) {
    long expiresAt = clock.millis() + ttl.toMillis();
    return new Ticket(userId + "." + expiresAt + "." + mac(fileId, userId, expiresAt), expiresAt);
  }

  /** The user a ticket was issued to, if it is intact, unexpired and for this very file. */
  public OptionalLong verify(String ticket, String fileId) {
    Matcher parts = FORMAT.matcher(ticket);
    if (!parts.matches()) {
      return OptionalLong.empty();
    }
    long userId;
    long expiresAt;
    try {
      userId = Long.parseLong(parts.group(1));
      expiresAt = Long.parseLong(parts.group(2));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
    byte[] expected = mac(fileId, userId, expiresAt).getBytes(StandardCharsets.US_ASCII);
    boolean intact = MessageDigest.isEqual(expected, parts.group(3).getBytes(StandardCharsets.US_ASCII));
    return intact && clock.millis() < expiresAt ? OptionalLong.of(userId) : OptionalLong.empty();
  }

  private String mac(String fileId, long userId, long expiresAt) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      byte[] digest = mac.doFinal((fileId + "\n" + userId + "\n" + expiresAt).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** @param value the ticket, URL-safe as it is; {@code expiresAtMillis} epoch milliseconds */
  public record Ticket(String value, long expiresAtMillis) {}
}
