// Making and finding rooms (PROTOCOL.md §5.11–5.17): one dialog to create a room, add people to it
// (with a people picker) or rename it, and the directory of open rooms to join. Each action is one request on the
// live connection; its `room` reply goes to onRoom, and a refusal is shown in words in the dialog.

import { describe } from "./auth.js";
import { $, el } from "./dom.js";
import { language, t } from "./i18n.js";

export class RoomDialogs {
  /**
   * @param request sends a request on the live connection (LiveConnection.request)
   * @param people returns the usernames one can pick (everyone but oneself)
   * @param onRoom called with a `room` reply's room ({room, name, open, members}) after a create, add,
   *     rename or join
   * @param isMember returns whether the user is in the room with that id
   */
  constructor({ request, people, onRoom, isMember }) {
    Object.assign(this, { request, people, onRoom, isMember });
    this.mode = "create";
    this.target = null;
    this.picked = new Set();
    $("new-room").addEventListener("click", () => this.openCreate());
    $("browse-rooms").addEventListener("click", () => this.openDirectory());
    $("room-form").addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    $("room-cancel").addEventListener("click", () => $("room-dialog").close());
    $("pick-filter").addEventListener("input", () => this.renderPicker());
    // Enter in the filter box would submit the form: a half-picked room would be created.
    $("pick-filter").addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
      }
    });
    $("directory-close").addEventListener("click", () => $("directory-dialog").close());
  }

  /** The dialog to create a room: a name, open or private, and people to add. */
  openCreate() {
    this.showDialog("create", null, t("newRoom"), t("create"));
    $("room-name").focus();
  }

  /** The dialog to add people to `room` ({room, name, members}); current members are not offered. */
  openAdd(room) {
    this.showDialog("add", room, t("addPeopleTo", { name: room.name }), t("add"));
    $("pick-filter").focus();
  }

  /** The dialog to give `room` a new name. */
  openRename(room) {
    this.showDialog("rename", room, t("renameRoomNamed", { name: room.name }), t("rename"));
    $("room-name").value = room.name;
    $("room-name").select();
    $("room-name").focus();
  }

  showDialog(mode, room, title, action) {
    this.mode = mode;
    this.target = room;
    this.excluded = new Set((room?.members ?? []).map((member) => member.username.toLowerCase()));
    this.picked = new Set();
    $("room-dialog-title").textContent = title;
    $("room-submit").textContent = action;
    $("room-name-fields").hidden = mode === "add";
    $("room-open-field").hidden = mode !== "create";
    $("room-picker").hidden = mode === "rename";
    $("room-name").value = "";
    $("room-open").checked = false;
    $("pick-filter").value = "";
    $("room-error").textContent = "";
    this.renderPicker();
    $("room-dialog").showModal();
  }

  renderPicker() {
    const filter = $("pick-filter").value.trim().toLowerCase();
    const names = this.people()
      .filter((name) => !this.excluded.has(name.toLowerCase()) && name.toLowerCase().includes(filter))
      .sort((a, b) => a.localeCompare(b, language()));
    $("pick-list").replaceChildren(...names.map((name) => {
      const box = el("input", {
        type: "checkbox",
        value: name,
        checked: this.picked.has(name),
        onchange: (e) => (e.target.checked ? this.picked.add(name) : this.picked.delete(name)),
      });
      return el("li", {}, el("label", { class: "check", "data-user": name }, box, name));
    }));
    $("pick-empty").hidden = names.length > 0;
  }

  async submit() {
    const users = [...this.picked];
    $("room-error").textContent = "";
    const name = $("room-name").value.trim();
    if (this.mode === "add" && users.length === 0) {
      $("room-error").textContent = t("pickSomeoneToAdd");
      return;
    }
    if (this.mode !== "add" && !name) {
      $("room-error").textContent = t("required");
      $("room-name").focus();
      return;
    }
    const request = {
      create: () => ({ type: "create_room", name, members: users, open: $("room-open").checked }),
      add: () => ({ type: "add_members", room: this.target.room, users }),
      rename: () => ({ type: "rename_room", room: this.target.room, name }),
    }[this.mode]();
    try {
      const reply = await this.request(request);
      $("room-dialog").close();
      this.onRoom(reply.room);
    } catch (e) {
      $("room-error").textContent = describe(e);
    }
  }

  /** The open rooms, most members first, each with Join (or Open, for one we are in). */
  async openDirectory() {
    $("directory-list").replaceChildren();
    $("directory-state").textContent = t("loading");
    $("directory-dialog").showModal();
    try {
      const { rooms } = await this.request({ type: "room_directory" });
      $("directory-state").textContent = rooms.length === 0 ? t("noOpenRooms") : "";
      $("directory-list").replaceChildren(...rooms.map((room) => this.directoryItem(room)));
      $("directory-list").querySelector("button")?.focus();
    } catch (e) {
      $("directory-state").textContent = describe(e);
    }
  }

  directoryItem(room) {
    const member = this.isMember(room.room);
    return el("li", { class: "directory-room", "data-title": room.name },
      el("span", { class: "conv-title" }, room.name),
      el("span", { class: "count" }, memberCount(room.members)),
      el("button", {
        type: "button",
        class: member ? "" : "primary",
        "aria-label": t(member ? "openRoomNamed" : "joinRoomNamed", { name: room.name }),
        onclick: () => this.join(room),
      }, t(member ? "openRoom" : "join")));
  }

  async join(room) {
    try {
      const reply = await this.request({ type: "join", room: room.room });
      $("directory-dialog").close();
      this.onRoom(reply.room);
    } catch (e) {
      $("directory-state").textContent = describe(e);
    }
  }
}

