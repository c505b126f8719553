package dev.parley.client;

import dev.parley.protocol.CertificateFingerprint;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import java.util.Objects;

/**
 * Which certificate a client accepts from an {@code https://} server.
 *
 * <ul>
 *   <li>{@link #certificateAuthorities()}: the JDK's usual checks: a chain to a trusted CA, and
 *       the server's name in the certificate. For servers with a real certificate.
 *   <li>{@link #pinned}: exactly one certificate, the one whose SHA-256 the server printed at start
 *       ({@code tls=self-signed}); nothing else about it is checked, neither CA nor name nor
 *       dates, because the pin says all there is to say. A different certificate fails the
 *       handshake, before any request, password or token is sent.
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class ServerTrust {
  private static final ServerTrust CERTIFICATE_AUTHORITIES = new ServerTrust(null);

  private final CertificateFingerprint pin;
  private final SSLContext sslContext;

  private ServerTrust(CertificateFingerprint pin) {
    this.pin = pin;
    this.sslContext = pin == null ? systemContext() : pinnedContext(pin);
  }

  public static ServerTrust certificateAuthorities() {
    return CERTIFICATE_AUTHORITIES;
  }

  public static ServerTrust pinned(CertificateFingerprint fingerprint) {
    return new ServerTrust(fingerprint);
  }

  /** The pinned fingerprint, or null when the certificate authorities decide. */
  public CertificateFingerprint pin() {
    return pin;
  }

  /** A TLS context that trusts what this says; for {@code SSLSocket}s (the TCP port) and HTTP clients alike. */
  public SSLContext sslContext() {
    return sslContext;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServerTrust that && Objects.equals(pin, that.pin);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(pin);
  }

  @Override
  public String toString() {
    return pin == null ? "certificate authorities" : "pinned " + pin;
  }

  private static SSLContext systemContext() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default TLS context", e);
    }
  }

  private static SSLContext pinnedContext(CertificateFingerprint pin) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new PinnedCertificate(pin)}, new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  /**
   * Accepts a server whose leaf certificate has the pinned SHA-256. An extended trust manager,
   * so that the JDK does not add its own host name check on top (it would for a plain
   * {@code X509TrustManager}); a self-signed certificate seldom names the address users type.
   */
  private static final class PinnedCertificate extends X509ExtendedTrustManager {
    private final CertificateFingerprint pin;

    PinnedCertificate(CertificateFingerprint pin) {
      this.pin = pin;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (chain == null || chain.length == 0) {
        throw new CertificateException("the server sent no certificate");
      }
      if (!pin.matches(chain[0].getEncoded())) {
        throw new CertificateException("the server's certificate " + CertificateFingerprint.of(chain[0].getEncoded())
            + " is not the pinned " + pin + "; nothing was sent. If the server's certificate changed on purpose,"
            + " log in again with its new fingerprint");
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("a client does not accept client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
      checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
