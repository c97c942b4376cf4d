"""The lesson file schema (``schema_version: 1``). Unknown keys are rejected everywhere."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

SCHEMA_VERSION = 1

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=400)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Prompt(Strict):
    id: Slug
    text: Text
    hints: list[Text] = Field(min_length=1, max_length=6)


class Idea(Strict):
    """Something an explanation can name, in as many phrasings as learners use."""

    id: Slug
    label: Text
    phrasings: list[Phrase] = Field(min_length=1)


class Misreading(Strict):
    label: Text
    phrasings: list[Phrase] = Field(min_length=1)
    feedback: Text


class Feedback(Strict):
    full: Text
    partial: Text
    missed: Text


class RubricItem(Strict):
    id: Slug
    title: Text
    points: float = Field(gt=0, le=100)
    prompts: list[Slug] = Field(default_factory=list)
    passages: list[Text] = Field(min_length=1)
    premise: Text
    why_it_matters: Text
    key_ideas: list[Idea] = Field(min_length=1)
    full_requires: int = Field(default=1, ge=1)
    partial_ideas: list[Idea] = Field(default_factory=list)
    misreadings: list[Misreading] = Field(default_factory=list)
    feedback: Feedback
    model_answer: Text

    @model_validator(mode="after")
    def _requires_fits(self) -> RubricItem:
        if self.full_requires > len(self.key_ideas):
            raise ValueError(
                f"full_requires is {self.full_requires} but only {len(self.key_ideas)} key ideas"
            )
        return self


class Lesson(Strict):
    """A validated lesson. ``article_text`` is the served plain text, filled in by the loader."""

    schema_version: Literal[1]
    id: Slug
    title: Text
    summary: Text
    level: Literal["introductory", "intermediate", "advanced"]
    estimated_minutes: int = Field(ge=1, le=600)
    premise_types: list[Slug] = Field(default_factory=list)
    skills: list[Text] = Field(default_factory=list)
    teacher_note: Text
    source: str | None = None
    article: str = "article.txt"
    prompts: list[Prompt] = Field(min_length=1, max_length=12)
    rubric: list[RubricItem] = Field(min_length=1)
    article_text: str = ""

    @property
    def max_score(self) -> float:
        return sum(item.points for item in self.rubric)

    def prompt(self, prompt_id: str | None) -> Prompt | None:
        return next((p for p in self.prompts if p.id == prompt_id), None)

    def item(self, item_id: str | None) -> RubricItem | None:
        return next((i for i in self.rubric if i.id == item_id), None)
