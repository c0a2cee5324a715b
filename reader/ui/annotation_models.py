"""The annotations panel's models and the delegate that paints their cards.

"This article" is a flat list of cards in reading order (the detached ones last, each with
its badge). "All annotations" is a flat list too, grouped by article: one group row with the
article's title, then its cards; :class:`AnnotationFilterProxy` filters it by text, colour and
tag, keeping a group row while any of its cards is shown.

An article may have 100,000 highlights: a row's texts are made when it is painted or asked
for (the locator too), never for every row up front, and "This article" has rows of one height
(the view never measures them one by one).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPalette, QTextLayout
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from reader.annotations.store import Annotation, Color
from reader.locator import Locator
from reader.search.folding import fold
from reader.ui.i18n import tr

Index = QModelIndex | QPersistentModelIndex

IdRole = Qt.ItemDataRole.UserRole + 1
ArticleRole = Qt.ItemDataRole.UserRole + 2
KindRole = Qt.ItemDataRole.UserRole + 3  # CARD, NOTE (an article note) or GROUP
ColorRole = Qt.ItemDataRole.UserRole + 4  # the highlight's CSS colour
QuoteRole = Qt.ItemDataRole.UserRole + 5
NoteRole = Qt.ItemDataRole.UserRole + 6
LocatorRole = Qt.ItemDataRole.UserRole + 7  # the heading the highlight sits under
BadgeRole = Qt.ItemDataRole.UserRole + 8  # moved, fuzzy 87 %, detached; "" when exact
CountRole = Qt.ItemDataRole.UserRole + 9  # a group row: how many annotations it holds
TagsRole = Qt.ItemDataRole.UserRole + 10  # the annotation's own tags
StateRole = Qt.ItemDataRole.UserRole + 11  # exact, moved, fuzzy or orphan

CARD, NOTE, GROUP = "card", "note", "group"
TEXT_CHARS = 400  # of a quote or note a card can show; the tooltip shows 2,000
DEFAULT_CSS = "#ffe066"


def badge_text(item: Annotation) -> str:
    """Moved, fuzzy (with its score) or detached; "" for a highlight found where it was."""
    if item.state == "fuzzy":
        return tr("fuzzy") + f" {item.score:.0f}%"
    return {"exact": "", "moved": tr("moved"), "orphan": tr("detached")}.get(item.state, item.state)


def one_line(text: str, limit: int = TEXT_CHARS) -> str:
    """``text`` on one line, at most ``limit`` characters (cards and rows show it elided)."""
    short = text[: limit + 1]
    if "\n" in short or "\r" in short or "\u2028" in short or "\u2029" in short:
        short = " ".join(short.split())
    return short if len(short) <= limit else short[:limit] + "…"


def short_date(stamp: str) -> str:
    """2024-05-01 of an ISO instant."""
    return stamp[:10]


class ColorTable:
    """The highlight colours by key, named in the interface language; shared by the models."""

    def __init__(self) -> None:
        self.colors: list[Color] = []
        self._by_key: dict[str, Color] = {}

    def set(self, colors: list[Color]) -> None:
        self.colors = list(colors)
        self._by_key = {c.key: c for c in reversed(colors)}  # the first of a key, as a search would find

    def name(self, key: str) -> str:
        color = self._by_key.get(key)
        return color.name if color else key

    def css(self, key: str) -> str:
        color = self._by_key.get(key)
        return color.color if color else DEFAULT_CSS


def _card_data(item: Annotation, role: int, colors: ColorTable, place: str):
    """What a card of ``item`` shows, for the roles both models share."""
    if role == Qt.ItemDataRole.DisplayRole:  # the card as plain text (copy, screen readers, tests)
        if item.quote is None:
            return tr("Article note") + (f"\n✎ {one_line(item.note)}" if item.note else "")
        badge = badge_text(item)
        head = colors.name(item.color) + (f"  ·  {badge}" if badge else "")
        return f"{head}\n「{one_line(item.quote.exact)}」" + (f"\n✎ {one_line(item.note)}" if item.note else "")
    if role == IdRole:
        return item.id
    if role == ArticleRole:
        return item.article
    if role == KindRole:
        return CARD if item.quote is not None else NOTE
    if role == ColorRole:
        return colors.css(item.color) if item.quote is not None else ""
    if role == QuoteRole:
        return one_line(item.quote.exact) if item.quote is not None else ""
    if role == NoteRole:
        return one_line(item.note)
    if role == BadgeRole:
        return badge_text(item)
    if role == StateRole:
        return item.state
    if role == LocatorRole:
        return place
    if role == TagsRole:
        return list(getattr(item, "tags", ()))
    if role == Qt.ItemDataRole.AccessibleTextRole:
        if item.quote is None:
            return tr("Article note") + ": " + one_line(item.note, 200)
        return colors.name(item.color) + ": " + one_line(item.quote.exact, 200)
    if role == Qt.ItemDataRole.AccessibleDescriptionRole:
        parts = [place, badge_text(item), short_date(item.created), " ".join(f"#{t}" for t in getattr(item, "tags", ()))]
        parts = list(dict.fromkeys(parts))  # the date once, when it is the place too
        if item.note and item.quote is not None:
            parts.append(tr("Note") + ": " + one_line(item.note, 200))
        return "; ".join(p for p in parts if p)
    if role == Qt.ItemDataRole.ToolTipRole:
        if item.orphan:
            return tr("Detached: the text changed. Select new text and press “Re-attach to selection”.")
        quote = item.quote.exact[:2000] if item.quote else ""
        return quote + (("\n\n" if quote else "") + f"✎ {item.note[:2000]}" if item.note else "")
    return None


class ArticleAnnotationsModel(QAbstractListModel):
    """This article's highlights as cards in reading order (the detached ones last)."""

    def __init__(self, colors: ColorTable, parent=None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.items: list[Annotation] = []
        self.locator: Locator | None = None
        self._count = 0
        self._rows: dict[str, int] | None = None  # id -> row, made when first asked
        self._places: dict[int, str] = {}  # row -> locator text, made when first shown

    def set_items(self, items: list[Annotation], locator: Locator | None = None) -> None:
        self.beginResetModel()
        self.items = items
        self.locator = locator
        self._count = len(items)
        self._rows = None
        self._places = {}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        # Qt asks once or twice per row whenever it lays the list out: kept to a lookup.
        return 0 if parent.isValid() else self._count

    def annotation(self, row: int) -> Annotation | None:
        return self.items[row] if 0 <= row < self._count else None

    def row_of(self, annotation_id: str) -> int:
        if self._rows is None:
            self._rows = {item.id: k for k, item in enumerate(self.items)}
        return self._rows.get(annotation_id, -1)

    def place(self, row: int) -> str:
        """The heading the highlight sits under (else its paragraph), "" when detached."""
        found = self._places.get(row)
        if found is not None:
            return found
        item = self.items[row]
        text = ""
        if self.locator is not None and item.position is not None and not item.orphan:
            location = self.locator.at(item.position.start)
            if location.heading:
                text = location.heading
            elif location.paragraph is not None:
                text = tr("Paragraph {n}").replace("{n}", str(location.paragraph))
        self._places[row] = text
        return text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        row = index.row()
        place = self.place(row) if role in (LocatorRole, Qt.ItemDataRole.AccessibleDescriptionRole) else ""
        return _card_data(self.items[row], role, self.colors, place)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def colors_changed(self) -> None:
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, 0))


