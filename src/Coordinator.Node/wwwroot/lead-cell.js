// A lead's actions on the board: in a cell's dialog, the teams for it best first (one click assigns), recall and
// reopen; in the facility head, sign-off, whose refusal lists the cells that block it. Shown to lead tokens only:
// a monitor's page never draws them. The board and the dialog change from the live stream, as for everyone.
import { $, el, named } from "./dom.js";
import { t, fmtDuration } from "./i18n.js";
import { api, whoami, failureText } from "./session.js";
import { outstandingList } from "./find.js";
import { Change } from "./changes.js";

let board = null; // from app.js: { state, openSector }
let lead = false;
// What the dialog shows for its sector: kept, so a language switch redraws it without asking the server again.
const cell = { sector: null, suggestions: null, message: null };
let signOff = { facility: null, outcome: null };

const list = (values, prefix) => values.map((v) => t(prefix + v)).join(t("common.listSeparator"));
const place = (s) => `${s.facilityId}/${s.sectorId}`;

/** board: app.js's state and openSector(id); asks whom the token speaks for, once per sign-in. */
export async function initLeadCell(b) {
  board = b;
  try { lead = (await whoami()).roles.includes("lead"); } catch { lead = false; }
  facilityDrawn();
}

/** app.js calls this when it draws the selected facility's head. */
export function facilityDrawn() {
  const box = $("facility-actions");
  box.hidden = !lead || !board?.state.selected;
  if (box.hidden) { box.replaceChildren(); return; }
  if (signOff.facility !== board.state.selected) signOff = { facility: board.state.selected, outcome: null };
  const button = el("button", { type: "button", id: "sign-off", textContent: t("cell.signOff") });
  button.onclick = () => signOffFacility(signOff.facility);
  const o = signOff.outcome;
  box.replaceChildren(button, o === null ? "" : o.done
    ? el("p", { id: "sign-off-result", role: "status", className: "done", textContent: t("cell.signedOff") })
    : el("div", { id: "sign-off-result", role: "alert" },
      el("p", { textContent: o.outstanding ? t("cell.signOffRefused", { count: o.outstanding.count }) : failureText(o.error) }),
      o.outstanding ? outstandingList(o.outstanding) : ""));
}

async function signOffFacility(facility) {
  const f = encodeURIComponent(facility);
  try {
    await api(`/api/facilities/${f}/signoff`, {});
    signOff.outcome = { done: true };
  } catch (err) {
    // The refusal names a few sectors; the full list, grouped by why, is the board's own.
    const outstanding = err.code === "FacilityHasUnsearchedSectors" ? await api(`/api/facilities/${f}/outstanding`).catch(() => null) : null;
    signOff.outcome = { error: err, outstanding };
  }
  if (facility === board.state.selected) facilityDrawn();
}

/** app.js calls this each time it draws the dialog's sector. */
export function sectorDrawn() {
  const box = $("cell-actions");
  box.hidden = !lead;
  if (!lead) { box.replaceChildren(); return; }
  const { sector } = board.state.opened;
  if (cell.sector?.facilityId !== sector.facilityId || cell.sector?.id !== sector.id) {
    Object.assign(cell, { sector, suggestions: null, message: null });
    loadSuggestions();
  } else if (cell.sector.version !== sector.version) {
    cell.sector = sector;
    loadSuggestions();
  }
  render();
}

/**
 * From the live stream: a team changing (assigned, recalled, resting) changes who can take the cell; a sign-off
 * revoked (a sector reopened, a hidden space found) must not go on saying "signed off".
 */
export function changed(kind, change) {
  if (lead && kind === Change.team && $("sector-dialog").open && cell.sector) loadSuggestionsSoon();
  if (kind === Change.facility && change.facility === signOff.facility && signOff.outcome?.done && !change.data.signedOff) {
    signOff.outcome = null;
    facilityDrawn();
  }
}

let timer = null;
function loadSuggestionsSoon() {
  if (timer) return;
  timer = setTimeout(() => { timer = null; loadSuggestions(); }, 250);
}

async function loadSuggestions() {
  const { facilityId, id } = cell.sector;
  try {
    const suggestions = await api(`/api/facilities/${encodeURIComponent(facilityId)}/sectors/${encodeURIComponent(id)}/suggestions`);
    if (cell.sector?.id === id && cell.sector.facilityId === facilityId) { cell.suggestions = suggestions; render(); }
  } catch (err) {
    cell.message = { refused: true, text: () => failureText(err) };
    render();
  }
}

