"""One-line loading of a sweep's rows: ``qray.results.load("results/latest")``.

A sweep folder holds more than data (``summary.md``, CSV tables, PNG plots, ``sweep.json``,
Tune's state, temp files of in-flight writes), so ``pd.read_parquet`` on it fails.
:func:`load` reads only the dataset's Parquet files (:func:`~qray.results.reader.read_dataset`,
one unified schema, the newest row of each task) and adds the sweep's provenance from
``sweep.json`` as columns, so rows of two sweeps can be concatenated and told apart.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qray.errors import QrayError
from qray.results.folder import MANIFEST, check_workload_folder, read_manifest
from qray.results.reader import parquet_files, read_dataset

if TYPE_CHECKING:  # pandas is imported when rows are loaded, not with qray.results
    import pandas as pd
    import pyarrow as pa

log = logging.getLogger(__name__)

LATEST = "latest"


class NoDatasetError(QrayError):
    """A path holds no sweep rows: names the path and what was looked for."""


@dataclass(frozen=True)
class SweepFolder:
    """Where a sweep's rows are: its folder, the folder of its data files, its manifest
    (``{}`` when it has none) and its id."""

    sweep_dir: Path
    data_dir: Path
    manifest: Mapping[str, Any]

    @property
    def sweep_id(self) -> str:
        """The id from ``sweep.json``, else the folder's name."""
        return str(self.manifest.get("sweep_id") or self.sweep_dir.name)

    @property
    def workload(self) -> str | None:
        """The workload ``sweep.json`` names, if any."""
        return self.manifest.get("workload")

    @property
    def provenance(self) -> dict[str, Any]:
        """The provenance of the run that last wrote ``sweep.json`` (``{}`` if none)."""
        prov = self.manifest.get("provenance")
        return dict(prov) if isinstance(prov, Mapping) else {}


def _where(path: Path) -> str:
    return f"{path} (resolved: {path.resolve()})" if path.is_symlink() else str(path)


def _follow_latest(path: Path) -> Path:
    """``path`` resolved; a ``latest`` link must name a sweep folder beside it (not a
    loop, not a folder elsewhere)."""
    try:
        folder = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:
        raise NoDatasetError(f"{path}: a link that resolves to nothing ({exc}); qray's "
                             "'latest' names a sweep folder beside it: remove the link and "
                             "pass a sweep folder") from None
    if path.name == LATEST and path.is_symlink() and folder.parent != path.parent.resolve():
        raise NoDatasetError(f"{path} points at {folder}, outside {path.parent.resolve()}; "
                             "qray's 'latest' names a sweep folder beside it: remove the "
                             "link and pass a sweep folder")
    return folder


def find_sweep(path: str | Path) -> SweepFolder:
    """The sweep that ``path`` names: a sweep folder (``results/<sweep_id>``), the
    ``latest`` link, a results folder holding ``latest``, or a sweep's workload
    subfolder. A :class:`NoDatasetError` naming the path when it is none of those."""
    given = Path(path).expanduser()
    if not given.exists():
        raise NoDatasetError(f"{_where(given)}: no such folder; pass a sweep folder "
                             "(results/<sweep_id>), its 'latest' link or the results folder "
                             "that holds 'latest'")
    if not given.is_dir():
        raise NoDatasetError(f"{given}: a file, not a sweep folder (pass the folder that "
                             "holds sweep.json)")
    folder = _follow_latest(given)
    if not (folder / MANIFEST).is_file() and (folder / LATEST).is_symlink():
        folder = _follow_latest(folder / LATEST)
    if (folder / MANIFEST).is_file():
        manifest = read_manifest(folder / MANIFEST)
        check_workload_folder(folder, manifest["workload"], folder / MANIFEST)
        data_dir = folder / manifest["workload"]
        return SweepFolder(folder, data_dir if data_dir.is_dir() else folder, manifest)
    if (folder.parent / MANIFEST).is_file():  # a workload subfolder
        return SweepFolder(folder.parent, folder, read_manifest(folder.parent / MANIFEST))
    sweeps = sorted(p.parent.name for p in folder.glob(f"*/{MANIFEST}"))
    if len(sweeps) == 1:  # a results folder holding one sweep and no `latest`
        return find_sweep(folder / sweeps[0])
    if sweeps:  # never the rows of several sweeps mixed into one table
        shown = ", ".join(sweeps[:8]) + (f", ... ({len(sweeps)} in all)" if len(sweeps) > 8
                                         else "")
        raise NoDatasetError(f"{_where(folder)}: a results folder with {len(sweeps)} sweeps "
                             f"and no 'latest' link ({shown}); pass one sweep's folder")
    return SweepFolder(folder, folder, {})