@dataclass
class Group:
    article: str
    title: str
    tags: list[str]
    first: int  # its first row
    count: int  # how many annotations follow it


class LibraryAnnotationsModel(QAbstractListModel):
    """Every annotation of the library, grouped by article (ordered by title): a group row
    (the title, once) and then the article's note and highlights in reading order."""

    def __init__(self, colors: ColorTable, parent=None) -> None:
        super().__init__(parent)
        self.colors = colors
        self.entries: list[tuple[Annotation, str, list[str]]] = []  # (annotation, title, tags)
        self.groups: list[Group] = []
        self.rows: list[int] = []  # per row: an index into entries, or -1 - group number
        self.generation = 0  # bumped when the rows change (a filter made before is stale)
        self._folded: list[str] | None = None  # what the text filter looks in, made when first used

    def set_items(self, entries: list[tuple[Annotation, str, list[str]]]) -> None:
        by_article: dict[str, list[int]] = {}
        for k, (item, _title, _tags) in enumerate(entries):
            by_article.setdefault(item.article, []).append(k)
        order = sorted(by_article, key=lambda a: (fold(entries[by_article[a][0]][1]), a))
        rows: list[int] = []
        groups: list[Group] = []
        for article in order:
            members = by_article[article]
            members.sort(key=lambda k: _reading_key(entries[k][0]))
            _item, title, tags = entries[members[0]]
            groups.append(Group(article, title, list(tags), len(rows), len(members)))
            rows.append(-len(groups))
            rows.extend(members)
        self.beginResetModel()
        self.entries, self.groups, self.rows = entries, groups, rows
        self._folded = None
        self.generation += 1
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.rows)

    def group(self, row: int) -> Group | None:
        code = self.rows[row] if 0 <= row < len(self.rows) else 0
        return self.groups[-code - 1] if code < 0 else None

    def annotation(self, row: int) -> Annotation | None:
        code = self.rows[row] if 0 <= row < len(self.rows) else -1
        return self.entries[code][0] if code >= 0 else None

    def tags_of(self, entry: int) -> tuple[str, ...]:
        """The tags the tag filter matches for an annotation: its own and its article's."""
        item, _title, article_tags = self.entries[entry]
        return (*getattr(item, "tags", ()), *article_tags)

    def all_tags(self) -> list[str]:
        tags = {t for g in self.groups for t in g.tags}
        tags.update(t for item, _title, _tags in self.entries for t in getattr(item, "tags", ()))
        return sorted(tags, key=fold)

    def matches(self, text: str, color: str, tag: str) -> list[bool] | None:
        """Per row, whether it is shown under the filter (folded ``text``, colour key, tag);
        None when nothing is filtered. A group row is shown while one of its cards is."""
        if not (text or color or tag):
            return None
        if text and self._folded is None:
            self._folded = [fold(" ".join([item.quote.exact if item.quote else "", item.note, title]))
                            for item, title, _tags in self.entries]
        folded, entries = self._folded, self.entries
        shown = [False] * len(self.rows)
        for group in self.groups:
            any_shown = False
            for row in range(group.first + 1, group.first + 1 + group.count):
                k = self.rows[row]
                item = entries[k][0]
                if color and item.color != color:
                    continue
                if tag and tag not in self.tags_of(k):
                    continue
                if text and text not in folded[k]:
                    continue
                shown[row] = any_shown = True
            shown[group.first] = any_shown
        return shown

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        code = self.rows[index.row()]
        if code < 0:
            group = self.groups[-code - 1]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
                return group.title
            if role == KindRole:
                return GROUP
            if role == ArticleRole:
                return group.article
            if role == IdRole:
                return ""
            if role == CountRole:
                return group.count
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                # The tags as the reading pane shows them (#人工智慧 #巨量資料), after a dot
                # that reads the same in both languages.
                return annotations_text(group.count) + (("  ·  " + " ".join(f"#{t}" for t in group.tags)) if group.tags else "")
            return None
        item, _title, _tags = self.entries[code]
        # Another article's headings are not at hand: a card tells when it was made instead.
        return _card_data(item, role, self.colors, short_date(item.created))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def colors_changed(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, 0))


