package dev.parley.server.account;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.InviteRefusedException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Invite codes: 128 random bits, base64url (22 characters, safe in a URL fragment); only their
 * SHA-256 is stored, like a token's. Also how an invite's lifetime is written ({@code 7d}).
 */
public final class InviteCodes {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CODE_BYTES = 16;
  private static final Pattern LIFETIME = Pattern.compile("([1-9][0-9]{0,5})([mhd])");

  private InviteCodes() {}

  public static String newCode() {
    byte[] bytes = new byte[CODE_BYTES];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What is stored of a code. */
  public static String hash(String code) {
    return Tokens.hash(code);
  }

  /**
   * {@code 30m}, {@code 12h} or {@code 7d}.
   *
   * @throws ParleyException bad_request for anything else
   */
  public static Duration parseLifetime(String text) {
    Matcher matcher = LIFETIME.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "expires must be a count and a unit: 30m, 12h or 7d");
    }
    long count = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "m" -> Duration.ofMinutes(count);
      case "h" -> Duration.ofHours(count);
      default -> Duration.ofDays(count);
    };
  }

  /** The error a registration gets for an invite that cannot be used. */
  static ParleyException refusal(InviteRefusedException.Reason reason) {
    return switch (reason) {
      case INVALID -> new ParleyException(ErrorCode.INVITE_INVALID, "no invite has this code");
      case REVOKED -> new ParleyException(ErrorCode.INVITE_REVOKED, "this invite was revoked");
      case EXPIRED -> new ParleyException(ErrorCode.INVITE_EXPIRED, "this invite has expired");
      case USED_UP -> new ParleyException(ErrorCode.INVITE_USED_UP, "this invite has been used as often as it allows");
    };
  }
}
