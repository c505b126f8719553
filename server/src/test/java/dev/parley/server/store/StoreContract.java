package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.parley.protocol.EventKind;
import dev.parley.protocol.NotifyLevel;
import dev.parley.protocol.RoomRole;
import dev.parley.server.account.Usernames;
import dev.parley.server.store.sql.SqlStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store implementation must do, run against each database by a subclass: SQLite in a
 * temp directory, PostgreSQL in a database of the test's own. Each test gets empty stores.
 */
abstract class StoreContract {
  private static final int BATCH = 150;

  protected SqlStores stores;
  private final List<SqlStores> nodes = new ArrayList<>();

  /** Opens stores on this test's database; called once per node. */
  protected abstract SqlStores open();

  /**
   * How many writers may append at once, each on stores of its own as a node would: one for the
   * embedded database, several for a shared one.
   */
  protected abstract int writerNodes();

  /** Runs after every store of the test is closed: where the subclass removes its database. */
  protected void afterClose() {}

  @BeforeEach
  final void openStores() {
    stores = open();
  }

  @AfterEach
  final void closeStores() {
    nodes.forEach(SqlStores::close);
    stores.close();
    afterClose();
  }

  private SqlStores node() {
    SqlStores node = open();
    nodes.add(node);
    return node;
  }

  // Users and tokens.

  @Test
  void usersAreUniqueByKeyAndSkeletonAndListedByKeyPrefixInCodePointOrder() throws Exception {
    User alice = stores.users().create("Alice", "alice", "hash-a", 1);
    User zhang = stores.users().create("张伟", "张伟", "hash-z", 2);
    stores.users().create("alicia", "alicia", "hash", 3);
    stores.users().create("ali", "ali", "hash", 4);

    assertThatThrownBy(() -> stores.users().create("ALICE", "alice", "h", 5)).isInstanceOf(UsernameTakenException.class);
    assertThat(stores.users().findCredentials("alice")).hasValue(new Credentials(alice, "hash-a", false, false));
    assertThat(stores.users().findById(zhang.id())).hasValue(zhang);
    assertThat(stores.users().findByKey("张伟")).hasValue(zhang);
    assertThat(stores.users().findBySkeleton(Usernames.skeleton("张伟"))).hasValue(zhang);
    assertThat(stores.users().list("ali", 10)).extracting(User::username).containsExactly("ali", "Alice", "alicia");
    assertThat(stores.users().list("ali", 2)).extracting(User::username).containsExactly("ali", "Alice");
    assertThat(stores.users().list("", 10)).extracting(User::username).containsExactly("ali", "Alice", "alicia", "张伟");
    assertThat(stores.users().list("%", 10)).isEmpty();
  }

  @Test
  void tokensAreFoundTouchedAndExpiredByLastUse() throws Exception {
    User alice = stores.users().create("alice", "alice", "x", 0);
    stores.tokens().insert("old", alice.id(), 100, null, null);
    stores.tokens().insert("new", alice.id(), 100, null, null);
    stores.tokens().touch("new", 500);

    assertThat(stores.tokens().find("new")).hasValue(new TokenRecord(alice, 100, 500));
    assertThat(stores.tokens().deleteUnusedSince(200)).isEqualTo(1);
    assertThat(stores.tokens().find("old")).isEmpty();
    assertThat(stores.tokens().delete("new")).isTrue();
    assertThat(stores.tokens().delete("new")).isFalse();
  }

  // The message log.

  @Test
  void aBatchSpanningSeveralStatementsGetsSeqsInListOrderAndIsUndeliveredToItsRecipient() throws Exception {
    User alice = stores.users().create("alice", "alice", "x", 0);
    User bob = stores.users().create("鲍勃", "鲍勃", "x", 0);
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      User from = i % 2 == 0 ? alice : bob;
      User to = i % 2 == 0 ? bob : alice;
      batch.add(NewMessage.text(from.id(), to.id(), "m" + i, "text " + i, 1_000 + i));
    }

    List<AppendResult> results = stores.messages().appendAll(batch, List.of());

