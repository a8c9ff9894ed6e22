// Shared by the dashboard and the family desk: the token, signing in and out, and calls to the API.
"use strict";
const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  for (const c of children) e.append(c);
  return e;
};
// Every call carries the token; without one (or with a refused one) the sign-in form shows.
const TOKEN_KEY = "coordinator.token";
const token = () => localStorage.getItem(TOKEN_KEY);
const session = { source: null };
class SignInNeeded extends Error {}

async function api(path, body) {
  const r = await fetch(path, {
    method: body === undefined ? "GET" : "POST",
    headers: { Accept: "application/json", Authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status === 401 || r.status === 403) throw new SignInNeeded(`${path}: ${r.status}`);
  const data = r.headers.get("content-type")?.includes("json") ? await r.json() : null;
  if (!r.ok) throw new Error(data?.detail || `${path}: ${r.status}`);
  return data;
}

function showSignIn(message) {
  session.source?.close();
  $("sign-in").hidden = false;
  document.querySelector("main").hidden = true;
  $("sign-in-error").textContent = message || "";
  $("connection").textContent = "signed out";
  $("connection").className = "connection disconnected";
}

/** Wires the sign-in form and the sign-out button; start() runs once signed in. */
function signInThen(start) {
  $("sign-in").onsubmit = (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN_KEY, $("token").value.trim());
    $("sign-in").hidden = true;
    document.querySelector("main").hidden = false;
    start();
  };
  $("sign-out").onclick = () => { localStorage.removeItem(TOKEN_KEY); showSignIn(); };
}
