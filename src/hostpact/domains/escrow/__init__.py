"""Registrar data escrow (RAA 3.6, C28): deposits for the escrow agent, and their verification.

What a deposit holds and how its files are laid out is in ``layout`` (ICANN's Registrar Data
Escrow Specifications: the domain file, the handle file, the hash file). Privacy-protected
domains: the domain file names the privacy service's handle in every role, as the registry and
the directories show it, and a separate ``pp`` file gives, for each such domain, the
underlying customer's own contact handles, whose data is in the handle file with every other
contact's: the RAA asks the registrar to escrow the customer's data behind a privacy service,
and the agent can restore both what the registry holds and who the customer is.

``deposit.run_deposit`` makes (or finishes) a deposit, ``verify.verify_directory`` checks one,
``gpg`` holds the keys and the streaming encryption, ``rows`` reads the data in chunks. Each
deposit is a disclosure to the escrow agent (C22), recorded before anything is written.
"""
