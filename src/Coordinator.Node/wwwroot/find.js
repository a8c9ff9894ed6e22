// Finding things on the board: a sector by id or name, filters that dim the cells that do not match, and
// "what stands between us and sign-off" for the selected facility. Read-only: monitors use it as leads do.
import { $, el, named } from "./dom.js";
import { t, fmtNumber } from "./i18n.js";
import { api } from "./session.js";
import { Change } from "./changes.js";

const STATUSES = ["Unsearched", "Assigned", "InProgress", "Blocked", "Hazard", "Cleared", "ClearedWithDeceased"];
const NO_NEEDS = "-";
const MAX_RESULTS = 12;
let board = null; // from app.js: { state, openSector }
const filters = { level: "", status: "", team: "", needs: "" };
let outstanding = null; // the last answer for the selected facility

/** board: app.js's state and its openSector(id); called once the page has its board. */
export function initFind(b) {
  board = b;
  renderControls();
}

/** app.js calls this after drawing the selected facility's cells. */
export function cellsDrawn() {
  fillOptions();
  applyFilters();
  refreshOutstandingSoon();
}

/** app.js passes every change from the live stream: a changed cell may now match, or no longer block sign-off. */
export function changed(kind, change) {
  if (kind === Change.sector && change.facility === board.state.selected) {
    applyFilters();
    refreshOutstandingSoon();
  } else if (kind === Change.facility && change.facility === board.state.selected) refreshOutstandingSoon();
}

function renderControls() {
  const search = el("input", { type: "search", id: "find-sector", placeholder: t("find.searchPlaceholder"), autocomplete: "off" });
  search.setAttribute("aria-label", t("find.search"));
  search.oninput = showResults;
  search.onkeydown = (e) => { if (e.key === "Enter") { e.preventDefault(); $("find-results").querySelector("button")?.click(); } };
  const select = (name) => {
    const s = el("select", { id: `filter-${name}` });
    s.onchange = () => { filters[name] = s.value; applyFilters(); };
    return el("label", {}, t(`find.filter.${name}`), " ", s);
  };
  const clear = el("button", { type: "button", id: "filter-clear", className: "link", textContent: t("find.filter.clear"), hidden: true });
  clear.onclick = () => { for (const k of Object.keys(filters)) filters[k] = ""; fillOptions(); applyFilters(); };
  $("find").replaceChildren(
    el("div", { className: "find-bar" },
      el("label", {}, t("find.search"), " ", search),
      select("level"), select("status"), select("team"), select("needs"), clear),
    el("p", { id: "filter-count", className: "meta", hidden: true }),
    el("ul", { id: "find-results", className: "find-results" }));
  if (board.state.sectors.size) { fillOptions(); applyFilters(); }
  renderOutstanding();
}

/** The choices each filter offers: what the selected facility's sectors have; a chosen value is kept. */
function fillOptions() {
  const sectors = [...board.state.sectors.values()];
  const uniq = (xs) => [...new Set(xs)].sort();
  const choices = {
    level: uniq(sectors.map((s) => s.level)).map((l) => [l, l]),
    status: STATUSES.map((s) => [s, t("status." + s)]),
    team: uniq([...sectors.map((s) => s.team).filter(Boolean), ...board.state.board.teams.map((x) => x.id)]).map((x) => [x, x]),
    needs: [[NO_NEEDS, t("find.filter.noNeeds")], ...uniq(sectors.flatMap((s) => s.needs)).map((c) => [c, t("capability." + c)])],
  };
  for (const [name, values] of Object.entries(choices)) {
    const s = $(`filter-${name}`);
    s.replaceChildren(el("option", { value: "", textContent: t("find.filter.any") }), ...values.map(([v, label]) => el("option", { value: v, textContent: label })));
    s.value = filters[name];
  }
}

const matches = (s) =>
  (!filters.level || s.level === filters.level) && (!filters.status || s.status === filters.status) &&
  (!filters.team || s.team === filters.team) &&
  (!filters.needs || (filters.needs === NO_NEEDS ? s.needs.length === 0 : s.needs.includes(filters.needs)));

/** Dims the cells that do not match; nothing is removed, so clearing the filters gives the whole board back. */
function applyFilters() {
  const active = Object.values(filters).some(Boolean);
  let shown = 0, total = 0;
  for (const cell of document.querySelectorAll("#levels .cell")) {
    const s = board.state.sectors.get(cell.dataset.sector);
    const hit = !active || (s && matches(s));
    cell.classList.toggle("dimmed", !hit);
    total++;
    if (hit) shown++;
  }
  const count = $("filter-count");
  count.hidden = !active;
  count.textContent = active ? t("find.filter.count", { shown: fmtNumber(shown), total: fmtNumber(total) }) : "";
  $("filter-clear").hidden = !active;
}

function showResults() {
  const q = $("find-sector").value.trim().toLowerCase();
  const list = $("find-results");
  if (!q) { list.replaceChildren(); return; }
  const found = [...board.state.sectors.values()]
    .filter((s) => s.id.toLowerCase().includes(q) || s.name.toLowerCase().includes(q))
    .sort((a, b) => Number(!a.id.toLowerCase().startsWith(q)) - Number(!b.id.toLowerCase().startsWith(q)) || a.id.localeCompare(b.id));
  list.replaceChildren(...(found.length ? found.slice(0, MAX_RESULTS).map((s) => el("li", {}, sectorButton(s))) : [el("li", { className: "meta", textContent: t("find.noMatch") })]),
    ...(found.length > MAX_RESULTS ? [el("li", { className: "meta", textContent: t("find.more", { count: fmtNumber(found.length - MAX_RESULTS) }) })] : []));
}

/** A sector as a button that opens its cell: "B2-14 — Cell 14 · In progress". */
export function sectorButton(s) {
  const b = el("button", { type: "button", className: "link sector-link" }, s.id, " — ", named(s.name), ` · ${t("status." + s.status)}`);
  b.dataset.sector = s.id;
  b.onclick = () => board.openSector(s.id);
  return b;
}

/** The outstanding sectors grouped by why (GET …/outstanding), each a button opening its cell. */
export function outstandingList(view) {
  return el("div", { className: "outstanding-groups" }, ...view.groups.map((g) => {
    const group = el("details", { open: true, className: `why-${g.why}` },
      el("summary", { textContent: `${t("find.why." + g.why)} · ${t("find.outstanding.count", { count: fmtNumber(g.sectors.length) })}` }),
      el("ul", {}, ...g.sectors.map((s) => el("li", {}, sectorButton({ ...s, status: g.why })))));
    group.dataset.why = g.why;
    return group;
  }));
}

// Sector changes come in bursts: one read of the list for each.
let timer = null;
function refreshOutstandingSoon() {
  if (timer) return;
  timer = setTimeout(async () => {
    timer = null;
    const facility = board.state.selected;
    if (!facility) return;
    try {
      const view = await api(`/api/facilities/${encodeURIComponent(facility)}/outstanding`);
      if (facility === board.state.selected) { outstanding = view; renderOutstanding(); }
    } catch { /* the next change reads it again */ }
  }, 250);
}

function renderOutstanding() {
  const view = outstanding?.facilityId === board.state.selected ? outstanding : null;
  $("outstanding").replaceChildren(el("h3", { textContent: t("find.outstanding") }),
    !view ? "" : view.count === 0 ? el("p", { className: "meta", textContent: t(view.signedOff ? "find.outstanding.signedOff" : "find.outstanding.none") }) : outstandingList(view));
}

window.addEventListener("languagechange-app", () => { if (board) renderControls(); });
