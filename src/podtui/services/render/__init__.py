"""Print files: the Pillow renderer, the PNG writer, the render-job queue, its worker and process
pool, print files on disk, mockups and the production-files ZIP.

May import: domain, db, config and items (timeline, transitions). Never textual.
"""
