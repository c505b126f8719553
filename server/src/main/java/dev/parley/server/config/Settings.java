package dev.parley.server.config;

import dev.parley.server.store.postgres.PostgresUrl;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@link ServerConfig} from layered sources. A key such as {@code http-port} is written
 * {@code http-port=8080} in the config file, {@code PARLEY_HTTP_PORT} in the environment and
 * {@code --http-port} on the command line; later layers override earlier ones. Unknown keys in
 * the file or on the command line are an error, so a typo never silently falls back to a default.
 */
public final class Settings {
  /** Every key with its default; the documented reference lives in the README. */
  public static final Map<String, String> DEFAULTS = defaults();

  private final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);

  public static Settings defaultsOnly() {
    return new Settings();
  }

  /** Config file, then environment, then explicit overrides (the command line). */
  public static Settings load(Path configFile, Map<String, String> environment, Map<String, String> overrides) {
    Settings settings = new Settings();
    if (configFile != null) {
      settings.putAll(readProperties(configFile), configFile.toString());
    }
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("PARLEY_")) {
            String key = name.substring("PARLEY_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
            if (DEFAULTS.containsKey(key)) {
              settings.values.put(key, value);
            }
          }
        });
    settings.putAll(overrides, "command line");
    return settings;
  }

  public Settings with(String key, Object value) {
    putAll(Map.of(key, String.valueOf(value)), "override");
    return this;
  }

  public ServerConfig toConfig() {
    return new ServerConfig(
        new ListenSettings(
            string("host"),
            port("http-port"),
            port("tcp-port"),
            maxConnections(),
            positive("max-connections-per-address"),
            addressRanges("trusted-proxies")),
        new ConnectionLimits(
            positive("max-frame-bytes"),
            Duration.ofSeconds(positive("idle-timeout-seconds")),
            positive("outbound-queue-frames"),
            positiveLong("max-outbound-bytes"),
            Duration.ofSeconds(positive("header-timeout-seconds")),
            Duration.ofSeconds(positive("auth-timeout-seconds")),
            positive("max-requests-in-flight"),
            positive("frames-per-second"),
            positive("frame-burst")),
        new StoreSettings(Path.of(string("data-dir")), positive("db-reader-threads"), positiveLong("wal-max-bytes"), database(),
            filesDir()),
        new AccountSettings(
            Duration.ofDays(positive("token-ttl-days")),
            new ServerConfig.PasswordPolicy(
                positive("password-min-length"),
                positive("password-max-length"),
                bool("password-require-letter"),
                bool("password-require-digit")),
            new ServerConfig.Argon2Cost(
                positive("argon2-memory-kib"), positive("argon2-iterations"), positive("argon2-parallelism")),
            new ServerConfig.LoginLimits(
                positive("login-failures-per-username"),
                positive("login-failures-per-address"),
                Duration.ofSeconds(positive("login-failure-window-seconds")),
                Duration.ofSeconds(positive("login-backoff-initial-seconds")),
                Duration.ofSeconds(positive("login-backoff-max-seconds"))),
            new ServerConfig.RegistrationLimits(
                positive("registrations-per-address-per-hour"), positive("registrations-per-hour")),
            RegistrationMode.parse(string("registration"))),
        new ChatSettings(
            positive("max-text-chars"),
            positive("commit-batch-max"),
            Duration.ofSeconds(positive("writer-stall-seconds")),
            new PageLimits(positive("history-page-default"), positive("history-page-max")),
            new ServerConfig.MessageRate(positive("messages-per-second"), positive("message-burst")),
            positive("max-room-members")),
        new PresenceSettings(
            new PageLimits(positive("users-page-default"), positive("users-page-max")), positive("watch-max-users")),
        new ServerConfig.FileLimits(
            positiveLong("max-file-bytes"),
            positive("max-uploads-per-user"),
            Duration.ofMinutes(positive("upload-expiry-minutes")),
            Duration.ofSeconds(positive("download-ticket-seconds")),
            positiveLong("max-storage-bytes-per-user")),
        new SiteSettings(publicUrl(), allowedOrigins()),
        new AdminSettings(string("admin-host"), port("admin-port"), optional("metrics-token")),
        tls(),
        cluster());
  }

  /** {@code bus} and the settings that only matter with it. */
  private ClusterSettings cluster() {
    String bus = optional("bus");
    if (bus != null) {
      for (String server : bus.split(",")) {
        String url = server.strip().toLowerCase(Locale.ROOT);
        if (!url.startsWith("nats://") && !url.startsWith("tls://")) {
          throw new IllegalArgumentException("setting bus must be empty (a standalone node) or nats://HOST:PORT, got '" + server.strip() + "'");
        }
      }
    }
    if (bus != null && database() == null) {
      throw new IllegalArgumentException("setting bus joins nodes that share one PostgreSQL database: give database=postgresql://... too");
    }
    String subject = string("bus-subject");
    if (!subject.matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      throw new IllegalArgumentException("setting bus-subject must be NATS subject tokens (letters, digits, - and _) joined by dots, got '" + subject + "'");
    }
    String nodeId = optional("node-id");
    if (nodeId != null && !nodeId.matches("[A-Za-z0-9_.-]{1,64}")) {
      throw new IllegalArgumentException("setting node-id must be 1 to 64 letters, digits, '.', '-' or '_', got '" + nodeId + "'");
    }
    Duration heartbeat = Duration.ofSeconds(positive("presence-heartbeat-seconds"));
    Duration lease = Duration.ofSeconds(positive("presence-lease-seconds"));
    if (lease.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("setting presence-lease-seconds must be at least twice presence-heartbeat-seconds,"
          + " or one late heartbeat takes a node's users offline");
    }
    return new ClusterSettings(bus, nodeId != null ? nodeId : NodeIds.generated(), subject, heartbeat, lease,
        Duration.ofMillis(positive("bus-gap-wait-millis")), Duration.ofMillis(positive("bus-check-millis")));
  }

  /**
   * {@code tls-cert} with {@code tls-key}, or {@code tls=self-signed}, or neither ({@code tls=off},
   * the default). Relative files resolve against the working directory, as {@code data-dir} does.
   */
  private TlsSettings tls() {
    String cert = optional("tls-cert");
    String key = optional("tls-key");
    String mode = string("tls").toLowerCase(Locale.ROOT);
    if (!mode.equals("off") && !mode.equals("self-signed")) {
      throw new IllegalArgumentException("setting tls must be off or self-signed (or give tls-cert and tls-key), got '" + string("tls") + "'");
    }
    if ((cert == null) != (key == null)) {
      throw new IllegalArgumentException("settings tls-cert and tls-key go together: give both, the PEM certificate and its private key");
    }
    if (cert != null && mode.equals("self-signed")) {
      throw new IllegalArgumentException("tls=self-signed generates its own certificate; leave out tls-cert and tls-key, or tls");
    }
    if (cert != null) {
      return new TlsSettings(TlsSettings.Mode.FILES, Path.of(cert), Path.of(key));
    }
    return mode.equals("self-signed") ? new TlsSettings(TlsSettings.Mode.SELF_SIGNED, null, null) : TlsSettings.OFF;
  }

  private void putAll(Map<String, String> source, String origin) {
    Set<String> unknown = new TreeSet<>(source.keySet());
    unknown.removeAll(DEFAULTS.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown setting " + unknown + " in " + origin);
    }
    values.putAll(source);
  }

  private String string(String key) {
    return values.get(key).strip();
  }

  /** The value, or null when it is empty. */
  private String optional(String key) {
    String value = string(key);
    return value.isEmpty() ? null : value;
  }

  /** {@code database}: empty for SQLite in the data directory, or a PostgreSQL URL. */
  private String database() {
    String value = optional("database");
    if (value != null && !PostgresUrl.isPostgres(value)) {
      throw new IllegalArgumentException("setting database must be empty (SQLite in data-dir) or a postgresql:// URL");
    }
    return value;
  }

  /** {@code files-dir}: empty for the data directory itself, else a directory every node shares. */
  private Path filesDir() {
    String value = optional("files-dir");
    return Path.of(value != null ? value : string("data-dir"));
  }

  /** {@code public-url}: empty, or an absolute http(s) URL whose path is ignored. */
  private URI publicUrl() {
    String value = optional("public-url");
    if (value == null) {
      return null;
    }
    URI url;
    try {
      url = new URI(value);
    } catch (URISyntaxException e) {
      url = null;
    }
    if (url == null || url.getHost() == null || !("http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme()))) {
      throw new IllegalArgumentException("setting public-url must be an http or https URL such as https://chat.example.org, got '" + value + "'");
    }
    return url;
  }

  /** {@code allowed-origins}: comma-separated origins, each {@code scheme://host[:port]}. */
  private Set<String> allowedOrigins() {
    Set<String> origins = new TreeSet<>();
    for (String entry : string("allowed-origins").split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String origin = SiteSettings.origin(entry);
      if (origin == null) {
        throw new IllegalArgumentException(
            "setting allowed-origins must list origins such as https://app.example.org, got '" + entry.strip() + "'");
      }
      origins.add(origin);
    }
    return origins;
  }

  private int integer(String key) {
    try {
      return Integer.parseInt(string(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting " + key + " must be a whole number, got '" + values.get(key) + "'");
    }
  }

  private int positive(String key) {
    int value = integer(key);
    if (value <= 0) {
      throw new IllegalArgumentException("setting " + key + " must be positive, got " + value);
    }
    return value;
  }

  private long positiveLong(String key) {
    long value;
    try {
      value = Long.parseLong(string(key));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting " + key + " must be a whole number, got '" + values.get(key) + "'");
    }
    if (value <= 0) {
      throw new IllegalArgumentException("setting " + key + " must be positive, got " + value);
    }
    return value;
  }

  /** {@code auto} (the default) derives the limit from the process's open-files limit. */
  private int maxConnections() {
    return "auto".equalsIgnoreCase(string("max-connections")) ? FileDescriptors.defaultMaxConnections() : positive("max-connections");
  }

  /** A comma-separated list of addresses and CIDR ranges; empty for none. */
  private List<AddressRange> addressRanges(String key) {
    List<AddressRange> ranges = new ArrayList<>();
    for (String entry : string(key).split(",")) {
      if (!entry.isBlank()) {
        try {
          ranges.add(AddressRange.parse(entry.strip()));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("setting " + key + ": " + e.getMessage(), e);
        }
      }
    }
    return List.copyOf(ranges);
  }

  private int port(String key) {
    int value = integer(key);
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException("setting " + key + " must be a port from 0 to 65535, got " + value);
    }
    return value;
  }

  private boolean bool(String key) {
    return switch (string(key).toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("setting " + key + " must be true or false");
    };
  }

  private static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> map = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(name -> map.put(name, properties.getProperty(name)));
    return map;
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("host", "0.0.0.0");
    d.put("http-port", "8080");
    d.put("tcp-port", "7070");
    d.put("data-dir", "parley-data");
    d.put("database", "");
    d.put("files-dir", "");
    d.put("max-frame-bytes", "65536");
    d.put("max-text-chars", "10000");
    d.put("idle-timeout-seconds", "120");
    d.put("token-ttl-days", "30");
    d.put("password-min-length", "8");
    d.put("password-max-length", "128");
    d.put("password-require-letter", "true");
    d.put("password-require-digit", "true");
    d.put("argon2-memory-kib", "19456");
    d.put("argon2-iterations", "2");
    d.put("argon2-parallelism", "1");
    d.put("login-failures-per-username", "10");
    d.put("login-failures-per-address", "30");
    d.put("login-failure-window-seconds", "300");
    d.put("login-backoff-initial-seconds", "5");
    d.put("login-backoff-max-seconds", "900");
    d.put("registrations-per-address-per-hour", "30");
    d.put("registrations-per-hour", "1000");
    d.put("registration", "open");
    d.put("trusted-proxies", "");
    d.put("outbound-queue-frames", "8192");
    d.put("max-outbound-bytes", String.valueOf(16 << 20));
    d.put("header-timeout-seconds", "10");
    d.put("auth-timeout-seconds", "10");
    d.put("max-requests-in-flight", "128");
    d.put("frames-per-second", "1000");
    d.put("frame-burst", "1000");
    d.put("history-page-default", "50");
    d.put("history-page-max", "100");
    d.put("users-page-default", "200");
    d.put("users-page-max", "1000");
    d.put("watch-max-users", "1000");
    d.put("commit-batch-max", "512");
    d.put("max-room-members", "1000");
    d.put("db-reader-threads", "4");
    d.put("wal-max-bytes", String.valueOf(64L << 20));
    d.put("writer-stall-seconds", "30");
    d.put("max-connections", "auto");
    d.put("max-connections-per-address", "256");
    d.put("max-file-bytes", String.valueOf(4L << 30));
    d.put("max-uploads-per-user", "20");
    d.put("upload-expiry-minutes", String.valueOf(24 * 60));
    d.put("download-ticket-seconds", "300");
    d.put("max-storage-bytes-per-user", String.valueOf(10L << 30));
    d.put("messages-per-second", "20");
    d.put("message-burst", "200");
    d.put("public-url", "");
    d.put("allowed-origins", "");
    d.put("admin-host", "127.0.0.1");
    d.put("admin-port", "8081");
    d.put("metrics-token", "");
    d.put("tls", "off");
    d.put("tls-cert", "");
    d.put("tls-key", "");
    d.put("bus", "");
    d.put("node-id", "");
    d.put("bus-subject", "parley");
    d.put("presence-heartbeat-seconds", "2");
    d.put("presence-lease-seconds", "10");
    d.put("bus-gap-wait-millis", "100");
    d.put("bus-check-millis", "1000");
    return Collections.unmodifiableMap(d);
  }
}
