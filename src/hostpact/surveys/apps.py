from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "hostpact.surveys"
    label = "surveys"
    verbose_name = "Surveys"

    def ready(self):
        # The invitations' list (leavable, not promotional; marketing gives it its mail
        # category and objection handler) and the follow-up mail category, which serves only
        # the follow-up purpose (C20).
        from hostpact.marketing import lists
        from hostpact.privacy.purposes import register_mail_category
        from hostpact.surveys import datamap

        lists.register_list(lists.MailList(
            "surveys", "Survey invitations",
            "Now and then, an invitation to a voluntary survey about our service.",
            datamap.INVITE, leavable=True, promotional=False))
        register_mail_category("survey_followup", datamap.FOLLOWUP)
