// The conversations: direct pairs and rooms in one list, newest activity first, with the
// server's unread counts (PROTOCOL.md §5.10, §5.19, §5.20). The server's `conversations` reply is
// the truth at the moment it is made; messages that arrive after it count on top of it.

import { $, el } from "./dom.js";
import { locale, t } from "./i18n.js";

export const key = (name) => name.toLowerCase();

/** "room:ID" for a room, "with:name" (lower case) for a direct conversation. */
export function roomKey(room) {
  return `room:${room}`;
}

export function directKey(peer) {
  return `with:${key(peer)}`;
}

/** The conversation a message belongs to, seen by `me`. */
export function keyOf(message, me) {
  if (message.room) {
    return roomKey(message.room);
  }
  return directKey(key(message.from) === key(me) ? message.to : message.from);
}

/** The fields that name a conversation in a frame: `room`, or the other user as `to` or `with`. */
export function address(conversation, userField) {
  return conversation.room ? { room: conversation.room } : { [userField]: conversation.peer };
}

/** A membership entry in words: "bob joined", "alice added carol", "alice renamed the room to “x”". */
export function eventText(message) {
  const { kind, user, name } = message.event;
  return t(`event.${kind}`, { who: message.from, user: user ?? "", name: name ?? "" });
}

/** One line saying what a message is, for the conversation list. */
export function preview(message) {
  if (!message) {
    return "";
  }
  if (message.event) {
    return eventText(message);
  }
  const body = message.deleted ? t("messageDeleted")
    : message.file ? t("filePreview", { name: message.file.name }) : message.text.split("\n")[0];
  return message.room ? `${message.from}: ${body}` : body;
}

/** The time of day for today, else the date. */
function timeOf(ts) {
  const when = new Date(ts);
  return new Date().toDateString() === when.toDateString()
    ? when.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" })
    : when.toLocaleDateString(locale(), { month: "short", day: "numeric" });
}

export class Conversations {
  constructor() {
    this.byKey = new Map();
  }

  get(conversationKey) {
    return this.byKey.get(conversationKey);
  }

  values() {
    return this.byKey.values();
  }

  delete(conversationKey) {
    this.byKey.delete(conversationKey);
  }

  /** The conversation, made empty if it is new. `target` is {room, name} or {peer}. */
  ensure(conversationKey, target) {
    let conversation = this.byKey.get(conversationKey);
    if (!conversation) {
      conversation = {
        key: conversationKey, ...target, messages: new Map(), pending: new Map(), members: null,
        unread: 0, mentions: 0, lastSeq: 0, last: null, readSeq: 0, loaded: false, exhausted: false, oldest: 0,
      };
      this.byKey.set(conversationKey, conversation);
    }
    return conversation;
  }

  /** Takes the server's list (after each connect): its counts replace what was counted here. */
  applySnapshot(entries) {
    entries.forEach((entry) => {
      const conversation = entry.room
        ? this.ensure(roomKey(entry.room), { room: entry.room, name: entry.name })
        : this.ensure(directKey(entry.with), { peer: entry.with });
      if (entry.room) {
        conversation.name = entry.name;
      }
      conversation.unread = entry.unread;
      // Both absent until the server has them (issue 13): every conversation then notifies.
      conversation.mentions = entry.mentions ?? 0;
      conversation.notify = entry.notify;
      conversation.lastSeq = Math.max(conversation.lastSeq, entry.lastSeq);
      conversation.last = entry.last && (!conversation.last || entry.last.seq >= conversation.last.seq)
        ? entry.last : conversation.last;
    });
  }

  /**
   * Applies an edit or delete entry (CONTRACT of issue 13) to the message it points at, wherever
   * it is held; the entry is no message of its own, never unread and never notified. Returns the
   * conversation, or null when it is not one of ours.
   */
  applyChange(entry, me) {
    const conversation = this.get(keyOf(entry, me));
    if (!conversation) {
      return null;
    }
    const target = entry.edits ?? entry.deletes;
    const change = (message) => {
      if (entry.edits) {
        Object.assign(message, { text: entry.text, edited: true });
      } else {
        Object.assign(message, { deleted: true, text: undefined, file: undefined });
      }
    };
    [conversation.messages.get(target), conversation.last?.seq === target ? conversation.last : null]
      .filter(Boolean)
      .forEach(change);
    return conversation;
  }

  /** A `notify` frame: a conversation's notification level changed (here or on another device). */
  applyLevel({ room, with: peer, level }) {
    const conversation = this.get(room ? roomKey(room) : directKey(peer));
    if (conversation) {
      conversation.notify = level;
    }
  }

  /**
   * Records a message as the conversation's newest if it is; returns whether it is new activity
   * (beyond what the server's counts already hold), which is what an unread count adds.
   */
  noteActivity(conversation, message) {
    if (message.seq <= conversation.lastSeq) {
      return false;
    }
    conversation.lastSeq = message.seq;
    conversation.last = message;
    return true;
  }

  /**
   * Follows a membership entry in a room's name; returns true when it took `me` out of the room
   * (left or removed), after which the room is none of our business.
   */
  applyEvent(conversation, { from, event }, me) {
    const who = event.kind === "added" || event.kind === "removed" ? event.user : from;
    if ((event.kind === "left" || event.kind === "removed") && key(who) === key(me)) {
      return true;
    }
    if (event.kind === "created" || event.kind === "renamed") {
      conversation.name = event.name;
    }
    return false;
  }

  /** Conversations with any activity, newest first; the open one stays listed even when empty. */
  sorted(currentKey) {
    return [...this.byKey.values()]
      .filter((conversation) => conversation.lastSeq > 0 || conversation.room || conversation.key === currentKey)
      .sort((a, b) => b.lastSeq - a.lastSeq);
  }
}

/** The list in the side bar: one button per conversation, with its newest line and unread badge. */
export function renderConversationList(conversations, currentKey, open) {
  $("conversations").replaceChildren(...conversations.sorted(currentKey).map((conversation) => {
    const title = conversation.room ? conversation.name : conversation.peer;
    return el("li", {},
      el("button", {
        type: "button",
        class: "conv",
        "aria-current": conversation.key === currentKey ? "true" : false,
        "data-title": title,
        onclick: () => open(conversation),
      },
      el("span", { class: "conv-icon", "aria-hidden": "true" }, conversation.room ? "#" : "@"),
      el("span", { class: "conv-title" }, title,
        el("span", { class: "visually-hidden" }, ` (${t(conversation.room ? "kindRoom" : "kindDirect")})`)),
      conversation.last
        ? el("time", { class: "conv-time", datetime: new Date(conversation.last.ts).toISOString() }, timeOf(conversation.last.ts))
        : null,
      el("span", { class: "conv-last" }, preview(conversation.last)),
      conversation.unread > 0
        ? el("span", {
          class: conversation.mentions > 0 ? "badge mentioned" : "badge",
          "aria-label": t(conversation.mentions > 0 ? "unreadMentions" : "unread", { n: conversation.unread }),
        }, conversation.mentions > 0 ? `@ ${conversation.unread}` : String(conversation.unread))
        : null));
  }));
  $("conversations-empty").hidden = $("conversations").childElementCount > 0;
  const unread = [...conversations.values()].reduce((sum, conversation) => sum + conversation.unread, 0);
  document.title = unread > 0 ? `(${unread}) Parley` : "Parley";
}
