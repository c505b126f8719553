// History paging (PROTOCOL.md §5.8, §5.18). A conversation shows one unbroken run of its log, from
// `oldest` to the newest message: the newest page when it opens, then older pages as the person
// scrolls up, each asked for `before` the oldest one loaded. Messages that came live or by replay
// before the first page (on a new device the unread replay can be older than the newest page)
// wait outside the run until paging reaches them, so the pane never shows a gap and says "start
// of the conversation" only once the server has nothing older.

export const PAGE = 50;

/**
 * Loads the page before `before` (null: the newest) with `request` (LiveConnection.request) into
 * the conversation's messages, and moves `oldest` back to it.
 */
export async function loadPage(request, conversation, before, address) {
  const frame = { type: "history", ...address, limit: PAGE };
  if (before !== null) {
    frame.before = before;
  }
  const { messages } = await request(frame);
  // History holds each message's current state (an edit, a deletion), so it wins.
  messages.forEach((message) => conversation.messages.set(message.seq, message));
  conversation.exhausted = messages.length < PAGE;
  conversation.oldest = conversation.exhausted ? 0 : messages[0].seq;
}

/** The messages to show, oldest first: the loaded run, or everything known before the first page. */
export function shownMessages(conversation) {
  const from = conversation.loaded ? conversation.oldest : 0;
  return [...conversation.messages.values()].filter((message) => message.seq >= from).sort((a, b) => a.seq - b.seq);
}
