"""Mail lists and subscriptions: who may receive which kind of mail, and how they leave."""
