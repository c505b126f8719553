package dev.parley.server.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the browser tests of the web client share: the system's Chromium, and the page's parts by name. */
final class WebPages {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path SCREENSHOTS = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));

  private WebPages() {
  }

  /** Playwright driving the system's headless Chromium; never a downloaded browser. */
  static Playwright playwright() {
    return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
  }

  static Browser chromium(Playwright playwright) {
    return playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage")));
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

  static String tokenOf(Page page) {
    return (String) page.evaluate("JSON.parse(localStorage.getItem('parley.session')).token");
  }
}
