"""Safe YAML loading that keeps each key's and item's line and column for error messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_BYTES = 2_000_000  # a lecture script is a few hundred lines; larger input is a mistake


@dataclass(frozen=True)
class Pos:
    """A 1-based line and column in the source file."""

    line: int
    col: int


class Problem(Exception):
    """One user-facing error: where it is and how to fix it."""

    def __init__(self, file: str, message: str, pos: Pos | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.message = message
        self.pos = pos

    def __str__(self) -> str:
        if self.pos is None:
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.pos.line}:{self.pos.col}: {self.message}"


class MarkedDict(dict):
    """A mapping that remembers where each key and each value starts."""

    pos: Pos
    key_pos: dict[Any, Pos]
    value_pos: dict[Any, Pos]


class MarkedList(list):
    """A sequence that remembers where each item starts."""

    pos: Pos
    item_pos: list[Pos]


def _pos(node: Node) -> Pos:
    return Pos(node.start_mark.line + 1, node.start_mark.column + 1)


class _Loader(yaml.SafeLoader):
    """SafeLoader that records positions, rejects aliases and duplicate keys."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed in a lecture script; write the value out",
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> MarkedDict:  # type: ignore[override]
        if not isinstance(node, MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        result = MarkedDict()
        result.pos = _pos(node)
        result.key_pos, result.value_pos = {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.MarkedYAMLError(
                    problem="merge keys (<<) are not allowed; write the keys out",
                    problem_mark=key_node.start_mark,
                )
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise yaml.MarkedYAMLError(
                    problem="mapping keys must be plain words", problem_mark=key_node.start_mark
                )
            if key in result:
                first = result.key_pos[key]
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key '{key}' (first at line {first.line}); keep one",
                    problem_mark=key_node.start_mark,
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_pos[key] = _pos(key_node)
            result.value_pos[key] = _pos(value_node)
        return result

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> MarkedList:  # type: ignore[override]
        result = MarkedList(self.construct_object(child, deep=True) for child in node.value)
        result.pos = _pos(node)
        result.item_pos = [_pos(child) for child in node.value]
        return result


# Build marked containers eagerly so positions are available everywhere.
_Loader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node))
_Loader.add_constructor("tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node))


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same construction on libyaml's C parser (5x faster on the lecture script). Its
    composer is C, so it cannot refuse aliases: it is used only on text where no '&name' or
    '*name' could be an anchor or alias."""

    construct_mapping = _Loader.construct_mapping
    construct_sequence = _Loader.construct_sequence


_FastLoader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node))
_FastLoader.add_constructor("tag:yaml.org,2002:seq", lambda loader, node: loader.construct_sequence(node))


MAYBE_ANCHOR_OR_ALIAS = re.compile(r"(?:^|[\s\[{,])[&*][^\s,\[\]{}]")


def _fast_load(text: str) -> Any:
    """The document through libyaml, or None when the slow loader must judge it (anchors or
    aliases possible, or any defect: its messages are the ones users see)."""
    if MAYBE_ANCHOR_OR_ALIAS.search(text) or not getattr(yaml, "__with_libyaml__", False):
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        return loader.construct_document(node) if node is not None else None
    except (yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()


def load_yaml(path: Path, shown_as: str) -> Any:
    """Load one YAML document from `path`; raise Problem (with position) for any defect."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise Problem(shown_as, "file not found; pass the lecture script with --script FILE") from None
    except OSError as error:
        raise Problem(shown_as, f"cannot read the file: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise Problem(shown_as, f"file is {len(raw)} bytes; a lecture script should be under {MAX_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise Problem(
            shown_as,
            f"byte 0x{raw[error.start]:02x} is not UTF-8; save the file as UTF-8",
            Pos(line, col),
        ) from None
    if not text.strip():
        raise Problem(shown_as, "the file is empty; it needs a 'theme' and a 'chapters' section")
    fast = _fast_load(text)
    if fast is not None:
        return fast
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise Problem(shown_as, "the file holds only comments; it needs 'theme' and 'chapters'")
        return loader.construct_document(node)
    except RecursionError:
        raise Problem(shown_as, "the YAML nests too deeply; a lecture script is a few levels deep") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = _explain(error)
        pos = Pos(mark.line + 1, mark.column + 1) if mark is not None else None
        raise Problem(shown_as, message, pos) from None
    except yaml.YAMLError as error:
        raise Problem(shown_as, f"invalid YAML: {error}") from None
    finally:
        loader.dispose()


def _explain(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "invalid YAML").strip()
    if "'\\t'" in problem or "\\t" in problem:
        return "a tab character; YAML indents with spaces only: replace the tab with spaces"
    if "could not determine a constructor" in problem:
        tag = problem.split("tag")[-1].strip()
        return f"YAML tag {tag} is not allowed: a lecture script holds only plain text, numbers and lists"
    if error.context:
        return f"invalid YAML: {error.context.strip()}, {problem}"
    return f"invalid YAML: {problem}"
