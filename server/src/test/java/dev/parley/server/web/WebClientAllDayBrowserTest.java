package dev.parley.server.web;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static dev.parley.server.web.WebPages.conversation;
import static dev.parley.server.web.WebPages.expect;
import static dev.parley.server.web.WebPages.lastText;
import static dev.parley.server.web.WebPages.logIn;
import static dev.parley.server.web.WebPages.person;
import static dev.parley.server.web.WebPages.say;
import static dev.parley.server.web.WebPages.screenshot;
import static dev.parley.server.web.WebPages.sendMany;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.google.gson.JsonObject;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.ServerSetting;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web client as something a team keeps open all day (issue 13): notifications while the tab
 * is hidden, days and times, reload memory, links, refusals, uploads across conversations, gap-free
 * history, the phone composer and the language switch. Real server, the system's headless
 * Chromium; waiting is Playwright's or Awaitility's, never a sleep.
 */
@ParleyServerTest
class WebClientAllDayBrowserTest {
  /** Records each Notification the page makes and each beep it plays, the real ones still made. */
  private static final String RECORD_ALERTS = """
      window.__notifications = [];
      window.__permissionRequests = 0;
      window.__beeps = 0;
      const RealNotification = window.Notification;
      window.Notification = class extends RealNotification {
        constructor(title, options) {
          super(title, options);
          window.__notifications.push({ title, body: options && options.body, tag: options && options.tag });
        }
        static requestPermission(...args) {
          window.__permissionRequests += 1;
          return RealNotification.requestPermission(...args);
        }
      };
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (...args) {
        window.__beeps += 1;
        return start.apply(this, args);
      };
      """;

  private static TestServer server;
  @RegisterExtension
  static final Browsers BROWSERS = new Browsers();

  @BeforeAll
  static void keepServer(TestServer testServer) {
    server = testServer;
  }

  private static BrowserContext context(Browser.NewContextOptions options) {
    return BROWSERS.context(options);
  }

  private static Page open(String locale, int width, int height) {
    Page page = context(new Browser.NewContextOptions().setLocale(locale).setViewportSize(width, height)).newPage();
    page.navigate(server.http() + "/");
    return page;
  }

  /** A page logged in as {@code username} that may show notifications, each recorded (RECORD_ALERTS). */
  private static Page showingNotifications(String username) {
    BrowserContext context = context(new Browser.NewContextOptions().setLocale("en-US").setViewportSize(1100, 720));
    context.grantPermissions(List.of("notifications"));
    context.addInitScript(RECORD_ALERTS);
    Page page = context.newPage();
    page.navigate(server.http() + "/");
    logIn(page, username, PASSWORD);
    return page;
  }

  /** Another tab of the browser that shows {@code page}, so logged in as the same user. */
  private static Page anotherTab(Page page) {
    Page tab = page.context().newPage();
    tab.navigate(server.http() + "/");
    expect(tab.locator("#connection")).hasText("Connected");
    return tab;
  }

  private static int count(Page page, String expression) {
    return ((Number) page.evaluate(expression)).intValue();
  }

  /**
   * Lets the page lose the focus as a real one does when another window comes to the front:
   * Playwright makes every page believe it has the focus unless told otherwise. (Headless Chromium
   * keeps every page "visible", so the focus is what a test can honestly take away.)
   */
  private static void realFocus(Page page) {
    page.context().newCDPSession(page).send("Emulation.setFocusEmulationEnabled", focusEmulation(false));
    page.bringToFront();
  }

  private static JsonObject focusEmulation(boolean enabled) {
    JsonObject parameters = new JsonObject();
    parameters.addProperty("enabled", enabled);
    return parameters;
  }

  /** Brings another page of the same browser to the front, so that `page` is in the background. */
  private static void sendToBackground(Page page) {
    page.context().newPage().bringToFront();
    page.waitForCondition(() -> !(Boolean) page.evaluate("document.hasFocus()"));
  }

