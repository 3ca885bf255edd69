"""Risk: lexicon mechanics on the fixture lists, then disclosures on the full model."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.base import RiskLevel
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.model_store import TrainedNLU
from bot.nlu.normalise import fold
from bot.nlu.risk import RiskDetector
from bot.nlu.risk_lexicon import NegationCues, PhraseIndex, compile_phrase
from bot.nlu.training_data import load

REAL_DATA = Path(__file__).resolve().parents[2] / "nlu"


@pytest.fixture(scope="module")
def lexicon(small_model: TrainedNLU) -> RiskDetector:
    """The fixture phrase lists alone (no model), to test matching rules exactly."""
    return RiskDetector(small_model.data, None)


def test_prefix_and_gap(lexicon: RiskDetector) -> None:
    risk = lexicon.assess("Kocam dün gece yine beni dövdü")
    assert (risk.level, risk.category) == (RiskLevel.HIGH, "domestic_violence")
    assert "lexicon:tr:domestic_violence:high:kocam ... döv*" in risk.evidence
    # more than four words in the gap: no match
    assert lexicon.assess("kocam bir iki üç dört beş kez dövdü").level == RiskLevel.NONE


def test_folded_matching(lexicon: RiskDetector) -> None:
    assert lexicon.assess("KOCAM BENI DOVUYOR").level == RiskLevel.HIGH
    assert lexicon.assess("بدهم يزوجوا بنتي").category == "child_marriage"


def test_imminent_beats_high(lexicon: RiskDetector) -> None:
    risk = lexicon.assess("my husband said he will kill me tonight, he hit me")
    assert risk.level == RiskLevel.IMMINENT


def test_clear_negation_drops(lexicon: RiskDetector) -> None:
    risk = lexicon.assess("my husband does not hit me")
    assert risk.level == RiskLevel.NONE
    assert any(e.startswith("negated:") for e in risk.evidence)
    assert lexicon.assess("kocam beni dövmüyor").level == RiskLevel.NONE


def test_negation_that_is_part_of_the_phrase_does_not_cancel(lexicon: RiskDetector) -> None:
    # "yiyecek yok" contains the cue "yok"
    assert lexicon.assess("evde yiyecek yok").level == RiskLevel.HIGH


def test_distant_negation_only_lowers(lexicon: RiskDetector) -> None:
    risk = lexicon.assess("I am not sure he beats me")
    assert risk.level == RiskLevel.MEDIUM  # lowered one level, not dropped
    # in another clause the cue negates something else
    assert lexicon.assess("I am not sure, he beats me").level == RiskLevel.HIGH


def test_hard_negative(lexicon: RiskDetector) -> None:
    risk = lexicon.assess("parenting course what does it say about violence")
    assert risk.level == RiskLevel.NONE
    risk = lexicon.assess("kursta şiddet gördüm hakkında")  # hit outside the hard negative
    assert risk.level == RiskLevel.HIGH


def test_folding_does_not_turn_a_common_word_into_a_risk_word(lexicon: RiskDetector) -> None:
    # "ölüyor" (is dying) folds to "oluyor" (happens), a word the safe examples use
    assert lexicon.assess("kimlik süresi doluyor uzatma nasil oluyor").level == RiskLevel.NONE
    assert lexicon.assess("annem ölüyor").level == RiskLevel.IMMINENT


def test_evidence_never_carries_the_message(lexicon: RiskDetector) -> None:
    text = "my husband hit me and my name is Leyla from Fatih"
    risk = lexicon.assess(text)
    assert risk.evidence
    assert not any("Leyla" in e or "Fatih" in e for e in risk.evidence)


def test_phrase_index_directly() -> None:
    pattern = compile_phrase("kocam ... döv*", "tr", "domestic_violence", RiskLevel.HIGH)
    assert pattern is not None
    index = PhraseIndex([pattern])
    assert len(index.find(["kocam", "beni", "dovuyor"])) == 1
    assert index.find(["kocam", "beni", "seviyor"]) == []
    cues = NegationCues(["değil", "doesn't"])
    match = index.find(["kocam", "beni", "dovuyor", "degil"])[0]
    assert cues.negates(["kocam", "beni", "dovuyor", "degil"], match) == ("degil", True)


# One disclosure per category in every language, written for this test (not in nlu/).
DISCLOSURES = {
    "self_harm": {
        "tr": "artık yaşamak istemiyorum kendimi öldürmek istiyorum",
        "ar": "ما بدي عيش بعد، بدي اقتل حالي",
        "en": "i want to kill myself, i cant go on",
        "fa": "میخواهم خودم را بکشم دیگر نمیتوانم",
    },
    "child_abuse": {
        "tr": "komşu kızıma cinsel tacizde bulundu",
        "ar": "جوز امي عم يضرب ابني الصغير كل يوم بالحزام",
        "en": "my brother in law touches my daughter sexually",
        "fa": "ناپدری پسرم را هر روز با کمربند میزند",
    },
    "domestic_violence": {
        "tr": "kocam beni her gün dövüyor",
        "ar": "زوجي بيضربني كل يوم",
        "en": "my husband beats me every night",
        "fa": "شوهرم هر شب مرا کتک میزند",
    },
    "child_marriage": {
        "tr": "13 yaşındaki kızımı zorla evlendirmek istiyorlar",
        "ar": "بدهم يزوجوا بنتي وعمرها ١٣ سنة",
        "en": "they are forcing my 14 year old daughter to marry an older man",
        "fa": "میخواهند دختر ۱۳ ساله ام را به زور شوهر بدهند",
    },
    "child_labour": {
        "tr": "12 yaşındaki oğlum okula gitmiyor tekstil atölyesinde çalışıyor",
        "ar": "ابني عمره ١١ سنة بيشتغل بورشة بدل المدرسة",
        "en": "my 10 year old son works in a workshop all day instead of school",
        "fa": "پسر ۱۱ ساله ام به جای مکتب در کارگاه کار میکند",
    },
    "trafficking_exploitation": {
        "tr": "patron pasaportumu aldı maaş vermiyor gitmeme izin vermiyor",
        "ar": "صاحب الشغل اخد جوازي وما بيدفعلي وما بيخليني اطلع",
        "en": "my boss took my passport and does not pay me and i cannot leave",
        "fa": "صاحب کار پاسپورتم را گرفته و پول نمیدهد و نمیگذارد بروم",
    },
    "missing_child": {
        "tr": "oğlum kayboldu dünden beri bulamıyoruz",
        "ar": "ابني ضايع من امبارح وما لقيناه",
        "en": "my son is missing since yesterday we cannot find him",
        "fa": "پسرم از دیروز گم شده پیدایش نمیکنیم",
    },
    "medical_emergency": {
        "tr": "bebeğim nefes alamıyor ne yapayım",
        "ar": "ابني ما عم يتنفس وفقد الوعي",
        "en": "my baby is not breathing and turning blue",
        "fa": "بچه ام نفس نمیکشد و بیهوش شده",
    },
    "basic_needs": {
        "tr": "çocuklarla sokakta kaldık yiyecek hiçbir şey yok",
        "ar": "نحنا نايمين بالشارع مع الولاد وما في اكل",
        "en": "we are sleeping on the street with the kids and have no food",
        "fa": "با بچه ها در خیابان میخوابیم و غذا نداریم",
    },
    "detention_deportation": {
        "tr": "kocamı polis gözaltına aldı geri gönderme merkezine götürdüler",
        "ar": "الشرطة مسكوا زوجي وأخدوه على مركز الترحيل",
        "en": "police detained my husband and took him to the removal centre",
        "fa": "پلیس شوهرم را گرفت و به کمپ دیپورت برد",
    },
}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("category", "language"),
    [(c, lang) for c in DISCLOSURES for lang in ("tr", "ar", "en", "fa")],
)
def test_disclosure_in_every_language(full_nlu: EmbeddedNLU, category: str, language: str) -> None:
    risk = full_nlu.parse(DISCLOSURES[category][language]).risk
    assert risk.level >= RiskLevel.MEDIUM, (category, language, risk)
    assert risk.evidence
    assert risk.category is not None


@pytest.mark.slow
def test_imminent_and_high_on_the_full_lists(full_nlu: EmbeddedNLU) -> None:
    assert full_nlu.parse("kendimi öldüreceğim bu gece").risk.level == RiskLevel.IMMINENT
    assert full_nlu.parse("I want to kill myself tonight").risk.level == RiskLevel.IMMINENT
    assert full_nlu.parse("my husband hits me").risk.level >= RiskLevel.HIGH


@pytest.mark.slow
def test_hard_negative_and_negation_on_the_full_lists(full_nlu: EmbeddedNLU) -> None:
    about = full_nlu.parse("ebeveynlik kursunda şiddet hakkında ne anlatılıyor").risk
    assert about.level < RiskLevel.HIGH
    negated = full_nlu.parse("my husband does not hit me, we need help with rent").risk
    assert negated.level < RiskLevel.HIGH


@pytest.mark.slow
def test_risk_with_another_intent(full_nlu: EmbeddedNLU) -> None:
    result = full_nlu.parse("I need a lawyer, my husband beats me every day")
    assert result.risk.level >= RiskLevel.HIGH
    assert result.risk.category == "domestic_violence"
    assert result.entity("service_category") == "legal"


def test_every_turkish_phrase_matches_without_its_letters() -> None:
    """People type "esim beni dovuyor": each reviewed phrase must match its ASCII
    spelling, except a word on the list's short ``homographs`` list."""
    data = load(REAL_DATA)
    detector = RiskDetector(data, None)
    homographs = set(data.risk.homographs.get("tr", ()))
    checked, missed = 0, []
    for phrase in data.risk.phrases:
        words = [w.rstrip("*") for w in phrase.pattern.split() if w.strip(".…")]
        ascii_text = fold(" ".join(words))
        if ascii_text == " ".join(words).lower() or phrase.language != "tr":
            continue
        if homographs & set(ascii_text.split()):
            continue
        checked += 1
        evidence = f"lexicon:tr:{phrase.category}:{phrase.level.label}:{phrase.pattern}"
        if evidence not in detector.assess(ascii_text).evidence:
            missed.append(phrase.pattern)
    assert checked > 500
    assert missed == []


