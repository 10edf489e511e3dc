"""URLs of the domain privacy complaints: the third party's form and the customer's answer."""

app_name = "domain_complaints"
urlpatterns: list = []
