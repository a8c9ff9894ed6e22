// Family desk: register inquiries, see candidates beside them, confirm or reject, live alerts of strong candidates,
// the shared work queue, and the case after a match (claim, whom to call, family informed, outcome, the family's slip).
// Names are shown with textContent only and in their own direction, so Arabic and Latin both read right and nothing runs.
import { $, el, named, isolated } from "./dom.js";
import { loadLanguage, languageSwitch, lang, t, fmtNumber, fmtDate } from "./i18n.js";
import { api, page, token, whoami, SignInNeeded, signInThen, showSignIn, openStream, showConnection, failureText } from "./session.js";
import { showIfSimulated } from "./operation.js";
import { Change } from "./changes.js";

// What was read is kept, so a language switch redraws it without reading families' records again (every read is logged).
// Each list keeps the cursor of its next page (null at the end): "more" appends that page.
const state = { inquiries: [], inquiriesNext: null, selected: null, inquiry: null, candidates: [], persons: [], personsNext: null, alerts: [],
  queue: null, queueNext: null, contact: null, desk: false };
// Inquiries untouched this many days are the queue's last section.
const QUEUE_DAYS = 7;

/** The list as it was plus the next page (more), or the first page alone; and the cursor after it. */
async function paged(path, shown, next, more) {
  const p = await page(path, more ? next : null);
  return [more ? [...shown, ...p.items] : p.items, p.next];
}

const describe = (d) => [
  d.fatherName && t("family.father", { name: isolated(d.fatherName) }), d.motherName && t("family.mother", { name: isolated(d.motherName) }),
  d.birthYear && t("family.born", { year: fmtNumber(d.birthYear) }), d.age && t("family.age", { age: fmtNumber(d.age) }),
  d.homeTown && t("family.from", { town: isolated(d.homeTown) })].filter(Boolean).join(" · ");

async function loadInquiries(more = false) {
  const q = $("inquiry-filter").value.trim();
  [state.inquiries, state.inquiriesNext] = await paged(`/api/inquiries${q ? `?query=${encodeURIComponent(q)}` : ""}`, state.inquiries,
    state.inquiriesNext, more);
  renderInquiries();
}

function renderInquiries() {
  $("inquiries").replaceChildren(...state.inquiries.map((i) => {
    const li = el("li", { className: i.id === state.selected ? "selected" : "", tabIndex: 0 }, named(i.details.name), el("div", { className: "meta", textContent: `${i.id} · ${describe(i.details)}` }));
    li.dataset.inquiry = i.id;
    li.onclick = li.onkeydown = (ev) => { if (!ev.key || ev.key === "Enter") select(i.id); };
    return li;
  }));
  $("inquiries-more").hidden = !state.inquiriesNext;
}
$("inquiries-more").onclick = () => loadInquiries(true);

async function select(id) {
  state.selected = id;
  for (const li of $("inquiries").children) li.classList.toggle("selected", li.dataset.inquiry === id);
  [state.inquiry, state.candidates] = await Promise.all([api(`/api/inquiries/${id}`), api(`/api/inquiries/${id}/candidates`)]);
  // Whom to call is the desk officers' alone, once a match is confirmed; each showing is logged by the node.
  state.contact = state.desk && state.inquiry.decisions.some((d) => d.decision === "Confirmed") ? await api(`/api/inquiries/${id}/contact`) : null;
  renderSelected();
}

async function loadQueue(more = false) {
  [state.queue, state.queueNext] = await paged(`/api/family/queue?days=${QUEUE_DAYS}`, state.queue ?? [], state.queueNext, more);
  renderQueue();
}
$("queue-more").onclick = () => loadQueue(true);

function renderQueue() {
  const q = state.queue;
  if (!q) return;
  const item = (x) => {
    const li = el("li", { tabIndex: 0 }, named(x.name), el("div", { className: "meta", textContent: [x.inquiryId,
      x.score != null && `${t("family.col.score")} ${fmtNumber(x.score)}`,
      x.claim ? t("family.claimedBy", { who: x.claim.by, until: fmtDate(x.claim.until) }) : t("family.unclaimed")].filter(Boolean).join(" · ") }));
    li.dataset.inquiry = x.inquiryId;
    li.classList.toggle("claimed", !!x.claim);
    li.onclick = li.onkeydown = (ev) => { if (!ev.key || ev.key === "Enter") select(x.inquiryId); };
    return li;
  };
  // One list in the order of work, each item in its section.
  const section = (name) => q.filter((x) => x.section === name).map(item);
  $("queue-strong").replaceChildren(...section("Strong"));
  $("queue-inform").replaceChildren(...section("ToInform"));
  $("queue-untouched-title").textContent = t("family.queue.untouched", { days: fmtNumber(QUEUE_DAYS) });
  $("queue-untouched").replaceChildren(...section("Untouched"));
  $("queue-more").hidden = !state.queueNext;
}

