"""`{% load stepper %}{% stepper application %}`: the 办事进度 stepper of a case, for every role's case page."""

from django import template

from assessments import selectors

register = template.Library()


@register.inclusion_tag("assessments/partials/stepper.html")
def stepper(application):
    return {"s": selectors.stepper(application)}
