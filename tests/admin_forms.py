"""Admin change forms as a browser posts them back."""


def form_data(response, **overrides):
    """The change form's data as the browser would post it back: the record's
    fields and every inline's management form and rows, with `overrides`
    (field name -> value) applied."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for bound in form:
            if bound.field.show_hidden_initial:
                data[bound.html_initial_name] = str(bound.initial or "")
            value = bound.value()
            if value is None:
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
            else:
                data[bound.html_name] = str(value)
    data.update(overrides)
    return data
