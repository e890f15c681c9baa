"""The fifth training build's text extractors (tools/tagger_corpus.py), on small inputs."""
import tool_modules

corpus = tool_modules.load("tagger_corpus")


def test_rst_roles_become_their_text():
    text = ("Use :func:`os.path.join` or :meth:`~str.split`, see :ref:`the tutorial <tut>` "
            "and :ref:`<target>`.")
    assert corpus.rst_inline(text) == "Use os.path.join or split, see the tutorial and target."


def test_rst_literals_links_and_emphasis_become_their_words():
    assert corpus.rst_inline("A *very* **bold** `link <http://x>`_, `Title`_ and ``len(x)``.") \
        == "A very bold link, Title and len(x)."


def test_rst_final_double_colon_reads_as_a_colon():
    assert corpus.rst_inline("For example::") == "For example:"


def test_rst_paragraphs_keep_prose_only():
    source = ("Title\n=====\n\nThe first\nparagraph.\n\n   indented code\n\n.. note::\n\n"
              "   noted\n\n* a list item\n\n1. a numbered item\n\n>>> 1 + 1\n\nLast one::\n\n"
              "    code\n")
    assert corpus.rst_paragraphs(source) == ["The first paragraph.", "Last one:"]


def test_html_paragraphs_leave_nested_blocks_out():
    parser = corpus._Paragraphs()
    parser.feed('<div class="para">Run <code>apt</code> now<div class="itemizedlist"><ul>'
                '<li>item</li></ul></div> please.</div><pre>no</pre><p>Second &amp; last.</p>'
                '<div>not a paragraph</div>')
    parser.close()
    assert parser.paragraphs == ["Run apt now please.", "Second & last."]


def test_wesnoth_strings(tmp_path):
    base = tmp_path / "usr/share/games/wesnoth/1.16/data/campaigns/X/scenarios"
    base.mkdir(parents=True)
    (base / "01.cfg").write_text(
        '[message]\n    speaker=Konrad\n'
        '    message= _ "We must <i>hurry</i>,\n""Delfador"" said."\n'
        '[/message]\n    message= _ "Hello $unit.name|!"\n    id=foo\n'
        '    story= _ "Long ago.\n\nThen war."\n', encoding="utf-8")
    units = corpus.wesnoth(tmp_path)
    assert [lines for _, _, lines in units] == [['We must hurry, "Delfador" said.'],
                                                ["Long ago.", "Then war."]]
