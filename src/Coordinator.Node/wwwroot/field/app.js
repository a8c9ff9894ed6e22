// The field app: enrol the phone, show the team where it is sent, make reports that wait on the phone until
// they are delivered, and show every report's fate. Assumes the network is gone; works when it is not.
import { loadLanguage, t, applyTo, languageSwitch, fmtNumber, fmtDate, fmtDuration } from "/i18n.js";
import { $, el } from "/dom.js";
import { getSetting, setSetting, deleteSetting } from "./store.js";
import * as outbox from "./outbox.js";
import { fieldsFor, read } from "./forms.js";
import { showIfSimulated } from "/operation.js";

const app = { session: null, briefing: null, items: [], refreshTimer: null };

// What a queued report will make of the sector, so the next sensible action shows before the server has heard.
// After a blocked, hazard or access-opened report the sector lets its team go: nothing more to report there.
const STATUS_AFTER = { Entered: "InProgress", Cleared: "Cleared", ClearedWithDeceased: "ClearedWithDeceased", Blocked: "Released", Hazard: "Released", AccessOpened: "Released" };
const ACTIONS = {
  Assigned: ["Entered", "Blocked", "AccessOpened", "Hazard"],
  InProgress: ["Cleared", "PersonsFound", "HiddenSpaceFound", "ClearedWithDeceased", "Blocked", "Hazard", "AccessOpened"],
  // The team that has just cleared may still report a hazard or a hidden space there (new evidence).
  Cleared: ["HiddenSpaceFound", "Hazard"],
  ClearedWithDeceased: ["HiddenSpaceFound", "Hazard"],
};

async function api(path, options = {}) {
  const r = await fetch(path, { ...options, headers: { Accept: "application/json", "Content-Type": "application/json",
    ...(app.session ? { Authorization: `Bearer ${app.session.token}` } : {}) } });
  const body = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
  return { status: r.status, body };
}

// ---- enrolment -------------------------------------------------------------------------------------------

async function showEnrolment(reason) {
  $("main").hidden = true;
  $("enrol").hidden = false;
  $("enrol-error").textContent = reason ? t(reason) : "";
  const waiting = app.items.filter((i) => i.state === "waiting").length;
  $("enrol-waiting").hidden = waiting === 0;
  $("enrol-waiting").textContent = t("field.enrol.waiting", { n: fmtNumber(waiting) });
  renderHeader();
}

/** This phone's own id, made once: a code redeemed again by the same phone (its answer lost) gives the same token. */
async function phoneId() {
  let id = await getSetting("phone");
  if (!id) { id = crypto.randomUUID(); await setSetting("phone", id); }
  return id;
}

/** Redeems a code; true once the phone has its token. */
async function enrol(code) {
  $("enrol-error").textContent = "";
  if (!navigator.onLine) { $("enrol-error").textContent = t("field.enrol.offline"); return false; }
  let answer;
  try {
    answer = await api("/api/enrolments/redeem", { method: "POST", body: JSON.stringify({ code, phone: await phoneId() }) });
  } catch {
    $("enrol-error").textContent = t("field.enrol.offline");
    return false;
  }
  if (answer.status !== 200) {
    const code = answer.body?.code;
    $("enrol-error").textContent = code ? t(`refusal.${code}`) : t("field.enrol.failed", { status: answer.status });
    return false;
  }
  app.session = answer.body;
  await setSetting("session", app.session);
  // Reports must outlive the browser's housekeeping: ask for storage it will not clear by itself.
  navigator.storage?.persist?.().catch(() => undefined);
  history.replaceState(null, "", location.pathname); // the code is spent: keep it out of the history
  $("enrol-code").value = "";
  await showMain();
  return true;
}

// ---- the team and its assignment --------------------------------------------------------------------------

async function refreshBriefing() {
  if (!app.session) return;
  try {
    const answer = await api(`/api/teams/${encodeURIComponent(app.session.team)}/briefing`);
    if (answer.status === 401 || answer.status === 403) { tokenRefused(); return; }
    if (answer.status === 200) {
      app.briefing = { ...answer.body, asOf: new Date().toISOString() };
      await setSetting("briefing", app.briefing);
    }
  } catch { /* offline: the last briefing stands, with its time */ }
  render();
}

function predictedStatus() {
  const a = app.briefing?.assignment;
  if (!a) return null;
  let status = a.sector.status;
  for (const item of app.items)
    if (item.state === "waiting" && item.body.facilityId === a.facilityId && item.body.sectorId === a.sector.id)
      status = STATUS_AFTER[item.body.kind] ?? status;
  return status;
}

function renderHeader() {
  const team = app.briefing?.team;
  $("call-sign").replaceChildren(app.session ? el("bdi", { textContent: `${team?.callSign ?? ""} · ${app.session.team}` }) : t("field.title"));
  $("team-status").textContent = team ? t(`teamStatus.${team.status}`) : "";
  $("team-status").hidden = !team;
  const waiting = app.items.filter((i) => i.state === "waiting").length;
  const net = $("network");
  const online = navigator.onLine;
  net.className = `chip ${!online ? "offline" : waiting ? "sending" : "online"}`;
  net.textContent = !online ? t("field.net.offline") : waiting ? t("field.net.sending", { n: fmtNumber(waiting) }) : t("field.net.online");
}

