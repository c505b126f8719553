// The chat screen: the conversations (direct and rooms) with unread counts, people with live
// presence, one conversation at a time, the composer.

import { api } from "./api.js";
import { describe } from "./auth.js";
import {
  Conversations, address, directKey, key, keyOf, renderConversationList, roomKey,
} from "./conversations.js";
import { $ } from "./dom.js";
import { startUpload } from "./files.js";
import { onLanguageChange, t } from "./i18n.js";
import { LiveConnection } from "./live.js";
import { Outbox } from "./outbox.js";
import { People } from "./people.js";
import { RoomDialogs, memberCount, renderRoomPanel } from "./rooms.js";
import { messageItem, pendingItem } from "./timeline.js";
import { TypingNotices } from "./typing.js";

const PAGE = 50;

export class ChatScreen {
  /**
   * @param onEnded called when the session is over, with true when the server ended it (logged out
   *     elsewhere, token expired) rather than the person here
   */
  constructor(onEnded) {
    this.onEnded = onEnded;
    $("filter").addEventListener("input", () => this.renderPeople());
    $("back").addEventListener("click", () => this.closeConversation());
    $("composer").addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
    $("message-text").addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    $("message-text").addEventListener("input", () => {
      const conversation = this.currentConversation();
      if (conversation && $("message-text").value.trim() !== "") {
        this.outbox.typed(conversation);
      }
    });
    $("messages").addEventListener("scroll", () => {
      if ($("messages").scrollTop < 40) {
        this.loadOlder();
      }
      this.markRead(this.currentConversation());
    });
    $("members-toggle").addEventListener("click", () => this.toggleMembers());
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
    this.wireDrop();
    // New accounts and presence are pushed; coming back to the page also repairs what a dropped
    // connection missed.
    window.addEventListener("focus", () => this.session && this.refreshUsers());
    onLanguageChange(() => this.session && this.renderAll());
  }

