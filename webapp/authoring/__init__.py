"""Authoring lessons in the browser: edit, preview, try the rubric, share, export and import."""
