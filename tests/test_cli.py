"""The misaki-lite command line, run in a subprocess as users run it."""
import json
import os
import subprocess
import sys

import pytest

from misaki_lite import phonemize


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_text_arguments():
    r = run("Hello", "world.")
    assert r.returncode == 0, r.stderr
    assert r.stdout == phonemize("Hello world.") + "\n"


def test_stdin_one_line_per_line_including_blank_lines():
    r = run(stdin="Hello.\n\nGood night.\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [phonemize("Hello."), "", phonemize("Good night."), ""]


def test_file_and_british(tmp_path):
    f = tmp_path / "in.txt"
    f.write_text("tomato\nschedule\n", encoding="utf-8")
    r = run("-f", str(f), "--british")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [phonemize("tomato", british=True), phonemize("schedule", british=True)]


def test_json_output_has_tokens_with_source():
    r = run("--json", "The cat sat on Blorptastic.")
    row = json.loads(r.stdout)
    assert row["phonemes"] == phonemize("The cat sat on Blorptastic.")
    sources = {t["text"]: t["source"] for t in row["tokens"]}
    assert sources["cat"] == "gold" and sources["Blorptastic"] == "espeak"
    assert sources["."] == "punctuation"
    assert {"text", "tag", "whitespace", "phonemes", "source"} <= set(row["tokens"][0])


def test_explain_names_tiers():
    # "cat" is in lexicons/us_gold.tsv ("Cat" finds it as a case variant), "cats" only in
    # lexicons/us_silver.tsv, "Blorptastic" in neither.
    r = run("--explain", "--no-fallback", "Cat cats 42 Blorptastic")
    rows = [line.split("\t") for line in r.stdout.splitlines() if line]
    assert [(w, s) for w, _, s in rows] == [
        ("Cat", "gold"), ("cats", "silver"), ("42", "number"), ("Blorptastic", "unknown")]


def test_no_fallback_gives_unknown_marker():
    assert run("--no-fallback", "Blorptastic").stdout == "❓\n"


@pytest.mark.parametrize("args", [["--bogus"], ["-f"], ["--json", "--explain", "x"]])
def test_usage_errors_exit_2(args):
    r = run(*args)
    assert r.returncode == 2 and r.stderr


def test_missing_file_is_a_runtime_error_with_one_message(tmp_path):
    r = run("-f", str(tmp_path / "nope.txt"))
    assert r.returncode == 1
    assert r.stderr.startswith("misaki-lite: error:") and "Traceback" not in r.stderr


def test_closed_pipe_ends_quietly():
    script = (f"{sys.executable} -m misaki_lite.run.cli -f - | head -n 1")
    lines = "".join(f"Line number {i}.\n" for i in range(3000))
    r = subprocess.run(["bash", "-o", "pipefail", "-c", script], input=lines, capture_output=True,
                       text=True, timeout=120)
    assert r.stdout == phonemize("Line number 0.") + "\n"
    assert "Traceback" not in r.stderr and "BrokenPipe" not in r.stderr


def test_invalid_utf8_line_is_reported_and_the_rest_goes_on(tmp_path):
    f = tmp_path / "mixed.txt"
    f.write_bytes(b"First line.\nbad \xff\xfe bytes\nThird line.\n")
    r = run("-f", str(f))
    assert r.returncode == 1
    assert r.stdout.split("\n") == [phonemize("First line."), "", phonemize("Third line."), ""]
    assert "line 2: invalid UTF-8" in r.stderr and "Traceback" not in r.stderr


def test_strict_stops_at_the_bad_line(tmp_path):
    f = tmp_path / "mixed.txt"
    f.write_bytes(b"First line.\nbad \xff bytes\nThird line.\n")
    r = run("--strict", "-f", str(f))
    assert r.returncode == 1
    assert r.stdout == phonemize("First line.") + "\n"
    assert "line 2: invalid UTF-8" in r.stderr


def test_nul_in_a_line_is_just_text(tmp_path):
    r = run(stdin="a\x00b\n")
    assert r.returncode == 0 and r.stdout.count("\n") == 1


def test_jobs_keep_order_and_report_bad_lines(tmp_path):
    f = tmp_path / "in.txt"
    lines = ["Hello world.", "The record.", "I read it.", "Blorptastic!"] * 5
    raw = "\n".join(lines).encode("utf-8") + b"\n\xff oops\nGood night.\n"
    f.write_bytes(raw)
    r = run("-f", str(f), "--jobs", "2", "--progress")
    assert r.returncode == 1
    assert r.stdout.split("\n") == [phonemize(t) for t in lines] + ["", phonemize("Good night."), ""]
    assert "line 21: invalid UTF-8" in r.stderr and "22 / 22 lines (100%)" in r.stderr


def test_negative_jobs_is_a_usage_error():
    assert run("--jobs", "-1", "x").returncode == 2


# -- polish: --version, '-', --help, speak's early checks ---------------------------------------

def test_version():
    import misaki_lite
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"misaki-lite {misaki_lite.__version__}"


def test_a_lone_dash_reads_stdin():
    r = run("-", stdin="Hello.\nGood night.\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n") == [phonemize("Hello."), phonemize("Good night."), ""]
    r = run("yes", "-", "no")                 # among words, '-' is text
    assert r.stdout == phonemize("yes - no") + "\n"


def test_help_lists_every_subcommand():
    r = run("--help")
    assert r.returncode == 0
    listed = r.stdout.split("subcommands", 1)[1]
    assert "speak TEXT -o OUT.wav" in listed and "download" in listed


def _speak(argv, monkeypatch, capsys, extra=True):
    from misaki_lite.kokoro import Kokoro, cli as kokoro_cli

    if extra:                                 # as if the kokoro extra were installed
        monkeypatch.setattr(kokoro_cli, "_check_extra", lambda: None)

    def no_synthesis(*args, **kwargs):
        raise AssertionError("synthesis must not start")
    monkeypatch.setattr(Kokoro, "create", no_synthesis)
    monkeypatch.setattr(Kokoro, "stream", no_synthesis)
    monkeypatch.setattr(Kokoro, "generate", no_synthesis)
    code = kokoro_cli.speak_main(argv)
    return code, capsys.readouterr().err


def test_speak_without_the_extra_says_which_extra_in_one_line(monkeypatch, capsys, tmp_path):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "onnxruntime" else real(name, *a))
    code, err = _speak(["Hello.", "-o", str(tmp_path / "a.wav")], monkeypatch, capsys, extra=False)
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "onnxruntime" in err and 'pip install ".[kokoro]" in the misaki_lite source folder' in err


