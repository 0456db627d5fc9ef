"""The file a report command writes (`--out`): checked before any work, written atomically.

Every report command goes through `report_output`, so each refuses the same things with
the same message: an `--out` that is a folder, a device or other special file, one of the
command's own input files (which the report would silently overwrite), or a place this
user cannot write. The report is written to a temporary file beside `--out` and renamed
over it only once complete, so a run that fails, for whatever reason, leaves no output
file and never a half-written one, and a reader of `--out` sees the old file or the new.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from saferhub.errors import ConfigurationError, EnvironmentProblem

_HINT = "Give --out the path of a new file (or one to replace) in a folder you can write to."


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # also catches hard links and symlinks
    except OSError:
        return a.resolve() == b.resolve()


def check_output(out: Path, inputs: Iterable[Path | None] = ()) -> Path:
    """The absolute path to write; ConfigurationError (exit code 4) if `out` cannot be it."""
    out = Path(out).expanduser()
    for given in inputs:
        if given is not None and _same_file(out, Path(given)):
            raise ConfigurationError(
                f"--out '{out}' is one of this command's input files; writing the report "
                "there would overwrite it.",
                _HINT,
            )
    try:
        mode = out.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise ConfigurationError(
            f"--out '{out}' cannot be checked ({exc.strerror}).", _HINT
        ) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise ConfigurationError(f"--out '{out}' is a folder, not a file.", _HINT)
    if mode is not None and not stat.S_ISREG(mode):
        # Renaming over a device or a pipe would replace it with a plain file.
        raise ConfigurationError(f"--out '{out}' is not an ordinary file.", _HINT)
    if mode is not None and not os.access(out, os.W_OK):
        # Renaming over it would succeed: respect a report someone made read-only.
        raise ConfigurationError(f"--out '{out}' is read-only.", _HINT)
    return out.absolute()


@contextlib.contextmanager
def report_output(out: Path, inputs: Iterable[Path | None] = ()) -> Iterator[Path]:
    """Yield a temporary path to write the report to; on success it becomes `out`.

    The temporary file is made first, so an unwritable place is reported before the
    inputs are read. It keeps `out`'s suffix, as some writers go by it.
    """
    final = check_output(out, inputs)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(
            dir=final.parent, prefix=f".{final.name}.", suffix=f".part{final.suffix}"
        )
    except OSError as exc:
        raise ConfigurationError(
            f"--out '{out}' cannot be written: the folder '{final.parent}' "
            f"is not writable here ({exc.strerror}).",
            _HINT,
        ) from None
    os.close(handle)
    temporary = Path(name)
    # mkstemp makes the file readable by its owner only; give it the mode a newly
    # created file would have had, as before.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    try:
        yield temporary
        check_output(final, inputs)  # the place may have changed while the report was built
        os.replace(temporary, final)
    except OSError as exc:
        raise EnvironmentProblem(
            f"--out '{out}' could not be written ({exc.strerror}); nothing was written.",
            "Check there is space on the disk and that you may write to the folder.",
        ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
