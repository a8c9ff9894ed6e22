// Coordinator dashboard: the board on load, then every change from the live stream, no reloads.
import { $, el, named, isolated } from "./dom.js";
import { loadLanguage, languageSwitch, t, fmtNumber, fmtDate, fmtDuration } from "./i18n.js";
import { api, page, token, forgetToken, SignInNeeded, signInThen, showSignIn, openStream, showConnection } from "./session.js";
import { shiftCell, keepShiftClocks } from "./shift.js";
import { Change } from "./changes.js";
import { wireReportLink } from "./report-link.js";
import { levelPlan, paintPlanCell } from "./plan.js";
import { showIfSimulated } from "./operation.js";
import * as leadCell from "./lead-cell.js";
import * as find from "./find.js";
import { offerSetup, alertFilters, shownAlert, acknowledgeButton } from "./lead-setup.js";

const STATUSES = ["Unsearched", "Assigned", "InProgress", "Blocked", "Hazard", "Cleared", "ClearedWithDeceased"];
const state = { board: null, selected: null, sectors: new Map(), opened: null, shiftClocks: null };
const underground = (level) => /(^|-)B\d+$/.test(level);
const list = (values, prefix) => values.map((v) => t(prefix + v)).join(t("common.listSeparator"));

function progressBar(p) {
  const bar = el("div", { className: "bar", title: t("board.barTitle", { percent: fmtNumber(p.percentFinal), leaves: fmtNumber(p.leaves) }) });
  const parts = [["Cleared", p.cleared], ["ClearedWithDeceased", p.clearedWithDeceased], ["InProgress", p.inProgress], ["Blocked", p.blocked], ["Hazard", p.hazard]];
  for (const [status, n] of parts) if (n > 0 && p.leaves > 0)
    bar.append(el("span", { style: `width:${(100 * n) / p.leaves}%;background:var(--${status})` }));
  return bar;
}

function renderFacilities() {
  const facilities = $("facilities");
  facilities.replaceChildren(el("h2", { textContent: t("board.facilities") }));
  for (const f of state.board.facilities) {
    const p = f.progress;
    const card = el("div", { className: "facility-card" + (f.id === state.selected ? " selected" : ""), tabIndex: 0 },
      el("div", { className: "name" }, named(f.name), f.signedOff ? el("span", { className: "signed", textContent: ` ✔ ${t("board.signedOff")}` }) : ""),
      progressBar(p),
      el("div", { className: "meta", textContent: t("board.facilityMeta", {
        percent: fmtNumber(p.percentFinal), leaves: fmtNumber(p.leaves), inProgress: fmtNumber(p.inProgress), blocked: fmtNumber(p.blocked),
        hazard: fmtNumber(p.hazard), alive: fmtNumber(p.personsAlive), deceased: fmtNumber(p.personsDeceased) }) }));
    card.dataset.facility = f.id;
    card.onclick = card.onkeydown = (ev) => { if (!ev.key || ev.key === "Enter") selectFacility(f.id); };
    facilities.append(card);
  }
}

function renderTeams() {
  const body = $("teams").tBodies[0];
  body.replaceChildren();
  for (const team of state.board.teams) {
    const onSite = team.secondsOnSite == null ? "—" : fmtDuration(team.secondsOnSite);
    const row = el("tr", {}, el("td", {}, team.id, " (", named(team.callSign), ")"), el("td", { textContent: t("teamStatus." + team.status) }),
      el("td", { textContent: team.sector ? `${team.sector.facilityId}/${team.sector.sectorId}` : "—" }),
      el("td", { textContent: onSite }), shiftCell(team, state.board.shiftLimitSeconds));
    row.dataset.team = team.id;
    body.append(row);
  }
}

/**
 * The open alerts of one kind on one sector (a shift's, on one team), newest first: one line that says the newest and how
 * many stand, and one "seen" for them all. Forty-nine persons-found reports from one cell are one line, not forty-nine.
 */
function alertGroups(alerts) {
  const groups = new Map();
  for (const a of alerts) {
    const key = [a.kind, a.facility, a.sector, a.kind.startsWith("Shift") ? a.team : ""].join("\u0000");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(a);
  }
  return [...groups.values()];
}

