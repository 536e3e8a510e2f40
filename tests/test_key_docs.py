"""``qray.key_docs``: the keys of a config dataclass and their docs."""

from __future__ import annotations

from dataclasses import dataclass, field

from qray.key_docs import REQUIRED, attribute_docs, config_keys, format_value, parse_attributes


@dataclass(frozen=True)
class Inner:
    """A section.

    Attributes:
        rate: arrivals per second,
            in [0, 1].
    """

    rate: float = 0.5


@dataclass(frozen=True)
class Base:
    """Shared keys.

    Attributes:
        name: the ``name`` of it.
        inner, other: two sections.
    """

    name: str = "x"
    inner: Inner = field(default_factory=Inner)
    other: Inner | None = None


@dataclass(frozen=True)
class Child(Base):
    """The child.

    Attributes:
        name: the child's name.
        sizes: a list.

    Raises:
        Nothing: this is not an attribute.
    """

    size: int = 0
    sizes: list[int] = field(default_factory=lambda: [1, 2])
    by_name: dict[str, Inner] = field(default_factory=dict)
    needed: str = field(default="", init=False)


def test_attribute_sections_parse_continuations_and_several_names() -> None:
    assert parse_attributes(Inner.__doc__) == {"rate": "arrivals per second, in [0, 1]."}
    assert parse_attributes(Base.__doc__) == {"name": "the `name` of it.",
                                              "inner": "two sections.", "other": "two sections."}
    assert "Nothing" not in parse_attributes(Child.__doc__)
    assert parse_attributes("No sections here.") == {}
    docs = attribute_docs(Child)
    assert docs["name"] == "the child's name." and docs["inner"] == "two sections."


def test_config_keys_walk_nested_sections_in_field_order() -> None:
    keys = {k.name: k for k in config_keys(Child)}
    assert list(keys) == ["name", "inner", "inner.rate", "other", "other.rate", "size",
                          "sizes", "by_name", "by_name.<name>.rate"]
    assert keys["inner"].section and keys["inner"].default is None
    assert (keys["inner.rate"].type, keys["inner.rate"].default) == ("float", 0.5)
    assert keys["other"].type == "Inner | None"
    assert keys["size"].doc == "" and keys["sizes"].default == [1, 2]


def test_format_value_writes_overrides() -> None:
    assert format_value([1, "a", None, True]) == "[1, a, null, true]"
    assert format_value({"k": [0.5]}) == "{k: [0.5]}"
    assert format_value("") == "''" and format_value("a:b") == "'a:b'"
    assert REQUIRED == "(required)"
