// A lead's setup on the board: register facilities and teams, import a layout after the server's preview, set
// teams' status, enrol a team's phone, revoke tokens. Shown to lead tokens only; a monitor's page never builds it.
import { $, el, named } from "./dom.js";
import { t, fmtNumber, fmtDate } from "./i18n.js";
import { api, whoami, failureText } from "./session.js";

const CAPABILITIES = ["Search", "K9", "Breaching", "DoorOpening", "Shoring", "Lifting", "Rope", "Medical"];
const SETTABLE = ["Available", "Resting", "OutOfService"];
const state = { facilities: [], teams: [], tokens: [], file: null, layout: null, preview: null, enrolment: null };
const enc = encodeURIComponent;
let lead = false;

/** An element's text by key, the key kept so a language switch retranslates it in place. */
function keyed(e, key) {
  e.dataset.i18n = key;
  e.textContent = t(key);
  return e;
}
const field = (key, input) => el("label", {}, keyed(el("span"), key), input);
const input = (name, props = {}) => el("input", { name, ...props });

/** What a call's failure says to the lead: the refusal in plain words, and the server's detail naming the field. */
function showFailure(out, err) {
  out.said = () => [el("span", { textContent: failureText(err) }), err.message ? el("small", { className: "detail", textContent: ` ${err.message}`, dir: "auto" }) : ""];
  out.setAttribute("role", "alert");
  say(out);
}
/** A success in words; params may be functions, so a language switch words them again (a status's name). */
function showDone(out, key, params = {}) {
  out.said = () => [t(key, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === "function" ? v() : v])))];
  out.setAttribute("role", "status");
  say(out);
}
function quiet(out) {
  out.said = null;
  out.classList.remove("said");
  out.replaceChildren();
}
function say(out) {
  out.classList.add("said");
  out.replaceChildren(...out.said());
}

/** A sentence whose {placeholders} are data (a CSV header, sector ids): shown as written, isolated in either direction. */
function sentence(key, data) {
  return t(key).split(/\{(\w+)\}/).map((part, i) => (i % 2 ? el("bdi", { textContent: data[part] ?? part }) : part));
}
const formats = () => sentence("setup.layout.formats", { header: "id,parent,kind,name,needs", example: "DoorOpening;Breaching", file: "docs/examples/saydnaya-layout.json" });

function facilityForm() {
  const out = el("p", { id: "setup-facility-out" });
  const form = el("form", { id: "setup-facility-form", className: "stacked" },
    field("setup.facility.id", input("id", { required: true, pattern: "[A-Za-z0-9._\\-]{1,64}" })),
    field("setup.facility.name", input("name", { required: true, dir: "auto" })),
    field("setup.facility.aliases", input("aliases", { dir: "auto" })),
    field("setup.facility.location", input("location", { dir: "auto" })),
    keyed(el("button", { type: "submit" }), "setup.facility.register"), out);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    const aliases = String(f.get("aliases")).split(",").map((a) => a.trim()).filter(Boolean);
    try {
      const created = await api("/api/facilities", { id: f.get("id").trim(), name: f.get("name"), aliases, location: f.get("location") || null });
      showDone(out, "setup.facility.registered", { id: created.id });
      form.reset();
      await loadFacilities(created.id);
    } catch (err) { showFailure(out, err); }
  };
  return el("section", { id: "setup-facility" }, keyed(el("h3"), "setup.facility.title"), form);
}

function layoutForm() {
  const file = el("input", { id: "setup-layout-file", type: "file", accept: ".csv,.json,text/csv,application/json" });
  // Emptied once read, so choosing the corrected file of the same name reads it again.
  file.onchange = () => {
    state.file = file.files[0];
    file.value = "";
    if (state.file) readLayout(state.file);
  };
  const apply = keyed(el("button", { id: "setup-layout-apply", type: "button", disabled: true }), "setup.layout.apply");
  apply.onclick = applyLayout;
  const facility = el("select", { id: "setup-layout-facility", name: "facility" });
  facility.onchange = () => { if (state.file) readLayout(state.file); };
  return el("section", { id: "setup-layout" }, keyed(el("h3"), "setup.layout.title"),
    el("div", { className: "stacked" }, field("setup.layout.facility", facility), field("setup.layout.file", file)),
    el("p", { id: "setup-layout-formats", className: "meta" }, ...formats()),
    el("div", { id: "setup-layout-summary" }),
    el("table", { id: "setup-layout-preview" }, el("thead", {}, el("tr", {},
      ...["row", "id", "parent", "kind", "name", "needs", "level", "problem"].map((c) => keyed(el("th"), `setup.layout.col.${c}`)))), el("tbody")),
    apply, el("p", { id: "setup-layout-out" }));
}