/** "3 members", "1 member". */
export function memberCount(n) {
  return t(n === 1 ? "memberCountOne" : "memberCount", { n });
}

/**
 * The open room's "Members (n)" button and, when it is expanded, the member list with each one's
 * role and presence; both hidden when the open conversation is not a room (`room` null).
 */
export function renderRoomPanel(room, people, me, remove) {
  const members = room?.members ?? [];
  $("members-toggle").hidden = !room;
  $("members-toggle").textContent = t("membersCount", { n: members.length });
  $("room-panel").hidden = !room || $("members-toggle").getAttribute("aria-expanded") !== "true";
  if (!room) {
    return;
  }
  // The rules of §5.12–5.16: owners and admins manage; anyone in an open room may add people;
  // nobody removes the owner, and an admin removes only plain members.
  const myRole = members.find((member) => member.username.toLowerCase() === me.toLowerCase())?.role;
  const manager = myRole === "owner" || myRole === "admin";
  const removable = (member) => member.role !== "owner" && member.username.toLowerCase() !== me.toLowerCase()
    && (myRole === "owner" || (myRole === "admin" && member.role === "member"));
  $("add-people").hidden = !room.open && !manager;
  $("rename-room").hidden = !manager;
  $("members").replaceChildren(...members.map((member) => {
    const self = member.username.toLowerCase() === me.toLowerCase();
    const online = self || people.get(member.username)?.online;
    return el("li", { class: `member ${online ? "online" : "offline"}`, "data-user": member.username },
      el("span", { class: "dot", "aria-hidden": "true" }, online ? "●" : "○"),
      el("span", { class: "name" }, member.username, self ? ` ${t("you")}` : ""),
      member.role === "member" ? null : el("span", { class: "role" }, t(`role.${member.role}`)),
      el("span", { class: "visually-hidden" }, `, ${t(online ? "online" : "offline")}`),
      removable(member)
        ? el("button", {
          type: "button",
          class: "remove",
          "aria-label": t("removeNamed", { name: member.username }),
          onclick: () => remove(member.username),
        }, t("remove"))
        : null);
  }));
}
