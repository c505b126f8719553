// Searching the messages one can see (CONTRACT of issue 13: `search {q, room?|with?}`, newest
// first), offered only by a server that speaks that contract (see MessageChanges.learn). A hit
// opens its conversation at that message, loading older pages until it is there.

import { describe } from "./auth.js";
import { directKey, key, roomKey } from "./conversations.js";
import { $, el } from "./dom.js";
import { locale, t } from "./i18n.js";

export class Search {
  /**
   * @param request sends a request on the live connection (LiveConnection.request)
   * @param me returns our username
   * @param title returns the title of the conversation with the given key, if it is known
   * @param onPick called with the conversation key, target ({room} or {peer}) and seq of a hit
   */
  constructor({ request, me, title, onPick }) {
    Object.assign(this, { request, me, title, onPick });
    $("search-form").addEventListener("submit", (e) => { e.preventDefault(); this.run(); });
    $("search-close").addEventListener("click", () => $("search-dialog").close());
  }

  /** Shows the search box when the server can search. */
  offer(enabled) {
    $("search-form").hidden = !enabled;
  }

  async run() {
    const q = $("search-box").value.trim();
    if (!q) {
      return;
    }
    $("search-results").replaceChildren();
    $("search-state").textContent = t("loading");
    $("search-dialog").showModal();
    try {
      const { messages } = await this.request({ type: "search", q, limit: 50 });
      $("search-state").textContent = messages.length === 0 ? t("noResults", { q }) : "";
      $("search-results").replaceChildren(...messages.map((message) => this.hit(message)));
    } catch (e) {
      $("search-state").textContent = describe(e);
    }
  }

  hit(message) {
    const target = message.room ? { room: message.room } : { peer: key(message.from) === key(this.me()) ? message.to : message.from };
    const conversationKey = message.room ? roomKey(message.room) : directKey(target.peer);
    const when = new Date(message.ts).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });
    return el("li", {}, el("button", {
      type: "button",
      class: "search-hit",
      "data-seq": String(message.seq),
      onclick: () => {
        $("search-dialog").close();
        this.onPick(conversationKey, target, message.seq);
      },
    },
    el("span", { class: "search-where" }, `${this.title(conversationKey) ?? target.peer ?? "…"} · ${when}`),
    el("span", { class: "search-text" },
      `${message.from}: ${message.file ? t("filePreview", { name: message.file.name }) : message.text}`)));
  }
}
