#!/usr/bin/env python3
"""`make build`: build the site into site/ so that site/ is always a whole site, old or new.

- One build at a time per project: a second `make build` while one runs is refused with a
  message (an exclusive lock on .site-build.lock; the kernel releases it when the build ends,
  however it ends).
- The docs engine builds into a fresh temporary folder next to site/ (same filesystem), never
  into site/ itself; a failed build deletes it and leaves site/ byte for byte as it was.
- The new folder replaces site/ in one atomic step (renameat2 with RENAME_EXCHANGE swaps the
  two names at once), so a kill at any moment leaves either the old or the new site complete;
  the old copy is deleted afterwards. Where the filesystem cannot exchange, the old site/ is
  renamed aside first and restored by the next build if it was killed in between.
- A site/ that cannot be replaced that way — a mount point, a symbolic link, read-only — stops
  the build with a message before anything is built; so does any failure of the swap.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
LOCK = ".site-build.lock"
BUILDING, OLD = ".site-build-", ".site-old-"     # temporary folders next to site/ (git-ignored)


class Refused(Exception):
    """The build cannot (or must not) replace site/; the message says why and what to do."""


def engine_build(project: Path, dest: Path) -> int:
    """Run the docs engine (kbtools/engine.py: DOCS_ENGINE=mkdocs|properdocs) once: a strict build of
    `project` into `dest`. Its messages go straight to the terminal."""
    from kbtools import engine
    return subprocess.run(engine.build_command(dest, project), cwd=project, env=engine.env()).returncode


def lock(project: Path):
    """Hold the project's build lock (returns the open file) or raise Refused."""
    fh = open(project / LOCK, "a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise Refused(f"another build of this project is running ({holder}); "
                      "run `make build` again when it has finished") from None
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}\n")
    fh.flush()
    return fh


def check_replaceable(site: Path) -> None:
    if site.is_symlink():
        raise Refused(f"{site} is a symbolic link; a build replaces the folder itself. "
                      "Remove the link, or copy the built site/ where the link pointed after the build")
    if not site.exists():
        return
    if not site.is_dir():
        raise Refused(f"{site} is not a folder; move it away and build again")
    if os.path.ismount(site):
        raise Refused(f"{site} is a mount point: it cannot be replaced in one step, and building into it "
                      "would leave a half-written site. Mount the volume elsewhere and copy site/ to it "
                      "after the build (e.g. rsync -a --delete site/ /mnt/…/)")
    # Write bits count even for root, who may write anyway: a chmod a-w site/ says "do not touch".
    if not all(os.access(p, os.W_OK) and p.stat().st_mode & 0o222 for p in (site, site.parent)):
        raise Refused(f"{site} (or its folder) is read-only; the site was not updated. "
                      "Make it writable (chmod -R u+w site) or remove it, then build again")


def recover(project: Path, site: Path) -> None:
    """Undo what a killed build left: restore site/ renamed aside, delete temporary folders."""
    leftovers = sorted(project.glob(OLD + "*"), key=lambda p: p.stat().st_mtime)
    if not site.exists() and not site.is_symlink() and leftovers:
        os.rename(leftovers.pop(), site)
    for folder in leftovers + list(project.glob(BUILDING + "*")):
        shutil.rmtree(folder, ignore_errors=True)


_libc = ctypes.CDLL(None, use_errno=True)
_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False if this system or filesystem cannot."""
    rename = getattr(_libc, "renameat2", None)
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def publish(new: Path, site: Path) -> None:
    """Make `new` the site at `site` in one atomic step, then delete the old site."""
    if not site.exists():
        os.rename(new, site)
        return
    if _exchange(new, site):
        shutil.rmtree(new)                     # now the old site
        return
    aside = Path(tempfile.mkdtemp(prefix=OLD, dir=site.parent))
    os.rmdir(aside)
    os.rename(site, aside)                     # a kill from here …
    os.rename(new, site)                       # … to here is undone by recover() on the next build
    shutil.rmtree(aside)


def build(project: Path = ROOT) -> int:
    site = project / "site"
    held = lock(project)
    new = None
    try:
        recover(project, site)
        check_replaceable(site)
        new = Path(tempfile.mkdtemp(prefix=BUILDING, dir=project))
        if engine_build(project, new) != 0:
            print("build failed; site/ is unchanged", file=sys.stderr)
            return 1
        if not (new / "index.html").is_file():
            print("the build wrote no index.html; site/ is unchanged", file=sys.stderr)
            return 1
        try:
            publish(new, site)
        except OSError as exc:
            raise Refused(f"could not replace {site} ({exc.strerror}); site/ was left as it was") from None
        new = None
        pages = sum(1 for _ in site.rglob("*.html"))
        print(f"built site/ ({pages} HTML pages)")
        return 0
    finally:
        if new is not None:
            shutil.rmtree(new, ignore_errors=True)
        held.close()


def main() -> int:
    # SIGTERM (a CI cancel) unwinds like Ctrl-C, so the temporary folder is deleted on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return build(ROOT)
    except Refused as exc:
        print(f"make build: {exc}", file=sys.stderr)
    except OSError as exc:      # e.g. a read-only project folder: no lock file, no temporary folder
        print(f"make build: {exc.strerror}: {exc.filename}; site/ was left as it was", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
