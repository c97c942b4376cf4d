"""Lesson files: schema, loading with located errors, and the article text the app serves."""

from .loader import LessonError, LessonLoadReport, load_lesson_dir, load_lessons
from .schema import Lesson
from .text import Paragraph, article_paragraphs, served_text

__all__ = [
    "Lesson",
    "LessonError",
    "LessonLoadReport",
    "Paragraph",
    "article_paragraphs",
    "load_lesson_dir",
    "load_lessons",
    "served_text",
]
