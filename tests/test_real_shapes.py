"""Real export shapes (tests/real_shapes.py): each gives exactly the canonical payouts, or stops with
a Chinese message naming the file, the sheet and the column, and writes nothing."""
from __future__ import annotations

import pytest

from real_shapes import SHAPES, SAMPLES
from test_bad_inputs import assert_accounts_balance, payouts, run_in_process, workbook_of


@pytest.fixture(scope="module")
def canonical(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("canonical")
    code, _, err = run_in_process(SAMPLES, out)
    assert code == 0, err
    return payouts(workbook_of(out))


def test_the_corpus_is_large_and_says_where_each_shape_was_seen():
    assert len(SHAPES) >= 25
    assert len({s.id for s in SHAPES}) == len(SHAPES)
    for s in SHAPES:
        assert s.seen and s.header and s.title and s.clerk, s.id


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.id)
def test_shape(shape, tmp_path, canonical):
    folder = shape.folder(tmp_path / "in")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    out = tmp_path / "out"
    code, stdout, stderr = run_in_process(folder, out)
    assert "Traceback" not in stdout + stderr and "程序内部错误" not in stderr, stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    if shape.stops:
        assert code == 1, stdout + stderr
        for text in shape.stops:
            assert text in stderr, f"{text!r} not in {stderr!r}"
        assert not out.exists() or not any(out.iterdir())
        return
    assert code == 0, stderr
    book = workbook_of(out)
    assert_accounts_balance(book)
    assert payouts(book) == canonical


def test_the_readme_shows_the_corpus_as_it_is():
    from real_shapes import REPO, markdown_table

    assert markdown_table() in (REPO / "README.md").read_text(encoding="utf-8"), \
        "README table out of date: python tests/real_shapes.py --table"
