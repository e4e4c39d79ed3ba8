"""The centre's web pages: server-rendered HTML for people who log in with a password.

`site.mount(app)` adds the pages, their static files and their security headers to the API's app.
Pages are plain HTML, CSS and SVG (readable with scripts off), Lao first with English at a
click, and every figure on them comes from sync.server.figures, as the API's do.
"""
