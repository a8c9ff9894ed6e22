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
      reports.createIndex("reportId", "reportId", { unique: true }); // a report saved twice (a double tap) is kept once
      d.createObjectStore("session");
    };
    request.onsuccess = () => {
      // A newer version of the app in another tab needs the database: let it go, and open it again when asked.
      request.result.onversionchange = () => { request.result.close(); opened = null; };
      resolve(request.result);
    };
    request.onerror = () => { opened = null; reject(request.error); };
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
