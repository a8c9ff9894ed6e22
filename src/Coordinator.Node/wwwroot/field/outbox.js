// The outbox: every report is stored with its id before anything is sent, goes out in the order made, and leaves
// "waiting" only for an answer that ends it: accepted, or refused by a rule. Nothing is ever dropped silently.
import { tx, req } from "./store.js";

const BATCH = 500;            // the node's limit per batch
const MAX_BACKOFF = 30_000;
const ANSWER_WITHIN = 60_000; // a link that hangs underground is given up and tried again
const KEEP_SENT = 50;         // sent reports shown; older ones are forgotten (they name persons found)
// A rule's refusal (the report will never be accepted as it is): shown and kept in the refused list.
const REFUSED = new Set([400, 404, 409, 413, 415, 422]);
// Another team's report (the phone was re-enrolled for a new team) is refused by a rule too, not a reason to stop.
const isRefusal = (status, code) => Boolean(code) && (REFUSED.has(status) || (status === 403 && code === "NotYourTeam"));

const listeners = new Set();
export const onChange = (fn) => listeners.add(fn);
// Other tabs of the app show the same outbox: they hear of every change made here.
const tabs = new BroadcastChannel("coordinator-field-outbox");
tabs.onmessage = () => listeners.forEach((fn) => fn());
const changed = () => { listeners.forEach((fn) => fn()); tabs.postMessage("changed"); };

/** A report id the node will never see from another report: the team (shortened if it must be), time, randomness. */
export function newReportId(team) {
  const random = crypto.getRandomValues(new Uint32Array(2)).reduce((s, n) => s + n.toString(36), "");
  const rest = `-${Date.now().toString(36)}-${random}`;
  return team.slice(0, 64 - rest.length) + rest;
}

/** Keeps a report; true once it is on the phone's disk. The same report id twice (a double tap) is kept once. */
export async function add(body) {
  try {
    await tx("reports", "readwrite", (s) => { s.add({ reportId: body.reportId, body, state: "waiting", madeAt: new Date().toISOString() }); });
  } catch (e) {
    if (e?.name !== "ConstraintError") throw e;
  }
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

/** Records what the node said about a report already sent (the marking to paint, read after a clearance). */
export async function annotate(seq, fields) {
  await tx("reports", "readwrite", async (s) => {
    const item = await req(s.get(seq));
    if (item) s.put(Object.assign(item, fields));
  });
  changed();
}

/** Forgets every report: only when nothing waits (signing the phone out). */
export async function clear() {
  await tx("reports", "readwrite", async (s) => {
    if ((await req(s.getAll())).some((r) => r.state === "waiting")) throw new Error("reports are waiting");
    s.clear();
  });
  changed();
}

// Delivery: one pass at a time, never two at once; a failed pass waits longer each time (capped, or as long as the
// node's Retry-After says), and any sign of a network (online, a new report, the app shown again) tries at once.
const state = { running: false, again: false, backoff: 1000, notBefore: 0, timer: null, token: null, blocked: false, batch: BATCH };

/** token: gives the current token; onTokenRefused: called on 401/403 for the whole request (re-enrol). */
export function start(token, onTokenRefused) {
  if (!state.token) {
    addEventListener("online", kick);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) kick(); });
  }
  state.token = token;
  state.onTokenRefused = onTokenRefused;
  state.blocked = false;
  kick();
}

export function kick() {
  if (!state.token || state.blocked) return;
  clearTimeout(state.timer);
  state.timer = null;
  const wait = state.notBefore - Date.now();
  if (wait > 0) { state.timer = setTimeout(kick, wait); return; }
  if (state.running) { state.again = true; return; }
  state.running = true;
  // One delivery at a time across every tab of the app on this phone too (the node would apply a double once,
  // but each tab would wait out the other's answers).
  const pass = () => deliver().catch(() => retryLater());
  const once = navigator.locks ? navigator.locks.request("coordinator-field-outbox", pass) : pass();
  once.finally(() => {
    state.running = false;
    if (state.again) { state.again = false; kick(); }
  });
}

