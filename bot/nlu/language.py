"""Which of tr, ar, en, fa a message is in.

lingua, limited to the four languages, does the statistics. Around it sits
what lingua cannot know: Arabizi (Arabic typed in Latin letters with digits
for the missing sounds) is Arabic, not Turkish or English; Arabic script is
told apart as Arabic or Persian by letters and words only one of them uses;
and a conversation keeps its language unless the message clearly switches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from bot.nlu.linear import CompiledLinear
from bot.nlu.normalise import fold, tidy, turkish_lower
from bot.nlu.training_data import TrainingData

DEFAULT_LANGUAGE = "tr"

_LINGUA = {
    Language.TURKISH: "tr",
    Language.ARABIC: "ar",
    Language.ENGLISH: "en",
    Language.PERSIAN: "fa",
}

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
# Letters Persian has and Arabic does not; ی and ک are Persian keyboard forms.
_PERSIAN_LETTERS = re.compile("[پچژگ]")
_PERSIAN_KEYBOARD = re.compile("[یک]")
# Letters Arabic writes and Persian (almost) never does.
_ARABIC_LETTERS = re.compile("[ةىيكؤإأ]")
_TURKISH_LETTERS = re.compile("[çğışöüÇĞİŞÖÜ]")
# Arabizi writes sounds Latin lacks with single digits inside words: 3andi, mosa3ade, 7ada.
_ARABIZI_DIGIT = re.compile(r"(?<!\d)[235789](?!\d)")
_NUMBER_WORD = re.compile(r"^\d+(st|nd|rd|th|am|pm|h|km|m|kg|tl|lira|yo|yr|yrs|years?|yas\w*)$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PERSIAN_WORDS = _word_set(
    """است هست هستم هستی هستند نیست نیستم می میخواهم میخوام میخواهیم خواهم چطور چطوری
    کجا کجاست را برای من ما شما او آنها این آن که چه چی چرا کی بله نه خیلی ممنون مرسی
    خداحافظ دارم ندارم داریم کنم کنید کمک بچه بچهام شوهرم پسرم دخترم زن مرد خانه کار
    باید نمیتوانم میتوانم لطفا سلام دری افغانستان افغان"""
)
_ARABIC_WORDS = _word_set(
    """في من على إلى الى عن هل ما ماذا شو شنو ليش وين فين كيف كيفك انا أنا أريد اريد بدي بدنا
    ابغى عندي عندنا هذا هذه هاد هاي التي الذي لا نعم ايوه اي مع زوجي ابني بنتي ولدي
    مرحبا شكرا شكراً يعطيك العافية الله السلام عليكم ممكن مساعدة احتاج أحتاج نحتاج
    لازم كثير كتير هيك مو مش ليس"""
)
_ARABIZI_WORDS = _word_set(
    """badde badi bade baddi bdi bidi biddi bedde beddi 3andi andi 3nde 3ande shu shou sho
    wen wein wain fi fih marhaba mar7aba mrhba shukran shokran chokran ana ento enta
    inta enti inti ya3ni yaani yani habibi habibti mosa3ade musa3ada mosaade msa3de
    ma3 ma3i kif kifak keefak keef lesh leish leh 7abibi ahlan salam salamu alaykum
    akhi ukhti ukhti ibni binti zawji zoji ween shlonak shlon hallaq halla2 bas kteer ktir
    mish msh mafi ma fi inshallah wallah yalla la2 aywa eh tayeb tamam mumkin momken
    beddak baddak bedna badna 3am 3ndi mnih mni7 ktir kter shi shou hay hayda hayde hek heik
    mostashfa mustashfa mostashfayat mashfa daktor doctoor madrase madrasa madrese mo7ami
    mohami mu7ami ma7kame ibni ebni benti bnti bent ekhti ukhti akhoy akhi zoji jozi marti
    wlad wled awlad atfal tifl moshkle mushkila mshkle moshkela sa3ed sa3idni ysa3edni
    mnsa3ed mosa3adeh musaade ma3lesh ma3leish tislam yislamo bkhater kifik ahla ahlen
    na3am la2a akeed tayyeb hon hunak honik feen eish shlon shgad addesh adesh 2adesh
    wa2t ba3d 3ala mn bel bil lazem lazim a3mel a3mal baddi baddna shoghol shughl sho3'l
    kamen kaman hala2 halla2 lesh leish 3ayez 3ayz 3awz 3ayza abgha abi wayn wen"""
)
# Words that are Arabizi-looking but common in Turkish/English chat: not evidence.
_NOT_ARABIZI = frozenset({"fi", "eh", "bas", "tamam", "ana", "salam", "ma", "la", "fih"})


@dataclass(frozen=True)
class Detection:
    language: str
    confidence: float


@dataclass
class LanguageHelp:
    """What the training data teaches the detector (built by :func:`learn_language_help`).

    ``latin`` scores Latin-script text as tr/en/ar/fa, learned from the
    examples' folders: it knows Arabizi and Persian in Latin letters
    ("khoda hafez") as lingua cannot. ``places`` are folded district and
    neighbourhood names, which are Turkish words in any language's message
    ("a school in Bağcılar") and are left out before deciding.
    """

    latin: CompiledLinear | None = None
    places: frozenset[str] = frozenset()
    one_word_share: float = 0.5


# How much the learned Latin-script model counts against lingua, per lingua mode; chosen
# out of fold on the training examples (bench/results.md, "Language identification").
LATIN_WEIGHT = {"high": 0.5, "low": 0.75}


class LanguageIdentifier:
    """Detects tr/ar/en/fa; build one per process (lingua's models load once)."""

    def __init__(self, default: str = DEFAULT_LANGUAGE, accuracy: str = "low") -> None:
        """`accuracy="low"`: lingua's trigram models only, about 13 MB and a third of a
        second to load instead of about 145 MB and 7 s (bench/results.md); the rules and
        the learned Latin-script model around lingua make up the difference."""
        self._default = default
        self._weight = LATIN_WEIGHT[accuracy]
        builder = LanguageDetectorBuilder.from_languages(*_LINGUA)
        if accuracy == "low":
            builder = builder.with_low_accuracy_mode()
        self._detector: LanguageDetector = builder.with_preloaded_language_models().build()

    def detect(
        self, text: str, hint: str | None = None, help: LanguageHelp | None = None
    ) -> Detection:
        """Language of *text*; with *hint* (the conversation's language) keep it unless clear.

        A hint this identifier cannot recognise (a conversation language added
        without NLU data) is kept: the person chose it, and a guess among the
        languages known here would only pull them away from it.
        """
        if hint is not None and hint not in _LINGUA.values():
            return Detection(hint, 0.0)
        fallback = hint if hint is not None else self._default
        text = tidy(text)[:2000]
        letters = sum(1 for ch in text if ch.isalpha())
        if letters == 0:
            return Detection(fallback, 0.0)
        detection = self._detect(_without_places(text, help), help)
        if hint is None or detection.language == hint:
            return detection
        words = _WORD.findall(text)
        # A short or ambiguous message ("ok", "1", "Esenyurt") keeps the conversation's language;
        # one word switches only on a script the hint's language does not use.
        if letters < 4 or len(words) <= 1:
            if _ARABIC_SCRIPT.search(text) and hint not in ("ar", "fa"):
                return detection
            return Detection(hint, 1.0 - detection.confidence)
        elif len(words) <= 3:
            threshold = 0.85
        else:
            threshold = 0.6
        if detection.confidence >= threshold:
            return detection
        return Detection(hint, 1.0 - detection.confidence)

    def _detect(self, text: str, help: LanguageHelp | None = None) -> Detection:
        arabic = len(_ARABIC_SCRIPT.findall(text))
        latin = len(_LATIN.findall(text))
        if arabic >= latin:
            return self._arabic_or_persian(text)
        arabizi = _arabizi_score(text)
        if arabizi >= 2.0:
            return Detection("ar", min(0.99, 0.6 + 0.1 * arabizi))
        scores = self._lingua(text, ("tr", "en"))
        turkish_letters = len(_TURKISH_LETTERS.findall(text))
        if turkish_letters:
            scores["tr"] = scores.get("tr", 0.0) + 0.5 * min(turkish_letters, 3)
        if arabizi >= 1.0:
            scores["ar"] = 0.45 * arabizi
        if help is not None and help.latin is not None:
            total = sum(scores.values()) or 1.0
            learned = dict(
                zip(help.latin.classes, help.latin.predict_proba(fold(text)), strict=True)
            )
            # one word says little to a char n-gram model: lean on lingua and the rules
            w = self._weight if len(text.split()) > 1 else self._weight * help.one_word_share
            scores = {
                lang: (1 - w) * scores.get(lang, 0.0) / total + w * float(learned.get(lang, 0.0))
                for lang in ("tr", "en", "ar", "fa")
            }
        return _best(scores)

    def _arabic_or_persian(self, text: str) -> Detection:
        words = _WORD.findall(text)
        persian = 2.0 * len(_PERSIAN_LETTERS.findall(text)) + 0.5 * len(
            _PERSIAN_KEYBOARD.findall(text)
        )
        arabic = 1.0 * len(_ARABIC_LETTERS.findall(text))
        persian += 1.5 * sum(1 for w in words if w in _PERSIAN_WORDS)
        arabic += 1.5 * sum(1 for w in words if w in _ARABIC_WORDS)
        # "می" + verb is the most frequent Persian marker, with or without a space
        persian += 1.5 * sum(1 for w in words if w.startswith("می") and len(w) > 3)
        scores = self._lingua(text, ("ar", "fa"))
        total = persian + arabic
        if total > 0:
            share_fa = persian / total
            weight = min(1.0, total / 4.0)
            scores["fa"] = (1 - weight) * scores.get("fa", 0.5) + weight * share_fa
            scores["ar"] = (1 - weight) * scores.get("ar", 0.5) + weight * (1 - share_fa)
        return _best(scores)

    def _lingua(self, text: str, allowed: tuple[str, ...]) -> dict[str, float]:
        values = self._detector.compute_language_confidence_values(text)
        scores = {
            _LINGUA[v.language]: float(v.value) for v in values if _LINGUA[v.language] in allowed
        }
        total = sum(scores.values())
        if total <= 0:
            return {lang: 1.0 / len(allowed) for lang in allowed}
        return {lang: value / total for lang, value in scores.items()}


def _without_places(text: str, help: LanguageHelp | None) -> str:
    """*text* without district names (unless that leaves nothing)."""
    if help is None or not help.places:
        return text
    kept = [w for w in text.split() if not _is_place(fold(w), help.places)]
    rest = " ".join(kept)
    return rest if any(ch.isalpha() for ch in rest) else text


def _is_place(word: str, places: frozenset[str]) -> bool:
    if word in places:
        return True
    # Turkish case endings on a name: "esenyurtta", "bagcilar da" is split already
    return any(word[:n] in places for n in range(max(4, len(word) - 4), len(word)))


def learn_language_help(data: TrainingData) -> LanguageHelp:
    """Fit the Latin-script model on the examples written in Latin letters."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # training only
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    texts: list[str] = []
    labels: list[str] = []
    for example in data.examples:
        if (
            example.language
            and _LATIN.search(example.text)
            and not _ARABIC_SCRIPT.search(example.text)
        ):
            texts.append(fold(example.text))
            labels.append(example.language)
    places = frozenset(
        word
        for name in [*data.lookups.get("district", [])]
        for word in fold(name).split()
        if len(word) >= 4
    )
    if len(set(labels)) < 3:
        return LanguageHelp(None, places)
    pipeline = Pipeline(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, lowercase=False
                ),
            ),
            ("model", LogisticRegression(C=10.0, max_iter=300, class_weight="balanced")),
        ]
    )
    pipeline.fit(texts, labels)
    return LanguageHelp(CompiledLinear(pipeline), places)


def _arabizi_score(text: str) -> float:
    """Evidence that Latin *text* is Arabic: digit-letters inside words and Arabizi words."""
    lowered = turkish_lower(text).replace("ı", "i")
    words = re.findall(r"[a-z0-9']+", lowered)
    digit_words = sum(
        1
        for w in words
        if _ARABIZI_DIGIT.search(w) and re.search("[a-z]", w) and not _NUMBER_WORD.match(w)
    )
    vocabulary = sum(1 for w in words if w in _ARABIZI_WORDS and w not in _NOT_ARABIZI)
    return 1.5 * digit_words + 1.0 * vocabulary


def _best(scores: dict[str, float]) -> Detection:
    total = sum(scores.values()) or 1.0
    language, value = max(scores.items(), key=lambda item: item[1])
    return Detection(language, value / total)