def test_speak_into_a_missing_folder_fails_before_synthesis(monkeypatch, capsys, tmp_path):
    code, err = _speak(["Hello.", "-o", str(tmp_path / "nope" / "a.wav")], monkeypatch, capsys)
    assert code == 1 and "does not exist" in err and str(tmp_path / "nope") in err
    code, err = _speak(["Hello.", "-o", str(tmp_path)], monkeypatch, capsys)
    assert code == 1 and "is a folder" in err


@pytest.mark.parametrize("name, option", [("a.srt", "--subtitles"), ("a.VTT", "--subtitles"),
                                          ("a.json", "--timestamps")])
def test_speak_into_a_subtitle_or_json_name_is_a_usage_error(monkeypatch, capsys, tmp_path, name, option):
    out = tmp_path / name
    code, err = _speak(["Hello.", "-o", str(out)], monkeypatch, capsys)
    assert code == 2 and "writes audio" in err and option in err
    assert not out.exists()


def test_speak_with_nothing_to_say_is_an_error_and_writes_nothing(monkeypatch, capsys, tmp_path):
    out = tmp_path / "pizza.wav"
    code, err = _speak(["🍕", "-o", str(out)], monkeypatch, capsys)
    assert code == 1 and "nothing to say" in err
    assert not out.exists()


