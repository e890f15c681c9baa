"""The bounded cache every stage keeps its remembered answers in (misaki_lite/cache.py)."""
from misaki_lite.cache import Bounded


def _ask(cache: Bounded, key, made: list):
    """The cache's usual pattern; ``made`` records the keys that had to be computed."""
    answer = cache.get(key)
    if answer is None:
        answer = cache.recall(key)
        if answer is None:
            made.append(key)
            answer = cache.keep(key, f"answer {key}")
    return answer


def test_holds_at_most_its_limit():
    cache, made = Bounded(10), []
    for k in range(1000):
        assert _ask(cache, k, made) == f"answer {k}"
        assert len(cache) + len(cache._previous) <= 10
    assert made == list(range(1000))


def test_an_answer_asked_for_again_and_again_stays():
    cache, made = Bounded(10), []
    for k in range(1000):
        _ask(cache, "frequent", made)
        _ask(cache, k, made)
    assert made.count("frequent") == 1
    assert len(made) == 1001


def test_recall_finds_the_previous_generation_and_keeps_it_again():
    cache = Bounded(4)
    cache.keep("a", 1)
    cache.keep("b", 2)
    cache.keep("c", 3)              # the current generation was full: a and b are previous
    assert cache.get("a") is None
    assert cache.recall("a") == 1 and cache.get("a") == 1
    assert cache.recall("a") is None       # moved, not copied
    assert cache.recall("zzz", "none") == "none"


def test_clear_forgets_both_generations():
    cache = Bounded(4)
    for k in "abcde":
        cache.keep(k, k)
    cache.clear()
    assert not cache and all(cache.recall(k) is None for k in "abcde")
