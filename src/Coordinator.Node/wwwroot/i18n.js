// TEMPORARY stand-in (replaced by the shared module from the i18n branch).
let strings = {}, fallback = {}, current = "en";
export const lang = () => current;
export function t(key, params = {}) {
  const s = strings[key] ?? fallback[key];
  if (s === undefined) { console.warn(`missing ${key}`); return key; }
  return s.replace(/\{(\w+)\}/g, (_, k) => params[k] ?? `{${k}}`);
}
export function applyTo(root) {
  for (const e of root.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  for (const e of root.querySelectorAll("[data-i18n-placeholder]")) e.placeholder = t(e.dataset.i18nPlaceholder);
}
async function load(l) {
  current = l;
  fallback = await (await fetch("/i18n/en.json")).json();
  strings = l === "en" ? fallback : await (await fetch(`/i18n/${l}.json`)).json();
  document.documentElement.lang = l;
  document.documentElement.dir = l === "ar" ? "rtl" : "ltr";
  applyTo(document);
}
export async function loadLanguage() {
  const l = localStorage.getItem("coordinator.lang") ?? (navigator.languages.some((x) => x.startsWith("ar")) ? "ar" : "en");
  await load(l); return l;
}
export async function setLanguage(l) { localStorage.setItem("coordinator.lang", l); await load(l); dispatchEvent(new Event("languagechange-app")); }
export function languageSwitch() {
  const b = document.createElement("button");
  const paint = () => { const other = current === "ar" ? "en" : "ar"; b.textContent = other === "ar" ? "العربية" : "English"; b.lang = other; };
  paint(); b.type = "button"; b.onclick = async () => { await setLanguage(current === "ar" ? "en" : "ar"); paint(); };
  return b;
}
export const fmtNumber = (n) => new Intl.NumberFormat(current).format(n);
export const fmtDate = (d) => new Intl.DateTimeFormat(current, { dateStyle: "short", timeStyle: "short" }).format(new Date(d));
export const fmtDuration = (s) => `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}`;