def test_speak_names_a_file_that_is_not_utf8_and_reads_it_with_encoding(monkeypatch, capsys, tmp_path):
    """It said "'utf-8' codec can't decode byte 0xe9 in position 3: invalid continuation byte"."""
    latin1, utf16 = tmp_path / "latin1.txt", tmp_path / "utf16.txt"
    latin1.write_bytes("Ok.\nCafé ouvert.\n".encode("latin-1"))
    utf16.write_text("Hello there.\n", encoding="utf-16")
    out = str(tmp_path / "a.wav")
    code, err = _speak(["-f", str(latin1), "-o", out], monkeypatch, capsys)
    assert code == 1 and err == (f"misaki-lite speak: error: {latin1} is not valid UTF-8: byte "
                                 "0xe9 at offset 7 (line 2); name its encoding with --encoding "
                                 "(cp1252, for one), or convert it to UTF-8\n")
    code, err = _speak(["-f", str(utf16), "-o", out], monkeypatch, capsys)
    assert code == 1 and err == (f"misaki-lite speak: error: {utf16} is UTF-16 (it starts with a "
                                 "UTF-16 byte order mark); add --encoding utf-16, or convert it "
                                 "to UTF-8\n")
    code, err = _speak([b"caf\xe9".decode("utf-8", "surrogateescape"), "-o", out], monkeypatch, capsys)
    assert code == 1 and "argument 1 ('caf\\xe9') is not valid UTF-8" in err
    assert not (tmp_path / "a.wav").exists()


def _speak_with(chunks, argv, monkeypatch, capsys):
    """speak with Kokoro.generate giving ``chunks`` (audio or an exception): no model needed."""
    import numpy as np
    from misaki_lite.kokoro import Kokoro, cli as kokoro_cli

    seen = []

    def generate(self, text, **options):
        seen.append(text)
        for chunk in chunks:
            if isinstance(chunk, BaseException):
                raise chunk
            yield np.asarray(chunk, np.float32), text, ""
    monkeypatch.setattr(kokoro_cli, "_check_extra", lambda *a: None)
    monkeypatch.setattr(Kokoro, "generate", generate)
    code = kokoro_cli.speak_main(argv)
    return code, capsys.readouterr().err, seen


def test_speak_reads_a_file_in_the_encoding_given(monkeypatch, capsys, tmp_path):
    pytest.importorskip("numpy")
    import wave
    for name, encoding in (("cp1252", "cp1252"), ("utf-16", "utf-16")):
        path = tmp_path / f"{name}.txt"
        path.write_bytes("Café ouvert.\r\nNaïve.\r\n".encode(encoding))
        out = tmp_path / f"{name}.wav"
        code, err, seen = _speak_with([[0.5] * 2400], ["-f", str(path), "--encoding", name, "-o",
                                                       str(out)], monkeypatch, capsys)
        assert code == 0, err
        assert seen == ["Café ouvert.\nNaïve.\n"]           # line ends as text mode reads them
        with wave.open(str(out)) as wf:
            assert wf.getnframes() == 2400


def test_speak_that_fails_midway_leaves_no_file_and_an_old_one_as_it_was(monkeypatch, capsys, tmp_path):
    pytest.importorskip("numpy")
    from misaki_lite.kokoro.errors import ModelError
    out = tmp_path / "a.wav"
    code, err, _ = _speak_with([[0.1] * 2400, ModelError("the model broke")],
                               ["Hello. Again.", "-o", str(out)], monkeypatch, capsys)
    assert code == 1 and err == "misaki-lite speak: error: the model broke\n"
    assert list(tmp_path.iterdir()) == []
    out.write_bytes(b"old")
    code, err, _ = _speak_with([[0.1] * 2400, KeyboardInterrupt()], ["Hello. Again.", "-o", str(out)],
                               monkeypatch, capsys)
    assert code == 130 and err == ""
    assert list(tmp_path.iterdir()) == [out] and out.read_bytes() == b"old"


