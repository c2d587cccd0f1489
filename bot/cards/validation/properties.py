"""The documented properties of each component (JSON 2.0 rejects any other)."""

from __future__ import annotations

__all__ = ["PROPERTIES", "CONTAINERS", "CARD_KEYS", "CONFIG_KEYS", "HEADER_KEYS", "BODY_KEYS"]

_COMMON = {"tag", "element_id", "margin"}
_LAYOUT = {
    "direction",
    "padding",
    "horizontal_spacing",
    "horizontal_align",
    "vertical_spacing",
    "vertical_align",
}

PROPERTIES: dict[str, frozenset[str]] = {
    name: frozenset(_COMMON | extra)
    for name, extra in {
        "markdown": {"content", "text_size", "text_align", "icon", "i18n_content"},
        "div": {"text", "icon"},
        "hr": set(),
        "img": {
            "img_key",
            "alt",
            "title",
            "corner_radius",
            "scale_type",
            "size",
            "transparent",
            "preview",
        },
        "button": {
            "type",
            "size",
            "width",
            "text",
            "icon",
            "hover_tips",
            "disabled",
            "disabled_tips",
            "confirm",
            "behaviors",
            "name",
            "form_action_type",
        },
        "column_set": {
            "horizontal_spacing",
            "horizontal_align",
            "flex_mode",
            "background_style",
            "action",
            "columns",
        },
        "column": _LAYOUT | {"background_style", "width", "weight", "action", "elements"},
        "table": {
            "page_size",
            "row_height",
            "row_max_height",
            "freeze_first_column",
            "header_style",
            "columns",
            "rows",
        },
        "chart": {"aspect_ratio", "color_theme", "chart_spec", "preview", "height"},
        "collapsible_panel": _LAYOUT
        | {"expanded", "background_color", "header", "border", "elements"},
        "form": _LAYOUT | {"name", "elements"},
        "input": {
            "name",
            "required",
            "disabled",
            "placeholder",
            "default_value",
            "width",
            "max_length",
            "input_type",
            "show_icon",
            "rows",
            "auto_resize",
            "max_rows",
            "label",
            "label_position",
            "value",
            "confirm",
            "fallback",
        },
    }.items()
}

# Which property holds a container's children.
CONTAINERS = {
    "column_set": "columns",
    "column": "elements",
    "collapsible_panel": "elements",
    "form": "elements",
}

CARD_KEYS = frozenset({"schema", "config", "card_link", "header", "body"})
CONFIG_KEYS = frozenset(
    {
        "streaming_mode",
        "streaming_config",
        "summary",
        "locales",
        "enable_forward",
        "update_multi",
        "width_mode",
        "use_custom_translation",
        "enable_forward_interaction",
        "style",
    }
)
HEADER_KEYS = frozenset(
    {"title", "subtitle", "text_tag_list", "i18n_text_tag_list", "template", "icon", "padding"}
)
BODY_KEYS = frozenset(
    {
        "direction",
        "padding",
        "horizontal_spacing",
        "horizontal_align",
        "vertical_spacing",
        "vertical_align",
        "elements",
    }
)
