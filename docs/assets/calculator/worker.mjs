// The calculator's Web Worker: runs Pyodide and the `calculator` package,
// which comes as bytecode in the bundle's standard library archive
// (macros/stdlib_trim.py): imported from there, no wheel to load.
//
// Protocol (all messages are plain objects):
//   page → worker  {id, type: "init", runtime, bundle, lang} first, once
//                  {id, type: "ping"}                      answered at once
//                  {id, type: "packages", names}           load more wheels (tzdata);
//                                                          their download starts at once
//                  {id, type: "price" | "link" | ..., ...}  calculator.browser_api
//   worker → page  {type: "progress", received}            bytes fetched so far; also
//                                                          sent after each start-up step
//                  {id, type: "reply", result}             the answer to request id
//                  {id, type: "error", reason, message}    request id failed; reason is
//                                                          "blocked" (no WebAssembly allowed),
//                                                          "files" (a file did not load) or
//                                                          "failed" (anything else)
// Requests that arrive before init finishes wait for the same ready promise.
// A wheel (pure Python, from the bundle's lock file) is not installed with
// Pyodide's loadPackage, which unpacks every file into the in-memory file
// system (tzdata: ~600 files, ~80 ms): the worker fetches it with the lock
// file's sha256 as the fetch's integrity (the browser checks it), writes
// it as one file and puts it on sys.path, where zipimport reads it (and
// importlib.resources its data, as zoneinfo does).

// A request's `lang` ("de" or "en", the page's) picks the data of that
// edition: catalog.json (German) or catalog.<lang>.json from the bundle,
// each fetched once, when first asked (one worker serves both editions);
// init's `lang` (German if none) is fetched while Python starts.

let ready = null;
let received = 0;
// The bundle folder's URL and its lock file (parsed), fetched as soon as
// init names the bundle.
let bundleUrl = null;
let lockFile = null;
// Package name → promise of its wheel's bytes (fetched once).
const wheels = new Map();
// Edition ("de", "en") → promise of its catalog's JSON text (fetched once).
const catalogs = new Map();
// Where the wheels are written; each is a sys.path entry.
const WHEEL_DIR = "/wheels";

/** An error with the reason the page shows for it. */
class WorkerError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

// Pyodide does not reject when a file it fetches fails: loadPyodide waits
// forever for a missing wasm. So a failed fetch rejects this promise,
// which every load races against (the page discards a worker whose start
// failed).
let fileFailed = null;
const fileFailure = new Promise((_, reject) => {
  fileFailed = (message) => reject(new WorkerError("files", message));
});
fileFailure.catch(() => {}); // observed through the races below

// Count the bytes of everything Pyodide fetches, for the page's progress
// bar. The count reads a clone: handing Pyodide a re-wrapped Response
// would keep Chromium from caching the compiled wasm.
const plainFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  let response;
  try {
    response = await plainFetch(input, init);
  } catch (error) {
    fileFailed(`${input}: ${error?.message ?? error}`);
    throw error;
  }
  if (!response.ok) fileFailed(`${response.url}: HTTP ${response.status}`);
  if (response.body) countBytes(response.clone().body.getReader()).catch(() => {});
  return response;
};

async function countBytes(reader) {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    received += value.byteLength;
    progress();
  }
}

/** Tell the page that the start moves on (the page watches for stalls). */
function progress() {
  self.postMessage({ type: "progress", received });
}

// The smallest valid module (magic number, version 1). Compiling it fails
// only where WebAssembly is not allowed: a Content-Security-Policy without
// 'wasm-unsafe-eval' (the worker's own response headers), or a browser
// policy. loadPyodide would then wait forever.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

function checkWasmAllowed() {
  try {
    new WebAssembly.Module(EMPTY_MODULE);
  } catch (error) {
    throw new WorkerError("blocked", `WebAssembly is blocked: ${error?.message ?? error}`);
  }
}

async function start({ runtime, bundle, lang }) {
  checkWasmAllowed();
  bundleUrl = bundle;
  lockFile = self.fetch(new URL("pyodide-lock.json", bundle)).then((response) => response.json());
  lockFile.catch(() => {}); // observed by loadPyodide and fetchWheel
  fetchCatalog(lang);
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  const pyodide = await loadPyodide({
    indexURL: runtime,
    lockFileContents: lockFile,
    packageBaseUrl: bundle,
    // The standard library cut to what the calculator imports, with the
    // calculator itself, as bytecode (macros/stdlib_trim.py): built from
    // the bundle's wheels, so it lives beside them.
    stdLibURL: new URL("python_stdlib.zip", bundle).href,
    packages: [],
  });
  progress();
  const state = { pyodide, apis: new Map(), mounted: new Set() };
  await apiFor(state, lang);
  return state;
}

/** The BrowserApi over the data of edition `lang` (loaded once). */
function apiFor(state, lang = "de") {
  if (!state.apis.has(lang)) state.apis.set(lang, loadApi(state, lang));
  return state.apis.get(lang);
}

/** Start fetching the data of edition `lang` (once); resolves to its JSON text. */
function fetchCatalog(lang = "de") {
  if (!catalogs.has(lang)) {
    const name = lang === "de" ? "catalog.json" : `catalog.${lang}.json`;
    const text = self.fetch(new URL(name, bundleUrl)).then((response) => {
      if (!response.ok) throw new WorkerError("files", `${name}: HTTP ${response.status}`);
      return response.text();
    });
    text.catch(() => {}); // observed by loadApi
    catalogs.set(lang, text);
  }
  return catalogs.get(lang);
}

async function loadApi({ pyodide }, lang) {
  const catalogJson = await fetchCatalog(lang);
  const { BrowserApi } = pyodide.pyimport("calculator.browser_api");
  return BrowserApi.from_json(catalogJson);
}

/** The lock file's entry of package `name`. */
async function lockEntry(name) {
  const entry = (await lockFile)?.packages?.[name];
  if (!entry) throw new WorkerError("files", `${name} is not in pyodide-lock.json`);
  return entry;
}

/** Start fetching the wheel of package `name` (once), and of what it
 * depends on; resolves to its bytes, checked against the lock file's sha256. */
function fetchWheel(name) {
  if (!wheels.has(name)) {
    const bytes = lockEntry(name).then(async (entry) => {
      for (const other of entry.depends) fetchWheel(other);
      const response = await self.fetch(new URL(entry.file_name, bundleUrl), {
        integrity: `sha256-${base64OfHex(entry.sha256)}`,
      });
      if (!response.ok) throw new WorkerError("files", `${entry.file_name}: HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    });
    bytes.catch(() => {}); // observed by loadPackages
    wheels.set(name, bytes);
  }
  return wheels.get(name);
}

function base64OfHex(hex) {
  return btoa(String.fromCharCode(...hex.match(/../g).map((pair) => parseInt(pair, 16))));
}

/** Put the wheels `names` (and what they depend on) on sys.path and check
 * that each of their modules imports. */
async function loadPackages(state, names) {
  for (const name of names) {
    if (state.mounted.has(name)) continue;
    const entry = await Promise.race([lockEntry(name), fileFailure]);
    await loadPackages(state, entry.depends);
    const bytes = await Promise.race([fetchWheel(name), fileFailure]);
    const where = `${WHEEL_DIR}/${entry.file_name}`;
    state.pyodide.FS.mkdirTree(WHEEL_DIR);
    state.pyodide.FS.writeFile(where, bytes);
    state.pyodide.pyimport("sys").path.append(where);
    for (const module of entry.imports ?? [name]) {
      try {
        state.pyodide.pyimport(module);
      } catch (error) {
        throw new WorkerError("files", `${name} did not load (${error.message})`);
      }
    }
    state.mounted.add(name);
  }
  progress();
}

async function answer(message) {
  const { id, type, ...request } = message;
  if (type === "ping") return null; // at once, also while starting: the worker is alive
  if (type === "init") {
    ready ??= Promise.race([start(message), fileFailure]);
    await ready;
    return null;
  }
  if (!ready) throw new Error("the worker was not initialised");
  if (type === "packages") {
    for (const name of request.names) fetchWheel(name); // while Python may still start
    await loadPackages(await ready, request.names);
    return null;
  }
  const state = await ready;
  // An unknown lang: the German data, and browser_api refuses the request.
  const api = await apiFor(state, ["de", "en"].includes(request.lang) ? request.lang : "de");
  return JSON.parse(api.handle(JSON.stringify({ type, ...request })));
}

self.onmessage = async ({ data: message }) => {
  try {
    self.postMessage({ id: message.id, type: "reply", result: await answer(message) });
  } catch (error) {
    self.postMessage({
      id: message.id,
      type: "error",
      reason: error?.reason ?? "failed",
      message: String(error?.message ?? error),
    });
  }
};
