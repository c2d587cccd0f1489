"""Limits and enumerations of card JSON 2.0, as the official pages state them."""

from __future__ import annotations

__all__ = [
    "MAX_BYTES",
    "MAX_ELEMENTS",
    "MAX_DEPTH",
    "MAX_TABLES",
    "MAX_CHARTS",
    "MAX_TABLE_COLUMNS",
    "MAX_BUTTON_TEXT",
    "MAX_PLACEHOLDER",
    "HEADER_TEMPLATES",
    "WIDTH_MODES",
    "BUTTON_TYPES",
    "BUTTON_SIZES",
    "BUTTON_WIDTHS",
    "FLEX_MODES",
    "COLUMN_WIDTHS",
    "ROW_HEIGHTS",
    "TABLE_DATA_TYPES",
    "ASPECT_RATIOS",
    "COLOR_THEMES",
    "TEXT_TAGS",
    "FORM_ACTIONS",
    "MARKDOWN_TAGS",
]

MAX_BYTES = 30 * 1024  # send, reply and patch: error 230025 above this
MAX_ELEMENTS = 200  # components plus plain_text objects (ErrCode 11310 "element exceeds the limit")
MAX_DEPTH = 5
MAX_TABLES = 5
MAX_CHARTS = 5
MAX_TABLE_COLUMNS = 50
MAX_BUTTON_TEXT = 100
MAX_PLACEHOLDER = 100

HEADER_TEMPLATES = frozenset(
    {
        "blue",
        "wathet",
        "turquoise",
        "green",
        "yellow",
        "orange",
        "red",
        "carmine",
        "violet",
        "purple",
        "indigo",
        "grey",
        "default",
    }
)
WIDTH_MODES = frozenset({"default", "compact", "fill"})
BUTTON_TYPES = frozenset(
    {
        "default",
        "primary",
        "danger",
        "text",
        "primary_text",
        "danger_text",
        "primary_filled",
        "danger_filled",
        "laser",
    }
)
BUTTON_SIZES = frozenset({"tiny", "small", "medium", "large"})
BUTTON_WIDTHS = frozenset({"default", "fill"})  # or "[100,∞)px"
FLEX_MODES = frozenset({"none", "stretch", "flow", "bisect", "trisect"})
COLUMN_WIDTHS = frozenset({"auto", "weighted"})  # or "[16,600]px"
ROW_HEIGHTS = frozenset({"low", "middle", "high", "auto"})  # or "[32,124]px"
TABLE_DATA_TYPES = frozenset(
    {"text", "lark_md", "options", "number", "persons", "date", "markdown"}
)
ASPECT_RATIOS = frozenset({"1:1", "2:1", "4:3", "16:9"})
COLOR_THEMES = frozenset({"brand", "rainbow", "complementary", "converse", "primary"})
TEXT_TAGS = frozenset({"plain_text", "lark_md"})
FORM_ACTIONS = frozenset({"submit", "reset"})
MARKDOWN_TAGS = frozenset(
    {
        "br",
        "hr",
        "person",
        "local_datetime",
        "at",
        "a",
        "text_tag",
        "raw",
        "link",
        "font",
        "number_tag",
    }
)
