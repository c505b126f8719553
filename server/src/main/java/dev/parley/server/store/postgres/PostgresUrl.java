package dev.parley.server.store.postgres;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The {@code database} setting: a libpq connection URI, as {@code psql} takes it,
 * {@code postgresql://[user[:password]@][host][:port][/dbname][?param=value&...]}, turned into
 * what the JDBC driver takes. The password is the URI's, else {@code PGPASSWORD}'s, else the
 * first matching line of the password file ({@code passfile} parameter, else {@code PGPASSFILE},
 * else {@code ~/.pgpass}), which like libpq is ignored when group or others may read it.
 *
 * @param host a host, or several ({@code h1:5432,h2:5432}) as libpq and the driver accept them
 * @param password null when none was found (trust or peer authentication)
 * @param parameters the query parameters the driver is given (sslmode, connect_timeout, ...)
 */
public record PostgresUrl(String host, int port, String database, String user, String password, Map<String, String> parameters) {
  private static final int DEFAULT_PORT = 5432;
  /** Parameters passed to the driver under the same name; libpq and pgjdbc agree on these. */
  private static final Set<String> DRIVER_PARAMETERS =
      Set.of("sslmode", "sslcert", "sslkey", "sslrootcert", "sslpassword", "connect_timeout", "application_name", "options",
          "target_session_attrs");
  /** libpq's name to pgjdbc's, where they differ. */
  private static final Map<String, String> DRIVER_NAMES =
      Map.of("connect_timeout", "connectTimeout", "application_name", "ApplicationName", "target_session_attrs", "targetServerType");

  /** The environment the password look-up reads: variables and the home directory. */
  public record Environment(Map<String, String> variables, Path home) {
    public static Environment current() {
      return new Environment(System.getenv(), Path.of(System.getProperty("user.home")));
    }
  }

  public static boolean isPostgres(String url) {
    return url.startsWith("postgresql://") || url.startsWith("postgres://");
  }

  /** @throws IllegalArgumentException naming what is wrong, never echoing a password */
  public static PostgresUrl parse(String url, Environment environment) {
    if (!isPostgres(url)) {
      throw new IllegalArgumentException("database URL must start with postgresql://");
    }
    String rest = url.substring(url.indexOf("://") + 3);
    Map<String, String> query = new LinkedHashMap<>();
    int questionMark = rest.indexOf('?');
    if (questionMark >= 0) {
      for (String pair : rest.substring(questionMark + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        if (equals < 0) {
          throw new IllegalArgumentException("database URL parameter '" + decode(pair) + "' has no value");
        }
        query.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
      }
      rest = rest.substring(0, questionMark);
    }
    String path = "";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      path = decode(rest.substring(slash + 1));
      rest = rest.substring(0, slash);
    }
    String user = query.remove("user");
    String password = query.remove("password");
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
      if (colon >= 0) {
        password = decode(userInfo.substring(colon + 1));
      }
    }
    String host = query.containsKey("host") ? query.remove("host") : rest.isEmpty() ? "localhost" : rest;
    int port = DEFAULT_PORT;
    if (query.containsKey("port")) {
      port = port(query.remove("port"));
    } else if (!host.contains(",") && host.lastIndexOf(':') > host.lastIndexOf(']')) {
      port = port(host.substring(host.lastIndexOf(':') + 1));
      host = host.substring(0, host.lastIndexOf(':'));
    }
    if (query.containsKey("dbname")) {
      path = query.remove("dbname");
    }
    if (user == null || user.isEmpty()) {
      user = environment.variables().getOrDefault("PGUSER", System.getProperty("user.name"));
    }
    String database = path.isEmpty() ? user : path;
    String passfile = query.remove("passfile");
    Map<String, String> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      if (!DRIVER_PARAMETERS.contains(parameter.getKey())) {
        throw new IllegalArgumentException("database URL parameter '" + parameter.getKey() + "' is not supported");
      }
      parameters.put(parameter.getKey(), parameter.getValue());
    }
    if (password == null) {
      password = environment.variables().get("PGPASSWORD");
    }
    if (password == null) {
      password = passwordFromFile(passfile, environment, host, port, database, user).orElse(null);
    }
    return new PostgresUrl(host, port, database, user, password, Map.copyOf(parameters));
  }

  /** The JDBC URL, without user and password (those go in {@link #driverProperties}). */
  public String jdbcUrl() {
    String hosts = host.contains(",") ? host : host + ":" + port;
    return "jdbc:postgresql://" + hosts + "/" + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** What the driver is told besides the URL: the query parameters under pgjdbc's names. */
  public Properties driverProperties() {
    Properties properties = new Properties();
    parameters.forEach((name, value) -> properties.setProperty(DRIVER_NAMES.getOrDefault(name, name), value));
    return properties;
  }

  /**
   * A connection of its own, outside any pool (for what must outlive a pooled connection's use),
   * with {@code extra} driver properties (timeouts); the caller closes it.
   */
  public Connection connect(Properties extra) throws SQLException {
    Properties properties = driverProperties();
    properties.putAll(extra);
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    return DriverManager.getConnection(jdbcUrl(), properties);
  }

  /** The same server and credentials, another database (tests and the copy create and drop theirs). */
  public PostgresUrl withDatabase(String otherDatabase) {
    return new PostgresUrl(host, port, otherDatabase, user, password, parameters);
  }

  /** For logs and errors: everything but the password. */
  @Override
  public String toString() {
    return "postgresql://" + user + "@" + (host.contains(",") ? host : host + ":" + port) + "/" + database;
  }

  private static int port(String value) {
    try {
      int port = Integer.parseInt(value);
      if (port > 0 && port < 65536) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("database URL port '" + value + "' is not a port");
  }

  private static String decode(String value) {
    return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** libpq's password file: {@code host:port:database:user:password}, {@code *} matching anything. */
  private static Optional<String> passwordFromFile(
      String passfile, Environment environment, String host, int port, String database, String user) {
    Path file = passfile != null ? Path.of(passfile)
        : environment.variables().containsKey("PGPASSFILE") ? Path.of(environment.variables().get("PGPASSFILE"))
        : environment.home().resolve(".pgpass");
    if (!Files.isRegularFile(file) || readableByOthers(file)) {
      return Optional.empty();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    String[] wanted = {host, String.valueOf(port), database, user};
    for (String line : lines) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> fields = fields(line);
      if (fields.size() != 5) {
        continue;
      }
      boolean matches = true;
      for (int i = 0; i < wanted.length; i++) {
        matches &= fields.get(i).equals("*") || fields.get(i).equals(wanted[i]);
      }
      if (matches) {
        return Optional.of(fields.get(4));
      }
    }
    return Optional.empty();
  }

  /** Splits at unescaped colons; {@code \:} and {@code \\} stand for themselves. */
  private static List<String> fields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        field.append(line.charAt(++i));
      } else if (c == ':' && fields.size() < 4) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  private static boolean readableByOthers(Path file) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ);
    } catch (UnsupportedOperationException | IOException e) {
      return false;
    }
  }
}
