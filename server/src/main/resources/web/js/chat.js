// The chat screen: the conversations (direct and rooms) with unread counts, people with live
// presence, one conversation at a time, the composer.

import { api, newId } from "./api.js";
import { describe } from "./auth.js";
import {
  Conversations, directKey, eventText, key, keyOf, renderConversationList, roomKey,
} from "./conversations.js";
import { $, el } from "./dom.js";
import { fileBlock, startUpload } from "./files.js";
import { language, onLanguageChange, t } from "./i18n.js";
import { LiveConnection } from "./live.js";
import { RoomDialogs, renderMembers } from "./rooms.js";
import { TYPING_EVERY_MS, TypingNotices } from "./typing.js";

const PAGE = 50;
/** A message with no ack after this long is shown as failed, with a retry. */
const ACK_TIMEOUT_MS = 10000;

/** The fields that name a conversation in a frame: `room`, or the other user as `to` or `with`. */
function address(conversation, userField) {
  return conversation.room ? { room: conversation.room } : { [userField]: conversation.peer };
}

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
    $("message-text").addEventListener("input", () => this.typed());
    $("messages").addEventListener("scroll", () => {
      if ($("messages").scrollTop < 40) {
        this.loadOlder();
      }
      this.markRead(this.currentConversation());
    });
    $("members-toggle").addEventListener("click", () => this.toggleMembers());
    $("add-people").addEventListener("click", () => this.dialogs.openAdd(this.currentConversation()));
    $("leave-room").addEventListener("click", () => this.leave());
    document.addEventListener("visibilitychange", () => this.session && this.markRead(this.currentConversation()));
    this.typing = new TypingNotices(() => this.renderTyping());
    $("attach").addEventListener("click", () => $("file-input").click());
    $("file-input").addEventListener("change", () => {
      [...$("file-input").files].forEach((file) => this.upload(file));
      $("file-input").value = "";
    });
    this.wireDrop();
    // New accounts appear when the person comes back to the page; presence itself is pushed.
    window.addEventListener("focus", () => this.session && this.refreshUsers());
    onLanguageChange(() => this.session && this.renderAll());
  }

  start(session) {
    this.session = session;
    this.users = new Map();
    this.conversations = new Conversations();
    this.currentKey = null;
    this.typingSent = { key: null, at: 0 };
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
    this.dialogs = new RoomDialogs({
      live: this.live,
      people: () => [...this.users.values()].map((user) => user.username),
      onRoom: (room) => this.open(this.applyRoom(room)),
      isMember: (room) => Boolean(this.conversations.get(roomKey(room))),
    });
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
        break;
      case "message":
        this.addMessage(frame, true);
        break;
      case "presence":
        this.presence(frame);
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
        this.newUser(frame);
        break;
      default:
        break;
    }
  }

  async refreshUsers() {
    const { users } = await api("/api/v1/users?limit=1000", { token: this.session.token });
    users.forEach((user) => {
      if (key(user.username) !== key(this.session.username)) {
        this.users.set(key(user.username), { ...this.users.get(key(user.username)), ...user });
      }
    });
    this.live.send({ type: "watch", users: [...this.users.values()].map((user) => user.username) });
    this.renderPeople();
  }

  /** Someone registered after the list was loaded (PROTOCOL.md §6.18): show them and watch them. */
  newUser({ username, online }) {
    if (key(username) === key(this.session.username) || this.users.has(key(username))) {
      return;
    }
    this.users.set(key(username), { username, online });
    this.live.send({ type: "watch", users: [...this.users.values()].map((user) => user.username) });
    this.renderPeople();
  }

  presence({ username, online }) {
    const user = this.users.get(key(username));
    if (user) {
      user.online = online;
      this.renderPeople();
      this.renderHead();
    }
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
    this.renderAll();
    return conversation;
  }

  async loadRoom(conversation) {
    conversation.loadingRoom = true;
    try {
      this.applyRoom((await this.live.request({ type: "room", room: conversation.room })).room);
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
    if (message.event && this.membershipChanged(conversation, message)) {
      return;
    }
    if (conversation.room && !conversation.name && !conversation.loadingRoom) {
      this.loadRoom(conversation);
    }
    if (!message.room && !this.users.has(key(peer)) && key(peer) !== key(me)) {
      this.users.set(key(peer), { username: peer, online: false });
      this.refreshUsers();
    }
    if (live && conversation.key === this.currentKey) {
      this.renderMessages(false);
      this.markRead(conversation);
    }
    this.renderConversations();
  }

  /** Follows a membership entry; returns true when it took us out of the room. */
  membershipChanged(conversation, { from, event }) {
    const me = key(this.session.username);
    const who = event.kind === "added" || event.kind === "removed" ? event.user : from;
    if ((event.kind === "left" || event.kind === "removed") && key(who) === me) {
      this.drop(conversation);
      return true;
    }
    if (event.kind === "created" || event.kind === "renamed") {
      conversation.name = event.name;
    }
    if (conversation.members && key(who) !== me) {
      const others = conversation.members.filter((member) => key(member.username) !== key(who));
      conversation.members = event.kind === "joined" || event.kind === "added"
        ? [...others, { username: who, role: "member" }]
        : others;
    }
    if (conversation.key === this.currentKey) {
      this.renderHead();
    }
    return false;
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
    const filter = $("filter").value.trim().toLowerCase();
    const people = [...this.users.values()]
      .filter((user) => user.username.toLowerCase().includes(filter))
      .sort((a, b) => (b.online - a.online) || a.username.localeCompare(b.username, language()));
    $("people").replaceChildren(...people.map((user) => el("li", {},
      el("button", {
        type: "button",
        class: `person ${user.online ? "online" : "offline"}`,
        "aria-current": directKey(user.username) === this.currentKey ? "true" : false,
        "data-user": user.username,
        onclick: () => this.open(this.conversations.ensure(directKey(user.username), { peer: user.username })),
      },
      el("span", { class: "dot", "aria-hidden": "true" }, user.online ? "●" : "○"),
      el("span", { class: "name" }, user.username),
      el("span", { class: "state" }, t(user.online ? "online" : "offline"))))));
  }

  renderConversations() {
    renderConversationList(this.conversations, this.currentKey, (conversation) => this.open(conversation));
  }

  /** The conversation's title, and who is there: the peer's presence, or the room's kind and size. */
  renderHead() {
    const conversation = this.currentConversation();
    const room = conversation?.room ? conversation : null;
    $("peer-name").textContent = conversation ? (room ? room.name ?? "…" : conversation.peer) : t("pickSomeone");
    const user = conversation && !room ? this.users.get(key(conversation.peer)) : null;
    const members = room?.members ?? [];
    $("peer-state").textContent = user
      ? t(user.online ? "online" : "offline")
      : room ? t(room.open ? "openRoomState" : "privateRoomState", { n: members.length }) : "";
    $("peer-state").dataset.online = user ? String(user.online) : "";
    $("members-toggle").hidden = !room;
    $("members-toggle").textContent = t("membersCount", { n: members.length });
    $("room-panel").hidden = !room || $("members-toggle").getAttribute("aria-expanded") !== "true";
    if (room) {
      renderMembers(room, this.users, this.session.username);
    }
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
    if (!conversation.loaded) {
      await this.loadPage(conversation, null);
      conversation.loaded = true;
      if (conversation.key === this.currentKey) {
        this.renderMessages(true);
      }
    }
    this.markRead(conversation);
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

  async loadPage(conversation, before) {
    const query = new URLSearchParams({ ...address(conversation, "with"), limit: String(PAGE) });
    if (before !== null) {
      query.set("before", String(before));
    }
    const { messages } = await api(`/api/v1/messages?${query}`, { token: this.session.token });
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
    list.replaceChildren(
      ...stored.map((message) => this.messageItem(message)),
      ...[...conversation.pending.values()].map((pending) => this.pendingItem(pending)));
    if (toBottom || nearBottom) {
      list.scrollTop = list.scrollHeight;
    }
  }

  messageItem(message) {
    if (message.event) {
      return el("li", { class: "event", "data-seq": String(message.seq) },
        el("span", { class: "event-text" }, eventText(message)), " ", this.time(message.ts));
    }
    const mine = key(message.from) === key(this.session.username);
    const token = () => this.session.token;
    return el("li", { class: `msg ${mine ? "mine" : "theirs"}`, "data-seq": String(message.seq) },
      this.meta(message.from, message.ts),
      message.file ? fileBlock(message.file, token) : el("p", { class: "text" }, message.text));
  }

  pendingItem(pending) {
    const failed = pending.state === "failed";
    return el("li", { class: `msg mine ${pending.state}`, "data-id": pending.id },
      this.meta(this.session.username, pending.ts,
        el("span", { class: "delivery" }, t(failed ? "failed" : "pending")),
        failed ? el("button", { type: "button", class: "retry", onclick: () => this.retry(pending) }, t("retry")) : null),
      el("p", { class: "text" }, pending.text));
  }

  meta(from, ts, ...extra) {
    return el("div", { class: "meta" }, el("span", { class: "from" }, from), this.time(ts), ...extra);
  }

  time(ts) {
    const when = new Date(ts);
    return el("time", { datetime: when.toISOString() },
      when.toLocaleTimeString(language() === "zh" ? "zh-CN" : "en-GB", { hour: "2-digit", minute: "2-digit" }));
  }

  // Sending

  send() {
    const box = $("message-text");
    const text = box.value;
    const conversation = this.currentConversation();
    if (!conversation || text.trim() === "") {
      return;
    }
    box.value = "";
    this.typingSent = { key: null, at: 0 };
    const pending = { id: newId(), ...address(conversation, "to"), text, ts: Date.now(), state: "pending" };
    conversation.pending.set(pending.id, pending);
    this.transmit(pending);
    this.renderMessages(true);
  }

  /** Sends (or re-sends, with the same id, which the server never stores twice) and waits for the ack. */
  transmit(pending) {
    pending.state = "pending";
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.failed(pending.id), ACK_TIMEOUT_MS);
    const { id, to, room, text } = pending;
    this.live.send({ type: "send", id, to, room, text });
  }

  /** Lets the others see that we are typing: at most one `typing` every 2 s per conversation. */
  typed() {
    const conversation = this.currentConversation();
    const now = Date.now();
    if (!conversation || $("message-text").value.trim() === ""
        || (this.typingSent.key === conversation.key && now - this.typingSent.at < TYPING_EVERY_MS)) {
      return;
    }
    this.typingSent = { key: conversation.key, at: now };
    this.live.send({ type: "typing", ...address(conversation, "to") });
  }

  retry(pending) {
    this.transmit(pending);
    this.renderMessages(false);
  }

  findPending(id) {
    for (const conversation of this.conversations.values()) {
      if (conversation.pending.has(id)) {
        return { conversation, pending: conversation.pending.get(id) };
      }
    }
    return null;
  }

  acked({ id, seq, ts }) {
    const found = this.findPending(id);
    if (!found) {
      return;
    }
    clearTimeout(found.pending.timer);
    const { to, room, text } = found.pending;
    found.conversation.pending.delete(id);
    this.addMessage({ seq, ts, from: this.session.username, to, room, text }, false);
    this.renderMessages(false);
  }

  failed(id) {
    const found = id && this.findPending(id);
    if (found) {
      clearTimeout(found.pending.timer);
      found.pending.state = "failed";
      this.renderMessages(false);
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
