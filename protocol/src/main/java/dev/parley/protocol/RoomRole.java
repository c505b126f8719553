package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A member's role in a room: the creator is the owner; owners and admins manage the room. */
public enum RoomRole {
  OWNER,
  ADMIN,
  MEMBER;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean manages() {
    return this != MEMBER;
  }
}