function alertItem(group) {
  const [a] = group;
  const item = el("li", { className: a.kind },
    el("strong", {}, t("alert." + a.kind), a.facility ? [" · ", named(`${a.facility}/${a.sector}`)] : "",
      group.length > 1 ? el("span", { className: "count", textContent: t("alerts.count", { count: fmtNumber(group.length) }) }) : ""),
    alertSays(group.length > 1 ? { ...a, facts: totals(group) } : a), el("time", { textContent: fmtDate(a.at), dateTime: a.at }),
    a.id ? acknowledgeButton(group, alertGone) : ""); // shift alerts come from the clock: nothing to acknowledge
  item.dataset.count = group.length;
  return item;
}

/** A group's facts: the newest alert's, with the persons of all its reports added up (49 reports of one alive: 49 alive). */
function totals(group) {
  const sum = (key) => group.reduce((n, a) => n + (a.facts?.[key] ?? 0), 0);
  return { ...group[0].facts, alive: sum("alive"), deceased: sum("deceased") };
}

/**
 * What an alert says, in the reader's words: its facts through the strings, ids and call signs isolated in the sentence,
 * and what a team or lead wrote (a hazard, a reason, a remark) as they wrote it.
 */
function alertSays(a) {
  const f = a.facts ?? {};
  const said = t("alertText." + a.kind, {
    alive: fmtNumber(f.alive ?? 0), deceased: fmtNumber(f.deceased ?? 0),
    needs: (f.needs ?? []).map((c) => t("capability." + c)).join(t("list.separator")),
    sector: isolated(a.sector), in: isolated(f.in ?? ""), callSign: isolated(f.callSign ?? ""), since: f.since ? fmtDate(f.since) : "",
    note: isolated(f.note ?? ""),
  });
  const note = f.note && !["Hazard", "Reopened"].includes(a.kind) ? [": ", named(f.note)] : "";
  return el("div", {}, said, note, a.team ? [" (", named(a.team), ")"] : "");
}

/** Acknowledged alerts leave the open list: by the lead's own click, or as any node's stream says. */
function alertGone(...ids) {
  state.board.openAlerts = state.board.openAlerts.filter((a) => !ids.includes(a.id));
  renderAlerts();
}

function renderAlerts() {
  alertFilters(state.board.facilities, renderAlerts);
  $("alerts").replaceChildren(...alertGroups(state.board.openAlerts.filter(shownAlert)).map(alertItem));
}

function renderLegend() {
  $("legend").replaceChildren(...STATUSES.map((s) => el("span", {}, el("i", { style: `background:var(--${s})` }), t("status." + s))));
}

function renderChart(facility) {
  const pts = facility.clearedOverTime;
  const svg = $("chart");
  if (pts.length < 1) { svg.replaceChildren(); return; }
  const t0 = Date.parse(pts[0].at), t1 = Math.max(Date.parse(pts[pts.length - 1].at), t0 + 1);
  const max = Math.max(1, ...pts.map((p) => p.leaves));
  const xy = pts.map((p) => `${(400 * (Date.parse(p.at) - t0)) / (t1 - t0)},${80 - (78 * p.final) / max}`).join(" ");
  svg.innerHTML = `<polyline fill="none" stroke="var(--Cleared)" stroke-width="2" points="${xy}"></polyline>`;
}

function renderFacilityHead(facility) {
  $("facility-name").textContent = `${facility.name}${facility.aliases.length ? " (" + facility.aliases.join(", ") + ")" : ""}`;
  leadCell.facilityDrawn();
}

async function selectFacility(id) {
  state.selected = id;
  const facility = state.board.facilities.find((f) => f.id === id);
  if (!facility) return;
  $("facility").hidden = false;
  renderFacilityHead(facility);
  renderFacilities();
  renderChart(facility);
  const sectors = await api(`/api/facilities/${encodeURIComponent(id)}/sectors`);
  state.sectors = new Map(sectors.map((s) => [s.id, s]));
  renderLevels(facility);
}

