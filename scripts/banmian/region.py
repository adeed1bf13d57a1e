"""Region: the most specific administrative unit an article is about, from the gazetteer.

The gazetteer (data/gazetteer.tsv.gz, built by scripts/tools/build_gazetteer.py from the NBS
统计用区划代码) lists provinces, cities, counties and towns with their codes; a unit's parents are
its code prefixes (2, 4, 6, 9 digits). Names are found in text by their suffix (省 市 区 县 镇 乡
街道 …) so a page is scanned in one pass; short forms without suffix (聊城, 茌平) are only trusted
in headlines and before a zone word, because bare two-character names in running text are
often something else. A name shared by several units is decided by the other places printed on
the same page; when they do not decide it, the region says so instead of guessing.
"""

from __future__ import annotations

import gc
import gzip
import itertools
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml

from . import notes
from .model import Article, PageResult, Region

DATA = Path(__file__).resolve().parent / "data"
GAZETTEER = DATA / "gazetteer.tsv.gz"
ALIASES = DATA / "gazetteer_aliases.yml"

LEVELS = (2, 4, 6, 9)  # code length of province, city, county, town
FIELDS = ("province", "city", "county", "town")
OPENING_CHARS = 300  # how much of the opening paragraphs speaks for an article without a place in its headline
# Evidence weights: where another place is printed, relative to the article being resolved.
W_FOCUS, W_ARTICLE, W_PAGE = 8, 4, 1
# How a surface form reaches a unit; lower ranks win ties (the current name is the plain reading).
RANK = {"name": 0, "short": 0, "zone": 0, "historical": 1, "renamed": 2}
NO_REGION_FLAG = "no_region_decided"
ADMIN_END = frozenset("省市区县州盟旗镇乡道处木")  # last characters of 省 市 区 县 州 盟 旗 镇 乡 街道 办事处 苏木
QUOTED = re.compile(r"《[^》]{0,60}》")
# A town-shaped name printed right after a county the gazetteer does not list (renamed or merged
# since): kept as printed, with no code of its own. Words like 各镇/全乡 are not names.
UNLISTED_TOWN = re.compile(r"(?![在把对为与和及将从向由等各全该本每两几多一这那其此城乡镇])[\u4e00-\u9fff]{2,3}?(?:镇|乡|街道)")


class Cand(NamedTuple):
    code: str
    how: str  # name | short | historical | renamed | zone


@dataclass(eq=False, slots=True)
class Mention:
    start: int
    end: int
    surface: str
    cands: tuple[Cand, ...]
    quoted: bool = False  # inside 《…》: a law or document title, not what the article is about
    after: str = ""  # the few characters printed right after the name
    certain: str | None = field(default=None)  # the deepest unit all candidates lie in, computed once

    def certain_code(self) -> str:
        if self.certain is None:
            self.certain = _common_prefix([c.code for c in self.cands])
        return self.certain


