"""Move the customer's answer to a complaint into ``ComplaintAnswer``, under its own subject.

The answer is the subscriber's data; kept on the complaint, whose ``subject`` is the
complainant, it was missing from the subscriber's export. Each answer given (``answered_at``
set) becomes a ``ComplaintAnswer`` whose ``subject`` is the complaint's ``owner_subject``, the
key it was encrypted under. The ciphertext is copied as it is: a value is bound to its subject
and retention class (its authenticated header, ``core.crypto``), not to its table or column,
and both are the same here, so every value stays readable, a shredded one stays unreadable,
and no plaintext passes through the migration. It is copied by SQL because the encrypted
fields decrypt on read and encrypt on save; the table and column names come from the
historical models.
"""

import django.db.models.deletion
from django.db import migrations, models

import hostpact.core.fields

MOVED = ("statement", "indemnity_accepted", "evidence_name", "evidence_type", "evidence",
         "answered_at")


def _tables(apps, schema_editor):
    quote = schema_editor.quote_name
    complaint = apps.get_model("domain_complaints", "Complaint")
    answer = apps.get_model("domain_complaints", "ComplaintAnswer")
    columns = [quote(complaint._meta.get_field(name).column) for name in MOVED]
    return quote(complaint._meta.db_table), quote(answer._meta.db_table), columns, quote


def move_answers(apps, schema_editor):
    complaints, answers, columns, quote = _tables(apps, schema_editor)
    listed = ", ".join(columns)
    schema_editor.execute(
        f"INSERT INTO {answers} ({quote('complaint_id')}, {quote('subject_id')}, {listed}) "
        f"SELECT {quote('id')}, {quote('owner_subject_id')}, {listed} FROM {complaints} "
        f"WHERE {quote('answered_at')} IS NOT NULL")


def restore_answers(apps, schema_editor):
    complaints, answers, columns, quote = _tables(apps, schema_editor)
    assignments = ", ".join(
        f"{column} = (SELECT a.{column} FROM {answers} a "
        f"WHERE a.{quote('complaint_id')} = {complaints}.{quote('id')})" for column in columns)
    schema_editor.execute(
        f"UPDATE {complaints} SET {assignments} WHERE {quote('id')} IN "
        f"(SELECT {quote('complaint_id')} FROM {answers})")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0003_subject_kind_legal_hold'),
        ('domain_complaints', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='ComplaintAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('statement', hostpact.core.fields.EncryptedTextField(blank=True, help_text="The customer's written confirmation.", null=True, retention_class='registration', subject_attr='subject_id')),
                ('indemnity_accepted', models.BooleanField(default=False)),
                ('evidence_name', hostpact.core.fields.EncryptedTextField(blank=True, null=True, retention_class='registration', subject_attr='subject_id')),
                ('evidence_type', models.CharField(blank=True, max_length=40)),
                ('evidence', hostpact.core.fields.EncryptedTextField(blank=True, help_text='The uploaded proof, base64.', null=True, retention_class='registration', subject_attr='subject_id')),
                ('answered_at', models.DateTimeField()),
                ('complaint', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='answer', to='domain_complaints.complaint')),
                ('subject', models.ForeignKey(help_text="The customer's data subject: the domain's subscriber.", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.subject')),
            ],
            options={
                'verbose_name': 'answer to a complaint about your domain',
            },
        ),
        migrations.RunPython(move_answers, restore_answers),
        migrations.RemoveField(
            model_name='complaint',
            name='answered_at',
        ),
        migrations.RemoveField(
            model_name='complaint',
            name='evidence',
        ),
        migrations.RemoveField(
            model_name='complaint',
            name='evidence_name',
        ),
        migrations.RemoveField(
            model_name='complaint',
            name='evidence_type',
        ),
        migrations.RemoveField(
            model_name='complaint',
            name='indemnity_accepted',
        ),
        migrations.RemoveField(
            model_name='complaint',
            name='statement',
        ),
    ]
