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


def test_an_arabizi_phrase_matches_other_vowels() -> None:
    def index(phrase: str, arabizi: bool = True) -> PhraseIndex:
        pattern = compile_phrase(phrase, "ar", "missing_child", RiskLevel.IMMINENT, arabizi=arabizi)
        assert pattern is not None
        return PhraseIndex([pattern])

    lost = index("ebni da3*")
    for spelling in ("ebni da3", "ebne da3", "ibni daa3", "ibne da3et", "ebnii d3"):
        assert len(lost.find(spelling.split())) == 1, spelling
    # another consonant or a missing word is another word
    assert lost.find(["ebni", "ra7"]) == []
    # the letter digit must be there: Turkish "bana da" shares the skeleton of "ebni" only
    assert lost.find(["bana", "da"]) == []
    # a phrase without a letter digit, or not asked to, matches only as written
    plain = index("ebni mafi")
    assert plain.find(["ebne", "mafi"]) == []
    assert index("ebni da3", arabizi=False).find(["ebne", "da3"]) == []
    # numbers are not words: "112" never matches "12"
    assert index("ra2am 112").find(["ra2am", "12"]) == []


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


def test_finglish_wishes_to_die_and_their_negations(real_lexicon: RiskDetector) -> None:
    assert real_lexicon.assess("dige nemikham zendegi konam").level == RiskLevel.HIGH
    assert real_lexicon.assess("khaste shodam mikham bemiram").level == RiskLevel.HIGH
    assert real_lexicon.assess("emshab khodamo mikosham").level == RiskLevel.IMMINENT
    assert real_lexicon.assess("fekr khodkoshi nadaram faqat khab nadaram").level == RiskLevel.NONE


def test_a_persian_phrase_that_is_a_negated_verb_keeps_its_meaning(
    real_lexicon: RiskDetector,
) -> None:
    # "the baby has not moved at all": هیچ stresses the phrase's own negation
    told = real_lexicon.assess("۷ ماهه حامله ام بچه دو روزه هیچ تکان نخورده")
    assert told.level == RiskLevel.IMMINENT
    # "has swallowed the pills" against "has not": the negated verb is another word
    assert real_lexicon.assess("پسرم قرص ها را خورده").level == RiskLevel.IMMINENT
    assert real_lexicon.assess("پسرم قرص ها را نخورده فقط ترسیدیم").level < RiskLevel.HIGH


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


