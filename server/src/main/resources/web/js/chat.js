// The chat screen: the conversations (direct and rooms) with unread counts, people with live
// presence, one conversation at a time, the composer. A reload comes back to the same
// conversation, scroll position and draft.

import { Alerts } from "./alerts.js";
import { api } from "./api.js";
import { describe } from "./auth.js";
import { MessageChanges } from "./changes.js";
import { Composer } from "./composer.js";
import { Search } from "./search.js";
import {
  Conversations, address, directKey, key, keyOf, renderConversationList, roomKey,
} from "./conversations.js";
import { $ } from "./dom.js";
import { HistoryPane, nearBottom, shownMessages, showHistoryState } from "./history.js";
import { onLanguageChange, t } from "./i18n.js";
import { ConnectionBadge, LiveConnection } from "./live.js";
import { Outbox } from "./outbox.js";
import { People } from "./people.js";
import { RoomDialogs, memberCount, renderRoomPanel } from "./rooms.js";
import { messageItem, pendingItem, withDaySeparators } from "./timeline.js";
import { TypingNotices } from "./typing.js";
import { Uploads, acceptDrops } from "./uploads.js";
import { ViewMemory } from "./view.js";

export class ChatScreen {
  /**
   * @param onEnded called when the session is over, with the reason when the server ended it (a `bye`
   *     reason such as "account_disabled", or "unauthorized"), null when the person here logged out
   */
  constructor(onEnded) {
    this.onEnded = onEnded;
    $("filter").addEventListener("input", () => this.renderPeople());
    $("back").addEventListener("click", () => this.closeConversation());
    this.composer = new Composer({
      onSend: () => this.send(),
      onInput: (text) => this.typed(text),
      onEditLast: () => this.changes.editLast(this.currentConversation(), this.session.username),
      onEscape: () => this.changes.cancelEdit(),
    });
    this.changes = new MessageChanges({
      request: (frame) => this.live.request(frame),
      composer: this.composer,
      onChanged: (entry) => this.addMessage({ ...entry, from: this.session.username }, false),
      onRefused: (words) => showHistoryState(words),
    });
    this.search = new Search({
      request: (frame) => this.live.request(frame),
      me: () => this.session.username,
      title: (conversationKey) => {
        const conversation = this.conversations.get(conversationKey);
        return conversation && (conversation.room ? conversation.name : conversation.peer);
      },
      onPick: (conversationKey, target, seq) => this.jumpTo(conversationKey, target, seq),
    });
    this.history = new HistoryPane({
      request: (frame) => this.live.request(frame),
      current: () => this.currentConversation(),
      render: (toBottom) => this.renderMessages(toBottom),
      onShown: (conversation) => this.markRead(conversation),
    });
    $("messages").addEventListener("scroll", () => this.markRead(this.currentConversation()));
    window.addEventListener("pagehide", () => {
      if (this.session) {
        this.memory.scroll = this.history.position();
      }
    });
    $("members-toggle").addEventListener("click", () => this.toggleMembers());
    $("notify-level").addEventListener("change", () => this.setLevel(this.currentConversation(), $("notify-level").value));
    $("add-people").addEventListener("click", () => this.dialogs.openAdd(this.currentConversation()));
    $("rename-room").addEventListener("click", () => this.dialogs.openRename(this.currentConversation()));
    $("leave-room").addEventListener("click", () => this.leave());
    document.addEventListener("visibilitychange", () => this.session && this.markRead(this.currentConversation()));
    this.typing = new TypingNotices(() => this.renderTyping());
    this.dialogs = new RoomDialogs({
      request: (frame) => this.live.request(frame),
      people: () => this.people.names(),
      onRoom: (room) => {
        const conversation = this.applyRoom(room);
        if (conversation.key !== this.currentKey) {
          this.open(conversation);
        }
      },
      isMember: (room) => Boolean(this.conversations.get(roomKey(room))),
    });
    $("attach").addEventListener("click", () => $("file-input").click());
    $("file-input").addEventListener("change", () => {
      [...$("file-input").files].forEach((file) => this.upload(file));
      $("file-input").value = "";
    });
    acceptDrops($("conversation"), () => Boolean(this.currentKey), (file) => this.upload(file));
    this.alerts = new Alerts((conversation) => this.open(conversation));
    this.pendingActions = {
      retry: (pending) => this.retry(pending),
      revise: (pending) => this.revise(pending),
      discard: (pending) => this.discard(pending),
    };
    this.uploads = new Uploads();
    this.badge = new ConnectionBadge();
    // New accounts and presence are pushed; coming back to the page also repairs what a dropped
    // connection missed.
    window.addEventListener("focus", () => this.session && this.refreshUsers());
    onLanguageChange(() => {
      if (this.session) {
        this.renderAll(false);
        this.badge.render();
      }
    });
  }

