// One form per report kind: what the team fills in, and the report body it makes. The server checks every value
// again; these checks only spare a round trip the team may not have.
import { t, fmtNumber } from "/i18n.js";
import { el } from "/dom.js";

const CAPABILITIES = ["Search", "K9", "Breaching", "DoorOpening", "Shoring", "Lifting", "Rope", "Medical"];
const METHODS = ["Visual", "K9", "Technical"];

const field = (labelKey, input) => {
  input.id ||= `f-${input.name}`;
  return el("div", {}, el("label", { htmlFor: input.id, textContent: t(labelKey) }), input);
};
const text = (name, props = {}) => el("input", { name, dir: "auto", maxLength: 500, ...props });
const number = (name, props = {}) => el("input", { name, type: "number", inputMode: "numeric", min: 0, max: 10000, ...props });

function choices(name, values, labelPrefix, type, checked = []) {
  return el("div", { className: "choices", role: type === "radio" ? "radiogroup" : "group" },
    ...values.map((v) => el("label", {}, el("input", { type, name, value: v, checked: checked.includes(v) }), t(labelPrefix + v))));
}

function personFields(index) {
  const p = (name, labelKey, input) => field(labelKey, Object.assign(input, { name: `${name}-${index}`, id: `f-${name}-${index}` }));
  return el("fieldset", { className: "person" },
    el("legend", { textContent: t("field.person.n", { n: fmtNumber(index + 1) }) }),
    p("name", "field.person.name", text("")), p("father", "field.person.father", text("")), p("mother", "field.person.mother", text("")),
    p("age", "field.person.age", number("", { max: 120 })), p("born", "field.person.born", number("", { min: 1900, max: 2100 })),
    p("town", "field.person.town", text("")), p("condition", "field.person.condition", text("")), p("takenTo", "field.person.takenTo", text("")));
}

/** The fields of a kind's form; sector: the briefing's sector (its needs, its id). */
export function fieldsFor(kind, sector) {
  switch (kind) {
    case "Entered": return [el("p", { textContent: t("field.report.enteredConfirm") })];
    case "Cleared": return [el("p", { textContent: t("field.report.method") }), choices("method", METHODS, "method.", "radio", ["Visual"])];
    case "ClearedWithDeceased": return [el("p", { textContent: t("field.report.method") }), choices("method", METHODS, "method.", "radio", ["Visual"]),
      field("field.report.deceased", number("deceased", { min: 1, required: true }))];
    case "Blocked": return [el("p", { textContent: t("field.report.needs") }), choices("needs", CAPABILITIES, "capability.", "checkbox"),
      field("field.report.note", text("note"))];
    case "AccessOpened": return [el("p", { textContent: t("field.report.opened") }), choices("needs", sector.needs, "capability.", "checkbox", sector.needs)];
    case "Hazard": {
      const input = text("hazard", { required: true, list: "hazard-kinds" });
      const kinds = ["gas", "ceiling", "fire", "electric", "water", "explosive"];
      return [field("field.report.hazard", input),
        el("datalist", { id: "hazard-kinds" }, ...kinds.map((k) => el("option", { value: t(`field.hazard.${k}`) })))];
    }
    case "PersonsFound": {
      const people = el("div", { id: "persons" });
      const add = el("button", { type: "button", textContent: t("field.person.add") });
      add.onclick = () => people.append(personFields(people.children.length));
      return [el("div", { className: "counts" }, field("field.report.alive", number("alive")), field("field.report.deceased", number("deceased"))),
        el("div", { className: "choices" }, el("label", {}, el("input", { type: "checkbox", name: "needsMedical" }), t("field.report.needsMedical"))),
        field("field.report.details", text("details")), people, add];
    }
    case "HiddenSpaceFound": return [field("field.report.newSectorId", text("newSectorId", { required: true, dir: "ltr", value: `${sector.id}-H1`, maxLength: 64 })),
      field("field.report.name", text("name")), el("p", { textContent: t("field.report.needs") }), choices("needs", CAPABILITIES, "capability.", "checkbox"),
      field("field.report.note", text("note"))];
    default: throw new Error(`no form for ${kind}`);
  }
}

const int = (v) => (v === "" || v == null ? undefined : Number.parseInt(v, 10));
const str = (v) => (v == null || v.trim() === "" ? undefined : v.trim());

/** The report's own fields from the form, or { error } with the key of what is missing. */
export function read(kind, form) {
  const data = new FormData(form);
  const needs = data.getAll("needs");
  switch (kind) {
    case "Entered": return {};
    case "Cleared": return { method: data.get("method") };
    case "ClearedWithDeceased": return int(data.get("deceased")) > 0 ? { method: data.get("method"), deceased: int(data.get("deceased")) } : { error: "field.error.deceased" };
    case "Blocked": return needs.length ? { needs, note: str(data.get("note")) } : { error: "field.error.needs" };
    case "AccessOpened": return needs.length ? { needs } : { error: "field.error.needs" };
    case "Hazard": return str(data.get("hazard")) ? { hazard: str(data.get("hazard")) } : { error: "field.error.hazard" };
    case "PersonsFound": {
      const persons = [];
      for (let i = 0; form.elements[`name-${i}`]; i++) {
        const get = (n) => data.get(`${n}-${i}`);
        const given = ["name", "father", "mother", "age", "born", "town", "condition", "takenTo"].some((n) => str(get(n)));
        if (!given) continue; // a person's fields opened and left empty
        if (!str(get("name"))) return { error: "field.error.personName" };
        persons.push({ name: str(get("name")), fatherName: str(get("father")), motherName: str(get("mother")), age: int(get("age")),
          birthYear: int(get("born")), homeTown: str(get("town")), condition: str(get("condition")), takenTo: str(get("takenTo")) });
      }
      const alive = int(data.get("alive")), deceased = int(data.get("deceased"));
      if (!alive && !deceased && persons.length === 0) return { error: "field.error.persons" };
      return { alive, deceased, needsMedical: data.get("needsMedical") === "on", details: str(data.get("details")), persons: persons.length ? persons : undefined };
    }
    case "HiddenSpaceFound": return str(data.get("newSectorId")) ? { newSectorId: str(data.get("newSectorId")), name: str(data.get("name")), needs, note: str(data.get("note")) } : { error: "field.error.newSectorId" };
    default: return { error: "field.error.kind" };
  }
}
