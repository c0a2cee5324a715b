"""Translations through Qt's system: ``tr("English text")`` looked up in context "Reader".

``tools/update_translations.py`` collects every ``tr("...")`` of this package into
``resources/i18n/reader_zh_TW.ts``; ``pyside6-lrelease`` compiles it to the ``.qm`` we ship.
Qt's own strings (file dialogs, standard buttons, context menus) come from the ``qtbase``
translations shipped with PySide6. One language at a time: :func:`set_language` replaces the
installed translators, and :func:`retranslate_widgets` puts the new language on widgets that
were labelled in the old one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from reader.paths import resources_dir

CONTEXT = "Reader"
LANGUAGES = {"en": "English", "zh_TW": "繁體中文"}

_installed: list[QTranslator] = []
_language = "en"


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def current_language() -> str:
    """The language the interface speaks now (a translator removed by hand counts as gone)."""
    if _language != "en" and tr("&File") == "&File":
        return "en"
    return _language


def pick_language(setting: str) -> str:
    if setting in LANGUAGES:
        return setting
    locale = QLocale.system()
    if locale.language() == QLocale.Language.Chinese and locale.script() != QLocale.Script.SimplifiedHanScript:
        return "zh_TW"
    return "en"


def set_language(app, language: str) -> QTranslator | None:
    """Make ``language`` the one language of the interface: remove the translators installed
    before, then install Reader's and Qt's own for it (English needs none). Returns Reader's
    translator (None for English or when it is missing)."""
    global _language
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _language = language if language in LANGUAGES else "en"
    if _language == "en":
        return None
    qt = QTranslator(app)
    if qt.load(f"qtbase_{_language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    extra = QTranslator(app)  # what qtbase's translation lacks (installed later: asked first)
    if extra.load(str(resources_dir() / "i18n" / f"qt_extra_{_language}.qm")):
        app.installTranslator(extra)
        _installed.append(extra)
    translator = QTranslator(app)
    if translator.load(str(resources_dir() / "i18n" / f"reader_{_language}.qm")):
        app.installTranslator(translator)
        _installed.append(translator)
        return translator
    return None


def install_translator(app, language: str) -> QTranslator | None:
    """Install the translators for ``language`` (see :func:`set_language`)."""
    return set_language(app, language)


def articles_text(count: int) -> str:
    """'1 article', '12 articles' / '12 篇文章'."""
    return (tr("1 article") if count == 1 else tr("{n} articles")).replace("{n}", str(count))


# Colour names ---------------------------------------------------------------------------------
def color_label(name: str) -> str:
    """A highlight colour's name in the interface language: the defaults are stored in both
    languages ("黃 Yellow") and shown in one ("黃" / "Yellow"); a name the user chose is
    shown as typed."""
    from reader.settings import DEFAULTS

    for color in DEFAULTS["highlight_colors"]:
        if name == color["name"]:
            chinese, _, english = name.partition(" ")
            return chinese if current_language() == "zh_TW" else english
    return name


# Retranslating widgets in place -----------------------------------------------------------------
@cache
def _sources(language: str) -> dict[str, str]:
    """Translation → English source, from the shipped .ts of ``language``."""
    if language == "en":
        return {}
    try:
        root = ET.parse(resources_dir() / "i18n" / f"reader_{language}.ts").getroot()
    except (OSError, ET.ParseError):
        return {}
    out = {}
    for message in root.iter("message"):
        source, translation = message.findtext("source") or "", message.find("translation")
        if translation is not None and translation.text:
            out[translation.text] = source
    return out


def retranslate_widgets(root: QWidget, old_language: str) -> None:
    """Relabel the fixed texts of ``root`` and its children (labels, buttons, placeholders,
    tooltips, tabs, combo items) that were shown in ``old_language`` with the current one.
    Texts put together at run time (counts, names) are refreshed by their owners."""
    sources = _sources(old_language)
    known = set(sources.values())

    def again(text: str) -> str | None:
        source = sources.get(text, text if text in known or old_language == "en" else None)
        if source is None:
            return None
        new = tr(source)
        return new if new != text else None

    def relabel(getter, setter) -> None:
        text = getter()
        if text:
            new = again(text)
            if new is not None:
                setter(new)

    for widget in [root, *root.findChildren(QWidget)]:
        relabel(widget.toolTip, widget.setToolTip)
        relabel(widget.accessibleName, widget.setAccessibleName)
        if isinstance(widget, (QLabel, QAbstractButton)):
            relabel(widget.text, widget.setText)
        if isinstance(widget, QGroupBox):
            relabel(widget.title, widget.setTitle)
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            relabel(widget.placeholderText, widget.setPlaceholderText)
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                relabel(lambda w=widget, i=i: w.tabText(i), lambda t, w=widget, i=i: w.setTabText(i, t))
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                relabel(lambda w=widget, i=i: w.itemText(i), lambda t, w=widget, i=i: w.setItemText(i, t))
