package dev.parley.server.config;

import java.time.Duration;

/**
 * Running as one node of several (README, "Several nodes"): the bus that carries what one node
 * pushes to the live sessions of the others. PostgreSQL stays the single source of truth; the bus
 * only notifies, and what a node misses on it is read back from the database.
 *
 * @param bus the NATS server(s), {@code nats://host:port[,nats://...]}, or null for a standalone node
 * @param nodeId this node's name on the bus and in the logs
 * @param subject the NATS subject prefix; clusters sharing one NATS server each need their own
 * @param heartbeat how often this node tells the others who is connected to it
 * @param lease a node not heard from for this long is gone: its users go offline, unless connected elsewhere
 * @param gapWait how long a message waits for a lower seq to arrive on the bus before it is read from the database
 * @param logCheck how often the database's newest seq is compared with the last one delivered, so a
 *     lost last message is found too
 */
public record ClusterSettings(
    String bus, String nodeId, String subject, Duration heartbeat, Duration lease, Duration gapWait, Duration logCheck) {

  public boolean standalone() {
    return bus == null;
  }
}