  @Test
  void aMessageWhileThePageIsInTheBackgroundRaisesADesktopNotificationAndASoundAndCountsInTheTitle(Http http, TestUsers users) {
    users.create("nina");
    String otto = users.create("otto").token();
    BrowserContext context = context(new Browser.NewContextOptions().setLocale("en-US").setViewportSize(1000, 720));
    context.addInitScript(RECORD_ALERTS);
    Page chat = context.newPage();
    chat.navigate(server.http() + "/");
    logIn(chat, "nina", PASSWORD);
    expect(chat.locator("#connection")).hasText("Connected");
    assertThat(count(chat, "window.__permissionRequests")).as("never asked on load").isZero();
    assertThat(chat.evaluate("Notification.permission")).isEqualTo("default");

    chat.locator("#settings-button").click();
    expect(chat.locator("#notifications-state")).hasText(Pattern.compile("^Off"));
    context.grantPermissions(List.of("notifications"));
    chat.locator("#notifications-on").click();
    expect(chat.locator("#notifications-state")).hasText(Pattern.compile("^On"));
    expect(chat.locator("#notifications-on")).isHidden();
    chat.locator("#sound-setting").check();
    screenshot(chat, "settings");
    chat.locator("#settings-close").click();
    assertThat(count(chat, "window.__permissionRequests")).isEqualTo(1);
    assertThat(chat.evaluate("localStorage.getItem('parley.sound')")).isEqualTo("on");
    int beepsBefore = count(chat, "window.__beeps");

    realFocus(chat);
    sendToBackground(chat);
    http.post("/api/v1/messages", Map.of("to", "nina", "text", "are you there? 在吗？"), otto);

    chat.waitForCondition(() -> count(chat, "window.__notifications.length") == 1);
    assertThat(chat.evaluate("window.__notifications[0]"))
        .isEqualTo(Map.of("title", "otto", "body", "are you there? 在吗？", "tag", "with:otto"));
    assertThat(count(chat, "window.__beeps")).isGreaterThan(beepsBefore);
    assertThat(chat.title()).isEqualTo("(1) Parley");

    chat.bringToFront();
    chat.waitForCondition(() -> (Boolean) chat.evaluate("document.hasFocus()"));
    http.post("/api/v1/messages", Map.of("to", "nina", "text", "never mind"), otto);
    expect(conversation(chat, "otto").locator(".badge")).hasText("2");
    assertThat(chat.title()).isEqualTo("(2) Parley");
    assertThat(count(chat, "window.__notifications.length")).as("none while the tab is seen").isEqualTo(1);
    conversation(chat, "otto").click();
    expect(lastText(chat)).hasText("never mind");
    assertThat(chat.title()).isEqualTo("Parley");
  }

  /**
   * The level is chosen in the conversation's header, stored by the server (another tab of the same
   * login follows it live, a reload keeps it) and decides notifications and the title's count; the
   * server's mentions mark the message and the conversation's badge.
   */
  @Test
  void aConversationsNotifyLevelIsSetInItsHeaderKeptByTheServerAndFollowedAndMentionsAreMarked(TestUsers users) {
    users.create("pia");
    users.create("rex");
    try (FrameClient quinn = Transport.WEBSOCKET.connect(server, users.create("quinn").token(), null)) {
      quinn.send(new ClientFrame.CreateRoom("c", "quiet room", List.of("pia"), false));
      String room = quinn.nextMatching(ServerFrame.Room.class, reply -> "c".equals(reply.id())).room().room();
      Page chat = showingNotifications("pia");
      Page otherTab = anotherTab(chat);
      conversation(otherTab, "quiet room").click();
      expect(otherTab.locator("#notify-level")).hasValue("all");

      conversation(chat, "quiet room").click();
      expect(chat.locator("#notify-level")).hasValue("all");
      chat.locator("#notify-level").selectOption("mentions");
      expect(otherTab.locator("#notify-level")).hasValue("mentions");
      otherTab.close();
      person(chat, "rex").click();
      expect(chat.locator("#peer-name")).hasText("rex");

      realFocus(chat);
      sendToBackground(chat);
      quinn.sendRoomMessage("m1", room, "lunch is here");
      quinn.sendRoomMessage("m2", room, "@pia your parcel came");
      chat.waitForCondition(() -> count(chat, "window.__notifications.length") >= 1);
      quinn.sendMessage("m3", "pia", "direct words");
      chat.waitForCondition(() -> count(chat, "window.__notifications.length") >= 2);

      assertThat(chat.evaluate("window.__notifications.map(n => n.title + ': ' + n.body)")).isEqualTo(List.of(
          "quinn in quiet room: mentioned you: @pia your parcel came", "quinn: direct words"));
      assertThat(chat.title()).as("the room counts only its mention, the direct conversation all").isEqualTo("(2) Parley");
      chat.bringToFront();
      chat.reload();
      expect(conversation(chat, "quiet room").locator(".badge.mentioned")).hasText("@ 2");
      expect(conversation(chat, "quinn").locator(".badge")).hasText("1");
      assertThat(chat.title()).isEqualTo("(2) Parley");
      conversation(chat, "quiet room").click();
      expect(chat.locator("#notify-level")).hasValue("mentions");
      expect(chat.locator("#messages .msg.mentions-me .mention")).hasText("@pia");
      expect(chat.locator("#messages .msg.mentions-me")).hasCount(1);
      quinn.sendRoomMessage("m4", room, "minutes are at https://wiki.example.org/lab/2026-11-28 — 请看第二页");
      expect(lastText(chat).locator("a")).hasAttribute("href", "https://wiki.example.org/lab/2026-11-28");
      chat.locator("#message-text").fill("thanks, 马上来");
      screenshot(chat, "mention");
    }
  }

