"""The one data model every stage passes along: a page's lines, its blocks, its articles.

Stages are pure functions from one of these to the next; only ``reader`` touches the file
system on the way in and only ``emit`` on the way out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from .datelines import Dateline
    from .folio import Folio
    from .notes import Note


class BlockKind(StrEnum):
    """What a run of lines on a page is, as an editor would name it."""

    HEADLINE = "headline"
    HEADLINE_KICKER = "headline_kicker"  # 引题: the line above the main title (…强调, …——)
    SUBTITLE = "subtitle"  # ——— …
    KICKER = "kicker"  # column label / 栏目 (潘庄计生专题, 各地动态)
    SUBHEAD = "subhead"  # heading inside an article
    BODY = "body"
    BYLINE = "byline"  # (通讯员 袁玉磊)
    DATELINE = "dateline"  # 本报讯 (记者… 通讯员…) — starts a body paragraph
    SOURCE_NOTE = "source_note"  # (据国家卫生计生委网站)
    CAPTION = "caption"  # photo caption, possibly with its credit
    PICTURE_NOTE = "picture_note"  # bare 资料图片
    PAGE_TITLE = "page_title"  # 薛城区人口计划生育工作巡礼
    PAGE_CREDIT = "page_credit"  # 本版策划组稿:… 撰文 …
    NOTICE = "notice"  # editorial notice, e.g. a list of the paper's columns
    FOLIO = "folio"  # 人民日报  2026年5月3日  星期日  第13版  要闻: page furniture and evidence


@dataclass(frozen=True)
class Fix:
    """One application of a named clean-up rule, kept so an editor can see why text changed."""

    rule: str
    line: int  # 1-based line of the source page where it applied
    before: str
    after: str

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "line": self.line, "before": self.before, "after": self.after}


@dataclass
class PageMeta:
    """What a manifest may say about a page; every field optional, unknown stays None."""

    publication: str | None = None
    issue: str | None = None
    date: str | None = None  # ISO "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    edition: str | None = None
    page: str | None = None
    page_title: str | None = None
    encoding: str | None = None


@dataclass
class Facsimile:
    """A page's printed image and/or the boxes of its lines (``banmian.facsimile``).

    Boxes are ``[x0, y0, x1, y1]`` in the image's pixels (the OCR file's units without an image)."""

    image: str | None  # path as cited, e.g. "source_texts/p01.png"; None: coordinates only
    width: int
    height: int
    coordinates: str | None = None  # the OCR file the page text was derived from
    format: str | None = None  # alto | hocr | paddle
    boxes: list[list[int] | None] = field(default_factory=list)  # boxes[i]: page line i + 1
    pictures: dict[int, list[list[int]]] = field(default_factory=dict)  # caption's first line -> its pictures
    body_height: float = 0.0
    notes: list[Note] = field(default_factory=list)  # why the page was read as it was (banmian.notes)


@dataclass
class Page:
    """One source page text as read: decoded lines, never altered afterwards."""

    key: str  # stable, URL-safe identifier derived from the path under the source root
    path: str  # posix path as cited, e.g. "source_texts/000_x.txt"
    lines: list[str]  # line i (0-based) is source line i + 1, without its line end
    meta: PageMeta = field(default_factory=PageMeta)
    sha256: str = ""  # of the raw bytes, so a later change under an edited article is noticed
    facsimile: Facsimile | None = None  # image and line boxes, when the page came with them


@dataclass
class Block:
    """A run of source lines with one role; ``text`` is its cleaned form."""

    kind: BlockKind
    first: int  # 1-based source line numbers, inclusive
    last: int
    lines: list[str]
    text: str = ""
    fixes: list[Fix] = field(default_factory=list)
    confidence: float = 1.0  # how sure the classifier is (column attachment and the like)

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Author:
    name: str
    role: str | None = None

    def as_dict(self) -> AuthorData:
        return {"name": self.name, "role": self.role} if self.role else {"name": self.name}


@dataclass
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    town: str | None = None
    village: str | None = None
    code: str | None = None
    label: str | None = None  # as printed, plus the normalised path
    note: str | None = None  # e.g. why it stayed undecided

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Article:
    """An article or another typed item (caption, notice) recovered from one page."""

    page: Page
    seq: int  # 1-based position in reading order among the page's items of its type (messages only)
    type: str = "article"  # article | caption | notice
    title: str = ""  # the main title (主题)
    kicker: str | None = None  # 引题, the line above the main title
    subtitle: str | None = None  # 副题
    column: str | None = None
    column_confidence: float | None = None
    authors: list[Author] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # cleaned body, Markdown-free text
    subheads: dict[int, str] = field(default_factory=dict)  # paragraph index -> subhead before it
    blocks: list[Block] = field(default_factory=list)
    region: Region | None = None
    date: str | None = None
    date_precision: str | None = None
    date_source: str | None = None
    dateline: Dateline | None = None  # 本报北京5月31日电: who filed it, from where, when (as printed)
    publication: str | None = None  # as printed on the page's folio or given by a manifest
    page_number: str | None = None
    page_name: str | None = None
    end_notes: list[str] = field(default_factory=list)  # （作者为…）, （X参与采写）, （步）: as printed
    confidence: dict[str, float] = field(default_factory=dict)  # decision -> how sure (title, authors, date)
    flags: list[str] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # explanations of decisions, as codes (banmian.notes)
    name: str = ""  # file name and URL under the page, kept for good: see identity.py
    zones: list[list[int]] = field(default_factory=list)  # where on the page image it stands (facsimile)

    @property
    def id(self) -> str:
        return f"{self.page.key}-{self.name}"

    @property
    def first_line(self) -> int:
        return min(b.first for b in self.blocks) if self.blocks else 0

    @property
    def last_line(self) -> int:
        return max(b.last for b in self.blocks) if self.blocks else 0


@dataclass
class PageResult:
    """Everything one page yields: its items in reading order and page-level facts."""

    page: Page
    items: list[Article]
    blocks: list[Block]
    credits: list[Author] = field(default_factory=list)
    page_title: str | None = None
    date: str | None = None
    date_precision: str | None = None
    date_source: str | None = None
    date_evidence: str | None = None
    folio: Folio | None = None  # the page's folio line, when one is printed


class _SourceLines(TypedDict):
    file: str
    lines: list[int]


class SourceRef(_SourceLines, total=False):
    """Where an item's text stands in its source page (front matter ``source``)."""

    sha256: str  # of the page's bytes when the item was generated


class AuthorData(TypedDict, total=False):
    name: str
    role: str


class FrontMatter(TypedDict, total=False):
    """An article file's front matter as ``emit`` writes it and every later stage (check, site,
    citations, proofreading, search) reads it: the shape ``data/article.schema.json`` validates,
    in Python types, so the type checker knows every key the site may read. Every key is optional
    here because a reader must cope with a hand-edited file; which keys ``check`` requires is
    the schema's ``required``.
    ``tests/test_model.py`` keeps the two in step."""

    id: str
    type: str
    title: str
    kicker: str
    subtitle: str
    column: str
    column_confidence: float
    authors: list[AuthorData]
    region: Mapping[str, str | None] | None
    date: str | None
    date_precision: str | None
    date_source: str | None
    date_evidence: str | None
    dateline: dict[str, Any]
    publication: str
    issue: str
    edition: str
    page: str
    page_name: str
    end_notes: list[str]
    confidence: dict[str, int]
    source: SourceRef
    zones: list[list[int]]
    status: str
    flags: list[str]
    fixes: dict[str, int]
    notes: list[str | dict[str, Any]]  # free text, or a note's code and parameters (banmian.notes)
    generated: str
