// The UI's words in English and Chinese. Strings are only ever set with textContent or as
// attribute values, so they may contain any character.

const STRINGS = {
  en: {
    language: "Language",
    login: "Log in",
    loginTitle: "Log in",
    register: "Register",
    registerTitle: "Create an account",
    registerAction: "Create account",
    registered: "Account {name} created. Log in with your password.",
    username: "Username",
    password: "Password",
    usernameRules: "2 to 32 characters: letters, digits, _ - or .",
    ruleMin: "at least {n} characters",
    ruleMax: "at most {n} characters",
    ruleLetter: "at least one letter",
    ruleDigit: "at least one digit",
    ruleNotName: "not the same as the username",
    ruleMet: "met",
    ruleUnmet: "not met yet",
    logout: "Log out",
    people: "People",
    filter: "Filter people",
    online: "online",
    offline: "offline",
    you: "(you)",
    unread: "{n} unread",
    back: "Back to people",
    pickSomeone: "Pick someone to talk to",
    messages: "Messages",
    messageLabel: "Message",
    messagePlaceholder: "Message — Enter sends, Shift+Enter for a new line",
    send: "Send",
    attach: "File…",
    dropHint: "Drop a file to send it",
    loadingOlder: "Loading older messages…",
    noOlder: "This is the start of the conversation.",
    pending: "sending…",
    failed: "not sent",
    retry: "Retry",
    download: "Download",
    pause: "Pause",
    resume: "Resume",
    uploadDone: "sent",
    uploadFailed: "upload failed: {why}",
    uploadPaused: "paused",
    uploadOf: "{done} of {total}",
    connecting: "Connecting…",
    connected: "Connected",
    reconnecting: "Offline — reconnecting in {n} s",
    loggedInAs: "Logged in as {name}",
    "err.invalid_username": "This username is not allowed: use 2 to 32 letters, digits, _ - or .",
    "err.weak_password": "This password is too weak: {rule}.",
    "err.username_taken": "This username is taken.",
    "err.bad_credentials": "Wrong username or password.",
    "err.rate_limited": "Too many attempts; try again in a while.",
    "err.unauthorized": "Your session has ended; please log in again.",
    "err.not_found": "Not found.",
    "err.too_large": "Too large.",
    "err.network": "Cannot reach the server.",
    "err.other": "Something went wrong: {message}",
    required: "Please fill this in.",
  },
  zh: {
    language: "语言",
    login: "登录",
    loginTitle: "登录",
    register: "注册",
    registerTitle: "创建账号",
    registerAction: "创建账号",
    registered: "账号 {name} 已创建，请输入密码登录。",
    username: "用户名",
    password: "密码",
    usernameRules: "2 到 32 个字符：字母、数字、_ - 或 .",
    ruleMin: "至少 {n} 个字符",
    ruleMax: "最多 {n} 个字符",
    ruleLetter: "至少一个字母",
    ruleDigit: "至少一个数字",
    ruleNotName: "不能与用户名相同",
    ruleMet: "已满足",
    ruleUnmet: "尚未满足",
    logout: "退出登录",
    people: "联系人",
    filter: "筛选联系人",
    online: "在线",
    offline: "离线",
    you: "（你）",
    unread: "{n} 条未读",
    back: "返回联系人",
    pickSomeone: "选择一位联系人开始聊天",
    messages: "消息",
    messageLabel: "消息",
    messagePlaceholder: "输入消息 — Enter 发送，Shift+Enter 换行",
    send: "发送",
    attach: "文件…",
    dropHint: "把文件拖到这里发送",
    loadingOlder: "正在加载更早的消息…",
    noOlder: "已经是最早的消息了。",
    pending: "发送中…",
    failed: "未发送",
    retry: "重试",
    download: "下载",
    pause: "暂停",
    resume: "继续",
    uploadDone: "已发送",
    uploadFailed: "上传失败：{why}",
    uploadPaused: "已暂停",
    uploadOf: "{done} / {total}",
    connecting: "正在连接…",
    connected: "已连接",
    reconnecting: "连接已断开 — {n} 秒后重连",
    loggedInAs: "当前用户：{name}",
    "err.invalid_username": "用户名不可用：请使用 2 到 32 个字母、数字、_ - 或 .",
    "err.weak_password": "密码太弱：{rule}。",
    "err.username_taken": "该用户名已被占用。",
    "err.bad_credentials": "用户名或密码错误。",
    "err.rate_limited": "尝试次数过多，请稍后再试。",
    "err.unauthorized": "登录已失效，请重新登录。",
    "err.not_found": "未找到。",
    "err.too_large": "太大了。",
    "err.network": "无法连接服务器。",
    "err.other": "出错了：{message}",
    required: "请填写此项。",
  },
};

const KEY = "parley.lang";
let current = pick();
const listeners = [];

function pick() {
  const saved = localStorage.getItem(KEY);
  if (saved && STRINGS[saved]) {
    return saved;
  }
  return (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en";
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = STRINGS[lang] ? lang : "en";
  localStorage.setItem(KEY, current);
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
  translate(document);
  listeners.forEach((listener) => listener());
}

/** Calls back after each switch, so that text built in code is rebuilt in the new language. */
export function onLanguageChange(listener) {
  listeners.push(listener);
}

export function t(key, vars = {}) {
  const template = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

/** Fills the elements that name a string in data-i18n (text), data-i18n-label or data-i18n-placeholder. */
export function translate(root) {
  root.querySelectorAll("[data-i18n]").forEach((el) => { el.textContent = t(el.dataset.i18n); });
  root.querySelectorAll("[data-i18n-label]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.i18nLabel)));
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  });
}
