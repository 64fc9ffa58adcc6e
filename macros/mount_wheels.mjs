// Puts wheels on sys.path under Node as the page's worker does
// (docs/assets/calculator/worker.mjs, loadPackages): each wheel as one file,
// read by zipimport, instead of Pyodide's loadPackage, which unpacks it.
// Shared by the build's trace (macros/trace_imports.mjs) and the tests'
// harness (tests/pyodide_node.mjs), so both run the browser's path.

import { readFile } from "node:fs/promises";
import path from "node:path";

/** Mount the wheels of packages `names` (and what they depend on) from
 * `bundleDir`, by the bundle's lock file, and import each of their modules. */
export async function mountWheels(pyodide, bundleDir, names) {
  for (const name of names) {
    const entry = pyodide.lockfile.packages[name];
    if (!entry) throw new Error(`${name} is not in the lock file`);
    await mountWheels(pyodide, bundleDir, entry.depends);
    const where = `/wheels/${entry.file_name}`;
    pyodide.FS.mkdirTree("/wheels");
    pyodide.FS.writeFile(where, await readFile(path.join(bundleDir, entry.file_name)));
    pyodide.pyimport("sys").path.append(where);
    for (const module of entry.imports ?? [name]) pyodide.pyimport(module);
  }
}
