// Coordinator dashboard: the board on load, then every change from the live stream, no reloads.
"use strict";
const STATUSES = ["Unsearched", "Assigned", "InProgress", "Blocked", "Hazard", "Cleared", "ClearedWithDeceased"];
const state = { board: null, selected: null, sectors: new Map() };
const underground = (level) => /(^|-)B\d+$/.test(level);

function progressBar(p) {
  const bar = el("div", { className: "bar", title: `${p.percentFinal}% of ${p.leaves} sectors searched` });
  const parts = [["Cleared", p.cleared], ["ClearedWithDeceased", p.clearedWithDeceased], ["InProgress", p.inProgress], ["Blocked", p.blocked], ["Hazard", p.hazard]];
  for (const [status, n] of parts) if (n > 0 && p.leaves > 0)
    bar.append(el("span", { style: `width:${(100 * n) / p.leaves}%;background:var(--${status})` }));
  return bar;
}

function renderFacilities() {
  const list = $("facilities");
  list.replaceChildren(el("h2", { textContent: "Facilities" }));
  for (const f of state.board.facilities) {
    const p = f.progress;
    const card = el("div", { className: "facility-card" + (f.id === state.selected ? " selected" : ""), tabIndex: 0 },
      el("div", { className: "name", textContent: f.name }, f.signedOff ? el("span", { className: "signed", textContent: " ✔ signed off" }) : ""),
      progressBar(p),
      el("div", { className: "meta", textContent: `${p.percentFinal}% searched · ${p.leaves} sectors · ${p.inProgress} in progress · ${p.blocked} blocked · ${p.hazard} hazard · alive ${p.personsAlive} · deceased ${p.personsDeceased}` }));
    card.dataset.facility = f.id;
    card.onclick = card.onkeydown = (ev) => { if (!ev.key || ev.key === "Enter") selectFacility(f.id); };
    list.append(card);
  }
}

function renderTeams() {
  const body = $("teams").tBodies[0];
  body.replaceChildren();
  for (const t of state.board.teams) {
    const onSite = t.secondsOnSite == null ? "—" : `${Math.floor(t.secondsOnSite / 3600)}h${String(Math.floor((t.secondsOnSite % 3600) / 60)).padStart(2, "0")}`;
    const row = el("tr", {}, el("td", { textContent: `${t.id} (${t.callSign})` }), el("td", { textContent: t.status }),
      el("td", { textContent: t.sector ? `${t.sector.facilityId}/${t.sector.sectorId}` : "—" }),
      el("td", { textContent: onSite + (t.pastShift ? " past shift" : ""), className: t.pastShift ? "past-shift" : "" }));
    row.dataset.team = t.id;
    body.append(row);
  }
}

function alertItem(a) {
  return el("li", { className: a.kind }, el("strong", { textContent: `${a.kind} · ${a.facility}/${a.sector}` }),
    el("div", { textContent: a.text + (a.team ? ` (${a.team})` : "") }), el("time", { textContent: new Date(a.at).toLocaleString() }));
}

function renderAlerts() { $("alerts").replaceChildren(...state.board.openAlerts.map(alertItem)); }

function renderChart(facility) {
  const pts = facility.clearedOverTime;
  const svg = $("chart");
  if (pts.length < 1) { svg.replaceChildren(); return; }
  const t0 = Date.parse(pts[0].at), t1 = Math.max(Date.parse(pts[pts.length - 1].at), t0 + 1);
  const max = Math.max(1, ...pts.map((p) => p.leaves));
  const xy = pts.map((p) => `${(400 * (Date.parse(p.at) - t0)) / (t1 - t0)},${80 - (78 * p.final) / max}`).join(" ");
  svg.innerHTML = `<polyline fill="none" stroke="var(--Cleared)" stroke-width="2" points="${xy}"></polyline>`;
}