def test_a_homograph_matches_only_as_spelled() -> None:
    detector = RiskDetector(load(REAL_DATA), None)
    assert detector.assess("annem ölüyor").level == RiskLevel.IMMINENT
    assert detector.assess("annem oluyor").level == RiskLevel.NONE
    # not a homograph: the ASCII spelling is the same word
    assert detector.assess("esim beni dovuyor").level >= RiskLevel.HIGH
    assert detector.assess("14 yasinda kizimi evlendiriyorlar").category == "child_marriage"


@pytest.fixture(scope="module")
def real_lexicon() -> RiskDetector:
    return RiskDetector(load(REAL_DATA), None)


@pytest.mark.parametrize(
    "text",
    [
        "kizim 25 yasinda nikah icin hangi belgeler",
        "بنتي عمرها 24 وبدها تتزوج شو الاوراق المطلوبة",
        "my eldest daughter is 23 and engaged, how do we register the nikah",
        "دخترم ۲۵ ساله است عروسی میکنه چی مدارک لازم است",
    ],
)
def test_an_adults_wedding_is_not_child_marriage(real_lexicon: RiskDetector, text: str) -> None:
    risk = real_lexicon.assess(text)
    assert risk.level == RiskLevel.NONE
    assert any(e.startswith("adult_age:") for e in risk.evidence)


