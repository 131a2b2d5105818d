"""Korean particles (조사) chosen by how the word before them is read aloud.

A Korean particle has two forms: one after a final consonant (받침), one after a vowel
(2.1.6이 "육이", Docker가 "도커가"); 으로/로 also takes 로 after ㄹ (Windows 11로 "일일로").
Hangul shows its own final consonant; numbers, Latin words, acronyms and units do not, so
`reading_end` reads them the way a Korean engineer says them:

- numbers by their last spoken part: 2.1.6 → 육, 10 → 십, 1809 → 구, 2.0 → 영, 2025 → 오;
- acronyms by the name of their last letter: MB → 비, MCR → 알, AKS → 에스, gMSA → 에이;
- units by their Korean name: 175 MB → 메가바이트, 4 GB → 기가바이트;
- words by their usual transliteration: Docker → 도커, BuildKit → 빌드킷, Home → 홈, Tab → 탭,
  containerd → 컨테이너디, PowerShell → 파워셸 (a few exceptions are listed; the rest follow
  English spelling: -ng ㅇ, -m ㅁ, -n ㄴ, -l ㄹ, a short vowel + p/t/k/b ㅂ/ㅅ/ㄱ/ㅂ, else a vowel).

kbtools.text.fill puts the right form after every filled value (`particle_at`, `form`), and the
korean-particles rule reports wrong literal particles in kb text.
"""
from __future__ import annotations

import re

NONE, CODA, RIEUL = "vowel", "coda", "rieul"   # how the word ends: a vowel, a consonant, ㄹ

# (after a consonant, after a vowel). Longest first, so 으로는 wins over 으로 and 이나 over 이.
STRICT = [("으로서", "로서"), ("으로써", "로써"), ("으로는", "로는"), ("으로도", "로도"), ("으로만", "로만"),
          ("으로", "로"), ("과는", "와는"), ("과도", "와도"), ("과의", "와의"), ("과", "와"),
          ("이나", "나"), ("은", "는"), ("이", "가"), ("을", "를")]
# The copula 이 may be dropped after a vowel (Docker이며 and Docker며 are both written), never
# after a consonant (2.1.6며 is wrong): only the short form after a consonant is an error.
COPULA = [("이라고", "라고"), ("이라는", "라는"), ("이라면", "라면"), ("이라도", "라도"), ("이지만", "지만"),
          ("이었", "였"), ("이라", "라"), ("이란", "란"), ("이며", "며"), ("이고", "고"), ("이면", "면"),
          ("이든", "든")]
FORMS = sorted({f for pair in STRICT + COPULA for f in pair}, key=len, reverse=True)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
_DIGIT = {"0": CODA, "1": RIEUL, "2": NONE, "3": CODA, "4": NONE, "5": NONE, "6": CODA, "7": RIEUL,
          "8": RIEUL, "9": NONE}   # 영 일 이 삼 사 오 육 칠 팔 구
# Names of the letters as Korean reads them: 엘 and 알 end in ㄹ, 엠 and 엔 in a consonant.
_LETTER = {"L": RIEUL, "R": RIEUL, "M": CODA, "N": CODA}
_UNITS = {"KB": NONE, "MB": NONE, "GB": NONE, "TB": NONE, "%": NONE, "ms": NONE, "px": RIEUL}
# Words whose usual Korean form the spelling rules below would miss (.NET 닷넷, GitLab 깃랩).
_WORDS = {"hub": NONE, "github": NONE, "zip": CODA, "containerd": NONE, "buildkitd": NONE,
          "dockerd": NONE, "edge": NONE, "apache": NONE, "ce": NONE, "ee": NONE, "shell": RIEUL,
          "powershell": RIEUL, "ltsc": NONE, "net": CODA, "type": CODA, "ubuntu": NONE, "windows": NONE, "kubernetes": NONE}

_TOKEN = re.compile(r"([0-9][0-9.,]*|[A-Za-z]+|%)\W*$")