# Recall audit (risklists): serious disclosures fresh messages missed, each kind in every
# language and script (Turkish without its letters, Levantine/Iraqi/Gulf Arabic and Arabizi,
# Dari/Iranian Persian and Finglish), written for this test, not taken from nlu/.
AUDIT_DISCLOSURES = [
    (
        "a man on tiktok is asking my 12 year old daughter to send naked photos",
        RiskLevel.HIGH,
        "child_abuse",
    ),
    (
        "someone on instagram asked my son to take off his clothes on camera",
        RiskLevel.HIGH,
        "child_abuse",
    ),
    ("a stranger in a game sent sexual pictures to my daughter", RiskLevel.HIGH, "child_abuse"),
    (
        "a man is threatening to share my daughter's photos if she doesnt send more",
        RiskLevel.HIGH,
        "child_abuse",
    ),
    ("some guy on whatsapp keeps asking my daughter for nudes", RiskLevel.HIGH, "child_abuse"),
    ("a man online told my son to undress on video call", RiskLevel.HIGH, "child_abuse"),
    (
        "a man she met online is meeting my 13 year old daughter secretly tonight",
        RiskLevel.IMMINENT,
        "child_abuse",
    ),
    (
        "tiktokta bir adam 12 yaşındaki kızımdan çıplak fotoğraf istiyor",
        RiskLevel.HIGH,
        "child_abuse",
    ),
    ("instagramda biri oğluma kamerada soyunmasını söylemiş", RiskLevel.HIGH, "child_abuse"),
    (
        "oyunda tanıştığı bir adam kızıma müstehcen resimler gönderiyor",
        RiskLevel.HIGH,
        "child_abuse",
    ),
    ("adam kızımın fotoğraflarını yaymakla tehdit ediyor", RiskLevel.HIGH, "child_abuse"),
    ("bir adam kizimdan ciplak foto istiyor", RiskLevel.HIGH, "child_abuse"),
    ("biri oglumu kamerada soyunmaya zorluyor", RiskLevel.HIGH, "child_abuse"),
    (
        "internetten tanistigi adam bu gece kizimla gizlice bulusacak",
        RiskLevel.IMMINENT,
        "child_abuse",
    ),
    ("في رجال عالتيك توك عم يطلب من بنتي صور عارية", RiskLevel.HIGH, "child_abuse"),
    ("واحد عالانستغرام طلب من ابني يشلح تيابه عالكاميرا", RiskLevel.HIGH, "child_abuse"),
    ("رجل غريب بعت صور جنسية لبنتي عالواتساب", RiskLevel.HIGH, "child_abuse"),
    ("عم يهدد بنتي انو ينشر صورها", RiskLevel.HIGH, "child_abuse"),
    ("واحد بالانستا دا يطلب من بنتي صور عريانه", RiskLevel.HIGH, "child_abuse"),
    ("واحد في السناب يبي من بنتي صور عاريه", RiskLevel.HIGH, "child_abuse"),
    ("fi wa7ad 3al tiktok 3am yotlob men binti sowar 3arye", RiskLevel.HIGH, "child_abuse"),
    ("zalame 3al insta talab men ebni yshle7 tyabo 3al camera", RiskLevel.HIGH, "child_abuse"),
    ("3am yhadded binti ynshor sowara", RiskLevel.HIGH, "child_abuse"),
    ("الزلمة يلي تعرف عليها عالنت بدو يلتقي ببنتي الليلة بالسر", RiskLevel.IMMINENT, "child_abuse"),
    ("یک مرد در تیک تاک از دخترم عکس لخت میخواهد", RiskLevel.HIGH, "child_abuse"),
    ("یکی در اینستاگرام به پسرم گفته جلوی دوربین لباساشو در بیاره", RiskLevel.HIGH, "child_abuse"),
    ("مردی برای دخترم عکسهای جنسی فرستاده", RiskLevel.HIGH, "child_abuse"),
    ("تهدید میکند که عکسهای دخترم را پخش میکند", RiskLevel.HIGH, "child_abuse"),
    ("ye mard too instagram az dokhtaram axe lokht mikhad", RiskLevel.HIGH, "child_abuse"),
    ("tahdid mikone axaye dokhtaramo pakhsh kone", RiskLevel.HIGH, "child_abuse"),
    ("یک نفر از پسرم عکس برهنه خواسته", RiskLevel.HIGH, "child_abuse"),
    (
        "مردی که در اینترنت با دخترم آشنا شده امشب میخواهد مخفیانه او را ببیند",
        RiskLevel.IMMINENT,
        "child_abuse",
    ),
    ("jaarna 3am yitle3 3leha la binti", RiskLevel.HIGH, "child_abuse"),
    ("3amo 3am y2zi binti jinsiyan", RiskLevel.HIGH, "child_abuse"),
    ("ibn 3ammo lamas ebni bi amaken 7assase", RiskLevel.HIGH, "child_abuse"),
    ("el jar 3am yet7arrash bi binti", RiskLevel.HIGH, "child_abuse"),
    ("3tada 3ala binti", RiskLevel.HIGH, "child_abuse"),
    ("شوهر خواهرم دست میزنه به جاهای خصوصی دخترم", RiskLevel.HIGH, "child_abuse"),
    ("shohare khaharam dast mizane be jahaye khosusi dokhtaram", RiskLevel.HIGH, "child_abuse"),
    ("be pesaram taarroz karde", RiskLevel.HIGH, "child_abuse"),
    ("be dokhtaram tajavoz karde", RiskLevel.HIGH, "child_abuse"),
    ("hamsaye be dokhtaram dast zade", RiskLevel.HIGH, "child_abuse"),
    (
        "my husband punched me in the face and i have a black eye",
        RiskLevel.HIGH,
        "domestic_violence",
    ),
    ("bruises all over my body from my husband", RiskLevel.HIGH, "domestic_violence"),
    ("my husband split my lip", RiskLevel.HIGH, "domestic_violence"),
    ("kocam yüzüme yumruk attı gözüm morardı", RiskLevel.HIGH, "domestic_violence"),
    ("kocam vurdu her yerim morluk içinde", RiskLevel.HIGH, "domestic_violence"),
    ("esim yumruk atti dudagim patladi", RiskLevel.HIGH, "domestic_violence"),
    ("جوزي ضربني بوكس عوجهي وعيني زرقا", RiskLevel.HIGH, "domestic_violence"),
    ("كل جسمي كدمات من جوزي", RiskLevel.HIGH, "domestic_violence"),
    ("jozi darabni boks 3a wijje", RiskLevel.HIGH, "domestic_violence"),
    ("zawji daraba bi boks", RiskLevel.HIGH, "domestic_violence"),
    ("3ayni zar2a mn darb jozi", RiskLevel.HIGH, "domestic_violence"),
    ("زوجي راشدني بوكس على وجهي", RiskLevel.HIGH, "domestic_violence"),
    ("شوهرم با مشت به صورتم زد", RiskLevel.HIGH, "domestic_violence"),
    ("shoharam mosht zad too soratam", RiskLevel.HIGH, "domestic_violence"),
    ("shoharam zadam chashmam kabood shod", RiskLevel.HIGH, "domestic_violence"),
    ("شوهرم مرا لت کرد تمام جانم کبود است", RiskLevel.HIGH, "domestic_violence"),
    ("hame badanam kabood shode shoharam zade", RiskLevel.HIGH, "domestic_violence"),
    ("my husband locked my son in the basement as punishment", RiskLevel.HIGH, "child_abuse"),
    ("they locked her in the storage room for hours", RiskLevel.HIGH, "child_abuse"),
    ("he locked the kids on the balcony in the cold right now", RiskLevel.IMMINENT, "child_abuse"),
    ("kocam oğlumu ceza olarak bodruma kilitledi", RiskLevel.HIGH, "child_abuse"),
    ("çocuğu saatlerce banyoya kilitliyorlar", RiskLevel.HIGH, "child_abuse"),
    ("şu an kızımı balkona kilitledi hava çok soğuk", RiskLevel.IMMINENT, "child_abuse"),
    ("babasi oglunu depoya kapatti", RiskLevel.HIGH, "child_abuse"),
    ("جوزي حبس ابني بالقبو عقاب", RiskLevel.HIGH, "child_abuse"),
    ("قفلوا عليه بالحمام لساعات", RiskLevel.HIGH, "child_abuse"),
    ("7abaso la ebni bel 7ammam", RiskLevel.HIGH, "child_abuse"),
    ("2afal 3ala binti bel ghorfe sa3at", RiskLevel.HIGH, "child_abuse"),
    ("شوهرم پسرم را به عنوان تنبیه در زیرزمین زندانی کرد", RiskLevel.HIGH, "child_abuse"),
    ("بچه را در انباری حبس کردند", RiskLevel.HIGH, "child_abuse"),
    ("pesaramo too zirzamin zendani karde", RiskLevel.HIGH, "child_abuse"),
    ("dokhtaramo too hamoom habs kard", RiskLevel.HIGH, "child_abuse"),
    ("i can't find my son in the crowd", RiskLevel.IMMINENT, "missing_child"),
    ("my daughter got lost in the market", RiskLevel.IMMINENT, "missing_child"),
    ("lost my child at the mosque", RiskLevel.IMMINENT, "missing_child"),
    ("my son is lost at taksim square", RiskLevel.IMMINENT, "missing_child"),
    ("kalabalıkta oğlumu kaybettim", RiskLevel.IMMINENT, "missing_child"),
    ("çarşıda kızım kayboldu", RiskLevel.IMMINENT, "missing_child"),
    ("camide oğlumu bulamıyorum", RiskLevel.IMMINENT, "missing_child"),
    ("kalabalikta kizimi bulamiyorum", RiskLevel.IMMINENT, "missing_child"),
    ("ضيعت ابني بالزحمة", RiskLevel.IMMINENT, "missing_child"),
    ("بنتي ضاعت بالسوق", RiskLevel.IMMINENT, "missing_child"),
    ("day3t ebni bel za7me", RiskLevel.IMMINENT, "missing_child"),
    ("binti da3at bel souq", RiskLevel.IMMINENT, "missing_child"),
    ("ولدي ضاع في السوق", RiskLevel.IMMINENT, "missing_child"),
    ("ma 3am la2i ebni bel jame3", RiskLevel.IMMINENT, "missing_child"),
    ("پسرم در شلوغی گم شد", RiskLevel.IMMINENT, "missing_child"),
    ("دخترم در بازار گم شده", RiskLevel.IMMINENT, "missing_child"),
    ("در مسجد بچه ام را پیدا نمیکنم", RiskLevel.IMMINENT, "missing_child"),
    ("pesaram tu sholoughi gom shod", RiskLevel.IMMINENT, "missing_child"),
    ("bacham tu bazar gom shode", RiskLevel.IMMINENT, "missing_child"),
    ("i am pregnant and bleeding heavily", RiskLevel.IMMINENT, "medical_emergency"),
    ("7 months pregnant and my waters broke", RiskLevel.IMMINENT, "medical_emergency"),
    (
        "the baby hasnt moved since morning, i am 8 months pregnant",
        RiskLevel.IMMINENT,
        "medical_emergency",
    ),
    (
        "pregnant with a severe headache, swollen face and blurry vision",
        RiskLevel.IMMINENT,
        "medical_emergency",
    ),
    ("my pregnant wife is having fits", RiskLevel.IMMINENT, "medical_emergency"),
    ("hamileyim çok kanamam var", RiskLevel.IMMINENT, "medical_emergency"),
    ("7 aylık hamileyim suyum geldi", RiskLevel.IMMINENT, "medical_emergency"),
    ("bebek sabahtan beri hareket etmiyor hamileyim", RiskLevel.IMMINENT, "medical_emergency"),
    (
        "hamileyim basim cok agriyor gozlerim bulanik goruyor ayaklarim sisti",
        RiskLevel.IMMINENT,
        "medical_emergency",
    ),
    ("hamile karım nöbet geçiriyor", RiskLevel.IMMINENT, "medical_emergency"),
    ("انا حامل وعم ينزل معي دم كتير", RiskLevel.IMMINENT, "medical_emergency"),
    ("حامل بالشهر السابع ونزلت المية", RiskLevel.IMMINENT, "medical_emergency"),
    ("البيبي ما عم يتحرك من الصبح وانا حامل", RiskLevel.IMMINENT, "medical_emergency"),
    ("ana 7amel w 3am yinzal ma3i dam kteer", RiskLevel.IMMINENT, "medical_emergency"),
    ("nezlet el mayye w ana bel shahr el sabe3", RiskLevel.IMMINENT, "medical_emergency"),
    ("el baby ma 3am yet7arak mn el sob7", RiskLevel.IMMINENT, "medical_emergency"),
    ("مرتي حامل وجاتها تشنجات", RiskLevel.IMMINENT, "medical_emergency"),
    ("حامله هستم و خونریزی شدید دارم", RiskLevel.IMMINENT, "medical_emergency"),
    ("هفت ماهه حامله ام کیسه آبم پاره شد", RiskLevel.IMMINENT, "medical_emergency"),
    ("بچه از صبح تکان نخورده حامله هستم", RiskLevel.IMMINENT, "medical_emergency"),
    ("hamele hastam khunrizi shadid daram", RiskLevel.IMMINENT, "medical_emergency"),
    ("kise abam pare shod haft mahame", RiskLevel.IMMINENT, "medical_emergency"),
    ("bache az sobh tekun nakhorde", RiskLevel.IMMINENT, "medical_emergency"),
    ("zanam hamele ast tashannoj karde", RiskLevel.IMMINENT, "medical_emergency"),
    ("shrebt kl el 7bub", RiskLevel.IMMINENT, "self_harm"),
    ("akalt 7bub kteer bade mout", RiskLevel.IMMINENT, "self_harm"),
    ("bala3t 3elbet dawa kemle", RiskLevel.IMMINENT, "self_harm"),
    ("شربت كلور", RiskLevel.IMMINENT, "self_harm"),
    ("بلعت علبة دوا كاملة", RiskLevel.IMMINENT, "self_harm"),
    ("ghors khordam hame", RiskLevel.IMMINENT, "self_harm"),
    ("ye baste ghors khordam", RiskLevel.IMMINENT, "self_harm"),
    ("vaytex khordam", RiskLevel.IMMINENT, "self_harm"),
    ("i took all my pills", RiskLevel.IMMINENT, "self_harm"),
    ("i drank bleach", RiskLevel.IMMINENT, "self_harm"),
    ("bütün ilaçları içtim", RiskLevel.IMMINENT, "self_harm"),
    ("çamaşır suyu içtim", RiskLevel.IMMINENT, "self_harm"),
    ("butun haplari ictim", RiskLevel.IMMINENT, "self_harm"),
    ("همه قرص ها را خوردم", RiskLevel.IMMINENT, "self_harm"),
    ("وایتکس خوردم", RiskLevel.IMMINENT, "self_harm"),
    ("kol qorsa ro khord", RiskLevel.IMMINENT, None),
    ("my son swallowed cleaning liquid", RiskLevel.IMMINENT, "medical_emergency"),
    ("oğlum çamaşır suyu içti", RiskLevel.IMMINENT, "medical_emergency"),
    ("ابني شرب كلور", RiskLevel.IMMINENT, "medical_emergency"),
    ("ebni shereb clor", RiskLevel.IMMINENT, "medical_emergency"),
    ("بچه ام مایع ظرفشویی خورده", RiskLevel.IMMINENT, "medical_emergency"),
    ("bacham vaytex khorde", RiskLevel.IMMINENT, "medical_emergency"),
    ("instagramda biri oğluma kamerada soyunmasını söylemiş", RiskLevel.HIGH, "child_abuse"),
    ("oyunda biri oglumdan ciplak fotograf istedi", RiskLevel.HIGH, "child_abuse"),
    (
        "adam kizimin fotograflarini yaymakla tehdit ediyor para istiyor",
        RiskLevel.HIGH,
        "child_abuse",
    ),
    (
        "someone on snapchat sends my 11 year old son porn and asks him for naked pictures",
        RiskLevel.HIGH,
        "child_abuse",
    ),
    ("a man in roblox asked my daughter to undress on video call", RiskLevel.HIGH, "child_abuse"),
    ("he threatens to post her photos online if she tells", RiskLevel.HIGH, "child_abuse"),
    ("wa7ad 3al snap 3am yotlob mn binti sowar 3arya", RiskLevel.HIGH, "child_abuse"),
    ("fi shab 3al instagram bihadded binti ynshor sowara", RiskLevel.HIGH, "child_abuse"),
    ("یکی تو اینستا از دخترم عکس لخت خواسته", RiskLevel.HIGH, "child_abuse"),
    ("yeki tu insta az dokhtaram aks lokht khaste", RiskLevel.HIGH, "child_abuse"),
    ("مردی دخترم را تهدید میکند که عکس هایش را پخش کند", RiskLevel.HIGH, "child_abuse"),
    ("jozet ekhti 3am yitla3 3leha la binti bel lel", RiskLevel.HIGH, "child_abuse"),
    ("el jar lamas binti", RiskLevel.HIGH, "child_abuse"),
    ("pesar amoo be dokhtaram dast zade", RiskLevel.HIGH, "child_abuse"),
    ("naapedarish dast mizane be jahaye khosusi pesaram", RiskLevel.HIGH, "child_abuse"),
    ("kocam yumrukla vurdu dudağım patladı", RiskLevel.HIGH, "domestic_violence"),
    ("esim beni yumrukladi her yerim morluk icinde", RiskLevel.HIGH, "domestic_violence"),
    ("jozi darabni bi boks w 3ayni zar2a", RiskLevel.HIGH, "domestic_violence"),
    ("zawji darabni boks 3a wijje", RiskLevel.HIGH, "domestic_violence"),
    ("شوهرم با مشت زد چشمم کبود شد", RiskLevel.HIGH, "domestic_violence"),
    (
        "my husband punched me, my whole body is full of bruises",
        RiskLevel.HIGH,
        "domestic_violence",
    ),
    ("stepdad locked him in the cellar for hours", RiskLevel.HIGH, "child_abuse"),
    ("babasi kizini saatlerce tuvalete kilitliyor", RiskLevel.HIGH, "child_abuse"),
    ("زوج امي حبس ابني بالمخزن", RiskLevel.HIGH, "child_abuse"),
    ("bay 7abas binti bel ghorfe", RiskLevel.HIGH, "child_abuse"),
    ("پدرش دخترم را در انباری حبس کرد", RiskLevel.HIGH, "child_abuse"),
    ("my son got lost in the crowd at the bazaar", RiskLevel.IMMINENT, "missing_child"),
    ("my daughter got lost at the mosque", RiskLevel.IMMINENT, "missing_child"),
    ("cami cikisinda kalabalikta oglum kayboldu", RiskLevel.IMMINENT, "missing_child"),
    ("ضيعت بنتي بالسوق", RiskLevel.IMMINENT, "missing_child"),
    ("day3t binti bel souq", RiskLevel.IMMINENT, "missing_child"),
    ("پسرمو پیدا نمیکنم تو بازار", RiskLevel.IMMINENT, "missing_child"),
    ("my water broke and i am only 30 weeks", RiskLevel.IMMINENT, "medical_emergency"),
    (
        "i am 32 weeks pregnant and can't feel the baby move since yesterday",
        RiskLevel.IMMINENT,
        "medical_emergency",
    ),
    (
        "esim hamile bebek sabahtan beri hic hareket etmiyor",
        RiskLevel.IMMINENT,
        "medical_emergency",
    ),
    ("مرتي حامل ونزلت المية", RiskLevel.IMMINENT, "medical_emergency"),
    ("hamele am bache az dirooz tekun nakhorde", RiskLevel.IMMINENT, "medical_emergency"),
    ("shrebt kel el 7bub li 3ndi", RiskLevel.IMMINENT, "self_harm"),
    ("ukhti akalat 7bub kteer", RiskLevel.IMMINENT, "self_harm"),
    ("hame ghorsaro khordam", RiskLevel.IMMINENT, "self_harm"),
    ("shrebt clor", RiskLevel.IMMINENT, "self_harm"),
]

