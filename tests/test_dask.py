"""The Dask integration: a bag (and, with pandas, a dataframe) of lines on Dask's local schedulers."""
import json
from itertools import islice
from pathlib import Path

import pytest

dask = pytest.importorskip("dask", reason="Dask is not installed (pip install '.[dask]')")
db = pytest.importorskip("dask.bag", reason="dask.bag is not importable")

from misaki_lite.run.dask import phonemize_bag, phonemize_partition  # noqa: E402

DEV = Path(__file__).resolve().parents[1] / "golden" / "dev_us.jsonl"


@pytest.fixture(scope="module")
def lines():
    with DEV.open(encoding="utf-8") as fh:
        return [json.loads(row)["text"] for row in islice(fh, 40)]


@pytest.mark.parametrize("scheduler", ["synchronous", "processes"])
def test_bag_of_lines_on_local_schedulers(g2p_us, lines, scheduler):
    bag = db.from_sequence(lines, npartitions=5)
    got = phonemize_bag(bag).compute(scheduler=scheduler, num_workers=2)
    assert got == [g2p_us(line)[0] for line in lines]


def test_map_partitions_with_the_partition_function(g2p_gb, lines):
    bag = db.from_sequence(lines[:12], npartitions=3)
    got = bag.map_partitions(phonemize_partition, british=True).compute(scheduler="synchronous")
    assert got == [g2p_gb(line)[0] for line in lines[:12]]


def test_text_files_in_and_out(g2p_us, lines, tmp_path):
    (tmp_path / "a.txt").write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(lines[10:20]) + "\n", encoding="utf-8")
    bag = db.read_text(str(tmp_path / "*.txt")).map(str.rstrip)
    phonemize_bag(bag).to_textfiles(str(tmp_path / "out" / "*.txt"), scheduler="processes")
    out = [p for f in sorted((tmp_path / "out").glob("*.txt"))
           for p in f.read_text(encoding="utf-8").splitlines()]
    assert out == [g2p_us(line)[0] for line in lines[:20]]


def test_bad_options_fail_before_any_task_runs():
    with pytest.raises(ValueError, match="normalization"):
        phonemize_bag(db.from_sequence(["x"]), normalization="loud")


def test_dataframe_column(g2p_us, lines):
    pd = pytest.importorskip("pandas", reason="pandas is not installed (pip install 'dask[dataframe]')")
    dd = pytest.importorskip("dask.dataframe", reason="dask.dataframe is not importable")
    from misaki_lite.run.dask import phonemize_dataframe

    df = dd.from_pandas(pd.DataFrame({"id": range(len(lines)), "text": lines}), npartitions=4)
    got = phonemize_dataframe(df, column="text", out="phonemes").compute(scheduler="processes", num_workers=2)
    assert list(got["id"]) == list(range(len(lines)))
    assert list(got["phonemes"]) == [g2p_us(line)[0] for line in lines]


def test_missing_dask_is_an_import_error_with_the_fix(monkeypatch):
    import importlib
    import sys

    import misaki_lite.run.dask as integration
    from misaki_lite.errors import BackendError

    monkeypatch.setitem(sys.modules, "dask", None)          # import dask -> ImportError
    monkeypatch.delitem(sys.modules, "misaki_lite.run.dask")
    with pytest.raises(ImportError, match=r'pip install "\.\[dask\]" in the misaki_lite source folder') as err:
        importlib.import_module("misaki_lite.run.dask")
    assert isinstance(err.value, BackendError)
    monkeypatch.setitem(sys.modules, "misaki_lite.run.dask", integration)
