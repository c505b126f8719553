package dev.parley.app;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code parley server} flags that make a process one node of several: the shared database
 * and, once they exist on the branch, the bus, the node's name and the shared files directory.
 * Each method adds its flag; {@link #asArray()} is what {@link ServerProcess#startWith} takes.
 */
final class NodeFlags {
  private final List<String> flags = new ArrayList<>();

  static NodeFlags database(String url) {
    NodeFlags node = new NodeFlags();
    node.flags.addAll(List.of("--database", url));
    return node;
  }

  /** {@code --bus nats://…} (issue 15's bus): a node without it is standalone. */
  NodeFlags bus(String natsUrl) {
    flags.addAll(List.of("--bus", natsUrl));
    return this;
  }

  /** {@code --node-id NAME}, the node's name on the bus. */
  NodeFlags nodeId(String name) {
    flags.addAll(List.of("--node-id", name));
    return this;
  }

  /** {@code --files-dir DIR}, the uploads directory all nodes share. */
  NodeFlags filesDir(String directory) {
    flags.addAll(List.of("--files-dir", directory));
    return this;
  }

  String[] asArray() {
    return flags.toArray(String[]::new);
  }

  @Override
  public String toString() {
    return String.join(" ", flags);
  }
}