# their look-alikes: a question about the topic, a class, a thing lost, a past or harmless event
# (not "shrebt 7bub el ras", I took headache pills: since Arabizi phrases match any vowels it
# reads as "shrebt 7bob", I took pills, an imminent phrase, as it always did in that spelling)
AUDIT_LOOK_ALIKES = [
    "is there an online safety class for children about strangers on tiktok",
    "i lost my phone with my daughter's photos on it",
    "how do i set parental controls on instagram for my son",
    "çocuklar için internet güvenliği kursu var mı",
    "telefonum kayboldu içinde kızımın fotoğrafları vardı",
    "في دورة عن الامان على الانترنت للاولاد",
    "ضاع تلفوني وفيه صور ولادي",
    "کلاس امنیت آنلاین برای بچه ها دارید",
    "گوشیم گم شد عکسهای بچه ها داخلش بود",
    "gooshim gom shod axaye bache ha tush bud",
    "kif bfahhem binti 3an jisma w el amaken el khassa",
    "chetor be bachem dar mored jahaye khosusi badan yad bedam",
    "what cream helps bruises, my son fell off his bike",
    "is there a boxing class for my son",
    "kick boks kursu var mı oğlum için",
    "في نادي بوكس للولاد",
    "kelas boks baraye pesaram hast",
    "my son got a black eye playing football last year, it healed",
    "i locked my bike in the basement",
    "the basement door is locked how do i open it",
    "bisikleti bodruma kilitledim",
    "قفلت الباب على الغرفة وضاع المفتاح",
    "dar zirzamin ghofl shode kelid nadaram",
    "i lost my phone in the crowd at the market",
    "where is the lost and found at the grand bazaar",
    "is the market crowded on saturday",
    "çarşıda telefonumu kaybettim",
    "ضاع تلفوني بالسوق",
    "گوشیم در بازار گم شد",
    "gooshim tu bazar gom shod",
    "where can i get a free pregnancy test",
    "what are the danger signs in pregnancy, is there a class",
    "hamileyim doğum öncesi kontrol nerede yapılır",
    "انا حامل وين بقدر اعمل متابعة حمل",
    "حامله هستم کجا میتوانم مراقبت بارداری بگیرم",
    "how do i take my pills, before or after meals",
    "is bleach safe for cleaning the bathroom with kids at home",
    "çamaşır suyu nereden alabilirim",
    "ilaçlarımı nereden alabilirim",
    "وين بلاقي حبوب الضغط",
    "ghorsaye feshare khoonam tamoom shode",
    "how can i protect my daughter from strangers on tiktok",
    "instagramda kızımın fotoğrafları var nasıl silerim",
    "my daughter wants to take dance class, is there one near fatih",
    "my son plays games online all day, is that ok",
    "كيف بحمي بنتي من الغرباء عالانستغرام",
    "chetor az bachem dar tiktok mohafezat konam",
    "my son punched a wall and hurt his hand, which clinic",
    "kick boks yaparken gözüm morardı",
    "el jar 3ando boks lal tamrin",
    "pesaram too madrese mosht zad be dustesh",
    "dar kelas boks pesaram mosht zad",
    "i locked my bike in the storage room",
    "depoya eşyaları kilitledim",
    "the storage room is locked, who has the key",
    "قفلت عالمخزن وضاع المفتاح",
    "we went to the market with my son, where is the cheapest bazaar",
    "is the mosque crowded on friday with kids",
    "my water bill is very high",
    "ghorsaye feshare khoonamo khordam",
    "كم حبة لازم آخذ من الدوا",
    "is it normal that baby moves less at night, 20 weeks pregnant",
    "hamileyim bebek ne zaman hareket etmeye baslar",
    "where is the mosque near taksim",
    "my ex wants to meet my son tonight for his birthday",
    "the teacher wants to meet my daughter tomorrow",
    "المعلمة بدها تلتقي ببنتي بكرا",
    "kapıyı kilitledim ama ev çok soğuk",
    "i locked the door and we sit in the dark, no electricity",
    "saatlerce asansörde kilitli kaldık",
    "الشرطة حبسوا ابني يومين وطلع",
    "3ndi 7bub kteer bel bet shu a3mel fiyon",
    "hame ghorsa ro kuja bekharam",
    "شربت علبه عصير",
    "my daughter lost her phone in the crowd at the market",
    "my son's phone got lost in the bazaar",
    "gooshiye pesaram tu bazar gom shod",
    "we found my son, he was lost in the market for ten minutes",
    "what to do if my water breaks, i am 38 weeks, which hospital",
    "kızımın okul fotoğraflarını nasıl alırım",
    "dokhtaram pareh sal tu bazar gom shode bud, peydash kardim",
]


