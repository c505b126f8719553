// The items of the open conversation's timeline: a separator at each new day ("Today",
// "Yesterday", a date), messages with sender and time (the full date and time on hover), files,
// membership entries in words, and our messages still waiting for their ack or refused, with the
// reason and, when sending again can help, Retry.

import { eventText, key } from "./conversations.js";
import { el } from "./dom.js";
import { fileBlock } from "./files.js";
import { locale, t } from "./i18n.js";
import { richText } from "./text.js";

/** Refusals that sending the same message again can get past; the others would fail the same way. */
const RETRYABLE = new Set(["network", "rate_limited", "internal_error", "storage_full"]);

function time(ts) {
  const when = new Date(ts);
  return el("time", {
    datetime: when.toISOString(),
    title: when.toLocaleString(locale(), { dateStyle: "full", timeStyle: "medium" }),
  }, when.toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" }));
}

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "Today", "Yesterday", or the date (with the year when it is not this year's), in the viewer's locale. */
export function dayLabel(ts, now = new Date()) {
  const day = new Date(ts);
  const daysAgo = Math.round((startOfDay(now) - startOfDay(day)) / 86_400_000);
  if (daysAgo === 0) {
    return t("today");
  }
  if (daysAgo === 1) {
    return t("yesterday");
  }
  return day.toLocaleDateString(locale(), {
    weekday: "long", month: "long", day: "numeric", ...(day.getFullYear() === now.getFullYear() ? {} : { year: "numeric" }),
  });
}

/** The timeline's items in order, with a day separator wherever the local date changes. */
export function withDaySeparators(entries) {
  const items = [];
  let lastDay = null;
  const now = new Date();
  for (const { ts, item } of entries) {
    const day = startOfDay(new Date(ts));
    if (day !== lastDay) {
      items.push(el("li", { class: "day", role: "separator" }, el("span", {}, dayLabel(ts, now))));
      lastDay = day;
    }
    items.push(item);
  }
  return items;
}

function meta(from, ts, ...extra) {
  return el("div", { class: "meta" }, el("span", { class: "from" }, from), time(ts), ...extra);
}

function body(message, token) {
  if (message.deleted) {
    return el("p", { class: "text deleted" }, t("messageDeleted"));
  }
  return message.file ? fileBlock(message.file, token) : richText(message.text, message.mentions);
}

/**
 * A stored message; `token()` gives the login token for a file's download ticket; `remove`, when
 * given, is offered as the message's Delete.
 */
export function messageItem(message, me, token, remove = null) {
  if (message.event) {
    return el("li", { class: "event", "data-seq": String(message.seq) },
      el("span", { class: "event-text" }, eventText(message)), " ", time(message.ts));
  }
  const mine = key(message.from) === key(me);
  const mentionsMe = (message.mentions ?? []).some((name) => key(name) === key(me));
  return el("li", {
    class: `msg ${mine ? "mine" : "theirs"}${mentionsMe ? " mentions-me" : ""}`,
    "data-seq": String(message.seq),
  },
  meta(message.from, message.ts,
    message.edited && !message.deleted ? el("span", { class: "edited" }, t("edited")) : null,
    remove ? el("button", { type: "button", class: "delete", onclick: remove }, t("delete")) : null),
  body(message, token));
}

/** Why the server (or the silence of the network) refused a message, in words. */
function refusal({ code, message = "", retryAfter }, text) {
  if (code === "too_large") {
    const limit = /\d+/.exec(message)?.[0] ?? "?";
    return t("refused.too_large", { limit, count: [...text].length });
  }
  if (code === "rate_limited") {
    return t("refused.rate_limited", { n: retryAfter ?? 1 });
  }
  const known = `refused.${code}`;
  const words = t(known, { message });
  return words === known ? t("refused.other", { code, message }) : words;
}

/**
 * One of our messages not yet acknowledged: "sending…", or "not sent" with the reason, and Retry
 * when sending again can work, else Edit (the text back in the box, to shorten it, say); Discard
 * either way. `actions` has retry, revise and discard, each called with the pending message.
 */
export function pendingItem(pending, me, actions) {
  const failed = pending.state === "failed";
  const retryable = failed && RETRYABLE.has(pending.error.code);
  const action = (name, label) => el("button", { type: "button", class: name, onclick: () => actions[name](pending) }, t(label));
  return el("li", { class: `msg mine ${pending.state}`, "data-id": pending.id },
    meta(me, pending.ts,
      el("span", { class: "delivery" }, t(failed ? "failed" : "pending")),
      failed ? action(retryable ? "retry" : "revise", retryable ? "retry" : "revise") : null,
      failed ? action("discard", "discard") : null),
    el("p", { class: "text" }, pending.text),
    failed ? el("p", { class: "refusal", "data-code": pending.error.code }, refusal(pending.error, pending.text)) : null);
}
