"""The annual evaluation of a partnership [bilan annuel]: indicators computed in SQL for a period
and a scope, beside the previous period, and the record each party signs."""
