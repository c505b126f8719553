package dev.parley.server.config;

import java.util.Locale;

/** The {@code registration} setting: who may create an account with {@code register}. */
public enum RegistrationMode {
  /** Anyone who can reach the server. */
  OPEN,
  /** Only with an invite code an admin made. */
  INVITE,
  /** No one: accounts come only from the operator ({@code parley admin create-users}). */
  CLOSED;

  static RegistrationMode parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("setting registration must be open, invite or closed, not '" + value + "'", e);
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