def annotations_text(count: int) -> str:
    return (tr("1 annotation") if count == 1 else tr("{n} annotations")).replace("{n}", str(count))


def _reading_key(item: Annotation) -> tuple:
    # The article note first, then the highlights in reading order, the detached ones last.
    return (item.quote is not None, item.orphan, item.position.start if item.position else 0, item.created)


class AnnotationFilterProxy(QSortFilterProxyModel):
    """All annotations filtered by text, colour and tag (see LibraryAnnotationsModel.matches);
    the order is the source model's."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.text = self.color = self.tag = ""
        self._shown: list[bool] | None = None
        self._generation = -1

    def set_filter(self, text: str, color: str, tag: str) -> None:
        text = fold(text.strip())
        if (text, color, tag) == (self.text, self.color, self.tag):
            return
        # Qt 6.10 replaced invalidateFilter() with begin/endFilterChange(); support both.
        started = hasattr(self, "beginFilterChange")
        if started:
            self.beginFilterChange()
        self.text, self.color, self.tag = text, color, tag
        self._compute()
        if started:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def _compute(self) -> None:
        model = self.sourceModel()
        self._shown = model.matches(self.text, self.color, self.tag) if model is not None else None
        self._generation = model.generation if model is not None else -1

    def shown_rows(self) -> list[bool] | None:
        """Per source row whether it is shown; None when nothing is filtered."""
        if not (self.text or self.color or self.tag):
            return None
        if self._generation != self.sourceModel().generation:
            self._compute()
        return self._shown

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not (self.text or self.color or self.tag):
            return True
        if self._generation != self.sourceModel().generation:  # the rows changed under the filter
            self._compute()
        shown = self._shown
        return shown is None or (source_row < len(shown) and shown[source_row])


# Painting ---------------------------------------------------------------------------------------
def _mix(a: QColor, b: QColor, share: float) -> QColor:
    """``share`` of ``b`` over ``a``."""
    return QColor.fromRgbF(
        a.redF() * (1 - share) + b.redF() * share,
        a.greenF() * (1 - share) + b.greenF() * share,
        a.blueF() * (1 - share) + b.blueF() * share,
    )


def two_lines(metrics: QFontMetrics, font: QFont, text: str, width: int) -> list[str]:
    """``text`` wrapped to at most two lines of ``width`` pixels, the second elided."""
    if metrics.horizontalAdvance(text) <= width:
        return [text]
    layout = QTextLayout(text, font)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width)
    cut = line.textLength() or 1
    layout.endLayout()
    rest = text[cut:].lstrip()
    return [text[:cut].rstrip(), metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)] if rest else [text[:cut]]


class CardDelegate(QStyledItemDelegate):
    """Paints an annotation as a card: a colour bar, the locator and the badge, the quote on
    two lines, the note's first line; and a group row as the article's title."""

    MARGIN = 6  # around a card
    PAD = 8  # inside it

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._sizes: dict[tuple, QSize] = {}

    def forget_sizes(self) -> None:
        """The font changed: rows are measured again."""
        self._sizes.clear()

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont, QFont]:
        base = QFont(option.font)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() * 0.88))
        bold = QFont(base)
        bold.setBold(True)
        return base, small, bold

    def _line(self, font: QFont) -> int:
        # Chinese falls back to a font with taller lines than the interface font's.
        metrics = QFontMetrics(font)
        return max(metrics.height(), metrics.boundingRect("國Ag").height()) + 2

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        kind = index.data(KindRole)
        key = (kind, option.font.key())
        size = self._sizes.get(key)
        if size is None:
            base, small, bold = self._fonts(option)
            if kind == GROUP:
                height = self._line(bold) + self._line(small) + 2 * self.MARGIN + 4
            else:
                height = self._line(small) * 2 + self._line(base) * 2 + 2 * self.PAD + 2 * self.MARGIN - 2
            size = self._sizes[key] = QSize(120, height)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        base, small, bold = self._fonts(option)
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        if index.data(KindRole) == GROUP:
            self._paint_group(painter, option, index, bold, small, text_color, muted, selected)
            painter.restore()
            return
        page = palette.color(QPalette.ColorRole.Base)
        window = palette.color(QPalette.ColorRole.Window)
        accent = palette.color(QPalette.ColorRole.Highlight)
        card = QRectF(option.rect.adjusted(self.MARGIN, self.MARGIN // 2, -self.MARGIN, -self.MARGIN // 2))
        path = QPainterPath()
        path.addRoundedRect(card, 6, 6)
        painter.fillPath(path, _mix(page, accent, 0.16) if selected else page)
        painter.setPen(accent if selected else _mix(page, text_color, 0.18))
        painter.drawPath(path)
        if focused and selected:
            painter.setPen(accent)
            painter.drawRoundedRect(card.adjusted(1, 1, -1, -1), 5, 5)
        css = index.data(ColorRole)
        bar = QRectF(card.left() + 1, card.top() + 1, 6, card.height() - 2)
        bar_path = QPainterPath()
        bar_path.addRoundedRect(bar, 3, 3)
        painter.fillPath(bar_path, QColor(css) if css else _mix(window, text_color, 0.35))

        left = int(card.left()) + 6 + self.PAD
        width = int(card.right()) - self.PAD - left
        y = int(card.top()) + self.PAD - 2
        small_line, base_line = self._line(small), self._line(base)
        # The locator, and the badge at the right.
        badge = index.data(BadgeRole) or ""
        painter.setFont(small)
        metrics = QFontMetrics(small)
        badge_width = 0
        if badge:
            badge_width = metrics.horizontalAdvance(badge) + 12
            pill = QRectF(left + width - badge_width, y + 1, badge_width, small_line - 2)
            detached = index.data(StateRole) == "orphan"
            color = QColor("#c62828") if detached else QColor("#b26a00")
            if palette.color(QPalette.ColorRole.Base).lightness() < 128:
                color = QColor("#ff8a80") if detached else QColor("#ffcc80")
            painter.setPen(color)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, badge)
        kind = index.data(KindRole)
        place = tr("Article note") if kind == NOTE else (index.data(LocatorRole) or "")
        tags = index.data(TagsRole) or []
        if tags:
            place = "  ".join([place, *(f"#{t}" for t in tags)]).strip()
        if place:
            painter.setPen(muted)
            room = width - badge_width - (6 if badge_width else 0)
            painter.drawText(QRect(left, y, room, small_line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(place, Qt.TextElideMode.ElideRight, room))
        y += small_line + 2
        # The quote (an article note shows its note there instead).
        note = index.data(NoteRole) or ""
        body = index.data(QuoteRole) if kind == CARD else note
        painter.setFont(base)
        painter.setPen(text_color)
        base_metrics = QFontMetrics(base)
        for line in two_lines(base_metrics, base, body or "", width):
            painter.drawText(QRect(left, y, width, base_line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)
            y += base_line
        if kind == CARD and note:
            y = int(card.top()) + self.PAD - 2 + small_line + 2 + 2 * base_line
            painter.setFont(small)
            painter.setPen(muted)
            painter.drawText(QRect(left, y, width, small_line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText("✎ " + note, Qt.TextElideMode.ElideRight, width))
        painter.restore()

    def _paint_group(self, painter, option, index, bold, small, text_color, muted, selected) -> None:
        palette = option.palette
        rect = option.rect.adjusted(self.MARGIN + 2, self.MARGIN, -self.MARGIN - 2, -2)
        if selected:
            painter.fillRect(option.rect, _mix(palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Highlight), 0.25))
        title_line, small_line = self._line(bold), self._line(small)
        painter.setFont(bold)
        painter.setPen(text_color)
        metrics = QFontMetrics(bold)
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), title_line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(index.data(Qt.ItemDataRole.DisplayRole) or "", Qt.TextElideMode.ElideRight, rect.width()))
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(QRect(rect.left(), rect.top() + title_line, rect.width(), small_line), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         QFontMetrics(small).elidedText(index.data(Qt.ItemDataRole.AccessibleDescriptionRole) or "", Qt.TextElideMode.ElideRight, rect.width()))
        painter.setPen(_mix(palette.color(QPalette.ColorRole.Window), text_color, 0.25))
        painter.drawLine(rect.left(), option.rect.bottom() - 1, rect.right(), option.rect.bottom() - 1)
