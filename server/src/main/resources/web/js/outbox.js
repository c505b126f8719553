// What we send into a conversation: messages waiting for their ack (shown as "sending…", then
// "not sent" with the server's reason and, when it can help, a retry that reuses the id, which the
// server never stores twice), and the
// `typing` notices, at most one every 2 s per conversation (PROTOCOL.md §5.5, §5.21).

import { newId } from "./api.js";
import { address } from "./conversations.js";
import { TYPING_EVERY_MS } from "./typing.js";

/** A message with no ack after this long is shown as failed, with a retry. */
const ACK_TIMEOUT_MS = 10000;

export class Outbox {
  /**
   * @param send sends a frame on the live connection (returns false when not connected)
   * @param onChange called when a pending message changed state, to show it
   */
  constructor(send, onChange) {
    this.send = send;
    this.onChange = onChange;
    this.typingSent = { key: null, at: 0 };
  }

  /** Queues `text` in the conversation's pending messages and sends it. */
  post(conversation, text) {
    const pending = { id: newId(), ...address(conversation, "to"), text, ts: Date.now(), state: "pending" };
    conversation.pending.set(pending.id, pending);
    this.typingSent = { key: null, at: 0 };
    this.transmit(conversation, pending);
  }

  /** Sends (or re-sends, with the same id) and waits for the ack. */
  transmit(conversation, pending) {
    pending.state = "pending";
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.failed(conversation, pending.id, { code: "network" }), ACK_TIMEOUT_MS);
    const { id, to, room, text } = pending;
    this.send({ type: "send", id, to, room, text });
  }

  /** The message was refused: `error` is the server's `error` frame ({code, message, retryAfter?}). */
  failed(conversation, id, error) {
    const pending = conversation.pending.get(id);
    if (pending) {
      clearTimeout(pending.timer);
      pending.state = "failed";
      pending.error = error;
      this.onChange();
    }
  }

  /** The pending message an `ack` or `error` is about, in any of the conversations, or null. */
  static find(conversations, id) {
    for (const conversation of conversations.values()) {
      if (conversation.pending.has(id)) {
        return conversation;
      }
    }
    return null;
  }

  /** Takes an ack's message out of the pending ones; returns the stored message, or null. */
  acked(conversations, { id, seq, ts }, me) {
    const conversation = Outbox.find(conversations, id);
    if (!conversation) {
      return null;
    }
    const { timer, to, room, text } = conversation.pending.get(id);
    clearTimeout(timer);
    conversation.pending.delete(id);
    return { seq, ts, from: me, to, room, text };
  }

  /** Lets the others see that we are typing. */
  typed(conversation) {
    const now = Date.now();
    if (this.typingSent.key === conversation.key && now - this.typingSent.at < TYPING_EVERY_MS) {
      return;
    }
    this.typingSent = { key: conversation.key, at: now };
    this.send({ type: "typing", ...address(conversation, "to") });
  }
}
