"""laonlp: only the word lists its dictionary segmenter reads (`laonlp.tokenize`), ~1 MB.

The contributed hook takes the whole corpus (13 MB: a Lao-English dictionary and tagger
corpora the app never loads). A word list missing here fails the bundle's smoke test, which
prints a receipt (Lao syllables) and opens the setup wizard (Lao words).
"""

from PyInstaller.utils.hooks import get_package_paths

_, _package = get_package_paths("laonlp")
_WORD_LISTS = (
    "Lao-Dictionary.txt",
    "lo_spellcheck_dict.txt",
    "lao-wannaphong.txt",
    "wiktionary-20210720.txt",
    "stopwords_lao.txt",
)
datas = [(f"{_package}/corpus/{name}", "laonlp/corpus") for name in _WORD_LISTS]
