"""Frames for what people tell ABOUT a risk: a past event told as resolved, a child found
again, a question about an emergency service, a definition or a prevention class; Turkish
negation after a passive; phrases narrowed so that a summer camp or an art workshop is not
a disclosure. Each safe sentence has a disclosure in the same shape that must still escalate.

The sentences are written for these tests (not copied from the training data or a blind
set). Lists only (no model), so the rules are tested exactly and fast.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu import training_data
from bot.nlu.base import RiskLevel
from bot.nlu.risk import RiskDetector
from bot.nlu.training_data import TrainingDataError

REAL_DATA = Path(__file__).resolve().parents[2] / "nlu"


SAFE = {
    "past_resolved": [
        "kocam gecen ay geri gonderme merkezindeydi, sonra serbest birakildi, ikamet nasil olur",
        "gecen sene sinir disi karari cikmisti ama mahkeme karari iptal etti, kimlik nasil",
        "kizim gecen hafta bozuk para yuttu, doktor kendiliginden cikti dedi",
        "my husband was detained two months ago but was released, which documents do we need now",
        "last month my daughter swallowed a coin, the doctor said it passed, can she do sports",
        "my cousin had suicidal thoughts two years ago, he is much better now and volunteers",
        "اخوي كان بمركز الترحيل الشهر الماضي بس اطلقوا سراحه، هلق بدو يجدد الكيمليك",
        "ابني كان يشتغل بمحل الخضرة السنة الماضية، هلق رجع عالمدرسة",
        "بنتي انكسرت ايدها الشهر الماضي وفكوا الجبس، بدي موعد متابعة",
        "پدرم پارسال در کمپ اخراج بود، حالا آزاد شده و اقامت دارد",
        "دخترم هفته گذشته دستش شکست، گچش را باز کردند، فزیوتراپی رایگان است؟",
    ],
    "found_again": [
        "kizim markette kayboldu ama yarim saat sonra bulduk cok sukur",
        "oglum yok sandik ama komsudaymis",
        "my daughter went missing at the park but we found her after ten minutes",
        "بنتي ضاعت بالمول ربع ساعة بس لقيناها الحمدلله",
        "binti da3et bel souk bas la2ayneha",
        "دخترم در بازار گم شد ولی پیدایش کردیم",
    ],
    "service_question": [
        "ambulans gece de geliyor mu bizim mahalleye",
        "112 yi ararsam farsca bilen var mi",
        "how long does an ambulance take to reach bagcilar usually",
        "is police 155 or jandarma 156 for our village",
        "الاسعاف بتاخد مصاري من السوريين؟",
        "el is3af btiji 3al 2arye bel leil?",
        "امبولانس به اسنیورت چند دقیقه میاید؟",
        "ژاندارمه ۱۵۶ است یا پولیس؟",
    ],
    "topic": [
        "sinir disi kelimesinin anlami ne",
        "cocuk istismari olmasin diye koruma egitimi var mi",
        "kayip cocuk afisini paylasabilir miyim",
        "what counts as child labour, our teacher asked us",
        "i heard the word deportation at the bus stop, what does the word mean",
        "can i share a poster about a missing child on your page",
        "شنو يعني اتجار بالبشر؟ سمعتها بالراديو",
        "يعني ايه ترحيل؟",
        "shno ya3ni tar7il",
        "قاچاق انسان به ترکی چی میشه",
        "در فیسبوک اعلان بچه گمشده دیدم، شریک کنم؟",
    ],
    "turkish_passive_negation": [
        "oglum gozaltina alinmadi, sadece ifadesi alindi",
        "if we call an ambulance for my mother do we pay",
        "kocam sinir disi edilmedi, itirazimiz kabul edildi",
        "cocugum dovulmedi, bahcede dustu",
    ],
    "narrowed_phrases": [
        "پسرم به کمپ تابستانی فوتبال میره، فورم کجاست",
        "oglum 10 yasinda muzik atolyesine gidiyor, ucreti ne kadar",
        "i broke my arm playing football, is there a free clinic",
        "كيمليكي انحرق طرفه من الصوبيا، بيقبلوه؟",
        "komsum icin kadin siginma evinin numarasini istiyorum",
        "my sister asked me for a women's shelter number, just to know",
        "بدي رقم دار ايواء لجارتي",
        "برای خواهرم شماره خانه امن میخواهم",
    ],
    # told as over in the words parents use: out of the camp, found at a place, checked by a
    # doctor, pills counted, a suitor refused, back at school (each one below high)
    "told_as_over": [
        "my husband was taken to the removal center last month, now he is out",
        "my son was detained by police on friday, he is free now",
        "my son is missing since this morning, we found him at the mosque",
        "my son swallowed pills from the cupboard, we counted them, none missing",
        "my daughter fell from the balcony yesterday, the doctor checked, all fine",
        "they want to marry my 14 year old daughter, my father refused",
        "my son works in a factory, he stopped working and is back at school",
        "شوهرم را به کمپ دیپورت بردند، حالا بیرون است",
        "برادرم در کمپ اخراج بود، از کمپ بیرون شد",
        "برادرم پارسال در کمپ دیپورت بود، azad shod",
        "پسرم گم شد، pyda shod",
        "دخترم در بازار گم شد، الان پیش ماست",
        "پسرم از بالکن افتاد، دکتر گفت خوبه",
        "میخواهند دختر ۱۴ ساله ام را شوهر بدهند، قبول نکردیم",
        "ابني اخدوه على مركز الترحيل، بس هلق طلع",
        "ebni a5adouh 3al tar7il, hala2 barra",
        "ابني ضاع بالسوق، كان عند رفيقو",
        "ابني ضاع بالسوق، هسه بالبيت",
        "ebni da3 bel souk, l2ito",
        "ابني بلع حبوب، عدينا الحبوب كلها موجوده",
        "بدهم يزوجوا بنتي عمرها 14، قلنالهم لا",
        "ابني عمره 12 بيشتغل بالمعمل، هلق بطل يشتغل ورجع عالمدرسه",
        "oglumu geri gonderme merkezine goturduler, kamptan cikti",
        "kocami gozaltina aldilar, sonra biraktilar",
        "kizim kayboldu, komsudaydi",
        "oglum balkondan dustu, doktor bakti bir sey yok dedi",
        "kizimi 14 yasinda evlendirmek istiyorlar, babasi kabul etmedi",
        "oglum 12 yasinda sanayide calisiyor, artik okula gidiyor",
    ],
    # something that did not happen to us, negated in the verb (Persian) or on the same
    # words by another language's phrase ("deport*" is in the Turkish list too)
    "not_done_to_us": [
        "we were not deported, only our address changed, what do we do",
        "بازداشتم نکردند فقط کارت اقامتم را دیدند",
        "ما را دیپورت نکردن فقط آدرس عوض شد",
    ],
    # a fright that turned out to be nothing, or something else
    "turned_out": [
        "فكرت ابني ضايع بالسوق طلع كان مع ابوه",
        "gecen yil sokakta kaldik ama simdi evimiz var, kurs var mi",
        "oyunda oglum 6 yasinda seni oldururum diye bagiriyor normal mi",
        "this rent will kill me but we manage, any food bank",
        "ابني ٥ سنين بيضرب اخوه الزغير، كيف بعلمو بلا ضرب",
        "القطة طلعت من الشباك وما رجعت",
        "ظنيت بنتي ضايعة طلعت نايمة بغرفة ستها",
        "فکر کردیم دخترم گم شده ولی خواب بود",
        "thought my son was choking, it was an asthma attack, how do we get a spacer",
    ],
}

DISCLOSURES = {
    # a resolution does not cover what happens after it, nor one that is negated
    "past_resolved": [
        "kocam gecen ay serbest birakildi ama dun yine geri gonderme merkezine goturduler",
        "my husband was released last year but today they detained him again",
        "they still haven't released my son from the removal center",
        "they detained my husband but released my son",
        "اخوي اطلقوا سراحه بس اليوم رجعو اخدوه على مركز الترحيل",
        "برادرم پارسال آزاد شد ولی امروز دوباره در کمپ دیپورت است",
    ],
    "found_again": [
        "kizim kayboldu, bulamadik, polis de bulamadi",
        "my daughter is missing since this morning, we found her phone in the park",
        "ابني ما رجع عالبيت من امبارح",
        "بنتي ضاعت وما لقيناها لهلق",
        "دخترم گم شده و هنوز پیدا نشده",
    ],
    # a service question sets aside the service word only, never the emergency beside it
    "service_question": [
        "ambulans kac dakikada gelir, oglum bayildi",
        "ambulans cagirin lutfen",
        "how long does the ambulance take, my son is not breathing",
        "الاسعاف بتوصل بسرعة؟ ابني غاب عن الوعي",
        "el is3af bi2addesh? ebni ma 3am yetnaffas",
        "badna is3af 3al fatih hala2",
        "امبولانس چند دقیقه میاید؟ پسرم بیهوش شده",
        "ژاندارمه شوهرم را برد",
        "112 yi arayinca kimse acmiyor oglum nefes almiyor",
        "my son is not breathing if i call an ambulance will they come",
    ],
    "topic": [
        "sinir disi kelimesi ne demek, yarin bizi sinir disi edecekler",
        "kizim kayip, afisini paylasir misiniz",
        "what does the word mean? my husband beats me every night",
        "شنو يعني ترحيل؟ اخدو جوزي على الترحيل",
        "دیپورت یعنی چه؟ شوهرم را به کمپ بردند",
    ],
    "turkish_passive_negation": [
        "oglum gozaltina alindi, hala birakilmadi",
        "kizim dovulmedi ama oglum dovuldu",
    ],
    "narrowed_phrases": [
        "پسرم را به کمپ بردند",
        "kizim 12 yasinda tekstil atolyesinde calisiyor",
        "oglum atolyede calisiyor okula gitmiyor",
        "my husband broke my arm last night",
        "ابني انحرق بالمي السخنه",
        "siginma evine gitmek istiyorum kocam beni dovuyor",
        "i need a women's shelter tonight, he hits me",
        "مرا به خانه امن ببرید، شوهرم مرا میزند",
        "بدي روح على دار ايواء انا وولادي، جوزي بيضربني",
    ],
    # the same shapes not over: not yet, still, a harm, a negation inside the resolution,
    # someone else who still wants the marriage
    "told_as_over": [
        "my husband was taken to the removal center last month and he is not out yet",
        "my son was detained by police on friday and he is still not free",
        "my son is missing since this morning, we found him injured by the road",
        "my son swallowed pills from the cupboard, we counted them and many are missing",
        "my daughter fell from the balcony yesterday, the doctor checked, she is not fine",
        "they want to marry my 14 year old daughter, we refused but they still come every day",
        "my son works in a factory again after school",
        "شوهرم را به کمپ دیپورت بردند و هنوز آزاد نشده",
        "برادرم در کمپ دیپورت است و hanuz azad nashode",
        "پسرم گم شد و hanuz pyda nashode",
        "پسرم از بالکن افتاد، دکتر گفت خوب نیست",
        "میخواهند دختر ۱۴ ساله ام را شوهر بدهند، قبول نکردیم ولی پدرش قبول کرد",
        "ابني اخدوه على مركز الترحيل ولسا ما طلع",
        "ebni a5adouh 3al tar7il w lessa mish barra",
        "ابني ضاع بالسوق، لقيناه مجروح",
        "ebni da3 bel souk w ma l2ito",
        "ابني بلع حبوب وما عم يصحى",
        "بدهم يزوجوا بنتي عمرها 14، قلنالهم لا بس ابوي وافق",
        "ابني عمره 12 بيشتغل بالمعمل ولسا ما بطل",
        "oglumu geri gonderme merkezine goturduler, hala cikmadi",
        "kocami gozaltina aldilar, hala birakmadilar",
        "kizim kayboldu, hala bulamadik",
        "oglum balkondan dustu, doktor bakti iyi degil",
        "kizimi 14 yasinda evlendirmek istiyorlar, babasi kabul etmedi ama annesi soz verdi",
        "oglum 12 yasinda sanayide calisiyor, okula gitmiyor",
        # riding a bus or having been asleep is no sign a missing child is found; nor is
        # being with someone, or "it turned out" someone took him
        "ابني ضاع بالسوق بس كان مع رجال غريب وما رجع",
        "oglum kayboldu sandim meger biri almis",
        "my son was taken to the removal centre last year, they released me but he is still inside",
        "ابني بيضربوه ولاد الجيران كل يوم",
        # "for years" is not "years ago"; a sum of money is not an adult's age
        "زوجي يضربني من سنين وما حدا بيعرف",
        "kizima baslik parasi verdiler 5000 dolar",
        "my daughter is missing, she was on the bus to school and never arrived",
        "my son is missing, he was asleep in his bed at night and now the bed is empty",
        "پسرم را زدند و بازداشتش کردند",
    ],
}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(kind, text) for kind, texts in table.items() for text in texts]


@pytest.mark.parametrize(("kind", "text"), _cases(SAFE))
def test_talking_about_a_risk_is_not_escalated(lists: RiskDetector, kind: str, text: str) -> None:
    risk = lists.assess(text)
    assert risk.level <= RiskLevel.MEDIUM, (kind, risk)


@pytest.mark.parametrize(("kind", "text"), _cases(DISCLOSURES))
def test_the_disclosure_in_the_same_shape_escalates(
    lists: RiskDetector, kind: str, text: str
) -> None:
    risk = lists.assess(text)
    assert risk.level >= RiskLevel.HIGH, (kind, risk)


@pytest.mark.parametrize(
    "text",
    [
        "oglum dun kayboldu, simdi onu bulduk",  # imminent missing child, then found
        "my son swallowed a battery last week, it passed",
        "ابني ضاع بالسوق ولقيناه",
    ],
)
def test_a_resolved_imminent_event_is_asked_about_not_dropped(
    lists: RiskDetector, text: str
) -> None:
    # prefer asking to missing one: an imminent hit told as resolved becomes a question
    risk = lists.assess(text)
    assert risk.level == RiskLevel.MEDIUM, risk
    assert any(e.startswith("framed_imminent:resolved:") for e in risk.evidence), risk


def test_a_resolution_only_resolves_its_own_category(lists: RiskDetector) -> None:
    # "released" resolves a detention, never the violence told beside it
    risk = lists.assess("kocam gozaltindan serbest birakildi ama eve gelince beni dovdu")
    assert risk.level >= RiskLevel.HIGH, risk
    risk = lists.assess("my husband was released yesterday and he beat me again")
    assert risk.level >= RiskLevel.HIGH, risk


def test_resolved_frames_name_a_known_category(tmp_path: Path) -> None:
    risk_dir = tmp_path / "nlu" / "risk"
    risk_dir.mkdir(parents=True)
    (risk_dir / "frames-en.yml").write_text(
        "language: en\nframes:\n  resolved:\n    lost_kids:\n      - found him\n"
    )
    with pytest.raises(TrainingDataError, match="lost_kids"):
        training_data.load(tmp_path / "nlu")
    (risk_dir / "frames-en.yml").write_text("language: en\nframes:\n  resolved:\n    - found him\n")
    with pytest.raises(TrainingDataError, match="resolved"):
        training_data.load(tmp_path / "nlu")


def test_the_words_that_undo_a_resolution_are_read_from_the_frames_files() -> None:
    # "found her phone" resolves nothing because frames-en.yml lists "phone" as unresolved;
    # without the reviewed lists the same message would read as the child found again
    text = "my daughter is missing since this morning, we found her phone in the park"
    data = training_data.load(REAL_DATA)
    assert RiskDetector(data, None).assess(text).level >= RiskLevel.HIGH
    data.risk.unresolved.clear()
    assert RiskDetector(data, None).assess(text).level < RiskLevel.HIGH


def test_unresolved_words_must_be_a_list(tmp_path: Path) -> None:
    risk_dir = tmp_path / "nlu" / "risk"
    risk_dir.mkdir(parents=True)
    (risk_dir / "frames-en.yml").write_text(
        "language: en\nframes:\n  topic:\n    - what is\nunresolved:\n  still: yes\n"
    )
    with pytest.raises(TrainingDataError, match="unresolved"):
        training_data.load(tmp_path / "nlu")


def test_a_negation_inside_a_resolution_undoes_it(lists: RiskDetector) -> None:
    # "doctor said ... fine" skips words; a "not" in the skipped words is no resolution
    text = "my daughter fell from the balcony yesterday, the doctor said she is fine"
    assert lists.assess(text).level == RiskLevel.MEDIUM
    text = "my daughter fell from the balcony yesterday, the doctor said she is not fine"
    assert lists.assess(text).level >= RiskLevel.HIGH
