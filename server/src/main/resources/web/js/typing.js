// "bob is typing…" (PROTOCOL.md §5.21). The server relays at most one `typing` per sender and
// conversation every 2 s, and a sender sends at most that often too; a notice lasts a few seconds
// after the last one, or until that person's message arrives.

import { t } from "./i18n.js";

/** How often we tell the others that we are typing, at most. */
export const TYPING_EVERY_MS = 2000;
/** How long "is typing" shows after the last notice: longer than the 2 s between notices. */
const SHOWN_MS = 4000;

export class TypingNotices {
  /** @param onChange called whenever what should be shown may have changed */
  constructor(onChange) {
    this.onChange = onChange;
    this.byConversation = new Map();
  }

  note(conversationKey, from) {
    const typists = this.byConversation.get(conversationKey) ?? new Map();
    this.byConversation.set(conversationKey, typists);
    clearTimeout(typists.get(from));
    typists.set(from, setTimeout(() => this.stop(conversationKey, from), SHOWN_MS));
    this.onChange();
  }

  /** That person stopped typing here (the notice ran out, or their message came). */
  stop(conversationKey, from) {
    const typists = this.byConversation.get(conversationKey);
    if (typists && typists.has(from)) {
      clearTimeout(typists.get(from));
      typists.delete(from);
      this.onChange();
    }
  }

  text(conversationKey) {
    const names = [...(this.byConversation.get(conversationKey)?.keys() ?? [])];
    if (names.length === 0) {
      return "";
    }
    return names.length === 1
      ? t("typingOne", { who: names[0] })
      : t("typingMany", { who: names.join(", ") });
  }
}