class Gazetteer:
    """All units, indexed by every surface form a page may print."""

    def __init__(self, path: Path = GAZETTEER, aliases: Path = ALIASES) -> None:
        self.names: dict[str, str] = {}  # code -> current name
        self.notes: dict[str, notes.Note] = {}  # historical form -> why it maps where it does
        self.forms: dict[str, list[Cand]] = {}  # printed form with suffix -> candidates
        self.shorts: dict[str, list[Cand]] = {}  # short form without suffix -> candidates
        self.header = ""
        full: list[tuple[str, str]] = []
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if line.startswith("#"):
                    self.header += line[1:].strip() + " "
                    continue
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 3 or len(parts[0]) not in LEVELS:
                    raise ValueError(f"{path}:{lineno}: expected 'code<TAB>name<TAB>short', got {line!r}; regenerate with scripts/tools/build_gazetteer.py")
                code, name, short = parts
                self.names[code] = name
                if short != "-":
                    full.append((code, name))
                    if short:
                        self.shorts.setdefault(short, []).append(Cand(code, "short"))
        for code, name in full:
            self.forms.setdefault(name, []).append(Cand(code, "name"))
        self._add_renamed(full)
        self.zone_words: list[str] = []
        self._load_aliases(aliases)
        self._short_first2: dict[str, list[str]] = {}
        for short in sorted(self.shorts, key=len, reverse=True):
            self._short_first2.setdefault(short[:2], []).append(short)
        # Every ending of every form (潘庄镇 → 镇, 庄镇, 潘庄镇): scanning walks back from a suffix
        # character only while the text still ends like some form, usually two or three steps.
        # Only names with an administrative suffix are looked for in text; the table's other
        # town-level entries (…农场, …管理委员会, …社区) stay available as parents only.
        self.forms = {form: cands for form, cands in self.forms.items() if form[-1] in ADMIN_END}
        self._tails = {form[-n:] for form in self.forms for n in range(1, len(form) + 1)}
        self._ends = re.compile("[" + re.escape("".join(sorted(ADMIN_END))) + "]")
        self._zones = re.compile("|".join(map(re.escape, self.zone_words))) if self.zone_words else None

    def _add_renamed(self, full: list[tuple[str, str]]) -> None:
        """Old forms general renamings leave behind; each points at the current unit, ranked below exact names."""
        forms = self.forms
        existing = set(forms)

        for code, name in full:
            if len(code) == 6 and name[-1] == "区" and len(name) >= 3:
                olds = [name[:-1] + "县", name[:-1] + "市"]
                olds = [o for o in olds if o not in existing]  # never shadow a unit that still has that name
            elif len(code) == 9 and name.endswith("街道"):
                olds = [name[:-2] + "办事处", name[:-2] + "镇", name[:-2] + "乡"]
            elif len(code) == 9 and name[-1] == "镇":
                olds = [name[:-1] + "乡"]
            else:
                continue
            cand = Cand(code, "renamed")
            for old in olds:
                if len(old) >= 3:
                    forms.setdefault(old, []).append(cand)

    def _load_aliases(self, path: Path) -> None:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for i, entry in enumerate(data.get("historical") or [], 1):
            code = self.code_for_path(str(entry.get("unit", "")))
            if not code or not entry.get("name"):
                raise ValueError(f"{path}: historical entry {i} ({entry!r}): 'unit' must be a current path such as '山东省 聊城市 茌平区'")
            since, change = str(entry.get("since", "")), str(entry.get("change", "改设"))
            self.notes[entry["name"]] = notes.note("region_historical", name=str(entry["name"]), since=since, change=change, current=self.names[code])
            self.forms.setdefault(entry["name"], []).insert(0, Cand(code, "historical"))
        self.zone_words = sorted((str(w) for w in data.get("zone_words") or []), key=len, reverse=True)

    def code_for_path(self, path: str) -> str | None:
        """The code of a unit given as its current names from the province down ("山东省 聊城市 茌平区")."""
        names = path.split()
        for cand in self.forms.get(names[-1], []) if names else []:
            if cand.how == "name" and self.path_names(cand.code) == names:
                return cand.code
        return None

    def note_for(self, cand: Cand, surface: str) -> notes.Note | None:
        """Why a printed form maps to its unit, for forms that are not today's name."""
        current = self.names[cand.code]
        if cand.how == "historical":
            return self.notes.get(surface)
        if cand.how == "renamed":
            code: notes.NoteCode = "region_office_renamed" if surface.endswith("办事处") else "region_renamed"
            return notes.note(code, printed=surface, current=current)
        if cand.how == "zone":
            return notes.note("region_zone", printed=surface, current=current)
        return None

    def path_names(self, code: str) -> list[str]:
        """Current names from the province down to the unit; levels without a named unit are skipped."""
        return [self.names[code[:n]] for n in LEVELS if n <= len(code) and code[:n] in self.names]

    # -- scanning ---------------------------------------------------------------------------

    def scan(self, text: str, shorts: bool = False) -> list[Mention]:
        """Place names in ``text``, leftmost-longest, adjacent names chained (枣庄市山亭区西集镇)."""
        found: list[Mention] = []
        forms, tails = self.forms, self._tails
        for m in self._ends.finditer(text):
            end = m.end()
            best = 0
            start = end - 2
            while start >= 0:
                piece = text[start:end]
                if piece not in tails:
                    break
                if piece in forms:
                    best = start + 1  # +1 so that a match at 0 is truthy
                start -= 1
            if best:
                piece = text[best - 1 : end]
                found.append(Mention(best - 1, end, piece, tuple(forms[piece])))
        if self._zones is not None:
            for z in self._zones.finditer(text):
                base = self._name_before(text, z.start())
                if base:
                    start, cands = base
                    found.append(Mention(start, z.end(), text[start : z.end()], tuple(Cand(c.code, "zone") for c in cands)))
        if shorts:
            found.extend(self._scan_shorts(text))
        found.sort(key=lambda x: (x.start, x.start - x.end))
        kept: list[Mention] = []
        for mention in found:
            if not kept or mention.start >= kept[-1].end:
                kept.append(mention)
        quoted = [(q.start(), q.end()) for q in QUOTED.finditer(text)] if "《" in text else []
        for mention in kept:
            mention.quoted = any(a <= mention.start < b for a, b in quoted)
            mention.after = text[mention.end : mention.end + 6]
        return self._chain(kept)

    def _name_before(self, text: str, pos: int) -> tuple[int, list[Cand]] | None:
        for n in range(min(pos, 12), 1, -1):
            piece = text[pos - n : pos]
            cands = [c for c in self.forms.get(piece, ()) if len(c.code) <= 6] or self.shorts.get(piece)
            if cands:
                return pos - n, cands
        return None

    def _scan_shorts(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        first2 = self._short_first2
        for i in range(len(text) - 1):
            for short in first2.get(text[i : i + 2], ()):
                if text.startswith(short, i):
                    out.append(Mention(i, i + len(short), short, tuple(self.shorts[short])))
                    break
        return out

    @staticmethod
    def _chain(mentions: list[Mention]) -> list[Mention]:
        """A name printed right after another is inside it: keep only candidates under the previous one."""
        for prev, cur in itertools.pairwise(mentions):
            if cur.start == prev.end:
                inside = tuple(c for c in cur.cands if any(c.code.startswith(p.code) and c.code != p.code for p in prev.cands))
                if inside:
                    cur.cands = inside
                    outer = tuple(p for p in prev.cands if any(c.code.startswith(p.code) for c in inside))
                    prev.cands = outer or prev.cands
        return mentions


@cache
def gazetteer() -> Gazetteer:
    """Loaded once, on first use (about a few hundred milliseconds).

    Then ``gc.freeze()``: the table is some 150,000 objects that live as long as the process and
    never change, and every full run of Python's cycle collector walked all of them again (on
    3,000 pages, 1.4 s of full collections became 1.0 s). Frozen objects are skipped by the collector;
    whatever else is alive at that moment is frozen with them (freed as usual when no longer
    referenced, only never searched for reference cycles)."""
    table = Gazetteer()
    gc.freeze()
    return table


# -- resolution -----------------------------------------------------------------------------


def _level(code: str) -> int:
    return LEVELS.index(len(code))


def _common_prefix(codes: list[str]) -> str:
    """The deepest unit all codes lie in, '' when they share no province."""
    best = ""
    for n in LEVELS:
        heads = {c[:n] for c in codes if len(c) >= n}
        if len(heads) == 1 and all(len(c) >= n for c in codes):
            best = heads.pop()
        else:
            break
    return best


def _affinity(code: str, certain: str) -> int:
    """How many levels a candidate shares with what another mention certainly points to."""
    shared = 0
    for n in LEVELS:
        if n <= len(code) and n <= len(certain) and code[:n] == certain[:n]:
            shared += 1
        else:
            break
    return shared


@dataclass
class _Scanned:
    head: list[Mention]
    body: list[list[Mention]]  # per paragraph


def _scan_item(gz: Gazetteer, item: Article) -> _Scanned:
    headline = item.title + (f" {item.subtitle}" if item.subtitle else "")
    return _Scanned(gz.scan(headline, shorts=True), [gz.scan(p) for p in item.paragraphs])


def _focus(scanned: _Scanned, item: Article) -> list[Mention]:
    """Headline places first; otherwise the places in the opening paragraphs."""
    head = [m for m in scanned.head if not m.quoted]
    if head:
        return head
    out: list[Mention] = []
    budget = OPENING_CHARS
    for para, mentions in zip(item.paragraphs[:2], scanned.body[:2], strict=False):
        out.extend(m for m in mentions if not m.quoted and m.start < budget)
        budget -= len(para)
        if budget <= 0:
            break
    return out


def _target(focus: list[Mention]) -> Mention:
    """The most specific unit named: the deepest level, the first printed among equals."""
    return max(focus, key=lambda m: (max(_level(c.code) for c in m.cands), -focus.index(m)))


def _decide(target: Mention, evidence: list[tuple[Mention, int]], gz: Gazetteer) -> tuple[Cand | None, list[Cand], dict[str, int]]:
    """Pick a candidate by the other places on the page; None when they do not decide."""
    cands = list({c.code: c for c in sorted(target.cands, key=lambda c: RANK[c.how], reverse=True)}.values())
    if len(cands) == 1:
        return cands[0], cands, {}
    scores = dict.fromkeys((c.code for c in cands), 0)
    for mention, weight in evidence:
        if mention.surface == target.surface or mention is target:
            continue
        certain = mention.certain_code()
        if certain:
            for code in scores:
                scores[code] += weight * _affinity(code, certain)
    ranked = sorted(cands, key=lambda c: (-scores[c.code], RANK[c.how], c.code))
    best, second = ranked[0], ranked[1]
    if scores[best.code] > 0 and scores[best.code] >= 2 * scores[second.code]:
        return best, cands, scores
    # Only renamed or historical readings compete with the one unit that has this name today.
    tied_best = sum(1 for c in cands if RANK[c.how] == RANK[best.how] and scores[c.code] == scores[best.code])
    if scores[best.code] == scores[second.code] and RANK[best.how] < RANK[second.how] and tied_best == 1:
        return best, cands, scores
    return None, cands, scores


def _region_for(code: str, printed: str, gz: Gazetteer, note: str | None) -> Region:
    region = Region(code=code, note=note)
    for n, field_name in zip(LEVELS, FIELDS, strict=False):
        if n <= len(code) and code[:n] in gz.names:
            setattr(region, field_name, gz.names[code[:n]])
    region.label = f"{printed}（{' '.join(gz.path_names(code))}）"
    return region


def _undecided(target: Mention, cands: list[Cand], gz: Gazetteer) -> Region:
    codes = [c.code for c in cands]
    shared = _common_prefix(codes)
    region = _region_for(shared, target.surface, gz, None) if shared else Region()
    if shared:
        region.code = None  # the shared parent is certain; the unit itself is not
    names = {gz.names[c] for c in codes}
    level = {len(c) for c in codes}
    if len(names) == 1 and len(level) == 1:
        setattr(region, FIELDS[LEVELS.index(level.pop())], names.pop())
    options = "；".join(" ".join(gz.path_names(c)) for c in sorted(codes))
    region.label = f"{target.surface}（未能确定）"
    region.note = notes.render(notes.note("region_undecided", printed=target.surface, count=len(codes), options=options))
    return region


def _evidence(scanned: list[_Scanned], idx: int, focus: list[Mention]) -> list[tuple[Mention, int]]:
    """Every place printed on the page, weighted by how close it stands to the article at ``idx``."""
    in_focus = {id(m) for m in focus}
    out: list[tuple[Mention, int]] = []
    for j, other in enumerate(scanned):
        for m in itertools.chain(other.head, *other.body):
            out.append((m, W_PAGE if j != idx else W_FOCUS if id(m) in in_focus else W_ARTICLE))
    return out


def assign_regions(result: PageResult) -> None:
    """Set ``item.region`` for each article of the page: a pure function of the page's text."""
    gz = gazetteer()
    scanned = [_scan_item(gz, item) for item in result.items]
    for idx, item in enumerate(result.items):
        if item.type != "article":
            item.region = None
            continue
        focus = _focus(scanned[idx], item)
        if not focus:
            item.region = None  # no place in headline or opening: national policy, or unknown
            continue
        target = _target(focus)
        chosen, cands, _ = _decide(target, _evidence(scanned, idx, focus), gz)
        if chosen is None:
            item.region = _undecided(target, cands, gz)
            if NO_REGION_FLAG not in item.flags:
                item.flags.append(NO_REGION_FLAG)
            continue
        # why, in Chinese: the front matter's ``region.note`` is text a proofreader may edit
        why = [n for n in [gz.note_for(chosen, target.surface)] if n is not None]
        if len(cands) > 1:
            others = "；".join(" ".join(gz.path_names(c.code)) for c in cands if c.code != chosen.code)
            why.append(notes.note("region_same_name", others=others))
        town = UNLISTED_TOWN.match(target.after) if len(chosen.code) == 6 else None
        if town:
            why.append(notes.note("region_unlisted_town", town=town.group()))
        item.region = _region_for(chosen.code, target.surface, gz, "；".join(notes.render(n) for n in why) or None)
        if town:
            region_ = item.region
            region_.town = town.group()
            region_.label = f"{target.surface}{town.group()}（{' '.join([*gz.path_names(chosen.code), town.group()])}）"
