"""The domain package of the CCI support-plan site.

Standard library only, so the same code runs at build time in CPython and
in the browser in Pyodide. It takes plain values and returns plain values.
"""

from .errors import CalculatorError
from .formats import LANGUAGES, formats_for
from .german import format_date, format_eur, format_percent, format_time
from .model import Catalog, Clock, Plan, build_catalog
from .pricing import Quote, QuoteLine, quote
from .usage_input import parse_usage

__all__ = [
    "CalculatorError",
    "LANGUAGES",
    "Catalog",
    "Clock",
    "Plan",
    "Quote",
    "QuoteLine",
    "build_catalog",
    "format_date",
    "format_eur",
    "format_percent",
    "format_time",
    "formats_for",
    "parse_usage",
    "quote",
]
