// The phone's memory: IndexedDB, which survives a reload, a browser restart and a dead battery.
// Two stores: "reports" (the outbox, in the order made) and "session" (the token, the team, the last briefing).
const DB_NAME = "coordinator-field";
let opened = null;

function db() {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const d = request.result;
      const reports = d.createObjectStore("reports", { keyPath: "seq", autoIncrement: true });
      reports.createIndex("state", "state");
      d.createObjectStore("session");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opened;
}

/** Runs fn(store) in one transaction and resolves when it has committed: a report is kept only once it is on disk. */
export async function tx(storeName, mode, fn) {
  const d = await db();
  return new Promise((resolve, reject) => {
    const t = d.transaction(storeName, mode, { durability: "strict" });
    let result;
    Promise.resolve(fn(t.objectStore(storeName))).then((r) => { result = r; }, reject);
    t.oncomplete = () => resolve(result);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
}

export const req = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });

export const getSetting = (key) => tx("session", "readonly", (s) => req(s.get(key)));
export const setSetting = (key, value) => tx("session", "readwrite", (s) => { s.put(value, key); });
export const deleteSetting = (key) => tx("session", "readwrite", (s) => { s.delete(key); });
