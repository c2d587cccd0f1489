"""Pure patch engines: strategic-merge, JSON merge (RFC 7386) and JSON patch (RFC 6902).

The strategic merge covers what Deployments need: maps merge recursively, ``null``
deletes a key, and the lists below merge by their key (containers by ``name``...);
other lists are replaced. ``$patch: replace`` on a map replaces it, ``$patch: delete``
on a keyed list item removes it. Used by the simulator and by plan diffs.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = [
    "MERGE_KEYS",
    "PatchError",
    "strategic_merge",
    "merge_patch",
    "json_patch",
    "combine_strategic",
]

MERGE_KEYS: dict[str, str] = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "hostAliases": "ip",
    "topologySpreadConstraints": "topologyKey",
}


class PatchError(ValueError):
    """The patch cannot be applied to the document (bad path, failed test...)."""


def merge_patch(original: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(original) if isinstance(original, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge(original: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    result = copy.deepcopy(original) if isinstance(original, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        elif isinstance(value, list) and key in MERGE_KEYS:
            result[key] = _merge_list(result.get(key) or [], value, MERGE_KEYS[key])
        else:
            result[key] = strategic_merge(result.get(key), value)
    return result


def _merge_list(original: list[Any], patch: list[Any], merge_key: str) -> list[Any]:
    merged = [copy.deepcopy(item) for item in original]
    for item in patch:
        if not isinstance(item, dict) or merge_key not in item:
            raise PatchError(f"list item lacks its merge key {merge_key!r}: {item!r}")
        index = next((i for i, x in enumerate(merged) if x.get(merge_key) == item[merge_key]), None)
        if item.get("$patch") == "delete":
            if index is not None:
                merged.pop(index)
        elif index is None:
            merged.append({k: copy.deepcopy(v) for k, v in item.items() if v is not None})
        else:
            merged[index] = strategic_merge(merged[index], item)
    return merged


def json_patch(original: Any, operations: list[dict[str, Any]]) -> Any:
    doc = copy.deepcopy(original)
    for operation in operations:
        op, path = operation.get("op"), operation.get("path")
        if not isinstance(path, str):
            raise PatchError(f"JSON patch operation without a path: {operation!r}")
        if op == "test":
            if _get(doc, path) != operation.get("value"):
                raise PatchError(f"testing value {path} failed")
        elif op == "remove":
            parent, last = _parent(doc, path)
            _remove(parent, last, path)
        elif op in ("add", "replace"):
            parent, last = _parent(doc, path)
            if op == "replace":
                _get(doc, path)  # must exist
            _put(parent, last, copy.deepcopy(operation.get("value")), insert=op == "add")
        elif op in ("move", "copy"):
            source = operation.get("from")
            if not isinstance(source, str):
                raise PatchError(f"{op} without 'from': {operation!r}")
            value = copy.deepcopy(_get(doc, source))
            if op == "move":
                src_parent, src_last = _parent(doc, source)
                _remove(src_parent, src_last, source)
            parent, last = _parent(doc, path)
            _put(parent, last, value, insert=True)
        else:
            raise PatchError(f"unknown JSON patch op {op!r}")
    return doc


def _tokens(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"JSON pointer must start with '/': {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _step(node: Any, token: str, path: str) -> Any:
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise PatchError(f"path {path} does not exist")


def _get(doc: Any, path: str) -> Any:
    node = doc
    for token in _tokens(path):
        node = _step(node, token, path)
    return node


def _parent(doc: Any, path: str) -> tuple[Any, str]:
    tokens = _tokens(path)
    if not tokens:
        raise PatchError("cannot patch the document root")
    node = doc
    for token in tokens[:-1]:
        node = _step(node, token, path)
    return node, tokens[-1]


def _remove(parent: Any, last: str, path: str) -> None:
    _step(parent, last, path)
    if isinstance(parent, dict):
        del parent[last]
    else:
        parent.pop(int(last))


def _put(parent: Any, last: str, value: Any, *, insert: bool) -> None:
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        elif last.isdigit() and int(last) <= len(parent):
            if insert:
                parent.insert(int(last), value)
            else:
                parent[int(last)] = value
        else:
            raise PatchError(f"bad list index {last!r}")
    else:
        raise PatchError(f"cannot set {last!r} on a {type(parent).__name__}")


def combine_strategic(first: Any, second: Any) -> Any:
    """Merge two strategic-merge *patches* into one, keeping ``null`` deletions."""
    if not isinstance(first, dict) or not isinstance(second, dict):
        return copy.deepcopy(second)
    result = copy.deepcopy(first)
    for key, value in second.items():
        if isinstance(value, list) and key in MERGE_KEYS and isinstance(result.get(key), list):
            merged = [copy.deepcopy(item) for item in result[key]]
            for item in value:
                merge_key = MERGE_KEYS[key]
                index = next(
                    (i for i, x in enumerate(merged) if x.get(merge_key) == item.get(merge_key)),
                    None,
                )
                if index is None:
                    merged.append(copy.deepcopy(item))
                else:
                    merged[index] = combine_strategic(merged[index], item)
            result[key] = merged
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = combine_strategic(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result
