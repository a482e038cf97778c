"""HTML pages from Jinja2 templates, one template environment per language."""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request

from hemojoint import __version__
from hemojoint.domain.errors import FieldProblem
from hemojoint.settings import Mode
from hemojoint.web import i18n
from hemojoint.web.i18n import N_
from hemojoint.web.pages.bleed_labels import SITE_LABELS
from hemojoint.web.pages.context import PageContext
from hemojoint.web.pages.labels import measure_label
from hemojoint.web.pages.navigation import main_nav


@cache
def environment(language: str) -> Environment:
    """Templates with ``{% trans %}``/``_()`` bound to ``language``'s catalogue.

    One environment per language (two in all) keeps translation thread-safe: nothing
    is installed per request.
    """
    env = Environment(
        loader=PackageLoader("hemojoint.web", "templates"),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(i18n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        language=language,
        html_lang=language,
        languages=i18n.LANGUAGE_NAMES,
        asset_version=__version__,
        main_nav=main_nav,
        site_labels=SITE_LABELS,  # bleed site code -> label to translate
    )
    env.filters["problem_text"] = partial(problem_text, language)
    env.filters["measure"] = partial(measure_label, i18n.translations(language).gettext)
    env.filters["day"] = lambda value: i18n.show_date(value, language)
    env.filters["moment"] = lambda value: i18n.show_datetime(value, language)
    return env


PROBLEM_TEMPLATE = N_("%(field)s: %(value)s is not accepted (allowed: %(allowed)s)")


def problem_text(language: str, problem: FieldProblem) -> str:
    """A field problem in the reader's language.

    The domain words its messages in English; another language gets the message's
    own translation when the catalogue has one, else a sentence built from the
    problem's parts (field, value, what is allowed), which every problem carries.
    """
    gettext = i18n.translations(language).gettext
    if language == i18n.DEFAULT_LANGUAGE or gettext(problem.message) != problem.message:
        return gettext(problem.message)
    value = "" if problem.value is None else str(problem.value)
    return gettext(PROBLEM_TEMPLATE) % {
        "field": problem.field,
        "value": value,
        "allowed": problem.allowed,
    }


def render(
    request: Request,
    template: str,
    page: PageContext | None,
    *,
    language: str | None = None,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    """Render ``template`` for the signed-in ``page`` context (or a signed-out page)."""
    language = language or (page.language if page else i18n.choose_language(request))
    settings = request.app.state.hemojoint.settings
    html = (
        environment(language)
        .get_template(template)
        .render(
            request=request,
            page=page,
            demo=settings.mode is Mode.DEMO,
            current_path=request.url.path,
            **values,
        )
    )
    return HTMLResponse(html, status_code=status_code)
