package dev.parley.server.account;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Transport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code registration = closed}: nobody registers, with or without an invite; the operator still creates accounts. */
@ParleyServerTest
@ServerSetting(key = "registration", value = "closed")
class ClosedRegistrationTest {
  @Test
  void registrationIsRefusedOverHttpAndFramesEvenWithAnInvite(TestServer server, Http http) {
    String code;
    try (OperatorAccounts accounts = server.operatorAccounts()) {
      code = accounts.createInvite(1, null);
      accounts.createUsers(List.of("staff"), PASSWORD);
    }
    assertThat(http.get("/api/v1/registration", null).body().get("mode").asText()).isEqualTo("closed");
    Reply refused = http.post("/api/v1/register", Map.of("username", "walkin", "password", PASSWORD, "invite", code));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("registration_closed");
    try (FrameClient client = Transport.TCP.connect(server)) {
      client.send(new ClientFrame.Register("r", "walkin", PASSWORD));
      assertThat(client.next(ServerFrame.Error.class).code()).isEqualTo(ErrorCode.REGISTRATION_CLOSED);
    }
    assertThat(http.post("/api/v1/login", Map.of("username", "walkin", "password", PASSWORD)).status()).isEqualTo(401);
    assertThat(http.login("staff", PASSWORD)).isNotBlank();
  }
}
