"""What a question asks for, read from its wording: a yes/no answer, and the outlets it names.

News questions compare coverage ("Does 'The Verge' suggest ... while TechCrunch reports ...?"): each
named outlet's article must contribute evidence, or a single ranking over the whole compound question
fills the evidence with one outlet's sentences and the comparison cannot be made.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date

from rag.dates import ABBREVIATED_DAY, MONTHS

_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|shall|might|may|isn't|aren't"
    r"|wasn't|weren't|doesn't|don't|didn't|hasn't|haven't)\b",
    re.IGNORECASE,
)
# "After X reported ..., did Y ...?", "When A won, was B ...?": the question proper follows a leading
# clause, and it is a yes/no one unless a wh-word asks it ("Who, ..."). "May" is left out here: after a
# comma it is more often the month ("April, May and June").
_YES_NO_AFTER_CLAUSE = re.compile(
    r",\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b", re.IGNORECASE
)
_WH = re.compile(r"^\s*(?:what|which|who|whom|whose|where|why|how)\b", re.IGNORECASE)


def is_yes_no(question: str) -> bool:
    return _YES_NO.match(question) is not None or (
        _WH.match(question) is None and _YES_NO_AFTER_CLAUSE.search(question) is not None
    )


def named_sources(question: str, sources: Iterable[str]) -> list[str]:
    """The stored outlets the question names, as written (case-sensitive: "The Age" is an outlet, "the
    age of 30" is not), longest first and without one inside another; in the order they appear."""
    found: list[tuple[int, str]] = []
    for source in sorted({s for s in sources if s and len(s.strip()) >= 3}, key=len, reverse=True):
        m = re.search(rf"(?<![\w]){re.escape(source.strip())}(?![\w])", question)
        if m and not any(source in other for _, other in found):
            found.append((m.start(), source))
    return [s for _, s in sorted(found)]


YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# Letters of the Latin alphabets, accented ones too (not × or ÷): "Sánchez", "Müller", "Łukasz" are words
# and names as "Sanchez" is.
LOWER = "a-z\u00df-\u00f6\u00f8-\u024f"
UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_WORD = re.compile(rf"[{UPPER}{LOWER}][{UPPER}{LOWER}'’.-]*")
# Capitalised words that name no thing the evidence must mention: question words, articles, pronouns,
# calendar words (dates are checked as years), and outlet-neutral words of news questions.
NOT_NAMES = frozenset(
    "a an the this that these those what which who whom whose when where why how is are was were do does did "
    "has have had can could will would should shall may might in on at of for to from by with and or but "
    "according after before between during since until if as i it its he she they we you his her their our "
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday mr mrs ms dr st yes no".split()
)


# Titles news writes short before a name ("Rep. George Santos", "Dr. Tony Reed"); with the other
# abbreviations, a stop after them ends no sentence.
SHORT_TITLES = frozenset("dr mr mrs ms rep sen gov gen col capt lt sgt prof".split())
_ABBREVIATIONS = SHORT_TITLES | frozenset("st jr sr inc co corp ltd vs no".split())


def sentence_start(before: str) -> bool:
    """Whether a word after `before` starts a sentence. News quizzes set a scene first ("... this week.
    Around how much ...?"), so a capital there names nothing; "Dr. Helen", "Rep. Patrick" and "the U.S.
    Open" are not sentence ends."""
    before = before.rstrip(" \"'“‘”’(")
    if not before or before[-1] in "?!":
        return True
    if before[-1] != ".":
        return False
    last = before.split()[-1][:-1].lstrip("\"'“‘(")
    return len(last) > 1 and "." not in last and last.lower() not in _ABBREVIATIONS


def constraints(question: str) -> tuple[set[str], set[str]]:
    """The years and the proper names a question asks about ("How many died in the 2019 floods in Harry
    Kane's Quito?" -> {"2019"}, {"harry kane", "quito"}): what an answer's evidence must be about, not
    merely near."""
    return set(YEAR.findall(question)), {name for name, _, _ in name_spans(question)}


def name_spans(text: str) -> list[tuple[str, int, int]]:
    """The proper names of a text, each with where it stands. Adjacent capitalised words make one name;
    titles ("Rep.", "Dr.") and a sentence's first word name nothing."""
    runs: list[tuple[list[str], int, int]] = []
    going = False
    for m in _WORD.finditer(text):
        raw = m.group(0)
        word = raw.strip(".'’-")
        lower = word.lower()
        if lower in _ABBREVIATIONS or ABBREVIATED_DAY.match(text, m.start()):
            continue
        at_start = sentence_start(text[: m.start()])
        if not (word[:1].isupper() and not at_start and len(word) >= 3 and lower not in NOT_NAMES):
            going = False
            continue
        lower = _token(lower)
        if going and text[runs[-1][2] : m.start()] == " ":
            runs[-1] = (runs[-1][0] + [lower], runs[-1][1], m.end())
        else:
            runs.append(([lower], m.start(), m.end()))
        going = not raw.endswith(("'s", "’s", "'", "’"))  # a possessive ends it: "Marvel's Spider-Man"
    return [(" ".join(words), start, end) for words, start, end in runs]


def story_names(text: str) -> set[tuple[str, ...]]:
    """The names of a text, each whole as it stands ("mare crisium", "harwick general hospital"), as the
    starts of its words ("Globes" is "Globe"). A capital that opens a sentence ("About", "Meanwhile")
    names nothing."""
    return {tuple(word[:5] for word in name.split()) for name, _, _ in name_spans(text) if name not in NOT_NAMES}


def _runs(name: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The name and every name within it: its runs of consecutive words."""
    return {name[i:j] for i in range(len(name)) for j in range(i + 1, len(name) + 1)}


def same_story(texts: dict[str, str], cited: set[str]) -> set[str]:
    """The keys of `texts` (article id -> what was shown of it) that are cited, or share a name with a
    cited one. A question may describe its subject by facts from a second article ("the ferry captained
    by Ingrid Solberg", whose name only the follow-up report gives), but not by an unrelated one: a
    question about "the solar plant near Tarven" is not answered by the Caldera plant because another
    shown article mentions Tarven. A name is shared when one article's stands in the other's, whole or
    within a longer one ("Harwick" in "Harwick General Hospital", "Golden Globes" in "Golden Globe
    Awards"); two names that only share a word are two things: "Mare Crisium" and "Mare Serenitatis"
    are two places on the moon, and the landers aiming for them two stories."""
    names = {key: story_names(text) for key, text in texts.items()}
    anchors = set().union(*(names.get(key, set()) for key in cited))
    within_anchors = set().union(*map(_runs, anchors))

    def shares(found: set[tuple[str, ...]]) -> bool:
        return any(name in within_anchors or _runs(name) & anchors for name in found)

    return {key for key, found in names.items() if key in cited or shares(found)}


def _token(word: str) -> str:
    """"U.S." and "US", "Kane's" and "Kane", "O’Rourke" and "O'Rourke", "Sánchez" and "Sanchez" are one
    word: pages print the curly apostrophe and the accent, a model or a reader may not."""
    return _unaccented(word.lower().replace("’", "'").strip(".'-").removesuffix("'s").replace(".", ""))


def _unaccented(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


# Words that end a name of an event as the question's own wording of it: "the World Cup Final" is
# reported as "the 2014 World Cup title", "the 92nd Academy Awards Ceremony" as "the 92nd Academy Awards".
_EVENT_PARTS = frozenset("final finals ceremony match tournament event race edition gala".split())


# Heads of an event's name that news write with a word more before them ("the Paris Summer Games", "the
# Los Angeles Olympic Games"): the name asked without it is the same event.
_EVENT_HEADS = frozenset("games olympics cup championship championships awards festival summit conference".split())


# Names news write in more than one way: "U.S." is "the United States" and "Americans" on the same page.
_SAME_NAME = {
    alias: group
    for group in (("us", "usa", "united states", "america"), ("uk", "united kingdom", "britain"),
                  ("eu", "european union"), ("un", "united nations"))
    for alias in group
}


# A country's adjective that does not start with its name's first five letters (`_mentioned_as_written`
# reads "Ukrainian" for Ukraine by that start): "Chinese President Xi Jinping" is China's president.
_DEMONYMS = {
    "china": "chinese", "britain": "british", "england": "english", "scotland": "scottish", "wales": "welsh",
    "ireland": "irish", "france": "french", "netherlands": "dutch", "spain": "spanish", "portugal": "portuguese",
    "italy": "italian", "greece": "greek", "switzerland": "swiss", "sweden": "swedish", "norway": "norwegian",
    "denmark": "danish", "finland": "finnish", "poland": "polish", "turkey": "turkish", "cuba": "cuban",
    "iran": "iranian", "iraq": "iraqi", "peru": "peruvian", "oman": "omani", "thailand": "thai",
    "philippines": "filipino", "saudi arabia": "saudi", "czech republic": "czech",
}


def mentioned(name: str, text: str) -> bool:
    return any(
        _mentioned_once(alias, text) or (alias in _DEMONYMS and _mentioned_once(_DEMONYMS[alias], text))
        for alias in _SAME_NAME.get(name, (name,))
    )


def _mentioned_once(name: str, text: str) -> bool:
    words = name.split()
    if len(words) >= 3 and words[-1] in _EVENT_PARTS and mentioned(" ".join(words[:-1]), text):
        return True
    if len(words) == 1 and name.endswith("s") and _mentioned_as_written(f"{name[:-1]} awards", text):
        return True  # "the Tonys" are the Tony Awards, "the Emmys" the Emmy Awards
    return _mentioned_as_written(name, text) or (len(words) == 1 and _spelled_out(name, text))


# "USCIS" written out: "US Citizenship and Immigration Services" (a word in capitals gives all its letters,
# another its first; "and", "of", "the", "for", "on", "&" none)
_SPELLED_OUT = re.compile(rf"[{UPPER}][\w'’.&-]*(?:\s+(?:(?:and|of|the|for|on|&)\s+)*[{UPPER}][\w'’.&-]*)+")


def _spelled_out(acronym: str, text: str) -> bool:
    if not 3 <= len(acronym) <= 8 or not acronym.isalpha():
        return False
    for m in _SPELLED_OUT.finditer(text):
        letters = [(w if w.isupper() else w[0]).lower() for w in (w.replace(".", "") for w in m.group(0).split())
                   if w[:1].isupper()]
        for i in range(len(letters)):  # from each word on: "The US Citizenship ..." spells it from "US"
            spelled = ""
            for part in letters[i:]:
                spelled += part
                if not acronym.startswith(spelled):
                    break
                if spelled == acronym:
                    return True
    return False


def _mentioned_as_written(name: str, text: str) -> bool:
    """Whether the text mentions the name. A word counts when a word of the text starts with its first
    five letters ("Ecuador" ~ "Ecuadorian"). A name of several words counts as the whole phrase, or as
    its last word on its own, capitalised: articles give a person by surname ("Kane scored" for Harry
    Kane), but "the Marl River" or "the river" is not the Drava River, "Sarah Kane" is not Harry Kane,
    and "CFDA Awards winners: Brandon Maxwell" does not name the Maxwell Award."""
    words = _unaccented(name.replace("’", "'")).split()
    parts = [word[:5] for word in words]
    found = [(m, _token(m.group(0))) for m in _WORD.finditer(text)]
    tokens = [token[:5] for _, token in found]
    for i, (m, token) in enumerate(found):
        if token[:5] != parts[-1] or _another_name(token, words[-1], text, m.end()):
            continue
        if tokens[max(0, i - len(parts) + 1) : i + 1] == parts:
            return True
        # an event's name with a word more before its head: "the Milan-Cortina Winter Games" for the
        # Milan-Cortina Games, "the Los Angeles Olympic Games" for the Los Angeles Games
        if (len(parts) >= 2 and words[-1] in _EVENT_HEADS and i >= len(parts)
                and tokens[i - len(parts) : i - 1] == parts[:-1] and found[i - 1][0].group(0)[:1].isupper()):
            return True
        # alone, the word itself: "the river rose" or "Riverton" is not the Drava River
        if not m.group(0)[:1].isupper() or token not in (words[-1], f"{words[-1]}s"):
            continue
        before, before_token = found[i - 1] if i else (None, "")  # "Marl River", "Sarah Kane": another
        joined = bool(before) and before.group(0)[:1].isupper() and text[before.end() : m.start()] == " "
        if not joined or before_token in NOT_NAMES or before_token in _ABBREVIATIONS:
            return True
    return False


_VOWELS = "aeiouy"
# Capitals after a country's adjective that keep it the country's: "the Ecuadorian President", "Indian
# Prime Minister", "the Canadian Armed Forces" (and words that name nothing)
_OF_A_COUNTRY = NOT_NAMES | frozenset(
    "president prime minister premier chancellor king queen prince princess foreign finance defense defence "
    "interior health embassy ambassador government army navy air armed forces police national supreme court "
    "officials authorities".split()
)


def _another_name(token: str, word: str, text: str, end: int) -> bool:
    """A longer word is the name's own form ("Ecuadorian", "Canadian", "Austrian") only when it keeps the
    name, less a final vowel, whole: "Australia" is not Austria. And it is another name when a capitalised
    word follows it, other than an office or body of the country: the Dominican Republic is not Dominica,
    the Indian Ocean not India, but the Ecuadorian President is Ecuador's. A word no longer than the name's
    is its form only when the name starts with it (less a final vowel): "Globe" of the Golden Globes,
    "Ukraine" of Ukrainian, but "Vaughn" is not the artist James Vaughan."""
    if token in (word, f"{word}s", f"{word}es"):
        return False
    if len(token) <= len(word):
        return not word.startswith(token[:-1] if token[-1] in _VOWELS else token)
    if not token.startswith(word[:-1] if word[-1] in _VOWELS else word):
        return True
    return _in_another_name(text, end, _OF_A_COUNTRY)


def _in_another_name(text: str, end: int, own: frozenset[str]) -> bool:
    """A capitalised word right after a place's word (ending at `end`) makes it part of another name, unless
    it is one of the place's `own` bodies and offices, or a word that names nothing."""
    after = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return after is not None and after.group(0)[:1].isupper() and _token(after.group(0)) not in own


def names_all(question: str, text: str) -> bool:
    """Whether the text mentions every name of the question."""
    return all(mentioned(name, text) for name in constraints(question)[1])


# "Who won ..." and "Who acquired ..." ask for an outcome. A cited sentence that only puts someone in
# the event ("serves against Osaka in the first round", "is seeking another term in a runoff on April
# 13", "WhatsApp was founded in 2009 by Koum and Acton") does not state it, though the names and the year
# are there. Each outcome: how a question asks for it, and the words news use to state it.
_ASKS_A_WIN = re.compile(
    r"^\s*who (?:won|wins|will win|has won|had won)\b|\bwho (?:is|was|were) the (?:[\w'’.-]+ )*?winners?\b"
    r"|^\s*(?:which|what) (?:[\w'’-]+ ){1,2}(?:won|wins|has won)\b"
    r"|^\s*(?:when|in what year) (?:did|has|have|will) (?:[\w'’.-]+ ){1,6}?(?:last |first )?win\b"
    r"|^\s*(?:who|which [\w'’-]+) (?:pulled off|scored|claimed|secured|celebrated) (?:an? |the )?"
    r"(?:[\w'’-]+ )?(?:victory|win|triumph|winner|winning goal|game-winner)\b",
    re.IGNORECASE,
)
_TELLS_A_WIN = re.compile(
    r"\b(?:won|wins?|winning|winners?|victor(?:y|ies|ious)?|champions?|championships?|titles?"
    r"|defeat(?:s|ed|ing)?|beat(?:s|ing)?|edged|topped|triumph\w*|crowned|clinch\w*|claim(?:s|ed)|took"
    r"|takes|(?:re-)?elected|prevail\w*|medals?|gold|trophy|prize|awarded|received|named)\b",
    re.IGNORECASE,
)
_OUTCOMES = [
    (_ASKS_A_WIN, _TELLS_A_WIN),
    (
        re.compile(
            r"^\s*(?:who|which [\w'’-]+) (?:acquired|bought|purchased|took over|has acquired|will acquire|owns)\b",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:acqui\w*|bought|buy\w*|purchas\w*|takeover|took over|tak\w+ over|own\w*|sold|sells?|sale"
            r"|deal|merg\w*|parent)\b",
            re.IGNORECASE,
        ),
    ),
    (  # "When was Breath of the Wild released?" is not answered by the day it was announced
        re.compile(r"^\s*when\b.*\b(?:released?|launch(?:ed|es)?|premiered?|debut(?:ed|s)?)\b", re.IGNORECASE),
        re.compile(
            r"\b(?:releas\w*|launch\w*|premi[eè]r\w*|debut\w*|out|availab\w*|arriv\w*|ship\w*|open\w*|air\w*"
            r"|com(?:e|es|ing)|came|hit\w*|drop\w*|live|sale|publish\w*|theat\w*|cinemas?|stream\w*|sold|sells?"
            r"|start\w*|begin\w*|began|begun)\b",
            re.IGNORECASE,
        ),
    ),
    (  # "Which president was born on July 4, 1826?" is not answered by one who "died on July 4"
        re.compile(r"^\s*(?:who|which [\w'’-]+)\b.*\bborn\b", re.IGNORECASE),
        re.compile(r"\b(?:born|births?|birthday|birthplace)\b", re.IGNORECASE),
    ),
    (  # "Who was the acting attorney general Trump fired?" is not answered by one who "steps down"
        re.compile(r"^\s*(?:who|which [\w'’-]+)\b.*\b(?:fired|ousted|dismissed|sacked)\b", re.IGNORECASE),
        re.compile(r"\b(?:fir(?:ed|es|e|ing)|oust\w*|dismiss\w*|sack\w*|remov\w*|terminat\w*|axed|let go"
                   r"|forced out|pushed out)\b", re.IGNORECASE),
    ),
]
# "How many passengers ...?" counts passengers: a sentence with a number of euros or homes answers
# another question. With a word for people in general, what is done to them is the counted thing: "How
# many people were injured?" is not answered by "214 people on board". Deaths and injuries are told in
# several ways ("22 dead", "three were hurt"), so each counts as a family of word starts.
_COUNTED = re.compile(r"\bhow many ((?:[\w'’-]+ ?){1,3})", re.IGNORECASE)
# "What share of Americans are Protestants?" counts Protestants among Americans: "63% of Americans are
# Christian" is another share
_SHARE_OF = re.compile(
    r"\bwhat (?:share|percentage|percent|proportion|fraction|portion) of (?:the )?(?:[\w'’-]+ ){1,3}?"
    r"(?:are|were|is|was) (?:an? |the )?((?:[\w'’-]+ ?){1,2})",
    re.IGNORECASE,
)
# "What share of Catholics say they pray every day?" measures among Catholics: "64% (of women) say they pray
# every day" is another group's share. The group is checked in the cited passage, not only the sentence: a
# figure's sentence often leaves its group to the one before ("most veterans voted for Trump. About six-in-ten
# registered voters who said they served in the U.S. military (61%) ...").
_SHARE_AMONG = re.compile(
    r"\bwhat (?:share|percentage|percent|proportion|fraction|portion) of (?:the )?((?:[\w'’.-]+ ){1,3}?)"
    r"(?:say|says|said|think|thinks|believe|believes|support|supports|oppose|opposes|want|wants|would|will"
    r"|are|were|is|was|do|did|does|have|has|had|in|[a-z]+ed)\b",
    re.IGNORECASE,
)
# Whom a poll asks or what an election counts: the whole a share is taken of, which its sentences rarely
# repeat ("won 52 percent").
_POLLED = re.compile(
    r"(?:(?:U\.S\.|US|American|all) )?(?:Americans|adults|voters|people|respondents|residents|citizens)"
    r"|(?:the )?(?:popular )?(?:vote|votes|ballots)", re.IGNORECASE,
)
_ENDS_COUNTED = frozenset(
    "did do does were was have has had are is will would could can should may might in of to at on for from "
    "that who which as like than per each a an the and or".split()
)
_GENERIC = frozenset("people persons individuals times".split())
_MODIFIERS = frozenset("more other new additional such different total".split())
_DONE_TO = re.compile(
    r"\bhow many (?:[\w'’-]+ ){1,2}(?:(?:were|was|have been|has been|had been|will be|would be|could be|are being"
    r"|were being|are|got) ([a-z]+ed|hurt)|(died|perished)"
    r"|(?:fell|fallen|became|become|got|gotten|were|are|remain|remains|remained|went|still) (ill|sick|missing))\b",
    re.IGNORECASE,
)
_FAMILIES = (  # word starts of five letters at most, as `_done_to` cuts the verb
    frozenset("kill dead death die dying fatal lives toll".split()),
    frozenset("injur wound hurt".split()),
    frozenset("arres detai custo".split()),
    frozenset("evacu fled flee displ".split()),
    frozenset("ill sick infec".split()),
    frozenset("missi unacc".split()),
    frozenset("store locat outle branc".split()),  # "close 60 locations" counts the chain's stores
)


# "Where was the organizer arrested?", "When were the 22 people killed?", "In which town did a man die?": what
# was done to someone, asked where, when or who, the cited sentences must tell as a count's must ("Police
# recommended charges against the organizer ... in suburban Taipei" arrests no one). Only a verb of a family
# (`_FAMILIES`): news tell those in known ways, other verbs in too many.
_DONE_ASKED = re.compile(
    r"^\s*(?:(?:in|at|on|from|of) )?(?:where|when|who|whom|whose|which|what)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:(?:was|were|had|has|have|got)\s+(?:[\w'’.,$-]+\s+){0,10}?(?:been\s+)?([a-z]+ed|hurt)"
    r"|(?:did|does|do)\s+(?:[\w'’.,$-]+\s+){0,10}?(die|kill))\b",  # "did": a verb, not "the evacuated residents"
    re.IGNORECASE,
)


def _done_to(question: str) -> set[str]:
    """Word starts of what the counted were or had done to them ("were arrested"), with the words news use
    for the same (arrested, detained); none when the verb is too short to look for ("were fed"). Asked
    where, when or who of what was done (`_DONE_ASKED`), only the family of its verb, if it has one."""
    counted = _DONE_TO.search(question)
    done = counted or _DONE_ASKED.search(question)
    if not done:
        return set()
    verb = next(g for g in done.groups() if g).lower()
    start = "die" if verb in ("died", "perished") else verb.removesuffix("ed")[:5]
    kin = _kin(start) if len(start) >= 3 else set()
    return kin if counted or len(kin) > 1 else set()


def _kin(word: str) -> set[str]:
    """The word, or the starts of its family: "deaths" are told by "killing 62 people". A start of three
    letters takes only short words ("died", "ill"): "diesel" and "Illinois" are no family of theirs."""
    return set(next(
        (f for f in _FAMILIES if any(word.startswith(w) and (len(w) >= 4 or len(word) <= len(w) + 2) for w in f)),
        {word},
    ))


def _counted(question: str) -> list[str]:
    """What "how many" counts or "what share of" measures (singular), which a cited sentence must tell."""
    m = _COUNTED.search(question) or _SHARE_OF.search(question)
    return _things(m.group(1), question) if m else []


def _share_group(question: str) -> list[str]:
    """The group "what share of" takes its share among ("What share of Catholics say ...?"), unless that
    is a poll's whole population ("What share of Americans ...?": a poll's "of 1,000 people polled")."""
    m = None if _SHARE_OF.search(question) else _SHARE_AMONG.search(question)
    return [] if m is None or _POLLED.fullmatch(m.group(1).strip()) else _things(m.group(1), question)


def _things(words: str, question: str) -> list[str]:
    """The word starts a sentence must tell for the things counted in `words`."""
    counted: list[str] = []
    for word in words.lower().split():
        if word in _GENERIC:  # "How many people marched?": nothing to look for
            return sorted(_done_to(question))
        if word in _ENDS_COUNTED or (word.endswith("ed") and counted):  # "How many ships docked?"
            break
        if word not in _MODIFIERS and not word.endswith("ed"):  # "How many registered voters?"
            counted += sorted(_kin(word.removesuffix("s")))
    return counted


def _told(asked: str, said: set[str]) -> bool:
    """Whether a word of the sentence tells the asked word (or word start): by its first five letters, or
    as the last part of a compound ("fires" for "wildfires", "quakes" for "earthquakes")."""
    return any(word.startswith(asked[:5]) or _last_part(word.removesuffix("s"), asked) for word in said)


def _said(text: str) -> set[str]:
    """The words of a text as `_told` reads them."""
    return {_token(word) for word in _WORD.findall(text)}


def _last_part(part: str, word: str) -> bool:
    return len(part) >= 4 and len(word) - len(part) >= 3 and word.endswith(part)


# "Who is the mayor of Guayaquil?" asks for the holder of a role: a sentence on the country's president,
# which names a man of Guayaquil's story, does not give it. The role word must be in the cited
# sentences (a chief executive is also a "CEO").
def _roles(rank_words: int) -> str:
    return (
        rf"(?:(?P<when>new|current|former|next|incoming) )?(?:(?P<rank>[\w'’-]+(?: [\w'’-]+){{0,{rank_words - 1}}}) )?"
        r"(?P<role>president|mayor|governor|ceo"
        r"|chief executive|director|chairman|chairwoman|chair|head|leader|captain|coach|manager|minister|secretary"
        r"|founder|owner|author|editor|producer|actress|actor|host|spokesperson|spokesman|spokeswoman|ambassador"
        r"|commissioner|chancellor|judge|lawyer|attorney|prosecutor|superintendent|sheriff|dean|treasurer"
        r"|administrator|commander|warden|curator|librarian|principal|pastor|bishop|rabbi|imam|chief)s?"
    )


_WHO_IS = r"^\s*who (?:is|was|are|were|will be|has been|became) "


def _asked_roles(rank_words: int) -> tuple[re.Pattern, re.Pattern]:
    return (
        re.compile(rf"{_WHO_IS}(?:the )?{_roles(rank_words)} (?:of|at|for|in)\b", re.IGNORECASE),
        # "Who is Kroger's interim CEO?": the body named before the role
        re.compile(
            rf"{_WHO_IS}(?:the )?(?:[\w.&-]+ ){{0,3}}?[\w.&-]+(?:['’]s|s['’]) {_roles(rank_words)}\b", re.IGNORECASE
        ),
        # "Who is the treasury secretary?", "Who is the Tesla CEO?": the role ends the question, its portfolio
        # or body the word before it, after names ("the U.S. defense secretary"; "Ohio's state health director"
        # has a rank of two words)
        re.compile(
            rf"{_WHO_IS}(?:the )?(?-i:[{UPPER}][\w.&'’-]* ){{0,3}}?{_roles(rank_words)}\s*\?\s*$", re.IGNORECASE
        ),
    )


_ONE_WORD_RANK = _asked_roles(1)
_TWO_WORD_RANK = _asked_roles(2)


def _asked_role(question: str, *, titled: bool = False) -> re.Match | None:
    """The role asked, read with a rank of one word; else of two, which the evidence looking for a titled
    name always reads ("Who is Bermuda's national security minister?" -> "National Security Minister
    Michael Weeks"), the checks only after a deputy's or a stand-in's rank ("deputy prime minister"): a
    "state health director" may be the one who "will lead the Ohio Department of Health", no role word."""
    for patterns in (_ONE_WORD_RANK, _TWO_WORD_RANK):
        m = next((m for pattern in patterns if (m := pattern.search(question))), None)
        if m and (patterns is _ONE_WORD_RANK or titled or _rank_kind(m.group("rank"))):
            return m
    return None


# A deputy, a vice president or an assistant secretary holds another role than the one the word names; an
# acting or interim holder stands in for it. Asked for either kind, the cited role must be of that kind:
# "Acting Secretary Benjamine Huffman" is no answer for who the secretary is, "Secretary Kristi Noem" none
# for who the acting one was, "Vice President Harris" none for the president.
_SECOND = frozenset("deputy vice assistant associate lieutenant".split())
_STAND_IN = frozenset("acting interim".split())
# Asked for the next holder, a sentence on the one in office tells no succession: "Shell CEO Ben Van
# Beurden, who will step down at the end of this year" does not name who follows him.
_SUCCESSION = re.compile(
    r"\b(?:succe\w*|replac\w*|tak\w* over|incoming|next|named|appointed|tapped|chosen|picked|nominated|elected"
    r"|(?:to|will) (?:become|be)|designate)\b", re.I,
)
# the rank may stand a word before the role: "Deputy Prime Minister Oliver Dowden", "Interim U.S. Attorney"
_RANK_BEFORE = re.compile(
    r"\b(deputy|vice|assistant|associate|lieutenant|lt\.|acting|interim)[\s-]+(?:[\w'’.]+[\s-]+)?$", re.IGNORECASE
)
_ASKS_PRESENT = re.compile(r"\s*who (?:is|are)\b", re.IGNORECASE)
_FORMERLY = ("former", "then", "ex", "late")
_FORMER_BEFORE = re.compile(rf"\b(?:{'|'.join(_FORMERLY)})[\s-]+(?:[\w'’.]+[\s-]+)?$", re.IGNORECASE)
_ROLE_SAME = {"ceo": ("ceo", "chief executive"), "chief executive": ("ceo", "chief executive")}
# Titles as AP style shortens them before a name: "Gov. Greg Abbott", "Lt. Gov. Dan Patrick" (each one the
# sentence splitter keeps with its name, `rag.chunking._TITLES`)
_ROLE_SHORT = {"governor": ("Gov.",), "superintendent": ("Supt.",), "attorney": ("Atty.",), "captain": ("Capt.",),
               "commander": ("Cmdr.",)}


# "CEO of Panasonic said ...": where the role is held, named after it up to the clause's predicate, its end
# or eight words ("director of Queen and Freddie Mercury biopic Bohemian Rhapsody who ..." is the film's)
_HELD_IN = re.compile(r"\s+(?:of|at|for)\s+((?:[Tt]he\s+)?[A-Z][^,;:.()–—]*)")
_PREDICATE = re.compile(
    r"(?:who|which|that|whose|is|was|are|were|has|have|had|will|would|can|could|says?|told|plans?|[a-z]+ed)$"
)
HELD_IN_WORDS = 8


def _holder(phrase: str) -> str:
    words = phrase.split()[:HELD_IN_WORDS]
    end = next((i for i, word in enumerate(words) if _PREDICATE.match(word)), len(words))
    return " ".join(words[:end])


def _role_words(question: str, *, titled: bool = False) -> str | None:
    """The role a question asks the holder of, as a pattern: each word by its start ("directed" for
    director, "chief executives" for chief executive), any of its names ("CEO" or "chief executive")."""
    m = _asked_role(question, titled=titled)
    if m is None:
        return None
    role = " ".join(m.group("role").lower().split())
    return "(?i:" + "|".join(
        [r"\s+".join(re.escape(w[:5]) + r"[\w-]*" for w in words.split()) for words in _ROLE_SAME.get(role, (role,))]
        + [re.escape(short) for short in _ROLE_SHORT.get(role, ())]
    ) + ")"


def titled_holder(question: str) -> re.Pattern | None:
    """A name put right after the role the question asks the holder of (at its rank), as news titles people:
    "Transport Minister Makame Mbarawa said ..." for "Who is Tanzania's transport minister?". Such a
    sentence is often a long quote with its speaker at the end, which the embedder ranks below sentences on
    the story's topic. None when no role is asked."""
    role_words = _role_words(question, titled=True)
    if role_words is None:
        return None
    rank = (_asked_role(question, titled=True).group("rank") or "").split()
    if len(rank) == 1 and _rank_kind(rank[0]):
        rank = []  # a lone "acting" or "deputy" is left to the checks
    before = "".join(rf"(?i:{re.escape(word)})\s+" for word in rank)
    return re.compile(rf"\b{before}{role_words}\s+[{UPPER}][\w'’.-]*\s+[{UPPER}]")


def _rank_kind(rank: str | None) -> str | None:
    """"deputy" or "vice" (each its own role; "Lt." the lieutenant), "acting" (or interim), or None for the
    role itself, by the rank's first word ("deputy prime")."""
    word = next(iter((rank or "").lower().split()), "")
    word = "lieutenant" if word == "lt." else word
    return word if word in _SECOND else "acting" if word in _STAND_IN else None


def _rank_before(text: str) -> str | None:
    m = _RANK_BEFORE.search(text)
    return _rank_kind(m.group(1) if m else None)


def _mentions_at_rank(question: str, role_words: str, stated: str) -> list[re.Match]:
    """The cited sentences' mentions of the asked role at the asked rank (no deputy's for the role itself)."""
    rank = _rank_kind(_asked_role(question).group("rank"))
    return [r for r in re.finditer(rf"\b{role_words}", stated) if _rank_before(stated[: r.start()]) == rank]


def _bodies(question: str) -> set[str]:
    """The names of the question less the asked role's own word: "Who is the OpenAI CEO?" asks of "openai"
    (capitalised words together make one name, "openai ceo"), "Who is the CEO of Rite Aid?" of "rite aid"."""
    role = re.escape(_asked_role(question).group("role").lower())
    return {body for name in constraints(question)[1] if (body := re.sub(rf"(?:^|\s+){role}$", "", name))}


def _misses_the_role(question: str, stated: str) -> bool:
    """No role word in the cited sentences, or each one held in another named body: asked for the CEO of
    Tesla, "the outgoing CEO of Panasonic" or "Panasonic's CEO" (a sentence that mentions Tesla too) names
    the wrong one. Asked for the next holder, no word of a succession either; asked who holds it now
    (`asks_who_holds_now`: "who is the current ...", not "... in 2021"), a former holder is none
    ("appointed by former Republican Gov. Phil Bryant")."""
    role_words = _role_words(question)
    if role_words is None:
        return False
    asked = _asked_role(question)
    if (asked.group("when") or "").lower() in ("next", "incoming") and not _SUCCESSION.search(stated):
        return True
    found = _mentions_at_rank(question, role_words, stated)
    if asks_who_holds_now(question):
        found = [r for r in found if not _FORMER_BEFORE.search(stated[: r.start()])]
    if not found:
        return True
    holders = [_holder_of(stated, r) for r in found]
    names = _bodies(question)
    return bool(names) and all(h and not any(_held_in_named(n, h) for n in names) for h in holders)


# "FC Shakhtar Donetsk’s director of football": the body that holds the role named before it
_HELD_BY = re.compile(rf"([{UPPER}][\w&.-]*(?:\s+[{UPPER}][\w&.-]*){{0,4}})['’]s\s+(?:[a-z-]+\s+)?$")


def _holder_of(stated: str, role: re.Match) -> str | None:
    """Where the role found in the cited sentences is held, as they name it after the role ("CEO of
    Panasonic") or before it ("Panasonic's CEO"); None when they name neither."""
    after = _HELD_IN.match(stated, role.end())
    if after:
        return _holder(after.group(1))
    before = _HELD_BY.search(stated[: role.start()])
    return before.group(1) if before else None


# Bodies that carry another's name and are not it: "president of the NFL Players Association" heads the
# players' union, not the NFL; "chair of the OpenAI Foundation" is not OpenAI's.
_OTHER_BODY = re.compile(
    r"(?:\s+[A-Z][\w'’&.-]*)*?\s+(?:Association|Union|Foundation|Council|Committee|Federation|Institute"
    r"|Commission|Board|Society|Club|Academy|Fund|Trust|Caucus|Guild|Alliance|Coalition)\b"
)


def _held_in_named(name: str, holder: str) -> bool:
    """Whether the role is held in the named body: the holder mentions it, not only inside the name of a
    body of another kind."""
    if not mentioned(name, holder):
        return False
    ends = [m.end() for m in re.finditer(rf"\b{re.escape(name)}\b", holder, re.IGNORECASE)]
    return not ends or not all(_OTHER_BODY.match(holder, end) for end in ends)


def names_another_holder(question: str, answer: str, stated: str) -> bool:
    """Asked for the CEO of Kickstarter, a list of speakers ("Everette Taylor, CEO of Kickstarter; Hamdi
    Ulukaya, founder and CEO of Chobani") holds the role in the named body, and the model gave the name
    beside another: a name of the answer that the cited sentences give as holding the role elsewhere
    answers for that body."""
    role_words = _role_words(question)
    if role_words is None:
        return False
    if _titles_only_another(question, answer, stated, role_words):
        return True
    asked, bodies = constraints(question)[1], _bodies(question)
    if not bodies:
        return False
    beside_role = re.compile(rf",\s+(?:[\w'’&-]+\s+){{0,3}}?{role_words}")
    given = [name for name, _, _ in name_spans(answer) if name not in asked]
    for _, start, end in name_spans(stated):
        if not any(mentioned(name, stated[start:end]) for name in given):
            continue
        r = beside_role.match(stated, end)
        held_in = _HELD_IN.match(stated, r.end()) if r else None
        if held_in and not any(mentioned(n, _holder(held_in.group(1))) for n in bodies):
            return True
    return False


# A name right after a title ("Gov. Phil Bryant", "transport minister Makame Mbarawa"), of two to five words:
# one alone may be no name ("the best actress Oscar for her role")
_TITLED = re.compile(rf"\s+([{UPPER}][\w'’.-]*(?:\s+[{UPPER}][\w'’.-]*){{1,4}})")


def _titled_name(text: str, role: re.Match) -> str | None:
    """The name of two words or more a mention of the role titles ("Gov. Phil Bryant's" -> "Phil Bryant")."""
    titled = _TITLED.match(text, role.end())
    if not titled or titled.group(1).split()[0].strip(".'’").lower() in NOT_NAMES:
        return None
    return re.sub(r"['’]s?$", "", titled.group(1).rstrip("."))


def _in_the_plural(question: str, role: re.Match) -> bool:
    """A mention of the role in the plural where one holder is asked ("actress" is one)."""
    return role.group(0).lower().endswith("s") and not _asked_role(question).group("role").lower().endswith("s")


def _titles_only_another(question: str, answer: str, stated: str, role_words: str) -> bool:
    """Asked who the governor of Mississippi is, "Incumbent Dawn Beam ... was appointed by former Republican
    Gov. Phil Bryant" gives the role to Phil Bryant, not to Dawn Beam. When every mention of the role (at the
    asked rank) in the cited sentences titles a name, and the answer names someone but none of them, the
    role belongs to another. A mention that titles nobody ("Beam, the governor's pick") may be the answer's;
    one in the plural titles nobody in particular ("America's mayors are ...") or more than the name after
    it ("governors Kay Ivey and Tate Reeves")."""
    surnames = set()
    for r in _mentions_at_rank(question, role_words, stated):
        name = _titled_name(stated, r)
        if _in_the_plural(question, r):
            if name:
                return False
            continue
        if not name:
            return False
        surnames.add(name.split()[-1].lower())
    asked = constraints(question)[1]
    given = [name for name, _, _ in name_spans(answer) if name not in asked]
    said = {word.lower() for word in re.findall(r"[\w-]+", answer)}
    return bool(surnames and given) and not surnames & said


# "Rite Aid CEO Matt Schroeder", "Israel's Defense Minister Israel Katz": the body named right before a title
_BODY_BEFORE = re.compile(rf"([{UPPER}][\w&.'’-]*(?:\s+[{UPPER}][\w&.'’-]*){{0,4}})(?:['’]s)?\s+$")


def asks_who_holds_now(question: str, *, titled: bool = False) -> bool:
    """"Who is the CEO of Rite Aid?": a role's holder as of the latest report, not of a year ("in 2021"), of
    the past ("was") or the next one. `titled` as for `_asked_role`."""
    asked = _asked_role(question, titled=titled)
    return bool(
        asked
        and _ASKS_PRESENT.match(question)
        and not YEAR.search(question)
        and (asked.group("when") or "current").lower() == "current"
    )


def names_a_body(question: str, text: str) -> bool:
    """Whether the text names the body or place the asked role is held in (any text when none is asked:
    "Who is the treasury secretary?")."""
    bodies = _bodies(question)
    return not bodies or any(mentioned(body, text) for body in bodies)


def titled_now(question: str, text: str) -> list[str]:
    """The names a sentence titles with the role a question asks who holds now, in the body it asks about:
    "Rite Aid CEO Matt Schroeder" for "Who is the CEO of Rite Aid?". A report of a later day that titles
    another name so answers the question as of that day. Not a former holder ("former Rite Aid CEO"),
    another rank's ("Deputy", "Foreign" for a defense minister), another body's ("Panasonic CEO") nor a
    plural ("Rite Aid CEOs"); none when the question asks of a year, of the past or of the next holder."""
    if not asks_who_holds_now(question):
        return []
    asked = _asked_role(question)
    bodies = _bodies(question)
    portfolio = "" if _rank_kind(asked.group("rank")) else (asked.group("rank") or "")  # "defense", "prime"
    names = []
    for r in _mentions_at_rank(question, _role_words(question), text):
        name = _titled_name(text, r)
        if not name or _in_the_plural(question, r):
            continue
        before = text[: r.start()]
        if portfolio and not re.search(rf"\b{re.escape(portfolio)}\s+$", before, re.IGNORECASE):
            continue  # "Foreign Minister Gideon Saar" is no defense minister
        rank = _RANK_BEFORE.search(before)
        body = _BODY_BEFORE.search(before[: rank.start()] if rank else before)
        if (
            body
            and any(mentioned(asked_body, body.group(1)) for asked_body in bodies)
            and body.group(1).split()[0].lower() not in _FORMERLY
            and not _FORMER_BEFORE.search(before[: body.start()])
        ):
            names.append(name)
    return names


# "the first season", "season 3", "the second phase": which instalment of a series is asked about. A
# sentence on another one ("the tenth and final season", "phase one") answers for that one.
_ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
CARDINALS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty"
).split()
_PARTS = (
    r"(season|series|part|phase|stage|round|game|edition|episode|chapter|volume|quarter|half|leg|term|generation"
    r"|instal?ment|film|movie|book|album|test|day|week|match|heat|set|lap)s?"
)
_NTH_PART = re.compile(
    rf"\b(\d{{1,3}}(?:st|nd|rd|th)|{'|'.join(_ORDINALS)})(?:\s+and\s+(?:final|last))?(?:\s+|-){_PARTS}\b", re.I
)
_RUNOFF = re.compile(r"\brun-?offs?\b", re.I)  # the second round of a vote: "the first-round vote" is another
_PART_N = re.compile(rf"\b{_PARTS}\s+(\d{{1,3}}|{'|'.join(CARDINALS)})\b", re.I)


def _rank(word: str) -> int:
    word = word.lower()
    for names in (_ORDINALS, CARDINALS):
        if word in names:
            return names.index(word) + 1
    return int(re.match(r"\d+", word).group(0))


def _instalments(text: str) -> dict[str, set[int]]:
    """Each kind of instalment a text numbers, with its numbers ("the fourth season", "season 4": {4})."""
    found: dict[str, set[int]] = {}
    for m in _NTH_PART.finditer(text):
        found.setdefault(m.group(2).lower(), set()).add(_rank(m.group(1)))
    for m in _PART_N.finditer(text):
        found.setdefault(m.group(1).lower(), set()).add(_rank(m.group(2)))
    if _RUNOFF.search(text):
        found.setdefault("round", set()).add(2)
    return found


# The numbered parts of a contest that are won on their own: "Cavendish wins stage 13 of the Tour de France"
# does not make him its winner, nor "won Game 3" the series' winner, nor "wins her first-round match" the
# tournament's. (An edition, a season or a term is the event itself: "won a second term" is the election.)
_CONTEST_PARTS = r"(stage|round|game|match|heat|set|leg|lap|race|episode|test|quarter|half|day)(?:s|es)?"
_WON_PART = re.compile(
    rf"(?:,\s+who)?\s+(?:[\w'’]+\s+){{0,2}}?(?:won|wins|winning|took|takes|claimed|claims)\s+(?:(?:the|her|his|their|its|a)\s+)?"
    rf"(?:(?:\d{{1,3}}(?:st|nd|rd|th)|{'|'.join(_ORDINALS)})[\s-]+{_CONTEST_PARTS}"
    rf"|{_CONTEST_PARTS}\s+(?:\d{{1,3}}|{'|'.join(CARDINALS)}))\b",
    re.IGNORECASE,
)


def won_a_part(question: str, answer: str, stated: str) -> bool:
    """Asked who won, a name of the answer that the cited sentences give as the winner of a numbered part
    the question does not ask about: the winner of a stage, a game or a round of what was asked."""
    if not _ASKS_A_WIN.search(question):
        return False
    first = re.match(r"\s*([A-Z][\w'’-]{2,})\b", answer)  # "Osaka [1]." opens with its name
    given = {name for name, _, _ in name_spans(answer)} | ({first.group(1).lower()} if first else set())
    for name in given - NOT_NAMES - constraints(question)[1]:
        for m in re.finditer(rf"\b{re.escape(name)}\b", stated, re.IGNORECASE):
            won = _WON_PART.match(stated, m.end())
            part = won and next(g for g in won.groups() if g)
            if part and not re.search(rf"\b{part}", question, re.IGNORECASE):
                return True
    return False


# The two ends of an event: asked when something opens or begins, a sentence that only says when it closes
# or is completed tells the other end ("When will the ward reopen?" -> "will close its ward in January").
def _words(*forms: str) -> re.Pattern:
    """Whole lowercase words (a capital only first) of these forms, a trailing "*" any ending: "OpenAI"
    opens nothing, "endorse" ends nothing."""
    either = "|".join(f"[{w[0]}{w[0].upper()}]{w[1:].replace('*', '[a-z]*')}" for w in forms)
    return re.compile(rf"\b(?:{either})\b")


_STARTS = _words("reopen*", "open", "opens", "opened", "opening", "start", "starts", "started", "starting",
                 "restart*", "begin*", "began", "begun", "launch*", "commenc*")
_ENDS = _words("close", "closes", "closed", "closing", "closure*", "shut", "shuts", "shutting", "shutdown*", "end",
               "ends", "ended", "ending", "finish*", "complet*", "conclud*")


def _other_end(question: str, stated: str) -> bool:
    if not re.match(r"\s*when\b", question, re.I):
        return False
    asks_start, asks_end = bool(_STARTS.search(question)), bool(_ENDS.search(question))
    if asks_start == asks_end:
        return False
    asked, other = (_STARTS, _ENDS) if asks_start else (_ENDS, _STARTS)
    return not asked.search(stated) and bool(other.search(stated))


# "the largest jackpot ever" asks for the first of a ranking: "the second-largest lottery prize in U.S.
# history" is the next one. A superlative the question ranks (by default first) is missed by cited
# sentences that use it only at other ranks; sentences without it are left to the other checks.
_SUPERLATIVES = (
    "largest biggest highest lowest longest shortest oldest youngest deadliest costliest busiest richest tallest "
    "fastest hottest coldest warmest wettest driest strongest smallest greatest heaviest worst best most least"
).split()
_RANKED = re.compile(
    rf"\b(?:({'|'.join(_ORDINALS[1:10])}|[2-9](?:nd|rd|th)|10th)[\s-]+)?({'|'.join(_SUPERLATIVES)})\b", re.I
)


def _ranks(text: str) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for nth, word in _RANKED.findall(text):
        found.setdefault(word.lower(), set()).add(_rank(nth) if nth else 1)
    return found


def _other_rank(question: str, stated: str) -> bool:
    told = _ranks(stated)
    return any(word in told and not ranks & told[word] for word, ranks in _ranks(question).items())


def _won_in_another_year(question: str, stated: str) -> bool:
    """Asked who won in a year, every win the cited sentences tell is dated in its clause by other years:
    "Eric Staal, who won a gold medal with Canada in 2010 and didn't go in 2014, had little chance of
    making the 2022 team" names no 2022 winner."""
    asked = years_of_facts(question)[1]  # "last win ... before 2025" bounds the asked period
    if not asked or not _ASKS_A_WIN.search(question):
        return False
    dated = [set(YEAR.findall(re.split(r"[,;:.!?]", stated[m.start():], maxsplit=1)[0]))
             for m in _TELLS_A_WIN.finditer(stated)]
    return bool(dated) and all(years and not years & asked for years in dated)


# Two groups no one belongs to both of: asked about one, sentences that name only the other tell of them.
# "Which incoming Republican called for an ethics investigation?" is not answered by "Democratic Rep.-elect
# Dan Goldman ... called Santos a 'total fraud'"; the women's final by the men's. (The Democratic Republic
# of the Congo is a country.)
_GROUP_PAIRS = (
    (re.compile(r"\bmen\b|\bmen['’]s\b|\bmale\b", re.I), re.compile(r"\bwomen\b|\bwomen['’]s\b|\bfemale\b", re.I)),
    (re.compile(r"\bboys?\b", re.I), re.compile(r"\bgirls?\b", re.I)),
    (re.compile(r"\bdemocrat(?:s|ic)?\b(?!\s+republic\b)", re.I), re.compile(r"(?i:\brepublicans?\b)|\bGOP\b")),
    # the two chambers: a senator's bill is no answer for who sponsored it in the House (the White House is
    # no chamber)
    (re.compile(r"(?<!White )\bHouse\b|\bRep\.|\b(?i:congress(?:man|woman|member))\b"),
     re.compile(r"\bSenate\b|\bSen\.|\b(?i:senators?)\b")),
)


def _other_group(question: str, stated: str) -> bool:
    return any(
        asked.search(question) and not other.search(question) and other.search(stated) and not asked.search(stated)
        for one, two in _GROUP_PAIRS for asked, other in ((one, two), (two, one))
    )


# The states of the US, where a national archive's stories happen ("News from around our 50 states"): asked
# about North Carolina's health secretary, a sentence on North Dakota's health department tells of another
# state's. Washington is left out (the capital, a president, a newspaper). A capitalised word after a state
# makes it part of another name ("the New York Times", "Virginia Tech", "Florida Panthers"), as after a
# country, unless it is one of the state's own bodies or offices ("the North Dakota Department of Health")
# or names nothing ("in California Thursday").
_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|"
    "North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|"
    "Utah|Vermont|Virginia|West Virginia|Wisconsin|Wyoming"
)
_STATE = re.compile(rf"\b(?:{_STATES})\b")
_OF_A_STATE = _OF_A_COUNTRY - {"st"} | frozenset(  # "350 Maryland St." is a street
    "department state legislature senate house assembly attorney governor gov lt highway board medicaid".split()
)


def _states_in(text: str) -> set[str]:
    return {m.group(0) for m in _STATE.finditer(text) if not _in_another_name(text, m.end(), _OF_A_STATE)}


# Where a count is taken over more than one place: "1,240 stores across 15 states" is no count for New Jersey.
_WIDER = re.compile(
    r"\b(?:(?:across|around|throughout) (?:the )?(?:country|nation|United States|U\.S\.|US|world|globe"
    r"|European Union|EU|Europe|continent|bloc)"
    r"|(?:across|in) [\d,]+ (?:states|countries)|nationwide|worldwide|globally|EU-wide|Europe-wide)(?!\w)",
    re.IGNORECASE,
)
_ASKS_A_PLACE = re.compile(r"^\s*(?:where|from where|(?:in )?(?:which|what) (?:states?|places?|cit(?:y|ies)|towns?)\b)",
                           re.IGNORECASE)
_COUNT_IN = re.compile(r"\b(?i:how many)\b.*\bin ((?:the )?[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*)")
# A figure asked of one place's own things: "How full were Germany's gas storage facilities?"
_FIGURE_OF = re.compile(
    r"^\s*(?i:how (?:many|much|full|high|low|large|big)|what (?:percentage|share|proportion|level|rate))\b.*?"
    r"\b((?:[A-Z][\w.-]*\s)*[A-Z][\w.-]*)['’]s?\s"
)
_TOWN_IN_STATE = re.compile(rf"([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*)*),\s+(?:{_STATES})\b")


def _placed_in(question: str, stated: str) -> bool:
    """The sentences name a place the question puts in its state ("Crescent City, California"): told of the
    town, they tell of its state, whatever other state they name beside it ("south of the Oregon border")."""
    return any(mentioned(m.group(1).lower(), stated) for m in _TOWN_IN_STATE.finditer(question))


def _other_place(question: str, stated: str) -> bool:
    """The cited sentences tell of another state than the one asked about (and name none the question does),
    or give a count or figure asked of one place ("in New Jersey", "Germany's") over a wider area that
    the sentence does not say includes it. A question that asks for a place is left alone: another place
    is its answer."""
    if _ASKS_A_PLACE.search(question):
        return False
    asked, told = _states_in(question), _states_in(stated)
    if asked and told and not asked & told and not _placed_in(question, stated):
        return True
    place = _COUNT_IN.search(question) or _FIGURE_OF.search(question)
    return (bool(place) and not _WIDER.match(f"across {place.group(1)}")  # asked about the country itself
            and _WIDER.search(stated) is not None and not mentioned(place.group(1).lower(), stated))


def misses_the_ask(question: str, stated: str) -> bool:
    """The cited sentences (`stated`) do not state the kind of fact asked for: no win for "who won" (or
    only wins dated in other years than the asked one), no sale for "who acquired", no release for "when
    was it released" (the day it was announced is not it), no firing for "who was fired" (one who steps
    down was not), no mayor for "who is the mayor of ...", not the counted thing for "how many" (a word
    starting as "passe" of "passengers" does), nor what was done to them ("How many gang members were
    arrested?" is not answered by "a dozen members of the military are being investigated", nor "Where was
    the organizer arrested?" by charges recommended against him at a park in Taipei), nor the other
    end of the event asked when about (a closure for "when will it reopen"); nor do sentences that number
    only other instalments of what is asked ("the tenth season" for "the first season"), or rank what is
    asked only elsewhere ("the second-largest" for "the largest"), or name only the other of two groups (a
    Democrat for "which Republican", the men's final for the women's, a senator for the House), or tell of
    another state, or count over a wider area than the asked place (`_other_place`)."""
    asked, told = _instalments(question), _instalments(stated)
    if any(part in told and not numbers & told[part] for part, numbers in asked.items()):
        return True
    if any(asks.search(question) and not states.search(stated) for asks, states in _OUTCOMES):
        return True
    if _misses_the_role(question, stated) or _other_end(question, stated) or _other_rank(question, stated) \
            or _won_in_another_year(question, stated) or _other_group(question, stated) \
            or _other_place(question, stated):
        return True
    said = _said(stated)
    return any(
        asked and not any(_told(word, said) for word in asked) for asked in (_counted(question), _done_to(question))
    )


# A month names a period ("at the end of March", "in December 2024") unless a day follows it ("October
# 1st", a report's date, which the year check and the search filters handle).
_MONTH = re.compile(
    r"\b(" + "|".join(m.capitalize() for m in MONTHS) + r")\b(?!\s+\d{1,2}(?:st|nd|rd|th)?\b)"
)
_KNOWN_DATE = re.compile(r"\d{4}(?:-\d{2})?")


def months(question: str) -> set[str]:
    """The months a question names; "May the council ...?" opens with a verb."""
    return {
        m.group(1) for m in _MONTH.finditer(question)
        if not (m.group(1) == "May" and sentence_start(question[: m.start()]))
    }


# Before a month, words that make it a part or a bound of the month rather than the whole of it.
_PART_OF_MONTH = re.compile(
    r"\b(?:end|start|beginning|middle|early|late|mid|by|since|before|after|until|till|through|first|last|"
    r"second|third|fourth|final|week|weekend|half|days?)(?:\s+of)?(?:\s+the)?[\s-]*$", re.IGNORECASE,
)


def _whole_months(question: str) -> set[str]:
    """The months a question asks about as a whole ("in March", "the March 2025 storm"), not a part or a
    bound of ("at the end of March", "by March")."""
    asked = months(question)
    return {
        m.group(1) for m in _MONTH.finditer(question)
        if m.group(1) in asked and not _PART_OF_MONTH.search(question[: m.start()])
    }


def _dated_by_publication(
    cited: str, resolved_months: set[int], published: Iterable[date], years: set[str]
) -> set[int]:
    """The months of the cited articles' publication dates (in a year the question names, if it names
    any), when the cited text dates nothing itself (no month named, no relative date resolved): a report
    then tells of its own days."""
    if resolved_months or any(_month_named(month.capitalize(), cited) for month in MONTHS):
        return set()
    return {d.month for d in published if not years or str(d.year) in years}


def _month_named(month: str, text: str) -> bool:
    """"March", "Mar." or "Sept." in the text; "Marl River" is no March."""
    return re.search(rf"\b{month[:3]}(?:{month[3:]}|t?\.|\b)", text) is not None


# "since 2020", "before mid-2019", "between 2019 and 2021": a year that bounds a period, not the one the fact
# belongs to. Only a time word may stand between: "By winning the 2013 Wimbledon" dates the win.
_WHEN_IN_YEAR = (
    rf"(?:(?:the|end|start|beginning|middle|of|early|mid|late|{'|'.join(m[:3] + '[a-z]*' for m in MONTHS)}"
    r"|spring|summer|autumn|fall|winter)[\s,-]+){0,4}"
)
# "the 2018-2019 shutdown", "between 2018 and 2022": a span of years. Its end is a period's bound; asked
# about the span itself, a sentence that names the same span meets both years.
_YEAR_SPAN = re.compile(rf"({YEAR.pattern})\s*(?:and|to|through|-|–)\s*({YEAR.pattern})", re.I)
_BOUND = re.compile(
    rf"\b(since|after|before|until|till|between|from|through|by|prior to)\s+{_WHEN_IN_YEAR}({YEAR.pattern})", re.I
)
# Which side of its year a bound keeps: asked "before 2004", a sentence on what happened "since 2004" tells
# the other side, one that says "before 2004" the asked one.
_SIDES = {"since": "after", "after": "after", "from": "after", "before": "before", "until": "before",
          "till": "before", "by": "before", "prior to": "before", "through": "before", "between": "between"}


# "died from the July 2025 tsunami": "from" before a year that dates a thing tells a cause or a source;
# "from 2019 to 2021", "from 2019 on" bound a period.
_DATES_A_THING = re.compile(r"\s+(?!(?:to|through|until|till|and|on|onwards?)\b)[a-z]")


# "By 2015, the figure had dropped to about 69 percent", "rose to 12% by 2020": a level reached by a year is
# that year's level, not a bound of the period it was reached in.
_REACHED = (r"\b(?:to|at|reached|hit|topped)\s+(?:about |around |roughly |nearly |almost |just |some |over "
            r"|more than |less than |under )?[$€£]?\d")
_LEVEL_AFTER = re.compile(rf",?\s+[^.;]{{0,80}}?{_REACHED}", re.IGNORECASE)
_LEVEL_REACH = 60  # characters before "by 2020" searched for the level: "rose to more than 12.5 percent "
_LEVEL_BEFORE = re.compile(rf"{_REACHED}[\d,.]*\s*(?:%|percent|per cent|million|billion|trillion)?\s+$",
                           re.IGNORECASE)


def _bounds(text: str) -> list[re.Match]:
    return [m for m in _BOUND.finditer(text)
            if not (m.group(1).lower() == "from" and _DATES_A_THING.match(text, m.end()))
            and not (m.group(1).lower() == "by" and (_LEVEL_AFTER.match(text, m.end()) or _LEVEL_BEFORE.search(
                text[max(0, m.start() - _LEVEL_REACH):m.start()])))]


def bounded(text: str) -> set[tuple[str, str]]:
    """The years the text names as a period's bound, each with its side."""
    return {(_SIDES[" ".join(m.group(1).lower().split())], m.group(2)) for m in _bounds(text)}


def _year_spans(text: str) -> set[tuple[str, str]]:
    return {(m.group(1), m.group(2)) for m in _YEAR_SPAN.finditer(text)}


def years_of_facts(text: str) -> tuple[set[str], set[str]]:
    """The years a text names, and those it names at least once as a fact's date, not only as the bound of
    a period ("since 1987")."""
    bounds = {m.span(2) for m in [*_bounds(text), *_YEAR_SPAN.finditer(text)]}  # the bound's year
    found = list(YEAR.finditer(text))
    return {m.group(0) for m in found}, {m.group(0) for m in found if m.span() not in bounds}


# "the NameExoWorlds 2022 competition", "Blade Runner 2049": a year written after a name is part of it,
# the edition of an event or a title, not the date of every fact about it (the 2022 contest's winners are
# announced in 2023). Not after a month or a word of the sentence ("in 2022", "March 2022", "Q1 2021").
_LABEL_YEAR = re.compile(rf"\b([{UPPER}][A-Za-z{LOWER}'’&-]{{2,}})\s+({YEAR.pattern})")
_MONTH_STARTS = frozenset(m[:3] for m in MONTHS)  # "Sept 2022"


def labelled_years(text: str) -> set[str]:
    return {m.group(2) for m in _LABEL_YEAR.finditer(text)
            if m.group(1).lower() not in NOT_NAMES and m.group(1).lower()[:3] not in _MONTH_STARTS}


# "the 92nd Academy Awards" numbers one edition of an event: a passage on another year's ceremony names the
# event as well. The edition's number must be in the cited passages or their titles. "20th Century Fox"
# names no event.
_EDITION = re.compile(
    r"\b(\d+(?:st|nd|rd|th))\s+(?:annual\s+)?(?:[A-Z][\w'’.-]*\s+){0,3}"
    r"(?:Awards?|Games|Olympics|Festival|Congress|Conference|Summit|Convention|Championships?|Ceremony|Gala"
    r"|Edition|Anniversary)\b"
)


# "Who won album of the year at the Grammys?" asks for one prize of a night of many: a sentence on another
# record of that night ("Beyoncé ... breaking the record for most-winning female artist") states a win,
# but not this one. A prize named in common words (a proper name is checked as a name) must be told in the
# cited passages or their titles: "runoff" or "election" for "the presidential runoff election".
_PRIZE = re.compile(
    r"^\s*who (?:won|wins|will win|has won|had won) (.+?)\s*(?:\b(?:at|in|on|for|during|after|before|with|by"
    r"|against|over|this|last|and)\b|[?,;]|$)",
    re.IGNORECASE,
)
_NO_PRIZE = frozenset(
    "the a an of most more top best new first last this that its his her their".split()
    + "year years day week month time night season".split()
)


def _prize(question: str) -> list[str]:
    m = _PRIZE.search(question)
    if m is None or any(m.start(1) <= start < m.end(1) for _, start, _ in name_spans(question)):
        return []
    words = (_token(w) for w in _WORD.findall(m.group(1)))
    return [w for w in words if w not in _NO_PRIZE and w not in _ORDINALS and not YEAR.fullmatch(w)]


def unmet_constraints(
    question: str, cited: str, known: set[str], shown: str, published: Iterable[date] = ()
) -> set[str]:
    """What the question sets that the evidence does not meet: a year missing from the cited text (as a
    fact's year, or as the same side of the same bound: "before 2004" for "before 2004") and not among
    `known` (the cited articles' years, the dates their relative expressions resolve to); a
    month ("How many ships were waiting at the end of March?") missing from the cited text and not the
    month of a resolved date; a name not mentioned in anything shown to the model; an edition's number
    ("the 92nd"), a prize (`_prize`) or the group a share is taken among (`_share_group`) the cited
    passages do not tell.

    A publication month meets only a whole month ("in January 2025", "the March 2025 storm"), and only
    when the cited text dates nothing itself (`_dated_by_publication`): "at the end of March" is a part
    of the month a report of 1 March does not reach, and a sentence that says "in February" or "on
    Tuesday" tells its own time. Asked what Cuba said it would release in January 2025, a report of 14
    January that says so answers; withholding it threw right answers away."""
    years, names = constraints(question)
    dates = {m.group(0) for value in known for m in _KNOWN_DATE.finditer(value)}
    known_years = {d[:4] for d in dates}
    same_span = {year for span in _year_spans(question) & _year_spans(cited) for year in span}
    same_bound = {year for _, year in bounded(question) & bounded(cited)}
    missing = years - years_of_facts(cited)[1] - known_years - same_span - same_bound
    resolved_months = {int(d[5:7]) for d in dates if len(d) == 7}
    by_publication = _dated_by_publication(cited, resolved_months, published, years)
    whole = _whole_months(question)
    missing |= {
        month for month in months(question)
        if not _month_named(month, cited) and MONTHS.index(month.lower()) + 1 not in resolved_months
        and not (month in whole and MONTHS.index(month.lower()) + 1 in by_publication)
    }
    missing |= {n for n in names if not mentioned(n, f"{cited} {shown}")}
    missing |= {nth for nth in _EDITION.findall(question) if not re.search(rf"\b{nth}\b", cited, re.IGNORECASE)}
    said = _said(cited)
    for words in (_share_group(question), _prize(question)):  # either is met by any one of its words
        if words and not any(_told(word, said) for word in words):
            missing |= set(words)
    return missing
