package dev.parley.app;

import dev.parley.client.LoggedIn;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.CertificateFingerprint;

/**
 * The login a client command acts as, kept between runs.
 *
 * @param server the normalised base address the token was issued by; the token goes nowhere else
 * @param fingerprint the server's certificate as pinned at login ({@code SHA256:} and hex), or
 *     null when the certificate authorities vouch for it (or the server is plain http)
 */
record SavedLogin(String server, String username, String token, String fingerprint) {
  /** What {@code client} logged in as, with the certificate it pinned if any. */
  static SavedLogin of(ParleyClient client, LoggedIn login) {
    CertificateFingerprint pin = client.trust().pin();
    return new SavedLogin(client.base().toString(), login.username(), login.token(), pin == null ? null : pin.toString());
  }

  /** Leaves the token out, so that printing or logging a login never leaks it. */
  @Override
  public String toString() {
    return "SavedLogin[server=" + server + ", username=" + username + ", token=<redacted>, fingerprint=" + fingerprint + "]";
  }
}
