"""The import form: a file and what a CSV or foreign file cannot say about itself."""

from __future__ import annotations

from django import forms

from aimwell.catalog.importing import MAX_IMPORT_BYTES

FORMAT_CHOICES = [
    ("", "Tell from the file name"),
    ("aimwell-yaml", "Aimwell YAML (framework or crosswalk)"),
    ("csv", "CSV"),
    ("oscal", "OSCAL catalog or profile JSON"),
    ("ciso-assistant", "CISO Assistant library YAML"),
]


class ImportForm(forms.Form):
    file = forms.FileField(help_text="At most 10 MB.")
    format = forms.ChoiceField(choices=FORMAT_CHOICES, required=False)
    key = forms.CharField(
        required=False,
        max_length=50,
        help_text=(
            "Framework key: for a CSV without header rows, or to import under a key of your "
            "own (built-in keys are refused)."
        ),
    )
    version = forms.CharField(required=False, max_length=20)
    name = forms.CharField(required=False, max_length=200)
    mapping_set = forms.BooleanField(required=False, label="The CSV is a crosswalk")
    source_framework = forms.CharField(
        required=False, max_length=80, help_text="Crosswalk CSV: from (e.g. iso42001:2023)."
    )
    target_framework = forms.CharField(required=False, max_length=80)
    framework_refs = forms.CharField(
        required=False,
        max_length=2000,
        label="Framework references",
        help_text="CISO Assistant mapping library: URN=key:version pairs, separated by spaces, "
        "for frameworks no loaded framework keeps the urns of.",
    )
    catalog = forms.FileField(
        required=False,
        help_text="OSCAL profile: the catalog JSON it selects from, unless that catalog is loaded.",
    )

    def clean_catalog(self):
        upload = self.cleaned_data.get("catalog")
        if upload is not None and upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        return upload

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 10 MB.")
        return upload
