package dev.parley.server.web;

import static dev.parley.server.testing.TestUsers.PASSWORD;
import static dev.parley.server.web.WebPages.conversation;
import static dev.parley.server.web.WebPages.events;
import static dev.parley.server.web.WebPages.expect;
import static dev.parley.server.web.WebPages.lastText;
import static dev.parley.server.web.WebPages.logIn;
import static dev.parley.server.web.WebPages.person;
import static dev.parley.server.web.WebPages.register;
import static dev.parley.server.web.WebPages.say;
import static dev.parley.server.web.WebPages.screenshot;
import static dev.parley.server.web.WebPages.sendMany;
import static dev.parley.server.web.WebPages.tokenOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.JSHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.parley.protocol.ClientFrame;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.testing.FrameClient;
import dev.parley.server.testing.Http;
import dev.parley.server.testing.ParleyServerTest;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.TestUsers;
import dev.parley.server.testing.Transport;
import dev.parley.server.testing.Tus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web client in a real browser: the system's headless Chromium, driven by Playwright, against
 * a real server. Waiting is Playwright's own (assertions retry until they hold), never a sleep.
 */
@ParleyServerTest
class WebClientBrowserTest {
  private static final int CHUNK = 64 * 1024;

  private static TestServer server;
  @RegisterExtension
  static final Browsers BROWSERS = new Browsers();

  private final List<String> policyViolations = new CopyOnWriteArrayList<>();
  private final AtomicInteger dialogs = new AtomicInteger();

  @BeforeAll
  static void keepServer(TestServer testServer) {
    server = testServer;
  }

  /** A fresh browser profile whose navigator.language is {@code locale}, with the page open. */
  private Page open(String locale, int width, int height) {
    BrowserContext context = BROWSERS.context(new Browser.NewContextOptions()
        .setLocale(locale)
        .setViewportSize(width, height)
        .setAcceptDownloads(true));
    Page page = context.newPage();
    page.onConsoleMessage(message -> {
      if (message.text().contains("Content Security Policy")) {
        policyViolations.add(message.text());
      }
    });
    page.onDialog(dialog -> {
      dialogs.incrementAndGet();
      dialog.dismiss();
    });
    page.navigate(server.http() + "/");
    return page;
  }