def _number(num: str) -> str:
    num = num.rstrip(".,")
    if "." in num:                              # 2.1.6, 1.23: the digits after the last point are read one by one
        return _DIGIT[num[-1]]
    digits = num.replace(",", "")
    if set(digits) == {"0"}:
        return CODA                             # 영
    if digits.endswith("0"):
        return CODA                             # 십 백 천 만 억: all end in a consonant, none in ㄹ
    return _DIGIT[digits[-1]]


def _word(word: str) -> str:
    low = word.lower()
    if low in _WORDS:
        return _WORDS[low]
    if low.endswith("ng"):
        return CODA
    if low[-1] == "m":
        return CODA
    if low[-1] == "n":
        return CODA
    if low[-1] == "l":
        return RIEUL
    if len(low) >= 3 and low.endswith("e") and low[-2] not in "aeiouy":
        return {"m": CODA, "n": CODA, "l": RIEUL}.get(low[-2], NONE)   # Home 홈, Engine 엔진, Bundle 번들
    if len(low) >= 3 and low[-1] in "ptkb" and low[-2] in "aeiou" and low[-3] not in "aeiou":
        return CODA                             # Desktop 데스크톱, BuildKit 빌드킷, kubelet 큐블릿, Tab 탭, GitLab 깃랩
    return NONE


def reading_end(word: str) -> str | None:
    """How `word` ends when read aloud in Korean (NONE, CODA or RIEUL); None if it cannot tell."""
    word = word.strip().rstrip("`'\"’”").strip()
    while word.endswith(")") and "(" in word:   # 프로세스 격리(process isolation)를: the word before the brackets
        word = word[:word.rindex("(")].rstrip()
    if not word:
        return None
    last = word[-1]
    if re.search(r"\d{4}-\d{2}-\d{2}$", word):
        return RIEUL                            # 2026-11-06 is read …6일
    if HANGUL.match(last):
        coda = (ord(last) - 0xAC00) % 28
        return NONE if coda == 0 else (RIEUL if coda == 8 else CODA)
    for unit, end in _UNITS.items():
        if word.endswith(unit) and (len(word) == len(unit) or not word[-len(unit) - 1].isalpha()):
            return end
    m = _TOKEN.search(word)
    if not m:
        return None
    token = m.group(1)
    if token.lower() in _WORDS:
        return _WORDS[token.lower()]
    if token[0].isdigit():
        glued = word[:m.start()][-1:].isalpha()
        if glued and len(token) == 1:
            return None                         # Dv3: 디브이삼 or 디브이쓰리; either is heard
        return _number(token)
    if len(token) >= 2 and token[-2:].isupper() or (len(token) == 1 and token.isupper()):
        return _LETTER.get(token[-1], NONE)    # an acronym or a single letter (Hyper-V 브이)
    m2 = re.search(r"[A-Z]{2,}$", token)      # gMSA: the capitals at the end are spelled out
    if m2:
        return _LETTER.get(token[-1], NONE)
    return _word(token)


def form(end: str, particle: str) -> str:
    """The form of `particle` (either of its forms) that follows a word ending in `end`."""
    for hard, soft in STRICT + COPULA:
        if particle in (hard, soft):
            if (hard, soft) in COPULA and end == NONE:
                return particle                 # 이며 and 며 both follow a vowel
            if hard.startswith("으로"):
                return soft if end in (NONE, RIEUL) else hard
            return hard if end != NONE else soft
    return particle


def particle_at(text: str, at: int) -> str | None:
    """The particle that starts at `at` and ends a word (not 이 of 이미지), or None."""
    for f in FORMS:
        if text.startswith(f, at) and not HANGUL.match(text[at + len(f):at + len(f) + 1]):
            return f
    return None


def attach(word: str, particle: str) -> str:
    """`word` followed by the right form of `particle`: attach("2.1.6", "가") == "2.1.6이"."""
    end = reading_end(word)
    return word + (form(end, particle) if end else particle)
