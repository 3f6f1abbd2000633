from django import forms

from .exchange import MAX_FILE_BYTES, NOTHING_CHANGED, ProgressFileInvalid, progress_file_parse
from .models import NOTE_MAX_LENGTH


class PlainTextField(forms.CharField):
    """Text whose line breaks count once: browsers send `\\r\\n`, but a textarea's `maxlength`
    counts one character per break, so the limit is checked on `\\n` breaks."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


class NoteForm(forms.Form):
    text = PlainTextField(
        required=False,
        strip=False,
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "max_length": "A note can be at most %(limit_value)s characters; "
            "this one has %(show_value)s. It was not saved."
        },
    )


class ResetForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, delete all my ticks and notes",
        error_messages={"required": "Tick the box to confirm. Nothing was deleted."},
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Progress file (.json)",
        error_messages={
            "required": f"Choose the .json file you downloaded. {NOTHING_CHANGED}",
            "empty": f"That file is empty. {NOTHING_CHANGED}",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Read one byte past the limit, so an oversized file is refused without reading it all.
        data = upload.read(MAX_FILE_BYTES + 1)
        try:
            self.cleaned_data["progress"] = progress_file_parse(data)
        except ProgressFileInvalid as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload
