"""What the design editor shows: the artwork template's fields, the item's values and where
each came from, and a preview rendered from values not saved yet.

The preview runs the same renderer as the print files (in the caller's thread, so the screen
calls it from a worker) and returns a small image; nothing is written to disk or the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PIL import Image
from sqlmodel import Session

from podtui.domain.errors import DomainError
from podtui.domain.models import Artwork
from podtui.domain.template import FieldSpec, Template, load_template
from podtui.services.items.transitions import load_item
from podtui.services.render.jobs import item_values, personalization_config, resolve_template
from podtui.services.render.photo_fetch import PhotoSources
from podtui.services.render.print_output import make_preview
from podtui.services.render.renderer import render_image

PREVIEW_SIDE = 600


@dataclass
class DesignForm:
    """The form of one item's design; `problem` says why the template could not be read."""

    item_id: int
    fields: list[FieldSpec]
    values: dict[str, str]
    sources: dict[str, str] = field(default_factory=dict)
    artwork_name: str = ""
    template: Template | None = None
    variant: str = ""
    problem: str = ""


def _free_fields(values: dict[str, str]) -> list[FieldSpec]:
    return [FieldSpec(name, name.replace("_", " ").capitalize(), "text", False, None)
            for name in values]  # fmt: skip


def design_form(session: Session, item_id: int) -> DesignForm:
    """The item's fields as its artwork's template names them, with the values it has now."""
    item = load_item(session, item_id)
    current = {k: "" if v is None else str(v) for k, v in item.personalization.items()}
    artwork = session.get(Artwork, item.artwork_id) if item.artwork_id is not None else None
    if artwork is None:
        return DesignForm(item_id, _free_fields(current), current, problem="no artwork linked")
    try:
        template = load_template(resolve_template(artwork.template)).for_variant(item.variant_title)
    except (DomainError, OSError, ValueError) as exc:
        return DesignForm(
            item_id,
            _free_fields(current),
            current,
            artwork_name=artwork.name,
            problem=f"template {artwork.template!r} cannot be read: {exc}",
        )
    values, sources = item_values(session, item, template, personalization_config())
    return DesignForm(
        item_id,
        template.fields,
        {spec.name: values.get(spec.name, "") for spec in template.fields},
        sources,
        artwork.name,
        template,
        item.variant_title,
    )


def render_preview(form: DesignForm, values: dict[str, str]) -> Image.Image:
    """The print these values would make, shrunk for the screen; RenderError when it cannot."""
    if form.template is None:
        raise DomainError(f"Nothing to preview: {form.problem or 'no template'}.")
    rendered = render_image(form.template, values, load_photo=PhotoSources.of_shop().loader())
    return make_preview(rendered.image, PREVIEW_SIDE)
