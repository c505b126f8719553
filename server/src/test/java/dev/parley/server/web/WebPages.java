package dev.parley.server.web;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.server.testing.Http;
import java.nio.file.Path;
import java.util.Map;

/** What the browser tests of the web client share: the page's parts by name, and steps on them. */
final class WebPages {
  static final Path SCREENSHOTS = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));

  private WebPages() {
  }

  static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }

  static void screenshot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
  }

  static void register(Page page, String username, String password) {
    page.locator("#tab-register").click();
    page.locator("#register-username").fill(username);
    page.locator("#register-password").fill(password);
    page.locator("#register-form button[type=submit]").click();
  }

  static void logIn(Page page, String username, String password) {
    page.locator("#tab-login").click();
    page.locator("#login-username").fill(username);
    page.locator("#login-password").fill(password);
    page.locator("#login-form button[type=submit]").click();
    expect(page.locator("#chat-screen")).isVisible();
  }

  static Locator person(Page page, String username) {
    return page.locator(".person[data-user='" + username + "']");
  }

  /** The entry of a room (by its name) or a direct conversation (by the other's name) in the conversation list. */
  static Locator conversation(Page page, String title) {
    return page.locator(".conv[data-title='" + title + "']");
  }

  static Locator events(Page page) {
    return page.locator("#messages .event .event-text");
  }

  static Locator lastText(Page page) {
    return page.locator("#messages .msg .text").last();
  }

  static void say(Page page, String text) {
    page.locator("#message-text").fill(text);
    page.locator("#message-text").press("Enter");
  }

  /** Sends {@code to} the messages "{@code prefix}1" to "{@code prefix}{@code count}" over HTTP with {@code token}. */
  static void sendMany(Http http, String token, String to, String prefix, int count) {
    for (int i = 1; i <= count; i++) {
      http.post("/api/v1/messages", Map.of("to", to, "text", prefix + i), token);
    }
  }

  static String tokenOf(Page page) {
    return (String) page.evaluate("JSON.parse(localStorage.getItem('parley.session')).token");
  }
}
