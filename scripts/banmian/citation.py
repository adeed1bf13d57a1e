"""Citation strings for one article: GB/T 7714-2015, BibTeX (biblatex) and CSL-JSON.

Only what the front matter knows goes in: an unknown publication, date or page is left out,
never guessed. The access date and, when the site has no ``site_url``, the URL are the reader's:
callers pass placeholders that the article page fills in the browser (see theme/assets).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

GBT_MAX_AUTHORS = 3  # GB/T 7714-2015 §8.1.2: list three, then ",等"


def _authors(meta: Mapping[str, Any]) -> list[str]:
    return [str(a["name"]) for a in meta.get("authors") or [] if isinstance(a, Mapping) and a.get("name")]


def _title(meta: Mapping[str, Any]) -> str:
    title = str(meta.get("title") or "").strip()
    subtitle = str(meta.get("subtitle") or "").strip()
    return f"{title}:{subtitle}" if subtitle else title


def _known(meta: Mapping[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return str(value).strip() if value not in (None, "") else None


def _date(meta: Mapping[str, Any]) -> str | None:
    """Only a date the manifest gave or the page's folio prints counts as a publication date; an
    inferred year does not."""
    date = _known(meta, "date")
    return date if date and meta.get("date_source") in ("manifest", "folio") else None


def gbt7714(meta: Mapping[str, Any], url: str, accessed: str) -> str:
    """``主要责任者.题名[N/OL].报纸名,出版日期(版次)[引用日期].URL.`` with unknown parts omitted."""
    names = _authors(meta)
    parts: list[str] = []
    if names:
        shown = ",".join(names[:GBT_MAX_AUTHORS]) + (",等" if len(names) > GBT_MAX_AUTHORS else "")
        parts.append(shown + ".")
    parts.append(f"{_title(meta)}[N/OL].")
    where = _known(meta, "publication") or ""
    date = _date(meta)
    page = _known(meta, "page")
    if date:
        where += ("," if where else "") + date
    if page and (where or date):
        where += f"({page})"
    parts.append(where)
    parts.append(f"[{accessed}].{url}.")
    return "".join(parts)


def _bib_escape(text: str) -> str:
    return re.sub(r"([{}%&$#_\\])", r"\\\1", text)


def bibtex(meta: Mapping[str, Any], url: str, accessed: str) -> str:
    """biblatex ``@article`` with ``entrysubtype = {newspaper}``; key is the stable article id."""
    key = re.sub(r"[^A-Za-z0-9_:-]", "_", str(meta.get("id") or "article"))
    fields: list[tuple[str, str]] = [("entrysubtype", "newspaper")]
    names = _authors(meta)
    if names:
        fields.append(("author", " and ".join("{" + _bib_escape(n) + "}" for n in names)))
    fields.append(("title", _bib_escape(str(meta.get("title") or ""))))
    if meta.get("subtitle"):
        fields.append(("subtitle", _bib_escape(str(meta["subtitle"]))))
    if _known(meta, "publication"):
        fields.append(("journaltitle", _bib_escape(str(meta["publication"]))))
    if _date(meta):
        fields.append(("date", str(_date(meta))))
    if _known(meta, "page"):
        fields.append(("pages", _bib_escape(str(meta["page"]))))
    fields += [("url", url), ("urldate", accessed), ("langid", "chinese")]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}"


def csl_json(meta: Mapping[str, Any], url: str, accessed: str) -> str:
    """CSL-JSON item of type ``article-newspaper`` (author literal names: Chinese names are not split)."""
    item: dict[str, Any] = {"id": str(meta.get("id") or "article"), "type": "article-newspaper", "title": _title(meta)}
    names = _authors(meta)
    if names:
        item["author"] = [{"literal": n} for n in names]
    if _known(meta, "publication"):
        item["container-title"] = meta["publication"]
    date = _date(meta)
    if date:
        item["issued"] = {"date-parts": [[int(p) for p in date.split("-")]]}
    if _known(meta, "page"):
        item["page"] = str(meta["page"])
    item["URL"] = url
    item["accessed"] = {"raw": accessed}
    item["language"] = "zh"
    return json.dumps([item], ensure_ascii=False, indent=2)


def all_formats(meta: Mapping[str, Any], url: str, accessed: str) -> dict[str, str]:
    return {"gbt7714": gbt7714(meta, url, accessed), "bibtex": bibtex(meta, url, accessed), "csl": csl_json(meta, url, accessed)}
