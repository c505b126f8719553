package dev.parley.server.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A route's path: literal segments, {@code {name}} for one non-empty segment, and a last
 * {@code {name...}} for the rest of the path, slashes included (possibly empty). Matching is
 * exact otherwise: a trailing slash makes a different path. Immutable.
 */
public final class PathPattern {
  private static final String REST = "...";

  private final String pattern;
  private final List<String> segments;

  private PathPattern(String pattern, List<String> segments) {
    this.pattern = pattern;
    this.segments = segments;
  }

  public static PathPattern parse(String pattern) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("a path pattern starts with /: " + pattern);
    }
    List<String> segments = List.of(pattern.substring(1).split("/", -1));
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (isParam(segment) && segment.endsWith(REST + "}") && i != segments.size() - 1) {
        throw new IllegalArgumentException("{name...} must be the last segment: " + pattern);
      }
      if (!isParam(segment) && (segment.contains("{") || segment.contains("}"))) {
        throw new IllegalArgumentException("a parameter is a whole segment: " + pattern);
      }
    }
    return new PathPattern(pattern, segments);
  }

  /** The path parameters if the path matches, else null. */
  public Map<String, String> match(String path) {
    if (!path.startsWith("/")) {
      return null;
    }
    String[] parts = path.substring(1).split("/", -1);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      if (isParam(segment) && segment.endsWith(REST + "}")) {
        params.put(name(segment), String.join("/", List.of(parts).subList(Math.min(i, parts.length), parts.length)));
        return i < parts.length ? params : null;
      }
      if (i >= parts.length) {
        return null;
      }
      if (isParam(segment)) {
        if (parts[i].isEmpty()) {
          return null;
        }
        params.put(name(segment), parts[i]);
      } else if (!segment.equals(parts[i])) {
        return null;
      }
    }
    return parts.length == segments.size() ? params : null;
  }

  /** The pattern with parameter names left out: two patterns with the same shape match the same paths. */
  String shape() {
    StringBuilder shape = new StringBuilder();
    for (String segment : segments) {
      shape.append('/').append(!isParam(segment) ? segment : segment.endsWith(REST + "}") ? "{...}" : "{}");
    }
    return shape.toString();
  }

  private static boolean isParam(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  private static String name(String segment) {
    String inner = segment.substring(1, segment.length() - 1);
    return inner.endsWith(REST) ? inner.substring(0, inner.length() - REST.length()) : inner;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
