// The log-in and registration screen. The password rules come from the server
// (GET /api/v1/password-policy) and are shown, ticked live, before and while the person types.
// Each server error code is shown in words next to the field it is about. Registering does not
// log in (as in the protocol): the person logs in with the new account next. An invite link
// (/#invite=CODE) opens the registration with its code filled in; the server's registration mode
// (GET /api/v1/registration) decides whether the invite field shows.

import { api } from "./api.js";
import { $, el } from "./dom.js";
import { onLanguageChange, t } from "./i18n.js";

const FIELD_OF_CODE = {
  invalid_username: "register-username-error",
  username_taken: "register-username-error",
  weak_password: "register-password-error",
  invite_required: "register-invite-error",
  invite_invalid: "register-invite-error",
  invite_expired: "register-invite-error",
  invite_used_up: "register-invite-error",
  invite_revoked: "register-invite-error",
};

/** The code of an invite link, #invite=CODE, or null. */
function inviteFromLink() {
  const match = /^#invite=([A-Za-z0-9_-]+)$/.exec(location.hash);
  return match ? match[1] : null;
}

export class AuthScreen {
  /** @param onLoggedIn called with {token, username} */
  constructor(onLoggedIn) {
    this.onLoggedIn = onLoggedIn;
    this.policy = { minLength: 8, maxLength: 128, requireLetter: true, requireDigit: true };
    $("tab-login").addEventListener("click", () => this.showTab("login"));
    $("tab-register").addEventListener("click", () => this.showTab("register"));
    $("login-form").addEventListener("submit", (e) => { e.preventDefault(); this.login(); });
    $("register-form").addEventListener("submit", (e) => { e.preventDefault(); this.register(); });
    $("register-password").addEventListener("input", () => this.renderRules());
    $("register-username").addEventListener("input", () => this.renderRules());
    onLanguageChange(() => this.renderRules());
    this.showTab("login");
    this.invite = inviteFromLink();
    if (this.invite) {
      $("register-invite").value = this.invite;
      $("register-invite-field").hidden = false;
      $("register-invite-hint").dataset.i18n = "inviteFromLink";
      $("register-invite-hint").textContent = t("inviteFromLink");
      this.showTab("register");
    }
  }

  /** Shows the invite field when the server needs one, and says so when registration is closed. */
  async showRegistrationMode() {
    try {
      const { mode } = await api("/api/v1/registration");
      $("register-invite-field").hidden = mode === "open" && !this.invite;
      if (mode === "closed") {
        $("register-error").textContent = t("registrationClosed");
      }
    } catch (e) {
      // The form stays as it is; the server's answer to a registration says what is wrong.
    }
  }

  async show() {
    $("auth-screen").hidden = false;
    this.renderRules();
    this.showRegistrationMode();
    try {
      this.policy = await api("/api/v1/password-policy");
      this.renderRules();
    } catch (e) {
      // The rules shown stay the documented defaults; the server still enforces its own.
    }
  }

  hide() {
    $("auth-screen").hidden = true;
  }

  showTab(which) {
    const login = which === "login";
    $("login-form").hidden = !login;
    $("register-form").hidden = login;
    $("tab-login").setAttribute("aria-selected", String(login));
    $("tab-register").setAttribute("aria-selected", String(!login));
  }

  /** The rules in the server's order, each with whether the typed password meets it. */
  rules() {
    const password = $("register-password").value;
    const username = $("register-username").value;
    const length = [...password].length;
    const rules = [
      { text: t("ruleMin", { n: this.policy.minLength }), met: length >= this.policy.minLength },
      { text: t("ruleMax", { n: this.policy.maxLength }), met: length <= this.policy.maxLength },
    ];
    if (this.policy.requireLetter) {
      rules.push({ text: t("ruleLetter"), met: /\p{L}/u.test(password) });
    }
    if (this.policy.requireDigit) {
      rules.push({ text: t("ruleDigit"), met: /\p{Nd}/u.test(password) });
    }
    rules.push({
      text: t("ruleNotName"),
      met: password.length > 0 && password.toLowerCase() !== username.toLowerCase(),
    });
    return rules;
  }

  renderRules() {
    const typed = $("register-password").value.length > 0;
    $("password-rules").replaceChildren(...this.rules().map((rule) => el(
      "li",
      { class: typed ? (rule.met ? "met" : "unmet") : "" },
      el("span", { class: "mark", "aria-hidden": "true" }, typed ? (rule.met ? "✓" : "✗") : "•"),
      rule.text,
      typed ? el("span", { class: "visually-hidden" }, ` (${t(rule.met ? "ruleMet" : "ruleUnmet")})`) : null,
    )));
  }

  clearErrors() {
    ["login-error", "login-notice", "register-username-error", "register-password-error", "register-invite-error", "register-error"]
      .forEach((id) => { $(id).textContent = ""; });
  }

  async login() {
    this.clearErrors();
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    if (!username || !password) {
      $("login-error").textContent = t("required");
      return;
    }
    try {
      const body = { username, password };
      if (!$("login-new-password-field").hidden) {
        body.newPassword = $("login-new-password").value;
      }
      const session = await api("/api/v1/login", { method: "POST", body });
      $("login-password").value = "";
      $("login-new-password").value = "";
      $("login-new-password-field").hidden = true;
      this.onLoggedIn(session);
    } catch (e) {
      if (e.code === "password_change_required") {
        // The temporary password was right: the same form, once more, with a new one.
        $("login-new-password-field").hidden = false;
        $("login-new-password").focus();
        return;
      }
      $("login-error").textContent = describe(e);
    }
  }

  async register() {
    this.clearErrors();
    const username = $("register-username").value.trim();
    const password = $("register-password").value;
    if (!username) {
      $("register-username-error").textContent = t("required");
      return;
    }
    try {
      const body = { username, password };
      const invite = $("register-invite").value.trim();
      if (invite) {
        body.invite = invite;
      }
      const registered = await api("/api/v1/register", { method: "POST", body });
      if (this.invite) {
        this.invite = null;
        history.replaceState(null, "", location.pathname);
      }
      $("register-password").value = "";
      this.renderRules();
      this.showTab("login");
      $("login-username").value = registered.username;
      $("login-notice").textContent = t("registered", { name: registered.username });
      $("login-password").focus();
    } catch (e) {
      $(FIELD_OF_CODE[e.code] || "register-error").textContent = describe(e, this.rules());
    }
  }
}

/** An API error in the reader's language; weak_password names the first rule not met. */
export function describe(error, rules = []) {
  if (error.code === "weak_password") {
    const broken = rules.find((rule) => !rule.met);
    return t("err.weak_password", { rule: broken ? broken.text : error.message });
  }
  const key = `err.${error.code}`;
  const text = t(key, { message: error.message });
  return text === key ? t("err.other", { message: error.message }) : text;
}
