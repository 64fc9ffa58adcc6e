// The calculator's Web Worker: runs Pyodide and the `calculator` package.
//
// Protocol (all messages are plain objects):
//   page → worker  {id, type: "init", runtime, bundle, packages}  first, once
//                  {id, type: "packages", names}        load more wheels (tzdata)
//                  {id, type: "price" | "link" | ..., ...}  calculator.browser_api
//   worker → page  {type: "progress", received}         bytes fetched so far
//                  {id, type: "reply", result}          the answer to request id
//                  {id, type: "error", message}         request id failed
// Requests that arrive before init finishes wait for the same ready promise.

let ready = null;
let received = 0;

// Pyodide does not reject loadPyodide when its wasm cannot be fetched: it
// logs a warning and waits forever. So a failed fetch fails the start.
let fetchFailed = null;
const fetchFailure = new Promise((_, reject) => {
  fetchFailed = reject;
});
fetchFailure.catch(() => {}); // observed through the race in onmessage

// Count the bytes of everything Pyodide fetches, for the page's progress
// bar. The count reads a clone: handing Pyodide a re-wrapped Response
// would keep Chromium from caching the compiled wasm.
const plainFetch = self.fetch.bind(self);
self.fetch = async (input, init) => {
  let response;
  try {
    response = await plainFetch(input, init);
  } catch (error) {
    fetchFailed(error);
    throw error;
  }
  if (!response.ok) fetchFailed(new Error(`${response.url}: HTTP ${response.status}`));
  if (response.body) countBytes(response.clone().body.getReader()).catch(() => {});
  return response;
};

async function countBytes(reader) {
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    received += value.byteLength;
    self.postMessage({ type: "progress", received });
  }
}

async function start({ runtime, bundle, packages = [] }) {
  const { loadPyodide } = await import(new URL("pyodide.mjs", runtime).href);
  const pyodide = await loadPyodide({
    indexURL: runtime,
    lockFileURL: new URL("pyodide-lock.json", bundle).href,
    packages: [],
  });
  // By name, from our lock file: Pyodide checks each wheel's sha256.
  await loadPackages(pyodide, ["cci-calculator", ...packages]);
  const response = await self.fetch(new URL("catalog.json", bundle));
  if (!response.ok) throw new Error(`catalog.json: HTTP ${response.status}`);
  const catalogJson = await response.text();
  const { BrowserApi } = pyodide.pyimport("calculator.browser_api");
  return { pyodide, api: BrowserApi.from_json(catalogJson) };
}

function loadPackages(pyodide, names) {
  return pyodide.loadPackage(names, { messageCallback: () => {}, checkIntegrity: true });
}

async function answer(message) {
  const { id, type, ...request } = message;
  if (type === "init") {
    ready ??= Promise.race([start(message), fetchFailure]);
    await ready;
    return null;
  }
  if (!ready) throw new Error("the worker was not initialised");
  const { pyodide, api } = await ready;
  if (type === "packages") {
    await loadPackages(pyodide, request.names);
    return null;
  }
  return JSON.parse(api.handle(JSON.stringify({ type, ...request })));
}

self.onmessage = async ({ data: message }) => {
  try {
    self.postMessage({ id: message.id, type: "reply", result: await answer(message) });
  } catch (error) {
    self.postMessage({ id: message.id, type: "error", message: String(error?.message ?? error) });
  }
};
