"""The region tree: regions and the countries filed under them, read from a YAML file.

The tree is operator-editable (`newsdesk/data/regions.yaml` by default). It is read
through `yaml.compose`, not `yaml.safe_load`, for two reasons: every error can name the
line it comes from, and ISO codes stay strings (YAML 1.1 would read Norway's `NO` as
False). A region marked `rest: true` receives every ISO 3166-1 country the file lists
nowhere else, so every country lands somewhere even when ISO grows.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pycountry
import yaml

#: Extra codes the tree accepts besides ISO 3166-1 alpha-2 (none today; "PS" is ISO).
EXTRA_CODES: dict[str, str] = {}

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class TaxonomyError(ValueError):
    """The region file is not valid; the message names the file, line and entry."""


@dataclass(eq=False)
class Node:
    """A region (code None) or a country (code = ISO 3166-1 alpha-2) in the tree."""

    slug: str
    name: str
    code: str | None = None
    children: list[Node] = field(default_factory=list, repr=False)
    parent: Node | None = field(default=None, repr=False)

    @property
    def is_country(self) -> bool:
        return self.code is not None


class RegionTree:
    """Top-level regions with lookups by country code and slug."""

    def __init__(self, roots: list[Node]):
        self.roots = roots
        self._by_code: dict[str, Node] = {}
        self._by_slug: dict[str, Node] = {}
        for node in self.walk():
            self._by_slug[node.slug] = node
            if node.code:
                self._by_code[node.code] = node

    def walk(self) -> Iterator[Node]:
        """Yield every node depth-first, parents before their children, in file order."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def node_for_code(self, code: str) -> Node:
        """Return the country node for an ISO alpha-2 code; KeyError names the code."""
        try:
            return self._by_code[code.upper()]
        except KeyError:
            raise KeyError(f"country code {code!r} is not in the region tree") from None

    def node_for_slug(self, slug: str) -> Node:
        try:
            return self._by_slug[slug]
        except KeyError:
            raise KeyError(f"slug {slug!r} is not in the region tree") from None

    def path(self, node: Node) -> list[Node]:
        """Return the nodes from the top-level region down to `node` (root first)."""
        out = []
        cur: Node | None = node
        while cur is not None:
            out.append(cur)
            cur = cur.parent
        return out[::-1]

    @property
    def codes(self) -> set[str]:
        return set(self._by_code)


def load_tree(path: Path | None = None) -> RegionTree:
    """Read and validate a region file (default: the packaged `regions.yaml`)."""
    if path is None:
        ref = resources.files("newsdesk") / "data" / "regions.yaml"
        text, where = ref.read_text(encoding="utf-8"), "newsdesk/data/regions.yaml"
    else:
        text, where = Path(path).read_text(encoding="utf-8"), str(path)
    return parse_tree(text, where)