  @Test
  void aSearchInChineseFindsAMessageAndItsHitOpensTheConversationAtItHighlighted(Http http, TestUsers users) {
    users.create("ying");
    String zoe = users.create("zoe").token();
    http.post("/api/v1/messages", Map.of("to", "ying", "text", "季度报告在这里 — the quarterly report"), zoe);
    sendMany(http, zoe, "ying", "later ", 80);
    Page page = open("en-US", 1000, 720);
    logIn(page, "ying", PASSWORD);

    page.locator("#search-box").fill("季度报告");
    page.locator("#search-box").press("Enter");
    Locator hits = page.locator("#search-results .search-hit");
    expect(hits).hasCount(1);
    expect(hits.locator(".search-text")).hasText("zoe: 季度报告在这里 — the quarterly report");
    screenshot(page, "search");
    hits.click();

    expect(page.locator("#peer-name")).hasText("zoe");
    Locator found = page.locator("#messages .msg.found");
    expect(found.locator(".text")).hasText("季度报告在这里 — the quarterly report");
    expect(found).isInViewport();
    // The hit lies before the newest page: the pages between were loaded to reach it.
    expect(page.locator("#messages .msg")).hasCount(81);
    screenshot(page, "search-hit");

    page.locator("#search-box").fill("报告");
    page.locator("#search-box").press("Enter");
    expect(page.locator("#search-dialog")).isVisible();
    expect(hits.locator(".search-text")).hasText(new String[] {"zoe: 季度报告在这里 — the quarterly report"});
    page.locator("#search-close").click();
    page.locator("#search-box").fill("没有这个词");
    page.locator("#search-box").press("Enter");
    expect(page.locator("#search-state")).hasText("Nothing found for “没有这个词”.");
  }

