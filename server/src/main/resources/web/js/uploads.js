// The uploads panel: every upload of this tab, whichever conversation is open, each with its
// recipient, a progress bar that moves as the bytes leave (not a chunk at a time), the rate, and
// Pause/Resume and Cancel. Rows are rebuilt from their state, so a language switch reaches them.

import { formatBytes } from "./api.js";
import { $, el } from "./dom.js";
import { onLanguageChange, t } from "./i18n.js";
import { Upload } from "./tus.js";

/** How long a finished upload's row stays, saying "sent". */
const DONE_SHOWN_MS = 4000;

export class Uploads {
  constructor() {
    this.rows = new Set();
    onLanguageChange(() => this.rows.forEach((row) => this.render(row)));
  }

  /**
   * Uploads `file` to the user `to` or the room `room`; `title` names the conversation in the row
   * (it stays visible when another conversation is opened).
   */
  start({ token, me, to, room, title, file }) {
    const row = { file, title, state: "running", sent: 0, rate: 0, why: "" };
    row.upload = new Upload({
      token, me, to, room, file,
      onProgress: (sent, total, rate) => {
        Object.assign(row, { sent, rate });
        this.render(row);
      },
      onState: (state, why) => this.changed(row, state, why),
    });
    // The nodes are made once and then only updated: a button rebuilt at each progress event
    // would swallow the click that lands between its mousedown and mouseup.
    row.name = el("span", { class: "upload-to" });
    row.bar = el("progress", { max: String(Math.max(file.size, 1)), value: "0", "aria-label": file.name });
    row.status = el("span", { class: "upload-status" });
    row.toggle = el("button", {
      type: "button",
      class: "upload-toggle",
      onclick: () => (row.state === "running" ? row.upload.pause() : row.upload.start()),
    });
    row.cancel = el("button", { type: "button", class: "upload-cancel", onclick: () => row.upload.cancel() });
    row.node = el("div", { class: "upload", role: "group", "aria-label": file.name },
      el("span", { class: "upload-name" }, file.name, row.name), row.bar, row.status,
      el("div", { class: "upload-actions" }, row.toggle, row.cancel));
    this.rows.add(row);
    $("uploads").append(row.node);
    this.render(row);
    row.upload.start();
  }

  changed(row, state, why = "") {
    Object.assign(row, { state, why });
    if (state === "paused" || state === "failed") {
      // What the server holds, not what had left the browser when it stopped.
      row.sent = row.upload.offset;
    }
    this.render(row);
    if (state === "done" || state === "cancelled") {
      setTimeout(() => this.forget(row), state === "done" ? DONE_SHOWN_MS : 0);
    }
  }

  forget(row) {
    this.rows.delete(row);
    row.node.remove();
  }

  /** Stops every upload's sending (at log-out); the server keeps what it has. */
  stopAll() {
    this.rows.forEach((row) => {
      row.upload.pause();
      this.forget(row);
    });
  }

  render(row) {
    const { file, state, sent, rate } = row;
    const amount = t("uploadOf", { done: formatBytes(sent), total: formatBytes(file.size) });
    row.status.textContent = {
      running: `${amount} · ${formatBytes(Math.round(rate))}/s`,
      paused: `${t("uploadPaused")} · ${amount}`,
      failed: t("uploadFailed", { why: row.why }),
      done: `${t("uploadDone")} · ${formatBytes(file.size)}`,
      cancelled: t("uploadCancelled"),
    }[state];
    row.node.dataset.state = state;
    row.name.textContent = ` ${t("uploadTo", { name: row.title })}`;
    row.bar.value = file.size === 0 && state === "done" ? 1 : sent;
    row.toggle.textContent = t(state === "running" ? "pause" : "resume");
    row.cancel.textContent = t("cancelUpload");
    row.toggle.hidden = row.cancel.hidden = state === "done" || state === "cancelled";
  }
}

/** Files dropped on `zone` go to `onFile` while `canDrop()`, with a hint shown while dragging. */
export function acceptDrops(zone, canDrop, onFile) {
  const hint = $("drop-hint");
  zone.addEventListener("dragover", (e) => {
    if (canDrop() && e.dataTransfer.types.includes("Files")) {
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
    [...e.dataTransfer.files].forEach(onFile);
  });
}
