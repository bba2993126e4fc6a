"""Every file boardops writes goes through here.

The rule, written once:

* **Atomic.** The text goes to a new temporary file in the target's own folder (created with
  ``O_CREAT | O_EXCL | O_NOFOLLOW``, so nothing already there, link or file, is opened),
  is ``fsync``-ed, then ``rename``-d over the target. A reader sees the old file or the new
  one, never half of one; an interrupted write leaves the old file.
* **Never through a symbolic link.** A target that is a symlink is refused with one line,
  before anything is read from monday when the CLI checks early (:func:`check_target`).
  ``rename`` replaces a link itself rather than what it points to, so a link planted
  between the check and the write is replaced, never followed.
* **No surprise overwrite** where the user names the file (``describe -o``, ``export -o``):
  a file already there is refused with one line unless ``--force``
  (:func:`refuse_existing`, checked before anything is read from monday, and again when
  the new file is put in place: without ``--force`` it is linked in, which fails rather
  than replace a file that appeared meanwhile). ``plan --out`` replaces its plan, as
  Terraform's ``plan -out`` does.
* **Private.** Files that hold live board data (plans, snapshots, describe and export
  output, the Markdown parts, the sandbox state) are created ``0600``; that is the default.

``--markdown-dir`` is a folder boardops shares with whatever else is there: it writes its
parts ``plan-1.md`` ... ``plan-N.md`` and lists them in a manifest file it owns,
``.boardops-markdown.json``; a later run removes only the parts that manifest lists, never
another ``plan-*.md``, and it refuses to overwrite a ``plan-N.md`` it did not write. A
symlinked folder, or a manifest file that is a link, is refused.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import stat
from collections.abc import Sequence
from pathlib import Path

from boardops.errors import OutputError as OutputError  # boardops.sandbox.state imports it here

PRIVATE_MODE = 0o600

MARKDOWN_MANIFEST = ".boardops-markdown.json"
MARKDOWN_MANIFEST_KIND = "boardops-markdown-parts"
_PART_NAME = re.compile(r"plan-[1-9][0-9]{0,5}\.md")
# A manifest file larger than this is not one boardops wrote.
_MANIFEST_MAX_BYTES = 1 << 20


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def _refuse_link(path: Path, *, folder: bool) -> None:
    """Refuse ``path`` when it is a symbolic link or exists as the wrong kind of file, then
    make the folder it is (``folder``) or sits in."""
    written = f"to {path}" if folder else str(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise OutputError(f"cannot write {written}: {_reason(error)}") from None
    if info is not None:
        if stat.S_ISLNK(info.st_mode):
            fix = "pass the real folder" if folder else "remove it or choose another path"
            raise OutputError(
                f"refusing to write {written}: it is a symbolic link "
                f"(boardops never writes through one; {fix})"
            )
        if folder and not stat.S_ISDIR(info.st_mode):
            raise OutputError(f"refusing to write {written}: it is not a folder")
        if not folder and not stat.S_ISREG(info.st_mode):
            raise OutputError(f"refusing to write {written}: it exists and is not a regular file")
    try:
        (path if folder else path.parent).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot write {written}: {_reason(error)}") from None


def check_target(path: Path) -> None:
    """Refuse, before any work, a target that is a symlink or not a regular file, and make
    its folder. Called again by :func:`write_output` just before writing."""
    _refuse_link(Path(path), folder=False)


_EXISTS = "refusing to overwrite {path}: it exists; pass --force to replace it"


def refuse_existing(path: Path) -> None:
    """Refuse a target that already exists (``-o FILE`` without ``--force``)."""
    if os.path.lexists(path):
        raise OutputError(_EXISTS.format(path=path))


def write_output(
    path: Path, text: str | bytes, *, mode: int = PRIVATE_MODE, overwrite: bool = True
) -> None:
    """Write ``text`` (UTF-8 when a ``str``) to ``path`` atomically, never through a symlink,
    created with ``mode`` (default ``0600``). Any failure is one :class:`OutputError` line
    and leaves the previous file, if any, as it was. ``overwrite=False``: a file already at
    ``path`` is refused, also one that appeared since :func:`refuse_existing`."""
    path = Path(path)
    check_target(path)
    if not overwrite:
        refuse_existing(path)
    data = text.encode("utf-8") if isinstance(text, str) else text
    temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(temp, flags, mode)
    except OSError as error:
        raise OutputError(f"cannot write {path}: {_reason(error)}") from None
    try:
        try:
            os.fchmod(fd, mode)  # the umask may have narrowed it; never widen beyond ``mode``
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(temp, path)
        else:
            _put_in_place(temp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if error.errno == errno.EEXIST:
            raise OutputError(_EXISTS.format(path=path)) from None
        raise OutputError(f"cannot write {path}: {_reason(error)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_folder(path.parent)


def _put_in_place(temp: Path, path: Path) -> None:
    """Rename ``temp`` to ``path`` unless a file is there (``EEXIST``): a hard link fails
    rather than replace. Where the file system has no hard links, check and rename."""
    try:
        os.link(temp, path)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)) from None
        os.replace(temp, path)
    else:
        os.unlink(temp)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems cannot fsync a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# --- --markdown-dir ---------------------------------------------------------------------------


def check_markdown_dir(directory: Path) -> None:
    """Refuse a symlinked folder (or a non-folder), or a manifest file that is a link, and
    make the folder: before anything is read from monday."""
    directory = Path(directory)
    _refuse_link(directory, folder=True)
    check_target(directory / MARKDOWN_MANIFEST)


def _owned_parts(manifest: Path) -> list[str]:
    """The part names an earlier run listed in ``manifest`` ([] when there is none)."""
    try:
        fd = os.open(manifest, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return []
    except OSError as error:
        raise OutputError(f"cannot read {manifest}: {_reason(error)}") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OutputError(f"refusing to read {manifest}: it is not a regular file")
        raw = handle.read(_MANIFEST_MAX_BYTES + 1)
    try:
        data = json.loads(raw) if len(raw) <= _MANIFEST_MAX_BYTES else None
    except (ValueError, RecursionError):
        data = None
    parts = data.get("parts") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("kind") != MARKDOWN_MANIFEST_KIND
        or not isinstance(parts, list)
    ):
        raise OutputError(
            f"{manifest} is not the list of Markdown parts boardops writes; "
            "remove it (boardops then leaves every existing file alone)"
        )
    # Only names boardops could have written, in this folder: a manifest file cannot name
    # anything else for removal.
    return [name for name in parts if isinstance(name, str) and _PART_NAME.fullmatch(name)]


def _write_markdown_manifest(manifest: Path, names: Sequence[str]) -> None:
    body = {"kind": MARKDOWN_MANIFEST_KIND, "version": 1, "parts": list(names)}
    write_output(manifest, json.dumps(body, indent=2) + "\n")


def write_markdown_parts(directory: Path, parts: Sequence[str]) -> list[Path]:
    """Write ``plan-1.md`` ... ``plan-N.md`` into ``directory`` and list them in its
    ``.boardops-markdown.json``; remove the parts an earlier run listed that this one did
    not write. Nothing else in the folder is touched. Returns the files written."""
    directory = Path(directory)
    check_markdown_dir(directory)
    manifest = directory / MARKDOWN_MANIFEST
    previous = _owned_parts(manifest)
    names = [f"plan-{number}.md" for number in range(1, len(parts) + 1)]
    for name in names:
        target = directory / name
        if name not in previous and os.path.lexists(target):
            raise OutputError(
                f"refusing to overwrite {target}: boardops did not write it (it is not listed "
                f"in {manifest}); move it away or choose another --markdown-dir"
            )
        check_target(target)
    # Listed before they are written, so an interrupted run leaves nothing untracked.
    _write_markdown_manifest(manifest, list(dict.fromkeys([*previous, *names])))
    written = []
    for name, part in zip(names, parts, strict=True):
        write_output(directory / name, part)
        written.append(directory / name)
    for stale in previous:
        if stale in names:
            continue
        path = directory / stale
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISREG(path.lstat().st_mode):
                path.unlink()
    _write_markdown_manifest(manifest, names)
    return written
