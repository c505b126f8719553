package dev.parley.server.chat;

import dev.parley.protocol.ErrorCode;
import dev.parley.protocol.ParleyException;
import dev.parley.protocol.ServerFrame;
import dev.parley.server.account.Usernames;
import dev.parley.server.metrics.ServerMetrics;
import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.server.store.AppendResult;
import dev.parley.server.store.MessageStore;
import dev.parley.server.store.NewMessage;
import dev.parley.server.store.StoredMessage;
import dev.parley.server.store.User;
import dev.parley.server.store.UserStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sending, fan-out, replay on welcome, and history. A send is acknowledged only after the
 * group-commit writer made it durable; the fan-out happens on that writer, in seq order.
 * Thread-safe.
 */
public final class ChatService {
  private static final Logger log = LoggerFactory.getLogger(ChatService.class);
  private static final int REPLAY_PAGE = 500;
  public static final int MAX_CLIENT_ID_LENGTH = 128;

  private final UserStore users;
  private final MessageStore messages;
  private final MessageLog messageLog;
  private final DeliveryBus bus;
  private final Sessions sessions;
  private final int maxTextChars;
  private final Executor database;
  private final Clock clock;
  private final ServerMetrics metrics;
  /** Users never change name nor disappear, so a resolved recipient can be kept. */
  private final ConcurrentHashMap<String, User> usersByKey = new ConcurrentHashMap<>();

  public ChatService(
      UserStore users,
      MessageStore messages,
      MessageLog messageLog,
      DeliveryBus bus,
      Sessions sessions,
      int maxTextChars,
      Executor database,
      Clock clock,
      ServerMetrics metrics) {
    this.users = users;
    this.messages = messages;
    this.messageLog = messageLog;
    this.bus = bus;
    this.sessions = sessions;
    this.maxTextChars = maxTextChars;
    this.database = database;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** Completes with the ack once the message is durable; a repeated client id gets the first ack again. */
  public CompletableFuture<ServerFrame.Ack> send(Session origin, String clientId, String to, String text) {
    try {
      checkClientId(clientId);
      checkText(text);
    } catch (ParleyException e) {
      return CompletableFuture.failedFuture(e);
    }
    User sender = origin.authenticated().user();
    return resolve(to).thenCompose(recipient -> append(origin, sender, recipient, clientId, text));
  }

  /** Registers an authenticated session for live messages and replays what it missed. */
  public void attach(Session session, Long since) {
    sessions.add(session);
    long userId = session.authenticated().user().id();
    String username = session.authenticated().user().username();
    CompletableFuture.runAsync(
            () -> {
              long cursor = since == null ? 0 : since;
              List<StoredMessage> page;
              do {
                page = since == null
                    ? messages.undelivered(userId, cursor, REPLAY_PAGE)
                    : messages.since(userId, cursor, REPLAY_PAGE);
                for (StoredMessage stored : page) {
                  cursor = stored.seq();
                  if (since == null && messageLog.isMarkedDelivered(userId, stored.seq())) {
                    continue;
                  }
                  Runnable onWritten =
                      stored.to().equals(username) ? () -> messageLog.delivered(userId, stored.seq()) : null;
                  session.replay(frame(stored), onWritten);
                }
              } while (page.size() == REPLAY_PAGE);
            },
            database)
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                log.error("replay to {} failed", session, error);
              }
              session.endReplay();
            });
  }

  public void detach(Session session) {
    sessions.remove(session);
  }

  /** The newest {@code pageSize} messages with the user before {@code before}, oldest first. */
  public CompletableFuture<List<ServerFrame.Message>> history(User user, String with, Long before, int pageSize) {
    long beforeSeq = before == null ? Long.MAX_VALUE : before;
    return resolve(with).thenApplyAsync(
        other -> messages.directHistory(user.id(), other.id(), beforeSeq, pageSize).stream()
            .map(ChatService::frame)
            .toList(),
        database);
  }

  private CompletableFuture<ServerFrame.Ack> append(
      Session origin, User sender, User recipient, String clientId, String text) {
    CompletableFuture<ServerFrame.Ack> ack = new CompletableFuture<>();
    long now = clock.millis();
    try {
      messageLog.append(
          new NewMessage(sender.id(), recipient.id(), clientId, text, now),
          new MessageLog.CommitListener() {
            @Override
            public void committed(AppendResult result) {
              if (!result.duplicate()) {
                metrics.messageStored();
                bus.publish(
                    new ServerFrame.Message(result.seq(), sender.username(), recipient.username(), text, result.createdAtMillis()),
                    sender.id(),
                    List.of(recipient.id(), sender.id()),
                    origin.id());
              }
              ack.complete(new ServerFrame.Ack(clientId, result.seq(), result.createdAtMillis()));
            }

            @Override
            public void failed(RuntimeException error) {
              ack.completeExceptionally(error);
            }
          });
    } catch (ParleyException e) {
      ack.completeExceptionally(e);
    }
    return ack;
  }

  private CompletableFuture<User> resolve(String username) {
    String key = Usernames.lookupKey(username);
    User known = usersByKey.get(key);
    if (known != null) {
      return CompletableFuture.completedFuture(known);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          User user = users.findByKey(key)
              .orElseThrow(() -> new ParleyException(ErrorCode.NOT_FOUND, "no user '" + username + "'"));
          usersByKey.put(key, user);
          return user;
        },
        database);
  }

  private void checkText(String text) {
    int length = text.codePointCount(0, text.length());
    if (length < 1) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "text is empty");
    }
    if (length > maxTextChars) {
      throw new ParleyException(ErrorCode.TOO_LARGE, "text is over " + maxTextChars + " characters");
    }
    if (!isWellFormed(text)) {
      throw new ParleyException(ErrorCode.BAD_REQUEST, "text has an unpaired surrogate");
    }
  }

  private static void checkClientId(String clientId) {
    if (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH) {
      throw new ParleyException(
          ErrorCode.BAD_REQUEST, "id must have 1 to " + MAX_CLIENT_ID_LENGTH + " characters");
    }
  }

  /** Whether every surrogate is paired, i.e. the text can travel as UTF-8 unchanged. */
  private static boolean isWellFormed(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  static ServerFrame.Message frame(StoredMessage stored) {
    return new ServerFrame.Message(stored.seq(), stored.from(), stored.to(), stored.text(), stored.createdAtMillis());
  }
}
