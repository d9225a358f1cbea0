"""Storyboard generation: a provider interface and the built-in deterministic provider.

The built-in provider needs no network and no model: it turns a brief into scenes with plain
text rules, so the same brief always gives the same storyboard. An LLM-backed provider
implements the same `StoryboardProvider` protocol and replaces it; its plan may also name the
characters it mentions (each scene's cast refers to them by consistency key).
"""

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from models import SceneType

DEFAULT_SECONDS_PER_SCENE = 6
_WEIGHTS = {SceneType.HOOK: 2, SceneType.CONTENT: 3, SceneType.TRANSITION: 1, SceneType.CTA: 2}
_CAMERAS = ("wide shot", "medium shot", "close-up", "over-the-shoulder", "tracking shot")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class GenerationRequest:
    title: str
    brief: str
    reference_urls: list[str]
    scene_count: int | None
    target_duration: int | None


@dataclass(frozen=True)
class PlannedKeyframe:
    description: str
    timing_seconds: float = 0.0
    metadata: Any = None


@dataclass(frozen=True)
class PlannedCharacter:
    """A character the plan mentions. One of the project with the same consistency key is
    reused as it is; otherwise it is created."""

    name: str
    description: str = ""
    # None: derived from the name, as createCharacter does.
    consistency_key: str | None = None
    metadata: Any = None


@dataclass(frozen=True)
class PlannedScene:
    scene_type: SceneType
    duration: int
    visual_description: str
    script: str | None
    text_overlay: str | None
    camera_angle: str | None
    keyframes: tuple[PlannedKeyframe, ...] = ()
    # Consistency keys of the plan's characters in this scene.
    cast: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryboardPlan:
    scenes: list[PlannedScene]
    characters: list[PlannedCharacter] = field(default_factory=list)
    # What the storyboard follows (a template, a reference video's pattern), 0..255 characters.
    pattern_source: str | None = None
    # The provider and model that wrote the plan, e.g. "storygraph-template/1".
    generation_model: str | None = None


class StoryboardProvider(Protocol):
    async def plan(self, request: GenerationRequest) -> StoryboardPlan: ...


def split_topics(brief: str) -> list[list[str]]:
    """Sentences grouped by topic: each paragraph (text between blank lines) is one topic."""
    topics = [
        [" ".join(s.split()) for s in _SENTENCE.split(paragraph.strip()) if s.strip()]
        for paragraph in re.split(r"\n\s*\n", brief.strip())
    ]
    return [t for t in topics if t] or [[brief.strip()]]


def spread(total: int, weights: list[int]) -> list[int]:
    """Split `total` seconds in proportion to `weights`; the parts sum to `total` exactly."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _layout(topics: list[list[str]], count: int) -> list[tuple[SceneType, str]]:
    """HOOK first, CTA last, CONTENT between, TRANSITION where the topic changes (if room)."""
    sentences = [s for topic in topics for s in topic]
    if count == 1:
        return [(SceneType.HOOK, sentences[0])]
    middle = count - 2
    plan: list[tuple[SceneType, str]] = [(SceneType.HOOK, sentences[0])]
    transitions = len(topics) - 1 if middle >= 2 * len(topics) - 1 else 0
    content_slots = middle - transitions
    if transitions:
        # Give every topic at least one scene, the rest by how much the brief says about it.
        shares = [
            1 + extra for extra in spread(content_slots - len(topics), [len(t) for t in topics])
        ]
        for index, (topic, share) in enumerate(zip(topics, shares, strict=True)):
            if index:
                plan.append((SceneType.TRANSITION, topic[0]))
            plan += [(SceneType.CONTENT, topic[i % len(topic)]) for i in range(share)]
    else:
        plan += [(SceneType.CONTENT, sentences[i % len(sentences)]) for i in range(content_slots)]
    plan.append((SceneType.CTA, sentences[-1]))
    return plan


class TemplateProvider:
    """The deterministic built-in provider: no characters (it cannot tell who a brief is
    about), one keyframe per scene at its start."""

    MODEL = "storygraph-template/1"
    PATTERN = "storygraph-template: hook, content, transition, call to action"

    async def plan(self, request: GenerationRequest) -> StoryboardPlan:
        topics = split_topics(request.brief)
        count = request.scene_count or min(max(sum(len(t) for t in topics) + 2, 3), 12)
        layout = _layout(topics, count)
        total = request.target_duration or DEFAULT_SECONDS_PER_SCENE * count
        durations = spread(total, [_WEIGHTS[kind] for kind, _ in layout])
        scenes = []
        for number, ((kind, text), duration) in enumerate(zip(layout, durations, strict=True)):
            visual = _visual(kind, text, request.title)
            scenes.append(
                PlannedScene(
                    scene_type=kind,
                    duration=duration,
                    visual_description=visual,
                    script=text if kind != SceneType.TRANSITION else None,
                    text_overlay=_overlay(kind, text, request.title),
                    camera_angle=_CAMERAS[number % len(_CAMERAS)],
                    keyframes=(PlannedKeyframe(description=visual),),
                )
            )
        return StoryboardPlan(
            scenes=scenes, pattern_source=self.PATTERN, generation_model=self.MODEL
        )


def _visual(kind: SceneType, text: str, title: str) -> str:
    subject = text if len(text) <= 300 else text[:297] + "..."
    return {
        SceneType.HOOK: f"Opening shot for “{title}”: {subject}",
        SceneType.CONTENT: f"Show: {subject}",
        SceneType.TRANSITION: f"Transition towards: {subject}",
        SceneType.CTA: f"Closing call to action: {subject}",
    }[kind]


def _overlay(kind: SceneType, text: str, title: str) -> str | None:
    if kind == SceneType.HOOK:
        return title
    if kind == SceneType.CTA:
        return text if len(text) <= 80 else text[:77] + "..."
    return None
