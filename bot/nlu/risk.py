"""The risk detector: reviewed phrase lists plus a learned model, recall first.

It runs on every message, whatever the intent. How the parts combine:

1. Every language's phrase list is matched (people switch languages
   mid-message; a Turkish phrase in an Arabic-labelled message still counts).
2. A *clearly* negated phrase ("my husband does not hit me", "kocam beni
   dövmüyor") is dropped; a negation cue merely nearby lowers it one level.
3. A hard negative ("what does the parenting course say about violence")
   lowers a medium/high hit that lies inside it to none, unless the model
   still sees a disclosure there. Imminent hits are never lowered by it, and
   hits outside the hard negative's words stay. A *frame* (risk/frames-*.yml:
   a clause that asks about a topic, tells news or fiction, reassures, speaks
   of the past, or names a thing lost rather than a person) does the same for
   the hits in its clause, and the model reads only the clauses without one.
   A service frame ("ambulans kaç dakikada geliyor") sets aside only the
   service word it names, and a resolution ("kayboldu ... onu bulduk") only
   the earlier hits of its own category (an imminent one becomes medium).
4. The learned model (a binary risk-vs-none model for P(risk), and on the risk
   examples alone a category and a level model) can RAISE the result, to catch
   indirect disclosures the lists miss; it never lowers a lexicon hit by
   itself. It reads the whole message and each clause of it, so that a
   question's words do not dilute a disclosure in its second sentence.

Evidence names what fired ("lexicon:tr:domestic_violence:high:kocam ... döv*",
"model:child_marriage:0.82"), never the user's words beyond a list phrase.
The thresholds are chosen on out-of-fold readings of the training data
(bot/nlu/risk_tuning.py) and live in nlu/risk/thresholds.yml.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.nlu.base import NO_RISK, Risk, RiskLevel
from bot.nlu.normalise import fold
from bot.nlu.risk_context import (
    CLAUSE,
    CLAUSE_KINDS,
    Clause,
    adult_age,
    asks_service,
    clause_of,
    clauses_of,
    frame_for,
    frame_kind,
    has_letters,
    lost_thing,
    names_a_child_age,
    touching,
    turkish_negated_verb,
    turkish_negative_phrase,
)
from bot.nlu.risk_decision import (
    ListHit,
    Reading,
    RiskThresholds,
    combine,
    strongest,
    thresholds_from,
)
from bot.nlu.risk_lexicon import (
    Match,
    NegationCues,
    Pattern,
    PhraseIndex,
    compile_phrase,
    tokenize,
)
from bot.nlu.risk_model import NONE, RiskModel, train_risk_model
from bot.nlu.training_data import TrainingData

__all__ = ["NONE", "RiskDetector", "RiskModel", "train_risk_model"]

# model windows: characters per window and step, so long texts cost bounded work each
WINDOW = 400
STEP = 300
MIN_CLAUSE_WORDS = 3
# languages whose verb comes last, so a negation may follow the phrase it negates
VERB_FINAL = frozenset({"tr", "fa"})


class RiskDetector:
    """Lexicon + model; build once from the training data, then :meth:`assess` messages."""

    def __init__(
        self, data: TrainingData, model: RiskModel | None, thresholds: RiskThresholds | None = None
    ) -> None:
        self._thresholds = thresholds or thresholds_from(data.risk.thresholds)
        self._model = model
        homographs = {
            language: frozenset(words) for language, words in data.risk.homographs.items()
        }
        patterns = [
            compile_phrase(
                p.pattern,
                p.language,
                p.category,
                p.level,
                homographs.get(p.language, frozenset()),
                arabizi=p.language == "ar",
            )
            for p in data.risk.phrases
        ]
        self._phrases = PhraseIndex(p for p in patterns if p is not None)
        hard = [
            compile_phrase(phrase, language)
            for language, phrases in data.risk.hard_negatives.items()
            for phrase in phrases
        ]
        self._hard_negatives = PhraseIndex(p for p in hard if p is not None)
        framed = [
            compile_phrase(phrase, language, category=kind)
            for language, frames in data.risk.frames.items()
            for kind, phrase in frames
        ]
        self._frames = PhraseIndex(p for p in framed if p is not None)
        people = [
            compile_phrase(phrase, language, category=who)
            for language, named in data.risk.people.items()
            for who, phrase in named
        ]
        self._people = PhraseIndex(p for p in people if p is not None)
        self._negations = {
            language: NegationCues(cues) for language, cues in data.risk.negations.items()
        }
        all_cues = [c for cues in data.risk.negations.values() for c in cues]
        self._any_negation = NegationCues(all_cues)
        # a resolution that is negated or not yet true ("ما رجع عالبيت", "haven't released
        # him"), or names a thing or a harm ("found her phone", "found him injured"),
        # resolves nothing
        undoing = [w for words in data.risk.unresolved.values() for w in words]
        undo = (fold(c).replace("*", " ").split() for c in [*all_cues, *undoing])
        self._unresolved = frozenset(tuple(words) for words in undo if words)

    def assess(self, text: str) -> Risk:
        reading = self.read(text)
        if reading is None:
            return NO_RISK
        return combine(reading, self._thresholds)

    def read(self, text: str, model: RiskModel | None = None) -> Reading | None:
        """What the lists and the model make of *text*, before thresholds (None: no words)."""
        tokens, spelled = tokenize(text)
        if not tokens:
            return None
        clauses = clauses_of(text, len(tokens))
        frames = [
            m
            for m in self._frames.find(tokens)
            if frame_kind(m) != "resolved" or not touching(self._unresolved, tokens, m)
        ]
        # service and resolution frames are bound to words or a category, not to their
        # clause: the model still reads that clause
        framed = {
            clause_of(clauses, m.start): _frame_name(m)
            for m in reversed(frames)
            if m.pattern.category in CLAUSE_KINDS
        }
        evidence, hits = self._lexicon(tokens, spelled, clauses, frames)
        adults = self._adults_only(tokens)
        level, category = strongest(hits, adults)
        model = model if model is not None else self._model
        letters = any(ch.isalpha() for token in tokens for ch in token)
        if model is None or not letters:  # numbers, emoji, symbols: nothing for the model
            return Reading(
                level, category, tuple(evidence), None, len(tokens), hits=hits, adults_only=adults
            )
        # the model reads what is left once the framed clauses are set aside
        unframed = [c.text for i, c in enumerate(clauses) if i not in framed]
        readable = " ".join(unframed) if any(has_letters(c) for c in unframed) else ""
        view = model.predict(_windows(readable or text))
        return Reading(
            level,
            category,
            tuple(evidence),
            view,
            len(tokens),
            framed=not readable,
            hits=hits,
            adults_only=adults,
        )

    def _adults_only(self, tokens: list[str]) -> bool:
        """Whether the message names a partner or an in-law and no child, nor a child's age.

        A child word inside an in-law ("my mother in law", "my sister in law") names the
        in-law, not the writer's mother or sister.
        """
        found = self._people.find(tokens)
        partners = [m for m in found if m.pattern.category == "partner"]
        children = [
            m
            for m in found
            if m.pattern.category == "child"
            and not any(p.start < m.end and m.start < p.end for p in partners)
        ]
        return bool(partners) and not children and not names_a_child_age(tokens)

    def _lexicon(
        self,
        tokens: list[str],
        spelled: list[str] | None = None,
        clauses: list[Clause] | None = None,
        frames: list[Match] | None = None,
    ) -> tuple[list[str], tuple[ListHit, ...]]:
        evidence: list[str] = []
        hits: list[ListHit] = []
        clauses, frames = clauses or [], frames or []
        hard_spans: list[tuple[int, int, Pattern]] = [
            (m.start, m.end, m.pattern) for m in self._hard_negatives.find(tokens)
        ]
        general = next((f for f in frames if frame_kind(f) == "general"), None)
        matches = self._phrases.find(tokens, spelled)
        negations = [(m, self._negation(tokens, m, clauses)) for m in matches]
        for match, own in negations:
            pattern = match.pattern
            level = pattern.level
            negation = own or same_words_negated(match, negations)
            if negation is not None:
                cue, clear = negation
                if clear:
                    evidence.append(f"negated:{pattern.name}:{cue}")
                    continue
                level = max(RiskLevel.MEDIUM, RiskLevel(level - 1))
            age = adult_age(tokens, match)
            if age is not None:
                evidence.append(f"adult_age:{pattern.name}:{age}")
                continue
            frame = frame_for(match, frames, clauses)
            if frame is not None and level == RiskLevel.IMMINENT and not lost_thing(frame, match):
                # never set aside ("years ago ... but now he will kill me"); a question
                # about the word ("what is a removal centre") asks instead, and so does
                # a past event of the same category told as resolved ("... onu bulduk"),
                # and a question about the service that holds the whole phrase ("if we
                # call an ambulance will we pay": "call an ambulance"), a figure of
                # speech ("this heat will kill me"), and a film or the news told ("in the
                # series a boy gets kidnapped"; no training disclosure is lowered by it)
                if frame_kind(frame) in ("topic", "resolved", "idiom", "media") or asks_service(
                    frame, match
                ):
                    evidence.append(f"framed_imminent:{_frame_name(frame)}")
                    level = RiskLevel.MEDIUM
                frame = None
            if frame is not None:
                evidence.append(f"frame:{_frame_name(frame)}")
                continue
            if general is not None and level == RiskLevel.HIGH:
                # a general question in another clause ("how does deportation work,
                # general information for my studies"): a worry to follow up, and never
                # less (people play a disclosure down as "just asking")
                evidence.append(f"general_elsewhere:{_frame_name(general)}")
                level = RiskLevel.MEDIUM
            if level < RiskLevel.IMMINENT:
                inside = next(
                    (h for h in hard_spans if h[0] <= match.start and match.end <= h[1]), None
                )
                if inside is not None:
                    evidence.append(f"hard_negative:{inside[2].language}:{inside[2].source}")
                    continue
            evidence.append(f"lexicon:{pattern.name}")
            hits.append(ListHit(pattern.name, level, pattern.category))
        return evidence, tuple(hits)

    def _negation(
        self, tokens: list[str], match: Match, clauses: Sequence[Clause]
    ) -> tuple[str, bool] | None:
        verb = turkish_negated_verb(tokens, match)
        if verb is not None:
            return verb, True
        cues = self._negations.get(match.pattern.language, self._any_negation)
        if turkish_negative_phrase(match) or cues.any_in(match.pattern.literals):
            # the phrase itself tells of an absence ("yemek yok", "nefes almıyor", "no
            # food"): a cue beside it stresses it ("hiç yemek yok"), it does not undo it
            return None
        # only a verb-final language negates a phrase after it ("لت و کوب نمی‌کند",
        # "dövmek yok"); in Arabic and English a cue after the phrase starts another
        # thought ("bade mout, ma 3ad fiye": I want to die, I can't any more)
        after = match.pattern.language in VERB_FINAL
        clause = clauses[clause_of(clauses, match.start)] if clauses else None
        span = (clause.first_token, clause.end_token) if clause else None
        return cues.negates(tokens, match, span, after)


def same_words_negated(
    match: Match, negations: Sequence[tuple[Match, tuple[str, bool] | None]]
) -> tuple[str, bool] | None:
    """A clear negation of another phrase on the same words ("we were not deported": the
    English "deport*" is negated, the Turkish "deport*" is too); the lists of every
    language read every message, but each knows only its own language's cues."""
    words = set(match.tokens)
    for other, negation in negations:
        if negation is not None and negation[1] and words <= set(other.tokens):
            return negation
    return None


def _frame_name(frame: Match) -> str:
    return f"{frame.pattern.category}:{frame.pattern.language}:{frame.pattern.source}"


def _windows(text: str) -> list[str]:
    """The message in overlapping windows (one for a short message), and its clauses.

    A question with a disclosure in its second sentence ("I need a lawyer. Also
    I think of ending my life") is read clause by clause too, so that the
    question's words do not dilute the disclosure's.
    """
    if len(text) <= WINDOW:
        windows = [text]
    else:
        windows = [text[i : i + WINDOW] for i in range(0, max(1, len(text) - WINDOW + STEP), STEP)]
    clauses = [c.strip() for c in CLAUSE.split(text[: WINDOW * 2])]
    clauses = [c for c in clauses if len(c.split()) >= MIN_CLAUSE_WORDS]
    if len(clauses) > 1:
        windows.extend(clauses)
    return windows
