"""Frames, Turkish negation in the verb, and thresholds chosen out of fold."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu import training_data
from bot.nlu.base import RiskLevel
from bot.nlu.risk import RiskDetector
from bot.nlu.risk_context import turkish_negated_verb
from bot.nlu.risk_decision import ListHit, Reading, RiskThresholds, combine, strongest
from bot.nlu.risk_lexicon import PhraseIndex, compile_phrase, tokenize
from bot.nlu.risk_model import ModelView
from bot.nlu.risk_tuning import (
    TARGETS,
    Row,
    measure,
    save_thresholds,
    search,
    shared_phrases_only,
)


@pytest.mark.parametrize(
    "text",
    [
        "haberlerde gördüm çok kişiyi sınır dışı etmişler",
        "saw on the news that they deport people from istanbul",
        "kızımın kimliği kayboldu ne yapmalıyım",
        "i lost my kimlik card yesterday, how do i get a new one",
        "ضاع الكيمليك تبع ابني شو لازم اعمل",
        "کیملیک پسرم گم شده چه کنم",
    ],
)
def test_a_framed_clause_does_not_escalate(lists: RiskDetector, text: str) -> None:
    assert lists.assess(text).level < RiskLevel.HIGH


@pytest.mark.parametrize(
    "text",
    [
        # the frame is in one clause, the disclosure in another
        "haberlerde gördüm. kocam beni dövüyor",
        "i saw it on the news, and my husband beats me every day",
        # imminent phrases are never framed away
        "yıllar önce oldu ama şimdi kocam beni öldürecek",
    ],
)
def test_a_disclosure_beside_a_frame_still_counts(lists: RiskDetector, text: str) -> None:
    assert lists.assess(text).level >= RiskLevel.HIGH, lists.assess(text)


@pytest.mark.parametrize(
    "text", ["kocam beni dovmuyor", "kendime zarar vermem", "babam bize vurmaz", "kimse dövmedi"]
)
def test_turkish_negation_inside_the_verb(lists: RiskDetector, text: str) -> None:
    risk = lists.assess(text)
    assert risk.level == RiskLevel.NONE, risk


@pytest.mark.parametrize("text", ["ölmek istiyorum", "kocam beni dövüyor", "beni dövmeye başladı"])
def test_not_every_m_after_a_stem_is_negation(lists: RiskDetector, text: str) -> None:
    assert lists.assess(text).level >= RiskLevel.HIGH, lists.assess(text)


@pytest.mark.parametrize(
    ("text", "negated"),
    [("ölmüyorum", True), ("ölmeyeceğim", True), ("ölmem lazım", False), ("ölmeyi", False)],
)
def test_turkish_negative_suffixes(text: str, negated: bool) -> None:
    pattern = compile_phrase("öl*", "tr", "self_harm", RiskLevel.HIGH)
    assert pattern is not None
    tokens, _ = tokenize(text)
    (match,) = PhraseIndex([pattern]).find(tokens)
    assert (turkish_negated_verb(tokens, match) is not None) is negated


@pytest.mark.parametrize(
    ("phrase", "text", "negated"),
    [
        # negation after a passive, inside the matched verb
        ("döv*", "dövülmedi", True),
        ("döv*", "dövüldü", False),
        ("kaçır*", "kaçırılmadı", True),
        ("döv*", "dövmemiş", True),
        # the negated light verb right after the phrase
        ("eşim ... gözaltı*", "eşim gözaltına alınmadı", True),
        ("eşim ... gözaltı*", "esim gozaltina alinmadi", True),
        ("eşim ... gözaltı*", "eşim gözaltına alındı", False),
        ("eşim ... gözaltı*", "eşimi gözaltına almadılar", False),  # "eşimi" is not "eşim"
        ("sınır dışı", "sinir disi edilmedik", True),
        ("sınır dışı", "sınır dışı edildik", False),
        # without a passive, only after a stem: "ölmek istiyorum olmaz mı" stays
        ("ölmek istiyorum", "ölmek istiyorum olmaz mı", False),
    ],
)
def test_turkish_negation_after_a_passive(phrase: str, text: str, negated: bool) -> None:
    pattern = compile_phrase(phrase, "tr", "detention_deportation", RiskLevel.HIGH)
    assert pattern is not None
    tokens, _ = tokenize(text)
    matches = PhraseIndex([pattern]).find(tokens)
    if not matches:
        assert not negated
        return
    assert (turkish_negated_verb(tokens, matches[0]) is not None) is negated


def _reading(p_risk: float, level: RiskLevel = RiskLevel.NONE) -> Reading:
    view = ModelView("domestic_violence", p_risk, 0.9, 0.0)
    return Reading(level, "domestic_violence" if level else None, (), view, 8)


def test_model_only_medium_is_unsure_but_a_listed_medium_is_not() -> None:
    t = RiskThresholds(medium=0.3, high=0.6)
    asked = combine(_reading(0.4), t)
    assert (asked.level, asked.unsure) == (RiskLevel.MEDIUM, True)
    listed = Reading(RiskLevel.MEDIUM, "basic_needs", ("lexicon:x",), None, 8)
    assert combine(listed, t).unsure is False


def test_search_keeps_the_recall_targets_and_lowers_false_alarms() -> None:
    # disclosures the model sees at 0.5-0.95; safe messages at 0.1-0.45
    risky = [
        Row(f"r{i}", RiskLevel.HIGH, "domestic_violence", "risk", _reading(0.5 + i / 220))
        for i in range(100)
    ]
    safe = [
        Row(f"s{i}", RiskLevel.NONE, None, "intent", _reading(0.1 + i / 300)) for i in range(100)
    ]
    chosen, measured, _ = search([*risky, *safe])
    assert measured["high_recall"] >= TARGETS["high_recall"]
    assert measured["false_escalation"] == 0.0
    # a lower threshold would have escalated safe messages
    assert measure([*risky, *safe], RiskThresholds(high=0.3))["false_escalation"] > 0
    assert chosen.high > 0.3


def test_a_phrase_that_hits_one_disclosure_only_is_not_credited_on_it() -> None:
    def row(text: str, level: RiskLevel, hits: tuple[ListHit, ...]) -> Row:
        evidence = tuple(f"lexicon:{h.name}" for h in hits)
        top = max((h.level for h in hits), default=RiskLevel.NONE)
        reading = Reading(top, "self_harm" if top else None, evidence, None, 5, hits=hits)
        return Row(text, level, "self_harm" if level else None, "risk", reading)

    shared = ListHit("en:self_harm:high:want to die", RiskLevel.HIGH, "self_harm")
    single = ListHit("en:self_harm:imminent:the bridge tonight", RiskLevel.IMMINENT, "self_harm")
    roof = ListHit("en:self_harm:imminent:the roof tonight", RiskLevel.IMMINENT, "self_harm")
    # a negation nearby lowered this imminent phrase to high where it counted
    lowered = ListHit("en:self_harm:imminent:took the pills", RiskLevel.HIGH, "self_harm")
    rows = [
        row("a", RiskLevel.IMMINENT, (shared, single)),
        row("b", RiskLevel.HIGH, (shared, lowered)),
        row("c", RiskLevel.IMMINENT, (roof,)),
        row("d", RiskLevel.NONE, (single,)),  # a risk-free row keeps what it has
        row("e", RiskLevel.HIGH, (lowered,)),
    ]
    honest = shared_phrases_only(rows)
    assert (honest[0].reading.level, honest[0].reading.evidence) == (
        RiskLevel.HIGH,
        (f"lexicon:{shared.name}",),
    )
    assert honest[0].reading.hits == (shared,)
    # both phrases hit two disclosures: kept, the lowered one at the level it counted for
    assert honest[1].reading == rows[1].reading
    assert honest[4].reading.level == RiskLevel.HIGH
    assert (honest[2].reading.level, honest[2].reading.category) == (RiskLevel.NONE, None)
    assert honest[3] is rows[3]


def test_a_reading_names_the_phrases_behind_its_level(lists: RiskDetector) -> None:
    reading = lists.read("i want to kill myself tonight")
    assert reading is not None and reading.hits
    assert max(h.level for h in reading.hits) == reading.level
    assert {f"lexicon:{h.name}" for h in reading.hits} == {
        e for e in reading.evidence if e.startswith("lexicon:")
    }


def test_thresholds_file_is_read_by_training(tmp_path: Path) -> None:
    data_dir = tmp_path / "nlu"
    (data_dir / "risk").mkdir(parents=True)
    save_thresholds(RiskThresholds(high=0.7), data_dir / "risk" / "thresholds.yml", "a note")
    assert training_data.load(data_dir).risk.thresholds["high"] == 0.7
    (data_dir / "risk" / "thresholds.yml").write_text("thresholds: {hgh: 0.7}\n")
    data = training_data.load(data_dir)
    with pytest.raises(ValueError, match="hgh"):
        RiskDetector(data, None)


@pytest.mark.parametrize(
    "text",
    [
        "otobuste kizimin montu kayboldu kayip esya burosu nerede",
        "بنتي ضاعت لعبتها بالحديقة",
        "کیف پسرم در مکتب گم شد",
    ],
)
def test_a_childs_lost_belongings_are_not_a_missing_child(lists: RiskDetector, text: str) -> None:
    assert lists.assess(text).level == RiskLevel.NONE


@pytest.mark.parametrize(
    "text",
    [
        "how long do we have to appeal a deportation order, general question",
        "sinir disi kararina nasil itiraz edilir, genel bilgi icin",
        "شو بيصير بعد قرار الترحيل، سؤال عام مش النا",
        "حکم دیپورت را چطور اعتراض کنند، سوال عمومی است",
    ],
)
def test_a_question_about_the_subject_in_another_clause_is_a_worry_not_a_case(
    lists: RiskDetector, text: str
) -> None:
    risk = lists.assess(text)
    assert risk.level <= RiskLevel.MEDIUM, risk.evidence


def test_a_general_question_beside_a_disclosure_never_drops_it_below_a_worry(
    lists: RiskDetector,
) -> None:
    risk = lists.assess("my husband beats me every night, general question about my rights")
    assert risk.level >= RiskLevel.MEDIUM
    # imminent is never lowered by a topic elsewhere
    told = lists.assess("they are taking us to the removal centre now, general question")
    assert told.level == RiskLevel.IMMINENT


def test_the_category_is_the_harm_a_caseworker_acts_on_first() -> None:
    beaten = ListHit(
        "tr:domestic_violence:high:kocam ... döv*", RiskLevel.HIGH, "domestic_violence"
    )
    bruised = ListHit(
        "tr:medical_emergency:imminent:mosmor", RiskLevel.IMMINENT, "medical_emergency"
    )
    son = ListHit("tr:child_abuse:high:oğlumu ... döv*", RiskLevel.HIGH, "child_abuse")
    burnt = ListHit("en:self_harm:high:burn myself", RiskLevel.HIGH, "self_harm")
    # the injury keeps its level, the case is filed under who caused it
    assert strongest([bruised, beaten]) == (RiskLevel.IMMINENT, "domestic_violence")
    # a child hurt in violence at home is child abuse, at the same level
    assert strongest([beaten, son]) == (RiskLevel.HIGH, "child_abuse")
    # unless more phrases tell of violence against the writer ("he beat me with a stick")
    me = ListHit("en:domestic_violence:high:beat me", RiskLevel.HIGH, "domestic_violence")
    stick = ListHit("en:child_abuse:high:with a stick", RiskLevel.HIGH, "child_abuse")
    assert strongest([beaten, me, stick]) == (RiskLevel.HIGH, "domestic_violence")
    # a higher domestic-violence hit keeps its category
    threat = ListHit("en:domestic_violence:imminent:knife", RiskLevel.IMMINENT, "domestic_violence")
    assert strongest([son, threat]) == (RiskLevel.IMMINENT, "domestic_violence")
    # a medical emergency on its own, or beside self-harm, stays medical
    assert strongest([bruised]) == (RiskLevel.IMMINENT, "medical_emergency")
    assert strongest([bruised, burnt]) == (RiskLevel.IMMINENT, "medical_emergency")
    assert strongest([]) == (RiskLevel.NONE, None)
    # in a message that names a partner or an in-law and no child, a stick is violence at
    # home against the writer
    assert strongest([stick], adults_only=True) == (RiskLevel.HIGH, "domestic_violence")
    assert strongest([beaten, son], adults_only=True) == (RiskLevel.HIGH, "domestic_violence")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("kocamin kumasi beni her gun sopayla dovuyor", "domestic_violence"),
        ("حماتي بتضربني بالعصاية كل يوم وجوزي ساكت", "domestic_violence"),
        ("my husband beats me with a belt every night", "domestic_violence"),
        ("شوهرم منو کتک میزنه و جای کمربند رو بدنمه", "domestic_violence"),
        # a child named, or a child's age, or a parent (the writer may be a child)
        ("my husband beats my son with a belt every night", "child_abuse"),
        ("kocam ara sira cocuga tokat atiyor", "child_abuse"),
        ("جوزي قال رح يقتل الولد تعالو بسرعة", "child_abuse"),
        ("babam beni sopayla dovuyor", "child_abuse"),
    ],
)
def test_violence_against_the_writer_is_told_from_violence_against_a_child(
    lists: RiskDetector, text: str, category: str
) -> None:
    risk = lists.assess(text)
    assert risk.level >= RiskLevel.MEDIUM, risk
    assert risk.category == category, risk


@pytest.mark.parametrize(
    "text",
    [
        # English: the heat, an exam, a boss when one is late, longing, laughter, iftar, joy
        "this heat will kill me",
        "the traffic will kill me, i am always late",
        "this exam will kill me",
        "my boss will kill me if i'm late again",
        "i'm dying to see my mother again",
        "dying of laughter at my son",
        "we are dying of hunger before iftar",
        "i was dying of embarrassment at the school meeting",
        "my heart melted when he said mama",
        "the kids are killing me with their questions",
        # Turkish, with and without its letters
        "sıcaktan öldüm",
        "sicaktan oldum bugun",
        "gulmekten oldum",
        "açlıktan ölüyorum iftara az kaldı",
        "bu sınav beni öldürecek",
        "patronum beni öldürecek geç kalırsam",
        "cildiracagim bu cocuklarla",
        "kafayi yiyecegim bu kiradan",
        "olurum sana kuzum",
        "kurban olayim sana",
        # Arabic dialects and Arabizi
        "تقبرني يا روحي",
        "يقبرني شو حلو",
        "yo2borni shu helo",
        "to2borni ya albi",
        "بموت فيك يا بنتي",
        "قلبي انحرق عليه لما بكى",
        "فدوة لعيونك",
        "هالشوب رح يقتلني",
        "متت من الضحك",
        # Persian: Dari, Iranian and Finglish
        "دلم آتیش گرفت وقتی گریه کرد",
        "مردم از خنده",
        "این گرما منو میکشه",
        "in garma mano mikoshe",
        "mordam az khande",
        "dagh kardam az dast bacheha",
        "jonam bala omad",
        "دارم از گشنگی میمیرم تا افطار",
    ],
)
def test_a_figure_of_speech_is_not_a_disclosure(lists: RiskDetector, text: str) -> None:
    risk = lists.assess(text)
    assert risk.level < RiskLevel.HIGH, risk.evidence


@pytest.mark.parametrize(
    "text",
    [
        # the danger word of an idiom, said of a person, stays a disclosure
        "my husband said he will kill me tonight",
        "he will kill me",
        "this heat is awful, and my husband will kill me tonight",
        "kocam bu gece beni öldüreceğini söyledi",
        "kocam beni öldürecek",
        "sicaktan oldum. kocam beni dovuyor",
        "قال رح يقتلني",
        "جوزي قال رح يقتلني الليلة",
        "زوجي بدو يقتلني",
        "شوهرم گفت امشب منو میکشه",
        "شوهرم منو میکشه",
        "shoharam goft emshab mano mikoshe",
    ],
)
def test_the_danger_word_of_an_idiom_still_discloses(lists: RiskDetector, text: str) -> None:
    risk = lists.assess(text)
    assert risk.level >= RiskLevel.HIGH, risk.evidence


def test_an_idiom_sets_aside_only_the_words_it_holds(lists: RiskDetector) -> None:
    # "my son got burnt, and my heart burned for him when he cried": one clause, and the
    # burn is a disclosure beside the figure of speech
    told = lists.assess("ابني انحرق وقلبي انحرق عليه لما بكى")
    assert told.level == RiskLevel.IMMINENT, told.evidence
    assert lists.assess("قلبي انحرق عليه لما بكى").level < RiskLevel.HIGH
