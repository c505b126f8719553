package dev.parley.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.api.Access;
import dev.parley.server.api.RestApi;
import dev.parley.server.api.Route;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.Http.Reply;
import dev.parley.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server's own route table, over a real server: what the table says is what a client gets. */
class HttpRoutesTest {
  private static TestServer server;
  private static Http http;

  @BeforeAll
  static void startServer() {
    server = TestServer.start();
    http = new Http(server.http());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** The server's table; its endpoints are only listed here, never run. */
  private static List<Route<HttpEndpoint>> routes() {
    return HttpRoutes.table(
            new RestApi(null, null),
            (ctx, request, method, params) -> null,
            new FileDownloads(null, null),
            new WebClientRoutes(null),
            new WebSocketUpgrade(null),
            true)
        .routes();
  }

  @Test
  void everyRouteThatNeedsALoginRefusesARequestWithoutAToken() {
    List<Route<HttpEndpoint>> guarded = routes().stream()
        .filter(route -> route.access() == Access.TOKEN || route.access() == Access.TOKEN_OR_TICKET)
        .toList();
    assertThat(guarded).hasSizeGreaterThan(5);
    for (Route<HttpEndpoint> route : guarded) {
      String path = route.path().toString().replace("{id}", "f1");
      Reply reply = http.send(route.method(), path, Map.of("Tus-Resumable", "1.0.0"));

      assertThat(reply.status()).as(route.toString()).isEqualTo(401);
      assertThat(reply.raw().headers().firstValue("WWW-Authenticate")).as(route.toString()).hasValue("Bearer");
      if (!route.method().equals("HEAD")) {
        assertThat(reply.errorCode()).as(route.toString()).isEqualTo("unauthorized");
        assertThat(reply.body().path("error").path("message").asText())
            .as(route.toString())
            .isEqualTo("send Authorization: Bearer <token>");
      }
    }
  }

  @Test
  void anUnknownPathIsNotFound() {
    for (String path : List.of("/api/v1/nothing", "/api/v1/files/f1/ticket/more", "/api/v1/users/", "/static")) {
      Reply reply = http.send("GET", path, Map.of());

      assertThat(reply.status()).as(path).isEqualTo(404);
      assertThat(reply.errorCode()).as(path).isEqualTo("not_found");
      assertThat(reply.body().path("error").path("message").asText()).as(path).isEqualTo("no such endpoint");
    }
  }

  @Test
  void aKnownPathWithAnotherMethodIs405AndListsTheAllowedOnes() {
    Reply messages = http.send("PUT", "/api/v1/messages", Map.of());
    assertThat(messages.status()).isEqualTo(405);
    assertThat(messages.raw().headers().firstValue("Allow")).hasValue("GET, POST");
    assertThat(messages.errorCode()).isEqualTo("bad_request");
    assertThat(messages.body().path("error").path("message").asText()).isEqualTo("use GET, POST");

    Reply upload = http.send("GET", "/api/v1/uploads/u1", Map.of());
    assertThat(upload.status()).isEqualTo(405);
    assertThat(upload.raw().headers().firstValue("Allow")).hasValue("OPTIONS, HEAD, PATCH, DELETE");
    assertThat(upload.raw().headers().firstValue("Tus-Resumable")).hasValue("1.0.0");

    Reply download = http.send("PUT", "/api/v1/files/f1", Map.of());
    assertThat(download.status()).isEqualTo(405);
    assertThat(download.raw().headers().firstValue("Allow")).hasValue("GET, HEAD, DELETE");
  }

  @Test
  void aRequestToTheWebSocketPathThatIsNotAnUpgradeIsABadRequestWhateverItsMethod() {
    for (String method : List.of("GET", "POST")) {
      Reply reply = http.send(method, WebSocketUpgrade.PATH, Map.of("Authorization", "Bearer forged"));

      assertThat(reply.status()).as(method).isEqualTo(400);
      assertThat(reply.body().path("error").path("message").asText())
          .as(method)
          .isEqualTo("this endpoint only speaks WebSocket: send an upgrade");
      assertThat(reply.raw().headers().firstValue("Connection")).as(method).hasValue("close");
    }
  }
}
