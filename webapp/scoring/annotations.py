"""Read W3C Web Annotation JSON into what the scorer needs: selectors, explanation and tags.

Accepted payloads: a list of annotations, or an ``AnnotationCollection``/``AnnotationPage`` with
``items`` (or ``first: {items: [...]}``). A malformed *payload* raises
:class:`AnnotationFormatError`; a malformed *annotation* is returned with its ``problem`` set so the
scorer can give it credit 0 and an error instead of failing the whole batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from .results import AnnotationFormatError

MAX_EXPLANATION_CHARS: Final = 5000


@dataclass(frozen=True, slots=True)
class ParsedAnnotation:
    index: int
    id: str | None
    selectors: tuple[dict[str, Any], ...]
    explanation: str
    tags: tuple[str, ...]
    problem: str | None = None


def annotation_items(payload: Any) -> list[Any]:
    """The list of annotation objects in ``payload``; raise if it is not a list or collection."""
    if isinstance(payload, list | tuple):
        return list(payload)
    if isinstance(payload, dict):
        items = payload.get("items")
        if items is None and isinstance(payload.get("first"), dict):
            items = payload["first"].get("items")
        if items is None and isinstance(payload.get("annotations"), list):
            items = payload["annotations"]
        if isinstance(items, list | tuple):
            return list(items)
        if items is not None:
            raise AnnotationFormatError("the collection's 'items' must be a list of annotations")
        if "target" in payload or payload.get("type") == "Annotation":
            raise AnnotationFormatError(
                "got a single annotation; send a list of annotations or an "
                "AnnotationCollection with 'items'"
            )
        raise AnnotationFormatError(
            "expected a list of annotations or an AnnotationCollection/AnnotationPage with 'items'"
        )
    raise AnnotationFormatError(
        f"expected a list of annotations or an AnnotationCollection, got {type(payload).__name__}"
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _selectors(target: Any) -> tuple[list[dict[str, Any]], str | None]:
    found: list[dict[str, Any]] = []
    for one in _as_list(target):
        if isinstance(one, str):
            continue  # a bare IRI: a whole-document target carries no selector
        if not isinstance(one, dict):
            return [], "target must be an object with a 'selector'"
        for selector in _as_list(one.get("selector")):
            if not isinstance(selector, dict):
                return [], "each selector must be an object"
            found.append(selector)
    if not found:
        return [], "target has no TextQuoteSelector or TextPositionSelector"
    return found, None


def _bodies(annotation: dict[str, Any]) -> tuple[str, list[str], str | None]:
    texts: list[str] = []
    tags: list[str] = []
    body_value = annotation.get("bodyValue")
    if body_value is not None:
        if not isinstance(body_value, str):
            return "", [], "bodyValue must be a string"
        texts.append(body_value)
    for body in _as_list(annotation.get("body")):
        if isinstance(body, str):
            continue  # an IRI body (a link) carries no explanation text
        if not isinstance(body, dict):
            return "", [], "each body must be an object"
        value = body.get("value")
        if value is None:
            continue
        if not isinstance(value, str):
            return "", [], "a body's 'value' must be a string"
        purpose = body.get("purpose")  # most bodies have none
        purposes = _iter_str(purpose) if purpose is not None else ()
        if "tagging" in purposes or "classifying" in purposes:
            tags.append(value.strip())
        else:
            texts.append(value)
    if len(texts) == 1:  # the usual one body
        return texts[0].strip(), tags, None
    return "\n".join(t.strip() for t in texts if t.strip()), tags, None


def _iter_str(value: Any) -> Iterable[str]:
    return [v for v in _as_list(value) if isinstance(v, str)]


def parse_annotation(index: int, raw: Any) -> ParsedAnnotation:
    """One annotation; problems are reported in ``problem``, never raised."""
    if not isinstance(raw, dict):
        return ParsedAnnotation(index, None, (), "", (),
                                f"annotation {index} is not an object")
    ident = raw.get("id")
    ident = ident if isinstance(ident, str) else (str(ident) if isinstance(ident, int) else None)
    if "target" not in raw:
        return ParsedAnnotation(index, ident, (), "", (), "annotation has no target")
    selectors, problem = _selectors(raw.get("target"))
    explanation, tags, body_problem = _bodies(raw)
    problem = problem or body_problem
    if len(explanation) > MAX_EXPLANATION_CHARS:
        explanation = explanation[:MAX_EXPLANATION_CHARS]
    return ParsedAnnotation(index, ident, tuple(selectors), explanation, tuple(tags), problem)


def parse_annotations(payload: Any) -> list[ParsedAnnotation]:
    return [parse_annotation(i, raw) for i, raw in enumerate(annotation_items(payload))]