@pytest.mark.parametrize("name", ["a.aac", "a.txt", "a.m4a"])
def test_speak_into_an_extension_it_cannot_write_is_a_usage_error(monkeypatch, capsys, tmp_path, name):
    """x.mp3 and the like got WAV data, exit 0."""
    code, err = _speak(["Hello.", "-o", str(tmp_path / name)], monkeypatch, capsys)
    assert code == 2 and err.count("\n") == 1
    assert "the file name must end in .wav, .mp3, .flac, .opus or .ogg" in err
    assert list(tmp_path.iterdir()) == []


def test_speak_to_a_closed_stdout_is_one_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", None)
    code, err = _speak(["Hello.", "-o", "-"], monkeypatch, capsys)
    assert code == 1 and err == "misaki-lite speak: error: -o -: standard output is closed; give a file name\n"


def test_json_bad_line_is_an_object_and_line_breaks_are_escaped(tmp_path):
    path = tmp_path / "in.txt"
    path.write_bytes(b"one\ntw\xff o\n" + "a\u2028b c\u0085d e\u2029f".encode() + b"\n")
    r = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "--no-fallback", "--json",
                        "-f", str(path)], capture_output=True, timeout=300)
    assert r.returncode == 1
    out = r.stdout.decode("utf-8")
    lines = out.splitlines()          # splits on U+2028, U+0085... too
    assert len(lines) == 3, lines
    objects = [json.loads(line) for line in lines]
    assert objects[1] == {"line": 2, "error": "line 2: invalid UTF-8 at byte 2 "
                                              "(another encoding? --encoding cp1252, for one)"}
    assert objects[2]["text"] == "a\u2028b c\u0085d e\u2029f"


def test_output_that_cannot_hold_ipa_is_a_one_line_error():
    r = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "--no-fallback", "thought"],
                       capture_output=True, text=True, timeout=300,
                       env={**__import__("os").environ, "PYTHONIOENCODING": "ascii"})
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert r.stderr.startswith("misaki-lite: error: the output cannot be written in 'ascii'")


