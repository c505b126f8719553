package dev.parley.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The {@code --json} output of the listing and bench commands: one compact JSON document, for scripts. */
public final class JsonOutput {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private JsonOutput() {}

  public static String of(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("not serialisable as JSON: " + value.getClass(), e);
    }
  }
}