  start(session) {
    this.session = session;
    this.people = new People(session.username, session.token, (users) => this.live.send({ type: "watch", users }));
    this.conversations = new Conversations();
    this.currentKey = null;
    this.seqKey = `parley.lastSeq:${key(session.username)}`;
    this.lastSeq = Number(localStorage.getItem(this.seqKey)) || 0;
    $("chat-screen").hidden = false;
    document.body.classList.remove("show-conversation");
    this.renderAll();
    this.live = new LiveConnection(session.token, () => this.lastSeq, {
      onFrame: (frame) => this.receive(frame),
      onState: (state, seconds) => this.showConnection(state, seconds),
      onEnded: () => this.end(true),
    });
    this.outbox = new Outbox((frame) => this.live.send(frame), () => this.renderMessages(false));
    this.live.start();
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
      this.end(false);
    }
  }

  end(byServer) {
    if (!this.session) {
      return;
    }
    this.live.stop();
    this.session = null;
    $("chat-screen").hidden = true;
    $("connection").hidden = true;
    $("uploads").replaceChildren();
    this.onEnded(byServer);
  }

  showConnection(state, seconds) {
    const status = $("connection");
    status.hidden = false;
    status.dataset.state = state;
    status.textContent = state === "waiting" ? t("reconnecting", { n: seconds }) : t(state);
  }

  receive(frame) {
    switch (frame.type) {
      case "welcome":
        this.refreshUsers();
        this.refreshConversations();
        this.loadFirstPage(this.currentConversation());
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
        this.failed(frame.id);
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

  addMessage(message, live) {
    const me = this.session.username;
    const mine = key(message.from) === key(me);
    if (live && message.seq > this.lastSeq) {
      this.lastSeq = message.seq;
      localStorage.setItem(this.seqKey, String(message.seq));
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

  /** Tells the server (and so our other tabs and devices) that the open conversation is read to its end. */
  markRead(conversation) {
    const list = $("messages");
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    if (!conversation || conversation.key !== this.currentKey || document.visibilityState !== "visible" || !atBottom) {
      return;
    }
    if (conversation.unread > 0) {
      conversation.unread = 0;
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
    renderRoomPanel(room, this.people, this.session.username, (user) => this.removeMember(room, user));
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
    this.currentKey = conversation.key;
    document.body.classList.add("show-conversation");
    $("composer").hidden = false;
    $("uploads").replaceChildren();
    $("members-toggle").setAttribute("aria-expanded", "false");
    this.renderAll();
    $("message-text").focus();
    if (conversation.room) {
      this.loadRoom(conversation);
    }
    this.markRead(conversation);
    this.loadFirstPage(conversation);
  }

  /** The newest page, once; when the connection is down, the next `welcome` tries again. */
  async loadFirstPage(conversation) {
    if (!conversation || conversation.loaded || conversation.loading) {
      return;
    }
    conversation.loading = true;
    try {
      await this.loadPage(conversation, null);
      conversation.loaded = true;
    } catch (e) {
      if (e.code !== "network" && conversation.key === this.currentKey) {
        $("history-state").textContent = describe(e);
      }
      return;
    } finally {
      conversation.loading = false;
    }
    if (conversation.key === this.currentKey) {
      this.renderMessages(true);
      this.markRead(conversation);
    }
  }

  closeConversation() {
    this.currentKey = null;
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
      $("history-state").textContent = describe(e);
    }
  }

  async removeMember(room, user) {
    try {
      this.applyRoom((await this.live.request({ type: "remove_member", room: room.room, user })).room);
    } catch (e) {
      $("history-state").textContent = describe(e);
    }
  }

  /** One page of history, with the same frame for a room and a person (PROTOCOL.md §5.8, §5.18). */
  async loadPage(conversation, before) {
    const request = { type: "history", ...address(conversation, "with"), limit: PAGE };
    if (before !== null) {
      request.before = before;
    }
    const { messages } = await this.live.request(request);
    messages.forEach((message) => conversation.messages.set(message.seq, message));
    if (messages.length < PAGE) {
      conversation.exhausted = true;
    }
  }

  async loadOlder() {
    const conversation = this.currentConversation();
    if (!conversation || !conversation.loaded || conversation.exhausted || this.loadingOlder) {
      return;
    }
    this.loadingOlder = true;
    $("history-state").textContent = t("loadingOlder");
    const list = $("messages");
    const fromBottom = list.scrollHeight - list.scrollTop;
    try {
      await this.loadPage(conversation, Math.min(...conversation.messages.keys()));
      this.renderMessages(false);
      list.scrollTop = list.scrollHeight - fromBottom;
    } finally {
      this.loadingOlder = false;
      $("history-state").textContent = conversation.exhausted ? t("noOlder") : "";
    }
  }

  renderAll() {
    this.renderPeople();
    this.renderConversations();
    this.renderHead();
    this.renderTyping();
    this.renderMessages(true);
  }

  renderMessages(toBottom) {
    const list = $("messages");
    const conversation = this.currentConversation();
    if (!conversation) {
      list.replaceChildren();
      $("history-state").textContent = "";
      return;
    }
    const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    const stored = [...conversation.messages.values()].sort((a, b) => a.seq - b.seq);
    const me = this.session.username;
    list.replaceChildren(
      ...stored.map((message) => messageItem(message, me, () => this.session.token)),
      ...[...conversation.pending.values()].map((pending) => pendingItem(pending, me, (p) => this.retry(p))));
    if (toBottom || nearBottom) {
      list.scrollTop = list.scrollHeight;
    }
  }

  // Sending

  send() {
    const box = $("message-text");
    const conversation = this.currentConversation();
    if (!conversation || box.value.trim() === "") {
      return;
    }
    this.outbox.post(conversation, box.value);
    box.value = "";
    this.renderMessages(true);
  }

  retry(pending) {
    this.outbox.transmit(this.currentConversation(), pending);
    this.renderMessages(false);
  }

  acked(frame) {
    const message = this.outbox.acked(this.conversations, frame, this.session.username);
    if (message) {
      this.addMessage(message, false);
      this.renderMessages(false);
    }
  }

  failed(id) {
    const conversation = id && Outbox.find(this.conversations, id);
    if (conversation) {
      this.outbox.failed(conversation, id);
    }
  }

  // Files

  upload(file) {
    const conversation = this.currentConversation();
    if (conversation) {
      startUpload({ token: this.session.token, me: this.session.username, ...address(conversation, "to"), file });
    }
  }

  wireDrop() {
    const zone = $("conversation");
    const hint = $("drop-hint");
    zone.addEventListener("dragover", (e) => {
      if (this.currentKey && e.dataTransfer.types.includes("Files")) {
        e.preventDefault();
        hint.hidden = false;
      }
    });
    zone.addEventListener("dragleave", (e) => {
      if (!zone.contains(e.relatedTarget)) {
        hint.hidden = true;
      }
    });
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      hint.hidden = true;
      [...e.dataTransfer.files].forEach((file) => this.upload(file));
    });
  }
}
