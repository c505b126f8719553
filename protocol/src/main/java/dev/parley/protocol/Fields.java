package dev.parley.protocol;

/** Presence checks for frame fields, worded the way the error message reaches the client. */
final class Fields {
  private Fields() {}

  static void require(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException("missing field '" + field + "'");
    }
  }
}
