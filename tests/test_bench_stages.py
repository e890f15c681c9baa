"""benchmarks/bench_stages.py: each stage is charged its own time only, and the stages put back."""
import types

import benchmarks.bench_stages as bench_stages
from benchmarks.bench_stages import _timed, measure


def test_a_stage_inside_another_is_charged_to_itself_only(monkeypatch):
    clock = [0.0]                               # a clock the functions below move by hand
    monkeypatch.setattr(bench_stages, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))
    box = types.SimpleNamespace()

    def inner():
        clock[0] += 5.0

    def outer():
        clock[0] += 2.0
        box.inner()
        box.inner()
        clock[0] += 1.0

    box.inner, box.outer = inner, outer
    totals, stack = {}, []
    undo = [_timed(box, "inner", "in", totals, stack), _timed(box, "outer", "out", totals, stack)]
    box.outer()
    assert totals == {"in": 10.0, "out": 3.0}
    assert stack == []
    for u in undo:
        u()
    assert (box.inner, box.outer) == (inner, outer)


def test_measure_puts_the_pipeline_back_and_charges_no_time_twice():
    from misaki_lite import pipeline
    from misaki_lite.tagger.model import Tagger

    before = (pipeline.prepare, Tagger.tag_many, pipeline.retokenize)
    # normalization reads "five thirty p m" through the tagger and the reader: nested stages
    total, totals = measure(["The 3 dogs barked at 5:30 pm.", "She will record it."], "extended", False)
    assert (pipeline.prepare, Tagger.tag_many, pipeline.retokenize) == before
    assert {"tag", "read", "normalize", "tokenize"} <= totals.keys()
    assert all(v >= 0 for v in totals.values())     # "other" < 0 would mean time counted twice
    assert totals["other"] < total
