package dev.parley.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Delivery;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.User;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit append against a real SQLite file, with batches larger than one statement. */
class SqliteMessageStoreTest {
  private static final int BATCH = 150;

  @Test
  void aBatchSpanningSeveralStatementsGetsSeqsInListOrderAndOneInboxEntryPerNewMessage(@TempDir Path dir) throws Exception {
    try (SqliteStores stores = SqliteStores.open(dir)) {
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
      assertThat(texts(stores.messages().undelivered(bob.id(), 0, 1_000)))
          .containsExactlyElementsOf(textsOfEvenOrOdd(0));
      assertThat(texts(stores.messages().undelivered(alice.id(), 0, 1_000)))
          .containsExactlyElementsOf(textsOfEvenOrOdd(1));
    }
  }

  @Test
  void aRepeatedClientIdInTheSameOrALaterBatchGetsTheFirstSeqBack(@TempDir Path dir) throws Exception {
    try (SqliteStores stores = SqliteStores.open(dir)) {
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
      List<AppendResult> later =
          messages.appendAll(List.of(NewMessage.text(alice.id(), bob.id(), "same", "again later", 13)), List.of());

      assertThat(first.get(0).duplicate()).isFalse();
      assertThat(first.get(1)).isEqualTo(new AppendResult(first.get(0).seq(), 10, true));
      assertThat(first.get(2).duplicate()).isFalse();
      assertThat(later).containsExactly(new AppendResult(first.get(0).seq(), 10, true));
      assertThat(texts(messages.directHistory(alice.id(), bob.id(), Long.MAX_VALUE, 10)))
          .containsExactly("first", "another sender's id");
    }
  }

  @Test
  void deliveriesMarkedInBulkLeaveOnlyTheUndeliveredInTheInbox(@TempDir Path dir) throws Exception {
    try (SqliteStores stores = SqliteStores.open(dir)) {
      User alice = stores.users().create("alice", "alice", "x", 0);
      User bob = stores.users().create("bob", "bob", "x", 0);
      List<NewMessage> batch = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        batch.add(NewMessage.text(alice.id(), bob.id(), "m" + i, "text " + i, i));
      }
      List<AppendResult> results = stores.messages().appendAll(batch, List.of());
      List<Delivery> allButLast = results.subList(0, BATCH - 1).stream()
          .map(result -> new Delivery(bob.id(), result.seq()))
          .toList();

      stores.messages().appendAll(List.of(), allButLast);

      assertThat(texts(stores.messages().undelivered(bob.id(), 0, 1_000))).containsExactly("text " + (BATCH - 1));
    }
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
