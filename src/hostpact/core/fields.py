"""Model fields that store personal data encrypted under the row's subject key.

The field encrypts in ``pre_save`` (where the row, and so its subject, is known) and decrypts in
``from_db_value`` from the token's own header. A value whose key was shredded reads as None.
``QuerySet.update()`` bypasses ``pre_save``: services never use it on these fields.
"""

import datetime

from django.db import models

from hostpact.core import crypto


class EncryptedTextField(models.TextField):
    """A string kept as AES-GCM ciphertext under ``<row>.<subject_attr>``'s data key."""

    def __init__(self, *args, retention_class=crypto.DEFAULT_CLASS, subject_attr="subject_id",
                 **kwargs):
        self.retention_class = retention_class
        self.subject_attr = subject_attr
        kwargs.setdefault("blank", True)
        kwargs.setdefault("null", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["retention_class"] = self.retention_class
        kwargs["subject_attr"] = self.subject_attr
        return name, path, args, kwargs

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value is None or value == "":
            return None
        subject_id = getattr(model_instance, self.subject_attr)
        return crypto.encrypt(subject_id, self.retention_class, self.to_text(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        if not value.startswith(crypto.PREFIX):
            return self.from_text(value)
        try:
            return self.from_text(crypto.decrypt(value))
        except crypto.ShreddedKeyError:
            return None

    def to_python(self, value):
        if value is None or not isinstance(value, str):
            return value
        return self.from_text(value)

    def get_prep_value(self, value):
        # Only ciphertext produced by pre_save reaches the database.
        return value

    def value_to_string(self, obj):
        return "" if self.value_from_object(obj) is None else "<encrypted>"


class EncryptedDateField(EncryptedTextField):
    """A date kept encrypted as its ISO text."""

    def to_text(self, value) -> str:
        return value.isoformat()

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text)

    def formfield(self, **kwargs):
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})
