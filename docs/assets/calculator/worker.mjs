// The calculator's Web Worker: runs Pyodide and the `calculator` package,
// which comes as bytecode in the bundle's standard library archive
// (macros/stdlib_trim.py): imported from there, no wheel to load.
//
// Protocol (all messages are plain objects):
//   page → worker  {id, type: "init", runtime, bundle, lang} first, once
//                  {id, type: "ping"}                      answered at once
//                  {id, type: "packages", names}           load more wheels (tzdata)
//                  {id, type: "price" | "link" | ..., ...}  calculator.browser_api
//   worker → page  {type: "progress", received}            bytes fetched so far; also
//                                                          sent after each start-up step
//                  {id, type: "reply", result}             the answer to request id
//                  {id, type: "error", reason, message}    request id failed; reason is
//                                                          "blocked" (no WebAssembly allowed),
//                                                          "files" (a file did not load) or
//                                                          "failed" (anything else)
// Requests that arrive before init finishes wait for the same ready promise.
// A request's `lang` ("de" or "en", the page's) picks the data of that
// edition: catalog.json (German) or catalog.<lang>.json from the bundle,
// each fetched once, when first asked (one worker serves both editions).

let ready = null;
let received = 0;

/** An error with the reason the page shows for it. */
class WorkerError extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

// Pyodide does not reject when a file it fetches fails: loadPyodide waits
// forever for a missing wasm, loadPackage resolves after a missing wheel.
// So a failed fetch rejects this promise, which every load races against
// (the page discards a worker whose start failed).
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
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  const pyodide = await loadPyodide({
    indexURL: runtime,
    lockFileURL: new URL("pyodide-lock.json", bundle).href,
    // The standard library cut to what the calculator imports, with the
    // calculator itself, as bytecode (macros/stdlib_trim.py): built from
    // the bundle's wheels, so it lives beside them.
    stdLibURL: new URL("python_stdlib.zip", bundle).href,
    packages: [],
  });
  progress();
  const state = { pyodide, bundle, apis: new Map() };
  await apiFor(state, lang);
  return state;
}

/** The BrowserApi over the data of edition `lang` (loaded once). */
function apiFor(state, lang = "de") {
  if (!state.apis.has(lang)) state.apis.set(lang, loadApi(state, lang));
  return state.apis.get(lang);
}

async function loadApi({ pyodide, bundle }, lang) {
  const name = lang === "de" ? "catalog.json" : `catalog.${lang}.json`;
  const response = await self.fetch(new URL(name, bundle));
  if (!response.ok) throw new WorkerError("files", `${name}: HTTP ${response.status}`);
  const catalogJson = await response.text();
  const { BrowserApi } = pyodide.pyimport("calculator.browser_api");
  return BrowserApi.from_json(catalogJson);
}

/** Load the wheels `names` and check that each of their modules imports. */
async function loadPackages(pyodide, names) {
  const problems = [];
  await Promise.race([
    pyodide.loadPackage(names, {
      messageCallback: () => {},
      errorCallback: (message) => problems.push(message),
      checkIntegrity: true,
    }),
    fileFailure,
  ]);
  for (const name of names) {
    for (const module of pyodide.lockfile.packages[name]?.imports ?? [name]) {
      try {
        pyodide.pyimport(module);
      } catch (error) {
        throw new WorkerError("files", `${name} did not load (${[...problems, error.message].join("; ")})`);
      }
    }
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
  const state = await ready;
  if (type === "packages") {
    await loadPackages(state.pyodide, request.names);
    return null;
  }
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
