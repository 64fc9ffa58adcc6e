// Runs the site's calculator in Pyodide under Node and prices many inputs
// (or answers any requests of the page's worker).
//
//   node tests/pyodide_node.mjs <bundle dir> < tests/vectors/pricing.json
//
// <bundle dir> is a built site's assets/calculator/<id>/ (pyodide-lock.json,
// the tzdata wheel, catalog.json, python_stdlib.zip). The runtime is
// this repository's node_modules/pyodide, the npm package the build copies
// into the site (its wasm and modules), with the standard library the site
// ships: the bundle's trimmed python_stdlib.zip, as the page's worker loads
// it (stdLibURL), and the calculator from that archive (its bytecode), as
// the worker imports it: no calculator wheel, no loadPackage for it.
// Stdin is either a vector file ({"vectors": [{"input": ...}, ...]}) or a
// JSON array of input strings, each priced as
//   api.handle(JSON.stringify({type: "price", usage: input})),
// or an object {"requests": [{"type": ..., ...}, ...], "packages": [...]}:
// each request goes to api.handle as it is (as the page's worker sends
// it), after the extra packages' wheels from the bundle's lock file are on
// sys.path, as the worker puts them (e.g. "tzdata", which the
// response-time page loads). Stdout is one JSON
// object:
//   {"runtime": {...}, "results": [<answer to request 0>, ...]}
// where each answer is what api.handle returned (or {"exception": "...",
// "where": "<file>:<line>"} if that call raised, the innermost frame).
// Diagnostics go to stderr; any failure exits non-zero.
//
// Nothing is fetched from the network: fetch is replaced with a function
// that throws, and packageBaseUrl points at the bundle (else Node's Pyodide
// falls back to a CDN). The worker fetches a wheel with the lock file's
// sha256 as the fetch's integrity; the harness checks each extra package's
// sha256 against the lock file itself, as the browser does.

import { createHash } from "node:crypto";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { mountWheels } from "../macros/mount_wheels.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RUNTIME_DIR = path.resolve(HERE, "..", "node_modules", "pyodide") + path.sep;

// Answer every request in one Python call. (Measured: 1.000 calls of
// api.handle from JS take about as long, ~0.25 ms each; Python's work
// dominates. One call keeps an exception per input instead of per batch.)
const ANSWER_ALL = `
import json
from calculator.browser_api import BrowserApi

def answer_all(catalog_json, requests_json):
    api = BrowserApi.from_json(catalog_json)
    answers = []
    for request in json.loads(requests_json):
        try:
            answers.append(api.handle(request))
        except Exception as error:  # reported per input, not for the batch
            answers.append(json.dumps({"exception": f"{type(error).__name__}: {error}",
                                       "where": where_raised(error)}))
    return "[" + ",".join(answers) + "]"

def where_raised(error):
    # "file:line" of the innermost frame, as a traceback names it.
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    return f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}"

answer_all
`;

