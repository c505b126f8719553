// Editing and deleting one's own messages (CONTRACT of issue 13: `edit {seq, text}` and
// `delete {seq}`, each answered by an `ack`). Offered only by a server that speaks that contract,
// which shows in its `conversations` entries carrying `notify`: then Up arrow in an empty box
// edits one's last message, as in Slack (Esc gives up), and each of one's messages has Delete,
// which asks first.

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
    this.enabled = false;
    this.editing = null;
    $("edit-cancel").addEventListener("click", () => this.cancelEdit());
    $("delete-cancel").addEventListener("click", () => $("delete-dialog").close());
  }

  /** Takes a `conversations` reply's entries: a server that sends `notify` takes edits and deletes. */
  learn(entries) {
    this.enabled = entries.some((entry) => "notify" in entry);
  }

  editable(message, me) {
    return this.enabled && key(message.from) === key(me) && !message.event && !message.deleted && typeof message.text === "string";
  }

  /** Up arrow in the empty box: puts one's newest message in it, to change. Returns whether it did. */
  editLast(conversation, me) {
    const message = conversation && shownMessages(conversation).reverse().find((candidate) => this.editable(candidate, me));
    if (!message) {
      return false;
    }
    this.editing = { conversation, seq: message.seq };
    this.composer.text = message.text;
    $("edit-bar").hidden = false;
    return true;
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
