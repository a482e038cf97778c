"""Read a rendered page the way a test needs: CSS selectors and visible text.

tinyhtml5 and cssselect2 parse HTML as browsers do (they come with WeasyPrint).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import cssselect2
import tinyhtml5


class Page:
    def __init__(self, html: str) -> None:
        self.root = tinyhtml5.parse(html, namespace_html_elements=False)
        self._wrapper = cssselect2.ElementWrapper.from_html_root(self.root)

    def select(self, css: str) -> list[ET.Element]:
        return [match.etree_element for match in self._wrapper.query_all(css)]

    def one(self, css: str) -> ET.Element:
        found = self.select(css)
        assert len(found) == 1, f"{css!r} matched {len(found)} elements"
        return found[0]

    def text(self, css: str = "main") -> str:
        """The text inside the first match, whitespace collapsed."""
        found = self.select(css)
        assert found, f"{css!r} matched nothing"
        return " ".join("".join(found[0].itertext()).split())

    def texts(self, css: str) -> list[str]:
        return [" ".join("".join(element.itertext()).split()) for element in self.select(css)]