function fail(message) {
  process.stderr.write(`pyodide_node: ${message}\n`);
  process.exit(2);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

// The requests for api.handle (JSON texts) and the extra packages to load.
function requestsOf(parsed) {
  if (parsed !== null && typeof parsed === "object" && "requests" in parsed) {
    const { requests, packages = [] } = parsed;
    const isObject = (item) => item !== null && typeof item === "object" && !Array.isArray(item);
    if (!Array.isArray(requests) || !requests.every(isObject)) {
      fail('"requests" must be a JSON array of request objects ({"type": ..., ...})');
    }
    if (!Array.isArray(packages) || !packages.every((name) => typeof name === "string")) {
      fail('"packages" must be a JSON array of package names');
    }
    return { requests: requests.map((request) => JSON.stringify(request)), packages };
  }
  const requests = inputsOf(parsed).map((usage) => JSON.stringify({ type: "price", usage }));
  return { requests, packages: [] };
}

function inputsOf(parsed) {
  const list = Array.isArray(parsed) ? parsed : parsed?.vectors?.map((vector) => vector.input);
  if (!Array.isArray(list) || !list.every((item) => typeof item === "string")) {
    fail('stdin must be a JSON array of strings or {"vectors": [{"input": "..."}, ...]}');
  }
  return list;
}

async function checkWheel(bundleDir, lockPath, name) {
  const lock = JSON.parse(await readFile(lockPath, "utf8"));
  const entry = lock.packages?.[name];
  if (!entry) fail(`${lockPath} has no package ${name}`);
  const wheel = path.join(bundleDir, entry.file_name);
  const digest = createHash("sha256").update(await readFile(wheel)).digest("hex");
  if (digest !== entry.sha256) {
    fail(`${wheel}: sha256 ${digest} differs from the lock file's ${entry.sha256}`);
  }
  return { wheel: entry.file_name, sha256: digest };
}

// The standard library to boot with, and its sha256 (reported).
async function stdlibOf(bundleDir) {
  const shipped = path.join(bundleDir, "python_stdlib.zip");
  const file = await access(shipped).then(() => shipped, () => path.join(RUNTIME_DIR, "python_stdlib.zip"));
  const sha256 = createHash("sha256").update(await readFile(file)).digest("hex");
  return { path: file, sha256 };
}

async function main() {
  const [bundleArg] = process.argv.slice(2);
  if (!bundleArg) fail("usage: node tests/pyodide_node.mjs <bundle dir> < vectors.json");
  const bundleDir = path.resolve(bundleArg) + path.sep;
  const lockPath = path.join(bundleDir, "pyodide-lock.json");

  const { requests, packages } = requestsOf(JSON.parse(await readStdin()));
  const extras = {};
  for (const name of packages) extras[name] = await checkWheel(bundleDir, lockPath, name);
  const catalogJson = await readFile(path.join(bundleDir, "catalog.json"), "utf8");
  const stdlib = await stdlibOf(bundleDir);

  globalThis.fetch = async (resource) => {
    throw new Error(`network access refused: ${String(resource?.url ?? resource)}`);
  };

  const started = performance.now();
  const { loadPyodide } = await import(path.join(RUNTIME_DIR, "pyodide.mjs"));
  const log = (text) => process.stderr.write(`${text}\n`);
  const pyodide = await loadPyodide({
    indexURL: RUNTIME_DIR,
    lockFileURL: lockPath,
    packageBaseUrl: bundleDir,
    stdLibURL: stdlib.path,
    packages: [],
    stdout: log,
    stderr: log,
  });
  const booted = performance.now();
  await mountWheels(pyodide, bundleDir, packages);
  const answerAll = pyodide.runPython(ANSWER_ALL);
  const loaded = performance.now();
  const results = answerAll(catalogJson, JSON.stringify(requests));
  const answered = performance.now();
  answerAll.destroy();

  const module = pyodide.runPython("import calculator; calculator.__file__");
  const runtime = {
    pyodide: pyodide.version,
    python: pyodide.runPython("import sys; sys.version.split()[0]"),
    // The bytecode version this Python loads (.pyc header).
    magic: pyodide.runPython("import importlib.util; importlib.util.MAGIC_NUMBER.hex()"),
    // Where the calculator comes from: its bytecode in the archive.
    calculator: module,
    packages: extras,
    // Where the standard library's modules come from: a .pyc in the zip
    // when the archive ships bytecode only.
    stdlib: { ...stdlib, json: pyodide.runPython("import json; json.__file__") },
    count: requests.length,
    ms: {
      boot: Math.round(booted - started),
      load_package: Math.round(loaded - booted),
      answer_all: Math.round(answered - loaded),
    },
  };
  // Exit only once the pipe has taken everything: a write to a full pipe
  // completes asynchronously, and process.exit would cut it short.
  const text = `{"runtime":${JSON.stringify(runtime)},"results":${results}}\n`;
  await new Promise((resolve, reject) =>
    process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (error) => fail(error?.stack ?? String(error)),
);