# Second recall audit (lists2): a past suicide attempt, preparing to die, a child beaten with an
# object by a relative, a raid taking people now, drowning and bites, a child filmed naked, sleeping
# rough, standing on a ledge; in every language and script, written for this test, not from nlu/.
AUDIT2_DISCLOSURES = [
    ("last week i tried to hang myself but the rope broke", RiskLevel.HIGH, "self_harm"),
    ("i took pills last month to die, they pumped my stomach", RiskLevel.HIGH, "self_harm"),
    ("i tried to hang myself last year", RiskLevel.HIGH, "self_harm"),
    ("i tried to overdose last month", RiskLevel.HIGH, "self_harm"),
    ("gecen hafta kendimi asmaya calistim ip koptu", RiskLevel.HIGH, "self_harm"),
    ("geçen ay intihar etmeye çalıştım hap içtim", RiskLevel.HIGH, "self_harm"),
    ("gecen ay hap icip intihar etmeye kalktim", RiskLevel.HIGH, "self_harm"),
    ("kızım geçen hafta bileklerini kesti hastanede yattı", RiskLevel.HIGH, "self_harm"),
    ("حاولت انتحر الشهر الماضي", RiskLevel.HIGH, "self_harm"),
    ("الاسبوع الماضي حاولت اشنق حالي بس انقطع الحبل", RiskLevel.HIGH, "self_harm"),
    ("من شهر بلعت حبوب كتير لأموت", RiskLevel.HIGH, "self_harm"),
    ("7awalt ento7er el sheher el madi", RiskLevel.HIGH, "self_harm"),
    ("7awalt eshno2 7ali", RiskLevel.HIGH, "self_harm"),
    ("خود را دار زدم ولی طناب پاره شد", RiskLevel.HIGH, "self_harm"),
    ("هفته پیش خودکشی کردم ولی نجاتم دادند", RiskLevel.HIGH, "self_harm"),
    ("ماه پیش قرص خوردم که بمیرم", RiskLevel.HIGH, "self_harm"),
    ("mah pish khodkoshi kardam", RiskLevel.HIGH, "self_harm"),
    ("hafte pish khodamo dar zadam", RiskLevel.HIGH, "self_harm"),
    ("i wrote my will and gave away my things, i wont need them", RiskLevel.HIGH, "self_harm"),
    ("i have written goodbye letters to my children", RiskLevel.HIGH, "self_harm"),
    ("on friday i will end everything", RiskLevel.HIGH, "self_harm"),
    ("tonight i will end everything, i wrote my will", RiskLevel.IMMINENT, "self_harm"),
    ("i gave away all my belongings, soon i will be gone", RiskLevel.HIGH, "self_harm"),
    ("vasiyetimi yazdim esyalarimi dagittim", RiskLevel.HIGH, "self_harm"),
    ("cuma günü her şeye son vereceğim", RiskLevel.HIGH, "self_harm"),
    ("bu gece her seye son verecegim", RiskLevel.IMMINENT, "self_harm"),
    ("veda mektuplarını yazdım", RiskLevel.HIGH, "self_harm"),
    ("كتبت وصيتي ووزعت غراضي", RiskLevel.HIGH, "self_harm"),
    ("يوم الجمعة رح خلص من كل شي", RiskLevel.HIGH, "self_harm"),
    ("الليلة رح انهي كل شي", RiskLevel.IMMINENT, "self_harm"),
    ("katabt wasiyti w wazza3t ghradi", RiskLevel.HIGH, "self_harm"),
    ("كتبت رسائل وداع لأولادي", RiskLevel.HIGH, "self_harm"),
    ("وصیت نامه ام را نوشتم و وسایلم را بخشیدم", RiskLevel.HIGH, "self_harm"),
    ("جمعه همه چیز را تمام میکنم", RiskLevel.HIGH, "self_harm"),
    ("امشب همه چیز را تمام میکنم", RiskLevel.IMMINENT, "self_harm"),
    ("vasiyatnamamo neveshtam", RiskLevel.HIGH, "self_harm"),
    ("emshab hame chizo tamoom mikonam", RiskLevel.IMMINENT, "self_harm"),
    ("نامه خداحافظی نوشتم", RiskLevel.HIGH, "self_harm"),
    ("my uncle beats my son with a hose, he has marks on his back", RiskLevel.HIGH, "child_abuse"),
    ("his stepmother hits him with a cable", RiskLevel.HIGH, "child_abuse"),
    ("grandfather beat my daughter with a stick", RiskLevel.HIGH, "child_abuse"),
    ("my husband hits the kids with a belt and leaves marks", RiskLevel.HIGH, "child_abuse"),
    ("she hits my son with a slipper every day", RiskLevel.HIGH, "child_abuse"),
    ("the teacher hit my son with a ruler", RiskLevel.HIGH, "child_abuse"),
    ("amcası oğlumu hortumla dövdü sırtında izler var", RiskLevel.HIGH, "child_abuse"),
    ("uvey annesi kizimi kabloyla dovuyor", RiskLevel.HIGH, "child_abuse"),
    ("dedesi cocugu sopayla dovdu", RiskLevel.HIGH, "child_abuse"),
    ("babası oğlumu kemerle dövüyor", RiskLevel.HIGH, "child_abuse"),
    ("عمه بيضرب ابني بالخرطوم وصار في علامات على ضهره", RiskLevel.HIGH, "child_abuse"),
    ("مرت ابوه بتضربه بالكبل", RiskLevel.HIGH, "child_abuse"),
    ("جده ضرب بنتي بالعصا", RiskLevel.HIGH, "child_abuse"),
    ("امه تضربه بالنعال", RiskLevel.HIGH, "child_abuse"),
    ("3ammo byedrob ebni bel khartoom", RiskLevel.HIGH, "child_abuse"),
    ("merat abooh btedrobo bel kabel", RiskLevel.HIGH, "child_abuse"),
    ("عمویش پسرم را با شلنگ زد جای آن روی کمرش مانده", RiskLevel.HIGH, "child_abuse"),
    ("نامادری اش او را با کابل میزند", RiskLevel.HIGH, "child_abuse"),
    ("پدربزرگش دخترم را با چوب زد", RiskLevel.HIGH, "child_abuse"),
    ("amoosh pesaramo ba shelang zad", RiskLevel.HIGH, "child_abuse"),
    ("namadarish ba kabl mizanadash", RiskLevel.HIGH, "child_abuse"),
    (
        "police are raiding the workshop now and taking everyone",
        RiskLevel.IMMINENT,
        "detention_deportation",
    ),
    (
        "there is a raid at our building, police are taking people",
        RiskLevel.IMMINENT,
        "detention_deportation",
    ),
    ("they took my husband from work, need a lawyer now", RiskLevel.HIGH, "detention_deportation"),
    ("police came to his work and took my husband", RiskLevel.HIGH, "detention_deportation"),
    ("atölyeye baskın yapıldı polis herkesi topluyor", RiskLevel.IMMINENT, "detention_deportation"),
    ("binamiza polis baskini var insanlari aliyorlar", RiskLevel.IMMINENT, "detention_deportation"),
    ("kocamı işyerinden aldılar hemen avukat lazım", RiskLevel.HIGH, "detention_deportation"),
    ("في مداهمة عالورشة هلق والشرطة عم تاخد الناس", RiskLevel.IMMINENT, "detention_deportation"),
    ("الشرطة داهموا البناية وعم ياخدوا الشباب", RiskLevel.IMMINENT, "detention_deportation"),
    ("اخدوا جوزي من الشغل بدي محامي هلق", RiskLevel.HIGH, "detention_deportation"),
    ("fi mdahame 3al warshe hala2", RiskLevel.IMMINENT, "detention_deportation"),
    ("akhado jozi men el shoghl", RiskLevel.HIGH, "detention_deportation"),
    ("پلیس الان به کارگاه ریخته و همه را میبرد", RiskLevel.IMMINENT, "detention_deportation"),
    ("شوهرم را از سر کار بردند وکیل لازم دارم", RiskLevel.HIGH, "detention_deportation"),
    ("polis rikhte tu kargah hamaro mibare", RiskLevel.IMMINENT, "detention_deportation"),
    ("shoharamo az sare kar bordan", RiskLevel.HIGH, "detention_deportation"),
    ("my son is drowning in the pool", RiskLevel.IMMINENT, "medical_emergency"),
    (
        "my daughter almost drowned in the sea, she is coughing and weak",
        RiskLevel.IMMINENT,
        "medical_emergency",
    ),
    (
        "baby went under water in the bath, his lips are turning blue",
        RiskLevel.IMMINENT,
        "medical_emergency",
    ),
    ("a snake bit my son", RiskLevel.IMMINENT, "medical_emergency"),
    ("a scorpion stung my daughter", RiskLevel.IMMINENT, "medical_emergency"),
    ("a dog bit my son and it is bleeding heavily", RiskLevel.IMMINENT, "medical_emergency"),
    ("oglum havuzda boguluyor", RiskLevel.IMMINENT, "medical_emergency"),
    ("kızım denizde boğuluyordu çıkardık", RiskLevel.IMMINENT, "medical_emergency"),
    ("oğlumu yılan soktu", RiskLevel.IMMINENT, "medical_emergency"),
    ("kizimi akrep sokdu", RiskLevel.IMMINENT, "medical_emergency"),
    ("köpek oğlumu ısırdı çok kan akıyor", RiskLevel.IMMINENT, "medical_emergency"),
    ("bebegin dudaklari morariyor", RiskLevel.IMMINENT, "medical_emergency"),
    ("ابني عم يغرق بالمسبح", RiskLevel.IMMINENT, "medical_emergency"),
    ("بنتي كانت رح تغرق بالبحر", RiskLevel.IMMINENT, "medical_emergency"),
    ("حية عضت ابني", RiskLevel.IMMINENT, "medical_emergency"),
    ("لدغته عقرب", RiskLevel.IMMINENT, "medical_emergency"),
    ("كلب عض ابني وعم ينزف كتير", RiskLevel.IMMINENT, "medical_emergency"),
    ("شفايفه عم يزرقوا", RiskLevel.IMMINENT, "medical_emergency"),
    ("ebni 3am yeghra2 bel masba7", RiskLevel.IMMINENT, "medical_emergency"),
    ("3a2rab lada3 ebni", RiskLevel.IMMINENT, "medical_emergency"),
    ("پسرم در استخر غرق شد", RiskLevel.IMMINENT, "medical_emergency"),
    ("مار پسرم را نیش زد", RiskLevel.IMMINENT, "medical_emergency"),
    ("عقرب دخترم را نیش زد", RiskLevel.IMMINENT, "medical_emergency"),
    ("سگ پسرم را گاز گرفت خون زیادی میاد", RiskLevel.IMMINENT, "medical_emergency"),
    ("لبهایش کبود شده", RiskLevel.IMMINENT, "medical_emergency"),
    ("pesaram too estakhr ghargh shod", RiskLevel.IMMINENT, "medical_emergency"),
    ("aghrab dokhtaramo nish zad", RiskLevel.IMMINENT, "medical_emergency"),
    ("my uncle filmed my daughter naked in the shower", RiskLevel.HIGH, "child_abuse"),
    ("a man photographed my son in the bathroom", RiskLevel.HIGH, "child_abuse"),
    ("he took naked photos of my daughter and shared the videos", RiskLevel.HIGH, "child_abuse"),
    ("eniştem kızımı banyoda gizlice videoya çekmiş", RiskLevel.HIGH, "child_abuse"),
    ("bir adam oglumun ciplak fotografini cekmis", RiskLevel.HIGH, "child_abuse"),
    ("kizimin ciplak videolarini paylasmis", RiskLevel.HIGH, "child_abuse"),
    ("خالو صوّر بنتي وهي عم تتحمم", RiskLevel.HIGH, "child_abuse"),
    ("واحد صور ابني عريان ونشر الفيديو", RiskLevel.HIGH, "child_abuse"),
    ("sawwar benti bel 7ammam", RiskLevel.HIGH, "child_abuse"),
    ("عمویش از دخترم در حمام عکس گرفته", RiskLevel.HIGH, "child_abuse"),
    ("یک مرد از پسرم عکس لخت گرفته و پخش کرده", RiskLevel.HIGH, "child_abuse"),
    ("az dokhtaram too hamoom film gerefte", RiskLevel.HIGH, "child_abuse"),
    ("we have been sleeping in a car park for three days", RiskLevel.HIGH, "basic_needs"),
    ("we sleep in the car with the kids", RiskLevel.HIGH, "basic_needs"),
    ("i am sleeping in the park, no home", RiskLevel.HIGH, "basic_needs"),
    ("we sleep in the mosque for days", RiskLevel.HIGH, "basic_needs"),
    ("we have no home, sleeping on the street", RiskLevel.HIGH, "basic_needs"),
    ("üç gündür otoparkta yatıyoruz", RiskLevel.HIGH, "basic_needs"),
    ("arabada uyuyoruz cocuklarla", RiskLevel.HIGH, "basic_needs"),
    ("parkta yatiyoruz evimiz yok", RiskLevel.HIGH, "basic_needs"),
    ("camide kaliyoruz gunlerdir", RiskLevel.HIGH, "basic_needs"),
    ("صرلنا ثلاث ايام نايمين بالباركينغ", RiskLevel.HIGH, "basic_needs"),
    ("نايمين بالسيارة مع الولاد", RiskLevel.HIGH, "basic_needs"),
    ("نايمين بالحديقة ما عنا بيت", RiskLevel.HIGH, "basic_needs"),
    ("نايمين بالجامع", RiskLevel.HIGH, "basic_needs"),
    ("naymin bel sayyara", RiskLevel.HIGH, "basic_needs"),
    ("ma 3anna bet naymin bel share3", RiskLevel.HIGH, "basic_needs"),
    ("سه روز است در پارکینگ میخوابیم", RiskLevel.HIGH, "basic_needs"),
    ("در موتر میخوابیم با بچه ها", RiskLevel.HIGH, "basic_needs"),
    ("تو ماشین میخوابیم", RiskLevel.HIGH, "basic_needs"),
    ("در مسجد میخوابیم خانه نداریم", RiskLevel.HIGH, "basic_needs"),
    ("too park mikhabim khune nadarim", RiskLevel.HIGH, "basic_needs"),
    ("too mashin mikhabim", RiskLevel.HIGH, "basic_needs"),
    ("i am standing on the balcony rail", RiskLevel.IMMINENT, "self_harm"),
    ("my brother is on the roof edge and wants to jump", RiskLevel.IMMINENT, "self_harm"),
    ("i am on the bridge railing", RiskLevel.IMMINENT, "self_harm"),
    ("balkon korkuluğunun üstündeyim", RiskLevel.IMMINENT, "self_harm"),
    ("kopru korkulugundayim", RiskLevel.IMMINENT, "self_harm"),
    ("catinin kenarindayim", RiskLevel.IMMINENT, "self_harm"),
    ("انا واقف على حافة السطح", RiskLevel.IMMINENT, "self_harm"),
    ("واقف على درابزين البلكون", RiskLevel.IMMINENT, "self_harm"),
    ("ana wa2ef 3ala 7afet el sate7", RiskLevel.IMMINENT, "self_harm"),
    ("روی لبه پشت بام ایستاده ام", RiskLevel.IMMINENT, "self_harm"),
    ("روی نرده پل هستم", RiskLevel.IMMINENT, "self_harm"),
    ("ru labeye poshte bam vaysadam", RiskLevel.IMMINENT, "self_harm"),
]

