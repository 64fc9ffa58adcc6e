"""Data → page content: one function per macro, markup in ``templates/``.

Every function takes a ``Context`` (the catalog, the browser bundle, the
relative path from the current page to its edition's root, so that links
work on any host and sub-path, the page language and the page table, through
which templates name pages: ``page_url("rechner.md")``) and returns Markdown or
HTML in that language's notation (``calculator.formats.formats_for``). Nothing here
knows MkDocs; ``macros/__init__.py`` binds these functions to the pages.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Callable, Mapping

import jinja2
import markupsafe

from calculator import Catalog, Quote, advisor, quote, quote_link
from calculator.formats import DEFAULT_LANGUAGE, LANGUAGES, formats_for
from calculator.price_view import price_view
from calculator.pricing import price_fingerprint
from calculator.response_time import business_zone
from calculator.response_link import parse_response_link
from calculator.response_view import holiday_texts, response_view
from calculator.texts import fill

from .browser_bundle import Bundle
from .template_cache import bytecode_cache

TEMPLATES = Path(__file__).parent / "templates"
PROJECT = Path(__file__).parent.parent

# Page files that must exist for the data's plans and severities, per edition.
PLAN_PAGE = {"de": "plaene/{id}.md", "en": "plans/{id}.md"}
SEVERITY_PAGE = {"de": "schweregrade/{level}.md", "en": "severity/{level}.md"}
# Where each edition's page files live (for messages).
DOCS_DIR = {"de": "docs/", "en": "docs/en/"}


def _environment(lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache(PROJECT, f"macros-{lang}"),
    )
    notation = formats_for(lang)
    env.filters.update(
        eur=notation.format_eur,
        eur_whole=lambda amount: notation.format_eur(amount, cents=False),
        percent=notation.format_percent,
        rate=lambda value: notation.format_percent(value, places=1),
        date=notation.format_date,
        number=lambda value: notation.format_number(value, 0),
        # A size in bytes as megabytes (10⁶ bytes), one decimal: 4_213_000 → "4,2" | "4.2".
        megabytes=lambda count: notation.format_number(round(Decimal(count) / 1_000_000, 1), 1),
        # An amount as a visitor of this language types it: 10000 → "10.000" | "10,000".
        typed=lambda value: notation.typed_amount(Decimal(value)),
        fill=fill_html,
    )
    return env


def fill_html(text: str, **values: object) -> markupsafe.Markup:
    """A data text as HTML: escaped, each ``{name}`` filled with the escaped
    value (Markup stays as is), a no-break space written ``&nbsp;`` as in
    the templates."""
    escaped = str(markupsafe.escape(text)).replace("\u00a0", "&nbsp;")
    return markupsafe.Markup(fill(escaped, **{name: markupsafe.escape(value) for name, value in values.items()}))


_TEMPLATES = {lang: _environment(lang) for lang in LANGUAGES}


@dataclass(frozen=True)
class Context:
    """What a macro renders from: the data, the browser bundle (None where
    no page needs it), ``root``, the relative path from the current page
    to its edition's root (``""``, ``"../"``, ``"../../"``), and ``ui``, the
    page texts of the data (``ui.<group>.<key>``)."""

    catalog: Catalog
    bundle: Bundle | None
    root: str
    ui: Mapping[str, Mapping[str, str]]
    lang: str = DEFAULT_LANGUAGE
    # German page file → this edition's page URL, relative to the edition's
    # root (``rechner.md`` → ``rechner/`` | ``calculator/``): the page table
    # ``extra.translations`` of mkdocs.yml, read by ``page_url``.
    pages: Mapping[str, str] = field(default_factory=dict)
    # The edition's folder under the site root (``""`` | ``"en/"``).
    edition_dir: str = ""

    @property
    def site_root(self) -> str:
        """Relative path from the current page to the site root, where the
        calculator's runtime, bundle and worker live for every edition (so
        that neither edition copies or fetches them twice)."""
        return self.root + "../" * self.edition_dir.count("/")

    def page_path(self, german_file: str) -> str:
        """This edition's page for ``german_file`` (a page file of docs/,
        ``"plaene/basic.md"``), relative to the edition's root: ``plans/basic/``."""
        if german_file not in self.pages:
            raise ValueError(f"{german_file}: keine Seite in extra.translations (mkdocs.yml)")
        return self.pages[german_file]

    def page_url(self, german_file: str, fragment: str = "") -> str:
        """Relative URL from the current page to this edition's page for
        ``german_file``, with ``#fragment`` if given. Templates name pages
        only this way, so no edition links to another one's pages."""
        return self.root + self.page_path(german_file) + (f"#{fragment}" if fragment else "")