@pytest.mark.parametrize(
    "text",
    [
        "kizim 14 yasinda nikah kiyacaklar",
        "14 yaşındaki kızımı 40 yaşında biriyle nikahlayacaklar",  # a child's age is there too
        "بدهم يزوجوا بنتي عمرها 13",
    ],
)
def test_a_childs_age_keeps_the_disclosure(real_lexicon: RiskDetector, text: str) -> None:
    risk = real_lexicon.assess(text)
    assert (risk.level, risk.category) == (RiskLevel.HIGH, "child_marriage")


def test_a_question_about_an_imminent_word_asks_instead(real_lexicon: RiskDetector) -> None:
    asked = real_lexicon.assess("what is a removal centre")
    assert asked.level == RiskLevel.MEDIUM
    assert any(e.startswith("framed_imminent:") for e in asked.evidence)
    told = real_lexicon.assess("they are taking us to the removal centre now")
    assert told.level == RiskLevel.IMMINENT


def test_a_several_word_cue_inside_the_phrase_does_not_cancel(real_lexicon: RiskDetector) -> None:
    # "don't" folds to the cue "don t", which is the phrase's own words here
    assert real_lexicon.assess("i don't want to live anymore").level == RiskLevel.HIGH
    assert real_lexicon.assess("i don't hurt myself, don't worry").level < RiskLevel.HIGH