/** The file goes to the server as it is (JSON's sectors, or the CSV's text); its preview says what applying would do. */
async function readLayout(fileObj) {
  const out = $("setup-layout-out");
  quiet(out);
  $("setup-layout-apply").disabled = true;
  const text = await fileObj.text();
  let body;
  if (/\.json$/i.test(fileObj.name) || fileObj.type === "application/json") {
    try { body = { sectors: JSON.parse(text).sectors ?? [] }; } catch { showDone(out, "setup.layout.notJson"); out.setAttribute("role", "alert"); return; }
  } else body = { csv: text };
  state.layout = { facility: $("setup-layout-facility").value, body };
  try {
    state.preview = await api(`/api/facilities/${enc(state.layout.facility)}/layout/preview`, body);
  } catch (err) {
    state.preview = null;
    renderPreview();
    showFailure(out, err);
    return;
  }
  renderPreview();
}

function renderPreview() {
  const p = state.preview;
  $("setup-layout-preview").tBodies[0].replaceChildren(...(p ? p.sectors : []).map((r) => {
    const row = el("tr", { className: r.problems.length ? "refused" : "" },
      el("td", { textContent: fmtNumber(r.row) }), el("td", {}, named(r.id)), el("td", {}, named(r.parent)),
      el("td", { textContent: r.kind ? t("sectorKind." + r.kind) : "" }), el("td", {}, named(r.name)),
      el("td", { textContent: r.needs.map((n) => t("capability." + n)).join(t("common.listSeparator")) }),
      el("td", {}, named(r.level)),
      el("td", { className: "problem" }, ...r.problems.map((x) => el("div", {}, el("span", { textContent: t(`refusal.${x.code}`) }),
        el("small", { className: "detail", textContent: ` ${x.detail}`, dir: "auto" })))));
    row.dataset.row = r.row;
    if (r.problems.length) row.dataset.code = r.problems[0].code;
    return row;
  }));
  const summary = $("setup-layout-summary");
  if (!p) { summary.replaceChildren(); return; }
  summary.replaceChildren(
    el("p", { textContent: t(p.applicable ? "setup.layout.ready" : "setup.layout.refused", { rows: fmtNumber(p.rows), fresh: fmtNumber(p.new), refused: fmtNumber(p.refused) }),
      className: p.applicable ? "" : "refused", role: p.applicable ? "status" : "alert" }),
    el("ul", { id: "setup-layout-levels" }, ...p.levels.map((l) => el("li", {}, named(l.level === "-" ? t("setup.layout.noLevel") : l.level), ": ",
      t("setup.layout.levelCount", { sectors: fmtNumber(l.sectors), fresh: fmtNumber(l.new) })))));
  $("setup-layout-apply").disabled = !p.applicable;
}

async function applyLayout() {
  const out = $("setup-layout-out");
  try {
    const f = await api(`/api/facilities/${enc(state.layout.facility)}/layout`, state.layout.body, "PUT");
    showDone(out, "setup.layout.applied", { sectors: fmtNumber(f.sectors) });
    $("setup-layout-apply").disabled = true;
  } catch (err) { showFailure(out, err); }
}

function teamForm() {
  const out = el("p", { id: "setup-team-out" });
  const form = el("form", { id: "setup-team-form", className: "stacked" },
    field("setup.team.id", input("id", { required: true })),
    field("setup.team.callSign", input("callSign", { required: true, dir: "auto" })),
    field("setup.team.size", input("size", { type: "number", min: 1, defaultValue: "6", required: true })),
    el("fieldset", { className: "capabilities" }, keyed(el("legend"), "setup.team.capabilities"),
      ...CAPABILITIES.map((c) => el("label", {}, input("capability", { type: "checkbox", value: c }), keyed(el("span"), "capability." + c)))),
    keyed(el("button", { type: "submit" }), "setup.team.register"), out);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const f = new FormData(form);
    try {
      const team = await api("/api/teams", { id: f.get("id").trim(), callSign: f.get("callSign"), size: Number(f.get("size")), capabilities: f.getAll("capability") });
      showDone(out, "setup.team.registered", { id: team.id });
      form.reset();
      await loadTeams();
    } catch (err) { showFailure(out, err); }
  };
  return el("section", { id: "setup-teams" }, keyed(el("h3"), "setup.team.title"), form,
    el("table", { id: "setup-teams-table" }, el("thead", {}, el("tr", {},
      ...["team", "status", "capabilities", "change", "phone"].map((c) => keyed(el("th"), `setup.team.col.${c}`)))), el("tbody")),
    el("p", { id: "setup-teams-out" }), el("div", { id: "setup-enrolment", hidden: true }));
}

