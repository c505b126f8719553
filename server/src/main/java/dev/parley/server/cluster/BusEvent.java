package dev.parley.server.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.parley.protocol.ServerFrame;
import java.util.List;

/**
 * What travels between nodes on the bus, one JSON object per NATS message, encoded with the
 * frames' own codec (a frame inside an event is the frame as clients get it). Each names the
 * {@code node} that sent it. Only other Parley nodes of the same cluster read these: they are not
 * part of the client protocol.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = BusEvent.Delivery.class, name = "delivery"),
  @JsonSubTypes.Type(value = BusEvent.ToUsers.class, name = "to_users"),
  @JsonSubTypes.Type(value = BusEvent.ToEveryone.class, name = "to_everyone"),
  @JsonSubTypes.Type(value = BusEvent.TokenRevoked.class, name = "token_revoked"),
  @JsonSubTypes.Type(value = BusEvent.AccountClosed.class, name = "account_closed"),
  @JsonSubTypes.Type(value = BusEvent.Presence.class, name = "presence"),
  @JsonSubTypes.Type(value = BusEvent.Heartbeat.class, name = "heartbeat"),
})
sealed interface BusEvent {
  String node();

  /** A committed message or log entry, as {@link dev.parley.server.chat.DeliveryBus#publish} got it. */
  record Delivery(String node, ServerFrame message, long senderId, List<Long> memberIds) implements BusEvent {}

  record ToUsers(String node, List<Long> userIds, ServerFrame frame) implements BusEvent {}

  record ToEveryone(String node, ServerFrame frame) implements BusEvent {}

  record TokenRevoked(String node, String tokenHash, String byeReason) implements BusEvent {}

  record AccountClosed(String node, long userId, String byeReason) implements BusEvent {}

  /** A user's first session on {@code node} arrived, or its last one left. */
  record Presence(String node, OnlineUser user, boolean online) implements BusEvent {}

  /**
   * Every user connected to {@code node} now, in {@code parts} messages of the same {@code round}
   * (a NATS message has a size limit); each renews the node's lease, and a round whose parts all
   * arrived replaces what is known of the node's users.
   */
  record Heartbeat(String node, long round, int part, int parts, List<OnlineUser> users) implements BusEvent {}

  record OnlineUser(long id, String username) {}
}
