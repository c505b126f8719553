// The account page: change one's own password, see one's sessions (logins) and end one or all
// others. A dialog over the chat, built here so the chat's markup stays as it is. Every action is
// one call of the HTTP API (docs/PROTOCOL.md, "Own account").

import { api } from "./api.js";
import { describe } from "./auth.js";
import { $, el } from "./dom.js";
import { locale, onLanguageChange, t, translate } from "./i18n.js";
import "./account-strings.js";

/** "28 Nov 2026, 12:03", in the reader's language. */
export function when(millis) {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(millis));
}

export class AccountPage {
  constructor() {
    this.dialog = el("dialog", { id: "account-dialog", class: "dialog wide", "aria-labelledby": "account-title" },
      el("div", { class: "card" },
        el("h2", { id: "account-title", "data-i18n": "accountTitle" }),
        el("form", { id: "password-form", class: "fields", novalidate: true },
          el("h3", { "data-i18n": "changePassword" }),
          el("label", { for: "old-password", "data-i18n": "currentPassword" }),
          el("input", { id: "old-password", type: "password", autocomplete: "current-password" }),
          el("label", { for: "new-password", "data-i18n": "newPassword" }),
          el("input", { id: "new-password", type: "password", autocomplete: "new-password" }),
          el("p", { id: "password-result", class: "notice", role: "status" }),
          el("button", { type: "submit", class: "primary", "data-i18n": "changePassword" })),
        el("h3", { "data-i18n": "sessions" }),
        el("ul", { id: "session-list", class: "session-list" }),
        el("p", { id: "sessions-result", class: "notice", role: "status" }),
        el("div", { class: "dialog-actions" },
          el("button", { id: "end-others", type: "button", class: "danger", "data-i18n": "endOthers" }),
          el("button", { id: "account-close", type: "button", "data-i18n": "close" }))));
    document.body.append(this.dialog);
    translate(this.dialog);
    onLanguageChange(() => this.dialog.open && this.renderSessions());
    $("password-form").addEventListener("submit", (e) => { e.preventDefault(); this.changePassword(); });
    $("end-others").addEventListener("click", () => this.endOthers());
    $("account-close").addEventListener("click", () => this.dialog.close());
    this.sessions = [];
  }

  async open(token) {
    this.token = token;
    ["password-result", "sessions-result"].forEach((id) => { $(id).textContent = ""; });
    this.dialog.showModal();
    await this.loadSessions();
  }

  async loadSessions() {
    try {
      this.sessions = (await api("/api/v1/account/sessions", { token: this.token })).sessions;
      this.renderSessions();
    } catch (e) {
      $("sessions-result").textContent = describe(e);
    }
  }

  renderSessions() {
    $("session-list").replaceChildren(...this.sessions.map((session) => el("li", { class: "session" },
      el("div", { class: "session-what" },
        el("span", { class: "agent" }, session.agent || t("unknownAgent")),
        session.current ? el("span", { class: "session-badge" }, t("thisSession")) : null,
        el("div", { class: "hint" },
          [session.address, t("sessionCreated", { when: when(session.created) }), t("sessionUsed", { when: when(session.lastUsed) })]
            .filter(Boolean).join(" · "))),
      session.current ? null : el("button", { type: "button", onclick: () => this.endSession(session.id) }, t("endSession")))));
  }

  async changePassword() {
    const body = { oldPassword: $("old-password").value, newPassword: $("new-password").value };
    try {
      await api("/api/v1/account/password", { method: "POST", body, token: this.token });
      $("old-password").value = "";
      $("new-password").value = "";
      $("password-result").textContent = t("passwordChanged");
      await this.loadSessions();
    } catch (e) {
      $("password-result").textContent = describe(e);
    }
  }

  async endSession(id) {
    try {
      await api(`/api/v1/account/sessions/${encodeURIComponent(id)}`, { method: "DELETE", token: this.token });
    } catch (e) {
      $("sessions-result").textContent = describe(e);
    }
    await this.loadSessions();
  }

  async endOthers() {
    try {
      const { ended } = await api("/api/v1/account/sessions/end-others", { method: "POST", body: {}, token: this.token });
      $("sessions-result").textContent = t("othersEnded", { n: ended });
    } catch (e) {
      $("sessions-result").textContent = describe(e);
    }
    await this.loadSessions();
  }
}
