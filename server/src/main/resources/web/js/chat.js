// The chat screen: people with live presence, one conversation at a time, the composer.

import { api, newId } from "./api.js";
import { $, el } from "./dom.js";
import { fileBlock, startUpload } from "./files.js";
import { language, onLanguageChange, t } from "./i18n.js";
import { LiveConnection } from "./live.js";

const PAGE = 50;
/** A message with no ack after this long is shown as failed, with a retry. */
const ACK_TIMEOUT_MS = 10000;

const key = (name) => name.toLowerCase();

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
    $("messages").addEventListener("scroll", () => {
      if ($("messages").scrollTop < 40) {
        this.loadOlder();
      }
    });
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
    this.conversations = new Map();
    this.current = null;
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
    this.live.start();
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

  presence({ username, online }) {
    const user = this.users.get(key(username));
    if (user) {
      user.online = online;
      this.renderPeople();
      this.renderPeerState();
    }
  }

  conversation(peer) {
    let conversation = this.conversations.get(key(peer));
    if (!conversation) {
      conversation = { peer, messages: new Map(), pending: new Map(), unread: 0, loaded: false, exhausted: false };
      this.conversations.set(key(peer), conversation);
    }
    return conversation;
  }

  addMessage(message, live) {
    const mine = key(message.from) === key(this.session.username);
    const peer = mine ? message.to : message.from;
    if (live && message.seq > this.lastSeq) {
      this.lastSeq = message.seq;
      localStorage.setItem(this.seqKey, String(message.seq));
    }
    const conversation = this.conversation(peer);
    if (conversation.messages.has(message.seq)) {
      return;
    }
    conversation.messages.set(message.seq, message);
    if (!this.users.has(key(peer)) && key(peer) !== key(this.session.username)) {
      this.users.set(key(peer), { username: peer, online: false });
      this.refreshUsers();
    }
    if (live && key(peer) !== this.current) {
      if (!mine) {
        conversation.unread += 1;
      }
      this.renderPeople();
    } else if (live) {
      this.renderMessages(true);
    }
  }

  // People

  renderPeople() {
    const filter = $("filter").value.trim().toLowerCase();
    const people = [...this.users.values()]
      .filter((user) => user.username.toLowerCase().includes(filter))
      .sort((a, b) => (b.online - a.online) || a.username.localeCompare(b.username, language()));
    $("people").replaceChildren(...people.map((user) => {
      const unread = this.conversations.get(key(user.username))?.unread || 0;
      return el("li", {},
        el("button", {
          type: "button",
          class: `person ${user.online ? "online" : "offline"}`,
          "aria-current": key(user.username) === this.current ? "true" : false,
          "data-user": user.username,
          onclick: () => this.openConversation(user.username),
        },
        el("span", { class: "dot", "aria-hidden": "true" }, user.online ? "●" : "○"),
        el("span", { class: "name" }, user.username),
        el("span", { class: "state" }, t(user.online ? "online" : "offline")),
        unread > 0 ? el("span", { class: "badge", "aria-label": t("unread", { n: unread }) }, String(unread)) : null));
    }));
  }

  renderPeerState() {
    const user = this.current && this.users.get(this.current);
    $("peer-state").textContent = user ? t(user.online ? "online" : "offline") : "";
    $("peer-state").dataset.online = user ? String(user.online) : "";
  }

  // The conversation

  async openConversation(peer) {
    this.current = key(peer);
    const conversation = this.conversation(peer);
    conversation.unread = 0;
    document.body.classList.add("show-conversation");
    $("composer").hidden = false;
    $("uploads").replaceChildren();
    this.renderAll();
    $("message-text").focus();
    if (!conversation.loaded) {
      await this.loadPage(conversation, null);
      conversation.loaded = true;
      this.renderMessages(true);
    }
  }

  closeConversation() {
    this.current = null;
    document.body.classList.remove("show-conversation");
    $("composer").hidden = true;
    this.renderAll();
  }

  async loadPage(conversation, before) {
    const query = new URLSearchParams({ with: conversation.peer, limit: String(PAGE) });
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
    const conversation = this.current && this.conversations.get(this.current);
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
    this.renderPeerState();
    const conversation = this.current && this.conversations.get(this.current);
    $("peer-name").textContent = conversation ? conversation.peer : t("pickSomeone");
    this.renderMessages(true);
  }

  renderMessages(toBottom) {
    const list = $("messages");
    const conversation = this.current && this.conversations.get(this.current);
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
    const when = new Date(ts);
    return el("div", { class: "meta" },
      el("span", { class: "from" }, from),
      el("time", { datetime: when.toISOString() },
        when.toLocaleTimeString(language() === "zh" ? "zh-CN" : "en-GB", { hour: "2-digit", minute: "2-digit" })),
      ...extra);
  }

  // Sending

  send() {
    const box = $("message-text");
    const text = box.value;
    if (!this.current || text.trim() === "") {
      return;
    }
    box.value = "";
    const conversation = this.conversations.get(this.current);
    const pending = { id: newId(), to: conversation.peer, text, ts: Date.now(), state: "pending" };
    conversation.pending.set(pending.id, pending);
    this.transmit(pending);
    this.renderMessages(true);
  }

  /** Sends (or re-sends, with the same id, which the server never stores twice) and waits for the ack. */
  transmit(pending) {
    pending.state = "pending";
    clearTimeout(pending.timer);
    pending.timer = setTimeout(() => this.failed(pending.id), ACK_TIMEOUT_MS);
    this.live.send({ type: "send", id: pending.id, to: pending.to, text: pending.text });
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
    found.conversation.pending.delete(id);
    found.conversation.messages.set(seq, { seq, ts, from: this.session.username, to: found.pending.to, text: found.pending.text });
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
    const conversation = this.current && this.conversations.get(this.current);
    if (conversation) {
      startUpload({ token: this.session.token, me: this.session.username, to: conversation.peer, file });
    }
  }

  wireDrop() {
    const zone = $("conversation");
    const hint = $("drop-hint");
    zone.addEventListener("dragover", (e) => {
      if (this.current && e.dataTransfer.types.includes("Files")) {
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
