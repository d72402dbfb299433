"""What a story module imports: ``from pymockapi.dsl import Story, hero``."""

from pymockapi.industries.base import AltFormat, IndustryPack, RecordType, Violation
from pymockapi.story.dsl import Endpoint, Hero, Story, Trigger, Waypoint, hero

__all__ = ["AltFormat", "Endpoint", "Hero", "IndustryPack", "RecordType", "Story", "Trigger", "Violation",
           "Waypoint", "hero"]
