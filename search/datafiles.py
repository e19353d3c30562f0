"""Reading the TOML files of search/data/: a file that is missing or not TOML is an error naming the file."""
from __future__ import annotations

import tomllib
from pathlib import Path

from .errors import DataFileError

__all__ = ["read_data_toml"]


def read_data_toml(path: Path, error: type[DataFileError] = DataFileError) -> dict:
    """Return the table of the TOML file at ``path``; raise ``error`` (a DataFileError) if it can't be read."""
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except OSError as exc:
        raise error(path, f"cannot read: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(path, f"not valid TOML: {exc}") from exc
