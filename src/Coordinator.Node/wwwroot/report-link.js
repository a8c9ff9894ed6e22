// The printable report opens in a new tab, and a new tab carries no bearer token: the page first asks the node for
// a single-use link (a ticket valid about a minute), then opens it, in the language the page is read in.
import { $ } from "./dom.js";
import { lang } from "./i18n.js";
import { api, failureText } from "./session.js";

async function openReport(facilityId) {
  $("report-error").textContent = "";
  // The tab is opened within the click, so no popup blocker stops it; it is sent to the report once the link arrives.
  const tab = window.open("", "_blank");
  try {
    const link = await api(`/api/facilities/${encodeURIComponent(facilityId)}/report-link?lang=${lang()}`, {});
    if (!tab) { window.open(link.url, "_blank", "noopener"); return; }
    tab.opener = null;
    tab.location.replace(link.url);
  } catch (err) {
    tab?.close();
    $("report-error").textContent = failureText(err);
  }
}

/** Makes the report button open the report of whichever facility selected() names when it is clicked. */
export function wireReportLink(selected) {
  $("report-link").onclick = () => openReport(selected());
}
