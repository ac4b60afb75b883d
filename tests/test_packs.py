"""Rule packs: shipped packs load, overlays extend the national pack, bad packs name file and field."""

import pytest
from click.testing import CliRunner

from govmon.checks.catalogue import RULES
from govmon.checks.pack import PackError, load_pack, shipped_packs
from govmon.cli import main


def test_shipped_packs_load_and_hold_every_rule() -> None:
    assert {"national", "yunnan-2022", "qinghai-2021"} <= set(shipped_packs())
    for name in shipped_packs():
        pack = load_pack(name)
        assert set(RULES) <= set(pack.rules)


def test_an_overlay_merges_tables_adds_required_columns_and_keeps_the_rest() -> None:
    national, yunnan = load_pack("national"), load_pack("yunnan-2022")
    assert yunnan.extends == "national"
    assert [c.name for c in yunnan.columns.required] == [c.name for c in national.columns.required] + ["利企惠民政策"]
    assert yunnan.rule("IPV6-2").homepage_attempts == national.rule("IPV6-2").homepage_attempts
    assert yunnan.applies("IPV6-2", "department", "省") and not yunnan.applies("IPV6-2", "portal", "省")
    assert national.applies("IPV6-2", "portal", "县")
    assert yunnan.rule("HOME-1") == national.rule("HOME-1")


def test_a_local_overlay_file_extends_a_shipped_pack(tmp_path) -> None:
    path = tmp_path / "local.toml"
    path.write_text('extends = "national"\nid = "local"\nname = "本地"\n'
                    '[rules.HOME-1]\nmax_age_days = 7\n[columns.classes.dynamics]\nmax_age_days = 7\n',
                    encoding="utf-8")
    pack = load_pack(str(path))
    assert pack.rule("HOME-1")["max_age_days"] == 7 and pack.rule("HOME-1").status == "confirmed"
    assert pack.columns.classes["dynamics"].max_age_days == 7
    assert pack.columns.classes["dynamics"].synonyms == load_pack("national").columns.classes["dynamics"].synonyms


