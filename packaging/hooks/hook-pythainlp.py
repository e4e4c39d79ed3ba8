"""pythainlp, which laonlp imports for its word trie: the one corpus file read on import.

The contributed hook takes the whole Thai corpus (63 MB of models and word lists); laonlp's
segmenter uses none of it. The corpus licence goes along with the file.
"""

from PyInstaller.utils.hooks import get_package_paths

_, _package = get_package_paths("pythainlp")
datas = [
    (f"{_package}/corpus/{name}", "pythainlp/corpus")
    for name in ("stopwords_th.txt", "corpus_license.md")
]
