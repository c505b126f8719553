// What a reload must give back, kept per user in this tab's sessionStorage (gone with the tab,
// never shared with another account on the machine): the open conversation, where it was scrolled
// to, and the unsent draft of each conversation.

import { key } from "./conversations.js";

export class ViewMemory {
  constructor(username) {
    this.prefix = `parley.view:${key(username)}:`;
  }

  read(name) {
    try {
      return JSON.parse(sessionStorage.getItem(this.prefix + name));
    } catch (e) {
      return null;
    }
  }

  write(name, value) {
    if (value === null) {
      sessionStorage.removeItem(this.prefix + name);
    } else {
      sessionStorage.setItem(this.prefix + name, JSON.stringify(value));
    }
  }

  /** The open conversation as {key, room} or {key, peer}, or null. */
  get open() {
    return this.read("open");
  }

  set open(conversation) {
    this.write("open", conversation && { key: conversation.key, room: conversation.room, peer: conversation.peer });
  }

  /** Where the open conversation was scrolled: {key, bottom: true} or {key, seq, offset} (the top visible message). */
  get scroll() {
    return this.read("scroll");
  }

  set scroll(position) {
    this.write("scroll", position);
  }

  draft(conversationKey) {
    return this.read(`draft:${conversationKey}`) ?? "";
  }

  saveDraft(conversationKey, text) {
    this.write(`draft:${conversationKey}`, text === "" ? null : text);
  }
}

/** Where `list` is scrolled, for `conversationKey`: its end, or the top visible message and how far down it sits. */
export function scrollPosition(list, conversationKey, atBottom) {
  const top = list.getBoundingClientRect().top;
  const first = [...list.querySelectorAll("li[data-seq]")].find((item) => item.getBoundingClientRect().bottom > top);
  return atBottom || !first
    ? { key: conversationKey, bottom: true }
    : { key: conversationKey, seq: Number(first.dataset.seq), offset: first.getBoundingClientRect().top - top };
}

/** Scrolls `list` back to a position scrollPosition gave, if its message is shown; returns that message's item. */
export function scrollTo(list, position) {
  const item = list.querySelector(`li[data-seq="${position.seq}"]`);
  if (item) {
    list.scrollTop += item.getBoundingClientRect().top - list.getBoundingClientRect().top - position.offset;
  }
  return item;
}
