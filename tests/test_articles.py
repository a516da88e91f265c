from datetime import date

import pytest

from rag.articles import ArticleError, load_articles, read_file
from tests.conftest import SEED


def test_seed_format_gives_date_and_body_without_prefix():
    (article,) = read_file(SEED)
    assert article.id == "000_5e0d765c48372623"
    assert article.published == date(2025, 3, 7)
    assert article.text.startswith("Ecuador's President Daniel Noboa on Friday")
    assert "date 2025" not in article.text


def test_markdown_front_matter(tmp_path):
    f = tmp_path / "budget vote.md"
    f.write_text("---\ntitle: Budget passes\ndate: 2024-05-14\nsource: Metro Daily\nurl: https://x.test/a\n---\n\n"
                 "The council approved it.\n")
    (a,) = read_file(f)
    assert (a.id, a.title, a.published, a.source, a.url) == (
        "budget-vote", "Budget passes", date(2024, 5, 14), "Metro Daily", "https://x.test/a",
    )
    assert a.text == "The council approved it."


def test_txt_header_lines_without_fence(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("title: Storm\nsource: Coast Herald\n\nThe storm closed schools.")
    (a,) = read_file(f)
    assert (a.title, a.source, a.published, a.text) == ("Storm", "Coast Herald", None, "The storm closed schools.")


def test_plain_text_whose_first_line_only_looks_like_a_key_is_all_body(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Title: the mayor spoke at length on Monday about roads.\nShe said more.")
    (a,) = read_file(f)
    assert a.title is None and a.text.startswith("Title: the mayor")


def test_jsonl_articles(tmp_path):
    f = tmp_path / "feed.jsonl"
    f.write_text(
        '{"id": "wire-1", "title": "T1", "published": "2025-01-02", "source": "Wire", "url": null, "text": "One."}\n'
        "\n"
        '{"id": "wire-2", "text": "Two."}\n'
    )
    a, b = read_file(f)
    assert (a.id, a.title, a.published, a.source) == ("wire-1", "T1", date(2025, 1, 2), "Wire")
    assert (b.id, b.text, b.published) == ("wire-2", "Two.", None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe not utf8", "not UTF-8"),
        (b'{"id": "a", "text": "x"}\n{broken\n', ":2: invalid JSON"),
        (b'{"text": "x"}\n', "missing 'id'"),
        (b'{"id": "a/../b", "text": "x"}\n', "invalid article id"),
        (b'{"id": "a", "text": "x", "published": "yesterday"}\n', "published"),
        (b'{"id": "a", "text": "  "}\n', "text is empty"),
    ],
)
def test_bad_input_is_one_clear_error(tmp_path, content, message):
    f = tmp_path / "bad.jsonl"
    f.write_bytes(content)
    with pytest.raises(ArticleError, match=message.replace("(", r"\(")) as exc:
        read_file(f)
    assert "\n" not in str(exc.value)


def test_folders_expand_and_missing_paths_fail(tmp_path, seed_copy):
    (seed_copy / "notes.csv").write_text("ignored")
    assert [a.id for a in load_articles([seed_copy])] == ["000_5e0d765c48372623"]
    with pytest.raises(ArticleError, match="no such file"):
        load_articles([tmp_path / "missing"])


def test_an_upload_file_holds_at_most_the_bounded_number_of_articles():
    import json as _json

    from rag.articles import MAX_ARTICLES_PER_UPLOAD, parse_bytes

    lines = "\n".join(_json.dumps({"id": f"a{i}", "text": "x"}) for i in range(MAX_ARTICLES_PER_UPLOAD + 1))
    with pytest.raises(ArticleError, match=f"more than {MAX_ARTICLES_PER_UPLOAD} articles"):
        parse_bytes(lines.encode(), "bulk.jsonl")
    assert len(parse_bytes("\n".join(lines.splitlines()[:-1]).encode(), "bulk.jsonl")) == MAX_ARTICLES_PER_UPLOAD
