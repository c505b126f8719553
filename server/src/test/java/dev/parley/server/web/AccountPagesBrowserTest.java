package dev.parley.server.web;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.parley.protocol.ByeReason;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.admin.OperatorAccounts;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.Transport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invite link, the admin page and the account page in the system's headless Chromium, driven
 * by Playwright, against a real invite-only server. Waiting is Playwright's own, never a sleep.
 */
@ParleyServerTest
@ServerSetting(key = "registration", value = "invite")
class AccountPagesBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path SCREENSHOTS = Path.of(System.getProperty("parley.screenshots", "target/screenshots"));

  private static TestServer server;
  private static Http http;
  private static Playwright playwright;
  private static Browser browser;
  private final List<BrowserContext> contexts = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startBrowserAndMakeAnAdmin(TestServer testServer, Http client) {
    assertThat(CHROMIUM).as("Debian's chromium; ./run-tests installs it").isExecutable();
    server = testServer;
    http = client;
    String code;
    try (OperatorAccounts accounts = server.operatorAccounts()) {
      code = accounts.createInvite(3, null);
    }
    for (String name : List.of("root", "bob")) {
      assertThat(http.post("/api/v1/register", Map.of("username", name, "password", PASSWORD, "invite", code)).status()).isEqualTo(201);
    }
    try (OperatorAccounts accounts = server.operatorAccounts()) {
      accounts.setAdmin("root", true);
    }
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(CHROMIUM)
        .setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage")));
  }

  @AfterAll
  static void stopBrowser() {
    browser.close();
    playwright.close();
  }

  @AfterEach
  void closeContexts() {
    contexts.forEach(BrowserContext::close);
  }

  private static LocatorAssertions expect(Locator locator) {
    return PlaywrightAssertions.assertThat(locator);
  }

  private Page open(String locale, String path) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setLocale(locale).setViewportSize(1100, 760));
    contexts.add(context);
    Page page = context.newPage();
    page.onDialog(dialog -> dialog.accept());
    page.navigate(server.http() + path);
    return page;
  }

  private static void logIn(Page page, String username) {
    page.locator("#tab-login").click();
    page.locator("#login-username").fill(username);
    page.locator("#login-password").fill(PASSWORD);
    page.locator("#login-form button[type=submit]").click();
    expect(page.locator("#whoami")).containsText(username);
  }

  private static void screenshot(Page page, String name) {
    page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")));
  }

  @Test
  void anInviteLinkAnAdminCreatedOpensTheRegistrationWithItsCodeAndRegisters() {
    Page admin = open("en-GB", "/");
    logIn(admin, "root");
    expect(admin.locator("#admin-open")).isVisible();
    admin.locator("#admin-open").click();
    expect(admin.locator("#admin-users tr[data-user=bob]")).isVisible();
    admin.locator("#invite-expires").selectOption("7d");
    admin.locator("#invite-form button[type=submit]").click();
    Locator link = admin.locator("#invite-link");
    expect(link).hasText(Pattern.compile("^http://127\\.0\\.0\\.1:\\d+/#invite=[A-Za-z0-9_-]{22}$"));
    expect(admin.locator("#invite-list")).containsText("0 of 1 used");
    screenshot(admin, "admin-invite-created");
    String url = link.textContent();

    Page guest = open("zh-CN", url.substring(url.indexOf("/#")));
    expect(guest.locator("#register-form")).isVisible();
    expect(guest.locator("#register-invite")).hasValue(url.substring(url.indexOf("=") + 1));
    expect(guest.locator("#register-invite-hint")).hasText("你已受邀：邀请链接中的邀请码已自动填入。");
    guest.locator("#register-username").fill("小明");
    guest.locator("#register-password").fill("小明的密码123");
    screenshot(guest, "register-with-invite-zh");
    guest.locator("#register-form button[type=submit]").click();
    expect(guest.locator("#login-notice")).containsText("小明");
    guest.locator("#login-password").fill("小明的密码123");
    guest.locator("#login-form button[type=submit]").click();
    expect(guest.locator("#whoami")).containsText("小明");
    expect(guest.locator("#admin-open")).isHidden();

    // The same code again, now used up: refused with the reason in words.
    Page late = open("en-GB", url.substring(url.indexOf("/#")));
    late.locator("#register-username").fill("latecomer");
    late.locator("#register-password").fill("late-pass-123");
    late.locator("#register-form button[type=submit]").click();
    expect(late.locator("#register-invite-error")).hasText("This invite has been used up; ask for a new one.");
  }

  @Test
  void anAdminDisablesAUserFromTheAdminPageAndTheirLiveConnectionIsTold() {
    String bobToken = http.login("bob", PASSWORD);
    try (FrameClient bob = Transport.WEBSOCKET.connect(server, bobToken, null)) {
      Page admin = open("en-GB", "/");
      logIn(admin, "root");
      admin.locator("#admin-open").click();
      Locator row = admin.locator("#admin-users tr[data-user=bob]");
      expect(row).containsText("online");
      row.locator("button[data-action=disable]").click();

      assertThat(bob.nextMatching(ServerFrame.Bye.class, bye -> true).reason()).isEqualTo(ByeReason.ACCOUNT_DISABLED);
      expect(row).containsText("disabled");
      expect(row.locator("button[data-action=enable]")).isVisible();
      screenshot(admin, "admin-user-disabled");

      Page bobsBrowser = open("en-GB", "/");
      bobsBrowser.locator("#login-username").fill("bob");
      bobsBrowser.locator("#login-password").fill(PASSWORD);
      bobsBrowser.locator("#login-form button[type=submit]").click();
      expect(bobsBrowser.locator("#login-error")).hasText("This account is disabled; ask an admin.");

      row.locator("button[data-action=enable]").click();
      expect(row.locator("button[data-action=disable]")).isVisible();
    }
    assertThat(http.login("bob", PASSWORD)).isNotBlank();
  }

  @Test
  void theAccountPageListsSessionsAndLogsOutEverywhereElse() {
    String otherToken = http.login("bob", PASSWORD);
    Page page = open("zh-CN", "/");
    logIn(page, "bob");
    page.locator("#account-open").click();
    Locator sessions = page.locator("#session-list li");
    expect(page.locator("#session-list")).containsText("当前设备");
    assertThat(sessions.count()).isGreaterThanOrEqualTo(2);
    screenshot(page, "account-sessions-zh");
    page.locator("#end-others").click();
    expect(page.locator("#sessions-result")).containsText("其他登录");
    expect(sessions).hasCount(1);
    assertThat(http.get("/api/v1/account", otherToken).status()).isEqualTo(401);
  }
}
