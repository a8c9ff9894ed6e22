// A level drawn as its floor plan (SVG) when its layout gives sectors a place ({x, y, w, h}): each sector a
// rectangle in its status colour, with its label, the team on it, and hazards and blocked doors marked by a
// symbol and a hatch, not by colour alone. Sectors without a place stay below it as the usual grid cells.
import { el } from "./dom.js";
import { t } from "./i18n.js";

const SVG = "http://www.w3.org/2000/svg";
const CONTAINERS = ["Site", "Building", "Level", "Wing", "Block"];
const MARKS = { Hazard: "⚠", Blocked: "⛔" };
let plans = 0; // each plan's hatch pattern needs an id of its own in the page

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** The short label drawn in a cell: the last part of its id (01, COR, STAIR); the whole id is in its name. */
const label = (id) => id.slice(id.lastIndexOf("-") + 1) || id;

function describe(s) {
  return [s.id, s.name, t("status." + s.status), s.team && t("plan.team", { team: s.team }), s.hazard && t("plan.hazard", { hazard: s.hazard })]
    .filter(Boolean).join(" · ");
}

/** Text that fits its rectangle, no larger than the plan's own text size so that big rooms do not shout. */
function fit(text, w, h, lines, largest) {
  return Math.max(0.01, Math.min(largest, h / (lines + 0.5), (w * 0.9) / (Math.max(text.length, 1) * 0.62)));
}

function draw(g, s) {
  const { x, y, w, h } = s.plan;
  const plan = g.closest("svg");
  const container = CONTAINERS.includes(s.kind);
  g.dataset.status = s.status;
  g.setAttribute("class", `plan-cell${container ? " container" : ""}${s.kind === "HiddenSpace" ? " hidden-space" : ""}`);
  g.setAttribute("aria-label", describe(s));
  const box = svg("rect", { x, y, width: w, height: h, class: "area" });
  box.style.fill = `var(--${s.status})`;
  const title = svg("title");
  title.textContent = describe(s);
  const parts = [title, box];
  // A wing or block is the ground its cells stand on: an outline, named in its title, under them.
  if (!container) {
    if (MARKS[s.status]) parts.push(svg("rect", { x, y, width: w, height: h, class: "hatch", fill: `url(#${plan.dataset.hatch})` }));
    const lines = [label(s.id), s.team, MARKS[s.status]].filter(Boolean);
    const size = Math.min(...lines.map((l) => fit(l, w, h, lines.length, Number(plan.dataset.textSize))));
    lines.forEach((line, i) => {
      const text = svg("text", { x: x + w / 2, y: y + (h * (i + 1)) / (lines.length + 1), "font-size": size, class: i === 0 ? "id" : line === s.team ? "team" : "mark" });
      text.textContent = line;
      parts.push(text);
    });
  }
  g.replaceChildren(...parts);
}

/**
 * The level as a plan, or null when none of its sectors has a place (the caller draws today's grid).
 * open(id) opens a sector's dialog; cellButton(s) makes a grid cell for a sector without a place.
 */
export function levelPlan(sectors, open, cellButton) {
  const placed = sectors.filter((s) => s.plan);
  if (placed.length === 0) return null;
  const minX = Math.min(...placed.map((s) => s.plan.x)), minY = Math.min(...placed.map((s) => s.plan.y));
  const maxX = Math.max(...placed.map((s) => s.plan.x + s.plan.w)), maxY = Math.max(...placed.map((s) => s.plan.y + s.plan.h));
  const span = Math.max(maxX - minX, maxY - minY), margin = span * 0.02, stripe = span / 100;
  const hatch = `plan-hatch-${++plans}`;
  // A plan is a drawing of the ground, the same way up in either language: it is never mirrored for Arabic.
  const drawing = svg("svg", { class: "plan", dir: "ltr", role: "group",
    viewBox: `${minX - margin} ${minY - margin} ${maxX - minX + 2 * margin} ${maxY - minY + 2 * margin}`, "aria-label": t("plan.label") },
  svg("defs", {}, svg("pattern", { id: hatch, width: stripe, height: stripe, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" },
    svg("line", { x1: 0, y1: 0, x2: 0, y2: stripe, "stroke-width": stripe * 0.35, class: "hatch-line" }))));
  Object.assign(drawing.dataset, { hatch, textSize: span / 35 });
  // Containers underneath, so the cells in a wing are drawn over it and take the clicks.
  for (const s of [...placed].sort((a, b) => CONTAINERS.includes(b.kind) - CONTAINERS.includes(a.kind))) {
    const g = svg("g", { tabindex: 0, role: "button" });
    g.dataset.sector = s.id;
    drawing.append(g);
    draw(g, s);
    g.addEventListener("click", () => open(s.id));
    g.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(s.id); } });
  }
  const rest = sectors.filter((s) => !s.plan);
  return el("div", { className: "plan-level" }, drawing,
    rest.length > 0 && el("div", { className: "cells unplaced", title: t("plan.unplaced") }, ...rest.map(cellButton)));
}

/** Repaints a sector drawn on a plan after a change; false when it is not on one. */
export function paintPlanCell(s) {
  const g = document.querySelector(`.plan-cell[data-sector="${CSS.escape(s.id)}"]`);
  if (!g || !s.plan) return false;
  draw(g, s);
  return true;
}
