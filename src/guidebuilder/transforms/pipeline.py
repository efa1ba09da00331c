"""Ordered steps between loading and rendering: each takes a Guide and returns a new one."""

from __future__ import annotations

from guidebuilder.model.errors import Collector
from guidebuilder.model.guide import Guide
from guidebuilder.transforms.directives import expand_directives
from guidebuilder.transforms.ids import assign_ids
from guidebuilder.transforms.links import check_links_and_images
from guidebuilder.transforms.numbering import number_figures_and_tables

# In order: ids are made unique after the directives added theirs, links resolved against those ids,
# and tables and figures numbered once every directive's tables and charts are in place.
STEPS = (expand_directives, assign_ids, check_links_and_images, number_figures_and_tables)


def run_all(guide: Guide, errors: Collector | None = None, cache=None) -> Guide:
    """Apply every transform; raise GuideError with everything that is wrong (including earlier errors)."""
    errors = errors if errors is not None else Collector(root=guide.root)
    for step in STEPS:
        guide = step(guide, errors, cache) if step is expand_directives else step(guide, errors)  # charts are cached
    errors.raise_if_errors()
    return guide