@pytest.mark.parametrize(("text", "field"), [
    ('extends = "national"\nid = "x"\nname = "x"\n[rules.COL-3]\nveto_at = 0\n', "rules.COL-3.veto_at"),
    ('extends = "national"\nid = "x"\nname = "x"\n[rules.INTER-2]\nmax_months = "three"\n', "rules.INTER-2.max_months"),
    ('extends = "national"\nid = "x"\nname = "x"\n[columns.classes.x]\nlabel = "x"\nsynonyms = []\n',
     "columns.classes.x.synonyms"),
    ('extends = "national"\nid = "x"\nname = "x"\n[[columns.required]]\nname = "x"\n', "columns.required.9.source"),
    ('extends = "nosuch"\nid = "x"\nname = "x"\n', "no rule pack named 'nosuch'"),
])
def test_bad_overlays_name_the_file_and_field(tmp_path, text: str, field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(str(path))
    assert field in str(error.value)


def test_packs_extending_each_other_in_a_loop_are_refused(tmp_path) -> None:
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nid = "a"\nname = "a"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nid = "b"\nname = "b"\n', encoding="utf-8")
    with pytest.raises(PackError, match="loop"):
        load_pack(str(tmp_path / "a.toml"))


def test_rules_list_shows_every_rule_its_source_and_whether_confirmed() -> None:
    result = CliRunner().invoke(main, ["rules", "list", "--pack", "yunnan-2022"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for rule in RULES.values():
        at = next(n for n, line in enumerate(lines) if line.startswith(f"{rule.id} "))
        assert lines[at + 2].strip() == f"source: {rule.source}"
    assert "extends national" in lines[0]
    assert any(line.startswith("COL-3 ") and "veto_at=5; confirmed" in line for line in lines)
    assert any(line.startswith("INTER-4 ") and "max_working_days=5; default, unconfirmed" in line for line in lines)
    assert any(line.startswith("IPV6-2 ") and "only department/省" in line for line in lines)
    assert "利企惠民政策  [portal]" in result.output


# Rules whose numbers only a provincial or municipal document gives (shared/seeds/README.md), and that document.
FROM_SEEDS = {
    "IPV6-1": "青政办〔2021〕47号", "IPV6-4": "青政办〔2021〕47号：二、三级页面支持度不低于90%",
    "TIME-1": "云政办发〔2017〕41号第102项", "TIME-2": "云政办发〔2022〕47号", "TIME-5": "云政办发〔2017〕41号",
    "TIME-7": "玉溪市", "ZC-1": "楚雄州",
}


def test_the_national_pack_carries_provincial_numbers_as_defaults_naming_where_they_come_from() -> None:
    national = load_pack("national")
    assert [rule_id for rule_id, settings in national.rules.items() if settings.status == "seed"] == []
    for rule_id, document in FROM_SEEDS.items():
        settings = national.rule(rule_id)
        assert settings.status == "default" and document in settings.threshold_source, rule_id
    assert all("云政办发〔2017〕41号" in release.source for release in national.periodic)
    assert all("seed" not in required.source for required in national.columns.required)


def test_an_overlay_marks_its_own_provinces_numbers_as_seed() -> None:
    national, yunnan, qinghai = load_pack("national"), load_pack("yunnan-2022"), load_pack("qinghai-2021")
    assert (yunnan.rule("TIME-1").status, yunnan.rule("TIME-1")["max_working_days"]) == ("seed", 3)
    assert yunnan.rule("TIME-1").threshold_source == national.rule("TIME-1").threshold_source
    assert (qinghai.rule("IPV6-4").status, qinghai.rule("IPV6-4")["min_support_ratio"]) == ("seed", 0.9)
    assert qinghai.rule("TIME-1").status == "default"  # 青海 gives no interpretation deadline


_TERM = '[[errors.terms]]\nwrong = "{wrong}"\nright = "国务院"\nclass = "{cls}"\nsource = "x"\nexcept_in = [{within}]\n'


@pytest.mark.parametrize(("text", "field"), [
    (_TERM.format(wrong="国务阮", cls="typo", within=""), "errors.terms.30.class: must be 'state_organs'"),
    (_TERM.format(wrong="国物院", cls="state_organs", within=""), "errors.terms.30.wrong: '国物院' is listed twice"),
    (_TERM.format(wrong="国务阮", cls="state_organs", within='"国务院办"'),
     "errors.terms.30.except_in: '国务院办' does not contain the wrong form"),
    ('[errors]\nallowed = ["正确的词"]\n', "errors.allowed: '正确的词' contains no wrong form"),
    ('[security]\ndomains = ["*.bet"]\n', "security.domains: a domain name such as example.com is required"),
    ('[security]\ndomains = ["casino"]\n', "not a bare top-level domain"),
    ('[security]\nkeywords = []\n', "security.keywords"),
    ('[services.elements]\n"办理流程" = []\n', "services.elements: every element needs at least one non-empty label"),
    ('[services]\ntitle_category = "名称"\n', "services.title_category: '名称' is not one of services.elements"),
    ('[rules.PII-1]\nkinds = ["passport"]\n', "rules.PII-1.kinds: unknown 'passport' (known: id_card, mobile, bank_card)"),
    ('[rules.SVC-1]\nentry_types = ["portl"]\n', "rules.SVC-1.entry_types: unknown 'portl'"),
    ('[rules.SVC-1]\nentry_words = []\n', "rules.SVC-1.entry_words: a list of words is required"),
    ('[rules.SEC-1]\nstuffing_min = "two"\n', "rules.SEC-1.stuffing_min: a finite non-negative number is required"),
    ('[rules.SVC-1]\nmin_missng = 3\n', "rules.SVC-1.min_missng: unknown field (did you mean 'min_missing'?)"),
])
def test_bad_content_veto_settings_name_the_file_and_field(tmp_path, text: str, field: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('extends = "national"\nid = "x"\nname = "x"\n' + text, encoding="utf-8")
    with pytest.raises(PackError) as error:
        load_pack(str(path))
    assert f"{path}: field " in str(error.value) and field in str(error.value)


def test_an_overlay_adds_error_terms_and_replaces_the_security_and_service_words(tmp_path) -> None:
    path = tmp_path / "local.toml"
    path.write_text('extends = "national"\nid = "local"\nname = "本地"\n'
                    + _TERM.format(wrong="国务阮", cls="state_organs", within="")
                    + '[security]\nkeywords = ["博彩"]\n[rules.SVC-1]\nentry_types = ["portal", "department"]\n',
                    encoding="utf-8")
    national, local = load_pack("national"), load_pack(str(path))
    assert [t.wrong for t in local.errors.terms] == [t.wrong for t in national.errors.terms] + ["国务阮"]
    assert local.security.keywords == ("博彩",) and local.security.domains == national.security.domains
    assert local.rule("SVC-1")["entry_types"] == ["portal", "department"]
    assert local.services == national.services and local.rule("SVC-1").veto_at == 5
