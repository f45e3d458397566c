"""Saving a model folder as one switch: its model files, manifest, metrics and card change
together, never some of them.

A save used to move its files into place one rename at a time (the topic model's card,
then its topics.json; the tagger's arrays, then its metrics and card), so a kill or a
failure between two renames left a folder whose card described a fit not in use, or
worse, whose parts came from two fits. Here the new set is written whole in a sibling
staging folder (a copy of the folder first, so files the save does not write stay) and
swapped with the folder in one step: Linux renameat2(RENAME_EXCHANGE). A reader or a
kill sees all of the earlier set or all of the new one. Where that call is missing or
refused (not Linux, a folder that is a mount point, a file system without it), the files
are moved in one at a time with the manifest last, as before.

Two users: model folders (`switched_folder`, the new set written into a copy of the
folder: nlp's topic model, tagger and checklist stages) and search indexes rebuilt beside
the old one (`swap_in`, by index.search.common.rebuild_beside). Here in ingest because
every gongwen package may import it."""
from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# a staging or scratch folder older than this is a kill's leftover, not a run under way beside us
_STALE_SECONDS = 24 * 3600


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step; False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not Linux, or a libc before 2.28
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    e = ctypes.get_errno()
    if e in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.EBUSY, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(e, os.strerror(e), str(b))


def _move_in(stage: Path, target: Path, last: str) -> None:
    """The fallback: the staged files moved into `target` one by one, `last` last, then
    `target`'s files that are not in the new set removed. Folders in `target` stay (a
    switched folder copied them in unchanged)."""
    names = sorted((p.name for p in stage.iterdir() if not p.is_dir() or p.is_symlink()),
                   key=lambda n: n == last)
    for name in names:
        try:
            os.replace(stage / name, target / name)
        except OSError as e:
            if e.errno != errno.EXDEV:
                raise
            # `target` is a mount point (why the swap was refused): the staging folder beside
            # it is on another file system, so each file is copied in beside its place first
            part = target / f".{name}.part"
            shutil.copy2(stage / name, part)
            os.replace(part, target / name)
    for old in target.iterdir():
        if old.name not in names and (old.is_symlink() or old.is_file()):
            old.unlink(missing_ok=True)


def swap_in(new: Path, target: Path, last: str) -> None:
    """Put the complete folder `new` (beside `target`, on its file system) in `target`'s
    place: one rename where `target` is absent, else one exchange, after which `new` holds
    the earlier set and is removed. Where no exchange is possible (see above) the files are
    moved in one by one with `last` (the manifest or marker) last."""
    if not target.exists():
        try:
            os.rename(new, target)
            return
        except OSError:  # another save made it meanwhile: swap with that one
            pass
    if not _exchange(new, target):
        _move_in(new, target, last)
    shutil.rmtree(new, ignore_errors=True)


def sweep(parent: Path, pattern: str, left_behind: Callable[[Path], bool] | None = None) -> None:
    """Remove the folders in `parent` named by the glob `pattern` that a run ended without
    cleaning up (a kill) left: those `left_behind` says are, by default those more than a
    day old. A folder of a run under way beside this one stays; links are not followed.
    Also the sweep of the search index's build folders (index.search.common)."""
    for old in parent.glob(pattern):
        try:
            if (old.is_dir() and not old.is_symlink()
                    and (left_behind(old) if left_behind else time.time() - old.lstat().st_mtime > _STALE_SECONDS)):
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass


@contextlib.contextmanager
def switched_folder(target: str | Path, last: str) -> Iterator[Path]:
    """Write the new set into the folder this yields (a copy of `target`'s files is there
    already); when the block ends without an error, it takes `target`'s place in one step
    and the earlier set is removed. On an error (or Ctrl+C) `target` is untouched and the
    staging folder removed. `last` is the manifest, moved last where no one-step swap is
    possible. A `target` that is a symlink switches the folder it points at."""
    target = Path(target)
    if target.is_symlink():
        target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{target.name}.saving-"
    sweep(target.parent, glob.escape(prefix) + "*")
    stage = Path(tempfile.mkdtemp(prefix=prefix, dir=target.parent))
    try:
        if target.exists():
            shutil.copytree(target, stage, symlinks=True, dirs_exist_ok=True)  # (NotADirectoryError for a file)
            shutil.copystat(target, stage)
        else:  # mkdtemp's folder is private (0700): give it the mode a plain mkdir would
            probe = stage / "probe"
            probe.mkdir()
            os.chmod(stage, probe.stat().st_mode & 0o7777)
            probe.rmdir()
        yield stage
        swap_in(stage, target, last)
    finally:
        shutil.rmtree(stage, ignore_errors=True)  # the staging folder, or after a swap the earlier set
