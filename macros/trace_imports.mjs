// Traces which files of the standard library the calculator needs, under the
// real runtime, and compiles them to bytecode for that runtime's Python.
// Run by macros/stdlib_trim.py at build time:
//
//   node macros/trace_imports.mjs <runtime dir> <bundle dir> < plan.json
//
// <runtime dir> is node_modules/pyodide (the full python_stdlib.zip);
// <bundle dir> holds pyodide-lock.json, the wheels and catalog.json.
// Stdin: {"steps": [{"packages": [...], "requests": [{...}, ...]}, ...]}.
// Each step does what the page's worker (docs/assets/calculator/worker.mjs)
// does: loadPackage the names from the bundle's lock file, import each
// package's modules, then send every request to BrowserApi.handle from
// JavaScript; a request that raises goes through Pyodide's error
// conversion (traceback formatting imports modules too).
//
// Stdout: {"python", "magic", "members": {"<zip member>": "<base64 .pyc>" |
// null}, "answers": [...]}: every member of python_stdlib.zip that was
// imported (sys.modules, compiled here to an unchecked hash-based .pyc) or
// read as data (null: ship as is). Nothing is fetched from the network.

import { readFile } from "node:fs/promises";
import path from "node:path";

function fail(message) {
  process.stderr.write(`trace_imports: ${message}\n`);
  process.exit(2);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

// Records every member that zipimport reads from the stdlib archive from now
// on (module sources, package data); modules imported before this ran are
// found in sys.modules at the end.
const RECORD_READS = `
import zipimport

_read_members = set()
_plain_get_data = zipimport._get_data

def _recording_get_data(archive, toc_entry):
    _read_members.add(toc_entry[0])
    return _plain_get_data(archive, toc_entry)

zipimport._get_data = _recording_get_data
`;

// The members to ship: a module's source (compiled below) or a data file.
const COLLECT = `
import sys

def _stdlib_members(archive):
    prefix = archive + "/"
    found = {path for path in _read_members if path.startswith(prefix)}
    for module in list(sys.modules.values()):
        spec = getattr(module, "__spec__", None)
        origin = getattr(spec, "origin", None) or getattr(module, "__file__", None)
        if isinstance(origin, str) and origin.startswith(prefix):
            found.add(origin)
    return sorted(path[len(prefix):] for path in found)
`;

// Bytecode for this runtime: unchecked hash-based .pyc (PEP 552), so the
// file holds no timestamp and zipimport never looks for the source. The
// code's file name is the path the source had, for tracebacks. Compiled
// as with -OO (optimize=2): no docstrings and no asserts, about a fifth
// fewer bytes on the wire; the standard library is tested under -OO, and
// the modules shipped only write __doc__, never read it as a string.
const COMPILE = `
import base64, importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def _compile_members(archive, members):
    out = {}
    with zipfile.ZipFile(archive) as zf:
        for member in members:
            if not member.endswith(".py"):
                out[member] = None
                continue
            source = zf.read(member)
            code = compile(source, f"{archive}/{member}", "exec", dont_inherit=True, optimize=2)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
            out[member] = base64.b64encode(pyc).decode()
    return out
`;

async function loadPackages(pyodide, names) {
  const problems = [];
  await pyodide.loadPackage(names, {
    messageCallback: () => {},
    errorCallback: (text) => problems.push(text),
  });
  for (const name of names) {
    if (!(name in pyodide.loadedPackages)) fail(`loading ${name} failed: ${problems.join("; ")}`);
    for (const module of pyodide.lockfile.packages[name]?.imports ?? [name]) pyodide.pyimport(module);
  }
}

async function main() {
  const [runtimeArg, bundleArg] = process.argv.slice(2);
  if (!runtimeArg || !bundleArg) fail("usage: node macros/trace_imports.mjs <runtime dir> <bundle dir> < plan.json");
  const runtimeDir = path.resolve(runtimeArg) + path.sep;
  const bundleDir = path.resolve(bundleArg) + path.sep;
  const { steps } = await readStdin();
  const catalogJson = await readFile(path.join(bundleDir, "catalog.json"), "utf8");

  globalThis.fetch = async (resource) => {
    throw new Error(`network access refused: ${String(resource?.url ?? resource)}`);
  };
  const { loadPyodide } = await import(path.join(runtimeDir, "pyodide.mjs"));
  const log = (text) => process.stderr.write(`${text}\n`);
  const pyodide = await loadPyodide({
    indexURL: runtimeDir,
    lockFileURL: path.join(bundleDir, "pyodide-lock.json"),
    packageBaseUrl: bundleDir,
    packages: [],
    // A fixed string hash: the compiled bytecode (e.g. of frozenset
    // constants) must not depend on a random seed.
    // Line numbers without column ranges in the bytecode's position
    // tables (tracebacks keep their lines, lose the ^^^ marks): about a
    // tenth fewer bytes on the wire.
    env: { PYTHONHASHSEED: "0", PYTHONNODEBUGRANGES: "1" },
    stdout: log,
    stderr: log,
  });
  pyodide.runPython(RECORD_READS);

  let api = null;
  const answers = [];
  for (const step of steps) {
    await loadPackages(pyodide, step.packages ?? []);
    if (api === null) {
      const { BrowserApi } = pyodide.pyimport("calculator.browser_api");
      api = BrowserApi.from_json(catalogJson);
    }
    for (const request of step.requests ?? []) {
      const text = typeof request === "string" ? request : JSON.stringify(request);
      try {
        answers.push(JSON.parse(api.handle(text)));
      } catch (error) {
        // As the worker sees it: a PythonError whose message is the traceback.
        answers.push({ raised: String(error?.message ?? error).trim().split("\n").at(-1) });
      }
    }
  }

  // Collect before compiling: the compiler's own imports are not needed.
  pyodide.runPython(COLLECT);
  const archive = pyodide.runPython("next(p for p in sys.path if p.endswith('.zip'))");
  const members = pyodide.globals.get("_stdlib_members")(archive).toJs();
  pyodide.runPython(COMPILE);
  const [python, magic] = pyodide.runPython(
    "[sys.version.split()[0], importlib.util.MAGIC_NUMBER.hex()]",
  ).toJs();
  const compiled = pyodide.globals.get("_compile_members")(archive, members).toJs({ dict_converter: Object.fromEntries });
  const text = JSON.stringify({ archive, python, magic, members: compiled, answers });
  await new Promise((resolve, reject) =>
    process.stdout.write(`${text}\n`, (error) => (error ? reject(error) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (error) => fail(error?.stack ?? String(error)),
);
