"""For the migrations that move models between apps without touching their tables.

The content-type rows of the moved models are relabelled in place, keeping their ids, so permissions,
the admin's history and attachments (which point at their record through its content type) keep
pointing at the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import migrations


def relabel_content_types(from_app: str, to_app: str, models: Iterable[str]) -> migrations.RunPython:
    """A migration operation that relabels `models` from `from_app` to `to_app` (and back when reversed).

    A model whose new label already has a row (post_migrate made one) keeps both rows untouched."""
    models = tuple(models)

    def relabel(source: str, target: str) -> Callable[[Any, Any], None]:
        def run(apps: Any, schema_editor: Any) -> None:  # RunPython's historical apps and schema editor
            content_type = apps.get_model("contenttypes", "ContentType")
            for model in models:
                if not content_type.objects.filter(app_label=target, model=model).exists():
                    content_type.objects.filter(app_label=source, model=model).update(app_label=target)

        return run

    return migrations.RunPython(relabel(from_app, to_app), relabel(to_app, from_app))
