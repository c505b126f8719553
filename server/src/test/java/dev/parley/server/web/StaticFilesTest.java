package dev.parley.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The web client's files as the server sends them: types, caching, security headers, and nothing else. */
@ParleyServerTest
class StaticFilesTest {
  static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
      + "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  private static Http http;

  @BeforeAll
  static void keepTheClient(Http client) {
    http = client;
  }

  private static HttpResponse<String> send(String method, String path, Map<String, String> headers) {
    return http.send(method, path, headers).raw();
  }

  private static HttpResponse<String> get(String path) {
    return send("GET", path, Map.of());
  }

  @Test
  void thePageIsServedAtTheRootWithAStrictPolicyAndRevalidation() {
    HttpResponse<String> page = get("/");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("ETag")).isPresent();
    assertThat(page.body()).contains("<script type=\"module\" src=\"/static/js/main.js\"></script>");
  }

  @Test
  void stylesAndModulesCarryTheirTypesWithACharset() {
    assertThat(get("/static/app.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    HttpResponse<String> module = get("/static/js/main.js");
    assertThat(module.statusCode()).isEqualTo(200);
    assertThat(module.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(module.headers().firstValue("Content-Security-Policy")).hasValue(CSP);
  }

  @Test
  void anUnchangedFileIsAnswered304ToItsEtag() {
    String etag = get("/static/js/chat.js").headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again = send("GET", "/static/js/chat.js", Map.of("If-None-Match", etag));
    HttpResponse<String> changed = send("GET", "/static/js/chat.js", Map.of("If-None-Match", "\"something-else\""));

    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
    assertThat(again.headers().firstValue("ETag")).hasValue(etag);
    assertThat(changed.statusCode()).isEqualTo(200);
  }

  @Test
  void headGivesTheLengthWithoutTheBody() {
    HttpResponse<String> head = send("HEAD", "/", Map.of());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow()).isEqualTo(get("/").body().getBytes().length);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void onlyThePackagedFilesAreServed() {
    for (String path : List.of("/static/", "/static/nope.js", "/static/../pom.xml", "/static/%2e%2e/%2e%2e/pom.xml",
        "/static/js/../../logback-test.xml", "/static//etc/passwd", "/static/index.html/")) {
      HttpResponse<String> reply = get(path);
      assertThat(reply.statusCode()).as(path).isEqualTo(404);
      assertThat(reply.headers().firstValue("Content-Security-Policy")).as(path).hasValue(CSP);
    }
  }

  @Test
  void onlyGetAndHeadAreAllowed() {
    HttpResponse<String> post = send("POST", "/", Map.of());
    HttpResponse<String> delete = send("DELETE", "/static/app.css", Map.of());

    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  @ServerSetting(key = "password-min-length", value = "12")
  @ServerSetting(key = "password-require-digit", value = "false")
  void thePasswordPolicyIsPublishedForTheRegistrationForm(Http strict) {
    Http.Reply policy = strict.get("/api/v1/password-policy", null);

    assertThat(policy.status()).isEqualTo(200);
    assertThat(policy.raw().body()).contains("\"minLength\":12", "\"maxLength\":128", "\"requireLetter\":true",
        "\"requireDigit\":false");
  }

  /** The client's code never turns data into markup, and the page has no inline script or style for the policy to block. */
  @Test
  void theSourcesHaveNoHtmlSinksAndNoInlineCode() throws IOException {
    Path web = Path.of("src/main/resources/web");
    try (Stream<Path> files = Files.walk(web)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String text = Files.readString(file);
        assertThat(text).as(file.toString())
            .doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function");
      }
    }
    String page = Files.readString(web.resolve("index.html"));
    assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain("<style", " style=", " onclick=");
  }
}
