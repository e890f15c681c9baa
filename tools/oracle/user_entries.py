#!/usr/bin/env python3
"""misaki 0.9.4's answers with user entries in its lexicon, for tests/fixtures/user_entries.json.

    ~/.cache/misaki-ref/bin/python -m tools.oracle.user_entries > tests/fixtures/user_entries.json

kokoro's users add words as ``g2p.lexicon.golds["kokoro"] = "kˈOkəɹO"``; a user's word may hold
what no shipped word does (``AT&T``, ``C#``, ``GPT-4``, ``911``, a word over 64 characters),
and misaki reads it wherever its text stands. GOLDS and SILVERS go into the tiers' dicts of a
US and a GB misaki (symbols both inventories hold), the DELETED words out of its golds, then
each of TEXTS is read. Runs only in the oracle
environment (../shared/reference/setup.sh).
"""
import json
import sys

LONG = "pneumonoultramicroscopicsilicovolcanoconiosis-antidisestablishmentarianism"

GOLDS = {
    "AT&T": "ˌAtˌiəndtˈi", "C#": "sˈiʃˈɑɹp", "C++": "sˈipləsplʌs", "GPT-4": "ʤˌipˌitˈifˈɔɹ",
    "covid-19": "kˈɑvɪdnˈIntˈin", "911": "nˈInwˌʌnwˌʌn", "1,000": "ɡɹˈɑnd", "3.14": "pˈI",
    "ab-cd": "ˈɑbsidi", "x/y": "ˈɛkswˈI", "foo_bar": "fˈubɑɹ", "r&d": "ˈɑɹndˈi",
    "k8s": "kˈubəɹnˈɛtiz", "--": "dˈɑʃ", "a-b-c": "ˈAbˈisˈi", "e+": "ˈiplʌs", "#": "hˈɑʃ",
    "Ph.D.": "fˈɪd", "zz-top": "zˈizitˈɑp", LONG: "lˈɔŋwˈɜɹd",
    "./": "dˈɑt", "-/": "dˈɑʃ", "/.": "slˈɑʃ", ",/": "kˈɑmə", "/-": "hˈI",   # pieces all junk
}
SILVERS = {"zork-1": "zˈɔɹkwˈʌn", "q&a": "kjˈuənˈA"}
# case variants: misaki adds them to its dicts at load time only, so a user's word answers
# only itself, and deleting a shipped word leaves its variant
GOLDS.update({"zorblax": "zˈɔɹblɑks", "Flimbo": "flˈɪmbɔ", "kokoro": "kˈɑkəɹɑ", "Qwerty": "kwˈɜɹti"})
DELETED = ["tomato", "Paris"]

TEXTS = [
    "AT&T and C# and C++ are here.",
    "I work at AT&T, not at at&t.",
    "(AT&T) said GPT-4 is out; GPT-4's rival too.",
    "Call 911 now, pay 1,000 dollars and 3.14 more.",
    "The covid-19 case, ab-cd, x/y and foo_bar.",
    "r&d with k8s -- and a-b-c e+ # too.",
    "She has a Ph.D. in zz-top studies.",
    f"A {LONG} word.",
    "zork-1 and q&a and Q&A.",
    "I paid $911 for 1,000.5 things at 9110.",
    "x/y/z and ab-cd-ef and AT&Ts.",
    "C#. C#? C#!",
    "the a-b-c-d and the zz-tops",
    "x./y is", "run-/walk now", "a/.b", "go ./ there", "foo/-bar", "x,/y", "it's a/- thing",
    "I saw zorblax today.", "Zorblax is here.", "ZORBLAX now.", "I saw Flimbo and flimbo.",
    "Meet Kokoro.", "kokoro is", "The Qwerty", "a qwerty.",
    "Tomato soup and a tomato.", "TOMATO", "Paris or paris.",
]


def main() -> int:
    from misaki import en, espeak

    records = []
    for british in (False, True):
        g2p = en.G2P(trf=False, british=british, fallback=espeak.EspeakFallback(british=british))
        g2p.lexicon.golds.update(GOLDS)
        g2p.lexicon.silvers.update(SILVERS)
        for word in DELETED:
            del g2p.lexicon.golds[word]
        for i, text in enumerate(TEXTS):
            if british:
                records[i]["gb"] = g2p(text)[0]
            else:
                records.append({"text": text, "us": g2p(text)[0]})
    json.dump({"golds": GOLDS, "silvers": SILVERS, "deleted": DELETED, "records": records}, sys.stdout,
              ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
