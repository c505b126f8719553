package dev.parley.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SHA-256 of a certificate's DER encoding, as a server prints it and a client pins it
 * (docs/PROTOCOL.md, "Transports"). Written {@code SHA256:} followed by 64 lower-case hex digits.
 * {@link #parse} also takes what other tools print for the same digest: hex in either case with or
 * without colons ({@code openssl x509 -fingerprint -sha256}), and base64 with or without padding
 * (OpenSSH style), each with or without the {@code SHA256:} prefix.
 */
public record CertificateFingerprint(byte[] sha256) {
  private static final String PREFIX = "SHA256:";
  private static final int LENGTH = 32;

  public CertificateFingerprint {
    if (sha256.length != LENGTH) {
      throw new IllegalArgumentException("a SHA-256 fingerprint has " + LENGTH + " bytes, got " + sha256.length);
    }
    sha256 = sha256.clone();
  }

  /** The fingerprint of a certificate given as its DER encoding. */
  public static CertificateFingerprint of(byte[] derEncoded) {
    try {
      return new CertificateFingerprint(MessageDigest.getInstance("SHA-256").digest(derEncoded));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /**
   * A fingerprint as a person pastes it.
   *
   * @throws IllegalArgumentException with a message fit for a user when it is not a SHA-256 fingerprint
   */
  public static CertificateFingerprint parse(String text) {
    String value = text.strip();
    if (value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      value = value.substring(PREFIX.length());
    }
    String hex = value.replace(":", "");
    if (hex.length() == 2 * LENGTH && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return new CertificateFingerprint(HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT)));
    }
    try {
      byte[] decoded = Base64.getDecoder().decode(value.endsWith("=") ? value : value + "=");
      if (decoded.length == LENGTH) {
        return new CertificateFingerprint(decoded);
      }
    } catch (IllegalArgumentException e) {
      // Neither hex nor base64: reported below.
    }
    throw new IllegalArgumentException(
        "not a SHA-256 certificate fingerprint: '" + text.strip() + "' (expected SHA256: and 64 hex digits, as the server prints it)");
  }

  @Override
  public byte[] sha256() {
    return sha256.clone();
  }

  /** Whether {@code derEncoded} is the certificate this fingerprint names; compared in constant time. */
  public boolean matches(byte[] derEncoded) {
    return MessageDigest.isEqual(sha256, of(derEncoded).sha256);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CertificateFingerprint that && Arrays.equals(sha256, that.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  /** {@code SHA256:} and 64 lower-case hex digits. */
  @Override
  public String toString() {
    return PREFIX + HexFormat.of().formatHex(sha256);
  }
}
