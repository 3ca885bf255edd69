"""The information-desk sub-topics (issue 12) in every language: typed, and as buttons."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.engine.flows import load_flows
from bot.nlu import training_data
from bot.storage.models import Case
from tests.conftest import ROOT, Person

# One question per topic and language, written for this test (not in nlu/).
QUESTIONS = {
    "kimlik_deactivated": {
        "tr": "kimligim pasif olmus hastane kabul etmedi ne yapmaliyim",
        "ar": "الكيملك تبعي صار موقوف شو لازم اعمل",
        "en": "my kimlik got deactivated what should i do now",
        "fa": "کیملیک من غیرفعال شده چه کار کنم",
    },
    "travel_permit": {
        "tr": "baska sehre gitmek icin yol izin belgesi nasil alinir",
        "ar": "كيف بطلع اذن سفر لروح على غازي عنتاب",
        "en": "how can i get a travel permit to visit another city",
        "fa": "برای رفتن به شهر دیگر اجازه سفر را از کجا بگیرم",
    },
    "birth_registration": {
        "tr": "bebegim dun dogdu kimlik icin nereye kayit yaptiracagim",
        "ar": "ولدت مرتي امبارح كيف بسجل المولود",
        "en": "my baby was born yesterday how do i register the birth",
        "fa": "نوزادم تازه به دنیا آمده چطور تولدش را ثبت کنم",
    },
    "edevlet_imei": {
        "tr": "e-devlet sifresini nereden alabilirim",
        "ar": "من وين بطلع شيفرة اي دولات",
        "en": "where can i get my e-devlet password",
        "fa": "رمز ای دولت را از کجا بگیرم",
    },
    "international_protection": {
        "tr": "uluslararasi koruma basvurusu icin hangi il goc idaresine gidecegim",
        "ar": "بدي قدم طلب حماية دولية بتركيا لوين لازم روح",
        "en": "where do i go to apply for international protection in turkey",
        "fa": "برای درخواست حمایت بین المللی به کدام اداره بروم",
    },
    "vaccination_interpreter": {
        "tr": "bebegimin asi takvimi nedir hangi aylarda asi olacak",
        "ar": "شو اللقاحات يلي لازم ياخدها ابني وبأي عمر",
        "en": "which vaccines does my baby need and at what age",
        "fa": "واکسین های طفلم در کدام ماه ها است",
    },
    "school_adaptation": {
        "tr": "suriyedeki okul karnelerinin denkligini nasil yaptiririm",
        "ar": "كيف بعمل معادلة لشهادة ابني من سوريا",
        "en": "how do i get my son's school certificate from iraq recognised",
        "fa": "اسناد مکتب دخترم از افغانستان را چطور معادل سازی کنم",
    },
    "marriage_registration": {
        "tr": "sadece imam nikahimiz var resmi nikah nasil yapilir",
        "ar": "نحنا متزوجين عند شيخ بس كيف منثبت الزواج رسمي",
        "en": "we only have a religious marriage how do we make it official",
        "fa": "فقط نکاح ملا کرده ایم چطور نکاح رسمی کنیم",
    },
    "voluntary_return": {
        "tr": "gonullu geri donus yaparsam tekrar turkiyeye gelebilir miyim",
        "ar": "اذا رجعت على سوريا عودة طوعية بقدر ارجع على تركيا",
        "en": "if i do voluntary return to syria can i come back later",
        "fa": "اگر بازگشت داوطلبانه کنم دوباره می توانم به ترکیه بیایم",
    },
}
LANGUAGES = ("tr", "ar", "en", "fa")
# the general answer whose buttons offer each topic
PARENT = {
    "faq_registration": ("menu.registration", "faq.registration"),
    "faq_health": ("menu.health", "faq.health"),
    "faq_education": ("menu.education", "faq.education"),
    "faq_legal": ("menu.legal", "faq.legal"),
}


def topics() -> dict[str, str]:
    """topic -> its intent, from the training data."""
    return {e.topic: e.intent for e in training_data.load(ROOT / "nlu").examples if e.topic}


def said(person: Person, msgid: str, language: str) -> str:
    return person.helpline.engine.texts.get(language, msgid)


def open_cases(person: Person) -> int:
    with person.helpline.db.transaction() as session:
        return len(session.scalars(select(Case)).all())


def urgent_cases(person: Person) -> int:
    with person.helpline.db.transaction() as session:
        urgent = select(Case).where(Case.priority.in_(["high", "imminent"]))
        return len(session.scalars(urgent).all())


def test_every_topic_has_a_flow_and_every_topic_flow_has_training_data() -> None:
    book = load_flows(ROOT / "flows")
    flow_topics = {key.split("/")[1] for key in book.by_intent if "/" in key}
    assert flow_topics == set(topics()) == set(QUESTIONS)


def test_no_text_is_left_unwritten() -> None:
    for language in LANGUAGES:
        catalog = (ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").read_text("utf-8")
        assert "TODO" not in catalog, language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", sorted(QUESTIONS))
def test_a_typed_question_gets_the_topic_answer(person: Person, language: str, topic: str) -> None:
    person.language_code = language
    person.says(QUESTIONS[topic][language])  # a first message: the welcome comes first
    replies = [reply.text for reply in person.last]
    assert said(person, f"faq.topic.{topic}", language) in replies
    # a question is answered, never taken over as an emergency (a deactivated kimlik is a
    # worry: the answer may be followed by an offer to follow it up)
    assert urgent_cases(person) == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_general_answer_offers_its_topics_as_buttons(person: Person, language: str) -> None:
    person.language_code = language
    by_intent: dict[str, list[str]] = {}
    for key in load_flows(ROOT / "flows").by_intent:
        if "/" in key:
            intent, topic = key.split("/")
            by_intent.setdefault(intent, []).append(topic)
    assert set(by_intent) == set(PARENT)
    for intent, (menu_label, answer) in PARENT.items():
        person.says("menu")
        person.taps(said(person, menu_label, language))
        assert person.last[0].text == said(person, answer, language)
        question = person.last[-1]
        assert question.text == said(person, "after.topics", language)
        labels = [b.label for b in question.buttons]
        for topic in by_intent[intent]:
            assert said(person, f"topic.{topic}", language) in labels
        assert said(person, "after.human", language) in labels
        first = by_intent[intent][0]
        person.taps(said(person, f"topic.{first}", language))
        assert person.last[0].text == said(person, f"faq.topic.{first}", language)


def test_a_tapped_label_is_not_a_disclosure_but_words_sent_with_a_tap_are(person: Person) -> None:
    """A tap sends our label back ("Kimlik deactivated", "Voluntary return"): no case.

    Text that is not one of our labels is read for risk as always, even with a button.
    """
    person.language_code = "en"
    person.says("menu")
    person.taps(said(person, "menu.legal", "en"))
    person.taps(said(person, "topic.voluntary_return", "en"))
    assert person.last[0].text == said(person, "faq.topic.voluntary_return", "en")
    assert open_cases(person) == 0
    button = person.last[-1].buttons[0]
    person.says("they are putting my husband on the deportation bus right now", button.payload)
    assert open_cases(person) == 1
