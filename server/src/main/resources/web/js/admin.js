// The admin page, shown only to admins (GET /api/v1/account says who is one): the users with their
// state and the actions on them, and the invites. A dialog over the chat, built here. Every action
// is one call of the admin API (docs/PROTOCOL.md, "Admin API"), which refuses anyone else.

import { api } from "./api.js";
import { describe } from "./auth.js";
import { when } from "./account.js";
import { $, el } from "./dom.js";
import { onLanguageChange, t, translate } from "./i18n.js";
import "./account-strings.js";

const LIFETIMES = [["", "expiresNever"], ["1d", "expires1d"], ["7d", "expires7d"], ["30d", "expires30d"]];

export class AdminPage {
  constructor() {
    this.dialog = el("dialog", { id: "admin-dialog", class: "dialog wide", "aria-labelledby": "admin-title" },
      el("div", { class: "card" },
        el("h2", { id: "admin-title", "data-i18n": "adminTitle" }),
        el("h3", { "data-i18n": "users" }),
        el("p", { id: "admin-result", class: "notice", role: "status" }),
        el("table", { class: "admin-users" },
          el("thead", {}, el("tr", {},
            ...["username", "created", "lastSeen", "status", "actions"].map((key) => el("th", { scope: "col", "data-i18n": key })))),
          el("tbody", { id: "admin-users" })),
        el("h3", { "data-i18n": "invites" }),
        el("form", { id: "invite-form", class: "invite-form", novalidate: true },
          el("label", { for: "invite-uses", "data-i18n": "inviteUses" }),
          el("input", { id: "invite-uses", type: "number", min: "1", value: "1" }),
          el("label", { for: "invite-expires", "data-i18n": "inviteExpires" }),
          el("select", { id: "invite-expires" }),
          el("button", { type: "submit", class: "primary", "data-i18n": "createInvite" })),
        el("p", { id: "invite-result", class: "notice invite-link", role: "status" }),
        el("ul", { id: "invite-list", class: "session-list" }),
        el("div", { class: "dialog-actions" },
          el("button", { id: "admin-close", type: "button", "data-i18n": "close" }))));
    document.body.append(this.dialog);
    translate(this.dialog);
    onLanguageChange(() => this.dialog.open && this.render());
    $("invite-form").addEventListener("submit", (e) => { e.preventDefault(); this.createInvite(); });
    $("admin-close").addEventListener("click", () => this.dialog.close());
    this.users = [];
    this.invites = [];
  }

  async open(token) {
    this.token = token;
    ["admin-result", "invite-result"].forEach((id) => { $(id).textContent = ""; });
    this.dialog.showModal();
    await this.load();
  }

  async load() {
    try {
      const [users, invites] = await Promise.all([
        api("/api/v1/admin/users", { token: this.token }),
        api("/api/v1/admin/invites", { token: this.token }),
      ]);
      this.users = users.users;
      this.invites = invites.invites;
      this.render();
    } catch (e) {
      $("admin-result").textContent = describe(e);
    }
  }

  render() {
    const expires = $("invite-expires");
    const chosen = expires.value;
    expires.replaceChildren(...LIFETIMES.map(([value, key]) => el("option", { value }, t(key))));
    expires.value = chosen;
    $("admin-users").replaceChildren(...this.users.map((user) => this.userRow(user)));
    $("invite-list").replaceChildren(...(this.invites.length === 0
      ? [el("li", { class: "hint" }, t("noInvites"))]
      : this.invites.map((invite) => this.inviteRow(invite))));
  }

  userRow(user) {
    const states = [t(user.online ? "state.online" : "state.offline")];
    if (user.disabled) states.push(t("state.disabled"));
    if (user.admin) states.push(t("state.admin"));
    if (user.passwordChangeRequired) states.push(t("state.mustChange"));
    const path = `/api/v1/admin/users/${encodeURIComponent(user.username)}`;
    const action = (key, method, suffix, after) => el("button", {
      type: "button",
      "data-action": key,
      onclick: () => this.act(method, path + suffix, after),
    }, t(key));
    return el("tr", { "data-user": user.username },
      el("th", { scope: "row" }, user.username),
      el("td", {}, when(user.created)),
      el("td", {}, user.lastSeen ? when(user.lastSeen) : t("never")),
      el("td", { class: user.disabled ? "state disabled" : "state" }, states.join(" · ")),
      el("td", {}, el("div", { class: "row-actions" },
        action("resetPassword", "POST", "/reset-password", (reply) => {
          $("admin-result").textContent = t("temporaryPassword", { name: user.username, password: reply.temporaryPassword });
        }),
        user.disabled ? action("enable", "POST", "/enable") : action("disable", "POST", "/disable"),
        user.admin ? action("removeAdmin", "DELETE", "/admin") : action("makeAdmin", "POST", "/admin"),
        el("button", {
          type: "button",
          class: "danger",
          "data-action": "deleteUser",
          onclick: () => {
            if (confirm(t("confirmDelete", { name: user.username }))) {
              this.act("DELETE", path, null);
            }
          },
        }, t("deleteUser")))));
  }

  inviteRow(invite) {
    const state = [t("inviteUsed", { uses: invite.uses, max: invite.maxUses })];
    if (invite.revoked) state.push(t("inviteRevoked"));
    else if (invite.expires) state.push(t("inviteExpiresAt", { when: when(invite.expires) }));
    return el("li", { class: "session" },
      el("div", { class: "session-what" },
        el("strong", {}, `#${invite.id}`),
        el("div", { class: "hint" }, [when(invite.created), invite.createdBy, ...state].filter(Boolean).join(" · "))),
      invite.revoked ? null : el("button", {
        type: "button",
        onclick: () => this.act("DELETE", `/api/v1/admin/invites/${invite.id}`, null),
      }, t("revoke")));
  }

  /** One admin call, its result shown by {@code after} (or the error in words), then the lists again. */
  async act(method, path, after) {
    $("admin-result").textContent = "";
    try {
      const reply = await api(path, { method, token: this.token });
      if (after) after(reply);
    } catch (e) {
      $("admin-result").textContent = describe(e);
    }
    await this.load();
  }

  async createInvite() {
    const body = { uses: Number($("invite-uses").value) || 1 };
    if ($("invite-expires").value) {
      body.expires = $("invite-expires").value;
    }
    try {
      const invite = await api("/api/v1/admin/invites", { method: "POST", body, token: this.token });
      // This page's own origin, so the link keeps its scheme (the server's "link" assumes http).
      const link = `${location.origin}/#invite=${invite.code}`;
      $("invite-result").replaceChildren(t("inviteLink", { link: "" }), el("a", { href: link, id: "invite-link" }, link));
    } catch (e) {
      $("invite-result").textContent = describe(e);
    }
    await this.load();
  }
}
