"""Translations through Qt's system: ``tr("English text")`` looked up in context "Reader".

``tools/update_translations.py`` collects every ``tr("...")`` of this package into
``resources/i18n/reader_zh_TW.ts``; ``pyside6-lrelease`` compiles it to the ``.qm`` we ship.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from reader.paths import resources_dir

CONTEXT = "Reader"
LANGUAGES = {"en": "English", "zh_TW": "繁體中文"}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def pick_language(setting: str) -> str:
    if setting in LANGUAGES:
        return setting
    locale = QLocale.system()
    if locale.language() == QLocale.Language.Chinese and locale.script() != QLocale.Script.SimplifiedHanScript:
        return "zh_TW"
    return "en"


def install_translator(app, language: str) -> QTranslator | None:
    """Install the translator for ``language`` (en needs none). Returns it to keep it alive."""
    if language == "en":
        return None
    translator = QTranslator(app)
    if translator.load(str(resources_dir() / "i18n" / f"reader_{language}.qm")):
        app.installTranslator(translator)
        return translator
    return None


def articles_text(count: int) -> str:
    """'1 article', '12 articles' / '12 篇文章'."""
    return (tr("1 article") if count == 1 else tr("{n} articles")).replace("{n}", str(count))
