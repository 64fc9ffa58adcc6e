// Traces which files of the standard library the calculator needs, under the
// real runtime, and compiles them to bytecode for that runtime's Python.
// Run by macros/stdlib_trim.py at build time:
//
//   node macros/trace_imports.mjs <runtime dir> <bundle dir> < plan.json
//
// <runtime dir> is node_modules/pyodide (the full python_stdlib.zip);
// <bundle dir> holds pyodide-lock.json, the wheels, catalog.json and the
// calculator package's sources (calculator/**/*.py).
// Stdin: {"steps": [{"packages": [...], "requests": [{...}, ...]}, ...]}.
// The calculator is compiled first, as the archive will hold it, into a zip
// on sys.path beside the standard library (the worker imports it from the
// archive by zipimport). Each step does what the page's worker
// (docs/assets/calculator/worker.mjs) does: put the wheels the step names
// (from the bundle's lock file) on sys.path as they are (zipimport reads
// them; zoneinfo reads tzdata's files through importlib.resources), import
// each package's modules, then send every
// request to BrowserApi.handle from JavaScript; a request that raises goes
// through Pyodide's error conversion (traceback formatting imports modules
// too).
//
// Stdout: {"python", "magic", "members": {"<zip member>": "<base64 .pyc>" |
// null}, "package": {"calculator/<module>.py": "<base64 .pyc>"},
// "answers": [...]}: every member of python_stdlib.zip that was imported
// (sys.modules, compiled here to an unchecked hash-based .pyc) or read as
// data (null: ship as is), and every module of the calculator, compiled
// the same way. Nothing is fetched from the network.

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { mountWheels } from "./mount_wheels.mjs";

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

// The calculator's modules as bytecode (as COMPILE below, with the file
// name the archive's member will have, for tracebacks), written to a zip
// that the trace imports them from. Only modules Pyodide's start-up has
// imported already (zipfile for its package loader; importlib's internals;
// importlib.util.source_hash is this one line), so the trace stays exact.
const COMPILE_PACKAGE = `
import sys, zipfile, _imp
from importlib._bootstrap_external import _code_to_hash_pyc

def _pyc(source, filename):
    """source as an unchecked hash-based .pyc, compiled as with -OO."""
    code = compile(source, filename, "exec", dont_inherit=True, optimize=2)
    return bytes(_code_to_hash_pyc(code, _imp.source_hash(_imp.pyc_magic_number_token, source), checked=False))

def _compile_package(archive, root, names, out):
    compiled = {}
    with zipfile.ZipFile(out, "w") as zf:
        for name in names:
            with open(f"{root}/{name}", "rb") as file:
                pyc = _pyc(file.read(), f"{archive}/{name}")
            zf.writestr(zipfile.ZipInfo(name.removesuffix(".py") + ".pyc", (1980, 1, 1, 0, 0, 0)), pyc)
            compiled[name] = pyc
    sys.path.insert(sys.path.index(archive) + 1, out)
    return compiled
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

def _compile_members(archive, members):
    out = {}
    with zipfile.ZipFile(archive) as zf:
        for member in members:
            if not member.endswith(".py"):
                out[member] = None
                continue
            out[member] = base64.b64encode(_pyc(zf.read(member), f"{archive}/{member}")).decode()
    return out
`;

/** The .py files below `dir`, as paths relative to `base` ("/"-separated). */
async function sourcesBelow(dir, base) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".py"))
    .map((entry) => path.relative(base, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .sort();
}

/** Compile the calculator's sources from `bundleDir` into a zip on sys.path. */
async function compilePackage(pyodide, bundleDir, archive) {
  const names = await sourcesBelow(path.join(bundleDir, "calculator"), bundleDir);
  if (names.length === 0) fail(`${bundleDir}calculator/ holds no sources`);
  const root = "/package-sources";
  for (const name of names) {
    pyodide.FS.mkdirTree(path.posix.dirname(`${root}/${name}`));
    pyodide.FS.writeFile(`${root}/${name}`, await readFile(path.join(bundleDir, name)));
  }
  pyodide.runPython(COMPILE_PACKAGE);
  const compiled = pyodide.globals.get("_compile_package")(archive, root, names, "/package.zip")
    .toJs({ dict_converter: Object.fromEntries });
  return Object.fromEntries(Object.entries(compiled).map(([name, pyc]) => [name, Buffer.from(pyc).toString("base64")]));
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
  const archive = pyodide.runPython("import sys; next(p for p in sys.path if p.endswith('.zip'))");
  const compiledPackage = await compilePackage(pyodide, bundleDir, archive);

  let api = null;
  const answers = [];
  for (const step of steps) {
    await mountWheels(pyodide, bundleDir, step.packages ?? []);
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
  const members = pyodide.globals.get("_stdlib_members")(archive).toJs();
  pyodide.runPython(COMPILE);
  const [python, magic] = pyodide.runPython(
    "[sys.version.split()[0], importlib.util.MAGIC_NUMBER.hex()]",
  ).toJs();
  const compiled = pyodide.globals.get("_compile_members")(archive, members).toJs({ dict_converter: Object.fromEntries });
  const text = JSON.stringify({ archive, python, magic, members: compiled, package: compiledPackage, answers });
  await new Promise((resolve, reject) =>
    process.stdout.write(`${text}\n`, (error) => (error ? reject(error) : resolve())),
  );
}

main().then(
  () => process.exit(0),
  (error) => fail(error?.stack ?? String(error)),
);
