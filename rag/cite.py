"""Checks the model's `[n]` markers against the evidence: every kept claim names a sentence that states it.

A small model now and then cites the wrong sentence or states what no sentence says. A claim is supported
by a sentence when every number in the claim appears in it and enough of its content words do; a wrong
`[n]` is repaired to a sentence that supports the claim, and a claim nothing supports is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from rag.chunking import sentence_spans
from rag.dates import ABBREVIATED_DAY, AHEAD, MONTHS, RESOLVED_DATE, WEEKDAYS
from rag.generate import REFUSAL
from rag.questions import (
    CARDINALS,
    LOWER,
    NOT_NAMES,
    SHORT_TITLES,
    UPPER,
    YEAR,
    bounded,
    is_yes_no,
    labelled_years,
    mentioned,
    months,
    name_spans,
    named_sources,
    sentence_start,
    years_of_facts,
)
from rag.types import Citation, Evidence

MARKER = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")
MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WORD = re.compile(rf"[{LOWER}]+")  # "sánchez" one word, not "s" and "nchez"
NUMBER_WORDS = {w: str(i) for i, w in enumerate(("zero", *CARDINALS))}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
NUMBER_WORDS |= {w: str(20 + 10 * i) for i, w in enumerate(_TENS)}
# "Twenty-one percent", "forty five": one number, not 20 and 1
_TENS_AND_UNITS = re.compile(rf"\b({'|'.join(_TENS)})[- ]({'|'.join(CARDINALS[:9])})\b")
STOPWORDS = frozenset(
    "a an the of in on at to for from by with and or but is are was were be been being has have had do does "
    "did that this these those it its as into over than then there their they he she his her we our you "
    "your not no yes which who whom what when where why how said says say about after before also more most "
    "some any all per".split()
)
REFUSALS = (REFUSAL.lower().rstrip("."), "do not say", "does not say", "not mentioned", "no information")
MIN_WORD_OVERLAP = 0.34
# Words no finished statement ends on. Search snippets and clipped page text end mid-sentence ("... hired
# former executive Mike Durbin as ...", "... release date is ..."), and a small model copies them whole.
_OPEN_ENDS = frozenset(
    "a an the of in on at to for from by with as into about than including is are was were be been being "
    "has have had will would can could should may might must and or but that which who whose whom doing "
    "its their his her our your my".split()
)
_LAST_WORD = re.compile(r"([\w'’]+)\W*$")


# "What salary will she be paid?" asks for a sum of money as "how much will it cost?" does: "an initial
# eight-year term" is a number, no pay.
_WHAT_MONEY = r"\bwhat (?:[\w-]+ )?(?:salary|salaries|wages?|price|fee|fine|ransom|bail|bonus|payout|paycheck)\b"
_ONE_AS_PRONOUN = re.compile(
    r"\b(?:the|this|that) one(?=\s+(?:that|who|which|whose|where|in|from|of|with)\b|\s*[.,;\[]|\s*$)", re.I
)
_ASKS_A_YEAR = re.compile(r"\b(?:what|which) year\b", re.I)
_ASKS = (
    # "What was Tesla's revenue in Q2 2020?" asks for a figure as much as "how much" does; an answer
    # that restates the measure ("Tesla Q2 2020 revenue [1].") states none.
    ("number", re.compile(
        r"\bhow (many|much|long|far|old)\b|\bwhat (share|percentage|number|amount|age)\b"
        r"|\bwhat (is|was|were|are|will be) (the |its |their |[\w.-]+['’]s )?([\w-]+ ){0,2}?"
        r"(revenues?|profits?|sales|income|earnings|losses|prices?|costs?|budget|salary|population|valuation"
        r"|turnover|death toll|toll|score|rate|temperature)\b"
        rf"|{_WHAT_MONEY}", re.I,
    )),
    ("date", re.compile(r"^\s*(since )?when\b|\b(what|which) (date|day|year|month)\b", re.I)),
    # "Which party ...?" asks for a name as much as "who" does: "The student party's candidate [3]." is none;
    # so does "What is Megi known as?": "a tropical depression" is none.
    ("name", re.compile(
        r"^\s*(who|whose|whom)\b|\bwhat (is|was) the name\b"
        r"|\bwhat (is|was|are|were) .{1,60}? (also )?(known as|called|nicknamed|dubbed)\b"
        r"|\b(which|what) ([\w-]+ )?(city|cities|country|countries|nation|capital|town|village|state|province"
        r"|county|region|team|club|company|companies|firm|party|parties|band|newspaper|airline|university"
        r"|ministry|agency|singer|actor|actress|comedian|rapper|player|politician|person|man|woman|president"
        r"|minister|location|locations|place|places)\b", re.I,
    )),
)
# "How many votes?" asks for a count; "43.95 percent of the vote" is a share, another fact.
_COUNT = re.compile(r"\bhow many\b(?!.*(?:%|\bpercent|\bshare|\bproportion))", re.I)
_SHARE = re.compile(r"(\d[\d,.]*)\s*(?:%|percent\b|per cent\b|percentage points?\b)", re.I)
# "How long is the tunnel?" asks for a length or a duration, "How much did it cost?" for a sum of money:
# "The tunnel cost 3.1 billion euros" holds a number and answers neither of the other.
# "How far did it fly?" asks for a distance (or how far a figure moved, a share): "Orion flew farther from
# Earth" gives none.
_HOW_LONG = re.compile(r"\bhow long\b(?! ago)", re.I)
_HOW_FAR = re.compile(r"\bhow far\b", re.I)
# "How old was she when she died?" asks for an age: "his wife of 77 years" counts a marriage.
_HOW_OLD = re.compile(r"\bhow old\b|\b(?:what|which) age\b", re.I)


def _as_age(n: str) -> re.Pattern:
    """`n` told as an age: "at age 96", "aged 96", "96 years old", "a 99-year-old", "died at 100",
    "Carter, 99, said", "turned 63"."""
    return re.compile(rf"\bage(?:d| of)?\s+{n}\b|\b{n}[\s-]+years?[\s-]+old\b|\bat {n}\b|,\s*{n}\s*,"
                      rf"|\bturn(?:s|ed|ing)?\s+{n}\b", re.I)
_LENGTH_UNITS = r"km|kilomet\w*|met(?:re|er)s?|m|miles?|feet|foot|ft|yards?|inch\w*|cm|mm|light[- ]years?"
_DISTANCE = re.compile(rf"\d[\d,.]*\s*(?:-\s*)?(?:million |billion )?(?:{_LENGTH_UNITS})\b", re.I)
_AND_A_HALF = r"(?:[- ]and[- ]a[- ]half)?"  # "eight-and-a-half hours"
_LENGTH_OR_TIME = re.compile(
    rf"\d[\d,.]*{_AND_A_HALF}\s*(?:-\s*)?(?:{_LENGTH_UNITS}"
    r"|seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?|centur\w*)\b"
    rf"|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few|many){_AND_A_HALF}\s+"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b|\bsince\s+(?:\d|[A-Z])", re.I,
)
_HOW_MUCH_MONEY = re.compile(
    r"\bhow much\b.*\b(?:cost|costs|costing|spend|spent|paid|pay|price|priced|worth|fund|funded|budget|sold for"
    rf"|raise|raised|earn|earned|charge|charged|fine|fined)\b|{_WHAT_MONEY}", re.I,
)
_CURRENCIES = "dollars|euros|pounds|yen|yuan|cents|pence|pesos|rupees|francs|rubles"
# Counts given in words rather than figures: "over a dozen members", "hundreds of homes", "tens of thousands".
_IN_MONEY = re.compile(rf"\bhow many (?:[\w-]+ )?(?:{_CURRENCIES})\b", re.I)
_AMOUNT = re.compile(
    r"\b(?:dozens?|scores|hundreds|thousands|millions|billions|(?:half )?an? (?:hundred|thousand|million|billion))\b",
    re.I,
)
# What answers "when": a date, a day, a period; a time of day too ("canceled around noon").
_DATE_WORDS = re.compile(
    r"\b(\d{1,4}(?:st|nd|rd|th|s)?|century|centuries|decades?"
    r"|january|february|march|april|may|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|week|month|year"
    r"|spring|summer|autumn|fall|winter|noon|midnight|morning|afternoon|evening|night|overnight|dawn|dusk)\b",
    re.I,
)
_NAME = re.compile(rf"(?<!^)\b[{UPPER}][{LOWER}]+")  # not one that opens a sentence (`sentence_start`)
_FIRST_WORD = re.compile(rf"^\W*([{UPPER}][A-Z{LOWER}]+)")
# Words that open a sentence without naming anyone ("Several were hurt", "Both sides ...").
_OPENERS = frozenset("several many both each every one two three none neither either".split())
# "the Austrian author", "a Democrat candidate": a capitalised word that describes someone, no name.
_DESCRIBED = re.compile(
    r"\s+(?:author|writer|novelist|poet|playwright|laureate|player|actor|actress|singer|rapper|comedian|star"
    r"|artist|athlete|president|leader|candidate|minister|senator|governor|mayor|lawmaker|politician|official"
    r"|champion|director|producer|coach|manager|founder|company|firm|team|band|group|government|agency"
    r"|authority|regulator)s?\b", re.I,
)
_ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an)\s+$", re.I)


def _describes(answer: str, start: int, end: int) -> bool:
    return bool(_ARTICLE_BEFORE.search(answer[:start]) and _DESCRIBED.match(answer, end))


# "Congressman-elect George Santos", "Rep. George Santos": a title before a name is no name of its own; the
# name after it must be new.
_TITLES = SHORT_TITLES | frozenset(
    "congressman congresswoman congressmember senator representative governor mayor president judge justice "
    "chairman chairwoman secretary minister premier chancellor ambassador sheriff commissioner councilman "
    "councilwoman councilmember speaker".split()
)
_NAME_AFTER = re.compile(rf"(?:-elect)?\.?\s+[{UPPER}]")


def _titles(answer: str, start: int, end: int) -> bool:
    return answer[start:end].lower() in _TITLES and _NAME_AFTER.match(answer, end) is not None


# "Who is Kimbra Turner?" names the person and asks what she is: "a regulatory health information specialist"
# answers it with no name.
_WHO_IS_NAMED = re.compile(
    rf"^\s*(?i:who)\s+(?:is|was|are|were)\s+[{UPPER}][\w'’.-]*(?:\s+[{UPPER}][\w'’.-]*)*\s*\?*\s*$"
)
# Asked who, a name the answer puts a place's preposition before is where, not who: "The mayor of Abuyog is
# in Leyte province" names no mayor.
_ASKS_WHO = re.compile(r"^\s*(?:who|whom|whose)\b", re.I)
_IN_PLACE = re.compile(r"\b(?:in|near)\s+(?:the\s+)?$", re.I)


def _long_word_starts(question: str) -> set[str]:
    """The six-letter starts of the question's words: "the Ministry of Youth" is the question's "Minister"
    made a body, no name of its own ("Guayas" is no form of "Guayaquil")."""
    return {w[:6].lower() for w in re.findall(r"\b[A-Za-z]{6,}", question)}


# Past forms that share no start with their verb: "Why did they send troops?" is restated, not answered,
# by "They sent troops [3]."
_PAST = {
    past: verb for verb, pasts in {
        "begin": "began begun", "break": "broke broken", "bring": "brought", "build": "built", "buy": "bought",
        "catch": "caught", "choose": "chose chosen", "come": "came", "draw": "drew drawn", "drive": "drove driven",
        "eat": "ate eaten", "fall": "fell fallen", "feel": "felt", "fight": "fought", "find": "found",
        "fly": "flew flown", "forget": "forgot forgotten", "freeze": "froze frozen", "get": "got gotten",
        "give": "gave given", "go": "went gone", "grow": "grew grown", "hold": "held", "keep": "kept",
        "know": "knew known", "lead": "led", "leave": "left", "lose": "lost", "make": "made", "meet": "met",
        "pay": "paid", "rise": "rose risen", "run": "ran", "say": "said", "see": "saw seen", "sell": "sold",
        "send": "sent", "shoot": "shot", "sing": "sang sung", "speak": "spoke spoken", "spend": "spent",
        "stand": "stood", "steal": "stole stolen", "strike": "struck", "swim": "swam swum", "take": "took taken",
        "teach": "taught", "tell": "told", "think": "thought", "throw": "threw thrown", "win": "won",
        "write": "wrote written",
    }.items() for past in pasts.split()
}


def _word_starts(text: str) -> set[str]:
    return {_PAST.get(w, w)[:5] for w in content_words(text)}


def answers_the_question(question: str, answer: str, stated: str | None = None) -> bool:
    """The answer holds new information of the kind asked for: a number for "how many" (a count, not a
    share), a date for "when", a name for "who". A small model that cannot answer tends to restate a
    related sentence.
    Given what the cited sentences state, the name must be among it: "The leader of Los Tiguerones is
    Noboa [1]" shares enough words with a sentence on Los Tiguerones to be supported, but not the name.
    Whatever is asked, an answer that only restates the question ("Where did the president declare a
    national emergency?" -> "The president declared a national emergency [2].") says nothing; a yes/no
    question is answered by its "Yes". A word that describes someone ("the Austrian author") names no one."""
    answer = RESOLVED_DATE.sub("", MARKER.sub("", answer))  # "(2024-10-23)" copied from the evidence counts nothing
    counted = _ONE_AS_PRONOUN.sub(" ", answer)  # "is the one that owns it" tells no number
    if not is_yes_no(question) and not (numbers_in(counted) - numbers_in(question)) and not (
        _word_starts(answer) - _word_starts(question)
    ):
        return False
    for kind, pattern in _ASKS:
        if pattern.search(question):
            if kind == "number":
                if _HOW_LONG.search(question):
                    return bool(_LENGTH_OR_TIME.search(answer))
                if _HOW_FAR.search(question):
                    return bool(_DISTANCE.search(answer) or _SHARE.search(answer))  # "shares fell 20%"
                if _HOW_OLD.search(question):
                    told = stated if stated is not None else answer
                    return any(_as_age(n).search(told) for n in numbers_in(answer) - numbers_in(question))
                if _HOW_MUCH_MONEY.search(question) and not (money_in(answer) - money_in(question)
                                                            or _SHARE.search(answer)):  # "a 6 percent pay rise"
                    return False
                new = numbers_in(answer) - numbers_in(question)
                new |= {w.lower() for w in _AMOUNT.findall(answer)} - {w.lower() for w in _AMOUNT.findall(question)}
                if _COUNT.search(question):  # a count is neither a share, a year ("start in December 2027")
                    new -= {n.replace(",", "").rstrip(".") for n in _SHARE.findall(answer)}  # nor money
                    new -= set(YEAR.findall(answer))
                    if not _IN_MONEY.search(question):  # "How many people used SNAP?" -> "$335 a month"
                        new -= money_in(answer) - money_in(question)
                return bool(new)
            if kind == "date":
                if _ASKS_A_YEAR.search(question):  # "the Fourth of July" is a date, not the year asked for
                    return bool(set(YEAR.findall(answer)) - set(YEAR.findall(question)))
                return bool(_DATE_WORDS.search(answer))
            if _WHO_IS_NAMED.match(question):
                return True
            asked = {w.lower() for w in WORD.findall(question.lower())}
            common, who = _long_word_starts(question), _ASKS_WHO.search(question)
            found = [  # "Dr. Tony S. Reed": a title's or an initial's stop ends no sentence
                m.group(0) for m in _NAME.finditer(answer)
                if not sentence_start(answer[: m.start()]) and not _describes(answer, m.start(), m.end())
                and not _titles(answer, m.start(), m.end()) and not ABBREVIATED_DAY.match(answer, m.start())
                and not (who and _IN_PLACE.search(answer[: m.start()])) and m.group(0).lower()[:6] not in common
            ]
            first = _FIRST_WORD.match(answer)  # "Altman [2].": a name often opens the answer
            if first and first.group(1).lower() not in STOPWORDS | _OPENERS:
                found.append(first.group(1))
            return any(  # "Olympics" is the question's "olympic" games, no new name
                not {name.lower(), name.lower().removesuffix("s")} & (asked | NOT_NAMES)
                and (stated is None or _starts_a_word(name, stated))
                for name in found
            )
    return True


# A question about what happened ("When did the battery phase open?") is not answered by a sentence
# that tells it as still ahead, in a year still to come ("a second phase ... would begin in 2027"). An
# event announced for a date now past most likely took place then: "will take place on January 5, 2020"
# answers when the 2020 awards took place. A question about what was said or planned ("What did the
# minister announce?") asks for something ahead.
_HAPPENED = re.compile(r"\bdid\b|\b(?:was|were)\b(?:\s+[\w'’-]+){0,4}?\s+[a-z]+ed\b", re.I)
_SAID_OR_PLANNED = re.compile(
    r"\b(?:announc|say|said|tell|told|pledg|promis|propos|plan|vow|threat|warn|predict|expect|forecast|agree"
    r"|sign|unveil|reveal|confirm|order|ask|call|urg|decid|intend|hope|want|project|estimat)"
    r"(?:e|es|ed|ing|s|n|ned|ning|ened|ening)?\b", re.I,
)
_CLAUSE = re.compile(r"[,;:()]|\s[-–—]\s|[.!?]\s")
AHEAD_WINDOW = 6  # words before the answer's year in which "would" or "will" makes it a plan


def told_as_ahead(
    question: str, answer: str, stated: str, asked_on: date | None = None, published: date | None = None
) -> bool:
    """The question asks about something that happened, and the cited sentences tell it as still ahead:
    the period the question sets ("What did the council decide at its July meeting?") stands in a clause
    that says "would", "will", "is expected to" ("the council would reconsider it at its next meeting in
    July"), whatever was asked of that period; or, unless what was said or planned is asked, the answer's
    year is still to come on the day of asking (default today), with such words just before it. Once that
    year has passed, a plan's date is what a snippet written before it can tell of the event. A year
    before the cited report's (`published`, the earliest) was past when it was written: "waves would be
    on the order of the 2004 Indian Ocean tsunami that killed nearly 230,000 people" tells no plan for 2004."""
    if not _HAPPENED.search(question) or AHEAD.search(question):
        return False
    periods = years_of_facts(question)[1] | months(question)
    for period in {p for p in periods if not (published and p.isdigit() and int(p) < published.year)}:
        if any(_ahead(stated, m.start(), None) for m in re.finditer(rf"\b{period}\b", stated)):
            return True
    if _SAID_OR_PLANNED.search(question):
        return False
    year = (asked_on or date.today()).year
    new = numbers_in(MARKER.sub("", answer)) - numbers_in(question)
    return any(
        _ahead(stated, m.start(), AHEAD_WINDOW)
        for n in new if len(n) == 4 and n.isdigit() and year < int(n) < year + 100
        for m in re.finditer(rf"(?<![\d.,]){n}(?!\d)", stated)
    )


def _ahead(text: str, at: int, words: int | None) -> bool:
    """A word of the plan in the clause before `at`, or in its last `words` words."""
    before = text[:at]
    clause = before[max((c.end() for c in _CLAUSE.finditer(before)), default=0) :].split()
    return AHEAD.search(" ".join(clause[-words:] if words else clause)) is not None


def dated_elsewhere(question: str, answer: str) -> bool:
    """The question dates its fact ("Who won the British Open in 2020?") and the answer dates its own in
    other years only ("Shibuno won the 2019 Women's British Open [3]."): it answers about another year's
    event, though the cited snippet, published in 2020, holds both years. The asked year as a bound of
    the answer's period is another year too: "the highest level since 1987" is no level of 1987. A year
    that is part of a name ("the NameExoWorlds 2022 competition") is met by later ones too: what follows an
    edition is told after it (its winners are named in 2023); the cited passage must still hold the year
    (`unmet_constraints`)."""
    _, asked = years_of_facts(question)
    told, told_of_facts = years_of_facts(MARKER.sub("", answer))
    later = {year for year in told_of_facts if any(year > named for named in labelled_years(question) & asked)}
    return bool(asked) and bool(told) and not told_of_facts & asked and not later


# Results pages list winners by year: "2021, Daniil Medvedev (RUS), Novak Djokovic (SRB) ; 2020, Dominic
# Thiem (AUT) ...". A name there belongs to the year that opens its entry, whatever year the page is of.
_YEAR_ENTRY = re.compile(rf"(?:^|[;|•·\n]\s*)({YEAR.pattern})\s*[,:–—-]\s")


def listed_in_another_year(question: str, answer: str, stated: str) -> bool:
    """The question dates its fact, the cited sentences list entries by year, and every mention there of
    the names the answer adds stands in another year's entry: "Novak Djokovic" for the 2020 winner, from
    the 2021 row. A year that bounds the asked period ("who won it before 2021") is asked of no row."""
    asked = years_of_facts(question)[1]
    entries = list(_YEAR_ENTRY.finditer(stated))
    if not asked or len(entries) < 2:
        return False
    asked_words = {word for name, _, _ in name_spans(question) for word in name.split()}
    given = {name for name, _, _ in name_spans(MARKER.sub("", answer)) if not set(name.split()) <= asked_words}
    placed = [
        next((e.group(1) for e in reversed(entries) if e.end() <= m.start()), None)
        for name in given for m in re.finditer(rf"\b{re.escape(name)}\b", stated, re.IGNORECASE)
    ]
    return bool(placed) and all(year is not None and year not in asked for year in placed)


# A small model writes the question's subject into the sentence that tells of its neighbour: "The
# Greenhollow public library will close its maternity ward" from "Harwick General Hospital will close its
# maternity ward", "The ferry left Kessler Bay at 7 a.m." from "... had left the port of Tarven at 7 a.m.".
# Most words of the claim are in the sentence, so it passes as supported; the sentence has another name
# where the answer has the asked one.
SWAP_WINDOW = 4  # words on either side of a name, within its clause, where the answer and sentence agree
_PLAIN_WORD = re.compile(r"[\w'’.]+")


def _beside(text: str, start: int, end: int) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The word pairs just before and just after a span, within its clause, that are not two stopwords.
    A sentence's first word heads the clause after its comma ("Utah, where more than 60% ..."); a name
    elsewhere may close an aside ("The vessel, operated by Nordlys Lines, had left ..."), so its comma
    ends what is beside it."""
    def pairs(words: list[str]) -> set[tuple[str, str]]:
        return {(a, b) for a, b in zip(words, words[1:]) if a not in STOPWORDS or b not in STOPWORDS}

    def words(part: str) -> list[str]:
        return [w.lower().strip(".'’") for w in _PLAIN_WORD.findall(part)]

    before = words(_CLAUSE.split(text[:start])[-1])[-SWAP_WINDOW:]
    rest = text[end:]
    rest = rest[1:] if rest.startswith(",") and _OPENS.search(text[:start]) else rest
    after = words(_CLAUSE.split(rest)[0])[:SWAP_WINDOW]
    return pairs(before), pairs(after)


_MODALS = frozenset("will would can could may might must shall should".split())


def _modifies(text: str, end: int) -> bool:
    """A content word follows the name in its clause: the name may only describe what fills the place
    ("62% of U.S. adults" says what "62% of Americans" does; "Anika Voss led" is lost with it, as a word
    list cannot tell a verb from a noun). A name followed by a stopword, a modal or nothing stands alone."""
    nxt = re.match(r"\s+([a-z][\w'’-]*)", text[end:])
    return nxt is not None and nxt.group(1) not in STOPWORDS | _MODALS


_OPENS = re.compile(r"(?:^|[.!?])[\s\"'“‘(]*$")  # what stands before a sentence's first word
_OPENER = re.compile(r"(?:^|[.!?]\s+)[\"'“‘(]*([A-Z][\w'’-]+)")


def _openers(text: str) -> list[tuple[str, int, int]]:
    """The capitalised first word of each sentence, which `name_spans` cannot tell from "The" or "Officials"."""
    return [(m.group(1).lower(), m.start(1), m.end(1)) for m in _OPENER.finditer(text)]


def swaps_a_name(answer: str, stated: str, question: str = "") -> bool:
    """A name of the answer is not in the cited sentences, and in its place, with the same words beside
    it, they have a name no word of which the answer has ("Harwick hospital" is "Harwick General
    Hospital"). A sentence may open with either: asked "Why does Nevada not have a lottery?", the model
    copied "Utah, where more than 60% ... has long opposed a lottery" with Nevada in Utah's place. The
    answer's first word counts as a name when the question names it; the sentence's, whatever it is, as
    the words beside it must agree too."""
    answer = MARKER.sub("", answer)
    asked = {name for name, _, _ in name_spans(question)}
    rivals = [
        _beside(stated, start, end)
        for name, start, end in [*name_spans(stated), *(o for o in _openers(stated) if o[0] not in NOT_NAMES)]
        if not any(mentioned(word, answer) for word in name.split()) and not _modifies(stated, end)
    ]
    named = [*name_spans(answer), *(opener for opener in _openers(answer) if opener[0] in asked)]
    return any(
        before & rival_before or after & rival_after
        for name, start, end in named if not mentioned(name, stated)
        for before, after in [_beside(answer, start, end)]
        for rival_before, rival_after in rivals
    )


# "Who founded the Invictus Games?" -> "Dmytro Sydoruk founded the Invictus Games [1]", from "Sydoruk
# represented Ukraine at the first ever Invictus Games – an event for wounded soldiers founded by Prince
# Harry": the cited sentence names who did the asked deed, and the answer names another of its people.
_ASKS_WHO_DID = re.compile(r"^\s*who\s+([a-z]+ed|wrote|built|led|made|drew)\b", re.I)
_PARTICIPLES = {"wrote": "written", "drew": "drawn"}


def names_another_doer(question: str, answer: str, stated: str) -> bool:
    asked = _ASKS_WHO_DID.match(question)
    if asked is None:
        return False
    verb = asked.group(1).lower()
    by = {m.end() for m in re.finditer(rf"\b{_PARTICIPLES.get(verb, verb)}\s+by\s+", stated)}
    doers = [name for name, start, _ in name_spans(stated) if start in by]
    return bool(doers) and not any(mentioned(doer, answer) for doer in doers)


# A bare "Yes" from a sentence that denies what was asked: "Did Abbott say tougher gun laws are a real
# solution?" -> "Yes", from "Abbott argued that tougher gun laws aren't a 'real solution'"; "Does the district
# offer a virtual option?" -> "Yes", from "... has no virtual option except in special cases". "Whether"
# leaves it open: "Did CDC advisers recommend boosters for teens?" -> "Yes", from advisers "scheduled to
# meet Wednesday to discuss whether to recommend boosters for that age group".
_DENIAL = re.compile(r"(?:\b(?:not|no|never|without|neither|nor|whether)\b|n['’]t\b)((?:\W+[\w'’-]+){1,3})", re.I)


def yes_against_a_denial(question: str, answer: str, stated: str) -> bool:
    """The answer says "Yes" to a question that asks nothing negative, and its cited sentences put a
    negation or "whether" right before two words of the question (within three words): one shared word is
    common in the long comparisons MultiHop asks ("not" before an outlet's topic)."""
    if not is_yes_no(question) or not re.match(r"\W*yes\b", answer, re.I) or _DENIAL.search(question):
        return False
    asked = content_words(question)
    return any(len(content_words(m.group(1)) & asked) >= 2 for m in _DENIAL.finditer(stated))


def _starts_a_word(name: str, text: str) -> bool:
    """"Holo" (of "HoloLens", as the name pattern reads it) is in "Microsoft HoloLens is ..."."""
    return re.search(rf"\b{re.escape(name)}", text, re.IGNORECASE) is not None


def is_refusal(text: str) -> bool:
    low = " ".join(text.lower().split())
    return not low or any(r in low for r in REFUSALS)


def numbers_in(text: str) -> set[str]:
    found = {n.replace(",", "").rstrip(".") for n in NUMBER.findall(text)}
    low = text.lower()
    found |= {str(int(NUMBER_WORDS[tens]) + int(NUMBER_WORDS[unit])) for tens, unit in _TENS_AND_UNITS.findall(low)}
    found |= {NUMBER_WORDS[w] for w in WORD.findall(_TENS_AND_UNITS.sub(" ", low)) if w in NUMBER_WORDS}
    return found


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """Words of two letters or more: the "s" of a possessive ("Love's family") or the "t" of "didn't" is no
    word of what a claim tells, and counted as one it let "Mia Love had been diagnosed with Alzheimer's
    disease" rest on a sentence that says only "Love's family said"."""
    return {
        _stem(w) for w in WORD.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS and w not in NUMBER_WORDS
    }


# A sum of money: "$5 million", "€4.2 billion", "US$ 12", "5 million dollars", "300 euros", "14.7 cents",
# "423.8 million Philippine pesos".
MONEY = re.compile(
    r"(?:[$€£¥]|\b(?:usd|eur|gbp)\s)\s?(\d+(?:[.,]\d+)*)"
    r"|(\d+(?:[.,]\d+)*)(?:\s?(?:million|billion|trillion|bn|m))?"
    rf"\s?(?-i:[A-Z][a-z]+\s)?(?:{_CURRENCIES}|usd|eur|gbp)\b",
    re.IGNORECASE,
)


def money_in(text: str) -> set[str]:
    return {(m.group(1) or m.group(2)).replace(",", "").rstrip(".") for m in MONEY.finditer(text)}


# A claim that is only who said it: "The senior law enforcement source said [4]." (copied from the tail
# of "..., the senior law enforcement source said.") tells nothing, unless saying is what was asked. Only
# a speaker of a few words before the verb: "Prices rose 5% in March as the agency reported" is a fact.
_ONLY_ATTRIBUTION = re.compile(
    r"^\W*(?:[\w'’.-]+\s+){1,6}(?:said|says|told|added|stated|reported|wrote|writes|noted)\W*$", re.I
)
_ASKS_WHO_SAID = re.compile(
    r"\b(?:say|says|said|tell|told|add|added|state|stated|report\w*|wr[io]tes?|written|not(?:e|es|ed))\b", re.I
)


def unfinished(claim: str, question: str = "") -> bool:
    """The claim breaks off where its fact should stand: "The release date of X is [1]." cites a sentence
    with every one of its words and still says nothing; nor does a claim that only names who said it."""
    last = _LAST_WORD.search(claim)
    if last is not None and last.group(1).lower() in _OPEN_ENDS:
        return True
    return bool(_ONLY_ATTRIBUTION.search(MARKER.sub("", claim))) and not _ASKS_WHO_SAID.search(question)


_ASKING = re.compile(r"\?[\"'”’)]*\s*$")  # a sentence that asks ("How many titles have the Oilers won?")
_ASIDE = re.compile(r",((?:[^,?]|(?<=\d),(?=\d))+),")  # "6,700" is one number, not two commas


def _told_aside(claim: str, asking: str) -> bool:
    """A question states only what it puts between commas: "What makes Crescent City, a town of about 6,700
    residents located about 25 miles south of the Oregon border, so tsunami-prone?" tells the town's size.
    The claim's numbers must all be told there; a claim without one takes nothing from a question."""
    numbers = numbers_in(claim)
    return bool(numbers) and numbers <= numbers_in(" ".join(_ASIDE.findall(asking)))


# The days and months a claim dates its fact by, as written: "May" capitalised, not the verb "may".
_CALENDAR = re.compile(r"\b(" + "|".join(w.capitalize() for w in WEEKDAYS + MONTHS) + r")\b")


def _calendar_in(claim: str) -> set[str]:
    return {m.group(1).lower() for m in _CALENDAR.finditer(claim)}


def _dated_by(stated: str, day_or_month: str) -> bool:
    """"Thursday" or "December" in the sentence, "Dec." or "Sept." for a month, a date written in figures
    in that month ("Release: 6/19/2020", either order of day and month), or a date it resolves to in it
    ("On Friday (2025-03-07)" states March)."""
    if day_or_month in WEEKDAYS:
        return re.search(rf"\b{day_or_month}\b", stated, re.IGNORECASE) is not None
    month = MONTHS.index(day_or_month) + 1
    in_figures = rf"\b\d{{4}}-{month:02d}\b|\b0?{month}/\d{{1,2}}/\d{{2,4}}\b|\b\d{{1,2}}/0?{month}/\d{{2,4}}\b"
    return (re.search(rf"\b{day_or_month[:3]}", stated, re.IGNORECASE) is not None
            or re.search(in_figures, stated) is not None)


ADJACENT = 3  # characters between two sentences of an article that follow each other: a space, a paragraph break


def shown_before(evidence: list[Evidence]) -> dict[int, Evidence]:
    """Per evidence sentence that names no year, the one right before it in its article when that was shown
    too: the context its "the Finals" or "he" stands in, and the year its fact is of ("he cites the 2019 NBA
    Finals ..." before "The Finals averaged 15.4 million viewers")."""
    return {ev.n: prior for ev in evidence if not YEAR.search(ev.quote) for prior in evidence
            if prior.article_id == ev.article_id and 0 <= ev.start - prior.end <= ADJACENT}


def support(claim: str, evidence: Evidence, given: str = "", before: str = "") -> float:
    """0 when a number of the claim is missing from the evidence, or a day or month it dates its fact by ("The
    state of emergency ended on Thursday" from a sentence that names no day), or the claim makes a sum of
    money of a number the evidence counts otherwise ("$184,877" from "184,877 vehicles"); else the share
    of its words found there. A number the claim repeats from the question (`given`) is not asked of the
    sentence: "300 workers celebrated the breakthrough of the 27-kilometre bore" restates the bore's
    length from the question and is supported by "celebrated by 300 workers". A year is never taken as
    given: it dates the fact ("the 2010 World Cup runner-up was Germany" is not supported by "World Cup
    2014 winner - Germany"), unless it is the year the article was published in and the sentence names no
    other year: news tells this year's events without one; nor a year of the sentence `before` it
    (`shown_before`). The claim's words all count, the question's
    too: without them a sentence about a neighbour of what was asked would support it. But what the claim
    adds to the question must be there, a word or a number of it: "The 2016 Tony Awards will be hosted by
    Sara Bareilles" shares "2016 Tony Awards" with a sentence on the 2016-17 season, and none of what it
    tells.
    """
    if _ASKING.search(evidence.quote) and not _told_aside(claim, evidence.quote):
        return 0.0
    stated = evidence.annotated  # "on Friday (2025-03-07)": a claim may give the resolved date
    restated = {n for n in numbers_in(given) if not YEAR.fullmatch(n)}
    restated |= {year for _, year in bounded(claim) & bounded(given)}  # "before 2025", as the question bounds it
    restated |= set(YEAR.findall(before))
    if evidence.published and not YEAR.search(stated):
        restated.add(str(evidence.published.year))  # "the 2022 quake happened on ..." from a 2022 report
    if not numbers_in(claim) - restated <= numbers_in(stated) or not money_in(claim) <= money_in(stated):
        return 0.0
    if not all(_dated_by(stated, day) for day in _calendar_in(claim) - _calendar_in(given)):
        return 0.0
    words, told = content_words(claim), content_words(stated)
    if not words:
        return 1.0
    new = words - content_words(given) - _MODALS
    if given and new and not new & told and not numbers_in(claim) - numbers_in(given):
        return 0.0
    return len(words & told) / len(words)


def deciding(question: str, evidence: list[Evidence]) -> list[int]:
    """The sentences a bare "Yes" or "No" rests on, which its words cannot pick: the best-ranked evidence
    sentence of each outlet the question names, so a comparison of two reports cites both sides; when it
    names none, the best-ranked one. Measured against ranking by the words shared with the question (or
    with its part about each outlet): those picked worse on MultiHop's paraphrased comparisons."""
    sides = named_sources(question, {ev.source for ev in evidence if ev.source})
    picked = [next(ev for ev in evidence if ev.source == side) for side in sides] or evidence[:1]
    return [ev.n for ev in picked]


@dataclass
class Checked:
    text: str
    citations: list[Citation] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def verify(answer: str, evidence: list[Evidence], question: str = "") -> Checked:
    """Rewrite the answer so that each sentence carries markers to evidence that supports it."""
    by_n = {ev.n: ev for ev in evidence}
    kept: list[str] = []
    dropped: list[str] = []
    used: list[int] = []
    answer = MARKERS_AFTER_STOP.sub(r"\2\1", answer)  # "... approach. [2]" cites the sentence before it
    before = {n: prior.quote for n, prior in shown_before(evidence).items()}
    for span in sentence_spans(answer):
        sentence = answer[span.start : span.end]
        claim = MARKER.sub("", sentence).strip()
        if unfinished(claim, question):
            dropped.append(claim)
            continue
        cited = [int(n) for m in MARKER.finditer(sentence) for n in m.group(1).split(",")]
        if question and is_yes_no(question) and not content_words(claim) and not numbers_in(claim):
            cited = deciding(question, evidence)  # a bare "Yes." is supported by anything: the question decides
        scored = {n: support(claim, by_n[n], question, before.get(n, "")) for n in cited if n in by_n}
        good = [n for n, s in scored.items() if s >= MIN_WORD_OVERLAP]
        if not good:
            best = max(evidence, key=lambda ev: support(claim, ev, question, before.get(ev.n, "")), default=None)
            if best is not None and support(claim, best, question, before.get(best.n, "")) >= MIN_WORD_OVERLAP:
                good = [best.n]
        if not good:
            dropped.append(claim)
            continue
        used += [n for n in good if n not in used]
        body = claim[:-1] if claim.endswith((".", "!", "?")) else claim
        end = claim[-1] if claim.endswith((".", "!", "?")) else "."
        kept.append(f"{body} {''.join(f'[{n}]' for n in good)}{end}")
    citations = [Citation(**by_n[n].model_dump(), verified=True) for n in used]
    return Checked(text=" ".join(kept), citations=citations, dropped=dropped)
