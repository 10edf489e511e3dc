"""Policy versions, advance notices, opt-outs of new uses, and questions about the policy."""