    assertThat(results).hasSize(BATCH).allSatisfy(result -> assertThat(result.duplicate()).isFalse());
    assertThat(results).extracting(AppendResult::seq).isSorted().doesNotHaveDuplicates();
    assertThat(results).extracting(AppendResult::createdAtMillis).containsExactlyElementsOf(
        batch.stream().map(NewMessage::createdAtMillis).toList());
    assertThat(texts(stores.messages().undelivered(bob.id(), 0, 1_000))).containsExactlyElementsOf(textsOfEvenOrOdd(0));
    assertThat(texts(stores.messages().undelivered(alice.id(), 0, 1_000))).containsExactlyElementsOf(textsOfEvenOrOdd(1));
    assertThat(stores.conversations().conversations(alice.id()))
        .singleElement()
        .satisfies(c -> {
          assertThat(c.with()).isEqualTo("鲍勃");
          assertThat(c.lastSeq()).isEqualTo(results.getLast().seq());
          assertThat(c.last().text()).isEqualTo("text " + (BATCH - 1));
        });
  }

  @Test
  void aRepeatedClientIdInTheSameOrALaterBatchGetsTheFirstSeqBack() throws Exception {
    User alice = stores.users().create("alice", "alice", "x", 0);
    User bob = stores.users().create("bob", "bob", "x", 0);
    MessageStore messages = stores.messages();

    List<AppendResult> first =
        messages.appendAll(
            List.of(
                NewMessage.text(alice.id(), bob.id(), "same", "first", 10),
                NewMessage.text(alice.id(), bob.id(), "same", "again in the batch", 11),
                NewMessage.text(bob.id(), alice.id(), "same", "another sender's id", 12)),
            List.of());
    List<AppendResult> later = messages.appendAll(List.of(NewMessage.text(alice.id(), bob.id(), "same", "again later", 13)), List.of());

    assertThat(first.get(0).duplicate()).isFalse();
    assertThat(first.get(1)).isEqualTo(new AppendResult(first.get(0).seq(), 10, true));
    assertThat(first.get(2).duplicate()).isFalse();
    assertThat(later).containsExactly(new AppendResult(first.get(0).seq(), 10, true));
    assertThat(texts(messages.directHistory(alice.id(), bob.id(), Long.MAX_VALUE, 10))).containsExactly("first", "another sender's id");
    long conversation = stores.conversations().directConversation(bob.id(), alice.id()).orElseThrow();
    // Gap-free numbers: the duplicate took none.
    assertThat(stores.conversations().messageAtOrBefore(conversation, Long.MAX_VALUE)).isEqualTo(
        new ConversationStore.ReadCursor(2, first.get(2).seq()));
  }

  @Test
  void deliveriesMarkedInBulkLeaveOnlyTheUndelivered() throws Exception {
    User alice = stores.users().create("alice", "alice", "x", 0);
    User bob = stores.users().create("bob", "bob", "x", 0);
    List<NewMessage> batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      batch.add(NewMessage.text(alice.id(), bob.id(), "m" + i, "text " + i, i));
    }
    List<AppendResult> results = stores.messages().appendAll(batch, List.of());
    List<Delivery> allButLast = results.subList(0, BATCH - 1).stream().map(result -> new Delivery(bob.id(), result.seq())).toList();

    stores.messages().appendAll(List.of(), allButLast);

    assertThat(texts(stores.messages().undelivered(bob.id(), 0, 1_000))).containsExactly("text " + (BATCH - 1));
    assertThat(stores.conversations().deliveredCursor(bob.id())).isEqualTo(results.get(BATCH - 2).seq());
  }

  // Accounts, sessions and invites.

  @Test
  void accountsAreDisabledDeletedAndMadeAdminAndTheirSessionsEndedTogether() throws Exception {
    User alice = stores.users().create("alice", "alice", "hash", 1);
    User bob = stores.users().create("鲍勃", "鲍勃", "hash", 2);
    stores.tokens().insert("aaa1", alice.id(), 10, "192.0.2.1", "Firefox");
    stores.tokens().insert("aaa2", alice.id(), 20, "2001:db8::1", "parley-cli");
    stores.tokens().insert("bbb1", alice.id(), 30, null, null);
    stores.tokens().insert("ccc1", bob.id(), 40, null, null);

    stores.users().setAdmin(alice.id(), true);
    stores.users().setDisabled(bob.id(), true, 50);

    assertThat(stores.users().isAdmin(alice.id())).isTrue();
    assertThat(stores.users().findCredentials("鲍勃")).hasValue(new Credentials(bob, "hash", true, false));
    assertThat(stores.tokens().find("ccc1")).as("a disabled account's token").isEmpty();
    assertThat(stores.users().accounts("", 10)).containsExactly(
        new UserAccount(alice, 1, 30L, true, false, false), new UserAccount(bob, 2, 40L, false, true, false));
    assertThat(stores.tokens().ofUser(alice.id())).extracting(LoginSession::tokenHash).containsExactly("bbb1", "aaa2", "aaa1");
    assertThat(stores.tokens().ofUser(alice.id()).get(1)).isEqualTo(new LoginSession("aaa2", 20, 20, "2001:db8::1", "parley-cli"));
    assertThat(stores.tokens().deleteByPrefix(alice.id(), "aa%")).as("a prefix is not a pattern").isEmpty();
    assertThat(stores.tokens().deleteByPrefix(alice.id(), "bb")).hasValue("bbb1");
    assertThat(stores.tokens().deleteAllOf(alice.id(), "aaa2")).containsExactly("aaa1");
    assertThat(stores.tokens().deleteAllOf(alice.id(), null)).containsExactly("aaa2");

    stores.users().markDeleted(bob.id(), 60);
    assertThat(stores.users().findByKey("鲍勃")).isEmpty();
    assertThat(stores.users().findByKeyIncludingDeleted("鲍勃")).hasValue(bob);
    assertThatThrownBy(() -> stores.users().create("鲍勃", "鲍勃", "h", 70)).as("a deleted name stays taken")
        .isInstanceOf(UsernameTakenException.class);
  }

  @Test
  void anInviteIsUsedUpByItsLastRegistrationEvenWhenNodesRaceForIt() throws Exception {
    Invite invite = stores.invites().create("code-hash", null, 100, null, 3);
    assertThat(invite).isEqualTo(new Invite(invite.id(), null, 100, null, 3, 0, null));
    int racers = 8;
    List<SqlStores> racingNodes = new ArrayList<>();
    for (int i = 0; i < writerNodes(); i++) {
      racingNodes.add(node());
    }
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Future<String>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < racers; i++) {
        Stores node = racingNodes.get(i % racingNodes.size());
        String name = "用户" + i;
        outcomes.add(pool.submit(() -> {
          try {
            node.users().create(name, name, "h", 200, "code-hash");
            return "registered";
          } catch (InviteRefusedException e) {
            return e.reason().name();
          }
        }));
      }
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).filteredOn("registered"::equals).hasSize(3);
      assertThat(results).filteredOn(result -> !result.equals("registered")).containsOnly("USED_UP");
    } finally {
      pool.shutdownNow();
    }
    assertThat(stores.users().list("用户", 100)).hasSize(3);
    assertThat(stores.invites().list()).singleElement().extracting(Invite::uses).isEqualTo(3);

    Invite other = stores.invites().create("other-hash", null, 100, 500L, 5);
    assertThatThrownBy(() -> stores.users().create("late", "late", "h", 600, "other-hash"))
        .isInstanceOfSatisfying(InviteRefusedException.class, e -> assertThat(e.reason()).isEqualTo(InviteRefusedException.Reason.EXPIRED));
    assertThat(stores.invites().revoke(other.id(), 700)).isTrue();
    assertThatThrownBy(() -> stores.users().create("late", "late", "h", 400, "other-hash"))
        .isInstanceOfSatisfying(InviteRefusedException.class, e -> assertThat(e.reason()).isEqualTo(InviteRefusedException.Reason.REVOKED));
    assertThatThrownBy(() -> stores.users().create("late", "late", "h", 400, "no-such-hash"))
        .isInstanceOfSatisfying(InviteRefusedException.class, e -> assertThat(e.reason()).isEqualTo(InviteRefusedException.Reason.INVALID));
    assertThat(stores.users().findByKey("late")).isEmpty();
  }

  // Search, edits, deletes and mentions.

  @Test
  void searchFindsSubstringsInAnyScriptIgnoringCaseAndWildcardsOnlyWhereTheUserWasAMember() throws Exception {
    User alice = stores.users().create("alice", "alice", "x", 0);
    User bob = stores.users().create("bob", "bob", "x", 0);
    User carol = stores.users().create("carol", "carol", "x", 0);
    FileRecord file = new FileRecord("f1", alice.id(), bob.id(), "年度预算.xlsx", 1, "ab", null, 5, false);
    stores.files().createUpload(new UploadRecord("f1", alice.id(), bob.id(), "年度预算.xlsx", null, null, 1L, 1, "", 1, 9_999));
    List<AppendResult> sent = stores.messages().appendAll(List.of(
        NewMessage.text(alice.id(), bob.id(), "m1", "Quarterly 预算 report", 1),
        NewMessage.text(bob.id(), alice.id(), "m2", "100% done_now", 2),
        new NewMessage(alice.id(), bob.id(), "m3", null, file, 3),
        NewMessage.text(carol.id(), bob.id(), "m4", "预算 for carol and bob only", 4)), List.of());
    MessageStore log = stores.messages();

    assertThat(seqs(log.search(alice.id(), 0, "QUARTERLY", Long.MAX_VALUE, 10))).containsExactly(sent.get(0).seq());
    assertThat(seqs(log.search(alice.id(), 0, "预算", Long.MAX_VALUE, 10))).as("short: scanned")
        .containsExactly(sent.get(2).seq(), sent.get(0).seq());
    assertThat(seqs(log.search(alice.id(), 0, "年度预算", Long.MAX_VALUE, 10))).containsExactly(sent.get(2).seq());
    assertThat(seqs(log.search(bob.id(), 0, "预算 ", Long.MAX_VALUE, 10))).containsExactly(sent.get(3).seq(), sent.get(0).seq());
    assertThat(seqs(log.search(bob.id(), 0, "预算", sent.get(3).seq(), 1))).as("paged").containsExactly(sent.get(2).seq());
    assertThat(seqs(log.search(alice.id(), 0, "0% d", Long.MAX_VALUE, 10))).containsExactly(sent.get(1).seq());
    assertThat(seqs(log.search(alice.id(), 0, "e_no", Long.MAX_VALUE, 10))).containsExactly(sent.get(1).seq());
    assertThat(log.search(alice.id(), 0, "ne%", Long.MAX_VALUE, 10)).as("% is a character, not a wildcard").isEmpty();
    assertThat(log.search(alice.id(), 0, "e%", Long.MAX_VALUE, 10)).as("short, % literal").isEmpty();
    assertThat(log.search(alice.id(), 0, "carol", Long.MAX_VALUE, 10)).as("not alice's conversation").isEmpty();

    List<AppendResult> changes = log.appendAll(List.of(
        NewMessage.revision(alice.id(), "e1", new Revision(sent.get(0).seq(), "Revised PLAN"), List.of(), 6),
        NewMessage.revision(alice.id(), "x1", Revision.delete(sent.get(2).seq()), List.of(), 7)), List.of());

    assertThat(changes.get(1).freedFileId()).isEqualTo("f1");
    assertThat(log.search(bob.id(), 0, "quarterly", Long.MAX_VALUE, 10)).isEmpty();
    assertThat(log.search(bob.id(), 0, "年度预算", Long.MAX_VALUE, 10)).isEmpty();
    assertThat(log.search(bob.id(), 0, "revised plan", Long.MAX_VALUE, 10)).singleElement()
        .satisfies(found -> assertThat(found.text()).isEqualTo("Revised PLAN"))
        .satisfies(found -> assertThat(found.edited()).isTrue());
    assertThat(log.message(sent.get(2).seq()).orElseThrow().deleted()).isTrue();
    assertThat(log.since(bob.id(), sent.get(3).seq(), 10)).extracting(StoredMessage::edits, StoredMessage::deletes)
        .containsExactly(tuple(sent.get(0).seq(), null), tuple(null, sent.get(2).seq()));
    assertThat(stores.files().findFile("f1").orElseThrow().deleted()).isTrue();
  }

  @Test
  void mentionsCountUntilReadAndTheNotifyLevelIsPerMember() throws Exception {
    User owner = stores.users().create("owner", "owner", "x", 0);
    User wang = stores.users().create("王芳", "王芳", "x", 0);
    List<AppendResult> sent = stores.messages().appendAll(List.of(
        entry(owner, "lab", "c", new RoomChange(EventKind.CREATED, owner.id(), "Lab", false)),
        entry(owner, "lab", "a", new RoomChange(EventKind.ADDED, wang.id(), null, false)),
        new NewMessage(owner.id(), 0, "lab", "m1", "@王芳 look", null, null, null, List.of(new Mention(wang.id(), "王芳")), 1),
        new NewMessage(owner.id(), 0, "lab", "m2", "@王芳 again", null, null, null, List.of(new Mention(wang.id(), "王芳")), 2)),
        List.of());
    long room = stores.conversations().roomConversation("lab").orElseThrow();

    assertThat(stores.conversations().conversations(wang.id())).singleElement()
        .extracting(ConversationStore.Conversation::mentions, ConversationStore.Conversation::notifyLevel)
        .containsExactly(2L, NotifyLevel.ALL);
    assertThat(stores.messages().message(sent.get(2).seq()).orElseThrow().mentions()).containsExactly("王芳");

    stores.messages().appendAll(List.of(
        NewMessage.revision(owner.id(), "e", new Revision(sent.get(3).seq(), "no mention now"), List.of(), 3)), List.of(),
        List.of(new ReadMark(room, wang.id(), 3, sent.get(2).seq())));
    assertThat(stores.conversations().setNotifyLevel(room, wang.id(), NotifyLevel.MENTIONS)).isTrue();

    assertThat(stores.conversations().conversations(wang.id())).singleElement()
        .extracting(ConversationStore.Conversation::mentions, ConversationStore.Conversation::notifyLevel)
        .containsExactly(0L, NotifyLevel.MENTIONS);
  }

  // Rooms, membership ranges and read cursors.

  @Test
  void aMemberReplaysOnlyWhatWasSentWhileTheyWereInTheRoomAndTheOwnerHandsOver() throws Exception {
    User owner = stores.users().create("owner", "owner", "x", 0);
    User lei = stores.users().create("李雷", "李雷", "x", 0);
    User carol = stores.users().create("carol", "carol", "x", 0);
    MessageStore log = stores.messages();
    log.appendAll(List.of(
        entry(owner, "研究组", "c1", new RoomChange(EventKind.CREATED, owner.id(), "研究组 chat", true)),
        room(owner, "研究组", "before", "before anyone joined"),
        entry(owner, "研究组", "a1", new RoomChange(EventKind.ADDED, lei.id(), null, false)),
        entry(carol, "研究组", "j1", new RoomChange(EventKind.JOINED, carol.id(), null, false)),
        room(owner, "研究组", "during", "while 李雷 was in")), List.of());
    log.appendAll(List.of(
        entry(lei, "研究组", "l1", new RoomChange(EventKind.LEFT, lei.id(), null, false)),
        room(carol, "研究组", "after", "after 李雷 left"),
        entry(owner, "研究组", "l2", new RoomChange(EventKind.LEFT, owner.id(), null, false)),
        entry(carol, "研究组", "r1", new RoomChange(EventKind.RENAMED, 0, "新名字", false))), List.of());

    List<StoredMessage> replay = log.since(lei.id(), 0, 100);
    assertThat(replay).extracting(StoredMessage::text).containsExactly(null, null, "while 李雷 was in", null);
    assertThat(replay.getFirst().event()).isEqualTo(new StoredMessage.Event(EventKind.ADDED, "李雷", null));
    assertThat(replay).allSatisfy(message -> assertThat(message.room()).isEqualTo("研究组"));
    ConversationStore.Room room = stores.conversations().room("研究组").orElseThrow();
    assertThat(room.name()).isEqualTo("新名字");
    assertThat(room.open()).isTrue();
    assertThat(room.members()).containsExactly(new ConversationStore.Member(carol.id(), "carol", RoomRole.OWNER));
    assertThat(stores.conversations().roomsOf(lei.id())).isEmpty();
    assertThat(stores.conversations().openRooms(10)).containsExactly(new ConversationStore.OpenRoom("研究组", "新名字", 1));
    assertThat(stores.messages().roomHistory(room.conversationId(), Long.MAX_VALUE, 100)).hasSize(9)
        .extracting(StoredMessage::text).contains("before anyone joined", "after 李雷 left");
  }

  @Test
  void theLogReadsBackEveryConversationsEntriesWithTheMembersOfTheirTime() throws Exception {
    User owner = stores.users().create("owner", "owner", "x", 0);
    User lei = stores.users().create("李雷", "李雷", "x", 0);
    User bob = stores.users().create("bob", "bob", "x", 0);
    MessageStore log = stores.messages();
    assertThat(log.newestSeq()).isZero();
    List<AppendResult> sent = log.appendAll(List.of(
        entry(owner, "组", "c1", new RoomChange(EventKind.CREATED, owner.id(), "组", false)),
        entry(owner, "组", "a1", new RoomChange(EventKind.ADDED, lei.id(), null, false)),
        room(owner, "组", "m1", "both of us"),
        NewMessage.text(owner.id(), bob.id(), "d1", "direct", 1),
        entry(lei, "组", "l1", new RoomChange(EventKind.LEFT, lei.id(), null, false)),
        room(owner, "组", "m2", "alone now")), List.of());
    long first = sent.getFirst().seq();
    assertThat(log.newestSeq()).isEqualTo(sent.getLast().seq());

    List<LogEntry> entries = log.entries(first, sent.getLast().seq(), 100);
    assertThat(entries).extracting(e -> e.message().seq()).containsExactlyElementsOf(sent.subList(1, 6).stream().map(AppendResult::seq).toList());
    assertThat(entries).allSatisfy(e -> assertThat(e.senderId()).isEqualTo(e.message().from().equals("李雷") ? lei.id() : owner.id()));
    assertThat(entries.get(1).memberIds()).containsExactlyInAnyOrder(owner.id(), lei.id());
    assertThat(entries.get(2).message().to()).isEqualTo("bob");
    assertThat(entries.get(2).memberIds()).containsExactlyInAnyOrder(owner.id(), bob.id());
    // The one who leaves gets the entry that says so, and nothing after it.
    assertThat(entries.get(3).memberIds()).containsExactlyInAnyOrder(owner.id(), lei.id());
    assertThat(entries.get(4).memberIds()).containsExactly(owner.id());
    assertThat(log.entries(first, sent.getLast().seq(), 2)).hasSize(2);
    assertThat(log.entries(sent.get(2).seq(), sent.get(3).seq(), 100)).extracting(e -> e.message().text()).containsExactly("direct");
  }

  @Test
  void readCursorsMoveForwardOnlyAndCountUnread() throws Exception {
    User owner = stores.users().create("owner", "owner", "x", 0);
    User reader = stores.users().create("reader", "reader", "x", 0);
    MessageStore log = stores.messages();
    List<AppendResult> appended = log.appendAll(List.of(
        entry(owner, "lab", "c", new RoomChange(EventKind.CREATED, owner.id(), "Lab", false)),
        entry(owner, "lab", "a", new RoomChange(EventKind.ADDED, reader.id(), null, false)),
        room(owner, "lab", "m1", "one"),
        room(owner, "lab", "m2", "two"),
        room(owner, "lab", "m3", "three")), List.of());
    long conversation = stores.conversations().roomConversation("lab").orElseThrow();
    assertThat(stores.conversations().roomsOf(reader.id())).singleElement()
        .satisfies(summary -> assertThat(summary.unread()).isEqualTo(4));

    log.appendAll(List.of(), List.of(), List.of(new ReadMark(conversation, reader.id(), 4, appended.get(3).seq())));
    log.appendAll(List.of(), List.of(), List.of(new ReadMark(conversation, reader.id(), 3, appended.get(2).seq())));

    assertThat(stores.conversations().readCursor(conversation, reader.id()))
        .hasValue(new ConversationStore.ReadCursor(4, appended.get(3).seq()));
    assertThat(stores.conversations().roomsOf(reader.id())).singleElement()
        .satisfies(summary -> {
          assertThat(summary.unread()).isEqualTo(1);
          assertThat(summary.role()).isEqualTo(RoomRole.MEMBER);
          assertThat(summary.members()).isEqualTo(2);
        });
    assertThat(stores.conversations().messageAtOrBefore(conversation, appended.get(3).seq() + 0))
        .isEqualTo(new ConversationStore.ReadCursor(4, appended.get(3).seq()));
    assertThat(stores.conversations().readCursor(conversation, owner.id()))
        .hasValue(new ConversationStore.ReadCursor(5, appended.get(4).seq()));
  }

  // Files and uploads.

  @Test
  void anUploadIsCreatedOnlyWithinTheOwnersCapAndQuotaCountedInTheSameTransaction() throws Exception {
    User alice = stores.users().create("alice", "alice", "x", 0);
    User bob = stores.users().create("bob", "bob", "x", 0);
    FileStore files = stores.files();
    FileStore.Admission first = files.createUploadWithin(
        new UploadRecord("a1", alice.id(), bob.id(), "一.bin", null, null, 600L, 0, "", 10, 1_000), 2, 1_000, 10);
    assertThat(first).isEqualTo(new FileStore.Admission(true, 0, 0));
    assertThat(files.createUploadWithin(
        new UploadRecord("a2", alice.id(), bob.id(), "二.bin", null, null, 500L, 0, "", 10, 1_000), 2, 1_000, 10))
        .as("600 + 500 is over 1000").isEqualTo(new FileStore.Admission(false, 1, 600));
    assertThat(files.createUploadWithin(
        new UploadRecord("a3", alice.id(), bob.id(), "三.bin", null, null, null, 0, "", 10, 1_000), 2, 1_000, 10))
        .as("a deferred length reserves nothing yet").isEqualTo(new FileStore.Admission(true, 1, 600));
    assertThat(files.createUploadWithin(
        new UploadRecord("a4", alice.id(), bob.id(), "四.bin", null, null, 1L, 0, "", 10, 1_000), 2, 1_000, 10))
        .as("the cap of two").isEqualTo(new FileStore.Admission(false, 2, 600));
    assertThat(files.findUpload("a2")).isEmpty();
    assertThat(files.findUpload("a4")).isEmpty();
    assertThat(files.countUploads(alice.id())).isEqualTo(2);
  }

  @Test
  void anUploadLockHasOneHolderAmongAllNodes() {
    UploadLocks locks = stores.uploadLocks();
    String upload = "0123456789abcdef0123456789abcdef";
    assertThat(locks.tryLock(upload)).isTrue();
    assertThat(locks.tryLock(upload)).as("held by this node").isFalse();
    assertThat(locks.tryLock("fedcba9876543210fedcba9876543210")).isTrue();
    if (writerNodes() > 1) {
      assertThat(node().uploadLocks().tryLock(upload)).as("held by another node").isFalse();
    }
    locks.unlock(upload);
    UploadLocks other = writerNodes() > 1 ? node().uploadLocks() : locks;
    assertThat(other.tryLock(upload)).isTrue();
    assertThat(locks.tryLock(upload)).isFalse();
    other.unlock(upload);
    assertThat(locks.tryLock(upload)).isTrue();
  }

  @Test
  void limitCellsAreUpdatedOneAtATimeSeenByEveryNodeAndForgottenWhenDue() throws Exception {
    LimitCells cells = stores.limitCells();
    assertThat(cells.get("login-pair 10.0.0.1 李")).isNull();
    LimitCells.Cell one = new LimitCells.Cell(1, 100, 200, 1_000);
    assertThat(cells.update("login-pair 10.0.0.1 李", cell -> cell == null ? one : null)).isEqualTo(one);
    LimitCells other = writerNodes() > 1 ? node().limitCells() : cells;
    assertThat(other.get("login-pair 10.0.0.1 李")).isEqualTo(one);
    assertThatThrownBy(() -> other.update("login-pair 10.0.0.1 李", cell -> {
      throw new IllegalStateException("refused");
    })).hasMessageContaining("refused");
    assertThat(cells.get("login-pair 10.0.0.1 李")).as("a throwing update changes nothing").isEqualTo(one);

    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> counting = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        LimitCells on = i % 2 == 0 ? cells : other;
        counting.add(threads.submit(() -> on.update("counter",
            cell -> new LimitCells.Cell(cell == null ? 1 : cell.count() + 1, 0, 0, 5_000))));
      }
      for (Future<?> done : counting) {
        done.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(cells.get("counter").count()).isEqualTo(40);

    cells.forget(1_000);
    assertThat(other.get("login-pair 10.0.0.1 李")).isNull();
    assertThat(other.get("counter").count()).isEqualTo(40);
    assertThat(cells.update("counter", cell -> null)).isNull();
    assertThat(other.get("counter")).isNull();
    assertThat(cells.shared()).isEqualTo(writerNodes() > 1);
  }

  @Test
  void aFileMessageEndsItsUploadAndQuotasCountFilesAndLiveUploads() throws Exception {
    User alice = stores.users().create("alice", "alice", "x", 0);
    User bob = stores.users().create("bob", "bob", "x", 0);
    FileStore files = stores.files();
    files.createUpload(new UploadRecord("u1", alice.id(), bob.id(), "报告.pdf", "application/pdf", null, null, 0, "", 10, 1_000));
    files.createUpload(new UploadRecord("u2", alice.id(), bob.id(), "b.bin", null, "ab", 500L, 0, "m", 10, 100));
    files.saveProgress("u1", 300, 2_000);
    files.saveLength("u1", 700);

    assertThat(files.findUpload("u1")).hasValueSatisfying(upload -> {
      assertThat(upload.offset()).isEqualTo(300);
      assertThat(upload.length()).isEqualTo(700L);
      assertThat(upload.filename()).isEqualTo("报告.pdf");
      assertThat(upload.expiresAtMillis()).isEqualTo(2_000);
    });
    assertThat(files.countUploads(alice.id())).isEqualTo(2);
    assertThat(files.uploadsExpiredBy(150)).extracting(UploadRecord::id).containsExactly("u2");
    assertThat(files.storageUsed(alice.id(), 50)).isEqualTo(1_200);
    assertThat(files.storageUsed(alice.id(), 150)).isEqualTo(700);

    FileRecord file = new FileRecord("u1", alice.id(), bob.id(), "报告.pdf", 700, "ff", "application/pdf", 20, false);
    AppendResult sent = stores.messages().appendAll(
        List.of(new NewMessage(alice.id(), bob.id(), "f1", null, file, 20)), List.of()).getFirst();

    assertThat(files.findUpload("u1")).isEmpty();
    assertThat(files.findFile("u1")).hasValue(file);
    assertThat(stores.messages().directHistory(bob.id(), alice.id(), Long.MAX_VALUE, 5)).singleElement()
        .satisfies(message -> {
          assertThat(message.seq()).isEqualTo(sent.seq());
          assertThat(message.file()).isEqualTo(file);
          assertThat(message.text()).isNull();
        });
    assertThat(files.storageUsed(alice.id(), 150)).isEqualTo(700);
    assertThat(files.markFileDeleted("u1", 30)).isTrue();
    assertThat(files.markFileDeleted("u1", 31)).isFalse();
    assertThat(files.findFile("u1")).hasValueSatisfying(deleted -> assertThat(deleted.deleted()).isTrue());
    assertThat(files.storageUsed(alice.id(), 150)).isZero();
    assertThat(stores.conversations().roomOfFile("u1")).isEmpty();
    files.deleteUpload("u2");
    assertThat(files.allUploads()).isEmpty();
  }

  // seq order is commit order, with several writers.

  @Test
  void readersPagingWithSinceSeeEveryMessageOnceInOrderWhileSeveralNodesWrite() throws Exception {
    int writers = writerNodes();
    int batches = 40;
    int perBatch = 5;
    User reader = stores.users().create("reader", "reader", "x", 0);
    List<User> senders = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      senders.add(stores.users().create("writer" + i, "writer" + i, "x", 0));
    }
    stores.messages().appendAll(List.of(
        entry(senders.getFirst(), "busy", "c", new RoomChange(EventKind.CREATED, senders.getFirst().id(), "Busy", true)),
        entry(senders.getFirst(), "busy", "a", new RoomChange(EventKind.ADDED, reader.id(), null, false))), List.of());
    for (User sender : senders.subList(1, writers)) {
      stores.messages().appendAll(List.of(entry(sender, "busy", "j", new RoomChange(EventKind.JOINED, sender.id(), null, false))), List.of());
    }
    long start = stores.messages().since(reader.id(), 0, 1_000).getLast().seq();
    int expected = writers * batches * perBatch;

    ExecutorService threads = Executors.newFixedThreadPool(writers + 2);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        User sender = senders.get(w);
        MessageStore log = writers == 1 ? stores.messages() : node().messages();
        writes.add(threads.submit(() -> {
          for (int b = 0; b < batches; b++) {
            List<NewMessage> batch = new ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
              String id = sender.username() + "-" + b + "-" + i;
              // Alternate between the room and a direct conversation: a page merges both.
              batch.add(i % 2 == 0 ? room(sender, "busy", id, id) : NewMessage.text(sender.id(), reader.id(), id, id, 0));
            }
            log.appendAll(batch, List.of());
          }
          return null;
        }));
      }
      List<Future<List<StoredMessage>>> reads = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        MessageStore log = r == 0 ? stores.messages() : node().messages();
        reads.add(threads.submit(() -> readAll(log, reader.id(), start, expected)));
      }
      for (Future<?> write : writes) {
        write.get();
      }
      for (Future<List<StoredMessage>> read : reads) {
        List<StoredMessage> seen = read.get();
        assertThat(seen).extracting(StoredMessage::seq).isSorted().doesNotHaveDuplicates();
        assertThat(seen).extracting(StoredMessage::text).doesNotHaveDuplicates().hasSize(expected);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  /** Pages with {@code since} from {@code after} until {@code count} messages came, as a reconnecting client does. */
  private static List<StoredMessage> readAll(MessageStore log, long userId, long after, int count) {
    List<StoredMessage> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long cursor = after;
    while (seen.size() < count && System.nanoTime() < deadline) {
      List<StoredMessage> page = log.since(userId, cursor, 7);
      seen.addAll(page);
      if (!page.isEmpty()) {
        cursor = page.getLast().seq();
      }
    }
    Set<Long> more = new HashSet<>();
    log.since(userId, cursor, 1_000).forEach(message -> more.add(message.seq()));
    assertThat(more).as("messages after the reader had all it expected").isEmpty();
    return seen;
  }

  private static NewMessage entry(User sender, String room, String clientId, RoomChange change) {
    return new NewMessage(sender.id(), 0, room, clientId, null, null, change, 0);
  }

  private static NewMessage room(User sender, String room, String clientId, String text) {
    return new NewMessage(sender.id(), 0, room, clientId, text, null, null, 0);
  }

  private static List<Long> seqs(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::seq).toList();
  }

  private static List<String> texts(List<StoredMessage> messages) {
    return messages.stream().map(StoredMessage::text).toList();
  }

  private static List<String> textsOfEvenOrOdd(int parity) {
    List<String> texts = new ArrayList<>();
    for (int i = parity; i < BATCH; i += 2) {
      texts.add("text " + i);
    }
    return texts;
  }
}
