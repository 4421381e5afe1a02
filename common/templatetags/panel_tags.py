"""`{% panels "slot" %}`: the page's slot, filled by the registered panels (common.panels)."""

from __future__ import annotations

from django import template
from django.template.context import Context
from django.template.loader_tags import BlockNode
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: Context, slot: str) -> SafeString:
    """The block named `slot` of each of the page's panel templates, in the page's context;
    nothing where a panel has no such block (or the page no panel)."""
    engine = context.template.engine  # type: ignore[union-attr]
    parts = []
    for name in context.get("panel_templates") or ():
        for node in engine.get_template(name).nodelist.get_nodes_by_type(BlockNode):
            if isinstance(node, BlockNode) and node.name == slot:
                with context.push():  # what the block sets ({% url … as x %}) stays in it
                    parts.append(node.nodelist.render(context))
    return mark_safe("".join(parts))  # the blocks are templates: they escaped what they show