function renderLevels(facility) {
  const byLevel = new Map();
  for (const s of state.sectors.values()) {
    if (!byLevel.has(s.level)) byLevel.set(s.level, []);
    byLevel.get(s.level).push(s);
  }
  const order = facility.levels.map((l) => l.level);
  const levels = $("levels");
  levels.replaceChildren();
  for (const level of order) {
    const lp = facility.levels.find((l) => l.level === level).progress;
    if (lp.leaves === 0) continue; // buildings and other containers above any level
    const sectors = byLevel.get(level) || [];
    const cells = levelPlan(sectors, openSector, cellButton) ?? el("div", { className: "cells" }, ...sectors.map(cellButton));
    const meta = t("board.levelMeta", { percent: fmtNumber(lp.percentFinal), leaves: fmtNumber(lp.leaves) });
    levels.append(el("div", { className: "level" + (underground(level) ? " underground" : "") },
      el("h3", {}, named(level), el("small", { textContent: underground(level) ? `${t("board.underground")} · ${meta}` : meta })),
      cells));
  }
  find.cellsDrawn();
}

function cellButton(s) {
  const b = el("button", { className: "cell", title: "" });
  b.dataset.sector = s.id;
  paintCell(b, s);
  b.onclick = () => openSector(s.id);
  return b;
}

function paintCell(b, s) {
  b.dataset.status = s.status;
  b.style.background = `var(--${s.status})`;
  b.classList.toggle("hidden-space", s.kind === "HiddenSpace");
  b.classList.toggle("container", ["Level", "Building", "Wing", "Block", "Site"].includes(s.kind));
  b.title = `${s.id} · ${s.name} · ${t("status." + s.status)}${s.team ? " · " + s.team : ""}`;
  b.setAttribute("aria-label", b.title);
}

/** show: false redraws an open dialog with what changed, without opening it. */
async function openSector(id, show = true) {
  const f = encodeURIComponent(state.selected), s = encodeURIComponent(id);
  const [sector, coverage, history] = await Promise.all([
    api(`/api/facilities/${f}/sectors/${s}`), api(`/api/facilities/${f}/coverage?sector=${s}`), page(`/api/facilities/${f}/sectors/${s}/history`)]);
  state.opened = { sector, coverage, history: history.items, historyNext: history.next };
  renderSector();
  if (show && !$("sector-dialog").open) $("sector-dialog").showModal();
}

// A long history comes a page at a time, oldest first: "more" appends the next page.
$("sector-history-more").onclick = async () => {
  const { sector, historyNext } = state.opened;
  const next = await page(`/api/facilities/${encodeURIComponent(sector.facilityId)}/sectors/${encodeURIComponent(sector.id)}/history`, historyNext);
  state.opened = { ...state.opened, history: [...state.opened.history, ...next.items], historyNext: next.next };
  renderSector();
};

function renderSector() {
  const { sector, coverage, history } = state.opened;
  $("sector-title").textContent = `${sector.id} — ${sector.name}`;
  $("sector-status").textContent = [
    t("sectorKind." + sector.kind), t("status." + sector.status), sector.team && t("board.sector.team", { team: sector.team }),
    sector.needs.length ? t("board.sector.needs", { needs: list(sector.needs, "capability.") }) : t("board.sector.needsNothing"),
    t("board.sector.persons", { alive: fmtNumber(sector.personsAlive), deceased: fmtNumber(sector.personsDeceased) }),
  ].filter(Boolean).join(" · ");
  const row = coverage[0];
  // The marking is what is painted on the door, INSARAG's own notation: shown as written, in its own direction.
  $("sector-marking").replaceChildren(...(row && row.marking ? [`${t("board.marking")} `, named(row.marking)] : [t("board.noMarking")]));
  $("sector-visits").tBodies[0].replaceChildren(...(row ? row.visits : []).map((v) => el("tr", {},
    el("td", { textContent: v.team }), el("td", { textContent: list(v.capabilities, "capability.") }),
    el("td", { textContent: fmtDate(v.start) }), el("td", { textContent: fmtDate(v.end) }),
    el("td", { textContent: v.method ? t("method." + v.method) : "" }), el("td", { textContent: v.outcome ? t("status." + v.outcome) : "" }),
    el("td", { textContent: fmtNumber(v.alive) }), el("td", { textContent: fmtNumber(v.deceased) }), el("td", {}, named(v.note)))));
  $("sector-history").replaceChildren(...history.map((h) => el("li", {}, `${fmtDate(h.at)} · ${t("event." + h.event)} · `, named(h.by))));
  $("sector-history-more").hidden = !state.opened.historyNext;
  leadCell.sectorDrawn();
}