function renderTeams() {
  $("setup-teams-table").tBodies[0].replaceChildren(...state.teams.map((team) => {
    const select = el("select", { className: "team-status", ariaLabel: t("setup.team.col.change") },
      ...SETTABLE.map((s) => el("option", { value: s, textContent: t("teamStatus." + s), selected: s === team.status })));
    const set = el("button", { type: "button", className: "set-status", textContent: t("setup.team.setStatus") });
    set.onclick = () => setStatus(team.id, select.value);
    const enrol = el("button", { type: "button", className: "enrol", textContent: t("setup.team.enrol") });
    enrol.onclick = () => enrolPhone(team.id);
    const row = el("tr", {}, el("td", {}, team.id, " (", named(team.callSign), ")"), el("td", { className: "status", textContent: t("teamStatus." + team.status) }),
      el("td", { textContent: team.capabilities.map((c) => t("capability." + c)).join(t("common.listSeparator")) }),
      el("td", {}, select, " ", set), el("td", {}, enrol));
    row.dataset.team = team.id;
    row.dataset.status = team.status;
    return row;
  }));
}

async function setStatus(team, status) {
  const out = $("setup-teams-out");
  try {
    await api(`/api/teams/${enc(team)}/status`, { status });
    showDone(out, "setup.team.statusSet", { id: team, status: () => t("teamStatus." + status) });
    await loadTeams();
  } catch (err) { showFailure(out, err); }
}

/** The code is shown once: its QR (the field app's enrolment link), the code itself to type, and until when it works. */
async function enrolPhone(team) {
  try {
    state.enrolment = await api("/api/enrolments", { team });
    renderEnrolment();
  } catch (err) { showFailure($("setup-teams-out"), err); }
}

function renderEnrolment() {
  const box = $("setup-enrolment");
  const e = state.enrolment;
  box.hidden = !e;
  if (!e) return;
  // The server drew the QR as plain SVG shapes (no script, no style attribute): inserted as SVG, it stays within the CSP.
  const qr = el("div", { className: "qr" });
  qr.append(new DOMParser().parseFromString(e.qrSvg, "image/svg+xml").documentElement);
  box.replaceChildren(el("h4", { textContent: t("setup.enrol.title", { team: e.team }) }), qr,
    el("p", {}, t("setup.enrol.code"), " ", el("code", { id: "setup-enrolment-code", textContent: e.code, dir: "ltr" })),
    el("p", { textContent: t("setup.enrol.expires", { at: fmtDate(e.expiresAt) }) }));
}

function tokensList() {
  return el("section", { id: "setup-tokens" }, keyed(el("h3"), "setup.tokens.title"),
    el("table", { id: "setup-tokens-table" }, el("thead", {}, el("tr", {},
      ...["id", "role", "team", "expires", "revoked"].map((c) => keyed(el("th"), `setup.tokens.col.${c}`)), el("th"))), el("tbody")),
    el("p", { id: "setup-tokens-out" }));
}

function renderTokens() {
  $("setup-tokens-table").tBodies[0].replaceChildren(...state.tokens.map((tok) => {
    const revoke = el("button", { type: "button", className: "revoke", textContent: t("setup.tokens.revoke"), disabled: !!tok.revokedAt });
    revoke.onclick = () => revokeToken(tok.id);
    const row = el("tr", {}, el("td", { textContent: tok.id, dir: "auto" }), el("td", { textContent: t("setup.role." + tok.role) }), el("td", { textContent: tok.team ?? "—" }),
      el("td", { textContent: fmtDate(tok.expiresAt) }), el("td", { textContent: tok.revokedAt ? fmtDate(tok.revokedAt) : "—" }), el("td", {}, revoke));
    row.dataset.token = tok.id;
    if (tok.revokedAt) row.dataset.revoked = "true";
    return row;
  }));
}

async function revokeToken(id) {
  const out = $("setup-tokens-out");
  try {
    await api(`/api/tokens/${enc(id)}/revoke`, {});
    showDone(out, "setup.tokens.revoked", { id });
    await loadTokens();
  } catch (err) { showFailure(out, err); }
}

