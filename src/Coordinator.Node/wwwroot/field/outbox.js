// The outbox: every report is stored with its id before anything is sent, goes out in the order made, and leaves
// "waiting" only for an answer that ends it: accepted, or refused by a rule. Nothing is ever dropped silently.
import { tx, req } from "./store.js";

const BATCH = 500;            // the server's limit per batch
const MAX_BACKOFF = 30_000;
// A rule's refusal (the report will never be accepted as it is): shown and kept in the refused list.
const REFUSED = new Set([400, 404, 409, 413, 415, 422]);
// Another team's report (the phone was re-enrolled for a new team) is refused by a rule too, not a reason to stop.
const isRefusal = (status, code) => REFUSED.has(status) || (status === 403 && code === "NotYourTeam");

const listeners = new Set();
export const onChange = (fn) => listeners.add(fn);
const changed = () => listeners.forEach((fn) => fn());

/** A report id the server will never see twice from another report: team, time, and randomness. */
export function newReportId(team) {
  const random = crypto.getRandomValues(new Uint32Array(2)).reduce((s, n) => s + n.toString(36), "");
  return `${team}-${Date.now().toString(36)}-${random}`.slice(0, 64);
}

export async function add(body) {
  await tx("reports", "readwrite", (s) => { s.add({ reportId: body.reportId, body, state: "waiting", madeAt: new Date().toISOString() }); });
  changed();
  kick();
}

export const all = () => tx("reports", "readonly", (s) => req(s.getAll()));

export async function dismiss(seq) {
  await tx("reports", "readwrite", async (s) => {
    const item = await req(s.get(seq));
    if (item && item.state !== "waiting") { item.dismissed = true; s.put(item); }
  });
  changed();
}

/** Records what the server said about reports already sent (the marking to paint, read after a clearance). */
export async function annotate(seq, fields) {
  await tx("reports", "readwrite", async (s) => {
    const item = await req(s.get(seq));
    if (item) s.put(Object.assign(item, fields));
  });
  changed();
}

// Delivery: one batch at a time, never two at once; a failed try waits longer each time (capped), and any sign
// of a network (online event, a new report, the page shown again) tries at once.
const state = { running: false, again: false, backoff: 1000, timer: null, token: null, blocked: null };

/** token: a function giving the current token; onTokenRefused: called on 401/403 for the whole batch (re-enrol). */
export function start(token, onTokenRefused) {
  if (!state.token) {
    addEventListener("online", kick);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) kick(); });
  }
  state.token = token;
  state.onTokenRefused = onTokenRefused;
  state.blocked = null;
  kick();
}

export function kick() {
  if (!state.token || state.blocked) return;
  clearTimeout(state.timer);
  state.timer = null;
  if (state.running) { state.again = true; return; }
  state.running = true;
  deliver().finally(() => {
    state.running = false;
    if (state.again) { state.again = false; kick(); }
  });
}

function retryLater(ms) {
  state.backoff = Math.min(Math.max(ms ?? state.backoff * 2, 1000), MAX_BACKOFF);
  clearTimeout(state.timer);
  state.timer = setTimeout(kick, state.backoff * (0.8 + Math.random() * 0.4));
  changed();
}

async function deliver() {
  for (;;) {
    const waiting = (await all()).filter((r) => r.state === "waiting").slice(0, BATCH);
    if (waiting.length === 0) { state.backoff = 1000; changed(); return; }
    let response;
    try {
      response = await fetch("/api/reports/batch", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${state.token()}` },
        body: JSON.stringify({ reports: waiting.map((r) => r.body) }),
      });
    } catch {
      retryLater(); // no network: the reports wait
      return;
    }
    if (response.status === 401 || response.status === 403) {
      state.blocked = "token";
      changed();
      state.onTokenRefused?.();
      return;
    }
    if (!response.ok) {
      const after = Number(response.headers.get("Retry-After"));
      retryLater(after > 0 ? after * 1000 : undefined);
      return;
    }
    const { outcomes } = await response.json();
    const progress = await settle(waiting, outcomes);
    changed();
    if (!progress) { retryLater(); return; }
    state.backoff = 1000;
  }
}

/**
 * Applies each report's own answer. A report that must be tried again holds back every later report on the same
 * sector, so the server always sees a sector's reports in the order they were made.
 * Returns whether anything left the waiting list.
 */
async function settle(sent, outcomes) {
  const heldSectors = new Set();
  let progress = false;
  await tx("reports", "readwrite", (s) => {
    sent.forEach((item, i) => {
      const o = outcomes[i] ?? { status: 0 };
      const sector = `${item.body.facilityId}/${item.body.sectorId}`;
      if (heldSectors.has(sector)) return;
      const at = new Date().toISOString();
      if (o.status >= 200 && o.status < 300) {
        Object.assign(item, { state: "sent", sentAt: at, outcome: o.accepted });
      } else if (isRefusal(o.status, o.problem?.code)) {
        Object.assign(item, { state: "refused", sentAt: at, problem: o.problem ?? { code: String(o.status), detail: "" } });
      } else {
        heldSectors.add(sector); // 408, 429, 5xx: the same report, with the same id, goes again
        return;
      }
      progress = true;
      s.put(item);
    });
  });
  return progress;
}
