package dev.parley.server.tls;

import dev.parley.protocol.CertificateFingerprint;
import dev.parley.server.config.TlsSettings;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's TLS: its certificate, and the Netty contexts that new connections handshake with.
 * TLS 1.2 and 1.3 only, forward-secret AEAD cipher suites only (no CBC, no RSA key exchange), ALPN
 * {@code http/1.1} on the HTTP port. BoringSSL (netty-tcnative) does the work where it loads, the
 * JDK otherwise.
 *
 * <p>{@link #reload} swaps in the certificate the files hold now: connections made after it
 * handshake with the new one, connections already up keep theirs. Thread-safe: the current
 * contexts are one immutable snapshot behind a volatile field.
 */
public final class ServerTls {
  private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
  private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  /**
   * TLS 1.3's suites, then TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305 (Mozilla's
   * "intermediate" list); what the provider lacks is left out.
   */
  private static final List<String> CIPHERS = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
  private static final ApplicationProtocolConfig HTTP_1_1 = new ApplicationProtocolConfig(
      ApplicationProtocolConfig.Protocol.ALPN,
      ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
      ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
      ApplicationProtocolNames.HTTP_1_1);

  /** What one certificate gives: a context per port, and the leaf's fingerprint. */
  private record Loaded(SslContext http, SslContext tcp, CertificateFingerprint fingerprint) {}

  private final CertificateFiles files;
  private final SslProvider provider;
  private volatile Loaded current;

  private ServerTls(CertificateFiles files, SslProvider provider) {
    this.files = files;
    this.provider = provider;
    this.current = load();
  }

  /**
   * The TLS of {@code settings}, or null when TLS is off.
   *
   * @throws IllegalArgumentException when the certificate or key cannot be read or do not match
   */
  public static ServerTls of(TlsSettings settings, Path dataDir) {
    return switch (settings.mode()) {
      case OFF -> null;
      case FILES -> new ServerTls(new CertificateFiles(settings.certificateFile(), settings.keyFile()), provider());
      case SELF_SIGNED -> new ServerTls(GeneratedCertificate.in(dataDir), provider());
    };
  }

  private static SslProvider provider() {
    if (OpenSsl.isAvailable() && SslProvider.isAlpnSupported(SslProvider.OPENSSL)) {
      return SslProvider.OPENSSL;
    }
    log.info("BoringSSL (netty-tcnative) not available here ({}); TLS runs on the JDK",
        OpenSsl.unavailabilityCause() == null ? "no ALPN" : OpenSsl.unavailabilityCause().getMessage());
    return SslProvider.JDK;
  }

  /** The context new connections to the HTTP port (HTTPS, WSS) handshake with. */
  public SslContext httpContext() {
    return current.http();
  }

  /** The context new connections to the TCP port handshake with. */
  public SslContext tcpContext() {
    return current.tcp();
  }

  /** The SHA-256 of the certificate new connections get, which clients pin. */
  public CertificateFingerprint fingerprint() {
    return current.fingerprint();
  }

  /** {@code OpenSSL (BoringSSL)} or {@code JDK}: who does the cryptography. */
  public String providerName() {
    return provider == SslProvider.JDK ? "JDK" : "OpenSSL (" + OpenSsl.versionString() + ")";
  }

  /** Where the certificate is read from. */
  public Path certificateFile() {
    return files.certificate();
  }

  /**
   * Reads the certificate and key again; new connections get them from now on. When they cannot
   * be read (a half-written renewal, say), the certificate in use stays and this throws.
   *
   * @return the fingerprint of the certificate now in use
   * @throws IllegalArgumentException why the files could not be used
   */
  public CertificateFingerprint reload() {
    Loaded loaded = load();
    CertificateFingerprint before = current.fingerprint();
    current = loaded;
    log.info("TLS certificate reloaded from {}: {}{}", files.certificate(), loaded.fingerprint(),
        loaded.fingerprint().equals(before) ? " (unchanged)" : " (was " + before + ")");
    return loaded.fingerprint();
  }

  private Loaded load() {
    CertificateFingerprint fingerprint = leafFingerprint(files.certificate());
    try {
      return new Loaded(context(HTTP_1_1), context(ApplicationProtocolConfig.DISABLED), fingerprint);
    } catch (SSLException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "cannot use TLS certificate " + files.certificate() + " with key " + files.key() + ": " + rootMessage(e), e);
    }
  }

  private SslContext context(ApplicationProtocolConfig alpn) throws SSLException {
    return SslContextBuilder.forServer(files.certificate().toFile(), files.key().toFile())
        .sslProvider(provider)
        .protocols(PROTOCOLS)
        .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
        .applicationProtocolConfig(alpn)
        .build();
  }

  private static CertificateFingerprint leafFingerprint(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<? extends Certificate> chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (chain.isEmpty() || !(chain.getFirst() instanceof X509Certificate leaf)) {
        throw new IllegalArgumentException("no PEM certificate in TLS certificate file " + file);
      }
      return CertificateFingerprint.of(leaf.getEncoded());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read TLS certificate file " + file + ": " + e.getMessage(), e);
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("unreadable certificate in " + file + ": " + e.getMessage(), e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException("not a PEM certificate: " + file + ": " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable failure) {
    String message = failure.getMessage();
    for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        message = t.getMessage();
      }
    }
    return message;
  }
}