  @Test
  void anEditAndADeleteShowLiveOnAnotherTabAndAfterAReloadAndNeverCountAsNewOrNotify(TestUsers users) {
    users.create("ling");
    users.create("mei");
    Page mei = showingNotifications("mei");
    realFocus(mei);
    sendToBackground(mei);
    Page ling = open("en-US", 1000, 720);
    logIn(ling, "ling", PASSWORD);
    Page lingsOtherTab = anotherTab(ling);

    person(ling, "mei").click();
    say(ling, "see you at 3 点见");
    say(ling, "the room is 301");
    conversation(lingsOtherTab, "mei").click();
    Locator seen = lingsOtherTab.locator("#messages .msg");
    expect(seen.locator(".text")).hasText(new String[] {"see you at 3 点见", "the room is 301"});
    mei.waitForCondition(() -> count(mei, "window.__notifications.length") == 2);

    ling.locator("#message-text").press("ArrowUp");
    expect(ling.locator("#message-text")).hasValue("the room is 301");
    expect(ling.locator("#edit-bar")).isVisible();
    ling.locator("#message-text").fill("the room is 302（改了）");
    ling.locator("#message-text").press("Enter");
    expect(seen.last().locator(".text")).hasText("the room is 302（改了）");
    expect(seen.last().locator(".edited")).hasText("(edited)");

    Locator first = ling.locator("#messages .msg").first();
    first.hover();
    first.locator("button.edit").click();
    expect(ling.locator("#message-text")).hasValue("see you at 3 点见");
    ling.locator("#message-text").fill("see you at 4 点见");
    ling.locator("#message-text").press("Enter");
    expect(seen.first().locator(".text")).hasText("see you at 4 点见");

    Locator last = ling.locator("#messages .msg").last();
    last.hover();
    last.locator("button.delete").click();
    expect(ling.locator("#delete-dialog")).isVisible();
    screenshot(ling, "delete-confirm");
    ling.locator("#delete-confirm").click();
    expect(seen.last().locator(".text")).hasText("message deleted");
    expect(seen).hasCount(2);
    screenshot(lingsOtherTab, "edited-and-deleted");

    lingsOtherTab.reload();
    expect(seen.locator(".text")).hasText(new String[] {"see you at 4 点见", "message deleted"});
    expect(seen.first().locator(".edited")).isVisible();
    expect(seen.last().locator(".edited")).hasCount(0);

    expect(conversation(mei, "ling").locator(".conv-last")).hasText("message deleted");
    // Two messages came; the deleted one no longer counts.
    expect(conversation(mei, "ling").locator(".badge")).hasText("1");
    assertThat(mei.title()).isEqualTo("(1) Parley");
    assertThat(count(mei, "window.__notifications.length")).as("edits and deletes never notify").isEqualTo(2);
  }

  @Test
  void whenTheServerEndsTheSessionThePageSaysWhyInEitherLanguageInsteadOfReconnecting(Http http, TestUsers users) {
    String elsewhere = users.create("cai").token();
    Page page = open("en-US", 1000, 720);
    logIn(page, "cai", PASSWORD);
    expect(page.locator("#connection")).hasText("Connected");

    assertThat(http.post("/api/v1/account/sessions/end-others", Map.of(), elsewhere).status()).isEqualTo(200);
    expect(page.locator("#login-error")).hasText("This session was ended from another device; please log in again.");
    expect(page.locator("#chat-screen")).isHidden();
    expect(page.locator("#connection")).isHidden();
    page.locator("#language").selectOption("zh");
    expect(page.locator("#login-error")).hasText("此会话已在另一台设备上被结束，请重新登录。");
    screenshot(page, "session-ended");

    page.locator("#language").selectOption("en");
    logIn(page, "cai", PASSWORD);
    expect(page.locator("#connection")).hasText("Connected");
    assertThat(http.post("/api/v1/account/password",
        Map.of("oldPassword", PASSWORD, "newPassword", "新的密码-nov-2026"), elsewhere).status()).isEqualTo(204);
    expect(page.locator("#login-error"))
        .hasText("Your password was changed, which ended this session; log in with the new password.");
    page.locator("#language").selectOption("zh");
    expect(page.locator("#login-error")).hasText("密码已更改，此会话已结束；请用新密码登录。");
  }

