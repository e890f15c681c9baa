"""The path one text takes through misaki_lite: files visited from G2P.__call__ to the phonemes.

    python -m tools.call_path ["text"] [--list]

Traces one warm call (a first call of other text loads the lexicon, tagger and rules, so loading
is not counted) and prints the sequence of misaki_lite files its Python functions enter, each
function counted at its first call only, consecutive calls in one file counted as one stop:
stops, distinct files, and returns (stops in a file already left); ``--folders`` counts each
folder of the package as one place.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from misaki_lite.config import G2PConfig
import misaki_lite

PACKAGE = Path(misaki_lite.__file__).resolve().parent
TEXT = "The 3 old dogs didn't read Dr. Smith's 2nd book at 10:05, did they?"


def path_of(g2p, text: str) -> list[str]:
    seen, stops = set(), []

    def profile(frame, event, arg):
        if event != "call":
            return
        code = frame.f_code
        if code in seen:
            return
        seen.add(code)
        file = Path(code.co_filename).resolve()
        if PACKAGE not in file.parents:
            return
        name = str(file.relative_to(PACKAGE))
        if not stops or stops[-1] != name:
            stops.append(name)

    sys.setprofile(profile)
    try:
        g2p(text)
    finally:
        sys.setprofile(None)
    return stops


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("text", nargs="?", default=TEXT)
    ap.add_argument("--list", action="store_true", help="print the stops, one a line")
    ap.add_argument("--folders", action="store_true",
                    help="count a folder of the package (text/, reading/...) as one stop")
    args = ap.parse_args(argv)
    g2p = G2PConfig().build()
    g2p("Warm up: 7 cats, Mr. Jones and U.S. at 9:30 on May 3, 2019, isn't it?")
    stops = path_of(g2p, args.text)
    if args.folders:
        folders = [s.split("/")[0] if "/" in s else s for s in stops]
        stops = [f for i, f in enumerate(folders) if i == 0 or folders[i - 1] != f]
    if args.list:
        print("\n".join(stops))
    files = len(set(stops))
    print(f"stops {len(stops)}, files {files}, returns to a file already left {len(stops) - files}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