  start(session) {
    this.session = session;
    this.people = new People(session.username, session.token, (users) => this.live.send({ type: "watch", users }));
    this.conversations = new Conversations();
    this.currentKey = null;
    this.seqKey = `parley.lastSeq:${key(session.username)}`;
    this.lastSeq = Number(localStorage.getItem(this.seqKey)) || 0;
    this.memory = new ViewMemory(session.username);
    this.history.restoring = this.memory.scroll;
    $("chat-screen").hidden = false;
    $("settings-button").hidden = false;
    document.body.classList.remove("show-conversation");
    this.renderAll();
    this.live = new LiveConnection(session.token, () => this.lastSeq, {
      onFrame: (frame) => this.receive(frame),
      onState: (state, seconds) => this.badge.show(state, seconds),
      onEnded: (reason) => this.end(reason),
    });
    this.outbox = new Outbox((frame) => this.live.send(frame), () => this.renderMessages(false));
    this.live.start();
    const reopened = this.memory.open;
    if (reopened) {
      this.open(this.conversations.ensure(reopened.key, reopened.room ? { room: reopened.room } : { peer: reopened.peer }));
    }
  }

  currentConversation() {
    return this.currentKey ? this.conversations.get(this.currentKey) : null;
  }

  async logout() {
    const token = this.session.token;
    this.live.stop();
    try {
      await api("/api/v1/logout", { method: "POST", token });
    } finally {
      this.end(null);
    }
  }

  end(reason) {
    if (!this.session) {
      return;
    }
    this.live.stop();
    this.session = null;
    this.badge.show(null);
    $("chat-screen").hidden = true;
    $("settings-button").hidden = true;
    this.changes.cancelEdit();
    this.uploads.stopAll();
    this.onEnded(reason);
  }

  receive(frame) {
    switch (frame.type) {
      case "welcome":
        this.refreshUsers();
        this.refreshConversations();
        this.history.loadFirst(this.currentConversation());
        break;
      case "message":
        this.addMessage(frame, true);
        break;
      case "presence":
        if (this.people.presence(frame)) {
          this.renderPeople();
          this.renderHead();
        }
        break;
      case "ack":
        this.acked(frame);
        break;
      case "error":
        this.failed(frame);
        break;
      case "notify":
        this.conversations.applyLevel(frame);
        this.renderHead();
        break;
      case "read":
        this.readElsewhere(frame);
        break;
      case "typing":
        this.typing.note(frame.room ? roomKey(frame.room) : directKey(frame.from), frame.from);
        break;
      case "user":
        if (this.people.add(frame.username, frame.online)) {
          this.renderPeople();
        }
        break;
      default:
        break;
    }
  }

  /** Everyone, and their presence: after each (re)connect, and when the page gets the focus back. */
  async refreshUsers() {
    await this.people.refresh();
    this.renderPeople();
  }

