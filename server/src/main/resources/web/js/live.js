// The live connection: one WebSocket, authenticated with an `auth` frame (so the token never
// travels in a URL), reconnected with backoff, caught up with `since` (PROTOCOL.md §10.3); and
// the badge that shows its state.

import { t } from "./i18n.js";

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
/** The server closes a connection silent for 120 s; a ping now and then keeps a quiet one open. */
const PING_EVERY_MS = 60000;
/** A request with no reply after this long fails (the connection is probably gone). */
const REQUEST_TIMEOUT_MS = 15000;

/** A refused request: `code` is the server's error code (PROTOCOL.md §8), or "network". */
export class RequestError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The connection's state at the top of the page, in the current language. */
export class ConnectionBadge {
  /** @param state as LiveConnection's onState gives it, or null to hide the badge */
  show(state, seconds) {
    this.state = state;
    this.seconds = seconds;
    this.render();
  }

  render() {
    const status = document.getElementById("connection");
    status.hidden = !this.state;
    if (this.state) {
      status.dataset.state = this.state;
      status.textContent = this.state === "waiting" ? t("reconnecting", { n: this.seconds }) : t(this.state);
    }
  }
}

export class LiveConnection {
  /**
   * @param token the login token
   * @param sinceFn returns the highest message seq processed so far (0: none), read at each (re)connect
   * @param handlers onFrame(frame), onState(state, detail) with state "connecting" | "connected" |
   *     "waiting" (detail: seconds until the next try), onEnded(reason) when the server will not take us back
   */
  constructor(token, sinceFn, handlers) {
    this.token = token;
    this.sinceFn = sinceFn;
    this.handlers = handlers;
    this.delay = FIRST_DELAY_MS;
    this.socket = null;
    this.stopped = false;
    this.ready = false;
    this.retryTimer = null;
    this.pingTimer = null;
    this.requests = new Map();
    this.nextRequest = 1;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  /** Closes for good: no reconnect. */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.socket) {
      this.socket.close(1000);
    }
  }

  /** Sends a frame if authenticated; returns whether it went out. */
  send(frame) {
    if (!this.ready) {
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Sends a frame with a fresh id and resolves with the reply that echoes it, or rejects with a
   * RequestError for an `error` reply, no connection, or no reply in time.
   */
  request(frame) {
    const id = `rq${this.nextRequest++}`;
    return new Promise((resolve, reject) => {
      if (!this.send({ ...frame, id })) {
        reject(new RequestError("network", "not connected"));
        return;
      }
      const timer = setTimeout(() => this.settle(id, new RequestError("network", "no reply")), REQUEST_TIMEOUT_MS);
      this.requests.set(id, { resolve, reject, timer });
    });
  }

  /** Ends a waiting request with a reply frame or a RequestError. */
  settle(id, outcome) {
    const request = this.requests.get(id);
    if (!request) {
      return false;
    }
    this.requests.delete(id);
    clearTimeout(request.timer);
    if (outcome instanceof RequestError) {
      request.reject(outcome);
    } else if (outcome.type === "error") {
      request.reject(new RequestError(outcome.code, outcome.message));
    } else {
      request.resolve(outcome);
    }
    return true;
  }

  get connected() {
    return this.ready;
  }

  open() {
    this.handlers.onState("connecting");
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/ws`);
    this.socket = socket;
    socket.onopen = () => {
      const auth = { type: "auth", id: "auth", token: this.token };
      const since = this.sinceFn();
      if (since > 0) {
        auth.since = since;
      }
      socket.send(JSON.stringify(auth));
    };
    socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    socket.onclose = () => this.closed(socket);
  }

  receive(frame) {
    if (frame.type === "welcome") {
      this.ready = true;
      this.delay = FIRST_DELAY_MS;
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.send({ type: "ping" }), PING_EVERY_MS);
      this.handlers.onState("connected");
    } else if (frame.type === "error" && frame.id === "auth" && frame.code === "unauthorized") {
      this.stop();
      this.handlers.onEnded("unauthorized");
      return;
    } else if (frame.type === "bye" && (frame.reason === "token_revoked" || frame.reason === "logout")) {
      this.stop();
      this.handlers.onEnded(frame.reason);
      return;
    } else if (frame.id && this.settle(frame.id, frame)) {
      return;
    }
    this.handlers.onFrame(frame);
  }

  closed(socket) {
    if (socket !== this.socket) {
      return;
    }
    this.ready = false;
    clearInterval(this.pingTimer);
    [...this.requests.keys()].forEach((id) => this.settle(id, new RequestError("network", "connection lost")));
    if (this.stopped) {
      return;
    }
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
    this.handlers.onState("waiting", Math.round(wait / 1000));
    this.retryTimer = setTimeout(() => this.open(), wait);
  }
}