def _render(template: str, ctx: Context, **extra: object) -> str:
    return _TEMPLATES[ctx.lang].get_template(template).render(
        catalog=ctx.catalog, bundle=ctx.bundle, site_root=ctx.site_root,
        page_url=ctx.page_url, page_path=ctx.page_path, ui=ctx.ui, lang=ctx.lang, **extra
    )


@dataclass(frozen=True)
class ExampleRow:
    """One row of the worked-examples table: a usage fee and each plan's quote."""

    usage: Decimal
    quotes: tuple[Quote, ...]


def example_rows(catalog: Catalog) -> tuple[ExampleRow, ...]:
    """The worked examples of the price list, priced by the calculator."""
    return tuple(
        ExampleRow(usage, tuple(quote(plan, usage) for plan in catalog.plans))
        for usage in catalog.price_list.examples
    )


def band_edges(catalog: Catalog, plan_id: str) -> tuple[Quote, ...]:
    """The plan's quote at each band's upper edge (the price where a band ends)."""
    plan = catalog.plan(plan_id)
    return tuple(quote(plan, band.upper) for band in plan.price.bands if band.upper is not None)


# ─── The macros ───────────────────────────────────────────────────────────


def plans_overview(ctx: Context) -> str:
    """Start page: the plans at a glance, as cards."""
    return _render("plans_overview.html", ctx)


def comparison_table(ctx: Context) -> str:
    """Vergleich: every row of the comparison, one column per plan."""
    return _render("comparison.html", ctx)


def plan_page(ctx: Context, plan_id: str) -> str:
    """A plan's own page (Markdown with HTML blocks)."""
    plan = ctx.catalog.plan(plan_id)
    return _render("plan_page.md", ctx, plan=plan, edges=band_edges(ctx.catalog, plan.id))


def severity_overview(ctx: Context) -> str:
    """Schweregrade: every level with its definition and every plan's
    target, and the holidays that stop the business clock."""
    return _render("severity_overview.md", ctx, holiday_years=holiday_years(ctx.catalog, lang=ctx.lang))


@dataclass(frozen=True)
class HolidayYear:
    """The days of one year that stop the business clock: (date text, name)."""

    year: int
    days: tuple[tuple[str, str], ...]


def build_year(catalog: Catalog, now: datetime | None = None) -> int:
    """The year of the build date in the business zone (Europe/Berlin).

    ``now`` defaults to SOURCE_DATE_EPOCH (seconds since 1970, for
    reproducible builds) if set, else the clock.
    """
    if now is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        now = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return now.astimezone(business_zone(catalog.business_hours)).year


def holiday_years(catalog: Catalog, first: int | None = None,
                  lang: str = DEFAULT_LANGUAGE) -> tuple[HolidayYear, ...]:
    """The holidays of the build year (or ``first``) and the next year.

    Computed once, when the site is built: the list names its years, so a
    site that is not rebuilt shows old years, never wrong dates. The
    calculator itself computes the holidays of any year in the browser.
    """
    first = build_year(catalog) if first is None else first
    return tuple(HolidayYear(year, holiday_texts(catalog, year, lang)) for year in (first, first + 1))


def business_holidays(ctx: Context) -> str:
    """The holidays that stop the business clock, this year and next."""
    return _render("holidays.html", ctx, holiday_years=holiday_years(ctx.catalog, lang=ctx.lang))


def severity_page(ctx: Context, level: int) -> str:
    """One severity level's page."""
    return _render("severity_page.md", ctx, severity=ctx.catalog.severity(level))


def price_rules(ctx: Context) -> str:
    """Preise: each plan's price rule in plain words, with the band table."""
    return _render("price_rules.md", ctx, band_edges=band_edges)


def price_reading(ctx: Context) -> str:
    """Preise: what the published price row promises and what is our reading of it."""
    return _render("price_reading.html", ctx)


def price_examples(ctx: Context) -> str:
    """The worked-examples table (monthly price of each plan per usage fee)."""
    return _render("price_examples.html", ctx, rows=example_rows(ctx.catalog))


def plan_change(ctx: Context) -> str:
    """Planwechsel & Kontakt."""
    return _render("plan_change.md", ctx)


def price_calculator(ctx: Context) -> str:
    """Preisrechner: the form, the result slots and the loading states.

    The browser fills the slots with what ``calculator.price_view`` returns;
    every German word stays here, in the template. The slots come filled
    for the form's default fee, by the same ``price_view`` the browser's
    worker runs, so the exact answer shows before the runtime is ready.
    """
    return _render("price_calculator.html", ctx, price_view=partial(price_view, lang=ctx.lang))


