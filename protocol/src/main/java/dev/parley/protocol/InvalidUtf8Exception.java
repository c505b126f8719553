package dev.parley.protocol;

import com.fasterxml.jackson.core.JsonParseException;

/** JSON input that is not valid UTF-8; the message names the first bad byte. */
public final class InvalidUtf8Exception extends JsonParseException {
  private static final long serialVersionUID = 1L;

  InvalidUtf8Exception(int offset) {
    super(null, "invalid UTF-8 at byte " + offset);
  }
}
