// A team's shift on the board: time on duty across sectors, marked at the limit and again at half as long again.
// The clock runs on the page between board reads, counted from when the board was read (not the machine's clock).
import { el } from "./dom.js";
import { t, fmtDuration } from "./i18n.js";

const STAGES = ["OffDuty", "OnDuty", "PastLimit", "Overrun"];

function stageOf(seconds, limit) {
  if (seconds == null) return "OffDuty";
  return seconds >= 1.5 * limit ? "Overrun" : seconds >= limit ? "PastLimit" : "OnDuty";
}

function paint(td) {
  const base = Number(td.dataset.secondsOnDuty), limit = Number(td.dataset.shiftLimit);
  const seconds = td.dataset.secondsOnDuty === "" ? null : base + (performance.now() - Number(td.dataset.readAt)) / 1000;
  const stage = stageOf(seconds, limit);
  td.dataset.shift = stage;
  td.className = stage === "OnDuty" || stage === "OffDuty" ? "" : "past-shift";
  td.textContent = seconds == null ? "—"
    : fmtDuration(seconds) + (stage === "PastLimit" ? ` ${t("shift.pastLimit")}` : stage === "Overrun" ? ` ${t("shift.overrun")}` : "");
  return stage;
}

/** The teams table's shift cell for a team of a board read just now. */
export function shiftCell(team, limitSeconds) {
  const td = el("td", { className: "" });
  Object.assign(td.dataset, { secondsOnDuty: team.secondsOnDuty ?? "", shiftLimit: limitSeconds, readAt: performance.now(), readStage: team.shift });
  paint(td);
  return td;
}

/**
 * Keeps every shift cell's clock running. When a team crosses the limit between board reads, crossed() is called,
 * so the page reads the board again and shows the alert the node now raises.
 */
export function keepShiftClocks(limitSeconds, crossed) {
  const every = Math.max(250, Math.min(30_000, (limitSeconds * 1000) / 8));
  return setInterval(() => {
    let behind = false;
    for (const td of document.querySelectorAll("td[data-shift-limit]"))
      if (STAGES.indexOf(paint(td)) > STAGES.indexOf(td.dataset.readStage)) behind = true;
    if (behind) crossed();
  }, every);
}
