// The items of the open conversation's timeline: messages with sender and time, files, membership
// entries in words, and our messages still waiting for their ack.

import { eventText, key } from "./conversations.js";
import { el } from "./dom.js";
import { fileBlock } from "./files.js";
import { locale, t } from "./i18n.js";

function time(ts) {
  const when = new Date(ts);
  return el("time", { datetime: when.toISOString() },
    when.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" }));
}

function meta(from, ts, ...extra) {
  return el("div", { class: "meta" }, el("span", { class: "from" }, from), time(ts), ...extra);
}

/** A stored message; `token()` gives the login token for a file's download ticket. */
export function messageItem(message, me, token) {
  if (message.event) {
    return el("li", { class: "event", "data-seq": String(message.seq) },
      el("span", { class: "event-text" }, eventText(message)), " ", time(message.ts));
  }
  const mine = key(message.from) === key(me);
  return el("li", { class: `msg ${mine ? "mine" : "theirs"}`, "data-seq": String(message.seq) },
    meta(message.from, message.ts),
    message.file ? fileBlock(message.file, token) : el("p", { class: "text" }, message.text));
}

/** One of our messages not yet acknowledged: "sending…", or "not sent" with Retry. */
export function pendingItem(pending, me, retry) {
  const failed = pending.state === "failed";
  return el("li", { class: `msg mine ${pending.state}`, "data-id": pending.id },
    meta(me, pending.ts,
      el("span", { class: "delivery" }, t(failed ? "failed" : "pending")),
      failed ? el("button", { type: "button", class: "retry", onclick: () => retry(pending) }, t("retry")) : null),
    el("p", { class: "text" }, pending.text));
}
