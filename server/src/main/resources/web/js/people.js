// Everyone else, with live presence: loaded once per connection, new accounts added as the server
// announces them (`user`, PROTOCOL.md §6.18), each watched so that `presence` marks them online
// or offline (§5.7).

import { api } from "./api.js";
import { $, el } from "./dom.js";
import { key } from "./conversations.js";
import { language, t } from "./i18n.js";

export class People {
  /**
   * @param me our username (never listed)
   * @param token the login token, for GET /api/v1/users
   * @param watch sends a `watch` frame with the given names
   */
  constructor(me, token, watch) {
    Object.assign(this, { me, token, watch });
    this.byKey = new Map();
  }

  get(name) {
    return this.byKey.get(key(name));
  }

  names() {
    return [...this.byKey.values()].map((user) => user.username);
  }

  /** Loads everyone and watches them all. */
  async refresh() {
    const { users } = await api("/api/v1/users?limit=1000", { token: this.token });
    users.forEach((user) => {
      if (key(user.username) !== key(this.me)) {
        this.byKey.set(key(user.username), { ...this.byKey.get(key(user.username)), ...user });
      }
    });
    this.watch(this.names());
  }

  /** Adds someone not listed yet (a new account, or a sender we did not know); returns whether they were new. */
  add(username, online) {
    if (key(username) === key(this.me) || this.byKey.has(key(username))) {
      return false;
    }
    this.byKey.set(key(username), { username, online });
    this.watch(this.names());
    return true;
  }

  /** Applies a `presence` frame; returns whether it was about someone listed. */
  presence({ username, online }) {
    const user = this.get(username);
    if (user) {
      user.online = online;
    }
    return Boolean(user);
  }

  /** The list, online first, narrowed by the filter box; `isCurrent(name)` marks the open one. */
  render(isCurrent, open) {
    const filter = $("filter").value.trim().toLowerCase();
    const people = [...this.byKey.values()]
      .filter((user) => user.username.toLowerCase().includes(filter))
      .sort((a, b) => (b.online - a.online) || a.username.localeCompare(b.username, language()));
    $("people").replaceChildren(...people.map((user) => el("li", {},
      el("button", {
        type: "button",
        class: `person ${user.online ? "online" : "offline"}`,
        "aria-current": isCurrent(user.username) ? "true" : false,
        "data-user": user.username,
        onclick: () => open(user.username),
      },
      el("span", { class: "dot", "aria-hidden": "true" }, user.online ? "●" : "○"),
      el("span", { class: "name" }, user.username),
      el("span", { class: "state" }, t(user.online ? "online" : "offline"))))));
  }
}
