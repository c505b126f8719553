package dev.parley.server.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The web client's files, read once at startup from {@code web/} on the class path (the jar, or
 * the build's classes directory). Requests can only name a file of this fixed set, so no request
 * path ever reaches a file system: there is nothing to traverse. Immutable, thread-safe.
 */
final class WebAssets {
  private static final String ROOT = "web";
  /** Only types the client is made of; anything else in the folder is not served. */
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "svg", "image/svg+xml; charset=utf-8",
      "png", "image/png",
      "ico", "image/x-icon",
      "json", "application/json; charset=utf-8");

  /**
   * @param etag a strong validator: a digest of the bytes, so it changes with every release that changes the file
   */
  record Asset(byte[] body, String contentType, String etag) {}

  private final Map<String, Asset> byPath;

  private WebAssets(Map<String, Asset> byPath) {
    this.byPath = byPath;
  }

  /** The asset at a path relative to the client's root ({@code index.html}, {@code js/main.js}). */
  Optional<Asset> find(String path) {
    return Optional.ofNullable(byPath.get(path));
  }

  static WebAssets load() {
    return load(WebAssets.class.getClassLoader());
  }

  static WebAssets load(ClassLoader loader) {
    URL index = loader.getResource(ROOT + "/index.html");
    if (index == null) {
      throw new IllegalStateException("the web client (" + ROOT + "/index.html) is missing from the class path");
    }
    try {
      // A jar: URI is opaque, so the folder is found by cutting the name off, not by URI.resolve.
      String location = index.toURI().toString();
      URI root = URI.create(location.substring(0, location.length() - "index.html".length()));
      if (root.getScheme().equals("jar")) {
        try (FileSystem jar = FileSystems.newFileSystem(root, Map.of())) {
          return new WebAssets(read(jar.provider().getPath(root)));
        }
      }
      return new WebAssets(read(Path.of(root)));
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad class path location " + index, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web client", e);
    }
  }

  private static Map<String, Asset> read(Path root) throws IOException {
    Map<String, Asset> assets = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String relative = root.relativize(file).toString().replace('\\', '/');
        String type = TYPES.get(relative.substring(relative.lastIndexOf('.') + 1));
        if (type != null) {
          byte[] body = Files.readAllBytes(file);
          assets.put(relative, new Asset(body, type, etag(body)));
        }
      }
    }
    return Map.copyOf(assets);
  }

  private static String etag(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
