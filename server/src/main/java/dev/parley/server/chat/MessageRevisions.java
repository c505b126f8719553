package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.Mention;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.Revision;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.User;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edits and deletes of one's own messages. Each is an entry in the message's conversation, taken
 * through the group-commit writer like a send: checked there in log order, acknowledged once
 * durable, then delivered to every member's sessions but the one it came from. Thread-safe.
 */
public final class MessageRevisions {
  private static final Logger log = LoggerFactory.getLogger(MessageRevisions.class);

  private final ChatService chat;
  private final MessageStore messages;
  private final MessageLog messageLog;
  private final DeliveryBus bus;
  private final Clock clock;
  /** Messages whose delete is prepared but not yet committed; the writer thread only. */
  private final Set<Long> deleting = new HashSet<>();
  private volatile Consumer<String> fileFreed = id -> {};

  MessageRevisions(ChatService chat, MessageStore messages, MessageLog messageLog, DeliveryBus bus, Clock clock) {
    this.chat = chat;
    this.messages = messages;
    this.messageLog = messageLog;
    this.bus = bus;
    this.clock = clock;
  }

  /** Called with a file's id once deleting its last message marked it deleted: its bytes may go. */
  public void onFileFreed(Consumer<String> listener) {
    fileFreed = listener;
  }

  /** Replaces the text of the user's message {@code seq}; completes once the edit entry is durable. */
  public CompletableFuture<Accepted> edit(User editor, long originSessionId, String clientId, long seq, String text) {
    return submit(editor, originSessionId, clientId, new Revision(seq, text));
  }

  /** Deletes the user's message {@code seq}; completes once the delete entry is durable. */
  public CompletableFuture<Accepted> delete(User editor, long originSessionId, String clientId, long seq) {
    return submit(editor, originSessionId, clientId, Revision.delete(seq));
  }

  private CompletableFuture<Accepted> submit(User editor, long originSessionId, String clientId, Revision revision) {
    CompletableFuture<Accepted> ack = new CompletableFuture<>();
    try {
      ChatService.checkClientId(clientId);
      if (!revision.isDelete()) {
        chat.checkText(revision.text());
      }
      messageLog.append(new Revising(editor, originSessionId, clientId, revision, ack));
    } catch (ParleyException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }

  /** One edit or delete on its way through the writer. */
  private final class Revising implements MessageLog.Submission {
    private final User editor;
    private final long originSessionId;
    private final String clientId;
    private final Revision revision;
    private final CompletableFuture<Accepted> ack;
    private StoredMessage target;
    private List<Long> members;
    private boolean marksDeleting;

    Revising(User editor, long originSessionId, String clientId, Revision revision, CompletableFuture<Accepted> ack) {
      this.editor = editor;
      this.originSessionId = originSessionId;
      this.clientId = clientId;
      this.revision = revision;
      this.ack = ack;
    }

    @Override
    public NewMessage prepare() {
      long seq = revision.targetSeq();
      // A retry of an entry already stored is answered with it, whatever happened to the message since.
      boolean retry = messages.accepted(editor.id(), clientId).isPresent();
      target = messages.message(seq).orElseThrow(() -> noMessage(seq));
      List<Mention> mentions = List.of();
      if (target.room() != null) {
        RoomState room = chat.rooms().membership(editor, target.room());
        members = room.memberIds();
        mentions = Mentions.in(revision.text(), room.members().values());
      } else if (editor.username().equals(target.from()) || editor.username().equals(target.to())) {
        members = List.of(editor.id(), chat.resolveNow(target.to()).id());
      } else {
        throw noMessage(seq);
      }
      if (!retry) {
        check(seq);
      }
      return NewMessage.revision(editor.id(), clientId, revision, mentions, clock.millis());
    }

    private void check(long seq) {
      String verb = revision.isDelete() ? "delete" : "edit";
      if (target.event() != null || target.isRevision() || !editor.username().equals(target.from())) {
        throw new ParleyException(ErrorCode.FORBIDDEN, "only the sender can " + verb + " a message");
      }
      if (target.deleted() || deleting.contains(seq)) {
        throw new ParleyException(ErrorCode.GONE, "message " + seq + " was deleted");
      }
      if (!revision.isDelete() && target.file() != null) {
        throw new ParleyException(ErrorCode.BAD_REQUEST, "a file message has no text to edit");
      }
      if (revision.isDelete()) {
        deleting.add(seq);
        marksDeleting = true;
      }
    }

    @Override
    public void committed(AppendResult result) {
      forget();
      try {
        if (!result.duplicate()) {
          boolean delete = revision.isDelete();
          StoredMessage entry = new StoredMessage(result.seq(), target.room(), editor.username(), false, target.to(), revision.text(),
              null, null, delete ? null : revision.targetSeq(), delete ? revision.targetSeq() : null, false, false, List.of(),
              result.createdAtMillis());
          bus.publish(MessageFrames.message(entry), editor.id(), members, originSessionId);
        }
        if (result.freedFileId() != null) {
          freeFile(result.freedFileId());
        }
      } finally {
        ack.complete(new Accepted(clientId, result.seq(), result.createdAtMillis()));
      }
    }

    @Override
    public void failed(ParleyException error) {
      forget();
      ack.completeExceptionally(error);
    }

    private void forget() {
      if (marksDeleting) {
        deleting.remove(revision.targetSeq());
      }
    }
  }

  private void freeFile(String fileId) {
    try {
      fileFreed.accept(fileId);
    } catch (RuntimeException e) {
      // The file is deleted for every reader already; only the disk keeps its bytes.
      log.warn("could not remove the bytes of freed file {}", fileId, e);
    }
  }

  private static ParleyException noMessage(long seq) {
    return new ParleyException(ErrorCode.NOT_FOUND, "no message " + seq);
  }
}
