"""Phonemize a corpus on a Dask cluster: the batch function of ``misaki_lite.run.batch``, per partition.

Needs the ``dask`` extra (``pip install ".[dask]"`` in the source folder); importing this module
without Dask raises ``DaskMissingError`` (a ``BackendError`` and an ``ImportError``) saying
so. Every Dask worker process builds one ``G2P`` per set of options, on first use, and keeps
it for the partitions that follow; only the options travel with the tasks.

A bag of lines (a text file per line, on one machine or a cluster)::

    import dask.bag as db
    from misaki_lite.run.dask import phonemize_bag

    lines = db.read_text("corpus/*.txt").map(str.rstrip)
    phonemize_bag(lines, british=False).to_textfiles("phonemes/*.txt")

or, with the same function that ``phonemize_bag`` maps::

    lines.map_partitions(phonemize_partition, british=False)

A column of a Dask DataFrame (needs ``dask[dataframe]``, i.e. pandas)::

    from misaki_lite.run.dask import phonemize_dataframe
    df = phonemize_dataframe(df, column="text", out="phonemes")

The same code runs on a laptop (Dask's default local schedulers) and on a
``distributed`` cluster: connect a ``Client`` first and Dask sends the tasks to it.
"""
from __future__ import annotations

from typing import Any, Iterable, Optional

from ..config import G2PConfig, check_mode, deprecated_normalization
from .batch import phonemize_chunk
from ..errors import BackendError, install_hint

__all__ = ["DaskMissingError", "phonemize_partition", "phonemize_series", "phonemize_bag",
           "phonemize_dataframe"]


class DaskMissingError(BackendError, ImportError):
    """Dask is not installed; also an ``ImportError``, as code that probes optional modules expects."""


try:
    import dask  # noqa: F401  (the real package: this module is misaki_lite.run.dask)
except ImportError as exc:  # pragma: no cover - depends on the installed extra
    raise DaskMissingError("misaki_lite.run.dask needs Dask; install it with: " + install_hint("dask")) from exc


def _config(british: bool, fallback: bool, version: Optional[str], normalization: Optional[str],
            mode: str) -> G2PConfig:
    return G2PConfig(british, fallback, version,
                     deprecated_normalization(normalization, stacklevel=4), check_mode(mode))


def phonemize_partition(lines: Iterable[str], british: bool = False, fallback: bool = True,
                        version: Optional[str] = None, normalization: Optional[str] = None,
                        mode: str = "extended") -> list[str]:
    """The phonemes of one partition of lines, in order (for ``Bag.map_partitions``).
    ``mode`` is ``G2P``'s; ``normalization`` is deprecated, as in ``G2P``."""
    return phonemize_chunk(list(lines), _config(british, fallback, version, normalization, mode))


def phonemize_series(series: Any, british: bool = False, fallback: bool = True,
                     version: Optional[str] = None, normalization: Optional[str] = None,
                     name: Optional[str] = None, mode: str = "extended") -> Any:
    """A pandas Series of text -> a Series of phonemes with the same index, named ``name``
    (default: the input's name), for ``dask.dataframe.Series.map_partitions``."""
    import pandas as pd

    phonemes = phonemize_partition(series.tolist(), british, fallback, version, normalization, mode)
    return pd.Series(phonemes, index=series.index, name=series.name if name is None else name, dtype=object)


def phonemize_bag(bag: Any, british: bool = False, fallback: bool = True,
                  version: Optional[str] = None, normalization: Optional[str] = None,
                  mode: str = "extended") -> Any:
    """A ``dask.bag.Bag`` of lines -> a Bag of their phonemes (lazy; call ``.compute()`` or
    ``.to_textfiles()``)."""
    _config(british, fallback, version, normalization, mode)    # fail here, not on a worker
    return bag.map_partitions(phonemize_partition, british=british, fallback=fallback,
                              version=version, normalization=normalization, mode=mode)


def phonemize_dataframe(df: Any, column: str = "text", out: str = "phonemes", british: bool = False,
                        fallback: bool = True, version: Optional[str] = None,
                        normalization: Optional[str] = None, mode: str = "extended") -> Any:
    """A Dask DataFrame with a text ``column`` -> the same frame with an ``out`` column added."""
    _config(british, fallback, version, normalization, mode)
    phonemes = df[column].map_partitions(phonemize_series, british=british, fallback=fallback,
                                         version=version, normalization=normalization, name=out,
                                         mode=mode, meta=(out, "object"))
    return df.assign(**{out: phonemes})
