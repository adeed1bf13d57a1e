"""How to cite one article: GB/T 7714-2015, biblatex, CSL-JSON and RIS strings, Highwire Press
``citation_*`` meta tags and schema.org ``NewsArticle`` JSON-LD, all from one ``Work``.

What goes in is what the edition knows, and nothing else:
- the authors in their printed order, without those credited for a photograph, the editing or
  the planning (``not_cited_as_author`` in data/byline_roles.yml);
- publication, issue and page (版次) from the article or its page record (the manifest gave
  them); unknown ones are left out, never guessed;
- the date: a date the manifest (or an editor) gave as it is; a date inferred from the page's
  text (``date_source: inferred``) is marked as an estimate wherever the format can say so:
  ``[2013]`` in GB/T 7714 (its bracket for an estimated year), ``2013~`` (circa) in biblatex,
  ``circa`` in CSL-JSON, a note in RIS. Meta tags and JSON-LD cannot mark it and carry the year
  alone, as the article page shows it ("约2013年（据版面推断）");
- a title the paper did not print (flag ``untitled``: taken from the opening words) is put in
  square brackets, as supplied information;
- the URL is the article's canonical address, made from ``site_url`` by the caller, never from a
  reader's address bar; without one the formats say nothing about where it is online;
- the access date (引用日期) is the reader's: callers pass a placeholder that the page fills in
  the browser on the day (theme/assets/banmian.js).

Everything quotes the article as printed (simplified); the site protects these strings from the
traditional conversion.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .bylines import cited_as_author

GBT_MAX_AUTHORS = 3  # GB/T 7714-2015 §8.1.2: list three, then ",等"
LANGUAGE = "zh"


@dataclass(frozen=True)
class Work:
    """One article as a citation sees it."""

    key: str  # the article id: BibTeX key, CSL id, file names of the downloads
    title: str
    subtitle: str = ""
    supplied_title: bool = False  # the paper printed no title: this one is the opening words
    authors: tuple[str, ...] = ()
    publication: str | None = None
    issue: str | None = None
    page: str | None = None  # 版次, as printed ("3", "A3")
    date: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    date_inferred: bool = False
    url: str | None = None  # canonical address

    @property
    def full_title(self) -> str:
        """``题名:副题``; a supplied title in square brackets."""
        title = f"{self.title}:{self.subtitle}" if self.subtitle else self.title
        return f"[{title}]" if self.supplied_title else title


def _known(value: Any) -> str | None:
    text = str(value).strip() if value is not None else ""
    return text or None


def work(meta: Mapping[str, Any], page_record: Mapping[str, Any] | None = None, url: str | None = None) -> Work:
    """The citable facts of an article's front matter; publication, issue and page fall back to
    its page record (page.yml), where ingest keeps what the manifest said about the page."""
    record = page_record or {}

    def either(key: str) -> str | None:
        return _known(meta.get(key)) or _known(record.get(key))

    authors = tuple(str(a["name"]).strip() for a in meta.get("authors") or []
                    if isinstance(a, Mapping) and _known(a.get("name")) and cited_as_author(a.get("role"), meta.get("type")))
    date = _known(meta.get("date"))
    if date and not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", date):
        date = None  # `banmian check` reports it; a citation does not repeat it
    return Work(
        key=str(meta.get("id") or "article"),
        title=str(meta.get("title") or "").strip(),
        subtitle=str(meta.get("subtitle") or "").strip(),
        supplied_title="untitled" in (meta.get("flags") or []),
        authors=authors,
        publication=either("publication"),
        issue=either("issue"),
        page=either("page"),
        date=date,
        date_inferred=bool(date) and meta.get("date_source") == "inferred",
        url=url,
    )


# ---------------------------------------------------------------- GB/T 7714-2015


def gbt7714(w: Work, accessed: str) -> str:
    """``主要责任者.题名[N/OL].报纸名,出版日期(版次)[引用日期].URL.`` (without a URL: ``[N]``, no
    引用日期), unknown parts omitted, an inferred year as ``[2013]``."""
    out = ""
    if w.authors:
        out += ",".join(w.authors[:GBT_MAX_AUTHORS]) + (",等" if len(w.authors) > GBT_MAX_AUTHORS else "") + "."
    out += w.full_title + ("[N/OL]." if w.url else "[N].")
    date = f"[{w.date}]" if w.date and w.date_inferred else w.date
    where = ",".join(x for x in (w.publication, date) if x)
    if w.page and where:
        where += f"({w.page})"
    out += where
    if w.url:
        out += f"[{accessed}].{w.url}."
    elif where:
        out += "."
    return out


# ---------------------------------------------------------------- biblatex


_BIB_SPECIAL = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bib_escape(text: str) -> str:
    """TeX's special characters as text: a backslash before ``{ } % & $ # _``, and the commands
    for a backslash, tilde and caret, which a backslash alone would turn into accents or a break."""
    return re.sub(r"[{}%&$#_\\~^]", lambda m: _BIB_SPECIAL.get(m.group(), "\\" + m.group()), text)


def bibtex(w: Work, accessed: str) -> str:
    """biblatex ``@article`` with ``entrysubtype = {newspaper}`` (biblatex's newspaper article;
    classic BibTeX styles read it as an article). An inferred date is ``2013~`` (circa)."""
    key = re.sub(r"[^A-Za-z0-9_:-]", "_", w.key)
    title = w.title if not w.supplied_title else f"[{w.title}]"
    fields: list[tuple[str, str]] = [("entrysubtype", "newspaper")]
    if w.authors:
        fields.append(("author", " and ".join("{" + _bib_escape(n) + "}" for n in w.authors)))
    fields.append(("title", _bib_escape(title)))
    if w.subtitle:
        fields.append(("subtitle", _bib_escape(w.subtitle)))
    if w.publication:
        fields.append(("journaltitle", _bib_escape(w.publication)))
    if w.issue:
        fields.append(("number", _bib_escape(w.issue)))
    if w.date:
        fields.append(("date", w.date + ("~" if w.date_inferred else "")))
    if w.page:
        fields.append(("pages", _bib_escape(w.page)))
    if w.url:
        fields += [("url", w.url), ("urldate", accessed)]
    fields.append(("langid", "chinese"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}"


# ---------------------------------------------------------------- CSL-JSON


def csl_item(w: Work, accessed: str) -> dict[str, Any]:
    """CSL-JSON item of type ``article-newspaper``; names as literals (a Chinese name is not
    split into family and given here)."""
    item: dict[str, Any] = {"id": w.key, "type": "article-newspaper", "title": w.full_title}
    if w.authors:
        item["author"] = [{"literal": n} for n in w.authors]
    if w.publication:
        item["container-title"] = w.publication
    if w.issue:
        item["issue"] = w.issue
    if w.date:
        item["issued"] = {"date-parts": [[int(p) for p in w.date.split("-")]]}
        if w.date_inferred:
            item["issued"]["circa"] = True
    if w.page:
        item["page"] = w.page
    if w.url:
        item["URL"] = w.url
        item["accessed"] = {"raw": accessed}
    item["language"] = LANGUAGE
    return item


def csl_json(w: Work, accessed: str) -> str:
    """A one-item CSL-JSON array, a field a line (shorter on the page than ``indent=2``)."""
    fields = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in csl_item(w, accessed).items()]
    return "[{\n" + ",\n".join(fields) + "\n}]"


# ---------------------------------------------------------------- RIS


def ris(w: Work, accessed: str) -> str:
    """RIS record ``TY  - NEWS`` (Zotero, EndNote, NoteExpress import it as a newspaper article)."""
    lines = [("TY", "NEWS")]
    lines += [("AU", n) for n in w.authors]
    lines.append(("TI", w.full_title))
    if w.publication:
        lines.append(("T2", w.publication))
    if w.issue:
        lines.append(("IS", w.issue))
    if w.date:
        lines.append(("PY", w.date[:4]))
        if not w.date_inferred:
            lines.append(("DA", w.date.replace("-", "/") + ("/" if w.date.count("-") == 2 else "")))
        else:
            lines.append(("N1", f"出版日期据版面内容推断：约{w.date}"))
    if w.page:
        lines.append(("SP", w.page))
    if w.url:
        lines += [("UR", w.url), ("Y2", accessed)]
    lines += [("LA", LANGUAGE), ("ID", w.key), ("ER", "")]
    return "\n".join(f"{tag}  - {value}" for tag, value in lines)


# ---------------------------------------------------------------- machine-readable page data


def highwire(w: Work) -> list[tuple[str, str]]:
    """Highwire Press ``<meta name=… content=…>`` pairs, read by Zotero and Google Scholar."""
    tags = [("citation_title", w.full_title)]
    tags += [("citation_author", n) for n in w.authors]
    if w.date:
        date = w.date.replace("-", "/")  # Google Scholar's form: 1998/12/25, or the year alone
        tags += [("citation_publication_date", date), ("citation_date", date)]
    if w.publication:
        tags.append(("citation_journal_title", w.publication))
    if w.issue:
        tags.append(("citation_issue", w.issue))
    if w.page:
        tags.append(("citation_firstpage", w.page))
    if w.url:
        tags.append(("citation_public_url", w.url))
    tags.append(("citation_language", LANGUAGE))
    return tags


def json_ld(w: Work) -> str:
    """schema.org ``NewsArticle`` for a ``<script type="application/ld+json">``: ASCII only, and
    ``<``, ``>``, ``&`` written as ``\\u003c`` … so no value can close the script element."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": w.full_title}
    if w.subtitle:
        data["alternativeHeadline"] = w.subtitle
    if w.authors:
        data["author"] = [{"@type": "Person", "name": n} for n in w.authors]
    if w.date:
        data["datePublished"] = w.date
    if w.publication:
        paper = {"@type": "Newspaper", "name": w.publication}
        data["isPartOf"] = {"@type": "PublicationIssue", "issueNumber": w.issue, "isPartOf": paper} if w.issue else paper
    if w.page:
        data["printPage"] = w.page
    data["inLanguage"] = LANGUAGE
    if w.url:
        data["url"] = w.url
        data["mainEntityOfPage"] = w.url
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


FORMATS = {  # key: (label, file extension or None for copy only, MIME type)
    "gbt7714": ("GB/T 7714-2015", None, ""),
    "bibtex": ("BibTeX（biblatex）", "bib", "application/x-bibtex"),
    "ris": ("RIS", "ris", "application/x-research-info-systems"),
    "csl": ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json"),
}


def all_formats(w: Work, accessed: str) -> dict[str, str]:
    return {"gbt7714": gbt7714(w, accessed), "bibtex": bibtex(w, accessed), "ris": ris(w, accessed), "csl": csl_json(w, accessed)}
