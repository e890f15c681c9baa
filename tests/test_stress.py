"""apply_stress, checked by hand against the rules in misaki_lite/reading/stress.py."""
import pytest

from misaki_lite.reading.stress import apply_stress, stress_weight


@pytest.mark.parametrize("ps, stress, expected", [
    ("kˈæt", None, "kˈæt"),          # no request: unchanged
    ("kˈæt", -2, "kæt"),             # remove all stress
    ("ˌɪnkwəzˈɪʃən", -1, "ɪnkwəzˌɪʃən"),   # demote: secondaries go, the primary becomes one
    ("kˈæt", -0.5, "kˌæt"),          # weak request demotes a primary
    ("kæt", 0, "kˌæt"),              # unstressed gets a secondary before its vowel
    ("kæt", 0.5, "kˌæt"),
    ("kˌæt", 1, "kˈæt"),             # secondary only: promoted
    ("kæt", 2, "kˈæt"),              # unstressed: primary before the vowel
    ("ststs", 2, "ststs"),           # no vowel: nothing to stress
    ("kˈæt", 2, "kˈæt"),             # already has a primary
])
def test_apply_stress(ps, stress, expected):
    assert apply_stress(ps, stress) == expected


def test_stress_weight_counts_diphthongs_twice():
    assert stress_weight("kAt") == 4
    assert stress_weight("") == 0
    assert stress_weight(None) == 0