def test_persian_verb_negated_with_nemi_lowers(real_lexicon: RiskDetector) -> None:
    assert real_lexicon.assess("به خودم آسیب نمیرسانم تشویش نکنید").level == RiskLevel.MEDIUM
    assert real_lexicon.assess("میخواهم به خودم آسیب برسانم").level == RiskLevel.HIGH
    # a negated verb that does not touch the phrase changes nothing
    assert real_lexicon.assess("شوهرم مرا میزند و نمیگذارد بیرون بروم").level == RiskLevel.HIGH


@pytest.mark.parametrize(
    "text",
    [
        # a negation in the next clause, or after the phrase in Arabic or English, is
        # another thought ("I can't any more", "nobody try"), not the phrase negated
        "bade mout, ma 3ad fiye",
        "بدي موت ما بقى فيني اتحمل",
        "i locked the bathroom door and i have the razor, nobody try",
        "the boss took our passports and wont pay",
    ],
)
def test_a_negation_after_the_phrase_in_another_thought_does_not_cancel(
    real_lexicon: RiskDetector, text: str
) -> None:
    risk = real_lexicon.assess(text)
    assert risk.level >= RiskLevel.HIGH, risk.evidence
    assert not any(e.startswith("negated:") for e in risk.evidence)


def test_a_negation_right_after_the_phrase_still_counts_in_verb_final_languages(
    real_lexicon: RiskDetector,
) -> None:
    assert real_lexicon.assess("esim beni dovmuyor").level == RiskLevel.NONE
    assert real_lexicon.assess("زوجي ما بيضربني").level == RiskLevel.NONE
    assert real_lexicon.assess("my husband doesnt hit me").level == RiskLevel.NONE


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("simdi kendimi kopruden atacagim", RiskLevel.IMMINENT),
        ("alan mikham khodam ra az pol bendazam", RiskLevel.IMMINENT),
        ("میخوام خودمو از پل بندازم", RiskLevel.IMMINENT),
        ("zawja ysabb benzin 3al bet w 3alayna", RiskLevel.IMMINENT),
        ("داره روی مادرم بنزین میریزه", RiskLevel.IMMINENT),
        ("he is pouring petrol on my mother", RiskLevel.IMMINENT),
        ("they arranged my marriage and i am only 14", RiskLevel.HIGH),
        ("arabaya benzin koydum", RiskLevel.NONE),
        ("my husband poured petrol on the car engine", RiskLevel.NONE),
        ("my brother is 30, we arranged his marriage, where do we register it", RiskLevel.NONE),
        ("pol e ataturk kuja ast", RiskLevel.NONE),
    ],
)
def test_jumping_from_a_bridge_petrol_and_an_arranged_marriage_are_on_the_lists(
    real_lexicon: RiskDetector, text: str, level: RiskLevel
) -> None:
    # gaps a fresh set showed after the core-emergencies audit; each beside a look-alike
    assert real_lexicon.assess(text).level == level


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("2 gundur cocuklar bisey yemedi evde hic yemek yok", RiskLevel.HIGH),
        ("hic paramiz kalmadi yemek yok", RiskLevel.HIGH),
        ("oglum hic nefes almiyor", RiskLevel.IMMINENT),
    ],
)
def test_a_negation_beside_a_phrase_that_tells_of_an_absence_stresses_it(
    real_lexicon: RiskDetector, text: str, level: RiskLevel
) -> None:
    # negative concord: "hiç ... yok" is "none at all", never "not none"
    assert real_lexicon.assess(text).level == level


@pytest.mark.parametrize(
    ("text", "most"),
    [
        ("what number is the jandarma", RiskLevel.MEDIUM),
        ("bade mout mn el da7ek 3ala hal video", RiskLevel.NONE),
        ("بدي موت من الضحك على ابني", RiskLevel.NONE),
    ],
)
def test_a_service_name_or_an_idiom_alone_is_not_a_disclosure(
    real_lexicon: RiskDetector, text: str, most: RiskLevel
) -> None:
    assert real_lexicon.assess(text).level <= most
