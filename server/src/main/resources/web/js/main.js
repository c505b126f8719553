// Starts the client: the language, then the chat if a login is remembered, else the log-in screen.

import { AccountPage } from "./account.js";
import { AdminPage } from "./admin.js";
import { api } from "./api.js";
import { AuthScreen } from "./auth.js";
import { ChatScreen } from "./chat.js";
import { $ } from "./dom.js";
import { language, onLanguageChange, setLanguage, t } from "./i18n.js";

/** The login is kept so that a reload stays logged in; logging out removes it (and kills the token). */
const SESSION = "parley.session";

function remembered() {
  try {
    const session = JSON.parse(localStorage.getItem(SESSION));
    return session && session.token && session.username ? session : null;
  } catch (e) {
    return null;
  }
}

const auth = new AuthScreen((session) => {
  localStorage.setItem(SESSION, JSON.stringify({ token: session.token, username: session.username }));
  showChat(remembered());
});

const chat = new ChatScreen((byServer) => {
  localStorage.removeItem(SESSION);
  showAuth();
  $("login-error").textContent = byServer ? t("err.unauthorized") : "";
});

function showWhoami() {
  const session = remembered();
  $("whoami").textContent = session ? t("loggedInAs", { name: session.username }) : "";
}

const accountPage = new AccountPage();
const adminPage = new AdminPage();

/** The Admin button shows only for admins; the server refuses the admin API to anyone else anyway. */
async function showAdminButton(session) {
  try {
    const account = await api("/api/v1/account", { token: session.token });
    $("admin-open").hidden = !account.admin;
  } catch (e) {
    $("admin-open").hidden = true;
  }
}

function showChat(session) {
  auth.hide();
  $("whoami").hidden = false;
  showWhoami();
  $("logout").hidden = false;
  $("account-open").hidden = false;
  showAdminButton(session);
  chat.start(session);
}

function showAuth() {
  $("whoami").hidden = true;
  $("logout").hidden = true;
  $("account-open").hidden = true;
  $("admin-open").hidden = true;
  auth.show();
}

$("language").value = language();
$("language").addEventListener("change", () => setLanguage($("language").value));
onLanguageChange(showWhoami);
$("logout").addEventListener("click", () => chat.logout());
$("account-open").addEventListener("click", () => accountPage.open(remembered().token));
$("admin-open").addEventListener("click", () => adminPage.open(remembered().token));
setLanguage(language());
const session = remembered();
if (session) {
  showChat(session);
} else {
  showAuth();
}
