// Every page says "simulated" while the node runs the demo (--demo), so no one takes its records for real ones.
import { t } from "./i18n.js";

/** Puts the simulated-operation banner at the top of the page when the node runs the demo; call after loadLanguage(). */
export async function showIfSimulated() {
  let operation;
  try {
    const r = await fetch("/api/operation", { headers: { Accept: "application/json" } });
    if (!r.ok) return;
    operation = await r.json();
  } catch {
    return; // offline (the field app): the banner shows again once the node answers
  }
  if (!operation.simulated || document.getElementById("simulated")) return;
  const banner = Object.assign(document.createElement("div"), { id: "simulated", className: "simulated-banner", role: "status" });
  banner.dataset.i18n = "demo.banner"; // retranslated in place by a language switch
  banner.textContent = t("demo.banner");
  document.body.prepend(banner);
}
