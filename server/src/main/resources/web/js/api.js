// The HTTP API (docs/PROTOCOL.md §7): JSON in and out, errors as ApiError with the server's code.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function api(path, { method = "GET", body, token } = {}) {
  const headers = {};
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, "network", String(e));
  }
  const json = (response.headers.get("Content-Type") || "").startsWith("application/json")
    ? await response.json()
    : null;
  if (!response.ok) {
    const error = json && json.error ? json.error : { code: "other", message: `HTTP ${response.status}` };
    throw new ApiError(response.status, error.code, error.message);
  }
  return json;
}

/** Ids for `send`: random, and made without crypto.randomUUID, which plain-HTTP LAN pages lack. */
export function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** "1.5 MB", for people. */
export function formatBytes(n) {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