def parse_tree(text: str, where: str = "<string>") -> RegionTree:
    """Build a RegionTree from YAML text; `where` names the source in error messages."""
    try:
        doc = yaml.compose(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{where}: not valid YAML: {exc}") from exc
    builder = _Builder(where)
    if not isinstance(doc, yaml.MappingNode):
        raise TaxonomyError(f"{where}: expected a mapping with a `regions:` list at the top")
    top = builder.mapping(doc, "top level")
    if "regions" not in top:
        raise TaxonomyError(f"{where}: the top level needs a `regions:` list")
    roots = [builder.region(item, None) for item in builder.sequence(top["regions"], "regions")]
    builder.fill_rest()
    return RegionTree(roots)


def country_name(code: str) -> str:
    """A reader-facing English name: ISO's common name, else GeoNames' where ISO's is stiff
    ("Congo, The Democratic Republic of the" → "Democratic Republic of the Congo")."""
    if code in EXTRA_CODES:
        return EXTRA_CODES[code]
    country = pycountry.countries.get(alpha_2=code)
    name = getattr(country, "common_name", None) or country.name
    if "," in name or "(" in name:
        name = _geonames_names().get(code, name).strip()
    return name


@functools.cache
def _geonames_names() -> dict[str, str]:
    from .gazetteer import geonames

    return {c["iso"]: c["name"] for c in geonames().get_countries().values()}


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


class _Builder:
    """Walks the composed YAML nodes, keeping line numbers for error messages."""

    def __init__(self, where: str):
        self.where = where
        self.slugs: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        self.rest: Node | None = None
        self.valid = {c.alpha_2 for c in pycountry.countries} | set(EXTRA_CODES)

    def fail(self, node: yaml.Node, message: str) -> TaxonomyError:
        return TaxonomyError(f"{self.where}, line {node.start_mark.line + 1}: {message}")

    def mapping(self, node: yaml.Node, what: str) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping (key: value)")
        return {self.scalar(k, "a key"): v for k, v in node.value}

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, f"`{what}` must be a list")
        return list(node.value)

    def scalar(self, node: yaml.Node, what: str) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a plain value")
        return str(node.value).strip()

    def claim_slug(self, slug: str, node: yaml.Node) -> None:
        if not _SLUG_RE.match(slug):
            raise self.fail(node, f"slug {slug!r} must be lowercase letters, digits and hyphens")
        if slug in self.slugs:
            raise self.fail(
                node, f"duplicate slug {slug!r} (first used on line {self.slugs[slug]})"
            )
        self.slugs[slug] = node.start_mark.line + 1

    def region(self, node: yaml.Node, parent: Node | None) -> Node:
        spec = self.mapping(node, "a region")
        unknown = set(spec) - {"name", "slug", "countries", "regions", "rest"}
        if unknown:
            raise self.fail(node, f"unknown key(s) {sorted(unknown)} in a region")
        if "name" not in spec:
            raise self.fail(node, "a region needs a `name`")
        name = self.scalar(spec["name"], "name")
        slug = self.scalar(spec["slug"], "slug") if "slug" in spec else slugify(name)
        self.claim_slug(slug, spec.get("slug", node))
        region = Node(slug=slug, name=name, parent=parent)
        if "rest" in spec and self.scalar(spec["rest"], "rest").lower() in ("true", "yes"):
            if self.rest is not None:
                raise self.fail(
                    node, f"only one region may say `rest: true` ({self.rest.slug} does)"
                )
            self.rest = region
        for item in self.sequence(spec["countries"], "countries") if "countries" in spec else []:
            region.children.append(self.country(item, region))
        for item in self.sequence(spec["regions"], "regions") if "regions" in spec else []:
            region.children.append(self.region(item, region))
        return region

    def country(self, node: yaml.Node, parent: Node) -> Node:
        if isinstance(node, yaml.MappingNode):
            spec = self.mapping(node, "a country")
            if "code" not in spec:
                raise self.fail(node, "a country written as a mapping needs a `code`")
            code = self.scalar(spec["code"], "code").upper()
            name = self.scalar(spec["name"], "name") if "name" in spec else None
            slug = self.scalar(spec["slug"], "slug") if "slug" in spec else None
        else:
            code, name, slug = self.scalar(node, "a country code").upper(), None, None
        if code not in self.valid:
            raise self.fail(node, f"unknown country code {code!r}: use ISO 3166-1 alpha-2")
        if code in self.codes:
            raise self.fail(node, f"country {code} listed twice (first on line {self.codes[code]})")
        self.codes[code] = node.start_mark.line + 1
        name = name or country_name(code)
        slug = slug or slugify(name)
        self.claim_slug(slug, node)
        return Node(slug=slug, name=name, code=code, parent=parent)

    def fill_rest(self) -> None:
        """Hang every ISO country listed nowhere else under the `rest: true` region."""
        missing = sorted(self.valid - set(self.codes) - set(EXTRA_CODES))
        if missing and self.rest is None:
            raise TaxonomyError(
                f"{self.where}: countries {', '.join(missing)} are in no region; list them "
                "or mark one region `rest: true`"
            )
        for code in missing:
            name = country_name(code)
            slug = slugify(name)
            if slug in self.slugs:
                slug = f"{slug}-{code.lower()}"
            self.slugs[slug] = 0
            self.rest.children.append(Node(slug=slug, name=name, code=code, parent=self.rest))
