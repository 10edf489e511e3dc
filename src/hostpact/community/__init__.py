"""Community forums and testimonials, public by the author's choice, and the requests to remove
personal information from them.
"""
