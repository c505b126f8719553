package dev.parley.server.web;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static dev.parley.server.web.WebPages.expect;
import static dev.parley.server.web.WebPages.screenshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.parley.server.testing.TestServer;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web client served over HTTPS by a server with a self-signed certificate (which the browser
 * is told to accept, as a user clicking through the warning would): it logs in and chats over WSS.
 */
class WebClientOverHttpsTest {
  @RegisterExtension
  static final Browsers BROWSERS = new Browsers();

  @Test
  void twoUsersLogInAndChatOverHttpsAndWss() {
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"))) {
      String https = "https://127.0.0.1:" + server.httpPort() + "/";
      Page alice = open(https, "en-US");
      Page bob = open(https, "zh-CN");
      assertThat(alice.evaluate("location.protocol")).isEqualTo("https:");

      signUp(alice, "alice", PASSWORD);
      signUp(bob, "鲍勃", "mima2024");
      expect(alice.locator("#connection")).hasText("Connected");
      alice.locator(".person[data-user='鲍勃']").click();
      alice.locator("#message-text").fill("over TLS 你好");
      alice.locator("#message-text").press("Enter");
      expect(alice.locator("#messages .msg.mine[data-seq] .text")).hasText("over TLS 你好");
      bob.locator(".conv[data-title='alice']").click();
      expect(bob.locator("#messages .msg .text").last()).hasText("over TLS 你好");
      screenshot(alice, "chat-over-https");
    }
  }

  private static Page open(String url, String locale) {
    BrowserContext context = BROWSERS.context(new Browser.NewContextOptions()
        .setIgnoreHTTPSErrors(true)
        .setLocale(locale)
        .setViewportSize(1000, 720));
    Page page = context.newPage();
    Response response = page.navigate(url);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headerValue("strict-transport-security")).isEqualTo("max-age=31536000");
    return page;
  }

  private static void signUp(Page page, String username, String password) {
    page.locator("#tab-register").click();
    page.locator("#register-username").fill(username);
    page.locator("#register-password").fill(password);
    page.locator("#register-form button[type=submit]").click();
    expect(page.locator("#login-notice")).hasText(Pattern.compile(username));
    page.locator("#tab-login").click();
    page.locator("#login-username").fill(username);
    page.locator("#login-password").fill(password);
    page.locator("#login-form button[type=submit]").click();
    expect(page.locator("#chat-screen")).isVisible();
  }
}
