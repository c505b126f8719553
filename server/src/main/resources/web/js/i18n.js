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
    back: "Back to conversations",
    pickSomeone: "Pick a conversation or someone to talk to",
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
    sidebar: "Conversations and people",
    conversations: "Conversations",
    noConversations: "No conversations yet: pick a person below, or create a room.",
    kindRoom: "room",
    filePreview: "File: {name}",
    kindDirect: "direct",
    newRoomAction: "+ New room",
    newRoom: "New room",
    browseRooms: "Browse rooms",
    openRooms: "Open rooms",
    noOpenRooms: "There are no open rooms yet.",
    loading: "Loading…",
    roomName: "Room name",
    roomOpen: "Open: anyone can find it and join",
    pickPeople: "People to add",
    nobodyToPick: "Nobody to add.",
    pickSomeoneToAdd: "Pick at least one person.",
    create: "Create",
    add: "Add",
    cancel: "Cancel",
    close: "Close",
    join: "Join",
    openRoom: "Open",
    joinRoomNamed: "Join {name}",
    openRoomNamed: "Open {name}",
    addPeopleTo: "Add people to {name}",
    addPeople: "Add people…",
    leaveRoom: "Leave room",
    renameRoom: "Rename…",
    renameRoomNamed: "Rename {name}",
    rename: "Rename",
    remove: "Remove",
    removeNamed: "Remove {name} from the room",
    members: "Members",
    membersCount: "Members ({n})",
    memberCount: "{n} members",
    memberCountOne: "1 member",
    openRoomState: "open room · {members}",
    privateRoomState: "private room · {members}",
    "role.owner": "owner",
    "role.admin": "admin",
    typingOne: "{who} is typing…",
    typingMany: "{who} are typing…",
    "event.created": "{who} created the room “{name}”",
    "event.joined": "{who} joined",
    "event.left": "{who} left",
    "event.added": "{who} added {user}",
    "event.removed": "{who} removed {user}",
    "event.renamed": "{who} renamed the room to “{name}”",
    "err.forbidden": "You are not allowed to do that in this room.",
    "err.bad_request": "That was not accepted: {message}",
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
    back: "返回会话列表",
    pickSomeone: "选择一个会话或一位联系人开始聊天",
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
    sidebar: "会话和联系人",
    conversations: "会话",
    noConversations: "还没有会话：在下面选择一位联系人，或创建一个群聊。",
    kindRoom: "群聊",
    filePreview: "文件：{name}",
    kindDirect: "私聊",
    newRoomAction: "+ 新建群聊",
    newRoom: "新建群聊",
    browseRooms: "浏览公开群聊",
    openRooms: "公开群聊",
    noOpenRooms: "还没有公开群聊。",
    loading: "正在加载…",
    roomName: "群聊名称",
    roomOpen: "公开：任何人都能找到并加入",
    pickPeople: "要添加的成员",
    nobodyToPick: "没有可添加的人。",
    pickSomeoneToAdd: "请至少选择一个人。",
    create: "创建",
    add: "添加",
    cancel: "取消",
    close: "关闭",
    join: "加入",
    openRoom: "打开",
    joinRoomNamed: "加入 {name}",
    openRoomNamed: "打开 {name}",
    addPeopleTo: "向 {name} 添加成员",
    addPeople: "添加成员…",
    leaveRoom: "退出群聊",
    renameRoom: "改名…",
    renameRoomNamed: "给 {name} 改名",
    rename: "改名",
    remove: "移除",
    removeNamed: "把 {name} 移出群聊",
    members: "成员",
    membersCount: "成员（{n}）",
    memberCount: "{n} 位成员",
    memberCountOne: "1 位成员",
    openRoomState: "公开群聊 · {members}",
    privateRoomState: "私密群聊 · {members}",
    "role.owner": "群主",
    "role.admin": "管理员",
    typingOne: "{who} 正在输入…",
    typingMany: "{who} 正在输入…",
    "event.created": "{who} 创建了群聊“{name}”",
    "event.joined": "{who} 加入了群聊",
    "event.left": "{who} 退出了群聊",
    "event.added": "{who} 添加了 {user}",
    "event.removed": "{who} 移除了 {user}",
    "event.renamed": "{who} 将群聊改名为“{name}”",
    "err.forbidden": "你在这个群聊里没有这项权限。",
    "err.bad_request": "未被接受：{message}",
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

/** The locale that dates and times are written in. */
export function locale() {
  return current === "zh" ? "zh-CN" : "en-GB";
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

/** Adds the words of a part of the client that keeps its own ({en: {...}, zh: {...}}). */
export function addStrings(more) {
  for (const [lang, strings] of Object.entries(more)) {
    Object.assign(STRINGS[lang], strings);
  }
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
