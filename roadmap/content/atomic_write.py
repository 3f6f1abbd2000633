"""Write several files as one change: all of them or none."""

import os
import tempfile
from pathlib import Path


def write_all(texts: dict[Path, str]) -> None:
    """Write every file or none: each goes to a temporary file beside it first (the step that can
    fail: disk full, permissions), and only when all exist are they renamed over the originals."""
    temporary: dict[Path, Path] = {}
    try:
        for path, text in texts.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temporary[path] = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            os.chmod(name, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        for path, name in temporary.items():
            os.replace(name, path)
    finally:
        for name in temporary.values():
            name.unlink(missing_ok=True)