async function loadFacilities(select) {
  state.facilities = await api("/api/facilities");
  const chosen = select ?? $("setup-layout-facility").value;
  $("setup-layout-facility").replaceChildren(...state.facilities.map((f) => el("option", { value: f.id, textContent: `${f.id} — ${f.name}`, selected: f.id === chosen })));
}
async function loadTeams() { state.teams = await api("/api/teams"); renderTeams(); }
async function loadTokens() { state.tokens = await api("/api/tokens"); renderTokens(); }

function buildDialog() {
  const close = el("button", { className: "close", type: "submit" });
  close.dataset.i18nAriaLabel = "common.close";
  close.setAttribute("aria-label", t("common.close"));
  close.textContent = "×";
  const dialog = el("dialog", { id: "setup", className: "setup" }, el("form", { method: "dialog" }, close), keyed(el("h2"), "setup.title"),
    el("div", { className: "setup-grid" }, facilityForm(), layoutForm(), teamForm(), tokensList()));
  document.body.append(dialog);
  return dialog;
}

/** For a lead: the "set up" button in the header and its dialog. Anyone else (a monitor signing in after a lead): nothing at all. */
export async function offerSetup() {
  lead = false;
  $("setup-open")?.remove();
  $("setup")?.remove();
  let me;
  try { me = await whoami(); } catch { return; }
  lead = me.roles.includes("lead");
  if (!lead) return;
  const dialog = buildDialog();
  const open = keyed(el("button", { id: "setup-open", type: "button", className: "link" }), "setup.open");
  open.onclick = async () => {
    dialog.showModal();
    await Promise.all([loadFacilities(), loadTeams(), loadTokens()]);
  };
  $("sign-out").before(open);
}

// The alerts panel's filters, for monitors and leads alike: by facility and by kind, "all" when left empty.
const ALERT_KINDS = ["PersonsFound", "NeedsMedical", "Hazard", "HiddenSpaceFound", "Blocked", "Reopened"];
const alertsShown = { facility: "", kind: "" };
export const shownAlert = (a) => (!alertsShown.facility || a.facility === alertsShown.facility) && (!alertsShown.kind || a.kind === alertsShown.kind);

/** For a lead, the button that records having seen a group of alerts; gone is called with those recorded. Nothing for others. */
export function acknowledgeButton(alerts, gone) {
  if (!lead) return null;
  const b = el("button", { type: "button", className: "link acknowledge", textContent: t("alerts.acknowledge") });
  b.onclick = async () => {
    b.disabled = true;
    const seen = [];
    try {
      // One by one, so that what was acknowledged before a failure leaves the list and a second click does the rest.
      for (const a of alerts) {
        await api("/api/alerts/acknowledge", { alert: a.id });
        seen.push(a.id);
        if (alerts.length > 1) b.textContent = t("alerts.acknowledging", { done: fmtNumber(seen.length), count: fmtNumber(alerts.length) });
      }
      gone(...seen);
    } catch (err) {
      if (seen.length) gone(...seen);
      else { b.disabled = false; b.after(el("span", { role: "alert", textContent: ` ${failureText(err)}` })); }
    }
  };
  return b;
}

/** Draws (again) the two filters above the alerts list with the board's facilities; redraw runs when a choice changes. */
export function alertFilters(facilities, redraw) {
  const choice = (id, allKey, values, label, chosen) => {
    const select = el("select", { id, ariaLabel: t(label) }, el("option", { value: "", textContent: t(allKey) }),
      ...values.map(([value, text]) => el("option", { value, textContent: text, selected: value === chosen })));
    select.onchange = () => { alertsShown[id === "alert-facility" ? "facility" : "kind"] = select.value; redraw(); };
    return select;
  };
  const filters = $("alert-filters") ?? el("div", { id: "alert-filters", className: "alert-filters" });
  filters.replaceChildren(
    choice("alert-facility", "alerts.filter.allFacilities", facilities.map((f) => [f.id, f.name]), "alerts.filter.facility", alertsShown.facility),
    choice("alert-kind", "alerts.filter.allKinds", ALERT_KINDS.map((k) => [k, t("alert." + k)]), "alerts.filter.kind", alertsShown.kind));
  if (!filters.isConnected) $("alerts").before(filters);
}

window.addEventListener("languagechange-app", () => {
  if (!$("setup")) return; // its keyed texts are retranslated with the page; what it drew from data is drawn again
  renderPreview(); renderTeams(); renderTokens(); renderEnrolment();
  $("setup-layout-formats").replaceChildren(...formats());
  for (const out of $("setup").querySelectorAll(".said")) say(out);
});