/** serverWait: the node's Retry-After, which nothing cuts short; our own backoff gives way to any sign of a network. */
function retryLater(serverWait) {
  const wait = serverWait ?? state.backoff * (0.8 + Math.random() * 0.4);
  state.backoff = Math.min(state.backoff * 2, MAX_BACKOFF);
  state.notBefore = serverWait ? Date.now() + serverWait : 0;
  clearTimeout(state.timer);
  state.timer = setTimeout(kick, wait);
  changed();
}

const post = (path, body) => fetch(path, {
  method: "POST",
  headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${state.token()}` },
  body: JSON.stringify(body),
  signal: AbortSignal.timeout(ANSWER_WITHIN),
});

async function deliver() {
  for (;;) {
    const waiting = (await all()).filter((r) => r.state === "waiting").slice(0, state.batch);
    if (waiting.length === 0) { state.backoff = 1000; changed(); return; }
    let response;
    try {
      response = await post("/api/reports/batch", { reports: waiting.map((r) => r.body) });
    } catch {
      retryLater(); // no network, or no answer: the reports wait
      return;
    }
    if (response.status === 401 || response.status === 403) { refusedToken(); return; }
    let outcomes = null;
    if (response.ok) {
      const answer = await response.json().catch(() => null);
      // Only the node's own answer, report for report, settles anything (not a captive portal's page).
      if (answer?.outcomes?.length === waiting.length && answer.outcomes.every((o, i) => o.reportId == null || o.reportId === waiting[i].body.reportId))
        outcomes = answer.outcomes;
    } else if (response.status === 413 && state.batch > 1) {
      state.batch = Math.ceil(state.batch / 2); // a proxy with a smaller limit: smaller batches
      continue;
    } else if (response.status === 400 || response.status === 415) {
      outcomes = await oneByOne(waiting); // one report the node cannot read must not hold back the others
      if (outcomes === null) return;
    }
    if (outcomes === null) {
      const after = Number(response.headers.get("Retry-After"));
      retryLater(after > 0 ? after * 1000 : undefined);
      return;
    }
    const progress = await settle(waiting, outcomes);
    if (!progress) { retryLater(); return; }
    state.backoff = 1000;
  }
}

/** The same reports one request each, as answers of a batch; null when the token was refused on the way. */
async function oneByOne(reports) {
  const outcomes = [];
  for (const r of reports) {
    let response;
    try { response = await post("/api/reports", r.body); } catch { outcomes.push({ status: 0 }); continue; }
    const body = await response.json().catch(() => null);
    if (response.status === 401 || (response.status === 403 && body?.code !== "NotYourTeam")) { refusedToken(); return null; }
    outcomes.push(response.ok ? { status: response.status, accepted: body } : { status: response.status, problem: body?.code ? { code: body.code, detail: body.detail ?? "" } : null });
  }
  return outcomes;
}

function refusedToken() {
  state.blocked = true;
  changed();
  state.onTokenRefused?.();
}

/**
 * Applies each report's own answer. A report that must be tried again holds back every later report on the same
 * sector, so the node always sees a sector's reports in the order they were made.
 * Returns whether anything left the waiting list.
 */
async function settle(sent, outcomes) {
  const heldSectors = new Set();
  let progress = false;
  await tx("reports", "readwrite", async (s) => {
    sent.forEach((item, i) => {
      const o = outcomes[i] ?? { status: 0 };
      const sector = `${item.body.facilityId}/${item.body.sectorId}`;
      if (heldSectors.has(sector)) return;
      const at = new Date().toISOString();
      if (o.status >= 200 && o.status < 300) {
        // What the node now holds need not stay on the phone: a sent report keeps what the list shows, not the names.
        const { reportId, teamId, facilityId, sectorId, kind } = item.body;
        Object.assign(item, { state: "sent", sentAt: at, outcome: o.accepted, body: { reportId, teamId, facilityId, sectorId, kind } });
      } else if (isRefusal(o.status, o.problem?.code)) {
        Object.assign(item, { state: "refused", sentAt: at, problem: o.problem });
      } else {
        heldSectors.add(sector); // 403 of a token, 408, 429, 5xx, no answer: the same report, same id, goes again
        return;
      }
      progress = true;
      s.put(item);
    });
    const sentItems = (await req(s.getAll())).filter((r) => r.state === "sent");
    for (const old of sentItems.slice(0, Math.max(0, sentItems.length - KEEP_SENT))) s.delete(old.seq);
  });
  changed();
  return progress;
}