  @Test
  void messagesFallUnderDaySeparatorsWithTheFullDateOnHoverInTheViewersLocaleAndTimeZone(Http http, TestUsers users) {
    users.create("rosa");
    String sam = users.create("sam").token();
    long ts = http.post("/api/v1/messages", Map.of("to", "rosa", "text", "morning"), sam).body().get("ts").asLong();
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    Page page = context(new Browser.NewContextOptions().setLocale("en-US").setTimezoneId(shanghai.getId())
        .setViewportSize(1000, 720)).newPage();
    page.navigate(server.http() + "/");
    logIn(page, "rosa", PASSWORD);
    conversation(page, "sam").click();

    expect(page.locator("#messages .day")).hasText(new String[] {"Today"});
    Instant sent = Instant.ofEpochMilli(ts);
    String clock = DateTimeFormatter.ofPattern("hh:mm a", Locale.US).withZone(shanghai).format(sent);
    Locator time = page.locator("#messages .msg time");
    expect(time).hasText(clock);
    // ICU writes a narrow no-break space before AM/PM.
    assertThat(time.getAttribute("title").replace('\u202f', ' ')).isEqualTo(
        DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy 'at' h:mm:ss a", Locale.US).withZone(shanghai).format(sent));

    page.clock().setFixedTime(ts + Duration.ofDays(1).toMillis());
    page.reload();
    expect(page.locator("#messages .day")).hasText(new String[] {"Yesterday"});
    page.clock().setFixedTime(ts + Duration.ofDays(10).toMillis());
    page.reload();
    expect(page.locator("#messages .day")).hasText(new String[] {
        DateTimeFormatter.ofPattern("EEEE, MMMM d", Locale.US).withZone(shanghai).format(sent)});
    page.locator("#language").selectOption("zh");
    expect(page.locator("#messages .msg time")).hasText(DateTimeFormatter.ofPattern("HH:mm").withZone(shanghai).format(sent));
  }

  @Test
  void aReloadComesBackToTheOpenConversationItsScrollPositionAndTheUnsentDraft(Http http, TestUsers users) {
    String tess = users.create("tess").token();
    users.create("uma");
    users.create("vic");
    sendMany(http, tess, "uma", "line ", 120);
    Page page = open("en-US", 1000, 720);
    logIn(page, "uma", PASSWORD);
    person(page, "vic").click();
    page.locator("#message-text").fill("for vic, later");
    conversation(page, "tess").click();
    expect(page.locator("#message-text")).isEmpty();
    page.locator("#messages").evaluate("list => { list.scrollTop = 0; }");
    expect(page.locator("#messages .msg")).hasCount(100);
    page.locator("#messages .msg[data-seq]").filter(new Locator.FilterOptions().setHasText(Pattern.compile("^tess.*line 30$")))
        .evaluate("item => item.scrollIntoView({ block: 'start' })");
    page.locator("#message-text").fill("半句话 half a thought");
    assertThat(firstVisibleText(page)).isEqualTo("line 30");

    page.reload();

    expect(page.locator("#peer-name")).hasText("tess");
    expect(page.locator("#message-text")).hasValue("半句话 half a thought");
    page.waitForCondition(() -> "line 30".equals(firstVisibleText(page)));
    screenshot(page, "reload-restored");
    person(page, "vic").click();
    expect(page.locator("#message-text")).hasValue("for vic, later");
    say(page, "for vic, later");
    page.reload();
    expect(page.locator("#peer-name")).hasText("vic");
    expect(page.locator("#message-text")).isEmpty();
  }

  private static String firstVisibleText(Page page) {
    return (String) page.evaluate("""
        () => {
          const list = document.getElementById('messages');
          const top = list.getBoundingClientRect().top;
          const first = [...list.querySelectorAll('li[data-seq]')].find(item => item.getBoundingClientRect().bottom > top);
          return first ? first.querySelector('.text').textContent : null;
        }""");
  }

  @Test
  void onlyHttpAndHttpsLinksAreClickableAndOpenApartEverythingElseStaysText(Http http, TestUsers users) {
    users.create("wes");
    String xia = users.create("xia").token();
    http.post("/api/v1/messages", Map.of("to", "wes", "text",
        "docs: https://example.org/a?b=1&c=<2>, also (http://例子.测试/路径). not javascript:alert(1) nor <b>bold</b> "
            + "nor ftp://files.example.org/x"), xia);
    Page page = open("en-US", 1000, 720);
    logIn(page, "wes", PASSWORD);
    conversation(page, "xia").click();

    Locator links = page.locator("#messages .text a");
    expect(links).hasText(new String[] {"https://example.org/a?b=1&c=", "http://例子.测试/路径"});
    expect(links.first()).hasAttribute("href", "https://example.org/a?b=1&c=");
    expect(links.last()).hasAttribute("href", "http://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84");
    for (Locator link : links.all()) {
      expect(link).hasAttribute("target", "_blank");
      expect(link).hasAttribute("rel", "noopener noreferrer");
    }
    expect(lastText(page)).hasText("docs: https://example.org/a?b=1&c=<2>, also (http://例子.测试/路径). not javascript:alert(1) "
        + "nor <b>bold</b> nor ftp://files.example.org/x");
    assertThat(page.locator("#messages b").count()).isZero();
  }

  @Test
  void anOverLongMessageShowsTheLimitAndItsLengthAndOffersEditingInsteadOfRetry(TestUsers users) {
    users.create("yan");
    users.create("zed");
    Page page = open("en-US", 1000, 720);
    logIn(page, "yan", PASSWORD);
    person(page, "zed").click();
    page.locator("#message-text").fill("字".repeat(12034));
    page.locator("#message-text").press("Enter");

    Locator refused = page.locator("#messages .msg.failed");
    expect(refused.locator(".delivery")).hasText("not sent");
    expect(refused.locator(".refusal")).hasText("too long: over 10000 characters (you wrote 12034)");
    expect(refused.locator(".retry")).hasCount(0);
    screenshot(page, "refused-too-long");
    page.locator("#language").selectOption("zh");
    expect(refused.locator(".refusal")).hasText("太长了：超过 10000 个字符（你写了 12034 个）");

    refused.locator(".revise").click();
    expect(refused).hasCount(0);
    expect(page.locator("#message-text")).hasValue("字".repeat(12034));
    page.locator("#message-text").fill("字".repeat(10000));
    page.locator("#message-text").press("Enter");
    expect(page.locator("#messages .msg.mine[data-seq] .text")).hasText("字".repeat(10000));
  }

  @Test
  @ServerSetting(key = "messages-per-second", value = "1")
  @ServerSetting(key = "message-burst", value = "1")
  void aMessageRefusedForSpeedOffersRetryWhichSendsItOnce(TestServer own, TestUsers users) {
    users.create("abe");
    String bea = users.create("bea").token();
    Page page = context(new Browser.NewContextOptions().setLocale("en-US").setViewportSize(1000, 720)).newPage();
    page.navigate(own.http() + "/");
    logIn(page, "abe", PASSWORD);
    person(page, "bea").click();
    say(page, "one");
    say(page, "two");

    Locator refused = page.locator("#messages .msg.failed");
    expect(refused.locator(".refusal")).hasText(Pattern.compile("sending too fast: try again in \\d+ s"));
    // The bucket refills in about a second; a Retry before that is refused the same way and offered again.
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      if (refused.locator(".retry").count() > 0) {
        refused.locator(".retry").click();
      }
      expect(page.locator("#messages .msg.mine[data-seq] .text"))
          .hasText(new String[] {"one", "two"}, new LocatorAssertions.HasTextOptions().setTimeout(500));
    });
    assertThat(new Http(own.http()).get("/api/v1/messages?with=abe", bea).body().get("messages").findValuesAsText("text"))
        .containsExactly("one", "two");
  }

  @Test
  void anUploadStaysControllableFromAnotherConversationMovesWithinAChunkAndKeepsTheNewestMessageInView(
      Http http, TestUsers users, @TempDir Path dir) throws Exception {
    users.create("cal");
    String dee = users.create("dee").token();
    users.create("eli");
    sendMany(http, dee, "cal", "update ", 30);
    Page page = open("en-US", 1000, 720);
    logIn(page, "cal", PASSWORD);
    conversation(page, "dee").click();
    expect(lastText(page)).hasText("update 30");
    int chunk = 256 * 1024;
    page.evaluate("size => localStorage.setItem('parley.uploadChunkBytes', String(size))", chunk);
    page.evaluate("""
        () => {
          window.__progress = [];
          new MutationObserver(changes => changes.forEach(change => {
            if (change.target.localName === 'progress') window.__progress.push(Number(change.target.value));
          })).observe(document.getElementById('uploads'), { subtree: true, attributes: true, attributeFilter: ['value'] });
        }""");
    CDPSession cdp = page.context().newCDPSession(page);
    cdp.send("Network.enable");
    JsonObject slow = new JsonObject();
    slow.addProperty("offline", false);
    slow.addProperty("latency", 0);
    slow.addProperty("downloadThroughput", -1);
    slow.addProperty("uploadThroughput", 400_000);
    cdp.send("Network.emulateNetworkConditions", slow);
    byte[] bytes = new byte[8 * chunk + 1000];
    Path file = Files.write(dir.resolve("设计图.bin"), bytes);
    List<String> methods = new CopyOnWriteArrayList<>();
    page.onRequest(request -> {
      if (request.url().contains("/api/v1/uploads")) {
        methods.add(request.method());
      }
    });

    page.locator("#file-input").setInputFiles(file);
    Locator row = page.locator(".upload").first();
    expect(row.locator(".upload-name")).hasText("设计图.bin to dee");
    assertNewestMessageInView(page);
    screenshot(page, "upload-running");
    person(page, "eli").click();
    expect(page.locator("#peer-name")).hasText("eli");
    expect(row).isVisible();
    row.locator(".upload-toggle").click();
    expect(row.locator(".upload-status")).hasText(Pattern.compile("^paused · "));
    expect(row.locator(".upload-toggle")).hasText("Resume");
    screenshot(page, "upload-paused-elsewhere");
    row.locator(".upload-toggle").click();
    expect(row.locator(".upload-status")).hasText(Pattern.compile("^sent"), new LocatorAssertions.HasTextOptions().setTimeout(30_000));
    assertThat(http.get("/api/v1/messages?with=cal", dee).body().get("messages").findValuesAsText("name")).contains("设计图.bin");
    List<?> progress = (List<?>) page.evaluate("window.__progress");
    assertThat(progress.stream().map(Number.class::cast).toList()).as("the bar between a chunk's start and end")
        .anyMatch(value -> value.longValue() % chunk != 0 && value.longValue() < bytes.length);

    Path second = Files.write(dir.resolve("draft.bin"), new byte[3 * chunk]);
    page.locator("#file-input").setInputFiles(second);
    Locator secondRow = page.locator(".upload[aria-label='draft.bin']");
    expect(secondRow.locator(".upload-cancel")).isVisible();
    secondRow.locator(".upload-cancel").click();
    expect(secondRow).hasCount(0);
    page.waitForCondition(() -> methods.contains("DELETE"));
    conversation(page, "dee").click();
    expect(page.locator("#messages .file-name")).hasText(new String[] {"设计图.bin"});
  }

  /** The newest message's bottom edge lies within the message list's visible box. */
  private static void assertNewestMessageInView(Page page) {
    assertThat((Boolean) page.evaluate("""
        () => {
          const list = document.getElementById('messages').getBoundingClientRect();
          const items = document.querySelectorAll('#messages .msg');
          const newest = items[items.length - 1].getBoundingClientRect();
          return newest.bottom <= list.bottom + 1 && newest.top >= list.top;
        }""")).as("the newest message is in view").isTrue();
  }

  @Test
  void onANewDeviceScrollingUpLoadsEveryMessageBetweenTheNewestPageAndTheUnreadReplay(Http http, TestUsers users) {
    String fay = users.create("fay").token();
    String gil = users.create("gil").token();
    List<String> expected = new ArrayList<>();
    sendWhileOnline(http, fay, gil, "on my phone ", 100, expected);
    sendMany(http, fay, "gil", "while away ", 80);
    IntStream.rangeClosed(1, 80).forEach(i -> expected.add("while away " + i));
    sendWhileOnline(http, fay, gil, "on my phone again ", 60, expected);

    Page page = open("en-US", 1000, 720);
    logIn(page, "gil", PASSWORD);
    expect(conversation(page, "fay").locator(".badge")).hasText("240");
    conversation(page, "fay").click();
    expect(page.locator("#messages .msg")).hasCount(50);
    expect(page.locator("#messages .msg .text").first()).hasText("on my phone again 11");
    for (int shown = 100; shown <= 250; shown += 50) {
      expect(page.locator("#history-state")).not().hasText("This is the start of the conversation.");
      page.locator("#messages").evaluate("list => { list.scrollTop = 0; }");
      expect(page.locator("#messages .msg")).hasCount(Math.min(shown, 240));
    }
    expect(page.locator("#history-state")).hasText("This is the start of the conversation.");
    assertThat(page.locator("#messages .msg .text").allTextContents()).isEqualTo(expected);
  }

  /**
   * fay sends gil {@code prefix}1 to {@code count} while a device of gil's is online, so that they
   * count as delivered and are not in a new device's replay.
   */
  private static void sendWhileOnline(Http http, String fay, String gil, String prefix, int count, List<String> expected) {
    try (FrameClient phone = Transport.WEBSOCKET.connect(server, gil, null)) {
      sendMany(http, fay, "gil", prefix, count);
      IntStream.rangeClosed(1, count).forEach(i -> expected.add(prefix + i));
      phone.nextMatching(ServerFrame.Message.class, message -> (prefix + count).equals(message.text()));
    }
  }

  @Test
  void atPhoneWidthEnterMakesANewLineTheSendButtonSendsAndTheHeadersStayOnOneLine(TestUsers users) {
    users.create("hal");
    try (FrameClient ivo = Transport.WEBSOCKET.connect(server, users.create("ivo").token(), null)) {
      ivo.send(new ClientFrame.CreateRoom("c", "A rather long room name for the lab 很长的群聊名字", List.of("hal"), true));
      ivo.nextMatching(ServerFrame.Room.class, reply -> "c".equals(reply.id()));
      Page page = open("en-US", 390, 844);
      logIn(page, "hal", PASSWORD);
      conversation(page, "A rather long room name for the lab 很长的群聊名字").click();
      expect(page.locator("#message-text")).hasAttribute("placeholder", "Message — the Send button sends");

      page.locator("#message-text").pressSequentially("first line");
      page.locator("#message-text").press("Enter");
      page.locator("#message-text").pressSequentially("second line");
      expect(page.locator("#message-text")).hasValue("first line\nsecond line");
      expect(page.locator("#messages .msg.mine")).hasCount(0);
      page.locator("#composer button[type=submit]").click();
      expect(lastText(page)).hasText("first line\nsecond line");
      expect(page.locator("#message-text")).isEmpty();

      for (String bar : List.of(".topbar", ".conversation-head")) {
        double height = page.locator(bar).boundingBox().height;
        double line = page.locator(bar + " button").first().boundingBox().height;
        assertThat(height).as(bar + " is one row").isLessThan(line * 1.9);
      }
      screenshot(page, "phone-room-header");
      page.setViewportSize(1000, 720);
      expect(page.locator("#message-text")).hasAttribute("placeholder", "Message — Enter sends, Shift+Enter for a new line");
      say(page, "desktop enter");
      expect(lastText(page)).hasText("desktop enter");
    }
  }

  @Test
  void everyLabelOnScreenSwitchesLanguageAtOnceTheConnectionBadgeAndUploadsIncluded(Http http, TestUsers users, @TempDir Path dir)
      throws Exception {
    users.create("jo");
    String kai = users.create("kai").token();
    sendMany(http, kai, "jo", "hello ", 3);
    Page page = open("en-US", 1100, 720);
    logIn(page, "jo", PASSWORD);
    conversation(page, "kai").click();
    expect(page.locator("#connection")).hasText("Connected");
    page.evaluate("size => localStorage.setItem('parley.uploadChunkBytes', String(size))", 1024);
    CompletableFuture<Route> held = new CompletableFuture<>();
    page.route("**/api/v1/uploads/*", route -> {
      if (route.request().method().equals("PATCH")) {
        held.complete(route);
      } else {
        route.resume();
      }
    });
    page.locator("#file-input").setInputFiles(Files.write(dir.resolve("notes.bin"), new byte[4096]));
    page.waitForCondition(held::isDone);
    page.locator(".upload-toggle").click();
    expect(page.locator(".upload-toggle")).hasText("Resume");

    page.locator("#language").selectOption("zh");

    expect(page.locator("#connection")).hasText("已连接");
    expect(page.locator("#messages .day")).hasText("今天");
    expect(page.locator(".upload-toggle")).hasText("继续");
    expect(page.locator(".upload-cancel")).hasText("取消");
    expect(page.locator(".upload-name")).hasText("notes.bin 发给 kai");
    expect(page.locator(".upload-status")).hasText(Pattern.compile("^已暂停"));
    expect(page.locator("#settings-button")).hasAttribute("aria-label", "设置");
    expect(page.locator("#message-text")).hasAttribute("placeholder", "输入消息 — Enter 发送，Shift+Enter 换行");
    expect(page.locator("#whoami")).hasText("当前用户：jo");
    expect(page.locator("#history-state")).hasText("已经是最早的消息了。");
    screenshot(page, "language-switched");
  }
}