# Look-alikes: a swimming class, a will for inheritance, a garden hose, a raid on the news...
AUDIT2_LOOK_ALIKES = [
    "my son has swimming class in the pool on saturday",
    "how do i write a will for inheritance questions",
    "vasiyet nasıl yazılır miras için",
    "وصية الميراث كيف بتنكتب",
    "وصیت نامه برای ارث چطور نوشته میشود",
    "i need a hose for the garden",
    "bahce icin hortum lazim",
    "بدي خرطوم للجنينة",
    "i saw news about a raid in another city",
    "haberlerde baskın gördüm başka şehirde",
    "how much is the parking fee at the hospital",
    "otopark ücreti ne kadar",
    "كم سعر الباركينغ بالمستشفى",
    "هزینه پارکینگ بیمارستان چقدر است",
    "we watched a documentary about a snake",
    "belgeselde yilan izledik",
    "my son wants to learn swimming at the sea",
    "the teacher uses a ruler in maths class",
    "my son needs a cable for his phone charger",
    "ابني بده كبل للشاحن",
    "school photo day, they photographed my daughter",
    "we gave away old clothes to the neighbours",
    "we sleep in the car on the long drive to ankara",
    "the mosque has friday prayer",
    "the balcony rail is broken, who fixes it",
    "we drove over the bridge to the office",
    "last week i tried to call the office",
    "geçen hafta ofisi aramaya çalıştım",
    "i wrote a letter to the school",
    "on friday i will finish the paperwork",
    "cuma günü işlerimi bitireceğim",
    "شاهدنا وثائقي عن الافاعي",
    "مستند درباره مار دیدیم",
    "pesaram kelase shena dare",
    "کلاس شنا پسرم",
    "درس شنا في المسبح لابني",
    "yüzme kursu var mı çocuklar için",
    "kedim dogru havuzda yuzuyor",
    "kendi evimiz yok kirada oturuyoruz, kira yardımı var mı",
    "on the news police raiding a building in ankara",
    "سمعت بالاخبار انو في مداهمة بحلب",
    "haberde polis baskını var dedi başka şehirde",
    "i gave away my old clothes to the neighbours, they fit her kids",
    "vasiyetimi yazdım noterde miras için ne lazım",
    "i wrote my will at the notary for inheritance",
    "goodbye letter for my teacher at the end of the year",
    "we sleep in the mosque during itikaf in ramadan",
    "ramazanda camide kalıyoruz itikaf için",
    "my daughter plays with a hose in the garden",
    "وصیت نامه ام را نوشتم برای ارث چه مدارکی لازم است",
    "كتبت وصيتي ووزعت الميراث على ولادي عند الكاتب بالعدل",
    "پسرم در کلاس شنا است",
    "عقرب در باغ دیدم",
    "he was afraid of the snake in the zoo",
]


@pytest.mark.parametrize(("text", "level", "category"), AUDIT_DISCLOSURES + AUDIT2_DISCLOSURES)
def test_the_audited_disclosures_read_at_their_level_and_category(
    real_lexicon: RiskDetector, text: str, level: RiskLevel, category: str | None
) -> None:
    risk = real_lexicon.assess(text)
    assert risk.level >= level, (text, risk.evidence)
    if category is not None:
        assert risk.category == category, (text, risk.evidence)


@pytest.mark.parametrize("text", AUDIT_LOOK_ALIKES + AUDIT2_LOOK_ALIKES)
def test_the_audit_look_alikes_do_not_escalate(real_lexicon: RiskDetector, text: str) -> None:
    risk = real_lexicon.assess(text)
    assert risk.level < RiskLevel.HIGH, (text, risk.evidence)
