package dev.parley.server.web;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.server.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The web client served over HTTPS by a server with a self-signed certificate (which the browser
 * is told to accept, as a user clicking through the warning would): it logs in and chats over WSS.
 */
class WebClientOverHttpsTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOTS = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));

  private static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }

  @Test
  void twoUsersLogInAndChatOverHttpsAndWss() {
    assertThat(CHROMIUM).as("Debian's chromium; ./run-tests installs it").isExecutable();
    try (TestServer server = TestServer.start(Map.of("tls", "self-signed"));
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
            .setExecutablePath(CHROMIUM)
            .setHeadless(true)
            .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage")))) {
      String https = "https://127.0.0.1:" + server.httpPort() + "/";
      Page alice = open(browser, https, "en-US");
      Page bob = open(browser, https, "zh-CN");
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
      alice.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("chat-over-https.png")));
    }
  }

  private static Page open(Browser browser, String url, String locale) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions()
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