  /** The server's unread counts and newest messages: after each (re)connect, and to resynchronise. */
  async refreshConversations() {
    const { conversations } = await this.live.request({ type: "conversations" });
    const rooms = new Set(conversations.filter((entry) => entry.room).map((entry) => roomKey(entry.room)));
    [...this.conversations.values()]
      .filter((conversation) => conversation.room && !rooms.has(conversation.key))
      .forEach((conversation) => this.drop(conversation));
    this.conversations.applySnapshot(conversations);
    this.renderConversations();
    this.markRead(this.currentConversation());
  }

  /** A room as a `room` reply describes it, added to the conversations if it is new. */
  applyRoom(room) {
    const conversation = this.conversations.ensure(roomKey(room.room), { room: room.room });
    Object.assign(conversation, { name: room.name, open: room.open, members: room.members });
    this.renderConversations();
    this.renderHead();
    return conversation;
  }

  async loadRoom(conversation) {
    conversation.loadingRoom = true;
    try {
      const { room } = await this.live.request({ type: "room", room: conversation.room });
      // An open room answers non-members too: one we left while asking must not come back.
      if (this.conversations.get(conversation.key) === conversation) {
        this.applyRoom(room);
      }
    } catch (e) {
      if (e.code === "not_found" || e.code === "forbidden") {
        this.drop(conversation);
      }
    } finally {
      conversation.loadingRoom = false;
    }
  }

  /** Forgets a room we are no longer in. */
  drop(conversation) {
    this.conversations.delete(conversation.key);
    if (conversation.key === this.currentKey) {
      this.closeConversation();
    }
    this.renderConversations();
  }

  /** Remembers the newest seq seen live, which the next connect asks the replay to start after. */
  noteSeq(message, live) {
    if (live && message.seq > this.lastSeq) {
      this.lastSeq = message.seq;
      localStorage.setItem(this.seqKey, String(message.seq));
    }
  }

  addMessage(message, live) {
    const me = this.session.username;
    const mine = key(message.from) === key(me);
    this.noteSeq(message, live);
    if (message.edits || message.deletes) {
      this.applyChange(message);
      return;
    }
    const peer = mine ? message.to : message.from;
    const conversation = this.conversations.ensure(keyOf(message, me), message.room ? { room: message.room } : { peer });
    if (conversation.messages.has(message.seq)) {
      return;
    }
    conversation.messages.set(message.seq, message);
    this.typing.stop(conversation.key, message.from);
    if (this.conversations.noteActivity(conversation, message)) {
      if (mine) {
        // One's own message moves one's read cursor on the server (PROTOCOL.md §5.10).
        conversation.unread = 0;
        conversation.readSeq = message.seq;
      } else if (live) {
        conversation.unread += 1;
        if ((message.mentions ?? []).some((name) => key(name) === key(me))) {
          conversation.mentions = conversation.mentions + 1;
        }
        if (!message.event) {
          this.alerts.consider(conversation, message, me, conversation.room ? conversation.name ?? "…" : peer);
        }
      }
    }
    if (message.event && this.conversations.applyEvent(conversation, message, me)) {
      this.drop(conversation);
      return;
    }
    if (message.event && live && conversation.key === this.currentKey) {
      // The member list shown is the server's: a departing owner hands the room on (§5.10).
      this.loadRoom(conversation);
    }
    if (conversation.room && !conversation.name && !conversation.loadingRoom) {
      this.loadRoom(conversation);
    }
    if (!message.room && this.people.add(peer, false)) {
      this.renderPeople();
    }
    if (conversation.key === this.currentKey) {
      this.renderHead();
    }
    if (live && conversation.key === this.currentKey) {
      this.renderMessages(false);
      this.markRead(conversation);
    }
    this.renderConversations();
  }

  /** An edit or delete entry: the message it points at changes wherever it is shown. */
  applyChange(entry) {
    const conversation = this.conversations.applyChange(entry, this.session.username);
    if (conversation) {
      this.renderConversations();
      if (conversation.key === this.currentKey) {
        this.renderMessages(false);
      }
      // Someone else's deleted message may have been unread, and then no longer counts
      // (PROTOCOL.md §5.10); only the server knows where our read cursor is, so it recounts.
      if (entry.deletes && conversation.unread > 0 && key(entry.from) !== key(this.session.username)) {
        this.refreshConversations();
      }
    }
  }

