// Files in the conversation (uploads are in uploads.js): name, size and a download link that goes
// through a short-lived ticket, because a link cannot carry the Authorization header and the login
// token must not appear in a URL.

import { api, formatBytes } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";

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
