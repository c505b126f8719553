// The message box. On a desktop Enter sends and Shift+Enter makes a new line; on a phone or a
// touch screen there is no Shift key at hand, so Enter makes a new line and the Send button sends.
// What is typed is kept as the conversation's draft until it is sent.

import { $ } from "./dom.js";
import { translate } from "./i18n.js";

const TOUCH_LAYOUT = window.matchMedia("(max-width: 640px), (pointer: coarse)");

export class Composer {
  /**
   * @param onSend called when the person sends (Enter on a desktop, or the Send button)
   * @param onInput called with the text after each change
   * @param onEditLast called on Up arrow in the empty box; returns whether it took the key
   * @param onEscape called on Esc
   */
  constructor({ onSend, onInput, onEditLast, onEscape }) {
    this.box = $("message-text");
    $("composer").addEventListener("submit", (e) => { e.preventDefault(); onSend(); });
    this.box.addEventListener("keydown", (e) => {
      if (e.isComposing) {
        return;
      }
      if (e.key === "Enter" && !e.shiftKey && !TOUCH_LAYOUT.matches) {
        e.preventDefault();
        onSend();
      } else if (e.key === "ArrowUp" && this.box.value === "" && onEditLast()) {
        e.preventDefault();
      } else if (e.key === "Escape") {
        onEscape();
      }
    });
    this.box.addEventListener("input", () => onInput(this.box.value));
    TOUCH_LAYOUT.addEventListener("change", () => this.showHint());
    this.showHint();
  }

  /** The placeholder says what Enter does here. */
  showHint() {
    this.box.dataset.i18nPlaceholder = TOUCH_LAYOUT.matches ? "messagePlaceholderTouch" : "messagePlaceholder";
    translate($("composer"));
  }

  get text() {
    return this.box.value;
  }

  set text(value) {
    this.box.value = value;
  }

  focus() {
    this.box.focus();
  }
}
