"""Korean particles follow how the word before them is read (kbtools/josa.py), and filled
placeholders get the right one (kbtools.text.fill), so `{version}가` never renders as 2.1.6가."""
from __future__ import annotations

import pytest

from kbtools import josa
from kbtools.text import fill

# (word, the 이/가 form it takes): how a Korean engineer reads it aloud.
READINGS = [
    ("2.1.6", "이"), ("2.40.3", "이"), ("1.23", "이"), ("10", "이"), ("250", "이"), ("26100", "이"),
    ("2.0", "이"), ("1809", "가"), ("2025", "가"), ("4", "가"), ("ltsc2022", "가"), ("Windows 11", "이"),
    ("Tier 3", "이"), ("WSL 2", "가"),
    ("MB", "가"), ("175 MB", "가"), ("4 GB", "가"), ("MCR", "이"), ("AKS", "가"), ("HNS", "가"),
    ("gMSA", "가"), ("Hyper-V", "가"), ("SKU", "가"), (".NET", "이"),
    ("Docker", "가"), ("containerd", "가"), ("dockerd", "가"), ("Kubernetes", "가"), ("Moby", "가"),
    ("BuildKit", "이"), ("Docker Desktop", "이"), ("kubelet", "이"), ("nerdctl", "이"), ("Docker Engine", "이"),
    ("Home", "이"), ("PowerShell", "이"), ("GitLab", "이"), ("Server Core", "가"), ("Azure", "가"),
    ("hcsshim", "이"), ("Tab", "이"), ("ZIP", "이"), ("GitHub", "가"), ("--driver-type", "이"), ("`docker export`", "가"), ("프로세스 격리(process isolation)", "가"), ("격리", "가"),
    ("2026-11-06", "이"),
]


@pytest.mark.parametrize("word,particle", READINGS)
def test_subject_particle_follows_the_reading(word, particle):
    assert josa.attach(word, "가") == word + particle
    assert josa.attach(word, "이") == word + particle


@pytest.mark.parametrize("word,pairs", [
    ("2.1.6", {"는": "은", "를": "을", "와": "과", "로": "으로", "나": "이나", "로는": "으로는"}),
    ("Docker", {"은": "는", "을": "를", "과": "와", "으로": "로", "이나": "나", "과의": "와의"}),
    ("Windows 11", {"으로": "로", "를": "을", "는": "은"}),      # 일: ㄹ takes 로 but 을/은
    ("MCR", {"으로": "로", "가": "이"}),                           # 알
    ("BuildKit", {"로": "으로", "를": "을"}),                       # 킷
])
def test_every_particle_pair(word, pairs):
    for given, right in pairs.items():
        assert josa.attach(word, given) == word + right


def test_copula_is_only_required_after_a_consonant():
    assert josa.attach("2.1.6", "며") == "2.1.6이며"
    assert josa.attach("Docker", "이며") == "Docker이며"     # both are written after a vowel
    assert josa.attach("Docker", "며") == "Docker며"


def test_unknown_readings_are_left_alone():
    assert josa.reading_end("`#`") is None
    assert josa.attach("Dv3", "와") == "Dv3와"                 # 삼 or 쓰리: either is heard
    assert josa.particle_at("2.1.6이미지", 5) is None             # 이 of 이미지 is no particle
    assert josa.particle_at("2.1.6으로는 ", 5) == "으로는"


def test_fill_picks_the_particle_of_the_value():
    values = {"version": "2.1.6", "runtime": "Docker", "size": {"value": 175, "unit": "MB", "basis": "compressed"}}
    assert fill("containerd {version}가 있고 {runtime}으로", values, "ko") == "containerd 2.1.6이 있고 Docker로"
    assert fill("약 {size}으로", values, "ko") == "약 175 MB(압축)로"
    assert fill("`{version}`가", values, "ko") == "`2.1.6`이"
    # a longer or shorter particle does not shift what follows
    assert fill("{version}로 바꾸고 {runtime}으로 {version}나 {runtime}", values, "ko") == \
        "2.1.6으로 바꾸고 Docker로 2.1.6이나 Docker"
    assert fill("{version}가", values, "en") == "2.1.6가"      # English text is never touched


def test_partial_dates_read_as_korean_and_full_dates_stay():
    values = {"eol": "2026-09", "day": "2026-11-06"}
    assert fill("{eol}가 지원 종료이며 2023-06까지, 2022-09 이후", values, "ko") == \
        "2026년 9월이 지원 종료이며 2023년 6월까지, 2022년 9월 이후"
    assert fill("{day}로 잡혀 있고 `2026-09` 태그", values, "ko") == "2026-11-06로 잡혀 있고 `2026-09` 태그"
    assert fill("until {eol}", values, "en") == "until 2026-09"
    assert fill("버전 1.2026-09", {}, "ko") == "버전 1.2026-09"
