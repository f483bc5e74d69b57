"""Small, general heuristics over English rubric text: words, labels, verbs, similarity.

No tagger and no model: rubric lines are short and formulaic ("Leads incident reviews",
"Participate in on-call rotations"), so a behaviour is recognised by a *head verb*:
the first word (after adverbs such as "independently") or the first word of a clause,
in base form ("Lead"), third person ("Leads") or after "to" ("able to deploy"). A word
counts as a verb when it is an auxiliary or modal, when its base form is in ``VERBS`` (a
general list of common English action verbs, not one drawn from any ladder) or when it
ends in -ize/-ise/-ify. Forms in -ing are not heads: "Monitoring tool usage" is a noun
phrase, and a behaviour reads better with a finite verb anyway. Authors can add verbs
of their trade with the ``extra-verbs`` setting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’/+-]*")

#: Category names that introduce a label ("Skill: Incident management") rather than a
#: behaviour: the vocabulary of job profiles and competency frameworks.
LABEL_NAMES = (
    r"skills?|knowledge|competenc(?:y|ies)|qualifications?|requirements?|abilit(?:y|ies)"
    r"|traits?|attributes?|expertise|proficienc(?:y|ies)|certifications?|education"
    r"|experience|tasks?|responsibilit(?:y|ies)|capabilit(?:y|ies)|behaviou?rs?"
)
LABEL = re.compile(
    rf"(?:^|(?<=[.;:!?])\s+)((?:{LABEL_NAMES})(?:\s+(?:and|&|/)\s+(?:{LABEL_NAMES}))?)\s*:\s*",
    re.IGNORECASE,
)

AUXILIARIES = _set(
    "is are was were be been am has have had can could will would shall should may might "
    "must do does did cannot won't can't isn't doesn't"
)

#: Words that may open a behaviour before its verb ("Independently owns ...").
OPENERS = _set("also then often regularly consistently proactively")

#: Openers after which a sentence has a subject and its verb comes later.
SUBJECTS = _set("the a an they he she you we i this their engineer engineers person")

#: Subject pronouns: the word after one (adverbs skipped) is a verb.
PRONOUNS = _set("i you we they he she")

#: Common English action verbs, base form. General vocabulary, not fitted to any ladder.
VERBS = _set("""
    accept access accomplish achieve acquire act adapt add address adjust administer adopt
    advance advise advocate align allocate analyse analyze answer anticipate apply appraise
    approve architect arrange articulate assemble assess assign assist assume assure attain
    attend audit author automate balance benchmark brief bring budget build calculate
    capture carry catalog champion change check choose clarify close coach code collaborate
    collect combine communicate compare compile complete compose compute conceive conduct
    configure confirm connect consider consolidate construct consult contribute control
    convert convince coordinate correct create cultivate curate customize debug decide
    define delegate deliver demonstrate deploy derive describe design detect determine
    develop devise diagnose direct discover discuss dispatch distribute document draft drive
    edit educate eliminate empower enable encourage enforce engage engineer enhance ensure
    establish estimate evaluate evangelize examine execute expand expedite experiment explain
    explore extend extract facilitate find fix follow forecast formulate foster frame gather
    generate give govern grow guide handle help hire hold host identify implement improve
    increase influence inform initiate innovate inspect inspire install instrument integrate
    interpret interview introduce investigate join judge keep know launch lead learn leverage
    lift listen locate maintain make manage map measure mediate meet mentor merge migrate
    minimize mitigate model moderate modify monitor motivate move navigate negotiate network
    observe obtain offer onboard open operate optimize orchestrate organize originate own
    participate partner patch pay perform persuade pilot plan practise predict prepare
    present preserve prevent prioritize probe process produce program promote propose
    protect prototype provide provision publish question raise reach read rebuild recognize
    recommend reconcile record recover recruit reduce refactor refine reinforce release
    remediate remove repair replace report represent research resolve respond restore
    resolve retire review revise rewrite run scale schedule scope screen secure select sell
    serve set shape share ship simplify solve sort speak specify spend sponsor standardize
    start steer streamline strengthen structure study summarize supervise support sustain
    take teach test think trace track train transform translate triage troubleshoot tune
    understand unblock update upgrade use validate verify volunteer walk watch weigh work
    write ask call commit cut disagree elevate gain get need pick push put receive require
    seek shadow show uphold play
    """)

_SUFFIX_VERB = re.compile(r"^[a-z]{3,}(?:ize|ify)$|^[a-z]{5,}ise$")
_NOT_VERBS = _set("expertise enterprise merchandise franchise premise precise concise")

VAGUE = (
    "good",
    "strong",
    "effectively",
    "effective",
    "as needed",
    "when needed",
    "where needed",
    "as appropriate",
    "appropriately",
    "appropriate",
    "various",
    "well",
    "properly",
    "proper",
    "adequately",
    "adequate",
    "solid",
    "excellent",
    "great",
    "significantly",
    "sufficient",
    "reasonable",
    "etc",
)
_VAGUE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in VAGUE) + r")(?![\w-])",
    re.IGNORECASE,
)
#: What makes a line observable despite a vague word: a number, a share, a count.
_OBSERVABLE = re.compile(r"\d")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def normalise(text: str) -> str:
    """Case, punctuation and spacing folded: what "the same text" compares."""
    return " ".join(w.casefold() for w in words(text))


def labels(text: str) -> list[str]:
    """The category labels in ``text`` ("Skill", "Skill and competency"), in order."""
    return [m.group(1) for m in LABEL.finditer(text)]


#: Where one clause ends and another begins inside a sentence: "a; b", "Topic — does x",
#: "Heading: does x".
_CLAUSE_BREAK = re.compile(r";|\s[—–-]\s|:\s")


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text)
    return [p for p in (part.strip() for part in parts) if p]


def clauses(text: str, *, lead_ins: bool = True) -> list[str]:
    """The clauses of ``text``: cut at sentence ends, semicolons, dashes and colons, with
    every labelled sentence ("Skill: X; Y.") left out. ``lead_ins=False`` also leaves out
    what comes before a colon when a clause follows it ("Demonstrate the ability to:
    deploy safely" is one behaviour) and what is in parentheses (examples, not asks)."""
    out = []
    for sentence in sentences(text):
        if LABEL.match(sentence):
            continue
        if not lead_ins:
            sentence = re.sub(r"\([^()]*\)", "", sentence)
            _, colon, rest = sentence.partition(": ")
            if colon and rest.strip():
                sentence = rest
        out += [c for c in (part.strip() for part in _CLAUSE_BREAK.split(sentence)) if c]
    return out


def without_labels(text: str) -> str:
    """What is left of ``text`` once its labelled sentences are gone."""
    return "; ".join(clauses(text))


def _bases(word: str) -> Iterable[str]:
    w = word.casefold().strip("'’")
    yield w
    if w.endswith("ies") and len(w) > 4:
        yield w[:-3] + "y"
    if w.endswith("es") and len(w) > 3:
        yield w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 2:
        yield w[:-1]


def is_verb(word: str, extra: frozenset[str] = frozenset()) -> bool:
    """A base or third-person form of a known verb (not an -ing form)."""
    lowered = word.casefold()
    if lowered in AUXILIARIES:
        return True
    if lowered.endswith("ing") or lowered in _NOT_VERBS:
        return False
    return any(b in VERBS or b in extra or _SUFFIX_VERB.match(b) for b in _bases(word))


#: Words that follow a verb rather than a noun: "Xs the ...", "Xs with ..." reads as a
#: verb in third person even when X is not in ``VERBS``.
_AFTER_VERB = _set(
    "the a an their our its others other to with on in for off up out across through "
    "into from by about"
)


def looks_third_person(tokens: list[str], i: int) -> bool:
    """``tokens[i]`` ends in -s like a verb and the next word is one a verb takes."""
    word = tokens[i].casefold()
    if not word.endswith("s") or word.endswith(("ss", "us", "is", "ics", "ness")):
        return False
    return i + 1 < len(tokens) and tokens[i + 1].casefold() in _AFTER_VERB


def head(tokens: list[str]) -> int | None:
    """Index of the word a behaviour would start with: adverbs and openers skipped."""
    for i, token in enumerate(tokens):
        lowered = token.casefold()
        if lowered in OPENERS or (lowered.endswith("ly") and len(lowered) > 4):
            continue
        return i
    return None


def clause_has_verb(clause: str, extra: frozenset[str] = frozenset()) -> bool:
    tokens = words(clause)
    if not tokens:
        return False
    lowered = [t.casefold() for t in tokens]
    if any(t in AUXILIARIES for t in lowered):
        return True
    i = head(tokens)
    if i is not None and (is_verb(tokens[i], extra) or looks_third_person(tokens, i)):
        return True
    if any(a == "to" and is_verb(b, extra) for a, b in zip(lowered, tokens[1:], strict=False)):
        return True
    if lowered[0] in PRONOUNS:
        return head(tokens[1:]) is not None  # "I level up ...": what follows is the verb
    if lowered[0] in SUBJECTS:
        return any(is_verb(t, extra) for t in tokens[1:])
    return False


def has_verb(text: str, extra: frozenset[str] = frozenset()) -> bool:
    return any(clause_has_verb(c, extra) for c in clauses(text))


def behaviour_clauses(text: str, extra: frozenset[str] = frozenset()) -> list[str]:
    """The clauses of ``text`` (labels dropped) that carry a behaviour of their own."""
    return [c for c in clauses(text, lead_ins=False) if clause_has_verb(c, extra)]


def coordinated_verbs(clause: str, extra: frozenset[str] = frozenset()) -> list[str]:
    """The head verb and every verb joined to it by "and", "or" or a comma
    ("Designs, builds and runs ..." -> Designs, builds, runs)."""
    spans = [(m.group(), m.start(), m.end()) for m in WORD.finditer(clause)]
    tokens = [word for word, _, _ in spans]
    i = head(tokens)
    while i is not None and i + 1 < len(tokens) and tokens[i].casefold() in AUXILIARIES:
        i += 1  # "Can navigate, find ..." counts from "navigate"
    if i is None or not is_verb(tokens[i], extra):
        return []
    third_person = tokens[i].casefold().endswith("s")
    found = [tokens[i]]
    joiners = {"and", "or", "then", "while"}
    for k in range(i + 1, len(spans)):
        word, start, _ = spans[k]
        previous, _, previous_end = spans[k - 1]
        joined = previous.casefold() in joiners or "," in clause[previous_end:start]
        lowered = word.casefold()
        if not joined or lowered in AUXILIARIES or lowered.endswith("ing"):
            continue
        # a list of nouns after a comma ("Python, Go and Bash") is not a verb list:
        # the joined word must agree with the head (both "-s" forms or both base forms)
        if is_verb(word, extra) and lowered.endswith("s") == third_person:
            found.append(word)
    return found


def vague_words(text: str) -> list[str]:
    return [m.group(1) for m in _VAGUE.finditer(text)]


def is_observable(text: str) -> bool:
    return _OBSERVABLE.search(text) is not None


def similarity(a: str, b: str) -> float:
    """Share of words in common, in order (difflib's ratio over normalised words)."""
    return SequenceMatcher(None, normalise(a).split(), normalise(b).split()).ratio()
