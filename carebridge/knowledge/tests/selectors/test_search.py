"""Search of the living dictionary: the seed's two cases, synonyms, pinyin, ranking, a current index."""

from __future__ import annotations

import pytest

from carebridge.knowledge.choices import EntryKind, Proximity
from carebridge.knowledge.domain.geo import Origin
from carebridge.knowledge.models import SearchToken
from carebridge.knowledge.selectors.search import knowledge_search
from carebridge.knowledge.services.catalogue import service_update
from carebridge.knowledge.services.profiles import department_profile_save
from carebridge.knowledge.services.referrals import external_hospital_update
from carebridge.knowledge.tests import factories as kf

pytestmark = pytest.mark.django_db


def _names(results, kind):
    return [str(hit.entry) for hit in results.group(kind)]


def test_spinal_stenosis_ranks_orthopaedics_first_and_offers_non_surgical_departments(dictionary, agent_ann):
    results = knowledge_search(user=agent_ann, query="腰椎管狭窄")

    departments = results.group(EntryKind.DEPARTMENT)
    assert str(departments[0].entry) == "骨科"
    assert "non_surgical" not in departments[0].badges
    others = {str(hit.entry): hit for hit in departments[1:]}
    assert {"推拿科", "中医科"} <= set(others)
    assert "non_surgical" in others["推拿科"].badges and "non_surgical" in others["中医科"].badges
    assert "心血管内科" not in others
    assert results.referral is None  # the hospital treats it


def test_a_question_around_the_word_finds_the_same_department(dictionary, agent_ann):
    results = knowledge_search(user=agent_ann, query="腰椎管狭窄挂哪个科？")
    assert _names(results, EntryKind.DEPARTMENT)[0] == "骨科"


def test_lithotripsy_not_offered_here_refers_to_external_hospitals_nearest_and_best_known_first(
    dictionary, agent_ann
):
    results = knowledge_search(user=agent_ann, query="碎石")

    assert results.group(EntryKind.SERVICE)[0].entry == dictionary.eswl
    assert "not_offered" in results.group(EntryKind.SERVICE)[0].badges
    referral = results.referral
    assert referral is not None
    assert referral.service == "体外冲击波碎石"
    nearest = [option.hospital for option in referral.nearest]
    best_known = [option.hospital for option in referral.best_known]
    assert nearest == [dictionary.nearest, dictionary.middle, dictionary.famous, dictionary.no_coordinates]
    assert best_known == [dictionary.famous, dictionary.middle, dictionary.nearest, dictionary.no_coordinates]
    assert dictionary.unrelated not in nearest  # a hospital that does not offer it is never suggested
    assert referral.nearest[0].distance_km == pytest.approx(2.13, abs=0.1)
    assert referral.nearest[-1].distance_km is None
    assert referral.nearest[-1].proximity == Proximity.SAME_PROVINCE


def test_the_full_name_of_lithotripsy_gives_the_same_referral(dictionary, agent_ann):
    short = knowledge_search(user=agent_ann, query="碎石").referral
    full = knowledge_search(user=agent_ann, query="体外冲击波碎石").referral
    assert full is not None and short is not None
    assert [o.hospital for o in full.nearest] == [o.hospital for o in short.nearest]
    assert [o.hospital for o in full.best_known] == [o.hospital for o in short.best_known]


def test_synonyms_find_entries_written_with_another_word(dictionary, agent_ann):
    # ESWL and 结石碎石 are written only on two external hospitals; 按摩 only as a synonym of 推拿.
    eswl = knowledge_search(user=agent_ann, query="eswl")
    assert {dictionary.middle, dictionary.no_coordinates} <= {h.entry for h in eswl.group(EntryKind.EXTERNAL)}
    massage = knowledge_search(user=agent_ann, query="按摩")
    assert _names(massage, EntryKind.DEPARTMENT)[0] == "推拿科"
    assert _names(massage, EntryKind.SERVICE) == ["推拿治疗"]


def test_pinyin_initials_find_doctors_and_departments(dictionary, agent_ann):
    assert _names(knowledge_search(user=agent_ann, query="zjg"), EntryKind.DOCTOR) == ["张建国 主任医师"]
    assert _names(knowledge_search(user=agent_ann, query="GK"), EntryKind.DEPARTMENT)[0] == "骨科"
    assert _names(knowledge_search(user=agent_ann, query="tuinake"), EntryKind.DEPARTMENT) == ["推拿科"]


def test_a_doctor_is_found_by_specialty_with_the_clinic_sessions(dictionary, agent_ann):
    hit = knowledge_search(user=agent_ann, query="脊柱微创").group(EntryKind.DOCTOR)[0]
    assert hit.entry == dictionary.doctor
    assert [(s.weekday, s.half_day) for s in hit.entry.sessions.all()] == [(1, "am"), (3, "full")]


