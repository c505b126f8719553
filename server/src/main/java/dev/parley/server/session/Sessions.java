package dev.parley.server.session;

import dev.parley.server.store.User;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Who is connected: every authenticated session by user and by login token. A user is online
 * while at least one session is registered; listeners hear each transition, in order per user.
 * Thread-safe.
 */
public final class Sessions {
  /** Hears a user's first session arrive and last one leave; called under that user's lock, so it must not block. */
  public interface PresenceListener {
    void online(User user);

    void offline(User user);
  }

  private final ConcurrentHashMap<Long, Set<Session>> byUser = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<Session>> byToken = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<PresenceListener> listeners = new CopyOnWriteArrayList<>();

  public void addPresenceListener(PresenceListener listener) {
    listeners.add(listener);
  }

  /** Registers an authenticated session; from now on it receives live messages. */
  public void add(Session session) {
    User user = session.authenticated().user();
    byToken.computeIfAbsent(session.authenticated().tokenHash(), k -> ConcurrentHashMap.newKeySet()).add(session);
    byUser.compute(
        user.id(),
        (id, sessions) -> {
          Set<Session> set = sessions != null ? sessions : ConcurrentHashMap.newKeySet();
          set.add(session);
          if (sessions == null) {
            listeners.forEach(l -> l.online(user));
          }
          return set;
        });
  }

  /** Unregisters; safe to call for a session that was never added or is already gone. */
  public void remove(Session session) {
    if (session.authenticated() == null) {
      return;
    }
    User user = session.authenticated().user();
    byToken.computeIfPresent(session.authenticated().tokenHash(), (k, set) -> {
      set.remove(session);
      return set.isEmpty() ? null : set;
    });
    byUser.computeIfPresent(
        user.id(),
        (id, set) -> {
          if (!set.remove(session) || !set.isEmpty()) {
            return set;
          }
          listeners.forEach(l -> l.offline(user));
          return null;
        });
  }

  public Collection<Session> ofUser(long userId) {
    Set<Session> sessions = byUser.get(userId);
    return sessions == null ? List.of() : sessions;
  }

  public Collection<Session> ofToken(String tokenHash) {
    Set<Session> sessions = byToken.get(tokenHash);
    return sessions == null ? List.of() : List.copyOf(sessions);
  }

  public boolean isOnline(long userId) {
    return byUser.containsKey(userId);
  }

  public int onlineUsers() {
    return byUser.size();
  }
}
