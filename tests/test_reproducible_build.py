"""Issue 10 E: two clones of one commit build byte-identical ``site/assets``.

Two copies of the project in different folders, each with its own empty
browser-bundle and stdlib-trim caches (so each builds its own lock file and
compiles the calculator into its own archive) and with
other file times, are built; the ``assets`` trees must hold the same
paths, the same bundle folder name and the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.helpers import REPO_ROOT, build_output, copy_project, run_build


def own_cache_copy(dest: Path, mtime: int) -> Path:
    """A project copy whose ``.cache`` holds only the downloaded wheels
    (no built bundle to reuse) and the precompressed twins (by content
    hash, so reuse cannot hide a difference; brotli of the runtime takes
    ~30 s), every file dated ``mtime``."""
    project = copy_project(dest)
    (project / ".cache").unlink()
    (project / ".cache").mkdir()
    (project / ".cache" / "browser-wheels").symlink_to(REPO_ROOT / ".cache" / "browser-wheels")
    shared_twins = REPO_ROOT / ".cache" / "precompress"
    shared_twins.mkdir(parents=True, exist_ok=True)
    (project / ".cache" / "precompress").symlink_to(shared_twins, target_is_directory=True)
    for path in project.rglob("*"):
        if path.is_file() and not path.is_symlink() and ".cache" not in path.parts:
            os.utime(path, (mtime, mtime))
    return project


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_issue10_e_two_clones_build_identical_assets(tmp_path: Path) -> None:
    sites = []
    for name, mtime in (("clone-a", 1_700_000_000), ("elsewhere/clone-b", 1_800_000_000)):
        project = own_cache_copy(tmp_path / name, mtime)
        site = tmp_path / f"{name}-site"
        proc = run_build(project, site)
        assert proc.returncode == 0, build_output(proc)
        assert list((project / ".cache" / "browser-bundle").iterdir()), "the lock file was not built in this copy"
        assert list((project / ".cache" / "stdlib-trim").iterdir()), "the archive was not built in this copy"
        sites.append(tree(site / "assets"))
    first, second = sites
    bundles = sorted({path.split("/")[1] for path in first if path.startswith("calculator/") and path.count("/") == 2})
    assert len(bundles) == 1, bundles
    assert any(path.endswith(".whl") for path in first)
    assert sorted(first) == sorted(second)
    differing = [path for path in first if first[path] != second[path]]
    assert differing == [], differing
