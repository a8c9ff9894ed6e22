// Shared by the dashboard and the family desk: the token, signing in and out, the connection badge, and calls to the API.
import { $ } from "./dom.js";
import { t } from "./i18n.js";

// Every call carries the token; without one (or with a refused one) the sign-in form shows.
const TOKEN_KEY = "coordinator.token";
export const token = () => localStorage.getItem(TOKEN_KEY);
export const forgetToken = () => localStorage.removeItem(TOKEN_KEY);
export const session = { source: null };
export class SignInNeeded extends Error {}
/** The API said no: code is its problem code (a RefusalCode, NotYourTeam, TooManyRequests, BodyTooLarge). */
class Refused extends Error {
  constructor(code, detail) {
    super(detail);
    this.code = code;
  }
}

/** GET without a body, POST with one; method overrides that (PUT for a layout). */
export async function api(path, body, method) {
  const r = await fetch(path, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers: { Accept: "application/json", Authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 401 || r.status === 403) throw new SignInNeeded(`${path}: ${r.status}`);
  const data = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
  if (!r.ok) throw new Refused(data?.code, data?.detail || `${path}: ${r.status}`);
  return data;
}

/**
 * One page of a list ({ items, next }): the first, or the one after the cursor `after` (the `next` of the page before).
 * Lists are read a page at a time, so a long list never arrives whole; a "more" control asks for the next page.
 */
export const page = (path, after) => api(after ? `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(after)}` : path);

/** Whom the token speaks for ({ subject, roles, team, expiresAt }): pages show controls by role. */
export const whoami = () => api("/api/session");

/** What to tell a person when a call failed: the refusal in plain words, or that the server was not reached. */
export const failureText = (err) => (err instanceof Refused && err.code ? t(`refusal.${err.code}`) : t("common.error.network"));

// The badge and the sign-in message keep their key in data-i18n, so a language switch retranslates them in place.
const CONNECTION = { connecting: "connecting", live: "live", reconnecting: "disconnected", retrying: "disconnected", signedOut: "disconnected" };

/** state: connecting, live, reconnecting, retrying or signedOut. */
export function showConnection(state) {
  const badge = $("connection");
  badge.dataset.i18n = `common.connection.${state}`;
  badge.textContent = t(badge.dataset.i18n);
  badge.className = `connection ${CONNECTION[state]}`;
}

/** messageKey: why the sign-in form shows, if there is more to say than "signed out". */
export function showSignIn(messageKey) {
  session.source?.close();
  $("sign-in").hidden = false;
  document.querySelector("main").hidden = true;
  const message = $("sign-in-error");
  if (messageKey) message.dataset.i18n = messageKey;
  else delete message.dataset.i18n;
  message.textContent = messageKey ? t(messageKey) : "";
  showConnection("signedOut");
}

/**
 * A live stream whose URL never carries the token: each connection opens with a single-use ticket asked for with
 * the token (POST {path}/ticket), and a dropped connection is opened again with a fresh one, resuming after the
 * last event received. listeners: { kind: (event) => … }; resumeFrom: the first connection's lastEventId.
 */
export function openStream(path, listeners, resumeFrom) {
  let last = resumeFrom;
  let source = null;
  let closed = false;
  const stream = { close() { closed = true; source?.close(); } };
  const reopenSoon = () => { if (!closed) { showConnection("reconnecting"); setTimeout(open, 1000); } };
  async function open() {
    if (closed) return;
    let ticket;
    try {
      ({ ticket } = await api(`${path}/ticket`, {}));
    } catch (err) {
      if (err instanceof SignInNeeded) { forgetToken(); showSignIn("common.tokenRefused"); } else reopenSoon();
      return;
    }
    const query = new URLSearchParams({ ticket });
    if (last) query.set("lastEventId", last);
    source = new EventSource(`${path}?${query}`);
    source.onopen = () => showConnection("live");
    // The ticket was spent on this connection: the browser's own retry would be refused, so a new ticket is fetched.
    source.onerror = () => { source.close(); reopenSoon(); };
    // The node ended the stream because its token expired or was revoked: sign in again instead of reconnecting.
    source.addEventListener("ended", (e) => {
      stream.close();
      forgetToken();
      showSignIn(`common.tokenEnded.${JSON.parse(e.data).reason}`);
    });
    for (const [kind, listener] of Object.entries(listeners))
      source.addEventListener(kind, (e) => { if (e.lastEventId) last = e.lastEventId; listener(e); });
  }
  session.source?.close();
  session.source = stream;
  open();
  return stream;
}

/** Wires the sign-in form and the sign-out button; start() runs once signed in. */
export function signInThen(start) {
  $("sign-in").onsubmit = (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("sign-in").hidden = true;
    document.querySelector("main").hidden = false;
    start();
  };
  $("sign-out").onclick = () => { forgetToken(); showSignIn(); };
}