function renderCase() {
  const { inquiry, contact } = state;
  const open = inquiry.status === "Open";
  const told = inquiry.informed;
  $("case-stage").textContent = [t("case.stage." + inquiry.stage), inquiry.outcome && t("caseOutcome." + inquiry.outcome),
    told && t("family.informedLine", { how: t("informedHow." + told.how), by: told.by, at: fmtDate(told.at) }),
    told?.notes && isolated(told.notes)].filter(Boolean).join(" · ");
  $("case-claim").textContent = inquiry.claim ? t("family.claimedBy", { who: inquiry.claim.by, until: fmtDate(inquiry.claim.until) }) : t("family.unclaimed");
  $("claim").hidden = $("release").hidden = !open;
  $("contact-box").hidden = !contact;
  $("contact").textContent = contact?.contact ?? t("family.noContact");
  // A phone number has no letters to set its direction: in an Arabic page it would read backwards.
  $("contact").dir = contact?.contact && !/\p{L}/u.test(contact.contact) ? "ltr" : "auto";
  const confirmed = inquiry.decisions.some((d) => d.decision === "Confirmed");
  $("informed-form").hidden = !open || !confirmed;
  $("close-form").hidden = !open;
  $("slip-ar").hidden = $("slip-en").hidden = !confirmed;
}

/** Runs a step of the case and redraws the inquiry; a refusal (another officer holds it…) is shown in words. */
async function caseStep(path, body) {
  $("case-error").textContent = "";
  try {
    await api(`/api/inquiries/${state.selected}/${path}`, body ?? {});
    await Promise.all([select(state.selected), loadQueue()]);
  } catch (err) {
    $("case-error").textContent = failureText(err);
  }
}

$("claim").onclick = () => caseStep("claim");
$("release").onclick = () => caseStep("release");
$("informed-form").onsubmit = (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const confirmed = state.inquiry.decisions.find((d) => d.decision === "Confirmed");
  caseStep("informed", { personId: confirmed.personId, how: f.get("how"), notes: (f.get("notes") || "").toString().trim() || null });
};
$("close-form").onsubmit = async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  await caseStep("close", { outcome: f.get("outcome"), reason: (f.get("note") || "").toString().trim() || null });
  await loadInquiries();
};

// Printable pages open in a new tab, which carries no bearer token: a single-use link first, as for the coverage report.
async function openPrintable(linkPath, errorBox = "case-error") {
  $(errorBox).textContent = "";
  const tab = window.open("", "_blank");
  try {
    const link = await api(linkPath, {});
    if (!tab) { window.open(link.url, "_blank", "noopener"); return; }
    tab.opener = null;
    tab.location.replace(link.url);
  } catch (err) {
    tab?.close();
    $(errorBox).textContent = failureText(err);
  }
}
const openSlip = (language) => openPrintable(`/api/inquiries/${encodeURIComponent(state.selected)}/slip-link?lang=${language}`);
$("slip-ar").onclick = () => openSlip("ar");
$("slip-en").onclick = () => openSlip("en");

function renderSelected() {
  const { inquiry, candidates } = state;
  $("selected-empty").hidden = true;
  $("selected").hidden = false;
  $("selected-name").textContent = inquiry.details.name;
  $("selected-meta").textContent = [inquiry.id, t("inquiryStatus." + inquiry.status), describe(inquiry.details),
    inquiry.details.lastSeen && t("family.lastSeen", { text: isolated(inquiry.details.lastSeen) })].filter(Boolean).join(" · ");
  renderCase();
  const decided = new Map(inquiry.decisions.map((d) => [d.personId, d.decision]));
  $("candidates").tBodies[0].replaceChildren(...candidates.map((c) => {
    const p = c.person;
    const decision = decided.get(c.personId);
    const buttons = inquiry.status === "Open"
      ? [el("button", { textContent: t("family.confirm"), className: "confirm", onclick: () => decide(c.personId, "Confirmed", p.details.name) }), " ",
         el("button", { textContent: t("family.reject"), className: "reject", onclick: () => decide(c.personId, "Rejected") })]
      : [];
    const row = el("tr", {},
      el("td", { className: c.strong ? "strong" : "", textContent: fmtNumber(c.score) + (c.strong ? ` ${t("family.strong")}` : "") }),
      el("td", {}, named(p.details.name), el("div", { className: "meta", textContent: describe(p.details) }),
        el("div", { className: "meta", textContent: [p.details.condition && isolated(p.details.condition),
          p.details.takenTo && t("family.takenTo", { place: isolated(p.details.takenTo) })].filter(Boolean).join(" · ") })),
      el("td", { className: "meta", textContent: `${p.facility} / ${p.sector} · ${fmtDate(p.foundAt)} · ${p.id}` }),
      // The matcher explains itself in its own words (names as written, English otherwise): shown as it says them.
      el("td", {}, el("ul", {}, ...c.reasons.map((r) => named(r, "li")))),
      el("td", {}, decision ? el("span", { className: decision, textContent: t("decision." + decision) }) : "", decision ? " " : "", ...buttons));
    row.dataset.person = c.personId;
    return row;
  }));
}

/**
 * The officer's note for a match about to be confirmed, asked in the page's own dialog: null when they cancel
 * (Cancel, Escape), and then nothing is decided and the family's contact stays hidden.
 */