function renderAssignment() {
  const body = $("assignment-body");
  const a = app.briefing?.assignment;
  if (!app.briefing) { body.replaceChildren(el("p", { className: "meta", textContent: t("field.assignment.unknown") })); return; }
  if (!a) { body.replaceChildren(el("p", { textContent: t("field.assignment.none") })); return; }
  const s = a.sector;
  const status = predictedStatus();
  const team = app.briefing.team;
  const onSite = team.onSiteSince ? (Date.now() - Date.parse(team.onSiteSince)) / 1000 : null;
  body.replaceChildren(...[
    el("div", { className: "meta" }, el("bdi", { textContent: a.facilityName })),
    el("div", { className: "sector-name" }, el("bdi", { textContent: s.name }), " ", el("span", { className: "meta", dir: "ltr", textContent: `(${s.id})` })),
    // "›" is mirrored by the browser in right-to-left text, so it always points inwards.
    a.path.length ? el("div", { className: "path" }, ...a.path.flatMap((p, i) => [i ? " › " : "", el("bdi", { textContent: p.name })])) : null,
    el("div", {}, t("field.assignment.status"), ": ", status === "Released"
      ? el("span", { className: "status", textContent: t("field.assignment.released") })
      : el("span", { className: "status", style: `color:var(--${status})`, textContent: t(`status.${status}`) })),
    s.needs.length ? el("div", { className: "needs" }, t("field.assignment.needs"), ": ", ...s.needs.map((n) => el("span", { textContent: t(`capability.${n}`) }))) : null,
    s.hazard ? el("div", {}, el("span", { className: "hazard", dir: "auto", textContent: `${t("status.Hazard")}: ${s.hazard}` })) : null,
    onSite != null ? el("div", { className: "meta", textContent: t("field.assignment.onSite", { time: fmtDuration(onSite) }) }) : null,
    el("div", { className: "meta", textContent: t("field.assignment.asOf", { time: fmtDate(app.briefing.asOf) }) })].filter(Boolean));
}

function renderActions() {
  const box = $("actions");
  const a = app.briefing?.assignment;
  const kinds = (a && ACTIONS[predictedStatus()]) || [];
  const usable = kinds.filter((k) => k !== "AccessOpened" || a.sector.needs.length > 0);
  if (usable.length === 0) { box.replaceChildren(el("p", { className: "none", textContent: t("field.actions.none") })); return; }
  box.replaceChildren(...usable.map((kind, i) => {
    const b = el("button", { type: "button", className: i === 0 ? "primary" : "", textContent: t(`kind.${kind}`) });
    b.dataset.kind = kind;
    b.onclick = () => openReport(kind);
    return b;
  }));
}

// ---- reports ----------------------------------------------------------------------------------------------

// The report is about the sector shown when its form opened, and has its id from then: a briefing refreshed
// meanwhile does not move it, and a second tap on Save saves the same report, once.
let draft = null;

function openReport(kind) {
  const a = app.briefing.assignment;
  draft = { kind, facilityId: a.facilityId, sectorId: a.sector.id, reportId: outbox.newReportId(app.session.team), team: app.session.team };
  $("report-title").textContent = t(`kind.${kind}`);
  $("report-where").textContent = `${a.sector.name} (${a.sector.id})`;
  $("report-fields").replaceChildren(...fieldsFor(kind, a.sector));
  $("report-error").textContent = "";
  $("report-dialog").showModal();
}

async function saveReport(event) {
  event.preventDefault();
  if (!draft) return;
  const fields = read(draft.kind, $("report-form"));
  if (fields.error) { $("report-error").textContent = t(fields.error); return; }
  const { kind, facilityId, sectorId, reportId, team } = draft;
  try {
    await outbox.add({ reportId, teamId: team, facilityId, sectorId, kind, ...fields }); // on the phone's disk before the form closes
  } catch {
    $("report-error").textContent = t("field.error.notSaved");
    return;
  }
  draft = null;
  $("report-dialog").close();
}

const describe = (item) => `${t(`kind.${item.body.kind}`)} · ${item.body.sectorId}`;

function renderQueue() {
  const byState = (s) => app.items.filter((i) => i.state === s && !i.dismissed);
  const waiting = byState("waiting"), refused = byState("refused"), sent = byState("sent").slice(-30).reverse();
  $("queue-summary").textContent = t("field.queue.summary", {
    waiting: fmtNumber(waiting.length), refused: fmtNumber(refused.length), sent: fmtNumber(app.items.filter((i) => i.state === "sent").length) });
  $("waiting").replaceChildren(...waiting.map((i) => item(i, el("div", { className: "meta", textContent: t("field.queue.waitingSince", { time: fmtDate(i.madeAt) }) }))));
  $("refused").replaceChildren(...refused.map((i) => {
    const dismiss = el("button", { type: "button", textContent: t("field.queue.dismiss") });
    dismiss.onclick = () => outbox.dismiss(i.seq);
    return item(i, el("div", { className: "reason", textContent: t(`refusal.${i.problem.code}`) }),
      el("div", { className: "meta", dir: "auto", textContent: i.problem.detail }), dismiss);
  }));
  $("sent").replaceChildren(...sent.map((i) => item(i, el("div", { className: "meta",
    textContent: t("field.queue.accepted", { status: t(`status.${i.outcome?.sectorStatus}`), time: fmtDate(i.sentAt) }) }))));
}

