package dev.parley.protocol;

import java.util.List;
import java.util.Objects;

/** Presence checks for frame fields, worded the way the error message reaches the client. */
final class Fields {
  private Fields() {}

  static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
  }

  /** For frames addressed either to a user or to a room: exactly one of the two must be given. */
  static void requireOne(Object first, String firstField, Object second, String secondField) {
    if (first == null && second == null) {
      throw new IllegalArgumentException("missing field '" + firstField + "' or '" + secondField + "'");
    }
    atMostOne(first, firstField, second, secondField);
  }

  /** For frames that may narrow to a user or to a room: at most one of the two. */
  static void atMostOne(Object first, String firstField, Object second, String secondField) {
    if (first != null && second != null) {
      throw new IllegalArgumentException("give '" + firstField + "' or '" + secondField + "', not both");
    }
  }

  static void requireStrings(List<String> values, String field) {
    require(values, field);
    if (values.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("field '" + field + "' must hold only strings");
    }
  }
}
