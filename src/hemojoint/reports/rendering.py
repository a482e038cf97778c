"""What every printable report shares: the template environment and the PDF printer."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined


def _autoescape(template_name: str | None) -> bool:
    # Escape every template except stylesheets, which hold no data (quotes must stay).
    return not (template_name or "").endswith(".css")


TEMPLATES = Environment(
    loader=PackageLoader("hemojoint.reports", "templates"),
    autoescape=_autoescape,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def html_to_pdf(html: str) -> bytes:
    """Print HTML with WeasyPrint, refusing every URL (fonts come from the system)."""
    # Imported here: WeasyPrint loads Pango at import, which only PDF requests need.
    from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped]

    pdf: bytes = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
    return pdf
