// A message's text as DOM: http(s) links become links that open in a new tab without telling the
// target where they came from, and the `@name`s the server recognised (`mentions`, CONTRACT of
// issue 13) are marked. Everything else stays text nodes: nothing a user typed is parsed as HTML.

import { el } from "./dom.js";

const LINK = /\bhttps?:\/\/[^\s<>"]+/giu;
/** Punctuation that ends a sentence rather than a link: "see https://x.org/a." links https://x.org/a. */
const TRAILING = /[.,;:!?'")\]}»”’。，；：！？）】」』]+$/u;
const MENTION = /@([\p{L}\p{N}_.-]+)/gu;

/** The link for `candidate` if it is a well-formed http or https URL, else null. */
function safeUrl(candidate) {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (e) {
    return null;
  }
}

/** Plain text with the recognised mentions wrapped in `<span class="mention">`. */
function withMentions(text, names, nodes) {
  let at = 0;
  for (const match of text.matchAll(MENTION)) {
    let name = match[1];
    while (name && !names.has(name.toLowerCase())) {
      const shorter = name.replace(/[_.-]$/u, "");
      name = shorter === name ? "" : shorter;
    }
    if (!name) {
      continue;
    }
    nodes.push(text.slice(at, match.index), el("span", { class: "mention" }, `@${name}`));
    at = match.index + 1 + name.length;
  }
  nodes.push(text.slice(at));
}

/** `<p class="text">` for a message's text, with links and mentions. */
export function richText(text, mentions = []) {
  const names = new Set(mentions.map((name) => name.toLowerCase()));
  const nodes = [];
  let at = 0;
  for (const match of text.matchAll(LINK)) {
    const raw = match[0].replace(TRAILING, "");
    const href = safeUrl(raw);
    if (!href) {
      continue;
    }
    withMentions(text.slice(at, match.index), names, nodes);
    nodes.push(el("a", { href, target: "_blank", rel: "noopener noreferrer", class: "link" }, raw));
    at = match.index + raw.length;
  }
  withMentions(text.slice(at), names, nodes);
  return el("p", { class: "text" }, ...nodes.filter((node) => node !== ""));
}
