package dev.parley.app;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's HAProxy ({@code /usr/sbin/haproxy}, {@code bin/ensure-haproxy}) in the foreground as a
 * child process, in front of {@link ServerProcess} nodes, run from the README's configuration
 * {@code packaging/haproxy/parley-3-nodes.cfg}: the same file with loopback addresses and free
 * ports in place of its host names and ports, plus a runtime socket through which the tests ask
 * which node a connection went to and whether a node is up.
 */
final class HaproxyProcess implements AutoCloseable {
  /** The checkout these tests run from: the working directory or a directory above it. */
  static final Path PROJECT_ROOT = projectRoot();
  static final Path TEMPLATE = PROJECT_ROOT.resolve("packaging/haproxy/parley-3-nodes.cfg");
  static final List<String> NODE_NAMES = List.of("node-a", "node-b", "node-c");
  private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern SESSION = Pattern.compile("src=[^ ]*:(\\d+) fe=(\\S+) be=(\\S+) srv=(\\S+)");

  private final Process process;
  private final Path runtimeSocket;
  private final Path log;
  private final int httpPort;
  private final int tcpPort;

  private HaproxyProcess(Process process, Path runtimeSocket, Path log, int httpPort, int tcpPort) {
    this.process = process;
    this.runtimeSocket = runtimeSocket;
    this.log = log;
    this.httpPort = httpPort;
    this.tcpPort = tcpPort;
  }

  /**
   * Starts HAProxy in front of {@code nodes} (node-a, node-b, … in order, at most three, as in the
   * template) in {@code dir}, and returns once every node passes its health check on both backends.
   */
  static HaproxyProcess start(Path dir, List<ServerProcess> nodes) throws IOException {
    int[] ports = freePorts(2);
    Path socket = dir.resolve("haproxy.sock");
    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(cfg, render(Files.readString(TEMPLATE), nodes, ports[0], ports[1], socket), UTF_8);
    Path log = dir.resolve("haproxy.log");
    // -db: stay in the foreground, so that the process is HAProxy itself and dies with close().
    Process process = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    HaproxyProcess haproxy = new HaproxyProcess(process, socket, log, ports[0], ports[1]);
    try {
      await("HAProxy up with every node passing its health check; its log: " + log)
          .atMost(STARTUP_TIMEOUT)
          .until(() -> {
            if (!process.isAlive()) {
              throw new AssertionError("haproxy exited: " + Files.readString(log));
            }
            return Files.exists(socket) && haproxy.upNodes().size() == nodes.size();
          });
    } catch (RuntimeException | Error e) {
      haproxy.close();
      throw e;
    }
    return haproxy;
  }

  /**
   * The template with the listeners on loopback at the given ports, the first {@code nodes.size()}
   * servers of each backend on the nodes' ports (the rest removed), and a runtime socket. Fails when
   * the template no longer has the lines this looks for, so that the README's file and the tested
   * one cannot drift apart.
   */
  static String render(String template, List<ServerProcess> nodes, int httpPort, int tcpPort, Path runtimeSocket) {
    List<String> out = new ArrayList<>();
    Map<String, Integer> replaced = new HashMap<>();
    for (String line : template.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.equals("global")) {
        out.add(line);
        out.add("    stats socket " + runtimeSocket + " mode 600 level admin");
        replaced.merge("global", 1, Integer::sum);
      } else if (trimmed.equals("bind :80")) {
        out.add(line.replace("bind :80", "bind 127.0.0.1:" + httpPort));
        replaced.merge("bind http", 1, Integer::sum);
      } else if (trimmed.equals("bind :7070")) {
        out.add(line.replace("bind :7070", "bind 127.0.0.1:" + tcpPort));
        replaced.merge("bind tcp", 1, Integer::sum);
      } else if (trimmed.startsWith("server node-")) {
        String name = trimmed.split(" ")[1];
        int index = NODE_NAMES.indexOf(name);
        if (index >= nodes.size()) {
          continue;
        }
        ServerProcess node = nodes.get(index);
        out.add(line.replace(name + ":8080", "127.0.0.1:" + node.http().getPort())
            .replace(name + ":7070", "127.0.0.1:" + node.tcpPort())
            .replace("port 8080", "port " + node.http().getPort()));
        replaced.merge("server", 1, Integer::sum);
      } else {
        out.add(line);
      }
    }
    Map<String, Integer> expected = Map.of("global", 1, "bind http", 1, "bind tcp", 1, "server", 2 * nodes.size());
    if (!replaced.equals(expected) || nodes.size() > NODE_NAMES.size()) {
      throw new IllegalStateException(TEMPLATE + " changed: expected lines " + expected + ", found " + replaced);
    }
    return String.join("\n", out);
  }

  /** {@code http://127.0.0.1:PORT}, the HTTP and WebSocket frontend. */
  URI http() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** The WebSocket endpoint through the HTTP frontend. */
  URI webSocket() {
    return URI.create("ws://127.0.0.1:" + httpPort + "/api/v1/ws");
  }

  /** The TCP-mode frontend for the line protocol. */
  int tcpPort() {
    return tcpPort;
  }

  /** The nodes HAProxy currently counts as up on both backends. */
  Set<String> upNodes() {
    Map<String, Long> upCount = runtime("show servers state").lines()
        .map(line -> line.split(" "))
        // Data lines: be_id be_name srv_id srv_name srv_addr srv_op_state (2 is running) …
        .filter(fields -> fields.length > 5 && fields[1].startsWith("parley_") && fields[5].equals("2"))
        .collect(Collectors.groupingBy(fields -> fields[3], Collectors.counting()));
    return upCount.entrySet().stream().filter(e -> e.getValue() == 2).map(Map.Entry::getKey).collect(Collectors.toSet());
  }

  /**
   * Which node each TCP-frontend connection went to, by the client's local port: what {@code show
   * sess} says of the connection's source port.
   */
  Map<Integer, String> nodesByClientPort() {
    Map<Integer, String> nodes = new HashMap<>();
    for (String line : runtime("show sess").lines().toList()) {
      Matcher session = SESSION.matcher(line);
      if (session.find() && session.group(2).equals("parley_tcp") && !session.group(4).equals("<none>")) {
        nodes.put(Integer.parseInt(session.group(1)), session.group(4));
      }
    }
    return nodes;
  }

  String log() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One command on the runtime socket; HAProxy answers and closes. */
  private String runtime(String command) {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(runtimeSocket));
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(UTF_8)));
      StringBuilder answer = new StringBuilder();
      ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        answer.append(UTF_8.decode(buffer));
        buffer.clear();
      }
      return answer.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(command + " on " + runtimeSocket, e);
    }
  }

  /** Ports free now on loopback; HAProxy binds them a moment later. */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("packaging/haproxy"))) {
      dir = dir.getParent();
      if (dir == null) {
        throw new IllegalStateException("no packaging/haproxy above " + Path.of("").toAbsolutePath());
      }
    }
    return dir;
  }
}
