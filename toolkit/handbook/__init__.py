"""The staff handbook: Markdown chapters plus generated chapters, written as Word and HTML.

``build.build_handbook`` is the one entry point. ``chapter_sources`` renders the
placeholders, ``calendar`` and ``form_appendix`` generate chapters from the policy,
the schemas and the finding codes (``sources_cache`` keeps the result between runs),
``tree`` parses and numbers, and the writers (``docx_*`` into the frame python-docx
made once, ``html_writer``) turn the syntax trees into files. This package does
not import click or docxtpl.
"""
