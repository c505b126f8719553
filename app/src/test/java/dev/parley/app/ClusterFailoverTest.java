package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.store.postgres.PostgresUrl;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.LineClient;
import dev.parley.server.testing.TestDatabase;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.WsClient;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code parley server} processes on one PostgreSQL database behind HAProxy, run from the
 * README's configuration: a node killed with kill -9 under load loses no acked message, and its
 * clients reconnect through HAProxy to the others and catch up with {@code since}, each message
 * once.
 */
class ClusterFailoverTest {
  private static final int NODES = 3;
  private static final int PEERS = 12;
  private static final int WINDOW = 16;
  private static final int ACKED_BEFORE_KILL = 100;
  private static final Duration LOAD_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);
  /** Well past any presence lease the bus may state (seconds): the measured time is printed. */
  private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(60);
  private static final String NATS = "nats://127.0.0.1:4222";

  @TempDir Path temp;

  @Test
  void theReadmeShowsTheHaproxyConfigurationTheseTestsRun() throws Exception {
    String readme = Files.readString(HaproxyProcess.PROJECT_ROOT.resolve("README.md"));
    assertThat(readme).contains("```haproxy\n" + Files.readString(HaproxyProcess.TEMPLATE) + "```\n");
  }

  @Test
  void theKilledNodesClientsCatchUpThroughHaproxyWithEveryAckedMessageOnceAndRetriesStoredOnce() throws Exception {
    try (ParleyCluster cluster = ParleyCluster.start(temp, NODES)) {
      HaproxyProcess haproxy = cluster.haproxy();
      TestUsers users = new TestUsers(haproxy.http());
      Map<ChatPeer, LineClient> firstConnections = new HashMap<>();
      Map<Integer, ChatPeer> peersByLocalPort = new HashMap<>();
      for (int i = 0; i < PEERS; i++) {
        String name = "用户" + i;
        ChatPeer peer = new ChatPeer(name, users.create(name).token(), WINDOW);
        Socket socket = new Socket("127.0.0.1", haproxy.tcpPort());
        firstConnections.put(peer, LineClient.over(socket));
        peersByLocalPort.put(socket.getLocalPort(), peer);
      }
      Map<String, List<ChatPeer>> peersByNode = peersByNode(haproxy, peersByLocalPort);
      assertThat(peersByNode).as("HAProxy spreads the connections over every node").hasSize(NODES);

      // Partners on the same node: without the bus (task B) a node delivers live only to its own
      // connections, and catching up after the kill is then the database's work alone.
      List<ChatPeer> peers = new ArrayList<>();
      peersByNode.values().forEach(onNode -> {
        for (int i = 0; i + 1 < onNode.size(); i += 2) {
          ChatPeer a = onNode.get(i);
          ChatPeer b = onNode.get(i + 1);
          a.start(firstConnections.get(a), b.name());
          b.start(firstConnections.get(b), a.name());
          peers.add(a);
          peers.add(b);
        }
      });
      String victim = peersByNode.entrySet().stream()
          .filter(e -> e.getValue().size() >= 2).findFirst().orElseThrow().getKey();
      List<ChatPeer> dead = peers.stream().filter(p -> peersByNode.get(victim).contains(p)).toList();
      await("every peer has " + ACKED_BEFORE_KILL + " acks").atMost(LOAD_TIMEOUT)
          .until(() -> peers.stream().allMatch(p -> p.acked().size() >= ACKED_BEFORE_KILL));

      cluster.killNode(victim);
      long killed = System.nanoTime();
      await("the killed node's connections end").atMost(FAILOVER_TIMEOUT).until(() -> dead.stream().noneMatch(ChatPeer::connected));
      Map<String, Set<Long>> ackedBeforeKill = dead.stream().collect(Collectors.toMap(ChatPeer::name, p -> Set.copyOf(p.acked().values())));
      Set<String> retried = new HashSet<>();
      dead.forEach(p -> retried.addAll(p.unacked()));
      Set<String> storedButNotAcked = storedClientIds(cluster.database(), retried);
      for (ChatPeer peer : dead) {
        peer.stopSending();
        peer.reconnect(() -> webSocketThroughHaproxy(haproxy));
      }
      await("the killed node's clients have every message acked to their partners before the kill")
          .atMost(FAILOVER_TIMEOUT).pollInterval(Duration.ofMillis(10))
          .until(() -> dead.stream().allMatch(p -> Set.copyOf(p.receivedFromPartner()).containsAll(ackedBeforeKill.get(p.partner()))));
      Duration failover = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf("failover: kill -9 of %s with %d clients; all caught up through HAProxy %d ms after the kill%n",
          victim, dead.size(), failover.toMillis());
      await("HAProxy's health checks take the killed node out").atMost(FAILOVER_TIMEOUT)
          .until(() -> !haproxy.upNodes().contains(victim));

      await("the retried sends are acked").atMost(FAILOVER_TIMEOUT).until(() -> dead.stream().allMatch(p -> p.unacked().isEmpty()));
      peers.forEach(ChatPeer::stopSending);
      await("every send is acked").atMost(FAILOVER_TIMEOUT).until(() -> peers.stream().allMatch(p -> p.unacked().isEmpty()));
      // A retry acked after its partner reconnected elsewhere reaches the partner live only over
      // the bus: one more catch-up with since, as any client that lost its connection would do.
      for (ChatPeer peer : dead) {
        peer.disconnect();
        peer.reconnect(() -> webSocketThroughHaproxy(haproxy));
      }

      Map<String, ChatPeer> byName = peers.stream().collect(Collectors.toMap(ChatPeer::name, p -> p));
      await("every peer has each message acked to its partner").atMost(FAILOVER_TIMEOUT).untilAsserted(() -> {
        for (ChatPeer peer : peers) {
          assertThat(peer.receivedFromPartner()).as(peer.name() + " received each of " + peer.partner() + "'s acked messages once")
              .containsExactlyInAnyOrderElementsOf(byName.get(peer.partner()).acked().values());
        }
      });
      Http http = new Http(haproxy.http());
      for (ChatPeer peer : peers) {
        Map<String, Long> stored = new HashMap<>();
        for (JsonNode message : ServerProcessTest.wholeHistory(http, "with=" + peer.partner(), tokenOf(users, peer))) {
          if (message.get("from").asText().equals(peer.name())) {
            assertThat(stored.put(message.get("text").asText(), message.get("seq").asLong()))
                .as("stored once: " + message).isNull();
          }
        }
        Map<String, Long> ackedByText = peer.acked().entrySet().stream()
            .collect(Collectors.toMap(e -> ChatPeer.text(e.getKey()), Map.Entry::getValue));
        assertThat(stored).as(peer.name() + "'s messages in the database: exactly the acked ones").isEqualTo(ackedByText);
      }
      System.out.printf("failover: %d sends without an ack at the kill were sent again with the same id and stored once;"
          + " %d of them had been committed before the kill%n", retried.size(), storedButNotAcked.size());
      for (ChatPeer peer : peers) {
        peer.disconnect();
      }
    }
  }

  /**
   * Needs the bus of issue 15 ({@code --bus}, {@code --node-id}, task B): on a build without them the
   * nodes refuse to start with an unknown option, and this fails.
   */
  @Test
  void usersOfAKilledNodeGoOfflineForOthersWithinTheLeaseUnlessConnectedElsewhere() throws Exception {
    try (ParleyCluster cluster = ParleyCluster.start(temp, 2, (name, flags) -> flags.bus(NATS).nodeId(name))) {
      HaproxyProcess haproxy = cluster.haproxy();
      TestUsers users = new TestUsers(haproxy.http());
      String alice = users.create("阿丽").token();
      String bob = users.create("鲍勃").token();
      String carol = users.create("卡罗尔").token();
      Socket socket = new Socket("127.0.0.1", haproxy.tcpPort());
      try (LineClient aliceConnection = LineClient.over(socket)) {
        aliceConnection.auth(alice, null);
        String victim = await("HAProxy's session of alice's connection").atMost(Duration.ofSeconds(10))
            .until(() -> haproxy.nodesByClientPort().get(socket.getLocalPort()), node -> node != null);
        ServerProcess dying = cluster.node(victim);
        ServerProcess surviving = cluster.node(HaproxyProcess.NODE_NAMES.get(1 - HaproxyProcess.NODE_NAMES.indexOf(victim)));
        try (LineClient carolOnDying = LineClient.connect(dying.tcpPort());
            LineClient carolOnSurviving = LineClient.connect(surviving.tcpPort());
            FrameClient bobConnection = WsClient.connect(URI.create("ws://127.0.0.1:" + surviving.http().getPort() + "/api/v1/ws"))) {
          carolOnDying.auth(carol, null);
          carolOnSurviving.auth(carol, null);
          bobConnection.auth(bob, null);
          bobConnection.send(new ClientFrame.Watch("w", List.of("阿丽", "卡罗尔")));
          assertThat(bobConnection.next(ServerFrame.Presence.class)).as("alice, on the other node, online for bob")
              .isEqualTo(new ServerFrame.Presence("阿丽", true));
          assertThat(bobConnection.next(ServerFrame.Presence.class)).isEqualTo(new ServerFrame.Presence("卡罗尔", true));

          cluster.killNode(victim);
          long killed = System.nanoTime();
          List<ServerFrame> seenByBob = new ArrayList<>();
          await("alice offline for bob").atMost(LEASE_TIMEOUT).until(() -> {
            seenByBob.addAll(bobConnection.drain());
            return seenByBob.contains(new ServerFrame.Presence("阿丽", false));
          });
          System.out.printf("presence: alice offline for bob %d ms after kill -9 of her node%n",
              Duration.ofNanos(System.nanoTime() - killed).toMillis());
          assertThat(seenByBob).as("carol is still connected to the surviving node")
              .doesNotContain(new ServerFrame.Presence("卡罗尔", false));
          assertThat(carolOnSurviving.isClosed()).isFalse();
        }
      }
    }
  }

  /** Which of these client ids the database holds messages for, read straight from PostgreSQL. */
  private static Set<String> storedClientIds(TestDatabase database, Set<String> clientIds) throws SQLException {
    PostgresUrl url = database.parsedUrl();
    try (Connection connection = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        PreparedStatement query = connection.prepareStatement("SELECT client_id FROM messages WHERE client_id = ANY (?)")) {
      query.setArray(1, connection.createArrayOf("text", clientIds.toArray()));
      Set<String> stored = new HashSet<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          stored.add(rows.getString(1));
        }
      }
      return stored;
    }
  }

  private static String tokenOf(TestUsers users, ChatPeer peer) {
    return users.login(peer.name()).token();
  }

  /**
   * A WebSocket through HAProxy's HTTP frontend; connecting again while HAProxy still sends some
   * attempts to the killed node (until its health checks fail).
   */
  private static FrameClient webSocketThroughHaproxy(HaproxyProcess haproxy) {
    FrameClient[] opened = new FrameClient[1];
    await("a WebSocket through HAProxy").atMost(FAILOVER_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> (opened[0] = WsClient.connect(haproxy.webSocket())) != null);
    return opened[0];
  }

  /** Which node each peer's first connection reached, as HAProxy says; peers in connection order. */
  private static Map<String, List<ChatPeer>> peersByNode(HaproxyProcess haproxy, Map<Integer, ChatPeer> peersByLocalPort) {
    Map<Integer, String> nodes = await("HAProxy's sessions of every connection")
        .atMost(Duration.ofSeconds(10))
        .until(haproxy::nodesByClientPort, sessions -> sessions.keySet().containsAll(peersByLocalPort.keySet()));
    return peersByLocalPort.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .collect(Collectors.groupingBy(e -> nodes.get(e.getKey()), Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
  }
}
