"""One render, as a process-pool task: request in, files on disk and their facts out.

Everything here runs in a pool process and touches no database: the parent reads the item,
builds a picklable `RenderRequest`, and records the `RenderOutput` (or the failure's reason) in
one transaction. Caches live per process, so each pool process loads fonts and fixed layers once.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from podtui.domain.template import Template, TemplateError, load_template
from podtui.services.render import print_output
from podtui.services.render.failure import problem_from, raw_error
from podtui.services.render.mockup import render_mockup
from podtui.services.render.photo_fetch import PhotoSources
from podtui.services.render.png_bands import BandedPngWriter
from podtui.services.render.renderer import (
    RenderCache,
    RenderError,
    render_image,
    template_key,
)


@dataclass(frozen=True)
class RenderRequest:
    """Everything a pool process needs to render one item (plain data, so it pickles)."""

    job_id: int
    item_id: int
    template_path: str
    variant: str
    values: dict[str, str]
    out_path: str
    preview_path: str
    mockup_path: str | None
    photos: PhotoSources = field(default_factory=PhotoSources)  # URLs' bounds, local folders
    png: print_output.PngSettings = field(default_factory=print_output.PngSettings)
    language: str = ""  # the order's language: how its text is upper- or lower-cased


@dataclass(frozen=True)
class RenderOutput:
    """What a finished render wrote."""

    job_id: int
    item_id: int
    ok: Literal[True]
    path: str
    preview_path: str
    mockup_path: str | None
    sha256: str
    size_bytes: int
    width: int
    height: int
    dpi: int
    warnings: list[str]


@dataclass(frozen=True)
class RenderFailure:
    """Why a render could not produce a correct print; `bad_input` ones hold the item."""

    job_id: int
    item_id: int
    ok: Literal[False]
    reason: str
    bad_input: bool = True
    detail: str = ""


_CACHE = RenderCache()
_WRITER = BandedPngWriter()
_TEMPLATES: dict[tuple[str, float], Template] = {}


def _template(path: str) -> Template:
    try:
        mtime = Path(path).stat().st_mtime
    except OSError:
        raise TemplateError(f"template file {path} does not exist") from None
    key = (path, mtime)
    found = _TEMPLATES.get(key)
    if found is None:
        found = load_template(Path(path))
        _TEMPLATES.clear()  # an edited template replaces its old version
        _TEMPLATES[key] = found
    return found


def run_request(request: RenderRequest) -> RenderOutput | RenderFailure:
    """Render `request` and write its files atomically; never leaves a partial file behind."""
    out = Path(request.out_path)
    print_output.sweep_temp_files(out.parent, f"{request.item_id}-")
    writing = False  # an OSError before the files are written is the design's, not the disk's
    try:
        template = _template(request.template_path).for_variant(request.variant)
        rendered = render_image(
            template,
            request.values,
            load_photo=request.photos.loader(),
            cache=_CACHE,
            language=request.language,
        )
        image = rendered.image
        staged = []
        writing = True
        try:

            def write_print(fp: IO[bytes]) -> None:
                if request.png.banded:
                    _WRITER.write(
                        image,
                        fp,
                        template=template,
                        key=template_key(template),
                        dpi=template.dpi,
                        icc=print_output.srgb_icc(),
                    )
                else:
                    print_output.save_png(image, fp, template.dpi, request.png)

            staged.append(print_output.stage(out, write_print))
            preview = print_output.make_preview(image, template.preview_size)
            staged.append(
                print_output.stage(
                    Path(request.preview_path),
                    lambda fp: preview.save(fp, "PNG", dpi=(72, 72), compress_level=1),
                )
            )
            if request.mockup_path and template.mockup is not None:
                mockup = render_mockup(image, preview, template, request.variant)
                staged.append(
                    print_output.stage(
                        Path(request.mockup_path),
                        lambda fp: mockup.save(fp, "PNG", compress_level=1),
                    )
                )
            print_output.commit(staged)
        except BaseException:
            print_output.discard(staged)
            raise
    except (RenderError, TemplateError) as exc:
        return RenderFailure(request.job_id, request.item_id, False, str(exc))
    except OSError as exc:
        if not writing:  # a font or image of the design that cannot be used
            problem = problem_from(exc)
            return RenderFailure(
                request.job_id, request.item_id, False, problem.reason, detail=problem.error
            )
        # The disk, not the design: keep the item where it is and say what broke.
        where = f" ({exc.filename})" if exc.filename else ""
        return RenderFailure(
            request.job_id,
            request.item_id,
            False,
            f"cannot write the print file: {exc.strerror or type(exc).__name__}{where}",
            bad_input=False,
            detail=raw_error(exc),
        )
    except Exception as exc:  # MemoryError included: a plain reason, the raw error kept
        problem = problem_from(exc)
        return RenderFailure(
            request.job_id, request.item_id, False, problem.reason, detail=problem.error
        )
    written = staged[0][1]
    return RenderOutput(
        job_id=request.job_id,
        item_id=request.item_id,
        ok=True,
        path=str(written.path),
        preview_path=request.preview_path,
        mockup_path=request.mockup_path if len(staged) > 2 else None,
        sha256=written.sha256,
        size_bytes=written.size_bytes,
        width=image.width,
        height=image.height,
        dpi=template.dpi,
        warnings=rendered.warnings,
    )


def quiet_process() -> None:
    """Pool initializer: library warnings must not print over the TUI (renders report problems
    through their results; the decompression-bomb warning is still turned into an error)."""
    warnings.simplefilter("ignore")
