package dev.parley.app;

import dev.parley.server.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Parley nodes as real processes ({@link ServerProcess}) on one PostgreSQL database of the test's
 * own ({@link TestDatabase}), behind real HAProxy ({@link HaproxyProcess}). Closing it stops
 * HAProxy and the nodes and drops the database.
 */
final class ParleyCluster implements AutoCloseable {
  /**
   * What every node's data directory says in its config file: cheap password hashing for tests,
   * and a message rate no load test reaches.
   */
  private static final String NODE_SETTINGS = """
      argon2-memory-kib=1024
      argon2-iterations=1
      messages-per-second=100000
      message-burst=100000
      trusted-proxies=127.0.0.1
      """;

  private final TestDatabase database;
  private final List<ServerProcess> nodes;
  private final HaproxyProcess haproxy;

  private ParleyCluster(TestDatabase database, List<ServerProcess> nodes, HaproxyProcess haproxy) {
    this.database = database;
    this.nodes = nodes;
    this.haproxy = haproxy;
  }

  /**
   * {@code count} nodes named as in the HAProxy configuration (node-a, …), each with its own data
   * directory and log under {@code dir}; {@code moreFlags} adds a node's flags past {@code
   * --database} (the bus and the node's name, say), given its name.
   */
  static ParleyCluster start(Path dir, int count, BiFunction<String, NodeFlags, NodeFlags> moreFlags) throws Exception {
    TestDatabase database = TestDatabase.create();
    List<ServerProcess> nodes = new ArrayList<>();
    try {
      for (String name : HaproxyProcess.NODE_NAMES.subList(0, count)) {
        Path dataDir = Files.createDirectories(dir.resolve(name));
        Files.writeString(dataDir.resolve("parley.properties"), NODE_SETTINGS);
        NodeFlags flags = moreFlags.apply(name, NodeFlags.database(database.url()));
        // The bus's subjects of this cluster alone (nodes without a bus ignore it): tests and
        // benches on this machine share one NATS server.
        Map<String, String> environment = Map.of("PARLEY_BUS_SUBJECT", database.name());
        nodes.add(ServerProcess.startWith(dataDir, dir.resolve(name + ".log"), environment, flags.asArray()));
      }
      return new ParleyCluster(database, nodes, HaproxyProcess.start(dir, nodes));
    } catch (Exception | Error e) {
      nodes.forEach(ServerProcess::close);
      database.close();
      throw e;
    }
  }

  /** Nodes on the shared database and nothing more: standalone, no bus. */
  static ParleyCluster start(Path dir, int count) throws Exception {
    return start(dir, count, (name, flags) -> flags);
  }

  HaproxyProcess haproxy() {
    return haproxy;
  }

  ServerProcess node(String name) {
    return nodes.get(HaproxyProcess.NODE_NAMES.indexOf(name));
  }

  TestDatabase database() {
    return database;
  }

  /** kill -9 of one node: no shutdown, no flush, its sockets reset by the kernel. */
  void killNode(String name) {
    node(name).process().destroyForcibly();
  }

  @Override
  public void close() {
    haproxy.close();
    nodes.forEach(ServerProcess::close);
    database.close();
  }
}
