from rag.articles import read_file
from rag.chunking import MAX_SENTENCE_CHARS, chunk_article, sentence_spans
from rag.types import Article
from tests.conftest import SEED


def test_chunk_and_sentence_spans_slice_back_to_the_exact_text():
    (article,) = read_file(SEED)
    chunks = chunk_article(article, max_chars=400, overlap_sentences=1)
    assert len(chunks) > 3
    for chunk in chunks:
        assert article.text[chunk.start : chunk.end] == chunk.text
        assert chunk.sentences[0].start == chunk.start and chunk.sentences[-1].end == chunk.end
        for s in chunk.sentences:
            quote = article.text[s.start : s.end]
            assert quote == quote.strip() and quote


def test_every_sentence_is_covered_and_chunks_overlap_by_one_sentence():
    (article,) = read_file(SEED)
    chunks = chunk_article(article, max_chars=400, overlap_sentences=1)
    covered = {(s.start, s.end) for c in chunks for s in c.sentences}
    assert covered == {(s.start, s.end) for s in sentence_spans(article.text)}
    for a, b in zip(chunks, chunks[1:]):
        assert a.sentences[-1] == b.sentences[0]


def test_sentences_split_at_abbreviations_correctly_and_never_cross_paragraphs():
    text = "Mr. Smith met Dr. Jones in the U.S. capital on Monday.\n\nA second paragraph\nwithout a stop"
    spans = [text[s.start : s.end] for s in sentence_spans(text)]
    assert spans == ["Mr. Smith met Dr. Jones in the U.S. capital on Monday.", "A second paragraph\nwithout a stop"]
    # titles news prose puts before a name: "Lt. Gov. Dan Patrick" keeps its sentence (and its subject)
    text = "Texas Lt. Gov. Dan Patrick told him to sit down. Capt. Ann Lee and Sgt. Al Poe agreed. They left."
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "Texas Lt. Gov. Dan Patrick told him to sit down.", "Capt. Ann Lee and Sgt. Al Poe agreed.", "They left."]


def test_a_title_inside_curly_quotes_keeps_its_name_and_the_quote_keeps_its_characters():
    text = "He paused. “Mr. Abbott has left,” she said. ‘Gov. Lee’ agreed. It’s done, he said “go.” Then left."
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "He paused.", "“Mr. Abbott has left,” she said.", "‘Gov. Lee’ agreed.", "It’s done, he said “go.”",
        "Then left."]


def test_a_sentence_longer_than_the_limit_is_its_own_chunk():
    article = Article(id="x", text="word " * 100 + "end. Short one.")
    chunks = chunk_article(article, max_chars=100)
    assert [len(c.sentences) for c in chunks] == [1, 1]


def test_an_unpunctuated_list_is_cut_into_sentences_that_fit_a_prompt():
    """A 14 KB run without a full stop would otherwise be one "sentence": one evidence line over the
    model's whole context."""
    text = ", ".join(f"item number {i}" for i in range(1000))
    spans = sentence_spans(text)
    assert len(spans) > 20 and max(s.end - s.start for s in spans) <= MAX_SENTENCE_CHARS
    assert "".join(text[s.start : s.end] for s in spans).replace(" ", "") == text.replace(" ", "")
    unspaced = "x" * 2000
    assert [s.end - s.start for s in sentence_spans(unspaced)] == [600, 600, 600, 200]


def test_cjk_sentences_end_at_their_own_full_stops():
    text = "北京今天下雨。上海晴天！广州多云？ The end."
    spans = sentence_spans(text)
    assert [text[s.start : s.end] for s in spans] == ["北京今天下雨。", "上海晴天！", "广州多云？", "The end."]


def test_a_word_punkt_cuts_off_after_an_abbreviation_stays_with_its_sentence():
    """A quote after the cut-off word made Punkt end the sentence at the abbreviation; a citation then
    quoted "must leave before Dec." without its day."""
    text = ('“You must leave before Dec. 20.” He said it to Dr. Smith." It was in the U.S. capital. '
            'They met on Main St. It rained. Is it safe? Yes. Sens. Al Poe and Ann Lee left for the U.S. '
            '“Never.” It ended at 4 p.m. sharp.')
    assert [text[s.start : s.end] for s in sentence_spans(text)] == [
        "“You must leave before Dec. 20.”", 'He said it to Dr. Smith."', "It was in the U.S. capital.",
        "They met on Main St.", "It rained.", "Is it safe?", "Yes.", "Sens. Al Poe and Ann Lee left for the U.S.",
        "“Never.”", "It ended at 4 p.m. sharp."]
    # an answer's citation marker is no word: its sentence ends after it
    answer = "The season opens Thursday at 9 p.m. ET [4]. It airs on ABC [2]."
    assert [answer[s.start : s.end] for s in sentence_spans(answer)] == [
        "The season opens Thursday at 9 p.m. ET [4].", "It airs on ABC [2]."]
