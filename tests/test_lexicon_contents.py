"""What the bundled lexicons must hold (issue 4's list of required entities)."""

from __future__ import annotations

import pytest

REQUIRED = {
    "organisation": """islamic-state hezbollah popular-mobilization-forces
        islamic-revolutionary-guard-corps quds-force basij kataib-hezbollah asaib-ahl-al-haq
        harakat-hezbollah-al-nujaba badr-organization kataib-sayyid-al-shuhada saraya-al-salam
        al-qaeda al-qaeda-in-the-arabian-peninsula al-qaeda-in-the-islamic-maghreb
        jabhat-al-nusra hayat-tahrir-al-sham ahrar-al-sham jaysh-al-islam free-syrian-army
        syrian-democratic-forces peoples-defense-units kurdistan-workers-party peshmerga taliban
        islamic-state-khorasan-province houthis hamas islamic-jihad-movement-in-palestine
        boko-haram islamic-state-west-africa-province al-shabaab amal-movement syrian-arab-army
        wagner-group israel-defense-forces supreme-national-security-council
        combined-joint-task-force-operation-inherent-resolve""",
    "person": """ali-khamenei hassan-rouhani qasem-soleimani esmail-qaani haider-al-abadi
        nouri-al-maliki mustafa-al-kadhimi bashar-al-assad vladimir-putin ali-shamkhani
        saad-hariri hassan-nasrallah abu-mahdi-al-muhandis hadi-al-amiri qais-al-khazali
        falih-al-fayyadh muqtada-al-sadr ali-al-sistani masoud-barzani abu-bakr-al-baghdadi
        abu-mohammad-al-adnani ayman-al-zawahiri osama-bin-laden abu-mohammad-al-julani
        abdul-malik-al-houthi mohammad-javad-zarif recep-tayyip-erdogan benjamin-netanyahu
        mohammed-bin-salman donald-trump barack-obama jim-mattis robert-mugabe""",
    "place": """deir-ez-zor abu-kamal mosul tal-afar rawa raqqa qalamoun-mountains aleppo idlib
        damascus homs hama daraa palmyra kobani manbij afrin qusayr fallujah ramadi tikrit
        samarra kirkuk erbil baghdad basra sinjar beirut tehran sanaa hodeidah kabul sochi moscow
        paris london brussels""",
}
CORE_LANGUAGES = {"en", "ar", "fr", "de", "ru", "tr", "es"}


@pytest.mark.parametrize("etype", sorted(REQUIRED))
def test_required_entities_have_labels_in_seven_languages(bundled, etype: str) -> None:
    lexicon = bundled.lexicon
    missing = [i for i in REQUIRED[etype].split() if i not in lexicon]
    assert missing == []
    thin = {
        i: sorted(CORE_LANGUAGES - set(lexicon[i].labels))
        for i in REQUIRED[etype].split()
        if not set(lexicon[i].labels) >= CORE_LANGUAGES
    }
    assert thin == {}
    assert all(lexicon[i].type == etype for i in REQUIRED[etype].split())


def test_at_least_200_curated_entities(bundled) -> None:
    curated = [e for e in bundled.lexicon if e.path is not None]
    assert len(curated) >= 200
