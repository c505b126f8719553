// Telling the person about new messages while they look elsewhere (the tab hidden, or the window
// in the background, as Slack and Mattermost do): a desktop notification (the
// browser's permission is asked for only when they press "Turn on notifications", never on load)
// and, if they chose it, a short sound. A conversation's `notify` level ("all" | "mentions" |
// "none", CONTRACT of issue 13) decides; a server without levels sends none, and then every
// conversation counts as "all".

import { key } from "./conversations.js";
import { $ } from "./dom.js";
import { onLanguageChange, t } from "./i18n.js";

const SOUND = "parley.sound";
/** Several messages at once (a replay after a reconnect) make one sound, not a burst. */
const SOUND_GAP_MS = 2000;

function mentions(message, me) {
  return (message.mentions ?? []).some((name) => key(name) === key(me));
}

/** Whether a conversation at `level` wants to hear about `message`. */
export function wanted(level, message, me) {
  if (level === "none") {
    return false;
  }
  return level !== "mentions" || mentions(message, me);
}

export class Alerts {
  /** @param onShow called with the conversation of a notification the person clicked */
  constructor(onShow) {
    this.onShow = onShow;
    this.lastSound = 0;
    $("settings-button").addEventListener("click", () => this.openSettings());
    $("settings-close").addEventListener("click", () => $("settings-dialog").close());
    $("notifications-on").addEventListener("click", () => this.askPermission());
    $("sound-setting").addEventListener("change", () => {
      localStorage.setItem(SOUND, $("sound-setting").checked ? "on" : "off");
      if ($("sound-setting").checked) {
        this.ring(true);
      }
    });
    onLanguageChange(() => this.renderSettings());
  }

  get soundOn() {
    return localStorage.getItem(SOUND) === "on";
  }

  openSettings() {
    this.renderSettings();
    $("settings-dialog").showModal();
  }

  renderSettings() {
    const supported = "Notification" in window;
    const permission = supported ? Notification.permission : "unsupported";
    $("notifications-state").textContent = t({
      granted: "notificationsOn", denied: "notificationsBlocked", unsupported: "notificationsUnsupported",
    }[permission] ?? "notificationsOff");
    $("notifications-on").hidden = permission !== "default";
    $("sound-setting").checked = this.soundOn;
  }

  async askPermission() {
    await Notification.requestPermission();
    this.renderSettings();
  }

  /**
   * A new message from someone else arrived live in `conversation` (titled `title`): notifies
   * when the person is not looking at the page and the conversation's level wants it.
   */
  consider(conversation, message, me, title) {
    const looking = document.visibilityState === "visible" && document.hasFocus();
    if (looking || !wanted(conversation.notify ?? "all", message, me)) {
      return;
    }
    if (this.soundOn) {
      this.ring(false);
    }
    if (!("Notification" in window) || Notification.permission !== "granted") {
      return;
    }
    const what = message.file ? t("notificationFile", { name: message.file.name }) : message.text;
    const notification = new Notification(
      conversation.room ? t("notificationInRoom", { from: message.from, room: title }) : message.from,
      { body: mentions(message, me) ? `${t("mentionedYou")}: ${what}` : what, tag: conversation.key, lang: document.documentElement.lang });
    notification.addEventListener("click", () => {
      window.focus();
      notification.close();
      this.onShow(conversation);
    });
  }

  /**
   * A short beep made with Web Audio (the page's policy allows no media files). The browser lets
   * it sound once the person has used the page, e.g. by ticking the setting.
   */
  ring(always) {
    const now = Date.now();
    if (!always) {
      if (now - this.lastSound < SOUND_GAP_MS) {
        return;
      }
      this.lastSound = now;
    }
    this.audio ??= new AudioContext();
    this.audio.resume();
    const tone = this.audio.createOscillator();
    const volume = this.audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.1, this.audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.001, this.audio.currentTime + 0.25);
    tone.connect(volume).connect(this.audio.destination);
    tone.start();
    tone.stop(this.audio.currentTime + 0.25);
  }
}