def _schema_of(workload: str | None) -> pa.Schema | None:
    """The registered row schema of ``workload`` (so that foreign Parquet files are
    skipped), or None when it is not known here (rows are then unified as found)."""
    if not workload:
        return None
    from qray.workloads import get_spec

    try:
        spec = get_spec(workload)
        return spec.load("schema") if spec.schema else None
    except (QrayError, AttributeError, ImportError) as exc:
        log.warning("reading %s rows without their schema (%s)", workload, exc)
        return None


def provenance_columns(provenance: Mapping[str, Any]) -> dict[str, Any]:
    """``sweep.json``'s provenance as one value per column: scalars as they are, nested
    entries (``libraries``) as JSON text."""
    out: dict[str, Any] = {}
    for key, value in provenance.items():
        if isinstance(value, Mapping | list | tuple):
            value = json.dumps(value, sort_keys=True, default=str)
        out[str(key)] = value
    return out


def load(path: str | Path) -> pd.DataFrame:
    """Every row of a sweep as a DataFrame.

    Reads only the dataset's Parquet files (not the CSV, Markdown, PNG and JSON files
    beside them, nor temp files of writes in flight or Tune's state), cast to the
    workload's schema when it is registered here, one row per task (its newest). The
    sweep's provenance from ``sweep.json`` (``hostname``, ``cpu_model``, ``memory_gb``,
    ``os``, ``python``, ``ray``, ``qray``, ``git_rev``, ``git_dirty``, ``libraries`` as
    JSON, ...: whatever the run recorded) is added as a column wherever the rows do not
    carry that column themselves (rows carry the per-node ``cpu_model``, ``cpu_count``,
    ``gpu``); ``sweep_id`` is filled from the manifest (or the folder's name) where a row
    lacks it. Files that cannot be read are skipped with a warning.

    Args:
        path: a sweep folder (``results/<sweep_id>``), the ``results/latest`` link, a
            results folder that holds ``latest``, or a sweep's workload subfolder.

    Raises:
        NoDatasetError: the path does not exist or holds no readable rows.
    """
    import pandas as pd

    sweep = find_sweep(path)
    files = parquet_files(sweep.data_dir)
    if not files:
        raise NoDatasetError(f"{_where(Path(path))}: no result rows (no Parquet files under "
                             f"{sweep.data_dir}); pass a sweep folder (results/<sweep_id>), "
                             "its 'latest' link or the results folder that holds 'latest'")
    table, problems = read_dataset(sweep.data_dir, schema=_schema_of(sweep.workload))
    if table.num_rows == 0:
        why = "; ".join(f"{p.path.name}: {p.reason}" for p in problems[:3])
        raise NoDatasetError(f"{_where(Path(path))}: no readable result rows in "
                             f"{len(files)} Parquet file(s) under {sweep.data_dir}"
                             + (f" ({why})" if why else ""))
    df = table.to_pandas()
    if "sweep_id" in df.columns:
        df["sweep_id"] = df["sweep_id"].replace("", None).fillna(sweep.sweep_id)
    else:
        df["sweep_id"] = sweep.sweep_id
    extra = {k: v for k, v in provenance_columns(sweep.provenance).items()
             if k not in df.columns}
    if extra:
        df = pd.concat([df, pd.DataFrame(extra, index=df.index)], axis=1)
    df.attrs["sweep_dir"] = str(sweep.sweep_dir)
    df.attrs["provenance"] = sweep.provenance
    return df
