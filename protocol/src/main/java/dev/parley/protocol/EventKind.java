package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The kinds of membership entries in a room's log. */
public enum EventKind {
  CREATED,
  JOINED,
  LEFT,
  ADDED,
  REMOVED,
  RENAMED;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
