package dev.parley.client;

import dev.parley.protocol.ServerFrame;
import java.util.List;

/**
 * Where an upload goes: a user ({@code to}) or a room ({@code room}), the two keys a tus {@code
 * Upload-Metadata} accepts. Usernames cannot hold {@code #}, so {@link #resumeKey()} keeps a room
 * and a user apart.
 */
record UploadTarget(String metadataKey, String address) {
  static UploadTarget user(String username) {
    return new UploadTarget("to", username);
  }

  static UploadTarget room(String room) {
    return new UploadTarget("room", room);
  }

  boolean isRoom() {
    return metadataKey.equals("room");
  }

  /** The recipient part of the upload's {@link FileFingerprint}. */
  String resumeKey() {
    return isRoom() ? "#" + address : address;
  }

  /** A page of the conversation the file message lands in, as {@link ParleyClient#messages} pages. */
  List<ServerFrame.Message> messages(ParleyClient client, String token, Long before) {
    return isRoom() ? client.roomMessages(token, address, before, null) : client.messages(token, address, before, null);
  }

  @Override
  public String toString() {
    return isRoom() ? "room " + address : address;
  }
}
