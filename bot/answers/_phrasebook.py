"""How fans ask in Indonesian and Korean, in the English forms the parser reads. Pure.

Only the question's form is translated ("siapa pemeran Mari" reads as "who plays Mari");
names stay as typed and link through the alias index as ever, and the answer comes from
the store as it does for an English question. Korean attaches endings to words
("연기했어"), so its phrases match inside words; Indonesian phrases match whole words.
"""

from __future__ import annotations

import functools
import re

# (phrase pattern, English form), longest phrases first within each language.
_INDONESIAN = (
    (
        r"siapa(kah)? (yang )?(pemeran|memerankan|berperan( sebagai)?|main(in)?( jadi| sebagai)?)",
        "who plays",
    ),
    (r"(pemeran|aktor|aktris)(nya)? (dari|untuk)?", "actor"),
    (r"siapa(kah)? (yang )?(menyanyikan|nyanyi(in)?|penyanyi(nya)?|bernyanyi)", "who sings"),
    (r"(penyanyi|menyanyikan|dinyanyikan( oleh)?)", "sings"),
    (r"siapa(kah)? (yang )?(menulis|nulis|penulis|mencipta(kan)?|pencipta)( lagu)?", "who wrote"),
    (r"(penulis (skenario|naskah)|skenario|naskah)(nya)?", "screenplay"),
    (r"(sutradara|disutradarai( oleh)?)(nya)?", "director"),
    (r"(ada )?berapa (jumlah )?(episode|eps|ep)(nya)?", "how many episodes"),
    (r"jumlah (episode|eps)(nya)?", "how many episodes"),
    (r"(tayang perdana|rilis|dirilis|perdana)(nya)?", "premiere"),
    (r"(jam berapa)", "what time"),
    (r"(hari apa)", "what day"),
    (r"(tayang|ditayangkan|tayangnya|mengudara)", "air"),
    (r"(nonton|menonton|ditonton|tonton) (di ?mana|dmn)", "where can i watch"),
    (r"(di ?mana|dmn) (bisa )?(nonton|menonton|ditonton|streaming)", "where can i watch"),
    (r"(pekerjaan|kerjaan|profesi)(nya)?", "job"),
    (r"(berapa )?(umur|usia)(nya)?", "how old"),
    (r"(daftar lagu|lagu apa saja|ost apa saja|lagu-lagu(nya)?)", "songs list"),
    (r"(lagu|lagunya)", "song"),
    (r"(drama lain(nya)?|drama sebelumnya|main di drama apa( saja)?)", "other dramas"),
    (r"(tentang apa|ceritanya tentang|sinopsis(nya)?|alur cerita(nya)?)", "about"),
    (r"(kapan)", "when"),
    (r"(siapa|siapakah)", "who"),
    (r"(apa|apakah)", "what"),
)
_KOREAN = (
    (r"(누가 연기|연기한 (사람|배우)|역 (배우|누구)|배우 누구)", "who plays"),
    (r"(누가 불렀|누가 부른|부른 (사람|가수)|가수 누구|노래 누가)", "who sings"),
    (r"(누가 (썼|작사)|작사가|작곡가)", "who wrote"),
    (r"(몇 부작|몇 화|몇 회|몇부작|에피소드 몇)", "how many episodes"),
    (r"(언제 (방송|방영|공개|나와)|방영일|첫 방송|공개일|첫방)", "when premiere"),
    (r"(무슨 요일)", "what day"),
    (r"(몇 시)", "what time"),
    (r"(어디서 (봐|볼|보)|어디서 방송|어디서 스트리밍)", "where can i watch"),
    (r"(각본|작가)", "screenplay"),
    (r"(감독)", "director"),
    (r"(직업|무슨 일)", "job"),
    (r"(몇 살|나이)", "how old"),
    (r"(ost 목록|노래 목록|수록곡)", "songs list"),
    (r"(차기작|다음 작품)", "next drama"),
    (r"(다른 작품|출연작|전작)", "other dramas"),
    (r"(줄거리|무슨 내용)", "about"),
    (r"(노래|곡)", "song"),
    (r"(누구)", "who"),
)
# One alternation per language, each phrase a named group: the group that matched says
# which phrase it was (`lastgroup`), so no phrase is matched twice.
_WHOLE_WORDS = re.compile(
    "|".join(rf"(?<= )(?P<p{i}>{p})(?= )" for i, (p, _) in enumerate(_INDONESIAN)),
    re.IGNORECASE,
)
_INSIDE_WORDS = re.compile("|".join(rf"(?P<p{i}>{p})" for i, (p, _) in enumerate(_KOREAN)))
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _english(match: re.Match[str], table: tuple[tuple[str, str], ...]) -> str:
    """The English form of the phrase that matched."""
    return table[int(str(match.lastgroup)[1:])][1]


@functools.lru_cache(maxsize=4096)
def in_english(t: str) -> str:
    """`t` (space-padded, casefolded words) with its Indonesian and Korean question phrases
    read as the English forms; English text comes back as it was."""
    out = _WHOLE_WORDS.sub(lambda m: _english(m, _INDONESIAN), t)
    if _HANGUL.search(out):
        out = _INSIDE_WORDS.sub(lambda m: f" {_english(m, _KOREAN)} ", out)
        out = " " + " ".join(out.split()) + " "
    return out


@functools.lru_cache(maxsize=4096)
def phrase_words(t: str) -> frozenset[str]:
    """The words of `t` (space-padded, casefolded) that make up its Indonesian and Korean
    question phrases: they say how it is asked, not what about, so no search needs them."""
    spans = [m[0] for m in _WHOLE_WORDS.finditer(t)]
    if _HANGUL.search(t):
        spans += [w for w in t.split() if _HANGUL.search(w)]
    return frozenset(w for span in spans for w in span.split())
