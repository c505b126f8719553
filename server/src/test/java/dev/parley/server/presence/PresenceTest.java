package dev.parley.server.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.protocol.ServerFrame.UserEntry;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.OwnServer;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ParleyServerTest
class PresenceTest {
  @ParameterizedTest
  @EnumSource(Transport.class)
  void watchersSeeTheCurrentStateAtOnceAndEveryChangeAfter(Transport transport, TestServer server, TestUsers users) {
    String watcherName = "watcher" + transport.ordinal();
    String bobName = "王五" + transport.ordinal();
    String watcherToken = users.create(watcherName).token();
    String bobToken = users.create(bobName).token();
    try (FrameClient watcher = transport.connect(server, watcherToken, null)) {
      watcher.send(new ClientFrame.Watch("w", List.of(bobName, "not-registered")));
      assertThat(watcher.next()).isEqualTo(new ServerFrame.Presence(bobName, false));
      assertThat(watcher.next()).isEqualTo(new ServerFrame.Presence("not-registered", false));

      FrameClient phone = transport.connect(server, bobToken, null);
      assertThat(watcher.next()).isEqualTo(new ServerFrame.Presence(bobName, true));
      // A second device changes nothing: bob was online already.
      FrameClient laptop = transport.connect(server, users.login(bobName).token(), null);
      phone.close();
      watcher.send(new ClientFrame.Ping("no change yet"));
      assertThat(watcher.next()).isEqualTo(new ServerFrame.Pong("no change yet"));

      laptop.close();
      assertThat(watcher.next()).isEqualTo(new ServerFrame.Presence(bobName, false));
    }
  }

  @Test
  void onlyWatchersAreToldAndAWatchReplacesThePreviousOne(TestServer server, TestUsers users) {
    String watcherToken = users.create("olga").token();
    String bystanderToken = users.create("pete").token();
    String quinnToken = users.create("quinn").token();
    users.create("rosa");
    try (FrameClient watcher = Transport.TCP.connect(server, watcherToken, null);
        FrameClient bystander = Transport.TCP.connect(server, bystanderToken, null)) {
      watcher.send(new ClientFrame.Watch(null, List.of("quinn")));
      assertThat(watcher.next()).isEqualTo(new ServerFrame.Presence("quinn", false));
      watcher.send(new ClientFrame.Watch(null, List.of("ROSA")));
      assertThat(watcher.next()).isEqualTo(new ServerFrame.Presence("ROSA", false));

      try (FrameClient quinn = Transport.TCP.connect(server, quinnToken, null)) {
        quinn.send(new ClientFrame.Ping("quinn is on"));
        assertThat(quinn.next()).isEqualTo(new ServerFrame.Pong("quinn is on"));
        watcher.send(new ClientFrame.Ping("after quinn"));
        assertThat(watcher.next()).isEqualTo(new ServerFrame.Pong("after quinn"));
        bystander.send(new ClientFrame.Ping("after quinn"));
        assertThat(bystander.next()).isEqualTo(new ServerFrame.Pong("after quinn"));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  @OwnServer
  void usersFrameListsEveryoneSortedWithOnlineMarks(Transport transport, TestServer own, TestUsers ownUsers) {
    String zed = ownUsers.create("zed").token();
    ownUsers.create("Bea");
    ownUsers.create("anna");
    ownUsers.create("张伟");
    try (FrameClient me = transport.connect(own, zed, null)) {
      me.send(new ClientFrame.Users("all", null, null, null));
      assertThat(me.next(ServerFrame.Users.class).users())
          .containsExactly(
              new UserEntry("anna", false), new UserEntry("Bea", false), new UserEntry("zed", true), new UserEntry("张伟", false));

      me.send(new ClientFrame.Users("online", true, null, null));
      assertThat(me.next(ServerFrame.Users.class).users()).containsExactly(new UserEntry("zed", true));

      me.send(new ClientFrame.Users("prefix", null, "B", null));
      assertThat(me.next(ServerFrame.Users.class).users()).containsExactly(new UserEntry("Bea", false));

      me.send(new ClientFrame.Users("limit", null, null, 2));
      assertThat(me.next(ServerFrame.Users.class).users()).extracting(UserEntry::username).containsExactly("anna", "Bea");
    }
  }
}
