package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which messages of a conversation should notify the user: every one, those that mention them, none. */
public enum NotifyLevel {
  ALL,
  MENTIONS,
  NONE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Refuses unknown levels with the message the client sees. */
  @JsonCreator
  public static NotifyLevel fromWireName(String wireName) {
    for (NotifyLevel level : values()) {
      if (level.wireName().equals(wireName)) {
        return level;
      }
    }
    throw new IllegalArgumentException("field 'level' must be one of all, mentions, none");
  }
}