async function selectFacility(id) {
  state.selected = id;
  const facility = state.board.facilities.find((f) => f.id === id);
  if (!facility) return;
  $("facility").hidden = false;
  $("facility-name").textContent = `${facility.name}${facility.aliases.length ? " (" + facility.aliases.join(", ") + ")" : ""}`;
  $("report-link").href = `/facilities/${encodeURIComponent(id)}/report`;
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
    const cells = el("div", { className: "cells" });
    for (const s of byLevel.get(level) || []) cells.append(cellButton(s));
    levels.append(el("div", { className: "level" + (underground(level) ? " underground" : "") },
      el("h3", {}, level, el("small", { textContent: `${underground(level) ? "underground · " : ""}${lp.percentFinal}% searched · ${lp.leaves} sectors` })),
      cells));
  }
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
  b.title = `${s.id} · ${s.name} · ${s.status}${s.team ? " · " + s.team : ""}`;
  b.setAttribute("aria-label", b.title);
}

async function openSector(id) {
  const f = encodeURIComponent(state.selected), s = encodeURIComponent(id);
  const [sector, coverage, history] = await Promise.all([
    api(`/api/facilities/${f}/sectors/${s}`), api(`/api/facilities/${f}/coverage?sector=${s}`), api(`/api/facilities/${f}/sectors/${s}/history`)]);
  $("sector-title").textContent = `${sector.id} — ${sector.name}`;
  $("sector-status").textContent = `${sector.kind} · ${sector.status}${sector.team ? " · team " + sector.team : ""} · needs ${sector.needs.join(", ") || "nothing special"} · alive ${sector.personsAlive} · deceased ${sector.personsDeceased}`;
  const row = coverage[0];
  $("sector-marking").textContent = row && row.marking ? `Marking: ${row.marking}` : "No marking yet";
  $("sector-visits").tBodies[0].replaceChildren(...(row ? row.visits : []).map((v) => el("tr", {},
    ...[v.team, v.capabilities.join(" "), v.start && new Date(v.start).toLocaleString(), v.end && new Date(v.end).toLocaleString(), v.method, v.outcome, v.alive, v.deceased, v.note]
      .map((x) => el("td", { textContent: x ?? "" })))));
  $("sector-history").replaceChildren(...history.map((h) => el("li", { textContent: `${new Date(h.at).toLocaleString()} · ${h.event} · ${h.by}` })));
  $("sector-dialog").showModal();
}

function onChange(kind, change) {
  const d = change.data;
  if (kind === "sector" && change.facility === state.selected) {
    state.sectors.set(d.id, d);
    const b = document.querySelector(`.cell[data-sector="${CSS.escape(d.id)}"]`);
    if (b) paintCell(b, d); else selectFacility(state.selected);
  } else if (kind === "progress") {
    refreshBoardSoon();
  } else if (kind === "team") {
    refreshBoardSoon();
  } else if (kind === "alert") {
    $("alerts").prepend(alertItem(d));
  } else if (kind === "facility") {
    refreshBoardSoon();
  }
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
  const status = $("connection");
  // First connection resumes after the board we hold; the browser resumes by itself after that.
  const source = new EventSource(`/api/stream?lastEventId=${state.board.offset}-1000000&access_token=${encodeURIComponent(token())}`);
  session.source = source;
  source.onopen = () => { status.textContent = "live"; status.className = "connection live"; };
  source.onerror = () => { status.textContent = "disconnected — reconnecting…"; status.className = "connection disconnected"; };
  for (const kind of ["sector", "progress", "team", "alert", "facility"])
    source.addEventListener(kind, (e) => onChange(kind, JSON.parse(e.data)));
  source.addEventListener("reset", () => { source.close(); start(); });
}

async function start() {
  if (!token()) { showSignIn(); return; }
  try {
    state.board = await api("/api/board");
  } catch (e) {
    if (e instanceof SignInNeeded) { localStorage.removeItem(TOKEN_KEY); showSignIn("that token was refused"); return; }
    $("connection").textContent = "disconnected — retrying…";
    $("connection").className = "connection disconnected";
    setTimeout(start, 2000);
    return;
  }
  $("legend").replaceChildren(...STATUSES.map((s) => el("span", {}, el("i", { style: `background:var(--${s})` }), s)));
  renderFacilities(); renderTeams(); renderAlerts();
  if (!state.selected && state.board.facilities.length) await selectFacility(state.board.facilities[0].id);
  else if (state.selected) await selectFacility(state.selected);
  connect();
}

signInThen(start);
start();