  /** Tells the server (and so our other tabs and devices) that the open conversation is read to its end. */
  markRead(conversation) {
    if (!conversation || conversation.key !== this.currentKey || document.visibilityState !== "visible" || !nearBottom()) {
      return;
    }
    if (conversation.unread > 0 || conversation.mentions > 0) {
      conversation.unread = 0;
      conversation.mentions = 0;
      this.renderConversations();
    }
    const seq = conversation.lastSeq;
    if (seq > conversation.readSeq && this.live.connected) {
      conversation.readSeq = seq;
      this.live.request({ type: "read", ...address(conversation, "with"), seq }).catch(() => {
        conversation.readSeq = 0;
      });
    }
  }

  /** Our read cursor moved on another tab or device: clear the badge there too. */
  readElsewhere(frame) {
    const conversation = this.conversations.get(frame.room ? roomKey(frame.room) : directKey(frame.with));
    if (!conversation) {
      return;
    }
    conversation.readSeq = Math.max(conversation.readSeq, frame.seq);
    if (frame.seq >= conversation.lastSeq) {
      conversation.unread = 0;
      this.renderConversations();
    } else {
      this.refreshConversations();
    }
  }

  // People and conversations

  renderPeople() {
    this.people.render((name) => directKey(name) === this.currentKey,
      (name) => this.open(this.conversations.ensure(directKey(name), { peer: name })));
  }

  renderConversations() {
    renderConversationList(this.conversations, this.currentKey, (conversation) => this.open(conversation));
  }

  /** The conversation's title, and who is there: the peer's presence, or the room's kind and size. */
  renderHead() {
    const conversation = this.currentConversation();
    const room = conversation?.room ? conversation : null;
    $("peer-name").textContent = conversation ? (room ? room.name ?? "…" : conversation.peer) : t("pickSomeone");
    const user = conversation && !room ? this.people.get(conversation.peer) : null;
    const members = room?.members ?? [];
    $("peer-state").textContent = user
      ? t(user.online ? "online" : "offline")
      : room ? t(room.open ? "openRoomState" : "privateRoomState", { members: memberCount(members.length) }) : "";
    $("peer-state").dataset.online = user ? String(user.online) : "";
    // A conversation the server has not listed yet has the default level (PROTOCOL.md §5.26).
    $("notify-setting").hidden = !conversation;
    $("notify-level").value = conversation?.notify ?? "all";
    renderRoomPanel(room, this.people, this.session.username, (user) => this.removeMember(room, user));
  }

  /** Stores the conversation's notification level on the server, so that every device follows it. */
  async setLevel(conversation, level) {
    try {
      this.conversations.applyLevel(await this.live.request({ type: "notify", ...address(conversation, "with"), level }));
    } catch (e) {
      showHistoryState(describe(e));
    }
    this.renderHead();
  }

  toggleMembers() {
    const expanded = $("members-toggle").getAttribute("aria-expanded") === "true";
    $("members-toggle").setAttribute("aria-expanded", String(!expanded));
    this.renderHead();
  }

  renderTyping() {
    $("typing").textContent = this.currentKey ? this.typing.text(this.currentKey) : "";
  }

  // The conversation

  async open(conversation) {
    this.changes.cancelEdit();
    this.currentKey = conversation.key;
    this.memory.open = conversation;
    document.body.classList.add("show-conversation");
    $("composer").hidden = false;
    this.composer.text = this.memory.draft(conversation.key);
    $("members-toggle").setAttribute("aria-expanded", "false");
    this.renderAll();
    this.composer.focus();
    if (conversation.room) {
      this.loadRoom(conversation);
    }
    this.markRead(conversation);
    this.history.loadFirst(conversation);
  }

