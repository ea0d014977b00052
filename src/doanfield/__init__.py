"""doanfield: a ledger of Youth Union cadres' grassroots time and the union's compliance rules."""

__version__ = "0.1.0"
