"""What the portal's two languages share in running text.

The languages themselves are settings.LANGUAGES; code reaches a translated
field's columns through modeltranslation (`get_translation_fields`,
`build_localized_fieldname`), never by spelling a language suffix."""

# Between the items of a list inside a text or a CSV cell: the enumeration
# comma, written the same in Japanese and in Chinese.
LIST_SEPARATOR = "、"