# The ticket the response-time calculator shows without a link: it arrives
# on a Friday half an hour before closing time (German wall time), so the
# example shows the business-hours clock stopping over the weekend. A fixed instant, not the build's
# "now": the page must not pass off the build time as the visitor's now.
RESPONSE_EXAMPLE_SUBMITTED = "2026-11-27T17:30"


def response_example(catalog: Catalog, lang: str = DEFAULT_LANGUAGE) -> dict[str, object]:
    """The response-time calculator's answer without a link, as the worker
    gives it: the link parser's default plan and severity, the example
    submission, no visitor clock (so no remaining time) and no visitor zone."""
    defaults = parse_response_link("", catalog)
    return response_view(catalog, defaults.plan, defaults.severity, RESPONSE_EXAMPLE_SUBMITTED, lang=lang)


def response_calculator(ctx: Context) -> str:
    """Reaktionszeit: plan, severity and submission in, due time out.

    The form and the results come filled with ``response_example`` at build
    time; the browser's worker gives the same texts for the same input.
    """
    return _render("response_calculator.html", ctx, initial=response_example(ctx.catalog, ctx.lang))


def advisor_example(catalog: Catalog, lang: str = DEFAULT_LANGUAGE) -> dict[str, object]:
    """The Planberater's answer for the empty form, as the worker gives it
    (request "advice" from the form: ``typed``)."""
    return advisor.advice_view(catalog, "", typed=True, lang=lang)


def plan_advisor(ctx: Context) -> str:
    """Planberater: the form, the answer's slots and the needs × plans matrix
    (``calculator.advisor.matrix``), readable without JavaScript. The form
    and the answer come filled with ``advisor_example`` at build time; the
    browser's worker gives the same texts for the same input."""
    return _render("advisor.html", ctx, rows=advisor.matrix(ctx.catalog, ctx.lang),
                   initial=advisor_example(ctx.catalog, ctx.lang))


def targets_overview(ctx: Context) -> str:
    """The table of every plan's target per severity (readable without JS)."""
    return _render("targets_overview.html", ctx)


def link_format(ctx: Context) -> str:
    """Angebotslinks: the link format for sales, with a written example."""
    catalog = ctx.catalog
    example = quote_link.make_link(
        quote_link.QuoteState(
            usage=Decimal("25000"),
            plan=catalog.plans[1].id if len(catalog.plans) > 1 else catalog.plans[0].id,
            customer="Muster GmbH",
            reference="A-2026-17",
            valid_until=date(catalog.price_list.effective.year, 12, 31),
            price_list=catalog.price_list.version,
            issued=date(catalog.price_list.effective.year, 12, 1),
            fingerprint=price_fingerprint({plan.id: plan.price for plan in catalog.plans}),
        )
    )
    limits = {
        "customer": quote_link.MAX_CUSTOMER,
        "reference": quote_link.MAX_REFERENCE,
        "price_list": quote_link.MAX_PRICE_LIST,
    }
    return _render("link_format.md", ctx, example=example, limits=limits)


MACROS: dict[str, Callable[..., str]] = {
    "link_format": link_format,
    "response_calculator": response_calculator,
    "targets_overview": targets_overview,
    "plan_advisor": plan_advisor,
    "price_calculator": price_calculator,
    "plans_overview": plans_overview,
    "comparison_table": comparison_table,
    "plan_page": plan_page,
    "severity_overview": severity_overview,
    "business_holidays": business_holidays,
    "severity_page": severity_page,
    "price_rules": price_rules,
    "price_reading": price_reading,
    "price_examples": price_examples,
    "plan_change": plan_change,
}


def root_of(page_url: str) -> str:
    """Relative path from a page (``"plaene/basic/"``, ``""``) to the site root."""
    depth = page_url.strip("/").count("/") + 1 if page_url.strip("/") else 0
    return "../" * depth


def data_error_page(file: str, problems: list[str]) -> str:
    """The HTML of every page of the preview while ``file`` is refused."""
    return _TEMPLATES[DEFAULT_LANGUAGE].get_template("data_error.html").render(file=file, problems=problems)


def missing_page_files(catalog: Catalog, docs_dir: Path,
                       lang: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """Page files the data needs but ``docs_dir`` (the edition ``lang``'s)
    lacks: (path of the data value that needs the page, such as
    ``plans[3].id``, message)."""
    wanted = [(f"plans[{i}].id", PLAN_PAGE[lang].format(id=p.id)) for i, p in enumerate(catalog.plans)]
    wanted += [
        (f"severities[{i}].level", SEVERITY_PAGE[lang].format(level=s.level))
        for i, s in enumerate(catalog.severities)
    ]
    return [
        (where, f"keine Seite {DOCS_DIR[lang]}{page}: anlegen (eine Nachbarseite kopieren und die Id ändern)")
        for where, page in wanted
        if not (docs_dir / page).is_file()
    ]