function confirmNote(who) {
  const dialog = $("confirm-dialog"), form = $("confirm-form");
  form.reset();
  $("confirm-who").textContent = who;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm" ? form.elements.note.value.trim() : null), { once: true });
    dialog.showModal();
  });
}

async function decide(personId, decision, who) {
  let note = null;
  if (decision === "Confirmed" && (note = await confirmNote(who)) === null) return;
  await api(`/api/inquiries/${state.selected}/matches`, { personId, decision, note: note || null });
  await Promise.all([select(state.selected), loadQueue()]);
}


$("inquiry-form").onsubmit = async (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  const text = (k) => (f.get(k) || "").toString().trim() || null;
  const body = {
    id: `inq-${new Date().toISOString().slice(0, 10)}-${crypto.randomUUID().slice(0, 8)}`,
    name: text("name"), altNames: (text("altNames") || "").split("\n").map((s) => s.trim()).filter(Boolean),
    fatherName: text("fatherName"), motherName: text("motherName"), birthYear: text("birthYear") ? Number(text("birthYear")) : null,
    homeTown: text("homeTown"), lastSeen: text("lastSeen"), contact: text("contact"),
  };
  $("inquiry-error").textContent = "";
  try {
    const created = await api("/api/inquiries", body);
    e.target.reset();
    await loadInquiries();
    await select(created.id);
  } catch (err) {
    if (err instanceof SignInNeeded) return showSignIn("family.tokenNotAllowed");
    $("inquiry-error").textContent = failureText(err);
  }
};
// Every list shown is a logged read of families' records: typing and bursts of updates are settled first.
let reload = null;
// Another officer's step on any node reaches this page through the stream: the list and the queue are read again.
const loadSoon = () => { clearTimeout(reload); reload = setTimeout(() => Promise.all([loadInquiries(), loadQueue()]), 400); };
$("inquiry-filter").oninput = loadSoon;

async function searchPersons(more = false) {
  [state.persons, state.personsNext] = await paged(`/api/persons?query=${encodeURIComponent($("person-query").value.trim())}`, state.persons,
    state.personsNext, more);
  renderPersons();
}
$("person-search").onsubmit = (e) => {
  e.preventDefault();
  searchPersons();
};
$("persons-more").onclick = () => searchPersons(true);

// Names go on a facility's notice board only when the desk says so, one by one.
function renderPersons() {
  $("persons").replaceChildren(...state.persons.map((p) => {
    const li = el("li", {}, named(p.details.name),
      el("div", { className: "meta", textContent: [p.id, `${p.facility}/${p.sector}`, describe(p.details), p.onNoticeBoard && t("family.onNoticeBoard")].filter(Boolean).join(" · ") }),
      el("button", { type: "button", className: "notice", textContent: t(p.onNoticeBoard ? "family.unpublish" : "family.publish"), onclick: () => publish(p) }), " ",
      el("button", { type: "button", className: "print-notice", textContent: t("family.printNotice", { facility: p.facility }), onclick: () => openPrintable(`/api/facilities/${encodeURIComponent(p.facility)}/notice-board-link?lang=${lang()}`, "persons-error") }));
    li.dataset.person = p.id;
    return li;
  }));
  $("persons-more").hidden = !state.personsNext;
}

async function publish(p) {
  const changed = await api(`/api/persons/${encodeURIComponent(p.id)}/notice`, { publish: !p.onNoticeBoard });
  state.persons = state.persons.map((x) => (x.id === changed.id ? changed : x));
  renderPersons();
}

function alertItem(a) {
  const li = el("li", { className: "PersonsFound", tabIndex: 0 },
    el("strong", { textContent: `${fmtNumber(a.score)} ` }), el("span", { textContent: t("family.candidateAlert", { inquiry: a.inquiry, person: a.person }) }),
    el("time", { textContent: fmtDate(a.at), dateTime: a.at }));
  li.onclick = () => select(a.inquiry);
  return li;
}

function connect() {
  openStream("/api/family/stream", {
    [Change.familyCandidate]: (e) => {
      const a = JSON.parse(e.data).data;
      state.alerts.unshift(a);
      $("alerts").prepend(alertItem(a));
      if (a.inquiry === state.selected) select(state.selected);
      loadSoon();
    },
    [Change.familyInquiry]: loadSoon,
  });
}

async function start() {
  if (!token()) return showSignIn();
  try {
    state.desk = (await whoami()).roles.includes("familydesk");
    await Promise.all([loadInquiries(), loadQueue()]);
    connect();
  } catch (err) {
    if (err instanceof SignInNeeded) return showSignIn("family.tokenNotAllowed");
    showConnection("retrying");
    setTimeout(start, 2000);
  }
}

window.addEventListener("languagechange-app", () => {
  renderInquiries();
  if (state.inquiry) renderSelected();
  renderPersons();
  renderQueue();
  $("alerts").replaceChildren(...state.alerts.map(alertItem));
});

await loadLanguage();
showIfSimulated();
document.querySelector("header").append(languageSwitch());
signInThen(start);
start();
