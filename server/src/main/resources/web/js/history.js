// History paging (PROTOCOL.md §5.8, §5.18) and the message list's scrolling: where it stands is
// remembered across a reload, and one reading the newest message keeps it in view.
// A conversation shows one unbroken run of its log, from `oldest` to the newest message: the
// newest page when it opens, then older pages as the person scrolls up, each asked for `before`
// the oldest one loaded. Messages that came live or by replay before the first page (on a new
// device the unread replay can be older than the newest page) wait outside the run until paging
// reaches them, so the pane never shows a gap and says "start of the conversation" only once the
// server has nothing older.

import { describe } from "./auth.js";
import { address } from "./conversations.js";
import { $ } from "./dom.js";
import { t } from "./i18n.js";
import { scrollPosition, scrollTo } from "./view.js";

export const PAGE = 50;

/**
 * Loads the page before `before` (null: the newest) with `request` (LiveConnection.request) into
 * the conversation's messages, and moves `oldest` back to it.
 */
export async function loadPage(request, conversation, before, address) {
  const frame = { type: "history", ...address, limit: PAGE };
  if (before !== null) {
    frame.before = before;
  }
  const { messages } = await request(frame);
  // History holds each message's current state (an edit, a deletion), so it wins.
  messages.forEach((message) => conversation.messages.set(message.seq, message));
  conversation.exhausted = messages.length < PAGE;
  conversation.oldest = conversation.exhausted ? 0 : messages[0].seq;
}

/** The messages to show, oldest first: the loaded run, or everything known before the first page. */
export function shownMessages(conversation) {
  const from = conversation.loaded ? conversation.oldest : 0;
  return [...conversation.messages.values()].filter((message) => message.seq >= from).sort((a, b) => a.seq - b.seq);
}

/** Counted as "at the newest message": within this many pixels of the list's end. */
const NEAR_BOTTOM_PX = 80;
/** A restored scroll position further back than this many pages is given up (the newest page shows). */
const RESTORE_PAGES_MAX = 20;

/** Whether the message list is scrolled to (nearly) its end. */
export function nearBottom() {
  const list = $("messages");
  return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
}

/**
 * The line above the messages: `words` as they are, or the string `i18nKey` names, which the
 * language switch then translates again (index.html's data-i18n).
 */
export function showHistoryState(words, i18nKey = null) {
  const line = $("history-state");
  if (i18nKey) {
    line.dataset.i18n = i18nKey;
    line.textContent = t(i18nKey);
  } else {
    delete line.dataset.i18n;
    line.textContent = words ?? "";
  }
}

export class HistoryPane {
  /**
   * @param request sends a request on the live connection (LiveConnection.request)
   * @param current returns the open conversation, or null
   * @param render shows the open conversation's messages (with true: scrolled to the newest)
   * @param onShown called with the open conversation once its newest page is on screen
   */
  constructor({ request, current, render, onShown }) {
    Object.assign(this, { request, current, render, onShown });
    /** Whether the list was at its end when last scrolled or drawn. */
    this.pinned = true;
    /** A scroll position to go back to once its conversation's first page is in (after a reload). */
    this.restoring = null;
    this.loadingOlder = false;
    const list = $("messages");
    list.addEventListener("scroll", () => {
      this.pinned = nearBottom();
      if (list.scrollTop < 40) {
        this.loadOlder();
      }
    });
    // The list shrinks when the uploads panel or the typing line grows: one who was reading the
    // newest message keeps seeing it.
    new ResizeObserver(() => {
      if (this.pinned) {
        list.scrollTop = list.scrollHeight;
      }
    }).observe(list);
  }

  page(conversation, before) {
    return loadPage(this.request, conversation, before, address(conversation, "with"));
  }

  /** The newest page, once; when the connection is down, the next `welcome` tries again. */
  async loadFirst(conversation) {
    if (!conversation || conversation.loaded || conversation.loading) {
      return;
    }
    conversation.loading = true;
    try {
      await this.page(conversation, null);
      conversation.loaded = true;
    } catch (e) {
      if (e.code !== "network" && conversation === this.current()) {
        showHistoryState(describe(e));
      }
      return;
    } finally {
      conversation.loading = false;
    }
    if (conversation === this.current()) {
      showHistoryState(null, conversation.exhausted ? "noOlder" : null);
      this.render(true);
      await this.restore(conversation);
      this.onShown(conversation);
    }
  }

  async loadOlder() {
    const conversation = this.current();
    if (!conversation || !conversation.loaded || conversation.exhausted || this.loadingOlder) {
      return;
    }
    this.loadingOlder = true;
    showHistoryState(null, "loadingOlder");
    const list = $("messages");
    const fromBottom = list.scrollHeight - list.scrollTop;
    try {
      await this.page(conversation, conversation.oldest);
      this.render(false);
      list.scrollTop = list.scrollHeight - fromBottom;
    } finally {
      this.loadingOlder = false;
      showHistoryState(null, conversation.exhausted ? "noOlder" : null);
    }
  }

  /** Where this conversation was scrolled before the reload, once; older pages are loaded to reach it. */
  async restore(conversation) {
    const position = this.restoring;
    if (!position || position.key !== conversation.key) {
      return;
    }
    this.restoring = null;
    if (position.bottom) {
      return;
    }
    for (let pages = 0; conversation.oldest > position.seq && !conversation.exhausted && pages < RESTORE_PAGES_MAX; pages++) {
      await this.page(conversation, conversation.oldest);
    }
    this.render(false);
    scrollTo($("messages"), position)?.classList.toggle("found", Boolean(position.found));
    this.pinned = nearBottom();
  }

  /** Where the open conversation is scrolled, for ViewMemory.scroll; null when none is open. */
  position() {
    const conversation = this.current();
    return conversation ? scrollPosition($("messages"), conversation.key, nearBottom()) : null;
  }
}
