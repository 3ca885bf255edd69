"""Round-9 lists: a threat said in jest, only a dream, a question for others, a thing lost,
an illness over, a film seen; each beside the disclosure on the same words that must still
count."""

from __future__ import annotations

import pytest

from bot.nlu.base import RiskLevel
from bot.nlu.risk import RiskDetector


@pytest.mark.parametrize(
    "text",
    [
        # a threat said in jest, and said so: asked about, not escalated
        "my boss said he will kill me if im late tomorrow he was joking lol",
        "patronum gec kalirsan seni oldururum dedi saka yapti tabi",
        "رئیس گفت اگر دیر بیایی سرت را میبرم شوخی میکرد نترسین",
        # a dream
        "dreamt i was deported woke up laughing just a dream",
        "kardesim dun gece sinir disi edilecekmis gibi ruya gordu gulduk sadece ruya",
        "حلمت انهم رحلوني وصحيت اضحك بس حلم",
        "خواب دیدم دیپورتم کردن بیدار شدم خندیدم فقط خواب بود",
        # asked for others
        "im a teacher students ask how to appeal deportation decision",
        "sinir disi karari nasil itiraz edilir derste sordular",
        "انا معلمة سألوني الطلاب كيف يعترضوا على قرار الترحيل",
        "شاگردا پرسیدن چطوری به حکم دیپورت اعتراض کنن",
        # a child's thing lost, an illness over, a bill paid, a warehouse job
        "oglumun dis fircasi kayboldu gunlerdir ariyoruz",
        "مسواک پسرم چند روزه گم شده",
        "grandpa had a stroke last year he is fine now but needs physiotherapy where",
        "a dog bit my son he finished the rabies shots what next",
        "oglum koltuktan dustu basini vurdu ama iyi oynuyor",
        "پسرم تو مدرسه دستش شکست گچش باز شد فیزیوتراپی کجاست",
        "electricity almost got cut but we paid can the kizilay card pay bills",
        "در هالکالی در گدام کار پیدا میشه برای خارجی ها",
        # negation, a sibling fight, rain
        "we werent deported we just moved to sefakoy how do we update the address",
        "ابني ٣ سنين يضرب اخوه كيف اوقفه",
        "yakalandim yagmura sirilsiklam oldum",
        # a film seen
        "we watched a movie about a kidnapped girl my son is scared",
    ],
)
def test_look_alikes_are_not_escalated_by_the_lists(lists: RiskDetector, text: str) -> None:
    assert lists.assess(text).level < RiskLevel.HIGH


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("he said he will kill me tonight and he is not joking", RiskLevel.IMMINENT),
        # "şaka değil" after the threat still lowers it one step (a Turkish negation after a phrase)
        ("kocam bu gece beni oldurecek saka degil", RiskLevel.HIGH),
        ("شوهرم گفت امشب میکشمت، شوخی نمیکرد", RiskLevel.IMMINENT),
        ("i had a dream about home. now my husband will kill me tonight", RiskLevel.IMMINENT),
        (
            "they deported my brother yesterday, students at his school ask where he is",
            RiskLevel.HIGH,
        ),
        # a dream and then the real thing, in the same clause
        ("حلمت انو رحلونا وهلق فعلا الشرطة عالباب عم يدقو", RiskLevel.IMMINENT),
        (
            "gece kabus gordum sabah polis kapiya geldi abimi aldilar deport edecekler",
            RiskLevel.HIGH,
        ),
        ("ruyamda degil gercek kocam beni geceleri zorla iliskiye zorluyor", RiskLevel.HIGH),
        # a film shown to a child; the bare word "film" no longer frames a clause
        ("komsu kizima ciplak film gosteriyor", RiskLevel.HIGH),
        ("عم يفرجي بنتي فيلم وسخ ويطلب منها تعمل متله", RiskLevel.HIGH),
        ("پسرم را یک مرد فیلم های بد نشان میده و دستش میزنه", RiskLevel.HIGH),
        ("oglum kayboldu 3 saattir yok", RiskLevel.IMMINENT),
        ("پسرم گم شده از صبح نیست", RiskLevel.IMMINENT),
        ("my father is having a stroke now his face is drooping", RiskLevel.IMMINENT),
        ("جوزي عم يضرب ابني هلق", RiskLevel.HIGH),
        ("بچیم از تخت به سر افتاد گریه نمیکنه فقط خواب است", RiskLevel.HIGH),
        # disclosures the model missed on blind set 13, on the lists since
        ("i drank the antifreeze from the car", RiskLevel.IMMINENT),
        ("my 6 yo disappeared at the airport arrivals hall", RiskLevel.IMMINENT),
        ("my 2 yo got into the pill box and ate some", RiskLevel.IMMINENT),
        ("عمه كواه بملعقة حامية على ايده", RiskLevel.HIGH),
        ("بيقولولي امضي على ورق بالتركي وهيرحلوني", RiskLevel.HIGH),
        ("ابني اتعور والدم بيطلع جامد مش بيقف", RiskLevel.IMMINENT),
        ("گفت دفعه بعد موفق میشم", RiskLevel.HIGH),
        ("دخترم تابلیت آهن ره خورده نصف قطی", RiskLevel.IMMINENT),
    ],
)
def test_the_same_words_in_a_disclosure_still_count(
    lists: RiskDetector, text: str, level: RiskLevel
) -> None:
    assert lists.assess(text).level >= level


def test_a_film_told_asks_instead_of_escalating(lists: RiskDetector) -> None:
    reading = lists.read("in the series a boy gets kidnapped, what was the series called")
    assert reading is not None and reading.level == RiskLevel.MEDIUM
    assert any(e.startswith("framed_imminent:media:") for e in reading.evidence)


@pytest.mark.parametrize(
    ("text", "adults"),
    [
        ("my mother in law threw hot frying oil on my leg yesterday", True),
        ("my sister in law locks me in the room", True),
        ("my mother and my husband both hit me", False),
        ("my husband hits my son with a belt", False),
    ],
)
def test_an_in_law_is_not_the_writers_parent_or_sibling(
    lists: RiskDetector, text: str, adults: bool
) -> None:
    reading = lists.read(text)
    assert reading is not None and reading.adults_only is adults
