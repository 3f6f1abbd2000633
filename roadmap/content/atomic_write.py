"""Write several files as one change: all of them or none.

Export may change five files; if the disk fills up at the third, an editor must not be left with
two files updated and three not. So every file is first written in full to a temporary file
beside it (the step that can fail: space, permissions), and only then are they renamed over the
originals, which is a single quick step per file. Should a rename still fail, the files already
replaced get their old text back.
"""

import os
import tempfile
from pathlib import Path


def write_all(texts: dict[Path, str]) -> None:
    """Write every file or none; raises OSError (after undoing) when that is not possible."""
    temporary: dict[Path, Path] = {}
    try:
        for path, text in texts.items():
            temporary[path] = _beside(path, text)
        _replace_all(temporary)
    finally:
        for name in temporary.values():
            name.unlink(missing_ok=True)


def _beside(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.chmod(name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
    return Path(name)


def _replace_all(temporary: dict[Path, Path]) -> None:
    before = {path: path.read_bytes() if path.exists() else None for path in temporary}
    done = []
    try:
        for path, name in temporary.items():
            os.replace(name, path)
            done.append(path)
    except OSError:
        for path in done:
            if before[path] is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(before[path])
        raise