function onChange(kind, change) {
  const d = change.data;
  if (kind === Change.sector && change.facility === state.selected) {
    state.sectors.set(d.id, d);
    const b = document.querySelector(`.cell[data-sector="${CSS.escape(d.id)}"]`);
    if (b) paintCell(b, d); else if (!paintPlanCell(d)) selectFacility(state.selected);
    if ($("sector-dialog").open && state.opened?.sector.id === d.id) openSector(d.id, false);
  } else if (kind === Change.progress) {
    refreshBoardSoon();
  } else if (kind === Change.team) {
    refreshBoardSoon();
  } else if (kind === Change.alert) {
    state.board.openAlerts.unshift(d); // kept with the board, so a language switch redraws it too
    if (shownAlert(d)) renderAlerts(); // it joins its group, which moves to the top
  } else if (kind === Change.acknowledged) {
    alertGone(d.id);
  } else if (kind === Change.facility) {
    refreshBoardSoon();
  }
  find.changed(kind, change);
  leadCell.changed(kind, change);
}

// Progress and team changes come in bursts: fold them into one board read.
let refreshTimer = null;
function refreshBoardSoon() {
  if (refreshTimer) return;
  refreshTimer = setTimeout(async () => {
    refreshTimer = null;
    const board = await api("/api/board");
    const keepOffset = state.board.offset;
    state.board = board;
    state.board.offset = Math.max(keepOffset, board.offset);
    renderFacilities(); renderTeams(); renderAlerts();
    const f = board.facilities.find((x) => x.id === state.selected);
    if (f) { renderChart(f); renderLevelHeads(f); }
    else if (!state.selected && board.facilities.length) await selectFacility(board.facilities[0].id); // the first facility just arrived
  }, 250);
}

function renderLevelHeads(f) {
  if (document.querySelectorAll(".level").length !== f.levels.length) renderLevels(f);
}

function connect() {
  const kinds = [Change.sector, Change.progress, Change.team, Change.alert, Change.acknowledged, Change.facility];
  const listeners = Object.fromEntries(kinds.map((kind) => [kind, (e) => onChange(kind, JSON.parse(e.data))]));
  // The first connection resumes after the board we hold.
  const stream = openStream("/api/stream", { ...listeners, reset: () => { stream.close(); start(); } }, `${state.board.offset}-1000000`);
}

async function start() {
  if (!token()) { showSignIn(); return; }
  try {
    state.board = await api("/api/board");
  } catch (e) {
    if (e instanceof SignInNeeded) { forgetToken(); showSignIn("common.tokenRefused"); return; }
    showConnection("retrying");
    setTimeout(start, 2000);
    return;
  }
  renderLegend();
  renderFacilities(); renderTeams(); renderAlerts();
  find.initFind({ state, openSector });
  await leadCell.initLeadCell({ state, openSector });
  offerSetup().then(renderAlerts); // a lead's alerts carry an acknowledge button
  if (!state.selected && state.board.facilities.length) await selectFacility(state.board.facilities[0].id);
  else if (state.selected) await selectFacility(state.selected);
  clearInterval(state.shiftClocks);
  state.shiftClocks = keepShiftClocks(state.board.shiftLimitSeconds, refreshBoardSoon);
  connect();
}

// A language switch redraws from what the page already holds: nothing is read from the server again.
window.addEventListener("languagechange-app", () => {
  if (!state.board) return;
  renderLegend(); renderFacilities(); renderTeams(); renderAlerts();
  const f = state.board.facilities.find((x) => x.id === state.selected);
  if (f) { renderFacilityHead(f); renderLevels(f); }
  if (state.opened) renderSector();
});

await loadLanguage();
showIfSimulated();
document.querySelector("header").append(languageSwitch());
wireReportLink(() => state.selected);
signInThen(start);
start();
