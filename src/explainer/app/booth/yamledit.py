"""Edits to one narration segment of script.yaml, made in its text: everything else in the file
(comments, key order, quoting, blank lines, line endings) stays byte for byte as it was.

The loader's positions say where a segment is; here the YAML parser's own node marks (start and
end of every value) locate the mapping of `chapters[*].slides[id].narration[index]`, and only the
characters of one value change (or one line is inserted). Every edit is checked by parsing the
result again: the edited value must read back as intended and nothing else may differ."""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# Values only (no positions needed) come from libyaml's parser where it is there: 10x faster.
_VALUES = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class EditRefused(Exception):
    """The edit cannot be made safely; the message says what to do instead."""


@dataclass(frozen=True)
class SegmentNode:
    """A segment's mapping in the file: the node, and its keys' and values' nodes by key."""

    mapping: MappingNode
    keys: dict[str, ScalarNode]
    values: dict[str, Node]


def _get(mapping: Node, key: str) -> Node | None:
    if not isinstance(mapping, MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value_node
    return None


def _compose(text: str) -> Node:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise EditRefused(f"script.yaml is not valid YAML now ({error}); fix it in an editor first") from None
    if node is None:
        raise EditRefused("script.yaml is empty")
    return node


def find_segment(text: str, slide_id: str, index: int) -> SegmentNode:
    """The mapping of slide `slide_id`'s narration segment number `index` (0-based)."""
    chapters = _get(_compose(text), "chapters")
    for chapter in chapters.value if isinstance(chapters, SequenceNode) else ():
        slides = _get(chapter, "slides")
        for slide in slides.value if isinstance(slides, SequenceNode) else ():
            found = _get(slide, "id")
            if not (isinstance(found, ScalarNode) and found.value == slide_id):
                continue
            narration = _get(slide, "narration")
            if not isinstance(narration, SequenceNode) or not 0 <= index < len(narration.value):
                raise EditRefused(f"slide '{slide_id}' has no narration segment {index + 1} in script.yaml now")
            item = narration.value[index]
            if not isinstance(item, MappingNode):
                raise EditRefused(f"slide '{slide_id}', segment {index + 1} is not a mapping in script.yaml")
            keys = {k.value: k for k, _ in item.value if isinstance(k, ScalarNode)}
            values = {k.value: v for k, v in item.value if isinstance(k, ScalarNode)}
            return SegmentNode(item, keys, values)
    raise EditRefused(f"slide '{slide_id}' is not in script.yaml now")


def say_templates(text: str) -> dict[tuple[str, int], str]:
    """Every segment's `say:` as written, placeholders and all (what the lecturer edits), by
    (slide id, segment index)."""
    found: dict[tuple[str, int], str] = {}
    chapters = _get(_compose(text), "chapters")
    for chapter in chapters.value if isinstance(chapters, SequenceNode) else ():
        slides = _get(chapter, "slides")
        for slide in slides.value if isinstance(slides, SequenceNode) else ():
            slide_id, narration = _get(slide, "id"), _get(slide, "narration")
            if not isinstance(slide_id, ScalarNode) or not isinstance(narration, SequenceNode):
                continue
            for index, item in enumerate(narration.value):
                say = _get(item, "say")
                if isinstance(say, ScalarNode):
                    found[(slide_id.value, index)] = say.value
    return found


def _scalar(value: str, flow: bool) -> list[str]:
    """Ways to write `value` as a one-line YAML scalar, plainest first: plain, then double-quoted
    (a JSON string is a valid YAML double-quoted scalar). The caller keeps the first that reads
    back as `value` in its place."""
    plain_unsafe = not value or value != value.strip() or "\n" in value or (flow and any(c in value for c in ",[]{}"))
    quoted = json.dumps(value, ensure_ascii=False)
    return [quoted] if plain_unsafe else [value, quoted]


def _replace_value(text: str, node: Node, written: str) -> str:
    """`text` with the value `node` spans replaced by `written`; a block scalar's trailing line
    breaks (its span includes them) are kept, so the next line stays where it was."""
    start, end = node.start_mark.index, node.end_mark.index
    old = text[start:end]
    trailing = old[len(old.rstrip()):] if "\n" in old else ""
    return text[:start] + written + trailing + text[end:]


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _insert_key(text: str, segment: SegmentNode, key: str, written: str) -> str:
    """`text` with `key: written` added as the segment's last key, in its own style."""
    mapping = segment.mapping
    if mapping.flow_style:
        close = mapping.end_mark.index - 1      # the closing brace
        if text[close] != "}":
            raise EditRefused("cannot find the end of this segment's {…} in script.yaml; add the line by hand")
        return text[:close].rstrip() + f", {key}: {written}" + text[close:]
    first_key = mapping.value[0][0]
    indent = " " * first_key.start_mark.column
    last_value = mapping.value[-1][1]
    # The new line goes after the line the segment's last value ends on (a block scalar's span
    # already ends at the start of the next line).
    end = last_value.end_mark.index
    if last_value.end_mark.column != 0:
        newline = text.find("\n", end)
        end = len(text) if newline < 0 else newline + 1
    eol = _line_ending(text)
    prefix = "" if end == 0 or text[end - 1] == "\n" else eol
    return text[:end] + prefix + f"{indent}{key}: {written}{eol}" + text[end:]


def _set(text: str, slide_id: str, index: int, key: str, value: str) -> str:
    segment = find_segment(text, slide_id, index)
    flow = segment.mapping.flow_style
    for written in _scalar(value, flow):
        if key in segment.values:
            node = segment.values[key]
            if not isinstance(node, ScalarNode):
                raise EditRefused(f"slide '{slide_id}', segment {index + 1}: '{key}' is not a plain value; edit it by hand")
            edited = _replace_value(text, node, written)
        else:
            edited = _insert_key(text, segment, key, written)
        if _reads_back(text, edited, slide_id, index, key, value):
            return edited
    raise EditRefused(f"could not write {key} {value!r} into script.yaml safely; edit it by hand")


def _reads_back(before: str, after: str, slide_id: str, index: int, key: str, value: str) -> bool:
    """Whether `after` holds `value` under `key` in the segment and is otherwise the same document."""
    try:
        old, new = yaml.load(before, Loader=_VALUES), yaml.load(after, Loader=_VALUES)
    except yaml.YAMLError:
        return False
    found = []
    for document in (old, new):   # everything but this one key must be equal
        for chapter in document["chapters"]:
            for slide in chapter.get("slides") or ():
                if slide.get("id") == slide_id:
                    found.append(slide["narration"][index].pop(key, None))
    return found[-1] == value and old == new


def set_audio(text: str, slide_id: str, index: int, path: str) -> str:
    """`text` with the segment's `audio:` set to `path` (replaced in place, or added as its last key)."""
    return _set(text, slide_id, index, "audio", path)


def set_say(text: str, slide_id: str, index: int, template: str) -> str:
    """`text` with the segment's `say:` template replaced by `template` (one line)."""
    template = " ".join(template.split())
    if not template:
        raise EditRefused("the sentence is empty; write the words to say")
    return _set(text, slide_id, index, "say", template)
