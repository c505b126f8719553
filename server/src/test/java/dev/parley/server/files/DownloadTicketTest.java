package dev.parley.server.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Tus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Download tickets: links a browser can follow without the login token, bound to one user and one file. */
@ParleyServerTest
class DownloadTicketTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] FILE = new byte[5_000];
  private static Tus tus;
  private static String alice;
  private static String bob;
  private static String eve;
  private static String fileId;
  private static String otherFileId;

  @BeforeAll
  static void uploadTwoFiles(Tus client, TestUsers users) {
    new Random(11).nextBytes(FILE);
    tus = client;
    alice = users.create("alice").token();
    bob = users.create("bob").token();
    eve = users.create("eve").token();
    fileId = tus.uploadWhole(alice, FILE, "data.bin", "bob");
    otherFileId = tus.uploadWhole(alice, new byte[] {1, 2, 3}, "small.bin", "bob");
  }

  static JsonNode ticket(Tus tus, String token, String id) {
    HttpResponse<String> reply = tus.send("POST", "/api/v1/files/" + id + "/ticket", token, Map.of(), null);
    assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
    try {
      return JSON.readTree(reply.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A GET of a ticket URL, the way a browser follows a link: no Authorization header. */
  static HttpResponse<byte[]> get(Tus tus, String url, Map<String, String> headers) {
    return tus.download(null, url.substring("/api/v1/files/".length()), headers);
  }

  @Test
  void theRecipientsTicketDownloadsTheWholeFileWithoutAToken() {
    JsonNode ticket = ticket(tus, bob, fileId);

    HttpResponse<byte[]> download = get(tus, ticket.get("url").asText(), Map.of());

    assertThat(ticket.get("url").asText()).startsWith("/api/v1/files/" + fileId + "?ticket=").doesNotContain(bob);
    assertThat(ticket.get("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(FILE);
    assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).startsWith("attachment"));
  }

  @Test
  void aTicketResumesWithARange() {
    String url = ticket(tus, alice, fileId).get("url").asText();

    HttpResponse<byte[]> rest = get(tus, url, Map.of("Range", "bytes=4000-"));

    assertThat(rest.statusCode()).isEqualTo(206);
    assertThat(rest.headers().firstValue("Content-Range")).hasValue("bytes 4000-4999/5000");
    assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(FILE, 4000, 5000));
  }

  @Test
  void someoneWhoMayNotReadTheFileGetsNoTicket() {
    HttpResponse<String> reply = tus.send("POST", "/api/v1/files/" + fileId + "/ticket", eve, Map.of(), null);

    assertThat(reply.statusCode()).isEqualTo(404);
    assertThat(reply.body()).contains("\"not_found\"");
  }

  @Test
  void aTicketNeedsABearerTokenAndAPost() {
    HttpResponse<String> anonymous = tus.send("POST", "/api/v1/files/" + fileId + "/ticket", null, Map.of(), null);
    HttpResponse<String> get = tus.send("GET", "/api/v1/files/" + fileId + "/ticket", bob, Map.of(), null);

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void aTicketForOneFileDoesNotOpenAnother() {
    String ticket = ticket(tus, bob, fileId).get("url").asText().split("\\?ticket=")[1];

    HttpResponse<byte[]> other = get(tus, "/api/v1/files/" + otherFileId + "?ticket=" + ticket, Map.of());

    assertThat(other.statusCode()).isEqualTo(401);
    assertThat(new String(other.body())).contains("unknown or expired ticket");
  }

  @Test
  void aTamperedTicketIsRefused() {
    String ticket = ticket(tus, bob, fileId).get("url").asText().split("\\?ticket=")[1];
    String[] parts = ticket.split("\\.");
    String otherUser = (Long.parseLong(parts[0]) + 1) + "." + parts[1] + "." + parts[2];
    String later = parts[0] + "." + (Long.parseLong(parts[1]) + 3_600_000) + "." + parts[2];
    char last = parts[2].charAt(parts[2].length() - 1);
    String flipped = ticket.substring(0, ticket.length() - 1) + (last == 'A' ? 'B' : 'A');

    for (String forged : new String[] {otherUser, later, flipped, "garbage", ""}) {
      HttpResponse<byte[]> reply = get(tus, "/api/v1/files/" + fileId + "?ticket=" + forged, Map.of());
      assertThat(reply.statusCode()).as(forged).isEqualTo(401);
    }
  }

  @Test
  @ServerSetting(key = "download-ticket-seconds", value = "1")
  void aTicketStopsWorkingWhenItExpires(Tus shortTus, TestUsers users) {
    String sender = users.create("alice").token();
    users.create("bob");
    String id = shortTus.uploadWhole(sender, FILE, "data.bin", "bob");
    JsonNode ticket = ticket(shortTus, sender, id);
    String url = ticket.get("url").asText();
    assertThat(ticket.get("expiresAt").asLong()).isLessThanOrEqualTo(System.currentTimeMillis() + 1_000);

    await().atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get(shortTus, url, Map.of()).statusCode() == 401);
  }
}
