package dev.parley.server.config;

import java.nio.file.Path;

/**
 * Whether the HTTP and TCP ports speak TLS, and with which certificate. The admin listener never
 * does: it stays plain HTTP on loopback for local monitoring.
 *
 * @param mode off, a certificate and key from PEM files, or one generated in the data directory
 * @param certificateFile the PEM certificate chain, leaf first ({@code tls-cert}); null unless {@link Mode#FILES}
 * @param keyFile its PEM private key, unencrypted ({@code tls-key}); null unless {@link Mode#FILES}
 */
public record TlsSettings(Mode mode, Path certificateFile, Path keyFile) {
  public static final TlsSettings OFF = new TlsSettings(Mode.OFF, null, null);

  /** How the server comes by its certificate. */
  public enum Mode {
    OFF,
    /** {@code tls-cert} and {@code tls-key}, re-read on SIGHUP. */
    FILES,
    /** {@code tls=self-signed}: generated in the data directory on first start, reused after. */
    SELF_SIGNED
  }

  public TlsSettings {
    if ((mode == Mode.FILES) != (certificateFile != null && keyFile != null)) {
      throw new IllegalArgumentException("certificate and key files go with TLS mode FILES only");
    }
  }

  public boolean enabled() {
    return mode != Mode.OFF;
  }
}
