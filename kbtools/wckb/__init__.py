"""`wckb`: the knowledge base's answers in a terminal or a CI job, without MkDocs and without network.

The wheel carries one compact JSON file (`kb.json`) exported at build time from the checked kb by
`export.py` with the same code the site uses (kbtools.compat, kbtools.lifecycle); at run time the
command reads that file instead of loading and validating every YAML file of kb/ (measured: 0.6 s
for the full load against a 0.3 s budget for a whole `lint` run).
"""
