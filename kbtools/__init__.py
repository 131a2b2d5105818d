"""Plain-Python engine of the Windows containers knowledge base.

Loads and checks `kb/`, renders its facts into Markdown for the MkDocs hooks and exports the
JSON API. Nothing here imports MkDocs, so the command line (`python -m kbtools`) and the tests
use exactly the code the site build uses.
"""
