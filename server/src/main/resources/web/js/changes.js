// Editing and deleting one's own messages (CONTRACT of issue 13: `edit {seq, text}` and
// `delete {seq}`, each answered by an `ack`; PROTOCOL.md §5.23-5.24). Up arrow in an empty box
// edits one's last message, as in Slack (Esc gives up), and each of one's messages has Edit, and
// Delete, which asks first.

import { describe } from "./auth.js";
import { address, key } from "./conversations.js";
import { $ } from "./dom.js";
import { shownMessages } from "./history.js";

export class MessageChanges {
  /**
   * @param request sends a request on the live connection (LiveConnection.request)
   * @param composer the message box (Composer)
   * @param onChanged called with an edit or delete entry as the server would push it, once acked
   * @param onRefused called with the refusal in words
   */
  constructor({ request, composer, onChanged, onRefused }) {
    Object.assign(this, { request, composer, onChanged, onRefused });
    this.editing = null;
    $("edit-cancel").addEventListener("click", () => this.cancelEdit());
    $("delete-cancel").addEventListener("click", () => $("delete-dialog").close());
  }

  editable(message, me) {
    return key(message.from) === key(me) && !message.event && !message.deleted && typeof message.text === "string";
  }

  /** Up arrow in the empty box: puts one's newest message in it, to change. Returns whether it did. */
  editLast(conversation, me) {
    const message = conversation && shownMessages(conversation).reverse().find((candidate) => this.editable(candidate, me));
    if (!message) {
      return false;
    }
    this.startEdit(conversation, message);
    return true;
  }

  /** Puts `message`'s text in the box, to change; Enter saves it, Esc gives up. */
  startEdit(conversation, message) {
    this.editing = { conversation, seq: message.seq };
    this.composer.text = message.text;
    $("edit-bar").hidden = false;
    this.composer.focus();
  }

  /** The Edit and Delete actions for `message` (messageItem's `changes`), when it is one's own. */
  actions(conversation, message, me) {
    if (!this.editable(message, me)) {
      return {};
    }
    return { edit: () => this.startEdit(conversation, message), remove: () => this.confirmDelete(conversation, message) };
  }

  cancelEdit() {
    if (this.editing) {
      this.editing = null;
      this.composer.text = "";
      $("edit-bar").hidden = true;
    }
  }

  /** Sends the box's text as the new text of the message being edited. */
  async submitEdit(text) {
    const { conversation, seq } = this.editing;
    this.cancelEdit();
    await this.change(conversation, { type: "edit", seq, text }, { edits: seq, text });
  }

  /** Asks, then deletes `message` for everyone. */
  confirmDelete(conversation, message) {
    const dialog = $("delete-dialog");
    $("delete-confirm").onclick = async () => {
      dialog.close();
      await this.change(conversation, { type: "delete", seq: message.seq }, { deletes: message.seq });
    };
    dialog.showModal();
  }

  async change(conversation, frame, entry) {
    try {
      const ack = await this.request(frame);
      this.onChanged({ type: "message", seq: ack.seq, ts: ack.ts, ...address(conversation, "to"), ...entry });
    } catch (e) {
      this.onRefused(describe(e));
    }
  }
}
