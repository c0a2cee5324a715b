"""A law's page in the window: its provisions in order, each with the library's articles
citing it (issue 14). Opened from the References panel ("Show the law"); the page is made
on the session's search worker (:func:`reader.legal.law_page.law_page`: index lookups and
the imported law text) and shown in a read-only browser. Asks only: a click on an article
emits ``open_requested(path)``; the window opens it.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

from reader.ui.i18n import tr
from reader.ui.workers import error_line

ARTICLE_SCHEME = "reader-article"


def provision_anchor(key: str) -> str:
    return "art-" + key.replace("-", "_")


def page_html(page) -> str:
    """The page as HTML (every text escaped; articles as ``reader-article:`` links)."""
    out = [f"<h2>{html.escape(page.name)}</h2>"]
    if page.english_name:
        out.append(f"<p><i>{html.escape(page.english_name)}</i></p>")
    cited = page.cited_provisions
    out.append("<p>" + html.escape(
        tr("{n} articles of the library cite this law; {k} of its provisions are cited.")
        .replace("{n}", str(len(page.citing_law))).replace("{k}", str(cited))) + "</p>")
    if not page.imported:
        out.append("<p><i>" + html.escape(tr("The law's text is not imported: run reader laws import to read its provisions here.")) + "</i></p>")
    for entry in page.entries:
        if entry.heading:
            out.append(f"<h4>{html.escape(entry.no)}</h4>")
            continue
        anchor = provision_anchor(entry.key or "")
        out.append(f'<p><a name="{anchor}"></a><b>{html.escape(entry.no)}</b></p>')
        if entry.text:
            text = html.escape(entry.text).replace("\n", "<br/>")
            out.append(f"<p style='margin-left:12px'>{text}</p>")
        if entry.citing:
            links = "、".join(
                f'<a href="{ARTICLE_SCHEME}:{html.escape(QUrl.toPercentEncoding(a.path).data().decode())}">{html.escape(a.title)}</a>'
                for a in entry.citing)
            label = tr("Cited by {n}:").replace("{n}", str(len(entry.citing)))
            out.append(f"<p style='margin-left:12px'>{html.escape(label)} {links}</p>")
    return "\n".join(out)


class LawPageDialog(QDialog):
    open_requested = Signal(str)  # an article's library path

    def __init__(self, session, data_dir, pcode: str, name: str, article: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Law: {name}").replace("{name}", name or pcode))
        self.setAccessibleName(tr("Law page"))
        self.resize(720, 640)
        self.article = article
        self.page = None
        self.status = QLabel(tr("Reading the law…"), self)
        self.status.setAccessibleName(tr("Law page status"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(tr("The law's provisions and the articles citing each"))
        self.browser.anchorClicked.connect(self._clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        from reader.legal.law_page import law_page

        index = session.search_index
        session.searches.run(lambda: law_page(index, data_dir, pcode, name), self._show, self._failed)

    def _show(self, page) -> None:
        self.page = page
        self.status.setText(tr("{k} of {n} provisions cited in the library").replace("{k}", str(page.cited_provisions))
                            .replace("{n}", str(sum(1 for e in page.entries if not e.heading))))
        self.browser.setHtml(page_html(page))
        if self.article:
            self.browser.scrollToAnchor(provision_anchor(self.article))

    def _failed(self, error: Exception) -> None:
        self.status.setText(tr("The law's page could not be made: ") + error_line(error))

    def _clicked(self, url: QUrl) -> None:
        if url.scheme() == ARTICLE_SCHEME:
            self.open_requested.emit(QUrl.fromPercentEncoding(url.path(QUrl.ComponentFormattingOption.FullyEncoded).encode()))
