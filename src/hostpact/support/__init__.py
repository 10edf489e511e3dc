"""The support desk: tickets opened by mail and the contact form, answered from the back office."""
