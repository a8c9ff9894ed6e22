// Family desk: register inquiries, see candidates beside them, confirm or reject, live alerts of strong candidates.
// Names are shown with textContent only and dir="auto", so Arabic and Latin both read right and nothing runs.
"use strict";
const state = { inquiries: [], selected: null };

const named = (text) => el("span", { textContent: text ?? "", dir: "auto" });
const describe = (d) => [d.fatherName && `father ${d.fatherName}`, d.motherName && `mother ${d.motherName}`,
  d.birthYear && `born ${d.birthYear}`, d.age && `age ~${d.age}`, d.homeTown && `from ${d.homeTown}`].filter(Boolean).join(" · ");

async function loadInquiries() {
  const q = $("inquiry-filter").value.trim();
  state.inquiries = await api(`/api/inquiries${q ? `?query=${encodeURIComponent(q)}` : ""}`);
  const list = $("inquiries");
  list.replaceChildren(...state.inquiries.map((i) => {
    const li = el("li", { className: i.id === state.selected ? "selected" : "", tabIndex: 0 }, named(i.details.name), el("div", { className: "meta", textContent: `${i.id} · ${describe(i.details)}` }));
    li.dataset.inquiry = i.id;
    li.onclick = li.onkeydown = (ev) => { if (!ev.key || ev.key === "Enter") select(i.id); };
    return li;
  }));
}

async function select(id) {
  state.selected = id;
  for (const li of $("inquiries").children) li.classList.toggle("selected", li.dataset.inquiry === id);
  const [inquiry, candidates] = await Promise.all([api(`/api/inquiries/${id}`), api(`/api/inquiries/${id}/candidates`)]);
  $("selected-empty").hidden = true;
  $("selected").hidden = false;
  $("selected-name").textContent = inquiry.details.name;
  $("selected-meta").textContent = `${inquiry.id} · ${inquiry.status} · ${describe(inquiry.details)}${inquiry.details.lastSeen ? ` · last seen: ${inquiry.details.lastSeen}` : ""}`;
  $("close-inquiry").hidden = inquiry.status !== "Open";
  const decided = new Map(inquiry.decisions.map((d) => [d.personId, d.decision]));
  $("candidates").tBodies[0].replaceChildren(...candidates.map((c) => {
    const p = c.person;
    const decision = decided.get(c.personId);
    const buttons = inquiry.status === "Open"
      ? [el("button", { textContent: "Confirm", className: "confirm", onclick: () => decide(c.personId, "Confirmed") }), " ",
         el("button", { textContent: "Reject", className: "reject", onclick: () => decide(c.personId, "Rejected") })]
      : [];
    const row = el("tr", {},
      el("td", { className: c.strong ? "strong" : "", textContent: `${c.score}${c.strong ? " strong" : ""}` }),
      el("td", {}, named(p.details.name), el("div", { className: "meta", textContent: describe(p.details) }),
        el("div", { className: "meta", textContent: [p.details.condition, p.details.takenTo && `taken to ${p.details.takenTo}`].filter(Boolean).join(" · ") })),
      el("td", { className: "meta", textContent: `${p.facility} / ${p.sector} · ${new Date(p.foundAt).toLocaleString()} · ${p.id}` }),
      el("td", {}, el("ul", {}, ...c.reasons.map((r) => el("li", { textContent: r, dir: "auto" })))),
      el("td", {}, decision ? el("span", { className: decision, textContent: decision }) : "", decision ? " " : "", ...buttons));
    row.dataset.person = c.personId;
    return row;
  }));
}

async function decide(personId, decision) {
  const note = decision === "Confirmed" ? prompt("Note (who recognised them, how):", "") : null;
  await api(`/api/inquiries/${state.selected}/matches`, { personId, decision, note: note || null });
  await select(state.selected);
}

$("close-inquiry").onclick = async () => {
  const reason = prompt("Why is this inquiry closed?");
  if (!reason) return;
  await api(`/api/inquiries/${state.selected}/close`, { reason });
  await Promise.all([select(state.selected), loadInquiries()]);
};

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
    if (err instanceof SignInNeeded) return showSignIn("This token may not use the family desk.");
    $("inquiry-error").textContent = err.message;
  }
};
// Every list shown is a logged read of families' records: typing and bursts of updates are settled first.
let reload = null;
const loadSoon = () => { clearTimeout(reload); reload = setTimeout(loadInquiries, 400); };
$("inquiry-filter").oninput = loadSoon;

$("person-search").onsubmit = async (e) => {
  e.preventDefault();
  const persons = await api(`/api/persons?query=${encodeURIComponent($("person-query").value.trim())}`);
  $("persons").replaceChildren(...persons.map((p) => el("li", {}, named(p.details.name),
    el("div", { className: "meta", textContent: `${p.id} · ${p.facility}/${p.sector} · ${describe(p.details)}` }))));
};

function connect() {
  const status = $("connection");
  const source = new EventSource(`/api/family/stream?access_token=${encodeURIComponent(token())}`);
  session.source = source;
  source.onopen = () => { status.textContent = "live"; status.className = "connection live"; };
  source.onerror = () => { status.textContent = "disconnected — reconnecting…"; status.className = "connection disconnected"; };
  source.addEventListener("family-candidate", (e) => {
    const a = JSON.parse(e.data).data;
    const li = el("li", { className: "PersonsFound", tabIndex: 0 },
      el("strong", { textContent: `${a.score} ` }), el("span", { textContent: `inquiry ${a.inquiry} ↔ person ${a.person}` }),
      el("time", { textContent: new Date(a.at).toLocaleString() }));
    li.onclick = () => select(a.inquiry);
    $("alerts").prepend(li);
    if (a.inquiry === state.selected) select(state.selected);
  });
  source.addEventListener("family-inquiry", loadSoon);
}

async function start() {
  if (!token()) return showSignIn();
  try {
    await loadInquiries();
    connect();
  } catch (err) {
    if (err instanceof SignInNeeded) return showSignIn("This token may not use the family desk (family desk or lead tokens only).");
    $("connection").textContent = "disconnected — retrying…";
    setTimeout(start, 2000);
  }
}
signInThen(start);
start();