function item(i, ...details) {
  const li = el("li", {}, el("div", { textContent: describe(i) }), ...details);
  li.dataset.report = i.reportId;
  li.dataset.kind = i.body.kind;
  return li;
}

// The marking comes from the record (the coverage the node keeps), so the paint and the record agree. The record
// is a moment behind the acknowledgement: asked again, less often each time, until it has it.
const marking = { asking: null, wait: 500 };

async function renderMarking() {
  const cleared = app.items.filter((i) => i.state === "sent" && ["Cleared", "ClearedWithDeceased"].includes(i.body.kind)).at(-1);
  $("marking").hidden = !cleared;
  if (!cleared) return;
  $("marking-sector").textContent = `${cleared.body.facilityId}/${cleared.body.sectorId}`;
  $("marking-text").textContent = cleared.marking ?? t("field.marking.waiting");
  if (cleared.marking || marking.asking === cleared.seq || !navigator.onLine) return;
  marking.asking = cleared.seq;
  let found = null;
  try {
    const answer = await api(`/api/facilities/${encodeURIComponent(cleared.body.facilityId)}/coverage?sector=${encodeURIComponent(cleared.body.sectorId)}`);
    found = answer.status === 200 ? answer.body?.[0]?.marking : null;
  } catch { /* offline: asked again when the network is back */ }
  if (found) { marking.wait = 500; await outbox.annotate(cleared.seq, { marking: found }); marking.asking = null; return; }
  marking.wait = Math.min(marking.wait * 2, 30_000);
  setTimeout(() => { marking.asking = null; renderMarking(); }, marking.wait);
}

// ---- wiring -----------------------------------------------------------------------------------------------

function render() {
  renderHeader();
  if (!app.session) return;
  renderAssignment();
  renderActions();
  renderQueue();
  renderMarking();
}

async function tokenRefused() {
  // The queue stays exactly as it is; only the token goes, and enrolment brings a new one. Another tab may have
  // enrolled again meanwhile: its session is not this tab's to delete.
  const refused = app.session?.token;
  app.session = null;
  if ((await getSetting("session"))?.token === refused) await deleteSetting("session");
  showEnrolment("field.enrol.expired");
}

async function showMain() {
  $("enrol").hidden = true;
  $("main").hidden = false;
  app.briefing = await getSetting("briefing");
  if (app.briefing?.team?.id !== app.session.team) app.briefing = null;
  outbox.start(() => app.session?.token, tokenRefused);
  render();
  await refreshBriefing();
  clearInterval(app.refreshTimer);
  app.refreshTimer = setInterval(refreshBriefing, 15000);
}

async function main() {
  await loadLanguage();
  showIfSimulated();
  $("language").replaceChildren(languageSwitch());
  addEventListener("languagechange-app", () => { applyTo(document); render(); if (!app.session) showEnrolment(); });
  outbox.onChange(async () => {
    const before = app.items.filter((i) => i.state === "waiting").length;
    app.items = await outbox.all();
    render();
    if (before > 0 && app.items.filter((i) => i.state === "waiting").length < before) refreshBriefing();
  });
  addEventListener("online", render);
  addEventListener("offline", render);
  $("enrol-form").onsubmit = (e) => { e.preventDefault(); enrol($("enrol-code").value); };
  $("report-form").onsubmit = saveReport;
  $("report-cancel").onclick = () => $("report-dialog").close();
  $("forget").onclick = async () => {
    if (app.items.some((i) => i.state === "waiting")) { alert(t("field.forget.waiting")); return; }
    if (!confirm(t("field.forget.confirm"))) return;
    await outbox.clear(); // what was sent is on the coordinator; the phone keeps no names
    await deleteSetting("session");
    await deleteSetting("briefing");
    location.reload();
  };
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(() => undefined);

  app.items = await outbox.all();
  app.session = await getSetting("session");
  const fromLink = new URLSearchParams(location.hash.slice(1)).get("enrol");
  if (app.session && Date.parse(app.session.expiresAt) <= Date.now()) { app.session = null; await deleteSetting("session"); }
  if (fromLink) {
    history.replaceState(null, "", location.pathname); // a code is kept in no history, used or not
    if (!app.session || confirm(t("field.enrol.again", { team: app.session.team }))) {
      const before = app.session;
      await showEnrolment();
      $("enrol-code").value = fromLink;
      if (await enrol(fromLink)) return;
      if (!before) return; // the enrolment screen says why
      alert($("enrol-error").textContent); // the phone stays enrolled as it was
    }
  }
  if (!app.session) { await showEnrolment(); return; }
  await showMain();
}

main();