  /** Opens a conversation at one of its messages (a search hit), marked until the list is redrawn. */
  jumpTo(conversationKey, target, seq) {
    const conversation = this.conversations.ensure(conversationKey, target);
    this.history.restoring = { key: conversationKey, seq, offset: 80, found: true };
    if (conversation.key !== this.currentKey) {
      this.open(conversation);
    }
    if (conversation.loaded) {
      this.history.restore(conversation);
    }
  }

  closeConversation() {
    this.currentKey = null;
    this.memory.open = null;
    document.body.classList.remove("show-conversation");
    $("composer").hidden = true;
    this.renderAll();
  }

  async leave() {
    const conversation = this.currentConversation();
    try {
      await this.live.request({ type: "leave", room: conversation.room });
      this.drop(conversation);
    } catch (e) {
      showHistoryState(describe(e));
    }
  }

  async removeMember(room, user) {
    try {
      this.applyRoom((await this.live.request({ type: "remove_member", room: room.room, user })).room);
    } catch (e) {
      showHistoryState(describe(e));
    }
  }

  renderAll(toBottom = true) {
    this.renderPeople();
    this.renderConversations();
    this.renderHead();
    this.renderTyping();
    this.renderMessages(toBottom);
  }

  renderMessages(toBottom) {
    const list = $("messages");
    const conversation = this.currentConversation();
    if (!conversation) {
      list.replaceChildren();
      showHistoryState("");
      return;
    }
    const wasNearBottom = nearBottom();
    const me = this.session.username;
    list.replaceChildren(...withDaySeparators([
      ...shownMessages(conversation).map((message) => ({ ts: message.ts, item: messageItem(message, me, () => this.session.token,
        this.changes.actions(conversation, message, me)) })),
      ...[...conversation.pending.values()].map((pending) => ({ ts: pending.ts, item: pendingItem(pending, me, this.pendingActions) })),
    ]));
    if (toBottom || wasNearBottom) {
      list.scrollTop = list.scrollHeight;
    }
    this.history.pinned = nearBottom();
  }

  // Sending

  send() {
    const conversation = this.currentConversation();
    if (!conversation || this.composer.text.trim() === "") {
      return;
    }
    if (this.changes.editing) {
      this.changes.submitEdit(this.composer.text);
      return;
    }
    this.outbox.post(conversation, this.composer.text);
    this.composer.text = "";
    this.memory.saveDraft(conversation.key, "");
    this.renderMessages(true);
  }

  /** The box changed: keep the draft, and let the others see that we are typing. */
  typed(text) {
    const conversation = this.currentConversation();
    if (!conversation) {
      return;
    }
    if (this.changes.editing) {
      return;
    }
    this.memory.saveDraft(conversation.key, text);
    if (text.trim() !== "") {
      this.outbox.typed(conversation);
    }
  }

  retry(pending) {
    this.outbox.transmit(this.currentConversation(), pending);
    this.renderMessages(false);
  }

  /** A refused message's text goes back into the box, to change and send again. */
  revise(pending) {
    this.discard(pending);
    this.composer.text = pending.text;
    this.memory.saveDraft(this.currentKey, pending.text);
    this.composer.focus();
  }

  discard(pending) {
    this.currentConversation().pending.delete(pending.id);
    this.renderMessages(false);
  }

  acked(frame) {
    const message = this.outbox.acked(this.conversations, frame, this.session.username);
    if (message) {
      this.addMessage(message, false);
      this.renderMessages(false);
    }
  }

  failed(error) {
    const conversation = error.id && Outbox.find(this.conversations, error.id);
    if (conversation) {
      this.outbox.failed(conversation, error.id, error);
    }
  }

  // Files

  upload(file) {
    const conversation = this.currentConversation();
    if (conversation) {
      const title = conversation.room ? `#${conversation.name ?? "…"}` : conversation.peer;
      this.uploads.start({ token: this.session.token, me: this.session.username, ...address(conversation, "to"), title, file });
    }
  }
}
