"""GET /api/cases and GET /api/cases/{id}: order, filters, paging, language routing, content."""

from __future__ import annotations

from datetime import timedelta

from tests.cases.conftest import Api


def ids(response: object) -> list[int]:
    return [item["id"] for item in response.json()]  # type: ignore[attr-defined]


def test_most_urgent_first_then_oldest(api: Api) -> None:
    boss = api.staff("supervisor")
    medium_old = api.case("medium", age=timedelta(hours=5))
    high_new = api.case("high", age=timedelta(minutes=1))
    imminent = api.case("imminent", age=timedelta(minutes=2))
    high_old = api.case("high", age=timedelta(hours=1))
    response = api.get("/api/cases?status=open", boss)
    assert response.status_code == 200
    assert ids(response) == [imminent, high_old, high_new, medium_old]
    assert response.headers["x-total-count"] == "4"
    first = response.json()[0]
    for key in ("id", "status", "priority", "category", "channel", "language", "created_at"):
        assert key in first
    assert first["assignee"] is None and first["status"] == "open"
    assert first["priority"] == "imminent" and first["channel"] == "test"
    assert [m["direction"] for m in first["messages"]] == ["in"]
    assert first["messages"][0]["text"] == "help me please"


def test_filters_by_status_priority_language_and_assignee(api: Api) -> None:
    boss = api.staff("supervisor")
    worker = api.staff("caseworker")
    tr_high = api.case("high", "tr")
    ar_high = api.case("high", "ar")
    tr_medium = api.case("medium", "tr")
    assert api.post(f"/api/cases/{ar_high}/claim", worker).status_code == 200
    assert ids(api.get("/api/cases?status=open", boss)) == [tr_high, tr_medium]
    assert ids(api.get("/api/cases?status=claimed", boss)) == [ar_high]
    assert ids(api.get("/api/cases?priority=medium", boss)) == [tr_medium]
    assert ids(api.get("/api/cases?language=ar", boss)) == [ar_high]
    assert ids(api.get(f"/api/cases?assignee={worker.name}", boss)) == [ar_high]
    assert ids(api.get("/api/cases?assignee=me", worker)) == [ar_high]
    assert ids(api.get("/api/cases?assignee=none", boss)) == [tr_high, tr_medium]
    assert ids(api.get("/api/cases?status=open,claimed&priority=high", boss)) == [tr_high, ar_high]
    closing = api.post(f"/api/cases/{tr_medium}/close", boss, json={"outcome": "resolved"})
    assert closing.status_code == 200
    assert tr_medium not in ids(api.get("/api/cases", boss))  # default: open and claimed
    assert ids(api.get("/api/cases?status=closed", boss)) == [tr_medium]
    assert len(ids(api.get("/api/cases?status=all", boss))) == 3


def test_paging_with_limit_and_offset(api: Api) -> None:
    boss = api.staff("supervisor")
    made = [api.case("high", age=timedelta(minutes=10 - n)) for n in range(5)]
    first = api.get("/api/cases?limit=2", boss)
    assert ids(first) == made[:2]
    assert first.headers["x-total-count"] == "5"
    assert 'rel="next"' in first.headers["link"] and "offset=2" in first.headers["link"]
    assert ids(api.get("/api/cases?limit=2&offset=2", boss)) == made[2:4]
    last = api.get("/api/cases?limit=2&offset=4", boss)
    assert ids(last) == made[4:] and "link" not in last.headers


def test_bad_query_parameters_are_clean_422s(api: Api) -> None:
    boss = api.staff("supervisor")
    for query in (
        "status=pending",
        "priority=low",
        "limit=0",
        "limit=1000",
        "limit=ten",
        "offset=-1",
        "colour=red",
    ):
        response = api.get(f"/api/cases?{query}", boss)
        assert response.status_code == 422, query
        assert response.json()["error"]


def test_a_caseworker_sees_their_languages_first_and_others_after_the_fallback(
    api: Api,
) -> None:
    arabic = api.staff("caseworker", ["ar"])
    boss = api.staff("supervisor", ["en"])
    fresh_tr = api.case("high", "tr")
    old_tr = api.case("high", "tr", age=timedelta(minutes=11))  # fallback is 10 minutes
    fresh_ar = api.case("high", "ar")
    imminent_tr = api.case("imminent", "tr")
    seen = ids(api.get("/api/cases", arabic))
    assert sorted(seen) == sorted([old_tr, fresh_ar, imminent_tr])
    assert fresh_tr not in seen
    assert api.get(f"/api/cases/{fresh_tr}", arabic).status_code == 403
    assert api.post(f"/api/cases/{fresh_tr}/claim", arabic).status_code == 403
    assert api.row(fresh_tr).status == "open"
    assert api.post(f"/api/cases/{old_tr}/claim", arabic).status_code == 200
    # a supervisor sees everything, whatever the languages
    assert sorted(ids(api.get("/api/cases", boss))) == sorted(
        [fresh_tr, old_tr, fresh_ar, imminent_tr]
    )
    # a Turkish case someone else claimed is no longer offered across languages
    turkish = api.staff("caseworker", ["tr"])
    assert api.post(f"/api/cases/{imminent_tr}/claim", turkish).status_code == 200
    assert imminent_tr not in ids(api.get("/api/cases", arabic))
    # the claimed one stays visible to the Arabic speaker who holds it
    assert old_tr in ids(api.get("/api/cases", arabic))


def test_one_case_with_messages_oldest_first_and_events(api: Api) -> None:
    worker = api.staff()
    case_id = api.case("high", text="my husband hit me")
    api.post(f"/api/cases/{case_id}/claim", worker)
    api.post(f"/api/cases/{case_id}/reply", worker, json={"text": "I am here. Are you safe?"})
    api.post(f"/api/cases/{case_id}/note", worker, json={"text": "call back at 5"})
    case = api.get(f"/api/cases/{case_id}", worker).json()
    assert case["id"] == case_id and case["status"] == "claimed"
    assert case["assignee"] == worker.name
    assert [(m["direction"], m["text"]) for m in case["messages"]] == [
        ("in", "my husband hit me"),
        ("out", "I am here. Are you safe?"),
    ]
    reply = case["messages"][1]
    assert reply["from"] == "staff" and reply["staff"] == worker.name
    assert reply["delivery_status"] == "queued"
    assert all(m["at"] for m in case["messages"])
    kinds = [event["kind"] for event in case["events"]]
    assert kinds == ["opened", "claimed", "reply", "note"]
    assert case["notes"][0]["detail"]["text"] == "call back at 5"
    assert case["notes"][0]["staff"] == worker.name
    assert case["conversation_mode"] == "human"


def test_an_unknown_case_is_404_for_every_case_endpoint(api: Api) -> None:
    boss = api.staff("admin")
    assert api.get("/api/cases/424242", boss).status_code == 404
    assert api.get("/api/cases/not-a-number", boss).status_code == 404
    for action, body in (
        ("claim", None),
        ("reply", {"text": "hello"}),
        ("note", {"text": "hello"}),
        ("handback", None),
        ("close", {"outcome": "resolved"}),
        ("reassign", {"staff": boss.name}),
    ):
        response = api.post(f"/api/cases/424242/{action}", boss, json=body)
        assert response.status_code == 404, action
        assert "424242" in response.json()["error"]
