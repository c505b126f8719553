// Files in the conversation: uploads with a progress bar, rate, pause and resume; received files
// with name, size and a download link that goes through a short-lived ticket, because a link
// cannot carry the Authorization header and the login token must not appear in a URL.

import { api, formatBytes } from "./api.js";
import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { Upload } from "./tus.js";

/** Uploads `file` to the user `to` or to the room `room`, with its progress row in the conversation. */
export function startUpload({ token, me, to, room, file }) {
  const bar = el("progress", { max: String(Math.max(file.size, 1)), value: "0", "aria-label": file.name });
  const status = el("span", { class: "upload-status" });
  const toggle = el("button", { type: "button", class: "upload-toggle" }, t("pause"));
  const row = el("div", { class: "upload", role: "group", "aria-label": file.name },
    el("span", { class: "upload-name" }, file.name), bar, status, toggle);
  $("uploads").append(row);

  let paused = false;
  let progressText = "";
  const upload = new Upload({
    token, me, to, room, file,
    onProgress(sent, total, rate) {
      bar.value = total === 0 ? 1 : sent;
      progressText = `${t("uploadOf", { done: formatBytes(sent), total: formatBytes(total) })} · ${formatBytes(Math.round(rate))}/s`;
      status.textContent = progressText;
    },
    onState(state, why) {
      row.dataset.state = state;
      if (state === "done") {
        status.textContent = `${t("uploadDone")} · ${formatBytes(file.size)}`;
        toggle.remove();
        setTimeout(() => row.remove(), 4000);
      } else if (state === "paused") {
        status.textContent = `${t("uploadPaused")} · ${progressText}`;
      } else if (state === "failed") {
        status.textContent = t("uploadFailed", { why });
        paused = true;
        toggle.textContent = t("resume");
      }
    },
  });
  toggle.addEventListener("click", () => {
    paused = !paused;
    toggle.textContent = t(paused ? "resume" : "pause");
    if (paused) {
      upload.pause();
    } else {
      upload.start();
    }
  });
  upload.start();
}

/** The body of a file message: name, size and a download link. */
export function fileBlock(file, token) {
  const link = el("a", { class: "download", href: `/api/v1/files/${encodeURIComponent(file.id)}`, download: file.name },
    t("download"));
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    const ticket = await api(`/api/v1/files/${encodeURIComponent(file.id)}/ticket`, { method: "POST", token: token() });
    const go = el("a", { href: ticket.url, download: file.name, hidden: true });
    document.body.append(go);
    go.click();
    go.remove();
  });
  return el("div", { class: "file" },
    el("span", { class: "file-name" }, file.name),
    el("span", { class: "file-size" }, formatBytes(file.size)),
    link);
}