def test_ctrl_c_with_two_jobs_exits_130(tmp_path):
    import os
    import signal
    path = tmp_path / "in.txt"
    path.write_text("The quick brown fox jumps over the lazy dog, zorblax.\n" * 20000)
    # the command starts as from a terminal, with Ctrl-C at its default: a shell that runs
    # pytest in the background (bash without job control) starts it with SIGINT ignored, its
    # children inherit that, and Python then never raises KeyboardInterrupt
    proc = subprocess.Popen([sys.executable, "-m", "misaki_lite.run.cli", "--jobs", "2", "-f",
                             str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert proc.stdout.readline()          # the workers are running
        os.killpg(proc.pid, signal.SIGINT)     # Ctrl-C reaches the whole process group
        proc.communicate(timeout=120)          # a hang fails here instead of blocking pytest
        assert proc.returncode == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_an_argument_that_is_not_utf8_is_a_one_line_error_naming_it():
    """The byte used to become U+FFFD, which the reading then dropped: 'kˈæf ...', exit 0."""
    cmd = [sys.executable.encode(), b"-m", b"misaki_lite.run.cli", b"--no-fallback"]
    r = subprocess.run([*cmd, b"ok", b"caf\xe9 ok"], capture_output=True, timeout=300)
    assert r.returncode == 1 and r.stdout == b""
    err = r.stderr.decode("utf-8")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("misaki-lite: error: argument 2 ('caf\\xe9 ok') is not valid UTF-8 "
                          "(byte 0xe9 at offset 3)") and "--encoding" in err
    r = subprocess.run([*cmd, b"--encoding", b"cp1252", b"caf\xe9 ok"], capture_output=True,
                       timeout=300)
    assert r.returncode == 0
    assert r.stdout.decode("utf-8") == run("--no-fallback", "café ok").stdout     # as typed in UTF-8


@pytest.mark.parametrize("given, seen", [(None, "1"), ("2", "2")])
def test_blas_runs_one_thread_unless_the_user_says(given, seen):
    """The command sets OPENBLAS_NUM_THREADS=1 before numpy loads (--jobs is its way to use
    cores), and keeps the user's own setting."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    script = ("import os, sys; from misaki_lite.run.cli import main; main(['Hello.']); "
              "print('numpy' in sys.modules, os.environ['OPENBLAS_NUM_THREADS'])")
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == f"True {seen}"


def test_encoding_reads_a_latin1_file_and_only_the_first_bad_line_suggests_it(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("café is open.\nnaïve\n".encode("latin-1"))
    run = lambda *extra: subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "--no-fallback",
                                        "-f", str(path), *extra], capture_output=True, timeout=300)
    r = run()
    assert r.returncode == 1
    assert r.stderr.decode().count("--encoding cp1252") == 1      # the first bad line only
    r = run("--encoding", "cp1252")
    assert r.returncode == 0 and r.stdout.decode().splitlines() == ["❓ ɪz ˈOpᵊn.", "❓"]


@pytest.mark.parametrize("name", ["utf-16", "bogus"])
def test_an_encoding_that_cannot_split_lines_is_a_usage_error(name):
    r = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "--encoding", name, "x"],
                       capture_output=True, timeout=300)
    assert r.returncode == 2 and "--encoding" in r.stderr.decode()


def test_a_utf8_byte_order_mark_at_the_start_of_the_input_is_no_text():
    from misaki_lite.run import cli
    import io
    lines = list(cli.decoded_lines(io.BytesIO(b"\xef\xbb\xbfHello.\n\xef\xbb\xbfHi.\n")))
    assert lines == ["Hello.", "\ufeffHi."]      # only the stream's first bytes are a mark


def test_a_utf16_file_is_named_as_such_and_stops_at_once(tmp_path):
    """Its line feeds are two bytes: every line would be garbage (the hint was --encoding cp1252)."""
    path = tmp_path / "u16.txt"
    path.write_text("Hello.\nGood day.\n", encoding="utf-16")
    r = run("-f", str(path))
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and "cp1252" not in r.stderr
    assert r.stderr.startswith("misaki-lite: error: line 1: the input is UTF-16 (it starts with "
                               "a UTF-16 byte order mark)") and "convert it to UTF-8" in r.stderr


def test_closed_stdout_is_one_line_and_a_failure():
    r = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli", "Hello."], stdout=None,
                       stderr=subprocess.PIPE, text=True, timeout=300,
                       preexec_fn=lambda: os.close(1))
    assert r.returncode == 1
    assert r.stderr == ("misaki-lite: error: standard output is closed; send it somewhere "
                        "(> out.txt, or > /dev/null to discard it)\n")


def test_closed_stdin_is_one_line_and_a_failure():
    r = subprocess.run([sys.executable, "-m", "misaki_lite.run.cli"], capture_output=True,
                       text=True, timeout=300, preexec_fn=lambda: os.close(0))
    assert r.returncode == 1 and "standard input is closed" in r.stderr
    assert r.stderr.count("\n") == 1


def _on_a_terminal(args, text):
    """Run the command with stdin on a pseudo-terminal, type ``text`` and Ctrl-D."""
    import pty
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "misaki_lite.run.cli", *args],
                                stdin=follower, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        os.close(follower)
        os.write(leader, text.encode() + b"\n\x04")
        out, err = proc.communicate(timeout=300)
    finally:
        os.close(leader)
    return proc.returncode, out, err


def test_stdin_on_a_terminal_gets_a_hint_and_a_pipe_none():
    code, out, err = _on_a_terminal([], "Hello.")
    assert code == 0 and out == phonemize("Hello.") + "\n"
    assert err.startswith("misaki-lite: reading text from standard input, one utterance a line; "
                          "end with Ctrl-D")
    r = run(stdin="Hello.\n")
    assert r.returncode == 0 and r.stderr == ""