function render() {
  const { sector, suggestions, message } = cell;
  const parts = [el("h4", { textContent: t("cell.heading") })];
  if (message) parts.push(el("p", { id: "cell-message", role: message.refused ? "alert" : "status", className: message.refused ? "refused" : "done", textContent: message.text() }));
  if (sector.team) {
    const recall = el("button", { type: "button", id: "recall", textContent: t("cell.recall", { team: sector.team }) });
    recall.onclick = () => act(() => api(`/api/teams/${encodeURIComponent(sector.team)}/recall`, {}), () => t("cell.recalled", { team: sector.team }));
    parts.push(el("p", {}, recall));
  }
  if (["Cleared", "ClearedWithDeceased", "Hazard"].includes(sector.status)) parts.push(reopenForm(sector));
  if (suggestions) parts.push(...suggestionLists(suggestions));
  $("cell-actions").replaceChildren(...parts);
}

function reopenForm(sector) {
  const reason = el("textarea", { id: "reopen-reason", required: true, rows: 2, maxLength: 2000 });
  const form = el("form", { id: "reopen", className: "stacked" },
    el("label", {}, t("cell.reopenReason"), reason),
    el("button", { type: "submit", textContent: t("cell.reopen") }));
  form.onsubmit = (e) => {
    e.preventDefault();
    const f = encodeURIComponent(sector.facilityId), s = encodeURIComponent(sector.id);
    act(() => api(`/api/facilities/${f}/sectors/${s}/reopen`, { reason: reason.value.trim() }), () => t("cell.reopened"));
  };
  return el("div", {}, el("h4", { textContent: t("cell.reopenHeading") }), form);
}

function suggestionLists(s) {
  if (s.teams.length === 0) return [el("p", { className: "meta", textContent: t("cell.noTeams") })];
  const able = s.teams.filter((x) => x.canTakeNow), unable = s.teams.filter((x) => !x.canTakeNow);
  return [
    // A sector no team can take right now (being searched, searched) says so once, not once per team.
    s.sectorRefusal ? el("p", { className: "meta", textContent: t("cell.bar.SectorNotAssignable", { status: t("status." + s.status) }) })
      : el("h4", { textContent: t("cell.assignHeading") }),
    able.length ? el("ol", { id: "suggestions", className: "suggestions" }, ...able.map((x) => teamItem(x, true))) : "",
    unable.length && !s.sectorRefusal ? el("h4", { className: "meta", textContent: t("cell.cannotHeading") }) : "",
    unable.length && !s.sectorRefusal ? el("ul", { id: "cannot", className: "suggestions cannot" }, ...unable.map((x) => teamItem(x, false))) : "",
  ];
}

function teamItem(team, able) {
  const reasons = able ? team.why.map(whyText) : team.whyNot.map(barText);
  const button = el("button", { type: "button", className: able ? "assign" : "assign link", textContent: t(able ? "cell.assign" : "cell.tryAnyway") });
  if (!able) button.title = t("cell.tryAnywayTitle");
  button.onclick = () => assign(team);
  const item = el("li", { className: able ? "can" : "cannot" },
    el("strong", {}, team.team, " (", named(team.callSign), ")"), " ", el("span", { className: "why", textContent: reasons.join(" · ") }), " ", button);
  item.dataset.team = team.team;
  return item;
}

function whyText(r) {
  return t("cell.why." + r.code, {
    capabilities: list(r.capabilities ?? [], "capability."), duration: r.onShiftSeconds == null ? "" : fmtDuration(r.onShiftSeconds), level: r.level ?? "",
  });
}

function barText(b) {
  return t("cell.bar." + b.code, { capabilities: list(b.missing ?? [], "capability."), sector: b.sector ? place(b.sector) : "", status: b.status ? t("teamStatus." + b.status) : "" });
}

async function assign(team) {
  const { facilityId, id } = cell.sector;
  await act(() => api("/api/assignments", { teamId: team.team, facilityId, sectorId: id }), () => t("cell.assigned", { team: team.team }), team);
}

/** Runs one action and says what came of it: done, or the refusal in plain words for this team and this cell (texts are
 * functions, so a language switch retranslates them). */
async function act(call, doneText, team) {
  cell.message = { text: () => t("cell.sending") };
  render();
  try {
    await call();
    cell.message = { text: doneText };
  } catch (err) {
    const bar = team?.whyNot.find((b) => b.code === err.code);
    cell.message = { refused: true, text: () => (bar ? explain(team, bar) : t("cell.refused", { reason: failureText(err) })) };
  }
  render();
  loadSuggestionsSoon();
}

function explain(team, bar) {
  return t("cell.explain." + bar.code, {
    team: team.team, capabilities: list(bar.missing ?? [], "capability."), sector: bar.sector ? place(bar.sector) : "", status: bar.status ? t("teamStatus." + bar.status) : "",
  });
}
