// The pages' words in Arabic and English: strings by key from /i18n/<lang>.json, the page's lang and dir,
// and numbers, dates and durations written the way each language's readers write them.
const STORAGE_KEY = "coordinator.lang";
const NAMES = { ar: "العربية", en: "English" };
// ar-SY: Syrian month names and Arabic-Indic digits (٠١٢…), what the users read every day; the numbering system
// is named so every browser agrees. en-GB: day before month, as in Syria, so 05/02 is never read as May 2.
const LOCALES = { ar: "ar-SY-u-nu-arab", en: "en-GB" };
const ATTRIBUTES = ["placeholder", "title", "aria-label"];

let current = "en";
let strings = {};
let fallback = {};
let formats = null;

function preferred() {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (Object.hasOwn(NAMES, stored ?? "")) return stored;
  return (navigator.languages || []).some((l) => l.toLowerCase().startsWith("ar")) ? "ar" : "en";
}

async function fetchStrings(l) {
  try {
    const r = await fetch(`/i18n/${l}.json`);
    if (r.ok) return await r.json();
    console.warn(`i18n: /i18n/${l}.json answered ${r.status}`);
  } catch (e) {
    console.warn(`i18n: /i18n/${l}.json could not be read`, e);
  }
  return {};
}

async function use(l) {
  const [own, en] = await Promise.all([fetchStrings(l), l === "en" ? null : fetchStrings("en")]);
  current = l;
  strings = own;
  fallback = en ?? own; // English fills a gap rather than showing a key
  const locale = LOCALES[l];
  formats = {
    number: new Intl.NumberFormat(locale, { useGrouping: "min2" }), // 12,345 but 1987: years and ids stay ungrouped
    twoDigits: new Intl.NumberFormat(locale, { minimumIntegerDigits: 2 }),
    date: new Intl.DateTimeFormat(locale, { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  };
  document.documentElement.lang = l;
  document.documentElement.dir = l === "ar" ? "rtl" : "ltr";
  applyTo(document);
}

/** Picks the language (stored choice, else Arabic if the browser lists it, else English), loads it, translates the page. */
export async function loadLanguage() {
  await use(preferred());
  return current;
}

/** The string for key with each {name} replaced from params; a missing key shows as itself. */
export function t(key, params = {}) {
  const s = strings[key] ?? fallback[key];
  if (s === undefined) {
    console.warn(`i18n: no string for "${key}"`);
    return key;
  }
  return s.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export function lang() {
  return current;
}

/** Switches and remembers the language; pages re-render what they drew themselves on "languagechange-app". */
export async function setLanguage(l) {
  if (!Object.hasOwn(NAMES, l)) throw new RangeError(`no strings for language "${l}"`);
  localStorage.setItem(STORAGE_KEY, l);
  await use(l);
  window.dispatchEvent(new Event("languagechange-app"));
}

/** Translates root and everything in it that names a key: data-i18n (text), data-i18n-placeholder, -title, -aria-label. */
export function applyTo(root) {
  const all = (selector) => [...(root.matches?.(selector) ? [root] : []), ...root.querySelectorAll(selector)];
  for (const e of all("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  for (const a of ATTRIBUTES)
    for (const e of all(`[data-i18n-${a}]`)) e.setAttribute(a, t(e.getAttribute(`data-i18n-${a}`)));
}

/** A button naming the other language in that language, which switches to it. */
export function languageSwitch() {
  const other = () => (current === "ar" ? "en" : "ar");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link language-switch";
  const paint = () => {
    button.textContent = NAMES[other()];
    button.lang = other();
  };
  paint();
  button.onclick = () => setLanguage(other());
  window.addEventListener("languagechange-app", paint);
  return button;
}

export function fmtNumber(n) {
  return formats.number.format(n);
}

/** Date and time to the minute, 24-hour, in the reader's time zone; "" for none. */
export function fmtDate(isoOrDate) {
  return isoOrDate == null ? "" : formats.date.format(new Date(isoOrDate));
}

/** A duration as hours and minutes: "2h05" / "٢ س ٠٥ د". */
export function fmtDuration(seconds) {
  return t("common.duration", {
    h: formats.number.format(Math.floor(seconds / 3600)),
    m: formats.twoDigits.format(Math.floor((seconds % 3600) / 60)),
  });
}
