// Building DOM from data. Text goes in with textContent only: nothing a user typed is ever parsed
// as HTML, so `<img src=x onerror=alert(1)>` shows as those characters.

/** el("li", { class: "msg", "aria-label": name }, child, "text", …); strings become text nodes. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name.startsWith("on")) {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  for (const child of children) {
    if (child !== null && child !== undefined) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  }
  return node;
}

export function $(id) {
  return document.getElementById(id);
}