  @Test
  void thePageArrivesWithItsSecurityHeadersAndRunsUnderThem() {
    BrowserContext context = BROWSERS.context(new Browser.NewContextOptions());
    Page page = context.newPage();
    page.onConsoleMessage(message -> {
      if (message.text().contains("Content Security Policy")) {
        policyViolations.add(message.text());
      }
    });

    Response response = page.navigate(server.http() + "/");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headerValue("content-security-policy")).isEqualTo(StaticFilesTest.CSP);
    assertThat(response.headerValue("x-content-type-options")).isEqualTo("nosniff");
    assertThat(response.headerValue("referrer-policy")).isEqualTo("no-referrer");
    assertThat(response.headerValue("content-type")).isEqualTo("text/html; charset=utf-8");
    expect(page.locator("#login-form")).isVisible();
    assertThat(policyViolations).isEmpty();
  }

  @Test
  void registrationShowsTheRulesFirstAndEachErrorNextToItsField(TestUsers users) {
    users.create("taken");
    Page page = open("en-GB", 1000, 720);
    screenshot(page, "login");

    page.locator("#tab-register").click();
    expect(page.locator("#password-rules li")).hasText(new Pattern[] {
        Pattern.compile("at least 8 characters"), Pattern.compile("at most 128 characters"),
        Pattern.compile("at least one letter"), Pattern.compile("at least one digit"),
        Pattern.compile("not the same as the username")});
    register(page, "x", PASSWORD);
    expect(page.locator("#register-username-error")).hasText(Pattern.compile("not allowed"));
    register(page, "Taken", PASSWORD);
    expect(page.locator("#register-username-error")).hasText("This username is taken.");
    register(page, "newcomer", "onlyletters");
    expect(page.locator("#register-password-error")).hasText("This password is too weak: at least one digit.");
    expect(page.locator("#register-username-error")).isHidden();
    screenshot(page, "register-errors");

    page.locator("#tab-login").click();
    page.locator("#login-username").fill("taken");
    page.locator("#login-password").fill("wrong-password1");
    page.locator("#login-form button[type=submit]").click();
    expect(page.locator("#login-error")).hasText("Wrong username or password.");
  }

  @Test
  void olderMessagesLoadOnScrollingUpThePeopleFilterNarrowsAndADroppedFileIsSent(Http http, TestUsers users) {
    String erin = users.create("erin").token();
    users.create("frank");
    users.create("fiona");
    sendMany(http, erin, "frank", "note ", 120);
    Page page = open("en-US", 1000, 720);
    logIn(page, "erin", PASSWORD);

    page.locator("#filter").fill("fr");
    expect(page.locator(".person")).hasCount(1);
    expect(page.locator(".person .name")).hasText("frank");
    person(page, "frank").click();
    expect(page.locator("#messages .msg")).hasCount(50);
    expect(page.locator("#messages .msg .text").first()).hasText("note 71");
    page.locator("#messages").evaluate("list => { list.scrollTop = 0; }");
    expect(page.locator("#messages .msg")).hasCount(100);
    page.locator("#messages").evaluate("list => { list.scrollTop = 0; }");
    expect(page.locator("#messages .msg")).hasCount(120);
    expect(page.locator("#messages .msg .text").first()).hasText("note 1");
    expect(page.locator("#history-state")).hasText("This is the start of the conversation.");

    JSHandle dropped = page.evaluateHandle(
        "() => { const t = new DataTransfer(); t.items.add(new File(['dropped bytes'], 'dropped.txt')); return t; }");
    page.locator("#conversation").dispatchEvent("drop", Map.of("dataTransfer", dropped));
    expect(page.locator("#messages .msg.mine .file-name")).hasText("dropped.txt");
    expect(page.locator("#messages .msg.mine .file-size")).hasText("13 B");
  }

  @Test
  void theLanguageCanBeSwitchedAndIsRemembered() {
    Page page = open("en-US", 1000, 720);
    expect(page.locator("#tab-register")).hasText("Register");

    page.locator("#language").selectOption("zh");
    expect(page.locator("#tab-register")).hasText("注册");
    page.reload();

    expect(page.locator("#tab-register")).hasText("注册");
    expect(page.locator("#login-username")).hasAccessibleName("用户名");
  }

  @Test
  void aDroppedConnectionIsShownAndCaughtUpAnUnacknowledgedMessageIsRetriedWithItsIdAndALogoutElsewhereEndsTheSession(Http http, TestUsers users) {
    users.create("carol");
    String dave = users.create("dave").token();
    BrowserContext context = BROWSERS.context(new Browser.NewContextOptions().setLocale("en-US"));
    Page page = context.newPage();
    List<WebSocketRoute> sockets = new CopyOnWriteArrayList<>();
    List<String> fromPage = new CopyOnWriteArrayList<>();
    AtomicBoolean dropAcks = new AtomicBoolean();
    page.routeWebSocket("**/api/v1/ws", socket -> {
      WebSocketRoute toServer = socket.connectToServer();
      socket.onMessage(frame -> {
        fromPage.add(frame.text());
        toServer.send(frame.text());
      });
      toServer.onMessage(frame -> {
        if (!(dropAcks.get() && frame.text().contains("\"type\":\"ack\""))) {
          socket.send(frame.text());
        }
      });
      sockets.add(socket);
    });
    page.navigate(server.http() + "/");
    logIn(page, "carol", PASSWORD);
    person(page, "dave").click();
    long firstSeq = http.post("/api/v1/messages", Map.of("to", "carol", "text", "first"), dave).body().get("seq").asLong();
    expect(lastText(page)).hasText("first");

    sockets.getLast().close();
    expect(page.locator("#connection")).hasText("Offline — reconnecting in 1 s");
    http.post("/api/v1/messages", Map.of("to", "carol", "text", "while you were away"), dave);
    expect(page.locator("#connection")).hasText("Connected");
    expect(lastText(page)).hasText("while you were away");
    assertThat(fromPage).filteredOn(text -> text.contains("\"type\":\"auth\""))
        .hasSize(2)
        .last().asString().contains("\"since\":" + firstSeq);

    dropAcks.set(true);
    say(page, "did you get this?");
    expect(page.locator("#messages .msg.pending .delivery")).hasText("sending…");
    expect(page.locator("#messages .msg.failed .delivery")).hasText("not sent", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
    dropAcks.set(false);
    page.locator("#messages .msg.failed .retry").click();
    expect(page.locator("#messages .msg.mine[data-seq] .text")).hasText("did you get this?");
    List<String> sends = fromPage.stream().filter(text -> text.contains("\"type\":\"send\"")).toList();
    assertThat(sends).hasSize(2);
    assertThat(sends.get(1)).isEqualTo(sends.get(0));
    assertThat(http.get("/api/v1/messages?with=carol", dave).body().get("messages").findValuesAsText("text"))
        .containsOnlyOnce("did you get this?");

    http.post("/api/v1/logout", Map.of(), tokenOf(page));
    expect(page.locator("#login-error")).hasText("Your session has ended; please log in again.");
    assertThat(sockets).hasSize(2);
  }

  @Test
  void aliceAndBobChatSwapAFileThatSurvivesAReloadAndSeeEachOtherLeave(@TempDir Path downloads) throws Exception {
    Page alice = open("en-US", 1100, 720);
    Page bob = open("zh-CN", 1100, 720);

    register(alice, "alice", PASSWORD);
    expect(alice.locator("#login-notice")).hasText(Pattern.compile("Account alice created"));
    register(bob, "bob", "mima2024");
    expect(bob.locator("#login-notice")).hasText(Pattern.compile("账号 bob 已创建"));
    logIn(alice, "alice", PASSWORD);
    expect(person(alice, "bob")).hasText(Pattern.compile("bob.*offline"));
    logIn(bob, "bob", "mima2024");
    expect(person(alice, "bob")).hasText(Pattern.compile("bob.*online"));
    expect(person(bob, "alice")).hasText(Pattern.compile("alice.*在线"));
    expect(alice.locator("#connection")).hasText("Connected");

    person(alice, "bob").click();
    say(alice, "Hello bob, ready for the report?");
    expect(alice.locator("#messages .msg.mine[data-seq] .text")).hasText("Hello bob, ready for the report?");
    expect(alice.locator("#messages .msg.pending")).hasCount(0);
    expect(conversation(bob, "alice").locator(".badge")).hasText("1");
    expect(conversation(bob, "alice").locator(".conv-last")).hasText("Hello bob, ready for the report?");
    conversation(bob, "alice").click();
    expect(lastText(bob)).hasText("Hello bob, ready for the report?");
    expect(conversation(bob, "alice").locator(".badge")).hasCount(0);
    bob.locator("#message-text").fill("你好，alice！");
    bob.locator("#message-text").press("Shift+Enter");
    bob.locator("#message-text").pressSequentially("发吧");
    bob.locator("#message-text").press("Enter");
    expect(lastText(alice)).hasText("你好，alice！\n发吧");
    expect(alice.locator("#messages .msg").last().locator(".from")).hasText("bob");

    say(alice, "<img src=x onerror=alert(1)>");
    expect(lastText(bob)).hasText("<img src=x onerror=alert(1)>");
    assertThat(bob.locator("#messages img").count()).isZero();
    screenshot(alice, "chat-en");
    screenshot(bob, "chat-zh");

    byte[] bytes = new byte[1024 * 1024 + 123];
    new Random(4).nextBytes(bytes);
    Path file = Files.write(downloads.resolve("报告 2026.bin"), bytes);
    alice.evaluate("size => localStorage.setItem('parley.uploadChunkBytes', String(size))", CHUNK);
    CompletableFuture<Route> held = new CompletableFuture<>();
    AtomicInteger patches = new AtomicInteger();
    alice.route("**/api/v1/uploads/*", route -> {
      if (route.request().method().equals("PATCH") && patches.incrementAndGet() > 3) {
        held.complete(route);
      } else {
        route.resume();
      }
    });
    alice.locator("#file-input").setInputFiles(file);
    // Playwright for Java runs route handlers only while the test thread is inside a Playwright call.
    alice.waitForCondition(held::isDone);
    Route fourth = held.join();
    assertThat(fourth.request().headerValue("upload-offset")).isEqualTo(String.valueOf(3 * CHUNK));
    expect(alice.locator(".upload-status")).hasText(Pattern.compile("of 1.0 MB"));
    screenshot(alice, "file-progress");
    alice.locator(".upload-toggle").click();
    expect(alice.locator(".upload-status")).hasText("paused · 196.6 kB of 1.0 MB");
    expect(alice.locator(".upload progress")).hasAttribute("value", String.valueOf(3 * CHUNK));
    // The page aborted the held PATCH when it paused, but Playwright still holds the route: drop it
    // here, or unrouteAll may let it through to the server and move the offset past 3 chunks.
    abortQuietly(fourth);

    alice.unrouteAll();
    List<String> offsetsAfterReload = new CopyOnWriteArrayList<>();
    alice.route("**/api/v1/uploads/*", route -> {
      if (route.request().method().equals("PATCH")) {
        offsetsAfterReload.add(route.request().headerValue("upload-offset"));
      }
      route.resume();
    });
    alice.reload();
    expect(alice.locator("#whoami")).hasText("Logged in as alice");
    person(alice, "bob").click();
    alice.locator("#file-input").setInputFiles(file);
    expect(bob.locator("#messages .file-name")).hasText("报告 2026.bin");
    expect(bob.locator("#messages .file-size")).hasText("1.0 MB");
    assertThat(offsetsAfterReload).first().isEqualTo(String.valueOf(3 * CHUNK));
    assertThat(offsetsAfterReload).hasSize((bytes.length - 3 * CHUNK + CHUNK - 1) / CHUNK);
    expect(alice.locator("#messages .file-name")).hasText("报告 2026.bin");
    screenshot(alice, "chat-with-file");

    Download download = bob.waitForDownload(() -> bob.locator("#messages .download").click());
    Path saved = downloads.resolve("downloaded.bin");
    download.saveAs(saved);
    assertThat(download.suggestedFilename()).isEqualTo("报告 2026.bin");
    assertThat(Tus.sha256Hex(Files.readAllBytes(saved))).isEqualTo(Tus.sha256Hex(bytes));
    assertThat(download.url()).contains("?ticket=").doesNotContain(tokenOf(bob));

    alice.locator("#logout").click();
    expect(alice.locator("#login-form")).isVisible();
    expect(person(bob, "alice")).hasText(Pattern.compile("alice.*离线"));
    assertThat(alice.evaluate("localStorage.getItem('parley.session')")).isNull();

    bob.setViewportSize(390, 844);
    bob.locator("#back").click();
    expect(bob.locator(".people")).isVisible();
    expect(bob.locator("#conversation")).isHidden();
    screenshot(bob, "phone-people");
    person(bob, "alice").click();
    expect(bob.locator(".people")).isHidden();
    expect(lastText(bob)).isVisible();
    screenshot(bob, "phone-conversation");

    assertThat(dialogs).hasValue(0);
    assertThat(policyViolations).isEmpty();
  }

  @Test
  void threePeopleChatAndShareAFileInANewRoomThatShowsItsMembersTypingAndWhoCameAndWent(Http http, TestUsers users, @TempDir Path dir)
      throws Exception {
    users.create("ann");
    String benToken = users.create("ben").token();
    users.create("cat");
    users.create("dan");
    Page ann = open("en-US", 1100, 720);
    Page ben = open("en-US", 1100, 720);
    Page cat = open("zh-CN", 1100, 720);
    logIn(ann, "ann", PASSWORD);
    logIn(ben, "ben", PASSWORD);
    logIn(cat, "cat", PASSWORD);

    ann.locator("#new-room").click();
    ann.locator("#room-name").fill("Lab 实验室");
    ann.locator("#room-open").check();
    ann.locator("#pick-filter").fill("be");
    expect(ann.locator("#pick-list label")).hasText(new String[] {"ben"});
    ann.locator("#pick-list label[data-user='ben']").click();
    ann.locator("#pick-filter").fill("");
    ann.getByLabel("cat", new Page.GetByLabelOptions().setExact(true)).check();
    screenshot(ann, "room-create");
    ann.locator("#room-submit").click();

    expect(ann.locator("#peer-name")).hasText("Lab 实验室");
    expect(ann.locator("#peer-state")).hasText("open room · 3 members");
    expect(events(ann)).hasText(new String[] {"ann created the room “Lab 实验室”", "ann added ben", "ann added cat"});
    expect(conversation(ben, "Lab 实验室").locator(".badge")).isVisible();
    expect(conversation(cat, "Lab 实验室")).isVisible();

    conversation(ben, "Lab 实验室").click();
    expect(conversation(ben, "Lab 实验室").locator(".badge")).hasCount(0);
    ben.locator("#message-text").pressSequentially("hi");
    expect(ann.locator("#typing")).hasText("ben is typing…");
    ben.locator("#message-text").press("Enter");
    expect(lastText(ann)).hasText("hi");
    expect(ann.locator("#messages .msg").last().locator(".from")).hasText("ben");
    expect(ann.locator("#typing")).isEmpty();
    expect(conversation(cat, "Lab 实验室").locator(".conv-last")).hasText("ben: hi");

    conversation(cat, "Lab 实验室").click();
    expect(events(cat).first()).hasText("ann 创建了群聊“Lab 实验室”");
    say(cat, "大家好");
    expect(lastText(ann)).hasText("大家好");
    expect(lastText(ben)).hasText("大家好");
    say(ann, "welcome both");
    expect(lastText(ben)).hasText("welcome both");
    expect(lastText(cat)).hasText("welcome both");
    expect(cat.locator("#messages .msg").last().locator(".from")).hasText("ann");
    screenshot(cat, "room-zh");

    Path file = Files.writeString(dir.resolve("notes.txt"), "room notes");
    ben.locator("#file-input").setInputFiles(file);
    expect(ann.locator("#messages .msg .file-name")).hasText("notes.txt");
    expect(conversation(cat, "Lab 实验室").locator(".conv-last")).hasText("ben: 文件：notes.txt");
    Download download = cat.waitForDownload(() -> cat.locator("#messages .download").click());
    assertThat(Files.readString(download.path())).isEqualTo("room notes");

    ann.locator("#members-toggle").click();
    expect(ann.locator("#members li")).hasText(new Pattern[] {
        Pattern.compile("ann \\(you\\)owner"), Pattern.compile("ben"), Pattern.compile("cat")});
    ann.locator("#add-people").click();
    expect(ann.locator("#pick-list label[data-user='ben']")).hasCount(0);
    ann.getByLabel("dan", new Page.GetByLabelOptions().setExact(true)).check();
    ann.locator("#room-submit").click();
    expect(events(ann).last()).hasText("ann added dan");
    expect(ann.locator("#members-toggle")).hasText("Members (4)");
    http.post("/api/v1/messages", Map.of("to", "ann", "text", "Lunch after the meeting?"), benToken);
    expect(ann.locator(".conv .conv-title")).hasText(new String[] {"ben (direct)", "Lab 实验室 (room)"});
    expect(conversation(ann, "ben").locator(".badge")).hasText("1");
    screenshot(ann, "room");
    ann.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove dan from the room")).click();
    expect(events(ann).last()).hasText("ann removed dan");
    expect(ann.locator("#members-toggle")).hasText("Members (3)");
    ben.locator("#members-toggle").click();
    expect(ben.locator("#members li")).hasCount(3);
    expect(ben.locator("#add-people")).isVisible();
    expect(ben.locator("#rename-room")).isHidden();
    expect(ben.locator("#members .remove")).hasCount(0);

    cat.locator("#members-toggle").click();
    cat.locator("#leave-room").click();
    expect(conversation(cat, "Lab 实验室")).hasCount(0);
    expect(events(ann).last()).hasText("cat left");
    expect(events(ben).last()).hasText("cat left");

    cat.locator("#browse-rooms").click();
    Locator listed = cat.locator("#directory-list .directory-room[data-title='Lab 实验室']");
    expect(listed).hasText(Pattern.compile("2 位成员"));
    screenshot(cat, "room-directory");
    listed.getByRole(AriaRole.BUTTON).click();
    expect(cat.locator("#peer-name")).hasText("Lab 实验室");
    expect(events(ann).last()).hasText("cat joined");
    say(cat, "我回来了");
    expect(lastText(ben)).hasText("我回来了");

    ann.locator("#rename-room").click();
    expect(ann.locator("#room-name")).hasValue("Lab 实验室");
    ann.locator("#room-name").fill("Lab 2");
    ann.locator("#room-submit").click();
    expect(ann.locator("#peer-name")).hasText("Lab 2");
    expect(events(ben).last()).hasText("ann renamed the room to “Lab 2”");
    expect(ben.locator("#peer-name")).hasText("Lab 2");
    expect(conversation(cat, "Lab 2")).isVisible();

    ben.setViewportSize(390, 844);
    screenshot(ben, "phone-room");
    ben.locator("#back").click();
    screenshot(ben, "phone-conversations");
    assertThat(dialogs).hasValue(0);
    assertThat(policyViolations).isEmpty();
  }

  @Test
  void readingOnOneTabClearsTheUnreadBadgeOnTheOtherAndTheCountSurvivesAReload(TestUsers users) {
    users.create("gus");
    try (FrameClient hal = Transport.WEBSOCKET.connect(server, users.create("hal").token(), null)) {
      hal.send(new ClientFrame.CreateRoom("c", "ops", List.of("gus"), false));
      String room = hal.nextMatching(ServerFrame.Room.class, reply -> "c".equals(reply.id())).room().room();
      BrowserContext context = BROWSERS.context(new Browser.NewContextOptions().setLocale("en-US"));
        Page first = context.newPage();
      first.navigate(server.http() + "/");
      logIn(first, "gus", PASSWORD);
      Page second = context.newPage();
      second.navigate(server.http() + "/");
      expect(second.locator("#whoami")).hasText("Logged in as gus");

      hal.sendRoomMessage("m1", room, "deploy at 5");
      hal.sendRoomMessage("m2", room, "and check the logs");
      hal.sendMessage("m3", "gus", "psst");
      expect(conversation(first, "ops").locator(".badge")).hasText("3");
      expect(conversation(second, "ops").locator(".badge")).hasText("3");
      expect(conversation(first, "hal").locator(".badge")).hasText("1");
      expect(first.locator(".conv .conv-title")).hasText(new String[] {"hal (direct)", "ops (room)"});
      first.reload();
      expect(conversation(first, "ops").locator(".badge")).hasText("3");
      expect(conversation(first, "hal").locator(".badge")).hasText("1");
      assertThat(first.title()).isEqualTo("(4) Parley");
      screenshot(first, "unread");

      conversation(second, "ops").click();
      expect(lastText(second)).hasText("and check the logs");
      expect(conversation(second, "ops").locator(".badge")).hasCount(0);
      expect(conversation(first, "ops").locator(".badge")).hasCount(0);
      expect(conversation(first, "hal").locator(".badge")).hasText("1");
      assertThat(first.title()).isEqualTo("(1) Parley");
      second.locator("#members-toggle").click();
      expect(second.locator("#members li")).hasText(new Pattern[] {Pattern.compile("hal.*owner"), Pattern.compile("gus")});
      expect(second.locator("#add-people")).isHidden();
      expect(second.locator("#leave-room")).isVisible();
      first.reload();
      expect(conversation(first, "hal").locator(".badge")).hasText("1");
      expect(conversation(first, "ops").locator(".badge")).hasCount(0);
    }
  }

  @Test
  void aRoomCanBeMadeAndTheOpenRoomsBrowsedFromTheKeyboardAloneAtPhoneWidth(TestUsers users) {
    users.create("kim");
    users.create("lee");
    Page kim = open("en-US", 390, 844);
    logIn(kim, "kim", PASSWORD);
    expect(kim.locator("#connection")).hasText("Connected");

    kim.locator("#new-room").focus();
    kim.keyboard().press("Enter");
    expect(kim.locator("#room-name")).isFocused();
    kim.keyboard().type("键盘 room");
    kim.keyboard().press("Tab");
    expect(kim.locator("#room-open")).isFocused();
    kim.keyboard().press("Space");
    kim.keyboard().press("Tab");
    kim.keyboard().type("lee");
    kim.keyboard().press("Enter");
    expect(kim.locator("#room-dialog")).isVisible();
    kim.keyboard().press("Tab");
    expect(kim.locator("#pick-list input[value='lee']")).isFocused();
    kim.keyboard().press("Space");
    kim.keyboard().press("Tab");
    kim.keyboard().press("Tab");
    expect(kim.locator("#room-submit")).isFocused();
    screenshot(kim, "phone-room-create");
    kim.keyboard().press("Enter");

    expect(kim.locator("#peer-name")).hasText("键盘 room");
    expect(kim.locator("#peer-state")).hasText("open room · 2 members");
    expect(events(kim).last()).hasText("kim added lee");
    expect(kim.locator("#message-text")).isFocused();
    expect(kim.locator(".people")).isHidden();

    kim.locator("#back").focus();
    kim.keyboard().press("Enter");
    kim.locator("#browse-rooms").focus();
    kim.keyboard().press("Enter");
    expect(kim.locator("#directory-list button").first()).isFocused();
    expect(kim.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open 键盘 room"))).isVisible();
    kim.keyboard().press("Escape");
    expect(kim.locator("#directory-dialog")).isHidden();
  }

  @Test
  void someoneWhoRegistersAppearsInThePeopleListLiveAndComesOnline(TestUsers users) {
    users.create("ivy");
    Page ivy = open("en-US", 1000, 720);
    logIn(ivy, "ivy", PASSWORD);
    expect(ivy.locator("#connection")).hasText("Connected");
    Page newcomer = open("en-US", 1000, 720);

    register(newcomer, "jules", PASSWORD);
    expect(person(ivy, "jules")).hasText(Pattern.compile("jules.*offline"));
    logIn(newcomer, "jules", PASSWORD);
    expect(person(ivy, "jules")).hasText(Pattern.compile("jules.*online"));
    expect(person(newcomer, "ivy")).hasText(Pattern.compile("ivy.*online"));
  }

  @Test
  void uploadChunksStartAtFourMibAndGrowWithTheRateTheLastOneWasSentAt(TestUsers users, @TempDir Path dir) throws Exception {
    users.create("lea");
    users.create("max");
    Page lea = open("en-US", 1000, 720);
    logIn(lea, "lea", PASSWORD);
    // The rule, from the page's own module: what the last chunk's rate sends in 2 s, within 4 to 64 MiB.
    assertThat(lea.evaluate(
        "() => import('/static/js/tus.js').then(tus => [0.5, 10, 1e-3].map(seconds => tus.nextChunkBytes(4 << 20, seconds)))"))
        .isEqualTo(List.of(16 << 20, 4 << 20, 64 << 20));

    byte[] bytes = new byte[(6 << 20) + 5];
    new Random(9).nextBytes(bytes);
    Path file = Files.write(dir.resolve("大文件.bin"), bytes);
    List<String> offsets = new CopyOnWriteArrayList<>();
    lea.route("**/api/v1/uploads/*", route -> {
      if (route.request().method().equals("PATCH")) {
        offsets.add(route.request().headerValue("upload-offset"));
      }
      route.resume();
    });
    person(lea, "max").click();
    lea.locator("#file-input").setInputFiles(file);

    // Loopback on a loaded machine can be slow: the 6 MiB get a minute.
    expect(lea.locator("#messages .file-name")).hasText("大文件.bin", new LocatorAssertions.HasTextOptions().setTimeout(60_000));
    assertThat(offsets).as("a first chunk of 4 MiB, then one of at least as much").containsExactly("0", String.valueOf(4 << 20));
  }

  /** Aborts a held route; one whose request the page itself cancelled is gone already. */
  private static void abortQuietly(Route route) {
    try {
      route.abort();
    } catch (PlaywrightException alreadyCancelled) {
      // Nothing left to stop.
    }
  }
}