def test_faq_is_found_by_a_word_of_the_question_or_its_synonym(dictionary, agent_ann):
    for query in ("停车", "停车位在哪", "泊车"):
        assert (
            knowledge_search(user=agent_ann, query=query).group(EntryKind.FAQ)[0].entry == dictionary.parking
        )


def test_a_title_match_outranks_a_body_match(hospital, agent_ann):
    kf.department(hospital, "A", "眼科", introduction="")
    kf.department(hospital, "B", "耳鼻咽喉科", introduction="与眼科合作开展眼眶手术。")
    assert _names(knowledge_search(user=agent_ann, query="眼科"), EntryKind.DEPARTMENT) == [
        "眼科",
        "耳鼻咽喉科",
    ]


def test_the_index_follows_an_edit(dictionary, agent_ann):
    assert not knowledge_search(user=agent_ann, query="骨质疏松").group(EntryKind.DEPARTMENT)

    department_profile_save(
        department=dictionary.tcm, actor=agent_ann, values={"treatment_scope": "骨质疏松的中医调理"}
    )

    assert _names(knowledge_search(user=agent_ann, query="骨质疏松"), EntryKind.DEPARTMENT) == ["中医科"]
    assert not knowledge_search(user=agent_ann, query="脾胃病").group(EntryKind.DEPARTMENT)


def test_a_new_service_makes_its_department_findable(dictionary, agent_ann):
    kf.service(dictionary.cardiology.hospital, "射频消融", dictionary.cardiology, synonyms="房颤消融")
    assert _names(knowledge_search(user=agent_ann, query="房颤消融"), EntryKind.DEPARTMENT) == ["心血管内科"]


def test_offering_lithotripsy_here_ends_the_referral(dictionary, agent_ann):
    service_update(service=dictionary.eswl, actor=agent_ann, values={"offered_here": True})
    results = knowledge_search(user=agent_ann, query="碎石")
    assert results.referral is None
    assert "泌尿外科" in _names(results, EntryKind.DEPARTMENT)


def test_an_inactive_entry_leaves_the_index(dictionary, agent_ann):
    external_hospital_update(external=dictionary.nearest, actor=agent_ann, values={"is_active": False})
    assert not SearchToken.objects.filter(kind=EntryKind.EXTERNAL, object_id=dictionary.nearest.pk).exists()
    referral = knowledge_search(user=agent_ann, query="碎石").referral
    assert dictionary.nearest not in [o.hospital for o in referral.nearest]


def test_the_patients_home_region_changes_what_is_nearest(dictionary, agent_ann):
    home_in_jurong = Origin(region_code="321183", label="句容")
    referral = knowledge_search(user=agent_ann, query="碎石", origin=home_in_jurong).referral
    assert referral.nearest[0].hospital == dictionary.no_coordinates
    assert referral.nearest[0].proximity == Proximity.SAME_COUNTY


def test_without_coordinates_region_codes_order_the_hospitals(hospital, agent_ann):
    kf.hospital_profile(hospital, latitude=None, longitude=None)  # the hospital is in 320106 (鼓楼区)
    kf.service(hospital, "体外冲击波碎石", offered_here=False)
    province = kf.external(hospital, "省内医院", region="321183", services_offered="碎石", reputation=99)
    county = kf.external(hospital, "区内医院", region="320106", services_offered="碎石", reputation=10)
    city = kf.external(hospital, "市内医院", region="320102", services_offered="碎石", reputation=50)
    referral = knowledge_search(user=agent_ann, query="碎石").referral
    assert [o.hospital for o in referral.nearest] == [county, city, province]
    assert [o.hospital for o in referral.best_known] == [province, city, county]


def test_an_empty_or_meaningless_query_finds_nothing(dictionary, agent_ann):
    for query in ("", "   ", "？！", "的了吗"):
        results = knowledge_search(user=agent_ann, query=query)
        assert results.total == 0 and results.referral is None


def test_search_takes_a_fixed_number_of_queries(dictionary, agent_ann, django_assert_max_num_queries):
    knowledge_search(user=agent_ann, query="腰椎管狭窄")  # warm the scope and permission caches
    with django_assert_max_num_queries(12):
        knowledge_search(user=agent_ann, query="碎石")


def test_a_patient_who_declines_surgery_brings_the_non_surgical_departments_level_with_orthopaedics(
    dictionary, agent_ann
):
    # The seed: the patient with spinal stenosis did not want surgery and was sent to 按摩科 and 中医科.
    def scores(query):
        return {
            str(hit.entry): hit.score
            for hit in knowledge_search(user=agent_ann, query=query).group("department")
        }

    plain, declining = scores("腰椎管狭窄"), scores("腰椎管狭窄不想手术")
    for name in ("推拿科", "中医科"):
        assert plain[name] < plain["骨科"] / 2
        assert declining[name] > declining["骨科"] * 0.8
