// Resumable uploads with tus 1.0 (PROTOCOL.md §7.11). The upload URL is remembered in
// localStorage under a fingerprint of the file and its recipient (a user or a room), so that after a dropped
// network or a page reload, choosing the same file again continues from the server's offset.

// Each PATCH ends with the server forcing the body to disk and recording the offset, during which
// the link is idle; chunks grow with the measured rate so that this wait is a small part of each.
const FIRST_CHUNK_BYTES = 4 * 1024 * 1024;
// At most 64 MiB: the body size the README's proxy examples allow.
const MAX_CHUNK_BYTES = 64 * 1024 * 1024;
const CHUNK_SECONDS = 2;
/** Lets a test make uploads take many requests without big files; absent in normal use. */
const CHUNK_SETTING = "parley.uploadChunkBytes";

function configuredChunkBytes() {
  const configured = Number(localStorage.getItem(CHUNK_SETTING));
  return Number.isInteger(configured) && configured > 0 ? configured : null;
}

/** The next chunk's size: what the last one's rate sends in CHUNK_SECONDS, within bounds. */
export function nextChunkBytes(bytes, seconds) {
  const rate = seconds > 0 ? bytes / seconds : MAX_CHUNK_BYTES;
  return Math.min(MAX_CHUNK_BYTES, Math.max(FIRST_CHUNK_BYTES, Math.round(rate * CHUNK_SECONDS)));
}

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  bytes.forEach((b) => { binary += String.fromCharCode(b); });
  return btoa(binary);
}

export function fingerprint(me, recipient, file) {
  return `parley.upload:${me}:${recipient}:${file.name}:${file.size}:${file.lastModified}`;
}

export class Upload {
  /**
   * @param onProgress called with (sentBytes, totalBytes, bytesPerSecond)
   * @param onState called with "running" | "paused" | "done" | "failed" | "cancelled", and an error
   *     message for "failed"
   * @param to the recipient's username, or else room: the room's id
   */
  constructor({ token, me, to, room, file, onProgress, onState }) {
    Object.assign(this, { token, me, to, room, file, onProgress, onState });
    this.key = fingerprint(me, room ? `#${room}` : to, file);
    this.offset = 0;
    this.url = null;
    this.request = null;
    this.paused = false;
    this.running = false;
    this.cancelled = false;
  }

  headers(extra = {}) {
    return { "Tus-Resumable": "1.0.0", Authorization: `Bearer ${this.token}`, ...extra };
  }

  async start() {
    this.paused = false;
    this.running = true;
    this.onState("running");
    try {
      await this.locate();
      await this.sendChunks();
    } catch (e) {
      if (!this.cancelled) {
        this.onState(this.paused ? "paused" : "failed", e.message);
      }
    } finally {
      this.running = false;
      if (this.cancelled) {
        await this.terminate();
      }
    }
  }

  /** Stops sending; the server keeps what it has, and start() goes on from there. */
  pause() {
    this.paused = true;
    this.request?.abort();
  }

  /**
   * Stops for good and has the server drop the bytes (tus termination), at once when stopped, or
   * once a running start() has come to a halt (it may be creating the upload just now).
   */
  cancel() {
    this.cancelled = true;
    localStorage.removeItem(this.key);
    this.onState("cancelled");
    if (this.running) {
      this.pause();
    } else {
      this.terminate();
    }
  }

  async terminate() {
    if (this.url) {
      await fetch(this.url, { method: "DELETE", headers: this.headers() }).catch(() => null);
    }
  }

  /** Finds where the server stands: the remembered upload's offset, or a new upload at 0. */
  async locate() {
    const remembered = localStorage.getItem(this.key);
    if (remembered) {
      const head = await fetch(remembered, { method: "HEAD", headers: this.headers(), cache: "no-store" });
      if (head.ok) {
        this.url = remembered;
        this.offset = Number(head.headers.get("Upload-Offset"));
        return;
      }
      localStorage.removeItem(this.key);
    }
    const metadata = [`filename ${base64(this.file.name)}`,
      this.room ? `room ${base64(this.room)}` : `to ${base64(this.to)}`];
    if (this.file.type) {
      metadata.push(`type ${base64(this.file.type)}`);
    }
    const created = await fetch("/api/v1/uploads", {
      method: "POST",
      headers: this.headers({ "Upload-Length": String(this.file.size), "Upload-Metadata": metadata.join(",") }),
    });
    if (created.status !== 201) {
      throw new Error(errorText(created.status, await created.text()));
    }
    this.url = created.headers.get("Location");
    this.offset = 0;
    localStorage.setItem(this.key, this.url);
  }

  async sendChunks() {
    const fixed = configuredChunkBytes();
    let size = fixed ?? FIRST_CHUNK_BYTES;
    const started = performance.now();
    const startOffset = this.offset;
    const progress = (sent) => {
      const seconds = (performance.now() - started) / 1000;
      this.onProgress(sent, this.file.size, seconds > 0 ? (sent - startOffset) / seconds : 0);
    };
    progress(this.offset);
    while (this.offset < this.file.size) {
      if (this.paused) {
        throw new Error("stopped");
      }
      const body = this.file.slice(this.offset, Math.min(this.offset + size, this.file.size));
      const sentAt = performance.now();
      const response = await this.patch(body, (loaded) => progress(this.offset + loaded));
      if (response.status !== 204) {
        throw new Error(errorText(response.status, response.responseText));
      }
      this.offset = Number(response.getResponseHeader("Upload-Offset"));
      if (fixed === null) {
        size = nextChunkBytes(body.size, (performance.now() - sentAt) / 1000);
      }
      progress(this.offset);
    }
    localStorage.removeItem(this.key);
    this.onState("done");
  }

  /**
   * One PATCH with XMLHttpRequest rather than fetch, because only XHR reports how much of a body
   * has gone out: the bar moves within a chunk instead of jumping a chunk at a time.
   */
  patch(body, onSent) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      this.request = request;
      request.open("PATCH", this.url);
      Object.entries(this.headers({ "Content-Type": "application/offset+octet-stream", "Upload-Offset": String(this.offset) }))
        .forEach(([name, value]) => request.setRequestHeader(name, value));
      request.upload.addEventListener("progress", (event) => onSent(event.loaded));
      request.addEventListener("load", () => resolve(request));
      request.addEventListener("error", () => reject(new Error("network error")));
      request.addEventListener("abort", () => reject(new Error("stopped")));
      request.send(body);
    });
  }
}

/** The server's error message from a refused tus request's body, or its status. */
function errorText(status, body) {
  try {
    return JSON.parse(body).error.message;
  } catch (e) {
    return `HTTP ${status}`;
  }
}
