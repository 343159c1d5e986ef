"""What every page needs: templates, auth guard, cross-origin check, forms, errors, i18n."""

from workshops.web import convertors as convertors  # registers the {name:id} path convertor
